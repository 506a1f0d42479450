{
    "name": "Wisdom CRM Data Migration",
    "summary": "Load the historical Excel workbooks (.xls/.xlsx) with a field-level reconciliation report",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Wisdom CRM",
    "website": "https://example.com/wisdom-crm",
    "license": "LGPL-3",
    "depends": ["wisdom_fulfillment", "queue_job"],
    "external_dependencies": {"python": ["xlrd", "openpyxl", "PyYAML"]},
    "data": [
        "security/wisdom_migration_security.xml",
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
        "views/wisdom_migration_run_views.xml",
        "wizards/wisdom_migration_wizard_views.xml",
        "views/wisdom_migration_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "wisdom_migration/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
