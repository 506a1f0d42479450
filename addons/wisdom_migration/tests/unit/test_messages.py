"""The reason codes the migration raises, their English wording (``tools.messages.MESSAGES``) and
their wording for Odoo's translations (``models/migration_messages.py``) stay in step."""

import ast
import re
import unittest
from pathlib import Path

from odoo.addons.wisdom_migration.tools import cleaners, mapping, messages, reconcile, report
from odoo.addons.wisdom_migration.tools.cleaners import CleanError

ADDON = Path(__file__).resolve().parents[2]
CREDIT_CODE_TOOLS = ADDON.parent / "wisdom_crm_base" / "tools" / "credit_code.py"
SOURCES = [
    path
    for folder in ("tools", "models", "wizards")
    for path in sorted((ADDON / folder).glob("*.py"))
    if path.name not in ("messages.py", "migration_messages.py")
]
# (callable name, position of the reason code, position of the parameters)
RAISERS = {"CleanError": (0, 1), "Problem": (0, 1), "RowError": (1, 2), "reject": (1, 2)}
PASS_THROUGH = {"reason"}  # the raisers hand on a code they were given: ``reason`` / ``error.reason``
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _name(node):
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def raised_codes():
    """{code: [(file:line, parameter names or None when not a dict literal)]} of every raiser call."""
    found = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _name(node.func) not in RAISERS:
                continue
            code_at, params_at = RAISERS[_name(node.func)]
            if len(node.args) <= code_at:
                continue
            code = node.args[code_at]
            params = node.args[params_at] if len(node.args) > params_at else None
            keys = {key.value for key in params.keys} if isinstance(params, ast.Dict) else None if params else set()
            where = f"{path.name}:{node.lineno}"
            if isinstance(code, ast.Constant):
                codes = [code.value]
            elif isinstance(code, ast.IfExp) and all(
                isinstance(part, ast.Constant) for part in (code.body, code.orelse)
            ):
                codes = [code.body.value, code.orelse.value]
            elif _name(code) in PASS_THROUGH:
                continue
            else:
                raise AssertionError(f"{where}: the reason code must be a literal (or a literal if/else)")
            for value in codes:
                found.setdefault(value, []).append((where, keys))
    return found


def odoo_templates(function):
    """{key: English source string} of a function of models/migration_messages.py that returns a dict
    of ``env._("…")`` calls (or of lambdas calling ``env._("…", **p)``)."""
    tree = ast.parse((ADDON / "models" / "migration_messages.py").read_text(encoding="utf-8"))
    definition = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == function)
    returned = next(node for node in ast.walk(definition) if isinstance(node, ast.Return))
    result = {}
    for key, value in zip(returned.value.keys, returned.value.values, strict=True):
        call = value.body if isinstance(value, ast.Lambda) else value
        assert isinstance(call, ast.Call) and _name(call.func) == "_", f"{key.value}: not an env._() call"
        assert isinstance(call.args[0], ast.Constant), f"{key.value}: env._() of a literal"
        result[key.value] = call.args[0].value
    return result


class TestMessageCatalogue(unittest.TestCase):
    def test_every_raised_code_has_a_message_and_vice_versa(self):
        raised = raised_codes()
        self.assertEqual(set(raised) - set(messages.MESSAGES), set(), "codes raised without a message")
        self.assertEqual(set(messages.MESSAGES) - set(raised), set(), "messages of codes nothing raises")

    def test_parameters_fill_the_templates(self):
        for code, places in raised_codes().items():
            wanted = set(PLACEHOLDER.findall(messages.MESSAGES[code]))
            for where, keys in places:
                if keys is not None:
                    with self.subTest(code=code, where=where):
                        self.assertEqual(keys, wanted)

    def test_odoo_renderings_match_the_catalogue(self):
        self.assertEqual(odoo_templates("message_renderers"), messages.MESSAGES)

    def test_odoo_report_labels_match(self):
        self.assertEqual(odoo_templates("report_labels"), report.LABELS)

    def test_credit_code_reasons_all_worded(self):
        tree = ast.parse(CREDIT_CODE_TOOLS.read_text(encoding="utf-8"))
        reasons = {
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _name(node.func) == "CreditCodeError" and node.args
        }
        self.assertEqual({f"credit_code_{reason}" for reason in reasons} - set(messages.MESSAGES), set())


class TestEnglishMessages(unittest.TestCase):
    def test_clean_error_carries_code_params_and_english(self):
        with self.assertRaises(CleanError) as caught:
            cleaners.to_date("明天")
        error = caught.exception
        self.assertEqual(error.reason, "date_format")
        self.assertEqual(error.params, {"value": "明天"})
        self.assertEqual(str(error), "'明天' is not a date")
        with self.assertRaises(CleanError) as caught:
            cleaners.percent("150")
        self.assertEqual(str(caught.exception), "150 is not between 0 and 100 %")

    def test_credit_code_parameters(self):
        with self.assertRaises(CleanError) as caught:
            cleaners.credit_code("91430100MA4L0000")
        self.assertEqual(caught.exception.params, {"value": "91430100MA4L0000", "length": "16"})

    def test_rows_carry_problems(self):
        row = mapping.MappedRow("s", 3, raw={})
        row.reject("金额", "line_amount_mismatch", {"quantity": 2, "price": 5, "computed": 10, "amount": 11})
        row.reject("金额", "required")  # the first problem of a cell stays
        reason, params = row.errors["金额"]
        self.assertEqual((reason, params), ("line_amount_mismatch", row.errors["金额"].params))
        self.assertEqual(row.errors["金额"].message, "2 × 5 = 10, not 11")

    def test_render_falls_back_on_the_code(self):
        self.assertEqual(messages.render("required"), "a value is required")
        self.assertEqual(messages.render("nope", {"a": 1}), "nope: a=1")
        self.assertEqual(messages.render("date_format", {}), "date_format")
        self.assertEqual(
            messages.render("date_format", {"value": "x"}, {"date_format": "%(value)s 不是日期"}), "x 不是日期"
        )

    def test_failures_in_english(self):
        result = reconcile.Reconciliation()
        result.compare("customers", "1", "name", "a", "b", "char")
        result.add_money("contract", 1, "contracts", 10, 11)
        self.assertEqual(
            result.failures(),
            ["Field accuracy 0.000 % is below 99.9 %.", "1 money totals differ between source and database."],
        )
        self.assertEqual([p.reason for p in result.failure_problems()], ["accuracy_below", "money_differs"])
