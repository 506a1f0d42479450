import unittest

from odoo.addons.wisdom_crm_base.tools import dedup

# (entered, existing): the normaliser must fold both to the same key (exact duplicate, blocked).
SAME = [
    ("国网江苏省电力有限公司", "国网江苏省电力有限责任公司"),
    ("国网江苏省电力有限公司", "国网江苏省电力（有限公司）"),
    ("国网江苏省电力有限公司", "国网江苏省电力 有限公司"),
    ("国网江苏省电力有限公司", "国网江苏省电力公司"),
    ("华能国际电力股份有限公司", "华能国际电力有限公司"),
    ("华能国际电力股份有限公司", "华能国际电力股份公司"),
    ("龙源电力集团股份有限公司", "龙源电力"),
    ("龙源电力集团股份有限公司", "龙源电力集团有限公司"),
    ("万华化学集团股份有限公司", "万华化学集团有限责任公司"),
    ("隆基绿能科技股份有限公司", "隆基绿能科技股份有限公司 "),
    ("隆基绿能科技股份有限公司", "隆基绿能科技股份有限公司。"),
    ("长沙星城电气设备有限公司", "长沙星城电气设备有限公司（）"),
    ("长沙星城电气设备有限公司", "长沙星城电气设备【有限公司】"),
    ("ＡＢＣ电力设备有限公司", "ABC电力设备有限公司"),
    ("ａｂｃ电力设备有限公司", "ABC电力设备有限公司"),
    ("ABC（中国）电力有限公司", "ABC(中国)电力有限公司"),
    ("ABC（中国）电力有限公司", "ABC [中国] 电力有限公司"),
    ("深圳海外电力设备进出口有限公司", "深圳海外电力设备进出口有限公司\u3000"),
    ("Kenya Power and Lighting Company PLC", "Kenya Power & Lighting Co., Ltd."),
    ("Kenya Power and Lighting Company PLC", "KENYA POWER AND LIGHTING COMPANY LIMITED"),
    ("Tenaga Nasional Berhad", "Tenaga Nasional"),
    ("Tenaga Nasional Bhd", "TENAGA NASIONAL BHD."),
    ("Saudi Electricity Company", "Saudi Electricity Co."),
    ("Eskom Holdings SOC Ltd", "Eskom Holdings SOC Limited"),
    ("Siemens AG", "siemens ag"),
    ("Manila Electric Company", "Manila Electric Co"),
    ("PT PLN (Persero)", "PT. PLN Persero"),
    ("Schneider Electric Inc.", "Schneider Electric, Inc"),
    ("ABB Ltd", "A.B.B. Ltd."),
    ("Vietnam Electricity (EVN)", "Vietnam Electricity EVN"),
    ("广东电网公司", "广东电网有限责任公司"),
    ("苏州工业园区能源服务公司", "苏州工业园区能源服务有限公司"),
]

# (entered, existing): not the same key, but similar enough to be shown (score >= 0.6).
SIMILAR = [
    ("国网江苏电力有限公司", "国网江苏省电力有限公司"),
    ("国网浙江电力公司", "国网浙江省电力有限公司"),
    ("长沙星城电器设备有限公司", "长沙星城电气设备有限公司"),
    ("Kenya Power Lighting Company", "Kenya Power and Lighting Company PLC"),
    ("Tenaga Nasionall Berhad", "Tenaga Nasional Berhad"),
    ("Manila Electrics Company", "Manila Electric Company"),
]

# (entered, existing): different customers, not shown.
DIFFERENT = [
    ("国网湖北省电力有限公司武汉供电分公司", "国网湖北省电力有限公司"),
    ("华能国际电力股份有限公司北京分公司", "华能国际电力股份有限公司上海分公司"),
    ("国网江苏省电力有限公司", "国网浙江省电力有限公司"),
    ("广东电网有限责任公司", "广西电网有限责任公司"),
    ("长沙星城电气设备有限公司", "成都蜀能电气销售有限公司"),
    ("Kenya Power and Lighting Company PLC", "Electricity Company of Ghana Limited"),
    ("Saudi Electricity Company", "Vietnam Electricity (EVN)"),
]


class TestNormalise(unittest.TestCase):
    def test_same_company_same_key(self):
        for entered, existing in SAME:
            with self.subTest(entered=entered, existing=existing):
                self.assertEqual(dedup.normalize_name(entered), dedup.normalize_name(existing))
                match = dedup.score(dedup.Candidate(name=entered), dedup.Candidate(name=existing, id=1))
                self.assertTrue(match.blocking)
                self.assertEqual(match.reasons, ["name_exact"])

    def test_branch_is_kept(self):
        self.assertTrue(dedup.normalize_name("国网湖北省电力有限公司武汉供电分公司").endswith("分公司"))

    def test_region_prefix_only_when_asked(self):
        self.assertEqual(dedup.normalize_name("江苏省苏州工业园区能源服务有限公司"), "江苏省苏州工业园区能源服务")
        stripped = dedup.normalize_name("江苏省苏州工业园区能源服务有限公司", strip_region=True)
        self.assertEqual(stripped, "苏州工业园区能源服务")
        self.assertEqual(dedup.normalize_name("广西壮族自治区南宁供电局", strip_region=True), "南宁供电局")

    def test_empty_and_suffix_only_names(self):
        self.assertEqual(dedup.normalize_name(""), "")
        self.assertEqual(dedup.normalize_name(None), "")
        self.assertEqual(dedup.normalize_name("公司"), "公司")


class TestScore(unittest.TestCase):
    threshold = 0.6

    def _score(self, entered, existing, **extra):
        return dedup.score(dedup.Candidate(name=entered, **extra), dedup.Candidate(name=existing, id=7))

    def test_similar_names_are_shown(self):
        for entered, existing in SIMILAR:
            with self.subTest(entered=entered, existing=existing):
                match = self._score(entered, existing)
                self.assertFalse(match.blocking)
                self.assertGreaterEqual(match.score, self.threshold)
                self.assertIn("name_similar", match.reasons)

    def test_different_names_are_not(self):
        for entered, existing in DIFFERENT:
            with self.subTest(entered=entered, existing=existing):
                match = self._score(entered, existing)
                self.assertFalse(match.blocking)
                self.assertLess(match.score, self.threshold)

    def test_credit_code_blocks_whatever_the_name(self):
        new = dedup.Candidate(name="新名称", credit_code="91350100m000100y43")
        old = dedup.Candidate(name="旧名称", credit_code="91350100M000100Y43", id=3)
        match = dedup.score(new, old)
        self.assertTrue(match.blocking)
        self.assertEqual(match.score, 1.0)
        self.assertIn("credit_code", match.reasons)

    def test_phone_and_email_raise_the_score(self):
        new = dedup.Candidate(name="星城电气", phone="+86 731 8888 1234", email="Sales@XC.cn")
        old = dedup.Candidate(name="湘江配电", phone="0731-88881234", email="sales@xc.cn", id=4)
        match = dedup.score(new, old)
        self.assertEqual(set(match.reasons) & {"phone", "email"}, {"phone", "email"})
        self.assertGreaterEqual(match.score, 0.8)
        self.assertLess(match.score, 1.0)

    def test_short_phone_numbers_are_ignored(self):
        self.assertEqual(dedup.normalize_phone("110"), "")
        self.assertEqual(dedup.normalize_phone("（0731）８８８８-１２３４"), "73188881234")

    def test_similarity_matches_pg_trgm(self):
        # Values PostgreSQL 15 returns for similarity() under a UTF-8 ctype.
        self.assertAlmostEqual(dedup.similarity("国网江苏省电力", "国网江苏电力"), 0.5)
        self.assertAlmostEqual(dedup.similarity("word", "word"), 1.0)
        self.assertAlmostEqual(dedup.similarity("word", "two words"), 0.3636, places=3)

    def test_rank_orders_and_filters(self):
        new = dedup.Candidate(name="国网江苏电力有限公司")
        candidates = [
            dedup.Candidate(name="国网江苏省电力有限公司", id=1),
            dedup.Candidate(name="国网江苏电力公司", id=2),
            dedup.Candidate(name="云南电网有限责任公司", id=3),
        ]
        ranked = dedup.rank(new, candidates, 0.6)
        self.assertEqual([m.id for m in ranked], [2, 1])
        self.assertTrue(ranked[0].blocking)
