"""Write the migration templates and a realistic sample set of historical workbooks.

    python3 -m data.migration.make_samples --customers 300 [--out data/migration/samples] [--seed 13]
    python3 -m data.migration.make_samples --templates [--out data/migration/templates]

The sample set has the mess of real sheets (see addons/wisdom_migration/tools/samples.py): about 14
source rows per customer, so --customers 7000 gives some 100,000 rows for the benchmark. Only the
small set of 20 customers is committed; generate larger ones where you need them.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))


def _addons():
    import odoo.addons

    path = str(ROOT / "addons")
    if path not in odoo.addons.__path__:
        odoo.addons.__path__.append(path)


def write_templates(out):
    """One workbook per mapped sheet: the header row, a line saying what each column takes, an example
    (the accepted sample row that fills the most columns)."""
    _addons()
    from odoo.addons.wisdom_migration.models.wisdom_migration_run import DEFAULT_MAPPING
    from odoo.addons.wisdom_migration.tools import mapping, samples, workbook

    files, manifest = samples.generate(customers=5, seed=1, xls=False)
    examples = {}
    for sheet in mapping.load(DEFAULT_MAPPING.read_bytes(), DEFAULT_MAPPING.name):
        [name] = [n for n in files if sheet.matches_file(n)]
        rows = workbook.read_rows(files[name], name)
        header, positions = sheet.find_header(rows)
        refused = manifest["rejected"].get(sheet.name, {})
        accepted = [
            row
            for number, row in enumerate(rows[header + 1 :], start=header + 2)
            if (mapped := sheet.map_row(number, row, positions)) and mapped.ok and mapped.key not in refused
        ]
        example = max(accepted, key=lambda row: sum(cell not in (None, "") for cell in row))
        examples[sheet.name] = (name, rows[header], example)
    out.mkdir(parents=True, exist_ok=True)
    for sheet in mapping.load(DEFAULT_MAPPING.read_bytes(), DEFAULT_MAPPING.name):
        name, header, example = examples[sheet.name]
        notes = []
        for title in header:
            column = next((c for c in sheet.columns if title in c.titles), None)
            notes.append(
                ""
                if column is None
                else "; ".join(
                    filter(
                        None,
                        [
                            "必填 required" if column.required else "",
                            " → ".join(column.cleaners),
                            f"查找 lookup: {column.lookup}" if column.lookup else "",
                            "可选值: " + "/".join(column.values) if column.values else "",
                            column.note,
                        ],
                    )
                )
            )
        (out / name.split("_", 1)[1]).write_bytes(workbook.write_xlsx([(sheet.name, header, [notes, example])]))
        print(f"template {out / name.split('_', 1)[1]}")


def write_samples(out, customers, seed):
    _addons()
    from odoo.addons.wisdom_migration.tools import samples

    files, manifest = samples.generate(customers=customers, seed=seed)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (out / name).write_bytes(content)
    planted = {
        "rejected": manifest["rejected"],
        "merged": manifest["merged"],
        "blank": manifest["blank"],
    }
    (out / "manifest.json").write_text(json.dumps(planted, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(files)} workbooks for {customers} customers in {out} (planted problems: manifest.json)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--templates", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.templates:
        write_templates(Path(args.out or ROOT / "data" / "migration" / "templates"))
    else:
        write_samples(Path(args.out or ROOT / "data" / "migration" / "samples"), args.customers, args.seed)


if __name__ == "__main__":
    main()
