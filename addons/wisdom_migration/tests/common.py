import base64
import io
import zipfile

from odoo.tests import TransactionCase

from odoo.addons.wisdom_migration.models.migration_loader import Loader
from odoo.addons.wisdom_migration.models.wisdom_migration_run import DEFAULT_MAPPING
from odoo.addons.wisdom_migration.tools import mapping, samples


class MigrationCase(TransactionCase):
    """A generated sample set (see tools/samples.py) and the shipped mapping."""

    SAMPLE_CUSTOMERS = 40
    SEED = 7

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # History loads as it was: no contract review on the way in.
        cls.env["tier.definition"].search([("model", "=", "sale.order")]).action_archive()
        cls.files, cls.manifest = samples.generate(customers=cls.SAMPLE_CUSTOMERS, seed=cls.SEED)
        cls.sheets = mapping.load(DEFAULT_MAPPING.read_bytes(), DEFAULT_MAPPING.name)
        # the company of the demo's sales reps, whom the sample workbooks name
        cls.company = cls.env.ref("base.user_admin").company_id

    @classmethod
    def load(cls, files=None):
        return Loader(
            cls.env,
            mapping.load(DEFAULT_MAPPING.read_bytes(), DEFAULT_MAPPING.name),
            files or cls.files,
            batch_size=50,
            company=cls.company,
        ).run()

    @classmethod
    def zipped(cls, files=None):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, content in (files or cls.files).items():
                archive.writestr(name, content)
        return base64.b64encode(buffer.getvalue())
