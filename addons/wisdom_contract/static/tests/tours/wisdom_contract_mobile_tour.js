import { registry } from "@web/core/registry";

// On a phone only the first visible header button shows, the others are in the ⋮ menu: a draft
// contract shows 提交评审 (submit for review), not Odoo's "Send".
registry.category("web_tour.tours").add("wisdom_contract_submit_on_phone", {
    steps: () => [
        {
            trigger: '.o_form_view .o_statusbar_buttons > button.btn-primary[name="action_wisdom_submit_review"]:contains("提交评审")',
        },
        {
            // the quotation's Send is not the visible button (it is in the ⋮ menu)
            trigger: '.o_form_view .o_statusbar_buttons:not(:has(> button[name="action_quotation_send"]))',
        },
        {
            trigger: '.o_form_view .o_statusbar_buttons > button[name="action_wisdom_submit_review"]',
            run: "click",
        },
        {
            // submitted: the button is gone and the review waits for the director
            trigger: '.o_form_view:not(:has(button[name="action_wisdom_submit_review"])) .o_field_widget[name="review_state"]:contains("待审批")',
        },
    ],
});

// An approver opens the contracts waiting for them, reads a contract under review and approves it.
registry.category("web_tour.tours").add("wisdom_contract_approve_on_phone", {
    steps: () => [
        {
            trigger: '.o_data_row:contains("手机审批客户") td.o_data_cell[name="contract_no"]',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="review_findings_html"]:contains("底价")',
        },
        {
            trigger: '.o_form_view button[name="validate_tier"]',
            run: "click",
        },
        {
            // the approver is told that the contract is approved
            trigger: ".o_notification:contains('已全部批准')",
        },
    ],
});

// On a desktop, an approver goes from the approvals counter in the top bar (OCA's systray menu, which
// opens sale.order with its default views) to the contract and approves it, without any client error.
registry.category("web_tour.tours").add("wisdom_contract_approve_from_systray", {
    steps: () => [
        {
            trigger: ".o_menu_systray .fa-pencil-square-o",
            run: "click",
        },
        {
            trigger: ".o-mail-ActivityGroup",
            run: "click",
        },
        {
            trigger: '.o_kanban_record:contains("手机审批客户"), .o_data_row:contains("手机审批客户") td.o_data_cell:first',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="review_findings_html"]:contains("底价")',
        },
        {
            trigger: '.o_form_view button[name="validate_tier"]',
            run: "click",
        },
        {
            trigger: ".o_notification:contains('已全部批准')",
        },
    ],
});
