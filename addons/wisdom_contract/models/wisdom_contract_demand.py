from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_CONTRACT_ADMIN, GROUP_PRODUCT_MANAGER

DEMAND_STATES = [
    ("draft", "Draft"),
    ("pm_review", "Product Manager Review"),
    ("contract_review", "Contract Review"),
    ("coding", "Material Coding"),
    ("planned", "Planned Order"),
    ("done", "Done"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]


class WisdomContractDemand(models.Model):
    _name = "wisdom.contract.demand"
    _description = "Customer Demand"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(string="Demand No.", required=True, copy=False, readonly=True, default="/")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True)
    opportunity_id = fields.Many2one("crm.lead", string="Opportunity", index="btree_not_null")
    user_id = fields.Many2one(
        "res.users", string="Sales Rep", default=lambda self: self.env.user, index=True, tracking=True
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", compute="_compute_team_id", store=True, readonly=False, index=True
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    requested_date = fields.Date(string="Requested Delivery", tracking=True)
    description = fields.Text(string="Customer Requirement")
    line_ids = fields.One2many("wisdom.contract.demand.line", "demand_id", string="Items", copy=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Photos and Files",
        help="The customer's technical specification, drawings, photos taken on site.",
    )
    state = fields.Selection(DEMAND_STATES, string="Status", default="draft", required=True, tracking=True, index=True)
    rejected_state = fields.Selection(DEMAND_STATES, string="Rejected At", readonly=True, copy=False)
    reason = fields.Text(string="Reason", copy=False, help="Why the demand is rejected or cancelled.")
    product_manager_id = fields.Many2one(
        "res.users",
        string="Product Manager",
        default=lambda self: self._default_role_user(GROUP_PRODUCT_MANAGER),
        domain=lambda self: [("group_ids", "in", self.env.ref(GROUP_PRODUCT_MANAGER).ids)],
        tracking=True,
    )
    contract_admin_id = fields.Many2one(
        "res.users",
        string="Contract Admin",
        default=lambda self: self._default_role_user(GROUP_CONTRACT_ADMIN),
        domain=lambda self: [("group_ids", "in", self.env.ref(GROUP_CONTRACT_ADMIN).ids)],
        tracking=True,
    )
    order_ids = fields.One2many("sale.order", "demand_id", string="Contracts")
    order_count = fields.Integer(compute="_compute_order_count")
    needs_coding = fields.Boolean(compute="_compute_needs_coding")

    # DEFAULTS AND COMPUTE METHODS

    @api.model
    def _default_role_user(self, group_xmlid):
        group = self.env.ref(group_xmlid, raise_if_not_found=False)
        users = group.sudo().user_ids.filtered(lambda u: not u.share) if group else self.env["res.users"]
        return users.sorted("id")[:1]

    @api.depends("user_id")
    def _compute_team_id(self):
        for demand in self:
            if demand.user_id and not demand.team_id:
                demand.team_id = (
                    self.env["crm.team"]
                    .sudo()
                    .search(
                        ["|", ("user_id", "=", demand.user_id.id), ("member_ids", "in", demand.user_id.ids)], limit=1
                    )
                )

    def _compute_order_count(self):
        for demand in self:
            demand.order_count = len(demand.order_ids)

    @api.depends("line_ids.line_state", "line_ids.material_code")
    def _compute_needs_coding(self):
        for demand in self:
            demand.needs_coding = any(line.line_state == "needs_code" for line in demand.line_ids)

    # CRUD METHODS

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("wisdom.contract.demand") or "/"
        return super().create(vals_list)

    # ACTION METHODS

    def action_submit(self):
        """Rep: send the demand to the product manager."""
        for demand in self:
            demand._ensure_state("draft")
            if not demand.line_ids:
                raise UserError(self.env._("Add at least one item to demand %s before submitting it.", demand.name))
            demand._advance("pm_review", demand.product_manager_id, self.env._("Review the items of the demand"))
        return True

    def action_pm_approve(self):
        """Product manager: every item is accepted (mapped to a product or marked for a new code)."""
        self._ensure_group(GROUP_PRODUCT_MANAGER)
        for demand in self:
            demand._ensure_state("pm_review")
            undecided = demand.line_ids.filtered(lambda line: line.line_state == "pending")
            if undecided:
                raise UserError(
                    self.env._(
                        "Decide every item first (map it to a product or mark it as needing a new material code): %s",
                        ", ".join(undecided.mapped("name")),
                    )
                )
            demand._advance("contract_review", demand.contract_admin_id, self.env._("Review the demand's terms"))
        return True

    def action_contract_approve(self):
        """Contract admin: the demand can become a contract; new material codes are requested if needed."""
        self._ensure_group(GROUP_CONTRACT_ADMIN)
        for demand in self:
            demand._ensure_state("contract_review")
            if demand.needs_coding:
                demand._advance("coding", demand.product_manager_id, self.env._("Enter the new material codes"))
                demand._request_material_codes()
            else:
                demand._advance("planned", demand.user_id, self.env._("Create the contract"))
        return True

    def action_coding_done(self):
        """Product manager: every new item has its material code; products are created for them."""
        self._ensure_group(GROUP_PRODUCT_MANAGER)
        for demand in self:
            demand._ensure_state("coding")
            lines = demand.line_ids.filtered(lambda line: line.line_state == "needs_code")
            missing = lines.filtered(lambda line: not line.material_code)
            if missing:
                raise UserError(self.env._("Enter the material code of: %s", ", ".join(missing.mapped("name"))))
            lines._create_coded_products()
            demand._advance("planned", demand.user_id, self.env._("Create the contract"))
        return True

    def action_create_contract(self):
        """Rep: make the contract (a quotation) from the accepted items and close the demand."""
        self.ensure_one()
        self._ensure_state("planned")
        lines = self.line_ids.filtered(lambda line: line.line_state == "accepted" and line.product_id)
        if not lines:
            raise UserError(self.env._("Demand %s has no accepted item with a product.", self.name))
        order = self.env["sale.order"].create(self._prepare_order_values(lines))
        self._advance("done", self.env["res.users"], False)
        self.message_post(body=self.env._("Contract %s created from this demand.", order._get_html_link()))
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def action_reject(self):
        """Product manager, contract admin or director: reject the demand at its current step, with a reason."""
        for demand in self:
            if demand.state in ("done", "rejected", "cancel", "draft"):
                raise UserError(self.env._("Demand %s cannot be rejected in its current state.", demand.name))
            if not (demand.reason or "").strip():
                raise UserError(self.env._("Give the reason for rejecting demand %s.", demand.name))
            step = demand.state
            demand.write({"rejected_state": step, "state": "rejected"})
            demand.activity_unlink(["mail.mail_activity_data_todo"])
            demand._wisdom_activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=demand.user_id.id,
                summary=self.env._("Demand rejected"),
                note=demand.reason,
            )
            demand.message_post(body=self.env._("Demand rejected: %s", demand.reason))
        return True

    def action_cancel(self):
        """Rep: withdraw the demand, with a reason."""
        for demand in self:
            if demand.state in ("done", "cancel"):
                raise UserError(self.env._("Demand %s is already closed.", demand.name))
            if not (demand.reason or "").strip():
                raise UserError(self.env._("Give the reason for cancelling demand %s.", demand.name))
            demand.state = "cancel"
            demand.activity_unlink(["mail.mail_activity_data_todo"])
            demand.message_post(body=self.env._("Demand cancelled: %s", demand.reason))
        return True

    def action_reset_draft(self):
        """Rep: rework a rejected demand and submit it again."""
        for demand in self:
            demand._ensure_state("rejected")
            demand.write({"state": "draft", "rejected_state": False})
            demand.line_ids.filtered(lambda line: line.line_state == "rejected").line_state = "pending"
        return True

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("wisdom_contract.action_wisdom_contracts")
        action.update({"domain": [("demand_id", "=", self.id)], "context": {}})
        return action

    # BUSINESS METHODS

    def _ensure_state(self, state):
        """Refuse a step of the flow unless the demand is at ``state`` (a guard, not a constraint)."""
        self.ensure_one()
        if self.state != state:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Demand %(demand)s is at step “%(current)s”, not “%(expected)s”.",
                    demand=self.name,
                    current=labels[self.state],
                    expected=labels[state],
                )
            )

    def _ensure_group(self, group_xmlid):
        """Refuse a step of the flow to users outside ``group_xmlid`` (the role doing that step)."""
        if not self.env.su and not self.env.user.has_group(group_xmlid):
            group = self.env.ref(group_xmlid)
            raise AccessError(self.env._("Only a %s can do this step of the demand.", group.name))

    def _advance(self, state, next_user, summary):
        """Move to ``state``, close the open to-dos and give the next role its to-do."""
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        self.state = state
        self.activity_unlink(["mail.mail_activity_data_todo"])
        if next_user and summary:
            self._wisdom_activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=next_user.id,
                summary=summary,
                date_deadline=fields.Date.context_today(self),
            )
        self.message_post(body=self.env._("Demand moved to: %s", labels[state]))

    def _request_material_codes(self):
        """Hook: ask PLM/SAP for the material codes of the items marked "needs new material code".

        wisdom_sap_bridge overrides this to send the requests (and fills ``material_code`` when the
        answer comes back). Without it, the product manager enters the codes by hand.
        """
        return False

    def _prepare_order_values(self, lines):
        self.ensure_one()
        new_items = lines.filtered("was_coded")
        return {
            "partner_id": self.partner_id.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "opportunity_id": self.opportunity_id.id,
            "demand_id": self.id,
            "company_id": self.company_id.id,
            "contract_type": "nonstandard" if new_items else "standard",
            "technical_agreement": bool(new_items) or any(line.technical_requirements for line in lines),
            "commitment_date": self.requested_date,
            "order_line": [Command.create(line._prepare_order_line_values()) for line in lines],
        }
