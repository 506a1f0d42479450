import { registry } from "@web/core/registry";

// Each role opens a figure of its dashboard (menu 仪表盘) and clicks through to the list behind it.
function clickThrough(switchToPivot) {
    const steps = [];
    if (switchToPivot) {
        steps.push({ trigger: ".o_graph_view", content: "the figure opens as a chart" });
        steps.push({ trigger: ".o_switch_view.o_pivot", run: "click" });
    }
    steps.push(
        { trigger: ".o_pivot tbody td.o_pivot_cell_value:not(:empty)", run: "click" },
        { trigger: ".o_list_view .o_data_row", content: "the records behind the figure" }
    );
    return steps;
}

registry.category("web_tour.tours").add("wisdom_dashboard_rep", {
    url: "/odoo/action-wisdom_fulfillment.action_wisdom_dash_my_overdue",
    steps: () => clickThrough(true),
});

registry.category("web_tour.tours").add("wisdom_dashboard_manager", {
    url: "/odoo/action-wisdom_fulfillment.action_wisdom_dash_team_overdue",
    steps: () => clickThrough(false),
});

registry.category("web_tour.tours").add("wisdom_dashboard_director", {
    url: "/odoo/action-wisdom_fulfillment.action_wisdom_dash_ageing",
    steps: () => clickThrough(false),
});

registry.category("web_tour.tours").add("wisdom_dashboard_finance", {
    url: "/odoo/action-wisdom_fulfillment.action_wisdom_dash_to_confirm",
    steps: () => clickThrough(false),
});
