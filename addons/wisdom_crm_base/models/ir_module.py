from odoo import api, models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    @api.model
    def _wisdom_load_terms_now(self, modules):
        """Load the translations of ``modules`` for the installed languages now (Odoo loads a module's
        .po files after its data): demo records that write chatter notes with selection labels and
        model names (states, instalment kinds) then write them in one language."""
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        if langs:
            self._load_module_terms(modules, langs)
        return True
