"""A fake Qichacha open API on the test kit: checks the signature, serves Chinese company records,
and can be switched to the service's failures (quota, daily limit, concurrency, 5xx, timeouts)."""

from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer
from odoo.addons.wisdom_qichacha.tools.qichacha import sign

COMPANIES = [
    {
        "KeyNo": "f1d0a8c1b2e34f5a9c7d6e5f4a3b2c10", "Name": "长沙星城电气设备有限公司",
        "CreditCode": "91430100MA4L0K7C0W", "OperName": "周强", "RegistCapi": "5000万元人民币",
        "StartDate": "2012-07-10T00:00:00", "Status": "存续（在营、开业、在册）", "No": "430100000123456",
        "Address": "长沙市岳麓区桐梓坡西路468号", "Scope": "电气设备、仪器仪表的销售；电力工程施工",
        "BelongOrg": "长沙市市场监督管理局", "EconKind": "有限责任公司（自然人投资或控股）", "Province": "HUN",
    },
    {
        "KeyNo": "a7e5c3b1d9f24e6a8c0b2d4f6e8a0c21", "Name": "株洲新能配电有限公司",
        "CreditCode": "91430200MA4PQ7RT1L", "OperName": "李明", "RegistCapi": "1000万元人民币",
        "StartDate": "2014-10-24 00:00:00", "Status": "吊销，未注销", "No": "430200000654321",
        "Address": "株洲市天元区泰山路88号", "Scope": "配电设备制造、销售",
        "BelongOrg": "株洲市市场监督管理局", "EconKind": "有限责任公司", "Province": "HUN",
    },
    {
        "KeyNo": "c4b2e0d8f6a14c3e9b7d5f3a1c9e7b52", "Name": "湘潭华宇智能电网科技有限公司",
        "CreditCode": "91430300MA4R8H2K3P", "OperName": "陈晓燕", "RegistCapi": "2000万元人民币",
        "StartDate": "2016-03-18", "Status": "在业", "No": "430300000778899",
        "Address": "湘潭市岳塘区芙蓉中路二段126号", "Scope": "智能电网设备研发、生产、销售；电力自动化系统集成",
        "BelongOrg": "湘潭市市场监督管理局", "EconKind": "有限责任公司（自然人投资或控股）", "Province": "HUN",
    },
    {
        "KeyNo": "e9d7c5b3a1f84e2c6a4b8d0f2e4c6a83", "Name": "岳阳洞庭储能设备有限公司",
        "CreditCode": "91430600MA4T5N9D25", "OperName": "刘洋", "RegistCapi": "800万元人民币",
        "StartDate": "2018-11-05 00:00:00", "Status": "存续", "No": "430600000334455",
        "Address": "岳阳市岳阳楼区巴陵中路55号", "Scope": "储能设备、蓄电池的销售与安装",
        "BelongOrg": "岳阳市市场监督管理局", "EconKind": "有限责任公司", "Province": "HUN",
    },
]  # fmt: skip


class FakeQichacha(FakeServer):
    def __init__(self, app_key="AK-test", secret_key="SK-test", companies=COMPANIES):
        super().__init__()
        self.app_key, self.secret_key = app_key, secret_key
        self.companies = [dict(company) for company in companies]
        self.status_override = None  # e.g. "112", "109", "122": every answer carries this status
        self.route("GET", "/FuzzySearch/GetList", self._fuzzy)
        self.route("GET", "/ECIV4/GetBasicDetailsByName", self._details)

    def _envelope(self, status, result=None, message=""):
        return 200, {
            "Status": status,
            "Message": message or ("查询成功" if status == "200" else "错误"),
            "OrderNumber": "FAKE",
            "Result": result,
        }

    def _check(self, request, keyword):
        if request.query.get("key") != self.app_key:
            return self._envelope("101", message="无效的 key")
        token = sign(self.app_key, self.secret_key, request.headers.get("Timespan", ""))
        if request.headers.get("Token") != token:
            return self._envelope("107", message="签名错误")
        if self.status_override:
            return self._envelope(self.status_override)
        if len(keyword.strip()) < 2:
            return self._envelope("213", message="关键字长度不足")
        return None

    def _matches(self, keyword):
        return [c for c in self.companies if keyword in c["Name"] or keyword.upper() == c["CreditCode"]]

    def _fuzzy(self, request):
        keyword = request.query.get("searchKey", "")
        refused = self._check(request, keyword)
        if refused:
            return refused
        found = self._matches(keyword)
        if not found:
            return self._envelope("201", message="查询无结果")
        fields = ("KeyNo", "Name", "CreditCode", "StartDate", "OperName", "Status", "No", "Address")
        return self._envelope("200", [{k: c[k] for k in fields} for c in found])

    def _details(self, request):
        keyword = request.query.get("keyword", "")
        refused = self._check(request, keyword)
        if refused:
            return refused
        found = self._matches(keyword)
        return self._envelope("200", found[0]) if found else self._envelope("201", message="查询无结果")
