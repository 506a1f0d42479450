from odoo import models

from ..models.res_users import GROUP_CONTRACT_ADMIN


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Let the contract admin merge any number of exact duplicate customers.

        Odoo merges at most three contacts with the same e-mail at a time. When every contact is a
        CRM customer sharing the destination's credit code or normalised name, the duplicates are
        certain: they are merged three at a time into the destination, whatever their e-mails.
        """
        partners = self.env["res.partner"].browse(partner_ids).exists()
        dst_partner = dst_partner or partners.sorted("id")[:1]
        if not self._wisdom_safe_merge(partners, dst_partner):
            return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        sources = partners - dst_partner
        codes = sources.filtered("credit_code")
        if codes and not dst_partner.credit_code:
            code = codes[0].credit_code
            codes.sudo().write({"credit_code": False})  # the unique code moves to the customer kept
            dst_partner.sudo().with_context(wisdom_dedup_exclude_ids=partners.ids).write({"credit_code": code})
        wizard = self.sudo().with_context(wisdom_dedup_exclude_ids=partners.ids)
        merger = super(BasePartnerMergeAutomaticWizard, wizard)
        dst = dst_partner.with_env(wizard.env)
        for start in range(0, len(sources), 2):
            merger._merge((dst | sources[start : start + 2]).ids, dst_partner=dst, extra_checks=False)
        return None

    def _wisdom_safe_merge(self, partners, dst_partner):
        if not self.env.user.has_group(GROUP_CONTRACT_ADMIN) or len(partners) < 2:
            return False
        if not all(p.wisdom_customer and not p.parent_id for p in partners):
            return False
        return all(
            (p.credit_code and p.credit_code == dst_partner.credit_code)
            or (p.wisdom_name_key and p.wisdom_name_key == dst_partner.wisdom_name_key)
            for p in partners - dst_partner
        )
