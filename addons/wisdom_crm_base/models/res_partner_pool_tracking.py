import json

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

# Columns of mail_tracking_value that tracking values fill, with their SQL types
TRACKING_COLUMNS = {
    "mail_message_id": "int",
    "field_id": "int",
    "currency_id": "int",
    "field_info": "jsonb",
    "old_value_integer": "int",
    "new_value_integer": "int",
    "old_value_float": "float8",
    "new_value_float": "float8",
    "old_value_char": "varchar",
    "new_value_char": "varchar",
    "old_value_text": "text",
    "new_value_text": "text",
    "old_value_datetime": "timestamp",
    "new_value_datetime": "timestamp",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # CHATTER OF POOL MOVES: one write, one tracking message per customer, created together

    def _wisdom_move_write(self, vals):
        """Write ``vals`` on these customers at once; the chatter tracking of the move is written as
        one message per customer, all created together (Odoo's own tracking and the assignment
        notification work record by record: 500 mails for a batch of 500)."""
        tracked = []
        if not self.env.context.get("tracking_disable"):
            tracked = [fname for fname in self._track_get_fields() if fname in vals]
        initial = {partner.id: {fname: partner[fname] for fname in tracked} for partner in self}
        self.with_context(tracking_disable=True).write(vals)
        if tracked:
            self._wisdom_post_tracking(initial, tracked)
        if vals.get("user_id"):
            self._wisdom_subscribe(self.env["res.users"].browse(vals["user_id"]).partner_id)

    def _wisdom_subscribe(self, partner):
        """The new owner follows the customers (as Odoo's auto-subscription does), in two statements."""
        if not partner:
            return
        self.env["mail.followers"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """INSERT INTO mail_followers (res_model, res_id, partner_id)
               SELECT %s, unnest(%s::int[]), %s
            ON CONFLICT (res_model, res_id, partner_id) DO NOTHING
            RETURNING id""",
                self._name,
                self.ids,
                partner.id,
            )
        )
        subtype_ids = self.env["mail.message.subtype"]._default_subtypes(self._name)[0]
        if rows and subtype_ids:
            self.env.execute_query(
                SQL(
                    """INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
                   SELECT f, s FROM unnest(%s::int[]) AS f CROSS JOIN unnest(%s::int[]) AS s""",
                    [row[0] for row in rows],
                    subtype_ids,
                )
            )
        self.env["mail.followers"].invalidate_model()
        self.invalidate_recordset(["message_follower_ids", "message_partner_ids"])

    def _wisdom_post_tracking(self, initial, fnames):
        """One tracking note per changed customer, as Odoo writes it (a notification with tracking
        values), inserted in two statements: the ORM creates messages one by one."""
        info = self.fields_get(fnames, attributes=("string", "type", "selection", "currency_field"))
        Tracking = self.env["mail.tracking.value"]
        changes = {}
        for partner in self:
            changed = [fname for fname in fnames if initial[partner.id][fname] != partner[fname]]
            if changed:
                changes[partner.id] = [
                    Tracking._create_tracking_values(
                        initial[partner.id][fname], partner[fname], fname, info[fname], partner
                    )
                    for fname in changed
                ]
        if not changes:
            return
        author_id, email_from = self._message_compute_author()
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=email_from, author_id=author_id)[False]
        now = fields.Datetime.now()
        rows = self.env.execute_query(
            SQL(
                """INSERT INTO mail_message (model, res_id, message_id, author_id, email_from, reply_to, message_type,
                                         is_internal, subtype_id, body, email_add_signature, date,
                                         create_uid, create_date, write_uid, write_date)
               SELECT %(model)s, v.res_id, v.message_id, %(author)s, %(email_from)s, %(reply_to)s, 'notification',
                      TRUE, %(subtype)s, '', FALSE, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM unnest(%(res_ids)s::int[], %(message_ids)s::varchar[]) AS v(res_id, message_id)
            RETURNING id, res_id""",
                model=self._name,
                author=author_id or None,
                email_from=email_from or None,
                reply_to=reply_to or None,
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                now=now,
                uid=self.env.uid,
                res_ids=list(changes),
                message_ids=[generate_tracking_message_id("message-notify") for __ in changes],
            )
        )
        values = [dict(vals, mail_message_id=message_id) for message_id, res_id in rows for vals in changes[res_id]]
        columns = sorted({column for vals in values for column in vals} & TRACKING_COLUMNS.keys())
        self.env.execute_query(
            SQL(
                """INSERT INTO mail_tracking_value (%(columns)s, create_uid, create_date, write_uid, write_date)
               SELECT %(columns)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM jsonb_to_recordset(%(values)s::jsonb) AS v(%(types)s)""",
                columns=SQL(", ").join(SQL.identifier(column) for column in columns),
                types=SQL(", ").join(
                    SQL("%s %s", SQL.identifier(column), SQL(TRACKING_COLUMNS[column])) for column in columns
                ),
                values=json.dumps(
                    [{column: self._wisdom_sql_value(vals.get(column)) for column in columns} for vals in values],
                    default=str,
                ),
                uid=self.env.uid,
                now=now,
            )
        )
        self.env["mail.message"].invalidate_model()
        self.invalidate_recordset(["message_ids"])

    @api.model
    def _wisdom_sql_value(self, value):
        return None if value is False else value
