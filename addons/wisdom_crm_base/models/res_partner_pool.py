from collections import defaultdict

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import pool_policy
from .res_users import GROUP_DIRECTOR, GROUP_MANAGER, GROUP_REP
from .wisdom_customer_pool import CUSTOMER_GRADES


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_grade = fields.Selection(CUSTOMER_GRADES, string="Customer Grade", index=True, tracking=True)
    pool_state = fields.Selection(
        [("private", "Private"), ("pool", "In public pool")],
        string="Pool Status",
        default="private",
        index=True,
        tracking=True,
    )
    pool_id = fields.Many2one(
        "wisdom.customer.pool",
        string="Public Pool",
        index=True,
        tracking=True,
        help="The pool the customer belongs to: where it waits when it has no owner, and whose rules return it there.",
    )
    pool_protected = fields.Boolean(
        string="Protected from Reclaim", tracking=True, help="The customer stays with its owner whatever the rules."
    )
    owner_since = fields.Datetime(string="Owner Since", readonly=True, copy=False)
    previous_owner_id = fields.Many2one("res.users", string="Previous Owner", readonly=True, copy=False)
    released_at = fields.Datetime(string="Returned to Pool On", readonly=True, copy=False)
    reclaim_warned_at = fields.Datetime(string="Reclaim Warning Sent", readonly=True, copy=False)
    pool_reason = fields.Char(
        string="Release Reason",
        readonly=True,
        copy=False,
        help="Why the customer last returned to the pool: the owner's reason, the reclaim rule or the owner's leaving.",
    )
    reclaimed_at = fields.Datetime(
        string="Reclaimed On",
        readonly=True,
        copy=False,
        help="When the nightly reclaim last returned the customer to its pool.",
    )
    wisdom_last_followup = fields.Datetime(
        string="Last Activity",
        readonly=True,
        copy=False,
        index=True,
        help="Last note, message or completed activity logged on the customer.",
    )
    pool_log_ids = fields.One2many("wisdom.pool.log", "partner_id", string="Pool History")

    # ACTION METHODS

    def action_claim(self):
        """A rep takes customers from the public pool (领取). Exactly one of concurrent claimers wins.

        :return: a notification client action (displayed by the web client, a plain dict over RPC)
        """
        user = self.env.user
        if not user.has_group(GROUP_REP):
            raise UserError(self.env._("Only sales users can claim customers."))
        partners = self._wisdom_lock_rows().sudo()
        partners._wisdom_check_claimable(user)
        partners._wisdom_set_owner(user, action="claim")
        return self._wisdom_notification(
            self.env._("%(count)s customers claimed: they are now yours.", count=len(partners))
        )

    def action_release(self, reason, reason_id=False):
        """The owner gives customers back to the pool (退回公海); a reason is required.

        :return: a notification client action
        """
        reason = (reason or "").strip() if isinstance(reason, str) else reason
        if isinstance(reason, int) and not reason_id:
            reason_id, reason = reason, ""
        if not reason and not reason_id:
            raise UserError(self.env._("Give a reason for returning the customer to the public pool."))
        user = self.env.user
        partners = self._wisdom_lock_rows().sudo()
        if pooled := partners.filtered(lambda p: p.pool_state == "pool"):
            raise UserError(self.env._("%s is already in the public pool.", pooled[0].display_name))
        if not user.has_group(GROUP_MANAGER) and (others := partners.filtered(lambda p: p.user_id != user)):
            raise UserError(self.env._("Only the owner or a sales manager can release %s.", others[0].display_name))
        partners._wisdom_return_to_pool("release", note=reason, reason_id=reason_id)
        return self._wisdom_notification(
            self.env._("%(count)s customers returned to the public pool.", count=len(partners))
        )

    def action_assign(self, user_id, pool_id=False, reason=""):
        """A manager gives customers to a rep (分配/转移), from the pool or from another rep.
        With ``pool_id`` the customers also move to that pool.

        :return: a notification client action
        """
        manager = self.env.user
        if not manager.has_group(GROUP_MANAGER):
            raise UserError(self.env._("Only sales managers and directors can assign customers."))
        target = self.env["res.users"].browse(user_id).exists()
        if not target or not target.has_group(GROUP_REP):
            raise UserError(self.env._("Customers can only be assigned to sales users."))
        if not manager.has_group(GROUP_DIRECTOR) and target.id not in manager._wisdom_scope_user_ids():
            raise UserError(self.env._("%s is not in a sales team you lead: ask a sales director.", target.name))
        partners = self._wisdom_lock_rows().sudo()
        pool = self.env["wisdom.customer.pool"].browse(pool_id)
        partners._wisdom_set_owner(target, action="assign", note=reason, pool=pool)
        return self._wisdom_notification(
            self.env._("%(count)s customers assigned to %(user)s.", count=len(partners), user=target.name)
        )

    # MAIL HOOKS

    def _message_post_after_hook(self, message, msg_vals):
        """A note, message or completed activity on a customer is its last activity (the lists show
        and filter it)."""
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "comment" or message.mail_activity_type_id:
            customers = self.filtered(lambda p: p.wisdom_customer and not p.parent_id)
            if customers:
                customers.sudo().with_context(tracking_disable=True).write({"wisdom_last_followup": message.date})
        return res

    # BUSINESS METHODS

    @api.model
    def _wisdom_notification(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _wisdom_lock_rows(self):
        """Lock the customers for this transaction; a concurrent change is refused, not lost.
        Returns the customers (commercial entities only: contacts follow their company)."""
        if not self:
            return self
        self.flush_recordset()
        try:
            self.env.execute_query(SQL("SELECT id FROM res_partner WHERE id IN %s FOR UPDATE NOWAIT", tuple(self.ids)))
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure) as error:
            raise UserError(
                self.env._("Another user is changing this customer right now. Refresh and try again.")
            ) from error
        self.invalidate_recordset(["pool_state", "user_id", "pool_id"])
        return self

    def _wisdom_check_claimable(self, user):
        """Refuse the whole claim if one customer may not be claimed; figures counted once per pool."""
        if claimed := self.filtered(lambda p: p.pool_state != "pool"):
            raise UserError(
                self.env._(
                    "%(customer)s was already claimed by %(owner)s.",
                    customer=claimed[0].display_name,
                    owner=claimed[0].user_id.name or self.env._("someone else"),
                )
            )
        pools = self.pool_id
        for pool in pools:
            if user not in pool._wisdom_member_users():
                raise UserError(self.env._("You are not a member of the public pool %s.", pool.name))
        claims_today = self._wisdom_claims_today(user, pools)
        private = self._wisdom_private_count(user, pools)
        today = fields.Date.context_today(self)
        for partner in self:
            pool = partner.pool_id
            limits = pool_policy.PoolLimits(
                daily_claim_limit=pool.daily_claim_limit,
                max_private_customers=pool.max_private_customers,
                cooling_days=pool.cooling_days,
            )
            context = pool_policy.ClaimContext(
                claims_today=claims_today.get(pool.id, 0),
                private_customers=private.get(pool.id, 0),
                previous_owner=partner.previous_owner_id == user,
                released_on=partner.released_at.date() if partner.released_at else None,
                today=today,
            )
            try:
                pool_policy.check_claim(limits, context)
            except pool_policy.ClaimRefused as refusal:
                raise UserError(partner._wisdom_refusal_message(refusal)) from refusal
            claims_today[pool.id] = claims_today.get(pool.id, 0) + 1
            private[pool.id] = private.get(pool.id, 0) + 1

    def _wisdom_refusal_message(self, refusal):
        if refusal.code == "daily_limit":
            return self.env._("You reached today's limit of %(limit)s claims in this pool.", **refusal.params)
        if refusal.code == "holding_limit":
            return self.env._("You already hold %(limit)s customers of this pool, the most allowed.", **refusal.params)
        return self.env._(
            "You released this customer recently: you may claim it again from %(allowed_from)s.", **refusal.params
        )

    @api.model
    def _wisdom_claims_today(self, user, pools):
        """{pool id: claims the user made today in that pool}, one query."""
        start = fields.Datetime.to_datetime(fields.Date.context_today(self))
        groups = (
            self.env["wisdom.pool.log"]
            .sudo()
            ._read_group(
                [
                    ("action", "=", "claim"),
                    ("user_id", "=", user.id),
                    ("pool_id", "in", pools.ids),
                    ("date", ">=", start),
                ],
                ["pool_id"],
                ["__count"],
            )
        )
        return {pool.id: count for pool, count in groups}

    @api.model
    def _wisdom_private_count(self, user, pools):
        """{pool id: private customers the user holds in that pool}; customers with a won deal count
        only in pools that say so. At most two queries."""
        counts = {}
        base = [("user_id", "=", user.id), ("pool_state", "=", "private"), ("wisdom_customer", "=", True)]
        for dealt, pool_set in (
            (True, pools.filtered("count_dealt_customers")),
            (False, pools.filtered(lambda p: not p.count_dealt_customers)),
        ):
            if not pool_set:
                continue
            domain = base + [("pool_id", "in", pool_set.ids)]
            if not dealt:
                domain.append(("sale_order_ids", "not any", [("state", "=", "sale")]))
            counts.update({pool.id: count for pool, count in self.sudo()._read_group(domain, ["pool_id"], ["__count"])})
        return counts

    def _wisdom_set_owner(self, user, action, note="", pool=None):
        """Give these customers (sudo, locked) to ``user`` in one write; ``pool`` moves them too.

        Open opportunities and activities follow (those of the previous owners on assignment, those
        left in the pool on every move); one pool-log row per customer, created together.
        """
        if not self:
            return
        previous = {partner.id: partner.user_id.id for partner in self}
        vals = {
            "user_id": user.id,
            "pool_state": "private",
            "owner_since": fields.Datetime.now(),
            "reclaim_warned_at": False,
        }
        if pool:
            vals["pool_id"] = pool.id
        self._wisdom_move_write(vals)
        self._wisdom_ensure_pool()
        from_users = {False}
        if action == "assign" and self.env.context.get("wisdom_transfer_open_items", True):
            from_users |= set(previous.values())
        self._wisdom_move_open_items({pid: uid for pid, uid in previous.items() if uid in from_users}, user.id)
        self._wisdom_log(action, previous, to_user_id=user.id, note=note)

    def _wisdom_return_to_pool(self, action, note="", reason_id=False, reclaim_reasons=None):
        """The one way a customer goes back to its public pool: release, automatic reclaim and the
        disposal of a leaving rep's customers all come here (self: sudo, locked).

        One write per previous owner, one pool-log ``create``; the previous owner's open
        opportunities and activities stay with the customer, unassigned, and go to whoever gets it
        next; pending reclaim warnings are dropped.
        """
        if not self:
            return
        self._wisdom_ensure_pool()
        previous = {partner.id: partner.user_id.id for partner in self}
        now = fields.Datetime.now()
        reclaim_labels = dict(self.env["wisdom.pool.log"]._fields["reclaim_reason"]._description_selection(self.env))
        reason_text = note or self.env["wisdom.pool.release.reason"].browse(reason_id).name or False
        by_move = defaultdict(list)  # (previous owner, reason) -> customers, one write each
        for partner_id, user_id in previous.items():
            reason = reclaim_labels.get((reclaim_reasons or {}).get(partner_id)) or reason_text
            by_move[user_id, reason].append(partner_id)
        for (user_id, reason), partner_ids in by_move.items():
            self.browse(partner_ids)._wisdom_move_write(
                {
                    "user_id": False,
                    "pool_state": "pool",
                    "previous_owner_id": user_id,
                    "released_at": now,
                    "reclaimed_at": now if action == "reclaim" else False,
                    "pool_reason": reason or False,
                    "reclaim_warned_at": False,
                }
            )
        self._wisdom_move_open_items(previous, False)
        self.activity_unlink(["wisdom_crm_base.mail_activity_type_pool_reclaim"], only_automated=False)
        self._wisdom_log(action, previous, note=note, reason_id=reason_id, reclaim_reasons=reclaim_reasons)

    def _wisdom_move_open_items(self, from_owner, to_user_id):
        """Open opportunities of these customers (and of their contacts) and the activities on them
        held by ``from_owner[customer id]`` (False: held by no one) go to ``to_user_id``: one search
        and one write for the opportunities, the same for the activities."""
        from_owner = {partner_id: user_id or False for partner_id, user_id in from_owner.items()}
        if not from_owner:
            return
        leads = (
            self.env["crm.lead"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "in", list(from_owner)),
                    ("active", "=", True),
                    ("probability", "<", 100),
                ]
            )
        )
        leads = leads.filtered(
            lambda lead: from_owner.get(lead.partner_id.commercial_partner_id.id, 0) == (lead.user_id.id or False)
        )
        lead_owner = {lead.id: lead.user_id.id or False for lead in leads}
        leads.filtered(lambda lead: lead.user_id.id != to_user_id).write({"user_id": to_user_id})
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    "|",
                    "&",
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", list(from_owner)),
                    "&",
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", list(lead_owner)),
                ]
            )
        )
        activities.filtered(
            lambda act: (
                (from_owner if act.res_model == "res.partner" else lead_owner).get(act.res_id, 0)
                == (act.user_id.id or False)
                and (act.user_id.id or False) != to_user_id
            )
        ).write({"user_id": to_user_id})

    def _wisdom_log(self, action, from_owner, to_user_id=False, note="", reason_id=False, reclaim_reasons=None):
        """One pool-log row per customer, created in one go."""
        done_by = self.env.uid if action != "reclaim" else False
        self.env["wisdom.pool.log"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "pool_id": partner.pool_id.id,
                    "action": action,
                    "user_id": done_by,
                    "from_user_id": from_owner.get(partner.id) or False,
                    "to_user_id": to_user_id or False,
                    "note": note or False,
                    "reason_id": reason_id or False,
                    "reclaim_reason": (reclaim_reasons or {}).get(partner.id) or False,
                }
                for partner in self
            ]
        )

    def _wisdom_ensure_pool(self):
        """Every customer is in a pool: those without one join their owner's team's pool, else their
        company's default pool (one write per pool)."""
        groups = defaultdict(list)
        for partner in self.sudo().filtered(lambda p: p.wisdom_customer and not p.parent_id and not p.pool_id):
            groups[partner.user_id, partner.company_id or self.env.company].append(partner.id)
        Pool = self.env["wisdom.customer.pool"]
        by_pool = defaultdict(list)
        for (user, company), partner_ids in groups.items():
            by_pool[Pool._wisdom_pool_for(user, company)] += partner_ids
        for pool, partner_ids in by_pool.items():
            self.sudo().browse(partner_ids).write({"pool_id": pool.id})

    @api.model
    def _wisdom_pool_poolless_customers(self):
        """Put the customers that belong to no pool into one (install and migration)."""
        self.sudo().with_context(active_test=False).search(
            [("wisdom_customer", "=", True), ("parent_id", "=", False), ("pool_id", "=", False)]
        )._wisdom_ensure_pool()
