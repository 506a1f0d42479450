import unittest

from odoo.addons.wisdom_crm_base.tools import dedup

CODE = "91350100M000100Y43"


class TestExactDuplicatesOfABatch(unittest.TestCase):
    def test_against_existing_companies(self):
        existing = [
            dedup.Candidate(id=1, credit_code=CODE),  # a supplier: compared by credit code only
            dedup.Candidate(id=2, name_key=dedup.normalize_name("国网江苏省电力有限公司")),
        ]
        news = [
            dedup.Candidate(name="完全不同的公司", credit_code=CODE.lower()),
            dedup.Candidate(name="国网江苏省电力有限责任公司"),
            dedup.Candidate(name="湘江配电服务有限公司"),
        ]
        found = dedup.exact_duplicates(news, existing)
        self.assertEqual((found[0][0].id, found[0][1]), (1, ["credit_code"]))
        self.assertEqual((found[1][0].id, found[1][1]), (2, ["name_exact"]))
        self.assertIsNone(found[2])

    def test_within_the_batch_the_first_one_wins(self):
        first = dedup.Candidate(name="", credit_code=CODE)
        second = dedup.Candidate(name="", credit_code=CODE)
        self.assertEqual(dedup.exact_duplicates([first, second], []), [None, (first, ["credit_code"])])

    def test_companies_that_are_not_customers_do_not_clash_by_name(self):
        supplier = dedup.Candidate(id=3, name="")  # name left out: not a customer
        self.assertEqual(dedup.exact_duplicates([dedup.Candidate(name="")], [supplier]), [None])
