import base64
import io
import re
from types import SimpleNamespace

import openpyxl

from odoo.tests import new_test_user

from odoo.addons.wisdom_migration.models.migration_messages import message_renderers, renderer
from odoo.addons.wisdom_migration.tools import messages, reconcile

from .common import MigrationCase

CJK = re.compile(r"[\u4e00-\u9fff]")


class TestMigrationLanguage(MigrationCase):
    """The reject workbook, the form's summary and why a run failed speak the language of the user
    who started the run."""

    SAMPLE_CUSTOMERS = 12
    SEED = 10  # plants a refused contract (total_mismatch) and a refused line (product_unknown)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        groups = "base.group_user,wisdom_crm_base.group_wisdom_contract_admin"
        cls.users = {
            lang: new_test_user(cls.env, login=f"t_mig_lang_{lang}", groups=groups, lang=lang)
            for lang in ("zh_CN", "en_US")
        }
        cls.loader = cls.load()

    def _run(self, lang, loader=None):
        run = self.env["wisdom.migration.run"].with_user(self.users[lang]).create({"name": lang})
        run._wisdom_store_results(loader or self.loader)
        run.invalidate_recordset()
        return run

    def _rejects(self, run):
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(run.reject_file)))
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}

    def test_every_code_renders_in_english_as_the_catalogue(self):
        render = renderer(self.env(context=dict(self.env.context, lang="en_US")))
        self.assertEqual(set(message_renderers(self.env)), set(messages.MESSAGES))
        for code, template in messages.MESSAGES.items():
            params = {name: f"<{name}>" for name in re.findall(r"%\((\w+)\)s", template)}
            with self.subTest(code=code):
                self.assertEqual(render(code, params), messages.render(code, params))

    def test_every_code_renders_in_chinese(self):
        render = renderer(self.env(context=dict(self.env.context, lang="zh_CN")))
        for code, template in messages.MESSAGES.items():
            params = {name: "X" for name in re.findall(r"%\((\w+)\)s", template)}
            with self.subTest(code=code):
                self.assertRegex(render(code, params), CJK, "translated in i18n/zh_CN.po")

    def test_reject_workbook_and_summary_in_the_starters_language(self):
        planted = self.manifest["rejected"]
        self.assertTrue(planted)
        zh, en = self._run("zh_CN"), self._run("en_US")
        zh_book, en_book = self._rejects(zh), self._rejects(en)
        self.assertEqual(set(zh_book), set(en_book))
        for sheet, keys in planted.items():
            zh_lines, en_lines = zh_book[sheet], en_book[sheet]
            self.assertEqual(zh_lines[0][-3:], ("列", "原因", "说明"))
            self.assertEqual(en_lines[0][-3:], ("Column", "Reason", "Message"))
            self.assertEqual(zh_lines[0][:3], ("文件", "行号", "键值"))
            for key, reason in keys.items():
                zh_line = next(line for line in zh_lines[1:] if line[2] == key)
                en_line = next(line for line in en_lines[1:] if line[2] == key)
                self.assertEqual((zh_line[-2], en_line[-2]), (reason, reason), "the reason code stays")
                self.assertRegex(zh_line[-1], CJK, f"{sheet} {key}: Chinese message")
                self.assertNotRegex(en_line[-1], CJK, f"{sheet} {key}: English message")
                row = next(row for row in self.loader.rows[sheet] if row.key == key)
                problem = next(p for p in row.errors.values() if p.reason == reason)
                self.assertEqual(en_line[-1], problem.message)
                self.assertIn(zh_line[-1], zh.summary_html, "the summary quotes an example per reason")
                self.assertIn(en_line[-1].replace("'", "&#39;"), en.summary_html)
        self.assertIn("示例", zh.summary_html)
        self.assertIn("Example", en.summary_html)
        zh_report = openpyxl.load_workbook(io.BytesIO(base64.b64decode(zh.report_file)))
        self.assertIn("按合同金额", zh_report.sheetnames)
        en_report = openpyxl.load_workbook(io.BytesIO(base64.b64decode(en.report_file)))
        self.assertIn("Money by contract", en_report.sheetnames)

    def test_failure_reasons_in_the_starters_language(self):
        result = reconcile.Reconciliation()
        result.compare("customers", "1", "name", "a", "b", "char")
        result.add_money("contract", 1, "contracts", 10, 11)
        failing = SimpleNamespace(
            reconciliation=result, tally={}, labels={}, rows={}, sheets=[], merges=[], review=[], notes=[]
        )
        zh, en = self._run("zh_CN", failing), self._run("en_US", failing)
        self.assertEqual((zh.state, en.state), ("failed", "failed"))
        self.assertEqual(
            zh.failure_reasons, "字段准确率 0.000 % 低于 99.9 %。\n1 个金额合计在源数据与数据库之间不一致。"
        )
        self.assertEqual(en.failure_reasons, "\n".join(result.failures()))
        self.assertEqual(self._rejects(zh), {"拒绝": [("没有被拒绝的行",)]})
