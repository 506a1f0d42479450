{
    "name": "Wisdom CRM Fulfilment",
    "summary": "Collection plans, shipment gates, collections, alerts and execution status",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Wisdom CRM",
    "website": "https://example.com/wisdom-crm",
    "license": "LGPL-3",
    "depends": ["wisdom_contract"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
}
