{
    "name": "Wisdom CRM E-invoice",
    "summary": "Invoice requests and 数电发票 issuing through providers",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Wisdom CRM",
    "website": "https://example.com/wisdom-crm",
    "license": "LGPL-3",
    "depends": ["wisdom_fulfillment"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
}
