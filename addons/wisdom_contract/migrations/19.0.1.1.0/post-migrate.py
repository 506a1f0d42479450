"""19.0.1.1.0: stored review findings keep a message code and its parameters instead of an English
and a Chinese text, so that they are worded in the reader's language (any language with a .po file).

The code is the check type (``pass`` for a check that found nothing); the product of a line check is
the part of the English text before ": ". The two text columns are dropped."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'wisdom_review_line' AND column_name = 'message_en'
    """)
    if not cr.fetchone():
        return
    cr.execute("""
        UPDATE wisdom_review_line
           SET message_code = CASE WHEN outcome = 'pass' THEN 'pass' ELSE check_type END,
               message_params = jsonb_build_object(
                   'product', CASE WHEN outcome != 'pass'
                                    AND check_type IN ('price_floor', 'discount_limit', 'nonstandard')
                                   THEN split_part(coalesce(message_en, ''), ': ', 1) ELSE '' END,
                   'observed', observed,
                   'threshold', threshold)
         WHERE message_code IS NULL
    """)
    cr.execute("ALTER TABLE wisdom_review_line DROP COLUMN message_en, DROP COLUMN message_zh")
