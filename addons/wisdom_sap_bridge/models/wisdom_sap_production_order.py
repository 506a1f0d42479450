from odoo import api, fields, models

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import sap_inbound

PRODUCTION_STATUSES = [
    ("created", "Created"),
    ("released", "Released"),
    ("partly_confirmed", "Partly Confirmed"),
    ("confirmed", "Confirmed"),
    ("delivered", "Delivered"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]


class WisdomSapProductionOrder(models.Model):
    """A production order SAP made for a contract line (make-to-order), with its status, quantities and
    planned vs actual cost in the company currency, as SAP pushed it or the poll read it. Written by the
    SAP bridge only; the contract's readers read it (same role scope as the contract)."""

    _name = "wisdom.sap.production.order"
    _description = "SAP Production Order"
    _order = "order_id, line_id, name"

    name = fields.Char(string="Production Order", required=True, readonly=True, index=True)
    line_id = fields.Many2one(
        "sale.order.line", string="Contract Line", required=True, readonly=True, index=True, ondelete="cascade"
    )
    order_id = fields.Many2one(related="line_id.order_id", string="Contract", store=True, index=True)
    user_id = fields.Many2one(related="order_id.user_id", string="Salesperson", store=True)
    team_id = fields.Many2one(related="order_id.team_id", string="Sales Team", store=True)
    company_id = fields.Many2one(related="order_id.company_id", string="Company", store=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    status = fields.Selection(PRODUCTION_STATUSES, readonly=True)
    material = fields.Char(readonly=True)
    planned_qty = fields.Float(string="Planned Qty", digits="Product Unit", readonly=True)
    actual_qty = fields.Float(string="Actual Qty", digits="Product Unit", readonly=True)
    planned_start = fields.Date(readonly=True)
    planned_end = fields.Date(readonly=True)
    actual_end = fields.Date(readonly=True)
    sap_currency = fields.Char(string="SAP Cost Currency", readonly=True)
    planned_cost = fields.Monetary(currency_field="company_currency_id", readonly=True, aggregator="sum")
    actual_cost = fields.Monetary(currency_field="company_currency_id", readonly=True, aggregator="sum")
    sap_change = fields.Char(
        string="SAP Change",
        readonly=True,
        help="SAP's change counter (or timestamp) of the figures shown: an older change arriving later is ignored.",
    )

    _name_unique = models.UniqueIndex("(name)", "SAP production orders are recorded once per number.")

    # BUSINESS METHODS

    @api.model
    def _wisdom_sap_apply_production(self, document):
        """Record a ``tools.sap_inbound.ProductionOrder`` on its contract line; a change older than the one
        recorded is ignored (SAP's pushes and the poll may arrive out of order).

        :return: the production order (``wisdom_sap_stale`` in its context when the change was ignored)
        """
        record = self.sudo().search([("name", "in", sap_inbound.number_variants(document.document))], limit=1)
        if record and int(record.sap_change or 0) >= document.change:
            return record.with_context(wisdom_sap_stale=True)
        line = self._wisdom_sap_production_line(document)
        values = {"line_id": line.id, "sap_change": str(document.change), **self._wisdom_sap_figures(document, line)}
        if record:
            record.write(values)
        else:
            record = self.sudo().create({"name": document.document, **values})
        record.order_id._wisdom_sap_note_production_order(record.name)
        return record

    @api.model
    def _wisdom_sap_figures(self, document, line):
        values = {
            "status": document.status or None,
            "material": document.material or None,
            "planned_qty": document.planned_qty,
            "actual_qty": document.actual_qty,
            "planned_start": document.planned_start,
            "planned_end": document.planned_end,
            "actual_end": document.actual_end,
            "planned_cost": self._wisdom_sap_cost(document, document.planned_cost, line),
            "actual_cost": self._wisdom_sap_cost(document, document.actual_cost, line),
            "sap_currency": document.currency or None,
        }
        return {
            key: float(value) if key.endswith(("_qty", "_cost")) else value
            for key, value in values.items()
            if value is not None
        }

    @api.model
    def _wisdom_sap_cost(self, document, amount, line):
        """``amount`` in SAP's currency converted to the contract's company currency (at the actual end,
        or today while production runs)."""
        if amount is None:
            return None
        company = line.order_id.company_id
        currency = (
            self.env["res.currency"]
            .sudo()
            .with_context(active_test=False)
            .search([("name", "=", document.currency)], limit=1)
        )
        if not currency:
            raise integration.BusinessError(
                self.env._(
                    "The currency %(currency)s of SAP production order %(document)s is not known to the CRM.",
                    currency=document.currency,
                    document=document.document,
                )
            )
        date = document.actual_end or fields.Date.context_today(self)
        return currency._convert(float(amount), company.currency_id, company, date)

    @api.model
    def _wisdom_sap_production_line(self, document):
        """The contract line: by SAP sales order (or the CRM contract number SAP keeps in PURCH_NO_C),
        then by SAP item number, else by material, else the contract's only product line."""
        Order = self.env["sale.order"].sudo()
        order = Order.browse()
        if document.order:
            order = Order.search([("sap_order_no", "in", sap_inbound.number_variants(document.order))], limit=1)
        if not order and document.contract:
            order = Order.search([("contract_no", "=", document.contract), ("state", "=", "sale")], limit=1)
        if not order:
            raise integration.BusinessError(
                self.env._(
                    "No signed contract has the SAP sales order or contract number %(order)s (SAP production order "
                    "%(document)s): it is applied when the integration admin retries it after the contract exists.",
                    order=document.order or document.contract,
                    document=document.document,
                )
            )
        lines = order.order_line.filtered(lambda line: not line.display_type and line.product_id)
        if document.item:
            items = order._wisdom_sap_item_numbers()
            matches = lines.filtered(lambda line: sap_inbound.same_item(items.get(line.id), document.item))
        elif document.material:
            matches = lines.filtered(lambda line: line.product_id.default_code == document.material)
        else:
            matches = lines if len(lines) == 1 else lines.browse()
        if not matches:
            raise integration.BusinessError(
                self.env._(
                    "Contract %(contract)s has no line for item %(item)s of SAP production order %(document)s.",
                    contract=order.contract_no or order.name,
                    item=document.item or document.material or "-",
                    document=document.document,
                )
            )
        return matches[0]

    def _wisdom_sap_production_answer(self):
        """The answer for SAP (the same on every push of this change)."""
        self.ensure_one()
        return {
            "production_order": self.name,
            "contract": self.order_id.contract_no or self.order_id.name,
            "line_id": self.line_id.id,
            "status": self.status or None,
            "change": self.sap_change,
            "ignored_as_older": bool(self.env.context.get("wisdom_sap_stale")),
            "planned_cost": self.planned_cost,
            "actual_cost": self.actual_cost,
            "currency": self.company_currency_id.name,
        }
