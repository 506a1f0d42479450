from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._wisdom_sync_contract_plans()
        return posted

    def button_draft(self):
        result = super().button_draft()
        self._wisdom_sync_contract_plans()
        return result

    def button_cancel(self):
        result = super().button_cancel()
        self._wisdom_sync_contract_plans()
        return result

    def _wisdom_sync_contract_plans(self):
        """Invoice-anchored instalments follow the first posted customer invoice of their contract."""
        orders = self.filtered(lambda m: m.move_type in ("out_invoice", "out_refund")).line_ids.sale_line_ids.order_id
        orders = orders.filtered(lambda o: o.state == "sale")
        if orders:
            orders.sudo()._wisdom_sync_collection_plan()
