{
    "name": "Wisdom CRM E-invoice",
    "summary": "Invoice requests and 数电发票 issuing through providers",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Wisdom CRM",
    "website": "https://example.com/wisdom-crm",
    "license": "LGPL-3",
    "depends": ["wisdom_fulfillment", "base_tier_validation", "queue_job"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/wisdom_einvoice_rules.xml",
        "data/wisdom_einvoice_data.xml",
        "views/wisdom_invoice_request_views.xml",
        "views/other_views.xml",
    ],
    "installable": True,
}
