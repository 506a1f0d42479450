from odoo import api, fields, models

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import sap_inbound


class AccountPayment(models.Model):
    """Customer receipts booked in SAP (回款) arrive as posted customer payments; the instalments they pay
    are suggested (the contract they name first) and confirmed by finance or the rep as any collection."""

    _inherit = "account.payment"

    sap_document_no = fields.Char(
        string="SAP Document No.",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The SAP accounting document of a receipt that SAP sent to the CRM.",
    )
    sap_order_id = fields.Many2one(
        "sale.order",
        string="Contract Named by SAP",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The contract the SAP receipt names: its instalments are suggested before the customer's others.",
    )

    # BUSINESS METHODS

    def _wisdom_allocation_first_lines(self, lines):
        first = super()._wisdom_allocation_first_lines(lines)
        if self.sap_order_id:
            first |= lines.filtered(lambda line: line.order_id == self.sap_order_id)
        return first

    @api.model
    def _wisdom_sap_book_receipt(self, receipt):
        """Book a ``tools.sap_inbound.Receipt``: a posted customer payment with its allocation suggested
        (left to finance or the rep to confirm). Raises ``integration.BusinessError`` for what SAP sent
        that the CRM cannot book.

        :return: the posted payment"""
        partner = self._wisdom_sap_receipt_customer(receipt)
        order = self._wisdom_sap_receipt_contract(receipt, partner)
        currency = self.env["res.currency"].sudo().search([("name", "=", receipt.currency)], limit=1)
        if not currency:
            raise integration.BusinessError(
                self.env._(
                    "The currency %(currency)s of SAP document %(document)s is not active in the CRM.",
                    currency=receipt.currency,
                    document=receipt.document,
                )
            )
        company = order.company_id or partner.company_id or self.env.company
        payment = (
            self.sudo().with_company(company).create(self._wisdom_sap_receipt_values(receipt, partner, order, currency))
        )
        payment.action_post()
        payment.action_wisdom_suggest_allocation()
        return payment

    @api.model
    def _wisdom_sap_receipt_values(self, receipt, partner, order, currency):
        return {
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": partner.id,
            "amount": float(receipt.amount),
            "currency_id": currency.id,
            "date": receipt.value_date,
            "memo": " ".join(filter(None, [f"SAP {receipt.key}", receipt.contract, receipt.text])),
            "sap_document_no": receipt.document,
            "sap_order_id": order.id,
        }

    @api.model
    def _wisdom_sap_receipt_customer(self, receipt):
        """The CRM customer of the receipt: by SAP customer number (with or without SAP's leading zeros),
        else by CRM id."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        if receipt.customer_no:
            partners = Partner.search([("sap_customer_no", "in", sap_inbound.number_variants(receipt.customer_no))])
            partners = partners.commercial_partner_id
            if len(partners) > 1:
                raise integration.BusinessError(
                    self.env._(
                        "The SAP customer number %(number)s is set on several CRM customers (%(customers)s): keep it "
                        "on one of them.",
                        number=receipt.customer_no,
                        customers=", ".join(partners.mapped("display_name")),
                    )
                )
            if partners:
                return partners
        partner = Partner.browse(receipt.customer_id).exists() if receipt.customer_id else Partner
        if partner:
            return partner.commercial_partner_id
        raise integration.BusinessError(
            self.env._(
                "No CRM customer has the SAP customer number %(number)s (SAP document %(document)s): enter the "
                "number on the customer (SAP Customer No.) and retry this message.",
                number=receipt.customer_no or "-",
                document=receipt.document,
            )
            if receipt.customer_no
            else self.env._(
                "No CRM customer has the id %(id)s (SAP document %(document)s).",
                id=receipt.customer_id,
                document=receipt.document,
            )
        )

    @api.model
    def _wisdom_sap_receipt_contract(self, receipt, partner):
        """The contract the receipt names (SAP order number, CRM contract number or reference), or none."""
        if not receipt.contract:
            return self.env["sale.order"]
        variants = list(sap_inbound.number_variants(receipt.contract))
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.id),
                    "|",
                    "|",
                    ("sap_order_no", "in", variants),
                    ("contract_no", "in", variants),
                    ("name", "in", variants),
                ],
                limit=2,
            )
        )
        if len(orders) != 1:
            raise integration.BusinessError(
                self.env._(
                    "SAP document %(document)s names the contract %(contract)s, which the customer %(customer)s "
                    "does not have in the CRM.",
                    document=receipt.document,
                    contract=receipt.contract,
                    customer=partner.display_name,
                )
                if not orders
                else self.env._(
                    "SAP document %(document)s names the contract %(contract)s, which fits several contracts of "
                    "%(customer)s.",
                    document=receipt.document,
                    contract=receipt.contract,
                    customer=partner.display_name,
                )
            )
        return orders

    def _wisdom_sap_receipt_answer(self):
        """What SAP is answered (JSON-serialisable): the payment and the instalments suggested."""
        self.ensure_one()
        allocations = self.wisdom_allocation_ids.filtered(lambda a: a.state == "draft")
        return {
            "payment": self.name,
            "payment_id": self.id,
            "state": self.state,
            "customer": self.partner_id.display_name,
            "amount": self.amount,
            "currency": self.currency_id.name,
            "suggested": [
                {
                    "contract": allocation.plan_line_id.order_id.name,
                    "contract_no": allocation.plan_line_id.order_id.contract_no or "",
                    "sap_order_no": allocation.plan_line_id.order_id.sap_order_no or "",
                    "instalment": allocation.plan_line_id.display_name,
                    "amount": allocation.amount,
                }
                for allocation in allocations
            ],
            "not_suggested": self.amount - sum(allocations.mapped("amount")),
            "to_confirm": True,
        }
