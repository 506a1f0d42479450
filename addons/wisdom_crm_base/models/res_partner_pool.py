from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import pool_policy
from .res_users import GROUP_DIRECTOR, GROUP_MANAGER, GROUP_REP
from .wisdom_customer_pool import CUSTOMER_GRADES

RECLAIM_BATCH = 1000


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
        help="The pool the customer belongs to: where it waits when it has no owner, and whose rules "
        "return it there.",
    )
    pool_protected = fields.Boolean(
        string="Protected from Reclaim", tracking=True, help="The customer stays with its owner whatever the rules."
    )
    owner_since = fields.Datetime(string="Owner Since", readonly=True, copy=False)
    previous_owner_id = fields.Many2one("res.users", string="Previous Owner", readonly=True, copy=False)
    released_at = fields.Datetime(string="Returned to Pool On", readonly=True, copy=False)
    reclaim_warned_at = fields.Datetime(string="Reclaim Warning Sent", readonly=True, copy=False)
    pool_log_ids = fields.One2many("wisdom.pool.log", "partner_id", string="Pool History")

    # ACTION METHODS

    def action_claim(self):
        """A rep takes customers from the public pool (领取). Exactly one of concurrent claimers wins."""
        self._wisdom_lock_rows()
        user = self.env.user
        if not user.has_group(GROUP_REP):
            raise UserError(self.env._("Only sales users can claim customers."))
        counts = {}  # pool id -> [claims today, private customers] of this user, counted once per batch
        for partner in self.sudo():
            partner._wisdom_check_claimable(user, counts)
            partner._wisdom_set_owner(user, action="claim")
            counts[partner.pool_id.id][0] += 1
            counts[partner.pool_id.id][1] += 1
        return True

    def action_release(self, reason, reason_id=False):
        """The owner gives customers back to the pool (退回公海); a reason is required."""
        reason = (reason or "").strip() if isinstance(reason, str) else reason
        if isinstance(reason, int) and not reason_id:
            reason_id, reason = reason, ""
        if not reason and not reason_id:
            raise UserError(self.env._("Give a reason for returning the customer to the public pool."))
        self._wisdom_lock_rows()
        user = self.env.user
        for partner in self.sudo():
            if partner.pool_state == "pool":
                raise UserError(self.env._("%s is already in the public pool.", partner.display_name))
            if not partner.pool_id:
                raise UserError(self.env._("%s belongs to no public pool.", partner.display_name))
            if partner.user_id != user and not user.has_group(GROUP_MANAGER):
                raise UserError(self.env._("Only the owner or a sales manager can release %s.", partner.display_name))
            partner._wisdom_to_pool(action="release", reason=reason, reason_id=reason_id)
        return True

    def action_assign(self, user_id, pool_id=False, reason=""):
        """A manager gives customers to a rep (分配/转移), from the pool or from another rep.
        With ``pool_id`` the customers also move to that pool."""
        manager = self.env.user
        if not manager.has_group(GROUP_MANAGER):
            raise UserError(self.env._("Only sales managers and directors can assign customers."))
        target = self.env["res.users"].browse(user_id).exists()
        if not target or not target.has_group(GROUP_REP):
            raise UserError(self.env._("Customers can only be assigned to sales users."))
        if not manager.has_group(GROUP_DIRECTOR) and target.id not in manager._wisdom_scope_user_ids():
            raise UserError(
                self.env._("%s is not in a sales team you lead: ask a sales director.", target.name)
            )
        self._wisdom_lock_rows()
        for partner in self.sudo():
            if pool_id:
                partner.pool_id = pool_id
            partner._wisdom_set_owner(target, action="assign", note=reason)
        return True

    # BUSINESS METHODS

    def _wisdom_lock_rows(self):
        """Lock the customers for this transaction; a concurrent change is refused, not lost."""
        if not self:
            return
        self.flush_recordset()
        try:
            self.env.execute_query(
                SQL("SELECT id FROM res_partner WHERE id IN %s FOR UPDATE NOWAIT", tuple(self.ids))
            )
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure) as error:
            raise UserError(
                self.env._("Another user is changing this customer right now. Refresh and try again.")
            ) from error
        self.invalidate_recordset(["pool_state", "user_id"])

    def _wisdom_check_claimable(self, user, counts):
        self.ensure_one()
        if self.pool_state != "pool":
            raise UserError(
                self.env._(
                    "%(customer)s was already claimed by %(owner)s.",
                    customer=self.display_name,
                    owner=self.user_id.name or self.env._("someone else"),
                )
            )
        pool = self.pool_id
        if pool and user not in pool._wisdom_member_users():
            raise UserError(self.env._("You are not a member of the public pool %s.", pool.name))
        limits = pool_policy.PoolLimits(
            daily_claim_limit=pool.daily_claim_limit,
            max_private_customers=pool.max_private_customers,
            cooling_days=pool.cooling_days,
        )
        if pool.id not in counts:
            counts[pool.id] = [self._wisdom_claims_today(user, pool), self._wisdom_private_count(user, pool)]
        context = pool_policy.ClaimContext(
            claims_today=counts[pool.id][0],
            private_customers=counts[pool.id][1],
            previous_owner=self.previous_owner_id == user,
            released_on=self.released_at.date() if self.released_at else None,
            today=fields.Date.context_today(self),
        )
        try:
            pool_policy.check_claim(limits, context)
        except pool_policy.ClaimRefused as refusal:
            raise UserError(self._wisdom_refusal_message(refusal)) from refusal

    def _wisdom_refusal_message(self, refusal):
        if refusal.code == "daily_limit":
            return self.env._("You reached today's limit of %(limit)s claims in this pool.", **refusal.params)
        if refusal.code == "holding_limit":
            return self.env._("You already hold %(limit)s customers of this pool, the most allowed.", **refusal.params)
        return self.env._(
            "You released this customer recently: you may claim it again from %(allowed_from)s.", **refusal.params
        )

    def _wisdom_claims_today(self, user, pool):
        start = fields.Datetime.to_datetime(fields.Date.context_today(self))
        return self.env["wisdom.pool.log"].sudo().search_count([
            ("action", "=", "claim"),
            ("user_id", "=", user.id),
            ("pool_id", "=", pool.id),
            ("date", ">=", start),
        ])

    def _wisdom_private_count(self, user, pool):
        domain = [("user_id", "=", user.id), ("pool_id", "=", pool.id), ("pool_state", "=", "private"),
                  ("wisdom_customer", "=", True)]
        if not pool.count_dealt_customers:
            domain.append(("sale_order_ids", "not any", [("state", "=", "sale")]))
        return self.sudo().search_count(domain)

    def _wisdom_set_owner(self, user, action, note=""):
        self.ensure_one()
        previous = self.user_id
        self.write({
            "user_id": user.id,
            "pool_state": "private",
            "owner_since": fields.Datetime.now(),
            "reclaim_warned_at": False,
        })
        if action == "assign" and self.env.context.get("wisdom_transfer_open_items", True) and previous:
            self._wisdom_transfer_open_items(previous, user)
        self._wisdom_log(action, previous, user, note=note)

    def _wisdom_to_pool(self, action, reason="", reason_id=False):
        self.ensure_one()
        previous = self.user_id
        self.write({
            "user_id": False,
            "pool_state": "pool",
            "previous_owner_id": previous.id,
            "released_at": fields.Datetime.now(),
        })
        self._wisdom_log(action, previous, self.env["res.users"], note=reason, reason_id=reason_id)

    def _wisdom_transfer_open_items(self, previous, user):
        """Open opportunities and activities follow the customer to its new owner."""
        leads = self.env["crm.lead"].sudo().search([
            ("partner_id", "child_of", self.id),
            ("user_id", "=", previous.id),
            ("active", "=", True),
            ("probability", "<", 100),
        ])
        leads.write({"user_id": user.id})
        activities = self.env["mail.activity"].sudo().search([
            ("user_id", "=", previous.id),
            "|",
            "&", ("res_model", "=", "res.partner"), ("res_id", "=", self.id),
            "&", ("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids),
        ])
        activities.write({"user_id": user.id})

    def _wisdom_log(self, action, from_user, to_user, note="", reason_id=False):
        self.env["wisdom.pool.log"].sudo().create({
            "partner_id": self.id,
            "pool_id": self.pool_id.id,
            "action": action,
            "user_id": self.env.uid if action != "reclaim" else False,
            "from_user_id": from_user.id,
            "to_user_id": to_user.id,
            "note": note or False,
            "reason_id": reason_id or False,
        })

    # RECLAIM (自动回收)

    @api.model
    def _wisdom_reclaim_candidates(self):
        """Private pool customers with the dates the rules need, gathered in one query."""
        self.env.flush_all()
        return self.env.execute_query_dict(SQL("""
            SELECT p.id, p.user_id, p.pool_id, p.customer_grade AS grade, p.owner_since,
                   p.reclaim_warned_at,
                   GREATEST(
                       (SELECT max(m.date) FROM mail_message m JOIN res_users u ON u.partner_id = m.author_id
                         WHERE m.model = 'res.partner' AND m.res_id = p.id AND u.id = p.user_id
                           AND (m.message_type = 'comment' OR m.mail_activity_type_id IS NOT NULL)),
                       (SELECT max(l.write_date) FROM crm_lead l WHERE l.partner_id = p.id),
                       (SELECT max(o.write_date) FROM sale_order o WHERE o.partner_id = p.id)
                   ) AS last_followup,
                   GREATEST(
                       (SELECT max(o.date_order) FROM sale_order o WHERE o.partner_id = p.id AND o.state = 'sale'),
                       (SELECT max(l.date_closed) FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
                         WHERE l.partner_id = p.id AND s.is_won)
                   ) AS last_deal
              FROM res_partner p
             WHERE p.active AND p.wisdom_customer AND p.parent_id IS NULL AND p.pool_state = 'private'
               AND p.pool_id IS NOT NULL AND p.user_id IS NOT NULL AND NOT COALESCE(p.pool_protected, FALSE)
        """))

    @api.model
    def _wisdom_reclaim_plan(self, horizon_days=0):
        """[(row, due)] of customers due for reclaim within ``horizon_days`` from now, plus
        [(row, due)] of those whose owner should be warned today."""
        now = fields.Datetime.now()
        pools = {pool.id: pool for pool in self.env["wisdom.customer.pool"].sudo().search([])}
        due_rows, warn_rows = [], []
        for row in self._wisdom_reclaim_candidates():
            pool = pools.get(row["pool_id"])
            rule_record = pool and pool._rule_for_grade(row["grade"])
            if not rule_record:
                continue
            rule = pool_policy.ReclaimRule(
                no_followup_days=rule_record.no_followup_days,
                no_deal_days=rule_record.no_deal_days,
                warning_days=rule_record.warning_days,
                exempt=rule_record.exempt,
            )
            owner_since = row["owner_since"] or now
            due = pool_policy.reclaim_due(rule, owner_since, row["last_followup"], row["last_deal"])
            if not due:
                continue
            if due.due_on <= now + timedelta(days=horizon_days):
                due_rows.append((row, due))
            elif (warn_on := pool_policy.warning_on(rule, due)) and warn_on <= now and not row["reclaim_warned_at"]:
                warn_rows.append((row, due))
        return due_rows, warn_rows

    @api.model
    def _cron_reclaim_customers(self):
        """Nightly: warn owners of coming reclaims, return neglected customers to their pool."""
        due_rows, warn_rows = self._wisdom_reclaim_plan()
        self._wisdom_warn_reclaim(warn_rows)
        self._wisdom_commit_progress(len(warn_rows), remaining=len(due_rows))
        for start in range(0, len(due_rows), RECLAIM_BATCH):
            batch = due_rows[start : start + RECLAIM_BATCH]
            self._wisdom_reclaim_batch(batch)
            self._wisdom_commit_progress(len(batch))

    @api.model
    def _wisdom_commit_progress(self, processed, remaining=None):
        """Commit each batch when run by the scheduler, so that a failure keeps what was done."""
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._commit_progress(processed, remaining=remaining)

    @api.model
    def _wisdom_reclaim_batch(self, batch):
        ids = [row["id"] for row, __ in batch]
        self.env.execute_query(SQL(
            """INSERT INTO wisdom_pool_log (date, partner_id, pool_id, action, from_user_id, reclaim_reason,
                                           create_uid, create_date, write_uid, write_date)
               SELECT now() AT TIME ZONE 'UTC', v.id, v.pool_id, 'reclaim', v.user_id, v.reason,
                      %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                 FROM unnest(%(ids)s::int[], %(pools)s::int[], %(users)s::int[], %(reasons)s::text[])
                      AS v(id, pool_id, user_id, reason)""",
            uid=self.env.uid,
            ids=ids,
            pools=[row["pool_id"] for row, __ in batch],
            users=[row["user_id"] for row, __ in batch],
            reasons=[due.reason for __, due in batch],
        ))
        self.env.execute_query(SQL(
            """UPDATE res_partner
                  SET previous_owner_id = user_id, user_id = NULL, pool_state = 'pool',
                      released_at = now() AT TIME ZONE 'UTC', reclaim_warned_at = NULL,
                      write_uid = %s, write_date = now() AT TIME ZONE 'UTC'
                WHERE id = ANY(%s) AND pool_state = 'private'""",
            self.env.uid,
            ids,
        ))
        self.invalidate_model(["user_id", "pool_state", "previous_owner_id", "released_at", "reclaim_warned_at"])

    @api.model
    def _wisdom_warn_reclaim(self, warn_rows):
        """One activity per customer for its owner, created in one go."""
        if not warn_rows:
            return
        activity_type = self.env.ref("wisdom_crm_base.mail_activity_type_pool_reclaim")
        model_id = self.env["ir.model"]._get_id("res.partner")
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create([
            {
                "res_model_id": model_id,
                "res_id": row["id"],
                "activity_type_id": activity_type.id,
                "user_id": row["user_id"],
                "date_deadline": due.due_on.date(),
                "summary": self.env._("Follow up or this customer returns to the public pool"),
                "note": self.env._("Without a follow-up it returns to the public pool on %s.", due.due_on.date()),
            }
            for row, due in warn_rows
        ])
        self.sudo().browse([row["id"] for row, __ in warn_rows]).write({"reclaim_warned_at": fields.Datetime.now()})
