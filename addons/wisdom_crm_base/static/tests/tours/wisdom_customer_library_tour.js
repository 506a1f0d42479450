import { registry } from "@web/core/registry";

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
        ].map((name) => ({ trigger: `.o_list_view th[data-name="${name}"]` })),
        { trigger: `.o_data_row:contains("${CUSTOMER}") .o_data_cell[name="credit_code"]:contains("91430100MA4L0K7C0W")` },
        { trigger: `.o_data_row:contains("${CUSTOMER}") .o_data_cell[name="customer_code"]:contains("KH")` },
        { trigger: `.o_data_row:contains("${CUSTOMER}") .o_data_cell[name="customer_grade"]:contains("B")` },
    ],
});

registry.category("web_tour.tours").add("wisdom_customer_library_cards", {
    steps: () => [
        { trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_customer_code:contains("KH")` },
        { trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_credit_code:contains("91430100MA4L0K7C0W")` },
        { trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_category` },
        { trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_grade:contains("B")` },
        { trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_pool_state` },
        { trigger: `.o_kanban_record:contains("${CUSTOMER}") .o_wisdom_last_activity` },
    ],
});

registry.category("web_tour.tours").add("wisdom_pool_claim", {
    steps: () => [
        ...["pool_id", "released_at", "previous_owner_id", "pool_reason", "reclaimed_at"].map((name) => ({
            trigger: `.o_list_view th[data-name="${name}"]`,
        })),
        { trigger: `.o_data_row:contains("${POOLED}") .o_data_cell[name="pool_reason"]:contains("客户暂无需求")` },
        { trigger: `.o_data_row:contains("${POOLED}") .o_list_record_selector input`, run: "click" },
        { trigger: `button[name="action_claim"]`, run: "click" },
        { trigger: ".o_notification:contains(1)" },
        { trigger: `.o_list_view:not(:has(.o_data_row:contains("${POOLED}")))` },
    ],
});
