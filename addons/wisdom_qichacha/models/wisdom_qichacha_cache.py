import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

DEFAULT_CACHE_DAYS = 30


class WisdomQichachaCache(models.Model):
    """Answers of Qichacha kept in the database (every call is billed), plus the client's
    back-off and 110 locks, so that they survive restarts and are shared by all workers."""

    _name = "wisdom.qichacha.cache"
    _description = "Qichacha Cache"
    _order = "expires_at desc"
    _rec_name = "key"

    key = fields.Char(required=True, readonly=True)
    value = fields.Text(readonly=True, help="JSON answer")
    expires_at = fields.Datetime(required=True, readonly=True, index=True)

    _key_unique = models.UniqueIndex("(key)", "One cache entry per query.")

    @api.model
    def _wisdom_cache_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("wisdom_qichacha.cache_days", DEFAULT_CACHE_DAYS)
        try:
            return max(int(value), 0)
        except ValueError:
            return DEFAULT_CACHE_DAYS

    @api.model
    def _wisdom_gc(self):
        self.sudo().search([("expires_at", "<", fields.Datetime.now())]).unlink()


class DbCache:
    """The client's cache interface (``get``/``set``) on ``wisdom.qichacha.cache``."""

    def __init__(self, env):
        self.env = env

    def get(self, key):
        self.env.cr.execute(
            SQL(
                "SELECT value FROM wisdom_qichacha_cache WHERE key = %s AND expires_at > %s", key, fields.Datetime.now()
            )
        )
        row = self.env.cr.fetchone()
        return json.loads(row[0]) if row and row[0] is not None else None

    def set(self, key, value, seconds):
        if seconds <= 0:
            return
        expires = fields.Datetime.now() + timedelta(seconds=seconds)
        self.env.cr.execute(
            SQL(
                """INSERT INTO wisdom_qichacha_cache
                      (key, value, expires_at, create_uid, create_date, write_uid, write_date)
               VALUES (%(key)s, %(value)s, %(expires)s, %(uid)s, now() at time zone 'UTC', %(uid)s,
                       now() at time zone 'UTC')
               ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at,
                                                write_date = EXCLUDED.write_date""",
                key=key,
                value=json.dumps(value, ensure_ascii=False),
                expires=expires,
                uid=self.env.uid,
            )
        )
        self.env["wisdom.qichacha.cache"].invalidate_model()
