import {registry} from "@web/core/registry";

// On a phone, a sales rep opens a demand whose material codes wait for PLM (down) and reads its e-flow.
registry.category("web_tour.tours").add("wisdom_eflow_on_phone", {
    steps: () => [
        {
            trigger: '.o_form_view .o_notebook a.nav-link:contains("电子流")',
            run: "click",
        },
        {
            // the material codes step waits for PLM, the steps before it are done
            trigger: '.o_wisdom_eflow .o_wisdom_eflow_waiting:contains("等待 PLM"):contains("不可用")',
        },
        {
            trigger: ".o_wisdom_eflow .o_wisdom_eflow_done:contains('产品经理评审')",
        },
        {
            trigger: ".o_wisdom_eflow",
            run() {
                const flow = document.querySelector(".o_wisdom_eflow");
                const page = document.documentElement;
                if (flow.scrollWidth > flow.clientWidth + 1 || page.scrollWidth > window.innerWidth + 1) {
                    throw new Error("The e-flow is wider than the phone's screen.");
                }
            },
        },
    ],
});
