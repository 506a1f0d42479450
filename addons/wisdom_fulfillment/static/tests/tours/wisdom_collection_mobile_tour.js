import {registry} from "@web/core/registry";

// On a phone, finance opens a customer payment from its card, lets the suggestion book it to the
// oldest open instalment (建议分配, in the ⋮ menu) and confirms the collection (回款确认, the one
// button the header shows).
registry.category("web_tour.tours").add("wisdom_collection_confirm_on_phone", {
    steps: () => [
        {
            trigger: '.o_kanban_view .o_kanban_record:contains("手机回款客户")',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_statusbar_buttons > button.btn-primary[name="action_wisdom_confirm_allocation"]',
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:has(.oi-ellipsis-v)",
            run: "click",
        },
        {
            trigger: '.o-dropdown--menu button[name="action_wisdom_suggest_allocation"]',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_notebook .nav-link[name="wisdom_allocation"]',
            run: "click",
        },
        {
            // the suggestion: the prepayment instalment, 300 of the 300 received
            trigger: '.o_form_view .o_field_widget[name="wisdom_allocation_ids"] .o_data_row:contains("300.00")',
        },
        {
            trigger: '.o_form_view .o_field_widget[name="wisdom_collection_state"]:contains("待确认")',
        },
        {
            trigger: '.o_form_view .o_statusbar_buttons > button[name="action_wisdom_confirm_allocation"]',
            run: "click",
        },
        {
            // confirmed: the buttons are gone and the whole payment is allocated
            trigger:
                '.o_form_view:not(:has(button[name="action_wisdom_confirm_allocation"])) .o_field_widget[name="wisdom_collection_state"]:contains("已分配")',
        },
    ],
});
