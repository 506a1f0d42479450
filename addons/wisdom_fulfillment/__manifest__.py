{
    "name": "Wisdom CRM Fulfilment",
    "summary": "Collection plans, shipment gates, collections, alerts and execution status",
    "version": "19.0.1.1.0",
    "category": "Sales/Sales",
    "author": "Wisdom CRM",
    "website": "https://example.com/wisdom-crm",
    "license": "LGPL-3",
    "depends": ["wisdom_contract", "base_tier_validation"],
    "data": [
        "security/ir.model.access.csv",
        "security/wisdom_fulfillment_rules.xml",
        "data/wisdom_fulfillment_data.xml",
        "data/wisdom_shipment_condition_data.xml",
        "data/wisdom_fulfillment_auditlog_data.xml",
        "report/dunning_letter.xml",
        "views/wisdom_collection_plan_line_views.xml",
        "views/wisdom_shipment_views.xml",
        "views/wisdom_receivable_disposal_views.xml",
        "views/sale_order_views.xml",
        "views/wisdom_dashboard_views.xml",
        "views/wisdom_fulfillment_menus.xml",
    ],
    "demo": [
        "demo/load_terms_demo.xml",
        "demo/wisdom_fulfillment_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "wisdom_fulfillment/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
