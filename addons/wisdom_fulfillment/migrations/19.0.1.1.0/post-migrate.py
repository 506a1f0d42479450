"""19.0.1.1.0, after the update: fill the stored execution figures of the existing contracts
(set-based reads and batched writes, see ``sale.order._wisdom_recompute_execution``)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    count = env["sale.order"].with_context(active_test=False).search([])._wisdom_recompute_execution()
    _logger.info("Execution figures filled for %s contracts", count)
