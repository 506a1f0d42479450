{
    "name": "Wisdom CRM SAP Bridge",
    "summary": "SAP, MES, PLM, OA and WeCom integrations",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Wisdom CRM",
    "website": "https://example.com/wisdom-crm",
    "license": "LGPL-3",
    "depends": ["wisdom_contract", "wisdom_fulfillment"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
}
