import {rpc} from "@web/core/network/rpc";
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

// A contract admin imports historical workbooks: opens the wizard from its menu, uploads the .zip the
// test left among their attachments (as a file picked on the desktop), looks at the preview and starts
// the run; once the job has run, the run's form shows its figures. Test: tests/test_migration_tour.py.
const UPLOAD = "历史台账_巡检.zip";
const WIZARD = ".modal .o_form_view";

async function pickUpload() {
    const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
        model: "ir.attachment",
        method: "search_read",
        args: [[["name", "=", UPLOAD]], ["name", "datas", "mimetype"]],
        kwargs: {},
    });
    const bytes = Uint8Array.from(atob(attachment.datas), (char) => char.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], attachment.name, {type: attachment.mimetype}));
    const input = document.querySelector(`${WIZARD} .o_field_widget[name="source_file"] input[type="file"]`);
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
}

registry.category("web_tour.tours").add("wisdom_migration_wizard", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {trigger: '.o_app[data-menu-xmlid="wisdom_crm_base.menu_wisdom_root"]', run: "click"},
        {trigger: 'button[data-menu-xmlid="wisdom_crm_base.menu_wisdom_config"]', run: "click"},
        {trigger: 'a[data-menu-xmlid="wisdom_migration.menu_wisdom_migration_import"]', run: "click"},
        {trigger: `${WIZARD} .o_field_widget[name="source_file"] .o_select_file_button`, run: pickUpload},
        {trigger: `${WIZARD} .o_field_widget[name="source_file"] input.o_input:value("${UPLOAD}")`},
        {trigger: `.modal-footer button[name="action_preview"]`, run: "click"},
        // the first rows of each sheet as the mapping cleans them, with the cells it refuses
        {trigger: `${WIZARD} .o_field_widget[name="preview_html"] td:text("KH00001")`},
        {trigger: `${WIZARD} .o_field_widget[name="preview_html"] th:text("客户名称 → name")`},
        {trigger: `${WIZARD} .o_field_widget[name="preview_html"] th:text("行号 → sale_line_sequence")`},
        {trigger: `${WIZARD} .o_field_widget[name="preview_html"] th:text("物料编码 → product_code")`},
        // a cell of two contacts is refused with its reason
        {
            trigger: `${WIZARD} .o_field_widget[name="preview_html"] tr:has(td:text("LXR000003")) td:last-child:not(:empty)`,
        },
        {trigger: `.modal-footer button[name="action_start"]`, run: "click"},
        // the run's form while the job waits: queued, with its progress bar
        {trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="queued"]'},
        {trigger: '.o_form_view .o_field_widget[name="progress"]'},
        {trigger: `.o_form_view .o_field_widget[name="source_file"]:contains("${UPLOAD}")`},
    ],
});

// The figures of the sample set of tests/test_migration_tour.py (5 customers, seed 35).
registry.category("web_tour.tours").add("wisdom_migration_run_result", {
    steps: () => [
        {trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="passed"]'},
        {trigger: '.o_form_view .o_field_widget[name="rows_loaded"]:text("76")'},
        {trigger: '.o_form_view .o_field_widget[name="rows_rejected"]:text("4")'},
        {trigger: '.o_form_view .o_field_widget[name="accuracy"]:text("100.000")'},
        {trigger: '.o_form_view .o_field_widget[name="money_differences"]:text("0")'},
        {trigger: '.o_form_view .o_field_widget[name="report_file"] .o_form_uri'},
        {trigger: '.o_form_view .o_field_widget[name="reject_file"] .o_form_uri'},
        // the summary: rows per sheet and the refused rows counted by reason, with an example
        {trigger: '.o_form_view .o_field_widget[name="summary_html"] td:text("invoice_line_unmatched")'},
        {trigger: '.o_form_view .o_field_widget[name="summary_html"] td:text("product_unknown")'},
        {trigger: '.o_form_view .o_field_widget[name="summary_html"] tr:has(td:text("invoices"))'},
    ],
});
