"""MES's REST mapping, the planned order body and MES's progress reports (pure Python)."""

import unittest
from datetime import date

from odoo.addons.wisdom_sap_bridge.tools import mes

ORDER = mes.ProductionOrder(
    reference="HT-2026-0001",
    contract="HT-2026-0001",
    customer="Grid Co",
    due_date="2026-05-30",
    lines=(mes.OrderLine(line_ref="SOL7", material="MAT-3P-METER", name="Meter", quantity=100),),
)


class TestMesTools(unittest.TestCase):
    def test_order_body_uses_the_mapped_names(self):
        body = mes.build_order(ORDER, mes.load_config('{"fields": {"contract": "soNumber"}}'))
        self.assertEqual(
            (body["externalRef"], body["soNumber"], body["dueDate"]), ("HT-2026-0001",) * 2 + ("2026-05-30",)
        )
        self.assertEqual(
            body["lines"],
            [
                {
                    "lineRef": "SOL7",
                    "material": "MAT-3P-METER",
                    "description": "Meter",
                    "plannedQty": 100,
                    "dueDate": "2026-05-30",
                }
            ],
        )

    def test_line_refs(self):
        self.assertEqual(mes.line_ref(42), "SOL42")
        self.assertEqual(mes.line_id("SOL42"), 42)
        for ref in ("", None, "42", "SOLx", "LINE42"):
            self.assertIsNone(mes.line_id(ref))

    def test_progress(self):
        config = mes.load_config("")
        progress = mes.parse_progress(
            {
                "orderId": "MO-1",
                "status": "in_progress",
                "lines": [
                    {"lineRef": "SOL7", "plannedQty": "100", "reportedQty": 40, "plannedEnd": "20260520"},
                    {"lineRef": "SOL8", "reportedAt": "2026-05-10T08:00:00"},
                ],
            },
            config,
        )
        self.assertEqual((progress.order_id, progress.status), ("MO-1", "in_progress"))
        first, second = progress.lines
        self.assertEqual((first.planned_qty, first.reported_qty, first.planned_end), (100.0, 40.0, date(2026, 5, 20)))
        self.assertIsNone(first.reported_at)
        self.assertEqual((second.reported_qty, second.reported_at), (None, date(2026, 5, 10)))
        for body, reason in (
            ("x", "JSON object"),
            ({"status": "DONE"}, "orderId"),
            ({"orderId": "M", "status": "WEIRD"}, "Unknown MES status"),
            ({"orderId": "M", "lines": {"a": 1}}, "list of objects"),
            ({"orderId": "M", "lines": [{"reportedQty": "many"}]}, "number"),
            ({"orderId": "M", "lines": [{"reportedAt": "10.05.2026"}]}, "date"),
        ):
            with self.subTest(body=body), self.assertRaisesRegex(mes.MesError, reason):
                mes.parse_progress(body, config)

    def test_bad_mapping(self):
        with self.assertRaisesRegex(mes.MesError, "finished"):
            mes.load_config('{"status_map": {"X": "finished"}}')
        with self.assertRaisesRegex(mes.MesError, "JSON"):
            mes.load_config("{")
