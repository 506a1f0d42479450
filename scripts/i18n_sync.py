#!/usr/bin/env python3
"""Refresh an addon's i18n/zh_CN.po from a database where the addon is installed (and up to date).

    python3 scripts/i18n_sync.py --db wisdom_dev --module wisdom_crm_base [--translations new.json]

Exports every term of the module (model fields, selections, views, menus, code strings) with the
right references, keeps each translation already in the .po file, fills empty ones from the JSON
file (``{"English source": "中文"}``), drops terms already written in Chinese (demo records), and
lists the terms still untranslated. The .po file is
rewritten under an exclusive lock so that two developers refreshing the same addon do not
overwrite each other's translations.
"""

import argparse
import fcntl
import io
import json
import re
import sys
from pathlib import Path

import polib

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

ROOT = Path(__file__).resolve().parent.parent


def export_terms(db, module, conf):
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools.translate import trans_export

    odoo.tools.config.parse_config(["-c", str(conf), "-d", db])
    registry = Registry(db)
    buffer = io.BytesIO()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        trans_export("zh_CN", [module], buffer, "po", env)
    return polib.pofile(buffer.getvalue().decode())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--module", required=True)
    parser.add_argument("--translations", help="JSON file mapping English source to Chinese")
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument(
        "--only",
        help="regular expression on term references (e.g. 'db_backup'): add or update only the matching terms "
        "and leave every other entry of the .po file as it is (for a change made beside other work in progress)",
    )
    args = parser.parse_args()

    extra = json.loads(Path(args.translations).read_text(encoding="utf-8")) if args.translations else {}
    exported = export_terms(args.db, args.module, args.conf)
    po_path = ROOT / "addons" / args.module / "i18n" / "zh_CN.po"
    po_path.parent.mkdir(parents=True, exist_ok=True)
    po_path.touch()
    with po_path.open("r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        current = polib.pofile(handle.read()) if po_path.stat().st_size else polib.POFile()
        known = {entry.msgid: entry.msgstr for entry in current if entry.msgstr}
        if args.only:
            return merge_only(current, exported, re.compile(args.only), extra, handle, po_path)
        missing = []
        # Demo and data records written in Chinese need no translation.
        for entry in [entry for entry in exported if CJK.search(entry.msgid)]:
            exported.remove(entry)
        for entry in exported:
            entry.msgstr = entry.msgstr or known.get(entry.msgid) or extra.get(entry.msgid, "")
            if not entry.msgstr:
                missing.append(entry.msgid)
        exported.metadata.update({"Language": "zh_CN", "Content-Type": "text/plain; charset=UTF-8"})
        return rewrite(handle, exported, po_path, f"{len(exported)} terms", missing)


def rewrite(handle, po, po_path, what, missing):
    """Write ``po`` over the locked file and list what is still untranslated (exit status 1 if any)."""
    handle.seek(0)
    handle.truncate()
    handle.write(str(po))
    print(f"{po_path.relative_to(ROOT)}: {what}, {len(missing)} untranslated")
    for msgid in missing:
        print(f"  untranslated: {msgid!r}")
    return 1 if missing else 0


def merge_only(current, exported, pattern, extra, handle, po_path):
    """Add or update the exported terms whose references match ``pattern``; keep the rest of ``current``."""
    by_msgid = {entry.msgid: entry for entry in current}
    missing = []
    touched = 0
    for entry in exported:
        if CJK.search(entry.msgid) or not any(pattern.search(ref) for ref, _line in entry.occurrences):
            continue
        touched += 1
        existing = by_msgid.get(entry.msgid)
        if existing is None:
            entry.msgstr = extra.get(entry.msgid, "")
            current.append(entry)
            existing = entry
        else:
            for occurrence in entry.occurrences:
                if occurrence not in existing.occurrences:
                    existing.occurrences.append(occurrence)
            existing.msgstr = existing.msgstr or extra.get(entry.msgid, "")
        if not existing.msgstr:
            missing.append(entry.msgid)
    current.sort(key=lambda entry: entry.msgid)
    return rewrite(handle, current, po_path, f"{touched} matching terms", missing)


if __name__ == "__main__":
    sys.exit(main())
