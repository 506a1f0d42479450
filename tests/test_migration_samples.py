"""The committed migration templates and sample set are what data/migration/make_samples.py writes
from the shipped mapping and generator (regenerate them after changing either)."""

import io
import json
from pathlib import Path

import openpyxl

from data.migration import make_samples

ROOT = Path(__file__).resolve().parent.parent
MIGRATION = ROOT / "data" / "migration"


def cells(content):
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_templates_are_current(tmp_path):
    make_samples.write_templates(tmp_path)
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(path.name for path in (MIGRATION / "templates").iterdir())
    for name in written:
        assert cells((MIGRATION / "templates" / name).read_bytes()) == cells((tmp_path / name).read_bytes()), name
    header, notes, example = cells((tmp_path / "发票台账.xlsx").read_bytes())
    assert header == ("发票号码", "客户名称", "合同编号", "行号", "物料编码", "开票日期", "价税合计")
    assert notes[3].startswith("integer; 开票的合同明细行号") and notes[4].startswith("code; 开票的物料")
    assert example[3] and example[4], "the example invoices one contract line"


def test_sample_set_is_current(tmp_path):
    make_samples.write_samples(tmp_path, customers=20, seed=13)
    committed = MIGRATION / "samples"
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in committed.iterdir())
    assert json.loads((committed / "manifest.json").read_text()) == json.loads((tmp_path / "manifest.json").read_text())
    for path in tmp_path.glob("*.xlsx"):
        assert cells((committed / path.name).read_bytes()) == cells(path.read_bytes()), path.name
    assert (committed / "02_联系人.xls").read_bytes() == (tmp_path / "02_联系人.xls").read_bytes()
    manifest = json.loads((committed / "manifest.json").read_text())
    assert len(manifest["rejected"]["invoices"]) >= 2, "a wrong line number and a wrong material code"
