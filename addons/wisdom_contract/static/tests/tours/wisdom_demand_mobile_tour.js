import { registry } from "@web/core/registry";

// On a phone, a sales rep records a customer's demand (customer + one described item) and submits it.
registry.category("web_tour.tours").add("wisdom_demand_on_phone", {
    url: "/odoo/action-wisdom_contract.action_wisdom_contract_demand/new",
    steps: () => [
        {
            // On a phone the customer is chosen in a full-screen search dialog.
            trigger: '.o_form_view .o_field_widget[name="partner_id"] input',
            run: "click",
        },
        {
            trigger: ".modal button:has(.fa-search)",
            run: "click",
        },
        {
            trigger: ".modal .o_searchview_input",
            run: "edit 手机需求客户",
        },
        {
            trigger: ".o_searchview_autocomplete .o-dropdown-item:first",
            run: "click",
        },
        {
            trigger: '.modal .o_kanban_record:contains("手机需求客户")',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="line_ids"] .o_field_x2many_list_row_add a, .o_form_view .o_field_widget[name="line_ids"] .o-kanban-button-new',
            run: "click",
        },
        {
            trigger: '.modal .o_field_widget[name="name"] input',
            run: "edit 防爆电表箱",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="line_ids"]:contains("防爆电表箱")',
        },
        {
            trigger: '.o_form_view button[name="action_submit"]',
            run: "click",
        },
        {
            // Submitted: the Submit button is gone, the demand can still be cancelled.
            trigger: '.o_form_view .o_form_statusbar:not(:has(button[name="action_submit"])) button[name="action_cancel"]',
        },
    ],
});
