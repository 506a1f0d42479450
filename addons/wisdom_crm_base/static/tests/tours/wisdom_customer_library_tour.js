import {registry} from "@web/core/registry";

// The customer library as people work from it: columns on a desktop, cards on a phone, and the
// public pool where a rep selects customers and claims them (领取).
const CUSTOMER = "星城智能电网科技有限公司";
const POOLED = "湘潭公海配电有限公司";

registry.category("web_tour.tours").add("wisdom_customer_library_list", {
    steps: () => [
        ...[
            "customer_code",
            "complete_name",
            "credit_code",
            "customer_category",
            "customer_grade",
            "user_id",
            "pool_state",
            "wisdom_last_followup",
        ].map((name) => ({trigger: `.o_list_view th[data-name="${name}"]`})),
        {
            trigger: `.o_data_row:contains("${CUSTOMER}") .o_data_cell[name="credit_code"]:contains("91430100MA4L0K7C0W")`,
        },
        {trigger: `.o_data_row:contains("${CUSTOMER}") .o_data_cell[name="customer_code"]:contains("KH")`},
        {trigger: `.o_data_row:contains("${CUSTOMER}") .o_data_cell[name="customer_grade"]:contains("B")`},
    ],
});

registry.category("web_tour.tours").add("wisdom_customer_library_cards", {
    steps: () => [
        {trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_customer_code:contains("KH")`},
        {trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_credit_code:contains("91430100MA4L0K7C0W")`},
        {trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_category`},
        {trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_grade:contains("B")`},
        {trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_pool_state`},
        {trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_last_activity`},
    ],
});

registry.category("web_tour.tours").add("wisdom_pool_claim", {
    steps: () => [
        ...["pool_id", "released_at", "previous_owner_id", "pool_reason", "reclaimed_at"].map((name) => ({
            trigger: `.o_list_view th[data-name="${name}"]`,
        })),
        {trigger: `.o_data_row:contains("${POOLED}") .o_data_cell[name="pool_reason"]:contains("客户暂无需求")`},
        {trigger: `.o_data_row:contains("${POOLED}") .o_list_record_selector input`, run: "click"},
        {trigger: `button[name="action_claim"]`, run: "click"},
        {trigger: ".o_notification:contains(1)"},
        {trigger: `.o_list_view:not(:has(.o_data_row:contains("${POOLED}")))`},
    ],
});

// On a phone, a rep finds a customer with the search bar, opens its card and logs a follow-up (跟进记录)
// as a note in the chatter.
registry.category("web_tour.tours").add("wisdom_followup_on_phone", {
    steps: () => [
        {
            // the library opens as cards on a phone
            trigger: ".o_kanban_view .o_kanban_record",
        },
        {
            trigger: ".o_control_panel button:has(.fa-search)",
            run: "click",
        },
        {
            trigger: ".o_control_panel .o_searchview_input",
            run: `edit ${CUSTOMER}`,
        },
        {
            trigger: ".o_searchview_autocomplete .o-dropdown-item:first",
            run: "click",
        },
        {
            trigger: `.o_searchview_facet:contains("${CUSTOMER}")`,
        },
        {
            trigger: `.o_kanban_view:not(:has(.o_kanban_record:not(:contains("${CUSTOMER}")):not(.o_kanban_ghost))) .o_kanban_record:contains("${CUSTOMER}")`,
            run: "click",
        },
        {
            trigger: `.o_form_view .o_field_widget[name="name"] :value("${CUSTOMER}")`,
        },
        {
            trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-logNote",
            run: "click",
        },
        {
            trigger: ".o-mail-Chatter .o-mail-Composer-input",
            run: "edit 上门拜访：客户确认二期配电改造预算",
        },
        {
            trigger: ".o-mail-Chatter .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            trigger: '.o-mail-Chatter .o-mail-Message:contains("上门拜访：客户确认二期配电改造预算")',
        },
    ],
});

// On a phone, a rep opens a customer of the public pool from its card and claims it (领取).
registry.category("web_tour.tours").add("wisdom_pool_claim_on_phone", {
    steps: () => [
        {
            trigger: `.o_kanban_view .o_kanban_record:contains("${POOLED}") .o_wisdom_pool_reason:contains("客户暂无需求")`,
        },
        {
            trigger: `.o_kanban_view .o_kanban_record:contains("${POOLED}")`,
            run: "click",
        },
        {
            // 领取 is the one button a phone shows in the form's header
            trigger: '.o_form_view .o_statusbar_buttons > button.btn-primary[name="action_claim"]',
            run: "click",
        },
        {
            trigger: ".o_notification:contains(1)",
        },
        {
            trigger: '.o_form_view:not(:has(button[name="action_claim"])) .o_statusbar_buttons > button',
        },
    ],
});
