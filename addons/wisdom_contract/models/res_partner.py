from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    wisdom_credit_days_allowed = fields.Integer(
        string="Credit Days Allowed",
        tracking=True,
        help="Longest credit period finance grants this customer; longer contract terms need finance's approval.",
    )

    # HOOKS (the contract review reads the customer's credit through these; wisdom_fulfillment refines them)

    def _wisdom_overdue_amount(self):
        """Overdue receivable of the customer (company currency): open posted customer invoices past due."""
        self.ensure_one()
        partner = self.commercial_partner_id
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", fields.Date.context_today(self)),
                ],
                [],
                ["amount_residual_signed:sum"],
            )
        )
        return (groups[0][0] or 0.0) if groups else 0.0

    def _wisdom_credit_limit(self, company):
        """Credit limit of the customer in ``company`` (0: no limit): Odoo's partner credit limit."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company).sudo()
        if partner.use_partner_credit_limit or company.account_use_credit_limit:
            return partner.credit_limit
        return 0.0

    def _wisdom_credit_exposure(self, exclude_orders=None, company=None):
        """Receivable balance plus confirmed contracts not invoiced yet, in the company currency: a USD or
        EUR contract counts at the company rate of the day (one conversion per currency)."""
        self.ensure_one()
        company = company or self.env.company
        partner = self.commercial_partner_id.with_company(company).sudo()
        domain = [
            ("partner_id.commercial_partner_id", "=", partner.id),
            ("state", "=", "sale"),
            ("company_id", "=", company.id),
        ]
        if exclude_orders:
            domain.append(("id", "not in", exclude_orders.ids))
        orders = self.env["sale.order"].sudo().search(domain)
        to_invoice = company._wisdom_company_total((order.currency_id, order.amount_to_invoice) for order in orders)
        return partner.credit + to_invoice
