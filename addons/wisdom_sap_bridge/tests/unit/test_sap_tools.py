"""SAP requests, BAPIRET2 answers and the zeep client against the fake SAP (pure Python)."""

import unittest
from decimal import Decimal

import requests

from odoo.addons.wisdom_sap_bridge.tests.fake_sap import SERVICE_PATH, FakeSap
from odoo.addons.wisdom_sap_bridge.tools import sap

ORDER = sap.SalesOrder(
    reference="HT-BZ-2026-0007",
    customer_number="0000100234",
    currency="CNY",
    reference_date="2026-03-01",
    requested_date="2026-04-01",
    lines=(sap.OrderLine("MAT-1", 10, 600.0, "Three-phase meter"), sap.OrderLine("MAT-2", 2.5, 99.999, "C" * 50)),
)


class TestRequests(unittest.TestCase):
    def test_order_request_in_camel_case_with_constants(self):
        request = sap.build_order_request(ORDER)
        self.assertEqual(
            request["OrderHeaderIn"],
            {
                "DocType": "ZOR",
                "SalesOrg": "1000",
                "DistrChan": "10",
                "Division": "00",
                "PurchNoC": "HT-BZ-2026-0007",
                "PurchDate": "2026-03-01",
                "ReqDateH": "2026-04-01",
                "Currency": "CNY",
            },
        )
        self.assertEqual(request["OrderPartners"], {"item": [{"PartnRole": "AG", "PartnNumb": "0000100234"}]})
        items = request["OrderItemsIn"]["item"]
        self.assertEqual([i["ItmNumber"] for i in items], ["000010", "000020"])
        self.assertEqual(len(items[1]["ShortText"]), 40, "cut to the SAP field length")
        self.assertEqual(str(request["OrderConditionsIn"]["item"][1]["CondValue"]), "100.00")
        self.assertEqual(
            request["OrderSchedulesIn"]["item"][0],
            {"ItmNumber": "000010", "ReqDate": "2026-04-01", "ReqQty": Decimal("10.000")},
        )

    def test_field_map_renames_and_constants_override(self):
        mapping = sap.mapping_from('{"reference": "Bstkd", "header": "Header"}', '{"header": {"DocType": "TA"}}')
        request = sap.build_order_request(ORDER, mapping)
        self.assertEqual(request["Header"]["Bstkd"], "HT-BZ-2026-0007")
        self.assertEqual(request["Header"]["DocType"], "TA")
        self.assertEqual(sap.build_find_request("HT-1", mapping), {"Bstkd": "HT-1"})

    def test_bad_maps_are_refused(self):
        for args in (("[1]",), ("{",), ("", "", '{"E": "boom"}')):
            with self.subTest(args=args), self.assertRaises(sap.BadConfiguration):
                sap.mapping_from(*args)

    def test_customer_request_splits_long_names(self):
        request = sap.build_customer_request(
            sap.Customer(name="长沙" * 25, tax_number="91430100MA4L0K7C0W", search_term="C00042")
        )
        data = request["CustomerData"]
        self.assertEqual((len(data["Name"]), len(data["Name2"])), (40, 10))
        self.assertEqual((data["AccountGroup"], data["TaxNumber"]), ("KUNA", "91430100MA4L0K7C0W"))
        self.assertNotIn("Customer", data)


class TestReturn(unittest.TestCase):
    def reply(self, rows, number=""):
        return {
            "Return": {"item": [{"Type": t, "Id": "V1", "Number": "311", "Message": m} for t, m in rows]},
            "Salesdocument": number,
        }

    def test_success_returns_the_number(self):
        self.assertEqual(
            sap.check_reply(self.reply([("S", "saved"), ("W", "check")], "0000004711"), "document"), "0000004711"
        )

    def test_error_and_abort_refuse(self):
        for kind in ("E", "A"):
            with self.subTest(kind=kind), self.assertRaises(sap.SapBusinessError) as caught:
                sap.check_reply(self.reply([("S", "ok"), (kind, "no sold-to party")], "0000004711"), "document")
            self.assertEqual(caught.exception.message, f"{kind} V1 311: no sold-to party")

    def test_no_number_refuses(self):
        with self.assertRaisesRegex(sap.SapBusinessError, "no document number"):
            sap.check_reply(self.reply([("S", "ok")]), "document")

    def test_status_map_decides(self):
        mapping = sap.mapping_from("", "", '{"W": "error"}')
        with self.assertRaises(sap.SapBusinessError):
            sap.check_reply(self.reply([("W", "credit limit")], "1"), "document", mapping)


class TestClientOverTheWire(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeSap("U", "P").__enter__()
        cls.addClassCleanup(cls.fake.__exit__, None, None, None)

    def setUp(self):
        super().setUp()
        self.fake.reset()
        session = requests.Session()
        session.auth = ("U", "P")
        self.client = sap.SapClient(self.fake.url + SERVICE_PATH, session=session, timeout=2)

    def create_order(self):
        return self.client.call("ZWisdomSalesorderCreate", **sap.build_order_request(ORDER))

    def test_success_and_lookup(self):
        number = sap.check_reply(self.create_order(), "document")
        self.assertEqual(self.fake.orders, {"HT-BZ-2026-0007": number})
        found = self.client.call("ZWisdomSalesorderFind", **sap.build_find_request("HT-BZ-2026-0007"))
        self.assertEqual(found["Salesdocument"], number)
        missing = self.client.call("ZWisdomSalesorderFind", **sap.build_find_request("HT-NONE"))
        self.assertFalse(missing["Salesdocument"])
        self.assertIn(b"urn:sap-com:document:sap:soap:functions:mc-style", self.fake.requests[0].body)

    def test_failures_are_typed(self):
        cases = [
            ("fault", sap.SapUnavailable, 500),
            ("unauthorized", sap.SapAuthError, 401),
            ("lost", sap.SapUnavailable, None),
            ("timeout", sap.SapUnavailable, None),
        ]
        self.fake.stall = 2.5
        for mode, error_class, status in cases:
            self.fake.next_create(mode)
            with self.subTest(mode=mode), self.assertRaises(error_class) as caught:
                self.create_order()
            self.assertEqual(caught.exception.http_status, status)
        self.fake.next_create("error")
        with self.assertRaises(sap.SapBusinessError):
            sap.check_reply(self.create_order(), "document")
        self.assertEqual(len(self.fake.created), 2, "the lost and the late replies were created")

    def test_http_5xx_without_body(self):
        self.fake.fail_next(1, status=503)
        with self.assertRaises(sap.SapUnavailable) as caught:
            self.create_order()
        self.assertEqual(caught.exception.http_status, 503)

    def test_unknown_operation_is_a_configuration_error(self):
        with self.assertRaises(sap.BadConfiguration):
            self.client.call("ZDoesNotExist")
