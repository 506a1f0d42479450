"""A realistic sample set of the customer's historical workbooks, with the mess real sheets have.

Full-width characters, a merged title row above the header, dates as date cells, Excel serials
and text, amounts with 万元 and thousands separators, duplicate customers under name variants,
contacts typed as "张三 138xxxx" in one cell, blank rows, and a few impossible rows (a wrong
credit code check character, 30 February, a contract whose lines do not add up, two contacts in
one cell, an unknown product, an invoice naming a contract line number or material code the
contract does not have). Invoices are of a whole contract (行号 and 物料编码 empty) or of single
contract lines (行号 and 物料编码, or the 物料编码 alone). ``generate`` returns ``{file name: bytes}``
and a manifest of what was planted, so tests can check that the loader finds exactly that.
"""

import io
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from odoo.addons.wisdom_crm_base.tools import credit_code as credit_code_tools

CITIES = "南京 苏州 杭州 宁波 济南 青岛 长沙 株洲 武汉 宜昌 广州 深圳 南宁 成都 郑州 合肥 福州 南昌".split()
WORDS = "华能 国电 恒通 瑞丰 星城 中科 博远 天成 金源 远航 宏达 新能 智联 汇川 正泰 明阳 东方 长江".split()
TRADES = [
    ("电网", "供电服务"),
    ("发电", "发电"),
    ("新能源", "新能源"),
    ("工商业", "钢铁"),
    ("工商业", "化工"),
    ("工商业", "数据中心"),
    ("经销商", "电气设备销售"),
    ("经销商", "电力器材贸易"),
    ("其他", "物业管理"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强海燕"
TITLES = ["经理", "总工", "采购", "主任", "科长", "财务", None, None, None]
DIVISIONS = ["320100", "330100", "370100", "430100", "420100", "440100", "450100", "510100", "410100", "340100"]
REPS = ["张伟", "李娜", "刘洋", "zhaomin", "王磊"]
PRODUCTS = [
    ("WS-DDZY-1P", 320),
    ("WS-DTZY-3D", 1180.5),
    ("WS-JZQ-I", 2650),
    ("WS-DTU-8", 15800),
    ("WS-FTU-1", 23600),
    ("WS-TTU-F", 9800),
    ("WS-MOD-4G", 265.8),
]
KINDS = [("预付款", 30), ("发货款", 60), ("质保金", 10)]
FULL_WIDTH = str.maketrans(
    "0123456789()ABCDEFGHJKLMNPQRTUWXY-", "０１２３４５６７８９（）ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ－"
)


def generate(customers=300, seed=13, xls=True):
    """``({file name: bytes}, manifest)``; about 14 source rows per customer."""
    rng = random.Random(seed)
    # the invoice rows draw from a stream of their own: the other sheets stay what they were before
    # invoices named contract lines (the tests' seeds plant the same problems)
    plan = _Plan(rng, random.Random(f"invoices-{seed}"))
    for number in range(1, customers + 1):
        plan.customer(number)
    files = {
        "01_客户台账.xlsx": _xlsx("客户台账（2016-2025 历史数据）", plan.customer_header, plan.customer_rows),
        "03_合同台账.xlsx": _xlsx("销售合同台账", plan.contract_header, plan.contract_rows),
        "04_合同明细.xlsx": _xlsx("合同产品明细", plan.line_header, plan.line_rows),
        "05_回款计划.xlsx": _xlsx("回款计划", plan.plan_header, plan.plan_rows),
        "06_回款记录.xlsx": _xlsx("回款记录", plan.collection_header, plan.collection_rows),
        "07_发票台账.xlsx": _xlsx("发票台账", plan.invoice_header, plan.invoice_rows),
    }
    contacts = ("联系人", plan.contact_header, plan.contact_rows)
    if xls and _has_xlwt():
        files["02_联系人.xls"] = _xls(*contacts)
    else:
        files["02_联系人.xlsx"] = _xlsx(*contacts)
    return files, plan.manifest


def _has_xlwt():
    try:
        import xlwt  # noqa: F401
    except ImportError:
        return False
    return True


class _Plan:
    customer_header = ["客户编号", "客户名称", "统一社会信用代码", "客户类别", "联系电话", "邮箱", "地址", "负责销售"]
    contact_header = ["联系人编号", "客户编号", "联系人及电话", "职务", "邮箱"]
    contract_header = ["合同编号", "客户名称", "签订日期", "合同金额", "销售", "质保期(月)", "质保金比例"]
    line_header = ["合同编号", "行号", "物料编码", "数量", "单价", "金额"]
    plan_header = ["合同编号", "期次", "款项类型", "计划回款日期", "计划金额"]
    collection_header = ["回款单号", "客户名称", "合同编号", "回款日期", "回款金额"]
    invoice_header = ["发票号码", "客户名称", "合同编号", "行号", "物料编码", "开票日期", "价税合计"]

    def __init__(self, rng, invoice_rng):
        self.rng, self.invoice_rng = rng, invoice_rng
        self.customer_rows, self.contact_rows, self.contract_rows, self.line_rows = [], [], [], []
        self.plan_rows, self.collection_rows, self.invoice_rows = [], [], []
        self.contract_seq = self.contact_seq = self.receipt_seq = self.invoice_seq = self.invoice_line_seq = 0
        self.manifest = {"rejected": {}, "merged": 0, "blank": {}, "money": {}}

    def _reject(self, sheet, key, reason):
        self.manifest["rejected"].setdefault(sheet, {})[key] = reason

    def _blank(self, sheet, rows):
        if self.rng.random() < 0.02:
            rows.append([None] * 3)
            self.manifest["blank"][sheet] = self.manifest["blank"].get(sheet, 0) + 1

    # CUSTOMERS

    def customer(self, number):
        rng = self.rng
        category, trade = rng.choice(TRADES)
        base = f"{rng.choice(CITIES)}{rng.choice(WORDS)}{rng.choice(WORDS)}{trade}{number:05d}号"
        name = base + rng.choice(["有限公司", "有限责任公司", "股份有限公司"])
        code = credit_code_tools.build("9", "1", rng.choice(DIVISIONS), f"7{number:07d}")
        key = f"KH{number:05d}"
        shown_code = code
        roll = rng.random()
        if roll < 0.05:
            shown_code = code.translate(FULL_WIDTH)
        elif roll < 0.1:
            shown_code = f"{code[:6]} {code[6:12]} {code[12:]}".lower()
        bad_code = rng.random() < 0.01
        if bad_code:
            shown_code = code[:17] + ("0" if code[17] != "0" else "1")
            self._reject("customers", key, "credit_code_check")
        self.customer_rows.append(
            [
                key if rng.random() > 0.05 else key.translate(FULL_WIDTH).lower(),
                name if rng.random() > 0.1 else f" {name.replace('有限', ' 有限')}\n",
                shown_code,
                category,
                self._phone(),
                rng.choice([None, f"sales{number}@example.cn"]),
                f"{rng.choice(CITIES)}市高新区科技路{rng.randint(1, 999)}号",
                rng.choice(REPS),
            ]
        )
        self._blank("customers", self.customer_rows)
        if bad_code:
            return
        if rng.random() < 0.04:  # the same company entered again by another office, name variant
            variant = base.translate(FULL_WIDTH) + rng.choice(["有限公司", "股份有限公司"])
            self.customer_rows.append(
                [
                    f"KH{number:05d}B",
                    variant,
                    rng.choice([code, None]),
                    category,
                    self._phone(),
                    None,
                    None,
                    rng.choice(REPS),
                ]
            )
            self.manifest["merged"] += 1
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            self.contact(key)
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            self.contract(key, name, code)

    def _phone(self):
        rng = self.rng
        mobile = f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
        return rng.choice(
            [
                mobile,
                float(mobile),
                f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}",
                f"0731-{rng.randint(80000000, 89999999)}",
                f"(025){rng.randint(50000000, 59999999)}",
                f"０７３１－{rng.randint(80000000, 89999999)}".translate(FULL_WIDTH),
            ]
        )

    # CONTACTS

    def contact(self, customer_key):
        rng = self.rng
        self.contact_seq += 1
        key = f"LXR{self.contact_seq:06d}"
        person = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        title = rng.choice(TITLES)
        mobile = f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
        cell = rng.choice(
            [
                f"{person} {mobile}",
                f"{person}/{mobile[:3]} {mobile[3:7]} {mobile[7:]}",
                f"{person}：{mobile}",
                f"{person}（{title}）{mobile}" if title else f"{person}{mobile}",
            ]
        )
        if rng.random() < 0.01:
            cell = f"{person} {mobile}；{rng.choice(SURNAMES)}工 13900001111"
            self._reject("contacts", key, "contact_several")
        self.contact_rows.append([key, customer_key, cell, title, None])
        self._blank("contacts", self.contact_rows)

    # CONTRACTS AND WHAT HANGS ON THEM

    def contract(self, customer_key, name, code):
        rng = self.rng
        self.contract_seq += 1
        number = f"HT{2016 + self.contract_seq % 9}-{self.contract_seq:05d}"
        signed = date(2016, 1, 1) + timedelta(days=rng.randint(0, 3400))
        lines = []
        for line_no in range(1, rng.choice([1, 2, 2, 3]) + 1):
            product, price = rng.choice(PRODUCTS)
            qty = rng.choice([5, 10, 20, 50, 100, 200, 500, 1200])
            lines.append((line_no, product, qty, Decimal(str(price)), Decimal(str(price)) * qty))
        total = sum(line[4] for line in lines)
        reject = None
        roll = rng.random()
        if roll < 0.01:
            reject = "total_mismatch"
        elif roll < 0.02:
            reject = "date_invalid"
        elif roll < 0.025:
            reject = "product_unknown"
        customer_ref = rng.choice([name, name, code, f"  {name}  ".translate(FULL_WIDTH)])
        shown_date = self._date(signed) if reject != "date_invalid" else f"{signed.year}-02-30"
        shown_total = self._amount(total + (100 if reject == "total_mismatch" else 0))
        self.contract_rows.append(
            [
                number,
                customer_ref,
                shown_date,
                shown_total,
                rng.choice(REPS),
                rng.choice([12, "24个月", "１８", None]),
                rng.choice(["10%", 5, 0.1, None]),
            ]
        )
        self._blank("contracts", self.contract_rows)
        for line_no, product, qty, price, amount in lines:
            shown_product = "WS-NOT-EXIST" if reject == "product_unknown" and line_no == 1 else product
            shown_product = shown_product if rng.random() > 0.05 else f" {shown_product.lower()} "
            shown_qty = qty if rng.random() > 0.1 else f"{qty:,}台"
            self.line_rows.append([number, line_no, shown_product, shown_qty, float(price), self._amount(amount)])
        if reject == "product_unknown":  # the line is refused, so the contract no longer adds up
            self._reject("contract_lines", f"{number}_1", reject)
            reject = "total_mismatch"
        if reject:
            self._reject("contracts", number, reject)
            return
        money = self.manifest["money"].setdefault(
            customer_key,
            {"contracted": Decimal(0), "planned": Decimal(0), "collected": Decimal(0), "invoiced": Decimal(0)},
        )
        money["contracted"] += total
        left = total
        for sequence, (kind, share) in enumerate(KINDS, start=1):
            amount = left if sequence == len(KINDS) else (total * share / 100).quantize(Decimal("0.01"))
            left -= amount
            due = signed + timedelta(days=30 * sequence * rng.randint(1, 6))
            self.plan_rows.append([number, sequence, kind, self._date(due), self._amount(amount)])
            money["planned"] += amount
            if sequence < len(KINDS) and rng.random() < 0.7:
                self.receipt_seq += 1
                paid = amount if rng.random() < 0.8 else (amount / 2).quantize(Decimal("0.01"))
                self.collection_rows.append(
                    [
                        f"HK{self.receipt_seq:07d}",
                        customer_ref,
                        number,
                        self._date(due + timedelta(days=rng.randint(-10, 40))),
                        self._amount(paid),
                    ]
                )
                money["collected"] += paid
        if rng.random() < 0.6:
            invoiced = signed + timedelta(days=rng.randint(5, 90))
            self.invoices(number, customer_ref, lines, invoiced, self._date(invoiced), self._amount(total), money)

    # INVOICES

    def invoices(self, number, customer_ref, lines, invoiced, shown_date, shown_total, money):
        """The invoice rows of a contract: one of the whole contract (行号 and 物料编码 empty), or one
        per contract line naming its 行号 and 物料编码 (or, when no other line has its product, the
        物料编码 alone). Of the rows per line, the 7th and every 25th after it name a line number the
        contract does not have, the 17th and every 25th after it the code of a product the contract
        does not have (so even the small committed sample set has both)."""
        rng = self.invoice_rng
        form = rng.random()
        if form < 0.45:
            self._invoice_row(customer_ref, number, None, None, shown_date, shown_total)
            money["invoiced"] += sum(line[4] for line in lines)
            return
        codes = [line[1] for line in lines]
        for line_no, product, __, __, amount in lines:
            self.invoice_line_seq += 1
            by_code = form > 0.85 and codes.count(product) == 1
            shown_no, shown_code, reject = None if by_code else line_no, product, None
            if self.invoice_line_seq % 25 == 7:
                shown_no, reject = len(lines) + rng.randint(1, 3), "invoice_line_unmatched"
            elif self.invoice_line_seq % 25 == 17:
                shown_code = rng.choice([code for code, __ in PRODUCTS if code not in codes] or ["WS-DTU-9"])
                reject = "invoice_line_unmatched"
            key = self._invoice_row(
                customer_ref,
                number,
                None if shown_no is None else rng.choice([shown_no, shown_no, float(shown_no), str(shown_no)]),
                shown_code if rng.random() > 0.1 else f" {shown_code.lower()} ",
                self._date(invoiced + timedelta(days=rng.randint(0, 60)), rng),
                self._amount(amount, rng),
            )
            if reject:
                self._reject("invoices", key, reject)
            else:
                money["invoiced"] += amount

    def _invoice_row(self, customer_ref, number, line_no, product, shown_date, shown_amount):
        self.invoice_seq += 1
        key = f"{24000000 + self.invoice_seq:08d}"
        self.invoice_rows.append([key, customer_ref, number, line_no, product, shown_date, shown_amount])
        return key

    def _date(self, value, rng=None):
        serial = (value - date(1899, 12, 30)).days
        return (rng or self.rng).choice(
            [
                datetime(value.year, value.month, value.day),
                serial,
                str(serial),
                f"{value.year}/{value.month}/{value.day}",
                f"{value.year}年{value.month}月{value.day}日",
                value.strftime("%Y.%m.%d"),
                value.strftime("%Y%m%d"),
                value.isoformat().translate(FULL_WIDTH),
            ]
        )

    def _amount(self, value, rng=None):
        value = Decimal(value).quantize(Decimal("0.01"))
        choices = [float(value), f"{value:,.2f}", f"¥{value:,.2f}", str(value).translate(FULL_WIDTH)]
        if value == value.quantize(Decimal(1)):
            choices.append(f"{(value / 10000).normalize():f}万元")
        return (rng or self.rng).choice(choices)


def _xlsx(title, header, rows):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xls(title, header, rows):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    sheet.write_merge(0, 0, 0, len(header) - 1, title)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for col, value in enumerate(header):
        sheet.write(1, col, value)
    for index, row in enumerate(rows, start=2):
        for col, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write(index, col, value, date_style)
            elif value is not None:
                sheet.write(index, col, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
