from odoo import models

REFUND_TYPES = ("out_refund", "in_refund")
# where a run keeps the formats it found, beside Odoo's own numbering cache (both end with the transaction)
SEQUENCE_FORMATS = "wisdom_migration.sequence_formats"


class AccountMove(models.Model):
    _inherit = "account.move"

    def _get_next_sequence_format(self):
        """A migration run numbers tens of thousands of historical entries in one transaction. For each
        entry Odoo looks up a reference entry and the last number of the journal's period (two queries,
        about 4 ms) only to learn the number's format: once the transaction holds the period's numbering
        (Odoo's own sequence cache), the next number comes from that cache whatever last number was read.
        Here the format found for a journal's numbering period (year, fiscal year or month, as Odoo
        deduces it) and kind of entry is remembered for the rest of the run and reused while Odoo's cache
        holds that period; otherwise Odoo looks it up as always. The entries get the names Odoo gives
        them (test_migration_numbering)."""
        journal = self.journal_id
        if not self.env.context.get("wisdom_migration") or not self.date or not journal or journal.is_self_billing:
            return super()._get_next_sequence_format()
        formats = self.env.cr.precommit.data.setdefault(SEQUENCE_FORMATS, {})
        periods = formats.setdefault(
            (
                journal.id,
                bool(journal.refund_sequence and self.move_type in REFUND_TYPES),
                bool(journal.payment_sequence and (self.origin_payment_id or self.env.context.get("is_payment"))),
            ),
            [],
        )
        known = next((period for period in periods if period[0] <= self.date <= period[1]), None)
        if known:
            __, __, format_string, values = known
            numbering = (
                format_string.format(**dict(values, seq=0)),
                self._sequence_index and self[self._sequence_index],
            )
            if numbering in self._get_sequence_cache():
                return format_string, dict(values)
            periods.remove(known)
        format_string, values = super()._get_next_sequence_format()
        reset = self._deduce_sequence_number_reset(format_string.format(**values))
        start, end, *__ = self._get_sequence_date_range(reset)
        periods.append((start, end, format_string, dict(values)))
        return format_string, values
