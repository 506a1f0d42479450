import unittest
from datetime import date, datetime
from decimal import Decimal

from odoo.addons.wisdom_crm_base.tools import credit_code as credit_code_tools
from odoo.addons.wisdom_migration.tools import cleaners
from odoo.addons.wisdom_migration.tools.cleaners import CleanError

D = Decimal
CODE = credit_code_tools.build("9", "1", "430100", "70000001")
FULL = str.maketrans(
    "0123456789ABCDEFGHJKLMNPQRTUWXY", "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ"
)


class CleanerCase(unittest.TestCase):
    def check(self, cleaner, cases):
        for raw, expected in cases:
            with self.subTest(raw=raw):
                self.assertEqual(cleaner(raw), expected)

    def refuse(self, cleaner, cases):
        for raw, reason in cases:
            with self.subTest(raw=raw), self.assertRaises(CleanError) as caught:
                cleaner(raw)
            self.assertEqual(caught.exception.reason, reason, raw)


class TestText(CleanerCase):
    def test_width_folds_full_width(self):
        self.check(
            cleaners.width,
            [("ＡＢＣ１２３", "ABC123"), ("（长沙）", "(长沙)"), ("a\u3000b", "a b"), (1001.0, "1001"), (None, None)],
        )

    def test_trim_collapses_and_blanks(self):
        self.check(
            cleaners.trim,
            [
                ("  星城  电力\n有限公司 ", "星城 电力 有限公司"),
                ("", None),
                ("  -- ", None),
                ("无", None),
                ("N/A", None),
                ("\u3000", None),
            ],
        )

    def test_company_name(self):
        self.check(
            cleaners.company_name,
            [
                (" 长沙星城电力 有限公司\n", "长沙星城电力有限公司"),
                ("国网湖南省电力有限公司(长沙供电分公司)", "国网湖南省电力有限公司（长沙供电分公司）"),
                ("ＡＢＢ（中国）有限公司", "ABB（中国）有限公司"),
                ("Siemens Ltd. China", "Siemens Ltd. China"),
            ],
        )

    def test_code_upper_without_spaces(self):
        self.check(
            cleaners.code, [(" kh０００１２ ", "KH00012"), ("ht 2021-001", "HT2021-001"), (2021001.0, "2021001")]
        )

    def test_email(self):
        self.check(
            cleaners.email, [(" Sales@Example.CN; ", "sales@example.cn"), ("li＠hn-power.com", "li@hn-power.com")]
        )
        self.refuse(cleaners.email, [("li at example.cn", "email_format"), ("@example.cn", "email_format")])


class TestDates(CleanerCase):
    def test_date_cells_and_serials(self):
        self.check(
            cleaners.to_date,
            [
                (datetime(2021, 3, 5, 0, 0), date(2021, 3, 5)),
                (date(2021, 3, 5), date(2021, 3, 5)),
                (44260, date(2021, 3, 5)),
                (44260.0, date(2021, 3, 5)),
                ("44260", date(2021, 3, 5)),
                (None, None),
            ],
        )

    def test_dates_as_text(self):
        self.check(
            cleaners.to_date,
            [
                ("2021-3-5", date(2021, 3, 5)),
                ("2021/03/05", date(2021, 3, 5)),
                ("2021.3.5", date(2021, 3, 5)),
                ("2021年3月5日", date(2021, 3, 5)),
                ("2021年3月5号", date(2021, 3, 5)),
                ("20210305", date(2021, 3, 5)),
                ("２０２１－０３－０５", date(2021, 3, 5)),
                ("2021-03-05 14:30:00", date(2021, 3, 5)),
                ("3/5/2021", date(2021, 3, 5)),
                ("  ", None),
            ],
        )

    def test_impossible_dates_refused(self):
        self.refuse(
            cleaners.to_date,
            [
                ("2021-02-30", "date_invalid"),
                ("2021-13-01", "date_invalid"),
                ("20211332", "date_invalid"),
                (12, "date_range"),
                (999999, "date_range"),
                ("下个月", "date_format"),
                ("2021-3", "date_format"),
            ],
        )


class TestAmounts(CleanerCase):
    def test_amounts(self):
        self.check(
            cleaners.amount,
            [
                (1234.5, D("1234.50")),
                (0.1 + 0.2, D("0.30")),
                ("1,234,567.89", D("1234567.89")),
                ("１２３４．５", D("1234.50")),
                ("¥12,000.50", D("12000.50")),
                ("￥800", D("800.00")),
                ("12.5万元", D("125000.00")),
                ("3.2万", D("32000.00")),
                ("123.4567万元", D("1234567.00")),
                ("1.2亿", D("120000000.00")),
                ("800元", D("800.00")),
                ("RMB 800", D("800.00")),
                ("(500.00)", D("-500.00")),
                ("-36.5", D("-36.50")),
                ("", None),
            ],
        )

    def test_bad_amounts_refused(self):
        self.refuse(
            cleaners.amount,
            [
                ("12,34.5", "amount_format"),
                ("约5万", "amount_format"),
                ("1.2.3", "amount_format"),
                ("五万元", "amount_format"),
                (True, "amount_format"),
            ],
        )

    def test_positive_amount(self):
        self.assertEqual(cleaners.positive_amount("1,000"), D("1000.00"))
        self.refuse(cleaners.positive_amount, [("0", "amount_not_positive"), ("-5", "amount_not_positive")])

    def test_quantity(self):
        self.check(cleaners.quantity, [(100, D("100")), ("1,200台", D("1200")), ("３ 套", D("3")), ("2.5", D("2.5"))])
        self.refuse(cleaners.quantity, [("0", "quantity_not_positive"), ("若干", "quantity_format")])

    def test_integer_and_percent(self):
        self.check(cleaners.integer, [(12, 12), ("24个月", 24), ("１８", 18), ("2年", 24), ("30天", 30)])
        self.refuse(cleaners.integer, [(12.5, "integer_format"), ("一年", "integer_format")])
        self.check(cleaners.percent, [("10%", D("10.00")), ("１０％", D("10.00")), (0.1, D("10.00")), (5, D("5.00"))])
        self.refuse(cleaners.percent, [("120%", "percent_range"), ("十成", "percent_format")])


class TestPhonesAndCodes(CleanerCase):
    def test_phones(self):
        self.check(
            cleaners.phone,
            [
                ("13812345678", "13812345678"),
                (13812345678.0, "13812345678"),
                ("+86 138 1234 5678", "13812345678"),
                ("0086-13812345678", "13812345678"),
                ("138-1234-5678", "13812345678"),
                ("0731-88886666", "0731-88886666"),
                ("(0731)88886666", "0731-88886666"),
                ("０７３１－８８８８６６６６", "0731-88886666"),
                ("02588886666", "025-88886666"),
                ("0731-88886666转8001", "0731-88886666-8001"),
                ("400-820-8820", "400-820-8820"),
                ("", None),
            ],
        )

    def test_bad_phones_refused(self):
        self.refuse(
            cleaners.phone, [("1381234567", "phone_format"), ("12345", "phone_format"), ("电话待补", "phone_format")]
        )

    def test_credit_codes(self):
        self.check(
            cleaners.credit_code,
            [
                (CODE, CODE),
                (CODE.lower(), CODE),
                (f"{CODE[:6]} {CODE[6:12]} {CODE[12:]}", CODE),
                (CODE.translate(FULL), CODE),
                (None, None),
            ],
        )

    def test_bad_credit_codes_refused(self):
        wrong = CODE[:17] + ("0" if CODE[17] != "0" else "1")
        self.refuse(
            cleaners.credit_code,
            [
                (wrong, "credit_code_check"),
                (CODE[:17], "credit_code_length"),
                (CODE[:16] + "IO", "credit_code_charset"),
            ],
        )


class TestContactCells(CleanerCase):
    def test_contact_cells(self):
        self.check(
            cleaners.contact_cell,
            [
                ("张三 13812345678", ("张三", "13812345678", None)),
                ("张三13812345678", ("张三", "13812345678", None)),
                ("李四（经理）0731-88886666", ("李四", "0731-88886666", "经理")),
                ("王五/138 1234 5678", ("王五", "13812345678", None)),
                ("赵六：13900001111", ("赵六", "13900001111", None)),
                ("钱七", ("钱七", None, None)),
                ("Zhang San +86 13812345678", ("Zhang San", "13812345678", None)),
                ("欧阳 晓 13812345678", ("欧阳晓", "13812345678", None)),
                ("", None),
            ],
        )

    def test_contact_cells_refused(self):
        self.refuse(
            cleaners.contact_cell,
            [
                ("张三 13812345678；李四 13900001111", "contact_several"),
                ("张三、李四", "contact_several"),
                ("13812345678", "contact_no_name"),
                ("张三 1381234", "contact_format"),
            ],
        )

    def test_name_and_phone_columns(self):
        self.assertEqual(cleaners.contact_name("张三 13812345678"), "张三")
        self.assertEqual(cleaners.contact_phone("张三 13812345678"), "13812345678")
        self.assertIsNone(cleaners.contact_phone(None))
