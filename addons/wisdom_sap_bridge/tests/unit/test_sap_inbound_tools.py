"""What SAP pushes: receipts and deliveries read from JSON, SAP's number spellings (pure Python)."""

import unittest
from datetime import date
from decimal import Decimal

from odoo.addons.wisdom_sap_bridge.tools import sap_inbound

RECEIPT = {
    "document_no": "1400000123",
    "customer_no": "100234",
    "amount": "1800.50",
    "currency": "cny",
    "value_date": "20260310",
    "contract_ref": "0000012345",
}


class TestSapInboundTools(unittest.TestCase):
    def test_receipt(self):
        receipt = sap_inbound.parse_receipt(RECEIPT)
        self.assertEqual(
            receipt,
            sap_inbound.Receipt(
                document="1400000123",
                customer_no="100234",
                customer_id=0,
                amount=Decimal("1800.50"),
                currency="CNY",
                value_date=date(2026, 3, 10),
                contract="0000012345",
            ),
        )
        self.assertEqual(receipt.key, "2026/1400000123")
        other = sap_inbound.parse_receipt({**RECEIPT, "company_code": "1000", "fiscal_year": "2025"})
        self.assertEqual(other.key, "1000/2025/1400000123")
        by_id = sap_inbound.parse_receipt({**RECEIPT, "customer_no": None, "crm_customer_id": 42, "amount": 99})
        self.assertEqual((by_id.customer_id, by_id.amount), (42, Decimal(99)))

    def test_malformed_receipts_name_the_key(self):
        cases = {
            "document_no": {**RECEIPT, "document_no": ""},
            "customer": {**RECEIPT, "customer_no": ""},
            "'amount' is missing": {k: v for k, v in RECEIPT.items() if k != "amount"},
            "'amount' must be a number": {**RECEIPT, "amount": "12,5"},
            "'amount' must be above zero": {**RECEIPT, "amount": -3},
            "'currency'": {**RECEIPT, "currency": "RMB1"},
            "'value_date'": {**RECEIPT, "value_date": "10.03.2026"},
            "'crm_customer_id'": {**RECEIPT, "customer_no": "", "crm_customer_id": "abc"},
            "longer than": {**RECEIPT, "document_no": "9" * 41},
        }
        for expected, data in cases.items():
            with self.assertRaisesRegex(sap_inbound.InboundError, expected):
                sap_inbound.parse_receipt(data)
        for bad in (True, 1.5e400, {"x": 1}):
            with self.assertRaises(sap_inbound.InboundError):
                sap_inbound.parse_receipt({**RECEIPT, "amount": bad})

    def test_keys_of_another_installation(self):
        data = {"BELNR": "1400000999", "KUNNR": "0000100234", "WRBTR": 10, "WAERS": "USD", "VALUT": "2026-03-10"}
        keys = {
            "document": "BELNR",
            "customer_no": "KUNNR",
            "amount": "WRBTR",
            "currency": "WAERS",
            "value_date": "VALUT",
        }
        receipt = sap_inbound.parse_receipt(data, keys)
        self.assertEqual((receipt.document, receipt.customer_no, receipt.currency), ("1400000999", "0000100234", "USD"))

    def test_delivery(self):
        data = {
            "delivery_no": "80001234",
            "sales_order_no": "12345",
            "goods_issue_date": "2026-05-05",
            "items": [{"material": "MAT-3P-METER", "quantity": "4"}, {"order_item": "20", "quantity": 1.5}],
        }
        self.assertEqual(
            sap_inbound.parse_delivery(data),
            sap_inbound.Delivery(
                document="80001234",
                order="12345",
                date=date(2026, 5, 5),
                lines=(
                    sap_inbound.DeliveryLine("MAT-3P-METER", Decimal(4)),
                    sap_inbound.DeliveryLine("", Decimal("1.5"), "20"),
                ),
            ),
        )
        for items, expected in (
            ([], "non-empty list"),
            (["x"], "Item 1 .* object"),
            ([{"quantity": 1}], "Item 1: give 'material'"),
            ([{"material": "M"}, {"material": "M", "quantity": 0}], "Item 1: 'quantity' is missing"),
            ([{"material": "M", "quantity": 1}, {"material": "M", "quantity": 0}], "Item 2: 'quantity' must be above"),
        ):
            with self.assertRaisesRegex(sap_inbound.InboundError, expected):
                sap_inbound.parse_delivery({**data, "items": items})

    def test_sap_numbers(self):
        self.assertEqual(sap_inbound.number_variants("100234"), ("100234", "0000100234"))
        self.assertEqual(sap_inbound.number_variants(" 0000100234"), ("0000100234", "100234"))
        self.assertEqual(sap_inbound.number_variants("HT-2026-7"), ("HT-2026-7",))
        self.assertEqual(sap_inbound.number_variants(""), ())
        self.assertTrue(sap_inbound.same_item("10", "000010"))
        self.assertFalse(sap_inbound.same_item("10", "20"))
        self.assertFalse(sap_inbound.same_item("", ""))
