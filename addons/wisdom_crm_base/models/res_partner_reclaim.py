from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import pool_policy

RECLAIM_BATCH = 1000


class ResPartner(models.Model):
    _inherit = "res.partner"

    # RECLAIM (自动回收)

    @api.model
    def _wisdom_reclaim_candidates(self):
        """Private pool customers with the dates the rules need, gathered in one query: each source
        of activity is aggregated once per customer and joined (hash joins), instead of five
        correlated look-ups per customer."""
        self.env.flush_all()
        return self.env.execute_query_dict(
            SQL("""
            WITH candidate AS (
                SELECT p.id, p.user_id, p.pool_id, p.customer_grade AS grade, p.owner_since,
                       p.reclaim_warned_at, u.partner_id AS owner_partner_id
                  FROM res_partner p
                  JOIN res_users u ON u.id = p.user_id
                 WHERE p.active AND p.wisdom_customer AND p.parent_id IS NULL AND p.pool_state = 'private'
                   AND p.pool_id IS NOT NULL AND NOT COALESCE(p.pool_protected, FALSE)
            ), note AS (
                SELECT m.res_id, max(m.date) AS last_date
                  FROM mail_message m
                  JOIN candidate c ON c.id = m.res_id AND c.owner_partner_id = m.author_id
                 WHERE m.model = 'res.partner'
                   AND (m.message_type = 'comment' OR m.mail_activity_type_id IS NOT NULL)
              GROUP BY m.res_id
            ), lead AS (
                SELECT l.partner_id, max(l.write_date) AS last_write,
                       max(l.date_closed) FILTER (WHERE s.is_won) AS last_won
                  FROM crm_lead l
             LEFT JOIN crm_stage s ON s.id = l.stage_id
                 WHERE l.partner_id IS NOT NULL
              GROUP BY l.partner_id
            ), sale AS (
                SELECT o.partner_id, max(o.write_date) AS last_write,
                       max(o.date_order) FILTER (WHERE o.state = 'sale') AS last_sale
                  FROM sale_order o
              GROUP BY o.partner_id
            )
            SELECT c.id, c.user_id, c.pool_id, c.grade, c.owner_since, c.reclaim_warned_at,
                   GREATEST(note.last_date, lead.last_write, sale.last_write) AS last_followup,
                   GREATEST(sale.last_sale, lead.last_won) AS last_deal
              FROM candidate c
         LEFT JOIN note ON note.res_id = c.id
         LEFT JOIN lead ON lead.partner_id = c.id
         LEFT JOIN sale ON sale.partner_id = c.id
        """)
        )

    @api.model
    def _wisdom_reclaim_plan(self, horizon_days=0):
        """[(row, due)] of customers due for reclaim within ``horizon_days`` from now, plus
        [(row, due)] of those whose owner should be warned today."""
        now = fields.Datetime.now()
        pools = {pool.id: pool for pool in self.env["wisdom.customer.pool"].sudo().search([])}
        rules = {}  # (pool id, grade) -> pool_policy.ReclaimRule or None, looked up once each
        due_rows, warn_rows = [], []
        for row in self._wisdom_reclaim_candidates():
            key = (row["pool_id"], row["grade"])
            if key not in rules:
                rules[key] = self._wisdom_reclaim_rule(pools.get(row["pool_id"]), row["grade"])
            if not (rule := rules[key]):
                continue
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
    def _wisdom_reclaim_rule(self, pool, grade):
        """The pool's rule for the grade as the pure policy reads it (None: no rule)."""
        rule_record = pool and pool._rule_for_grade(grade)
        if not rule_record:
            return None
        return pool_policy.ReclaimRule(
            no_followup_days=rule_record.no_followup_days,
            no_deal_days=rule_record.no_deal_days,
            warning_days=rule_record.warning_days,
            exempt=rule_record.exempt,
        )

    @api.model
    def _cron_reclaim_customers(self):
        """Nightly: warn owners of coming reclaims, return neglected customers to their pool, in
        batches of RECLAIM_BATCH committed one by one. When the scheduler's time is up, the rest
        waits for the next run, which plans again (done ones are no longer due)."""
        due_rows, warn_rows = self._wisdom_reclaim_plan()
        batches = [
            (self._wisdom_warn_reclaim, warn_rows[i : i + RECLAIM_BATCH])
            for i in range(0, len(warn_rows), RECLAIM_BATCH)
        ]
        batches += [
            (self._wisdom_reclaim_batch, due_rows[i : i + RECLAIM_BATCH])
            for i in range(0, len(due_rows), RECLAIM_BATCH)
        ]
        self._wisdom_commit_progress(0, remaining=len(due_rows) + len(warn_rows))
        for process, batch in batches:
            process(batch)
            if not self._wisdom_commit_progress(len(batch)):
                break

    @api.model
    def _wisdom_commit_progress(self, processed, remaining=None):
        """Commit each batch when run by the scheduler, so that a failure keeps what was done.

        :return: the seconds left to the scheduler's run (infinite outside of it)
        """
        if self.env.context.get("ir_cron_progress_id"):
            return self.env["ir.cron"]._commit_progress(processed, remaining=remaining)
        return float("inf")

    @api.model
    def _wisdom_reclaim_batch(self, batch):
        """Return a batch of due customers to their pools through the one return-to-pool path.
        Customers another transaction is changing right now are skipped (next night)."""
        ids = [row["id"] for row, __ in batch]
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM res_partner
                WHERE id = ANY(%s) AND pool_state = 'private' AND user_id IS NOT NULL
                  FOR UPDATE SKIP LOCKED""",
                ids,
            )
        )
        partners = self.sudo().browse([row[0] for row in rows])
        partners.invalidate_recordset(["pool_state", "user_id", "pool_id"])
        reasons = {row["id"]: due.reason for row, due in batch}
        partners._wisdom_return_to_pool("reclaim", reclaim_reasons=reasons)
        return partners

    @api.model
    def _wisdom_warn_reclaim(self, warn_rows):
        """One activity per customer for its owner, created in one go."""
        if not warn_rows:
            return
        activity_type = self.env.ref("wisdom_crm_base.mail_activity_type_pool_reclaim")
        model_id = self.env["ir.model"]._get_id("res.partner")
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
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
            ]
        )
        self.sudo().browse([row["id"] for row, __ in warn_rows]).write({"reclaim_warned_at": fields.Datetime.now()})
