{
    "name": "Wisdom CRM Qichacha",
    "summary": "企查查 company lookup and registration sync for customers",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Wisdom CRM",
    "website": "https://example.com/wisdom-crm",
    "license": "LGPL-3",
    "depends": ["wisdom_crm_base"],
    "data": [
        "security/ir.model.access.csv",
        "data/wisdom_qichacha_data.xml",
        "views/res_partner_views.xml",
        "views/qichacha_lookup_views.xml",
    ],
    "installable": True,
}
