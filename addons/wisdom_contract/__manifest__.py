{
    "name": "Wisdom CRM Contracts",
    "summary": "Demand flow, contract templates, policy review with approvals, archive and margin",
    "version": "19.0.1.1.0",
    "category": "Sales/Sales",
    "author": "Wisdom CRM",
    "website": "https://example.com/wisdom-crm",
    "license": "LGPL-3",
    "depends": ["wisdom_crm_base", "sale_tier_validation"],
    "data": [
        "security/ir.model.access.csv",
        "security/wisdom_contract_security.xml",
        "data/ir_sequence_data.xml",
        "data/wisdom_contract_data.xml",
        "data/wisdom_contract_auditlog_data.xml",
        "views/product_template_views.xml",
        "views/sale_order_views.xml",
        "views/wisdom_review_rule_views.xml",
        "views/wisdom_contract_demand_views.xml",
        "views/wisdom_contract_template_views.xml",
        "views/crm_lead_views.xml",
        "report/sale_order_report.xml",
        "views/wisdom_contract_menus.xml",
    ],
    "demo": [
        "demo/wisdom_review_rule_demo.xml",
        "demo/wisdom_contract_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "wisdom_contract/static/src/tier_review_menu_patch.js",
        ],
        "web.assets_tests": [
            "wisdom_contract/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
