"""What keeps a long migration run as fast at its end as at its start: PostgreSQL's statistics of
the tables the run fills, refreshed as they grow, and the operation logs of a batch inserted together.
Mixed into the loader (``migration_loader.Loader``), which calls both around each batch."""

import logging

import psycopg2

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The tables a sheet fills and its loading then queries (sequence of journal entries, a payment's
# journal entry and lines, a contract's instalments, external ids). A run fills them in one
# transaction: PostgreSQL's statistics still describe the tables before the run, so its plans for
# tables grown a hundredfold are scans (100,000 rows: a collection took 69 ms, twice what it took
# at 10,000). ANALYZE counts the rows of the running transaction.
ANALYZED_TABLES = {
    "customers": ("res_partner", "ir_model_data"),
    "contacts": ("res_partner", "ir_model_data"),
    "contracts": ("sale_order", "sale_order_line", "ir_model_data"),
    "collection_plans": ("wisdom_collection_plan_line", "ir_model_data"),
    "collections": (
        "account_payment",
        "account_move",
        "account_move_line",
        "wisdom_collection_allocation",
        "ir_model_data",
    ),
    "invoices": ("account_move", "account_move_line", "sale_order_line", "ir_model_data"),
}
# Every sheet's operation logs: the log lines' foreign key is checked against the logs with the
# plan PostgreSQL made when the table was small (a scan of it per line) until ANALYZE replans it.
ANALYZED_ALWAYS = ("auditlog_log",)


class RunUpkeep:
    """Mixed into ``Loader``: ``_analyze(sheet)`` and ``_logs_together()``."""

    analyze_refused = False  # set once the database user may not ANALYZE: not asked again

    def _analyze(self, sheet):
        """Refresh the statistics of the tables the sheet fills (see ANALYZED_TABLES). A database user
        that does not own them (not Odoo's usual setup) loads without: slower, not wrong."""
        if self.analyze_refused:
            return
        self.env.flush_all()
        for table in (*ANALYZED_TABLES.get(sheet.kind, ()), *ANALYZED_ALWAYS):
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
            except psycopg2.Error as error:
                _logger.warning("migration: statistics of %s not refreshed (%s), loading goes on", table, error)
                self.analyze_refused = True
                return

    def _logs_together(self):
        """The batch's operation logs inserted at its end, inside its savepoint (see auditlog.rule)."""
        return self.env["auditlog.rule"]._wisdom_logs_together()
