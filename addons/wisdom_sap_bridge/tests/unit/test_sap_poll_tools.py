"""SAP's production orders, the endpoint's inbound mapping, the poll's pages and the real margin (pure Python)."""

import unittest
from datetime import date
from decimal import Decimal

from odoo.addons.wisdom_sap_bridge.tools import mes, sap_costing, sap_inbound, sap_poll

PRODUCTION = {
    "production_order_no": "1000100",
    "change_counter": "20260510101500",
    "sales_order_no": "12345",
    "sales_order_item": "000010",
    "status": "REL PCNF",
    "planned_qty": "10",
    "actual_qty": 4,
    "planned_end": "20260520",
    "actual_end": "00000000",
    "currency": "cny",
    "planned_cost": "3500.00",
}


class TestSapProductionTools(unittest.TestCase):
    def test_production_order(self):
        document = sap_inbound.parse_production(PRODUCTION)
        self.assertEqual(document.key, "1000100:20260510101500")
        self.assertEqual(
            (document.status, document.planned_qty, document.actual_qty, document.planned_end, document.actual_end),
            ("partly_confirmed", Decimal(10), Decimal(4), date(2026, 5, 20), None),
        )
        self.assertEqual(
            (document.currency, document.planned_cost, document.actual_cost), ("CNY", Decimal("3500.00"), None)
        )

    def test_malformed_production_orders_name_the_key(self):
        cases = {
            "'change_counter' is missing": {**PRODUCTION, "change_counter": ""},
            "'change_counter' must be a whole number": {**PRODUCTION, "change_counter": "v2"},
            "Give the contract": {**PRODUCTION, "sales_order_no": ""},
            "Unknown production status 'XYZ'": {**PRODUCTION, "status": "XYZ"},
            "'planned_cost' must not be negative": {**PRODUCTION, "planned_cost": "-1"},
            "costs need their currency": {**PRODUCTION, "currency": ""},
            "'planned_end' must be a date": {**PRODUCTION, "planned_end": "20.05.2026"},
        }
        for expected, data in cases.items():
            with self.subTest(expected=expected), self.assertRaisesRegex(sap_inbound.InboundError, expected):
                sap_inbound.parse_production(data)

    def test_endpoint_mapping(self):
        config = sap_inbound.load_config(
            '{"receipt": {"document": "BELNR"}, "production_status_map": {"ZFIN": "closed"}}'
        )
        self.assertEqual((config["receipt"]["document"], config["receipt"]["amount"]), ("BELNR", "amount"))
        self.assertEqual(config["production_status_map"]["ZFIN"], "closed")
        document = sap_inbound.parse_document("production", {**PRODUCTION, "status": "ZFIN"}, config)
        self.assertEqual(document.status, "closed")
        for text, error in (
            ("[]", "JSON object"),
            ("{x", "not valid JSON"),
            ('{"invoice": {}}', "Unknown entries"),
            ('{"receipt": {"amout": "x"}}', "Unknown keys of 'receipt'"),
            ('{"production_status_map": {"ZFIN": "finished"}}', "Unknown statuses"),
        ):
            with self.subTest(text=text), self.assertRaisesRegex(sap_inbound.InboundError, error):
                sap_inbound.load_config(text)


class TestSapPollTools(unittest.TestCase):
    def test_request_and_page(self):
        names = sap_poll.names_from({"changed_since": "IvSince", "reference": "PurchNoC"})
        self.assertEqual(
            sap_poll.build_request("", 50, names), {"IvSince": "0", "MaxRows": 50, "DocumentTypes": "RCPT DLV PROD"}
        )
        reply = {
            "Receipts": {
                "item": [
                    {
                        "DocNo": "1400000001",
                        "Customer": "100234",
                        "Amount": Decimal("10.50"),
                        "Currency": "CNY",
                        "ValueDate": "2026-05-10",
                        "RefDoc": None,
                    }
                ]
            },
            "Deliveries": {
                "item": [
                    {
                        "Delivery": "80000001",
                        "SalesOrder": "12345",
                        "GoodsIssueDate": "2026-05-10",
                        "Items": {"item": [{"RefItem": "000010", "DlvQty": Decimal("4.000")}]},
                    }
                ]
            },
            "ProductionOrders": None,
            "NextChangedSince": "20260510100000",
            "MoreData": "X",
        }
        page = sap_poll.read_page(reply, names, sap_inbound.load_config(""))
        self.assertEqual((page.next_since, page.more), ("20260510100000", True))
        (receipt_op, receipt), (delivery_op, delivery) = page.documents
        self.assertEqual((receipt_op, delivery_op), ("receipt", "delivery"))
        self.assertEqual(sap_inbound.parse_receipt(receipt).amount, Decimal("10.50"))
        self.assertNotIn("contract_ref", receipt)
        self.assertEqual(delivery["items"], [{"order_item": "000010", "quantity": "4.000"}])
        self.assertEqual(sap_inbound.parse_delivery(delivery).lines[0].quantity, Decimal(4))

    def test_polled_rows_take_the_endpoint_keys(self):
        config = sap_inbound.load_config('{"production": {"document": "AUFNR"}}')
        reply = {
            "ProductionOrders": {
                "item": [{"OrderNumber": "1000100", "ChangedAt": "20260510101500", "SalesOrder": "12345"}]
            },
            "NextChangedSince": "0",
        }
        page = sap_poll.read_page(reply, sap_poll.POLL_NAMES, config)
        self.assertEqual(
            page.documents,
            (("production", {"AUFNR": "1000100", "change_counter": "20260510101500", "sales_order_no": "12345"}),),
        )
        self.assertEqual((page.next_since, page.more), ("", False))
        with self.assertRaisesRegex(sap_inbound.InboundError, "not a timestamp"):
            sap_poll.read_page({"NextChangedSince": "2026-05-10"}, sap_poll.POLL_NAMES, config)

    def test_watermark(self):
        self.assertEqual(sap_poll.check_watermark(" 20260510101500 "), "20260510101500")
        self.assertEqual(sap_poll.check_watermark(""), "")
        for bad in ("2026-05-10", "20261310101500", "2026051010150"):
            with self.subTest(bad=bad), self.assertRaises(sap_inbound.InboundError):
                sap_poll.check_watermark(bad)

    def test_mes_progress_page(self):
        config = mes.load_config("")
        page = mes.read_progress_page(
            {"items": [{"orderId": "MO-1"}], "nextChangedSince": "t2", "hasMore": True}, config
        )
        self.assertEqual((page.reports, page.next_since, page.more), (({"orderId": "MO-1"},), "t2", True))
        self.assertFalse(mes.read_progress_page({}, config).more)
        with self.assertRaises(mes.MesError):
            mes.read_progress_page({"items": {"orderId": "MO-1"}}, config)


class TestSapCostingTools(unittest.TestCase):
    def test_real_margin(self):
        estimate_only = sap_costing.LineCost(estimated=1000)
        running = sap_costing.LineCost(estimated=3800, planned=3500, actual=1200, orders=1)
        overrun = sap_costing.LineCost(estimated=3800, planned=3500, actual=3900, orders=1)
        finished = sap_costing.LineCost(estimated=3800, planned=3500, actual=4100.5, orders=1, finished=True)
        self.assertEqual(
            [sap_costing.line_cost(c) for c in (estimate_only, running, overrun, finished)], [1000, 3500, 3900, 4100.5]
        )
        self.assertAlmostEqual(sap_costing.real_margin(2200, [running]), 2500)
        self.assertAlmostEqual(sap_costing.real_margin(2200, [finished, estimate_only]), 1899.5)
        self.assertTrue(sap_costing.finished(["confirmed", "closed", "cancelled"]))
        self.assertFalse(sap_costing.finished(["confirmed", "released"]))
        self.assertFalse(sap_costing.finished(["cancelled"]))
