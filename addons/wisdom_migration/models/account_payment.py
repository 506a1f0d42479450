from odoo import models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def _wisdom_ask_confirmation(self):
        """Historical collections were confirmed long ago: a migration run asks no rep to confirm them
        (the loader allocates them to their contract's instalments itself)."""
        if self.env.context.get("wisdom_migration"):
            return None
        return super()._wisdom_ask_confirmation()
