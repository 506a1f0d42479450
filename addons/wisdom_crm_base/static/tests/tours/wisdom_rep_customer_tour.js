import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A sales rep opens Wisdom CRM (on the dashboard), goes to the customer library, creates a customer in the customer library and finds it again.
registry.category("web_tour.tours").add("wisdom_rep_creates_customer", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="wisdom_crm_base.menu_wisdom_root"]',
            run: "click",
        },
        // the app opens on the rep's dashboard: the customer library is under 客户 → 客户
        {
            trigger: 'button[data-menu-xmlid="wisdom_crm_base.menu_wisdom_customers_root"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="wisdom_crm_base.menu_wisdom_customers"]',
            run: "click",
        },
        {
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="name"] input, .o_form_view .o_field_widget[name="name"] textarea',
            run: "edit 湖南星沙智能配电有限公司",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="phone"] input',
            run: "edit 0731-8888 1234",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: '.o_breadcrumb .active:contains("湖南星沙智能配电有限公司")',
        },
        {
            trigger: '.o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a',
            run: "click",
        },
        {
            trigger: '.o_list_view .o_data_cell[name="complete_name"]:contains("湖南星沙智能配电有限公司"), .o_list_view .o_data_cell:contains("湖南星沙智能配电有限公司")',
        },
    ],
});
