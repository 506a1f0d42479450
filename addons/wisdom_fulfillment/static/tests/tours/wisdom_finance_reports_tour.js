import { registry } from "@web/core/registry";

// Finance opens the collection reports of the demo database and finds rows in each.
registry.category("web_tour.tours").add("wisdom_finance_overdue_report", {
    url: "/odoo/action-wisdom_fulfillment.action_wisdom_overdue",
    steps: () => [
        {
            trigger: ".o_pivot table td.o_pivot_cell_value:not(:empty)",
        },
    ],
});

registry.category("web_tour.tours").add("wisdom_finance_retention_report", {
    url: "/odoo/action-wisdom_fulfillment.action_wisdom_retention_quarter",
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row",
        },
    ],
});

registry.category("web_tour.tours").add("wisdom_finance_target_report", {
    url: "/odoo/action-wisdom_crm_base.action_wisdom_sales_target",
    steps: () => [
        {
            trigger: ".o_list_view .o_group_header, .o_list_view .o_data_row",
        },
    ],
});
