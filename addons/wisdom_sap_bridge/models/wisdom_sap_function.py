import base64
import tempfile

import requests

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import sap

OPERATIONS = [
    ("sales_order_create", "Create sales order"),
    ("sales_order_find", "Find sales order by customer reference"),
    ("customer_maintain", "Create or change customer"),
    ("delivery_create", "Create outbound delivery"),
    ("delivery_find", "Find outbound delivery by shipment request"),
    ("changes_get", "Read documents changed since the last poll"),
]


class WisdomSapFunction(models.Model):
    """One SAP function the bridge calls: the Z wrapper's operation name in the WSDL, its service
    path, and the maps from the CRM's values to SAP's fields and from BAPIRET2 types to outcomes.

    The customer's SAP team maps their wrappers here, without code."""

    _name = "wisdom.sap.function"
    _description = "SAP Function"
    _order = "operation, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", index=True, help="Empty: used by every company.")
    operation = fields.Selection(OPERATIONS, required=True, index=True)
    function_name = fields.Char(
        string="Operation in the WSDL",
        required=True,
        help="Camel-case name of the Z wrapper, e.g. ZWisdomSalesorderCreate for ZWISDOM_SALESORDER_CREATE.",
    )
    service_path = fields.Char(
        string="Service Path",
        required=True,
        default="/sap/bc/srt/rfc/sap/zwisdom_crm/100/zwisdom_crm/zwisdom_crm",
        help="Appended to the SAP endpoint's base URL.",
    )
    wsdl_file = fields.Binary(
        string="WSDL",
        attachment=True,
        help="The service's WSDL from SOAMANAGER; empty: the WSDL shipped with the bridge.",
    )
    wsdl_filename = fields.Char(string="WSDL File Name")
    field_map = fields.Text(
        string="Field Map",
        help='JSON object: CRM name → SAP field, e.g. {"reference": "PurchNoC"}; names not listed keep their default.',
    )
    constants = fields.Text(
        string="Constant Values",
        help='JSON object of fixed values, e.g. {"header": {"DocType": "ZOR", "SalesOrg": "1000"}, '
        '"partner_role": "AG", "condition_type": "PR00"}.',
    )
    status_map = fields.Text(
        string="Status Map",
        help='JSON object: BAPIRET2 type → success, warning, info or error, e.g. {"W": "warning", "E": "error"}. '
        "An error refuses the request.",
    )
    note = fields.Text(string="Notes")

    _operation_company_unique = models.UniqueIndex(
        "(operation, COALESCE(company_id, 0)) WHERE active",
        "Each SAP operation is configured once per company.",
    )

    # CONSTRAINT METHODS

    @api.constrains("field_map", "constants", "status_map")
    def _check_maps(self):
        for function in self:
            try:
                function._wisdom_mapping()
            except sap.BadConfiguration as error:
                raise ValidationError(
                    self.env._("The maps of %(name)s are not valid: %(error)s", name=function.name, error=error.message)
                ) from error

    # BUSINESS METHODS

    @api.model
    def _wisdom_for(self, operation, company=None):
        """The active configuration of ``operation`` (the company's own before the shared one)."""
        company = company or self.env.company
        functions = self.sudo().search(
            [("operation", "=", operation), ("company_id", "in", [False, company.id])], order="company_id, id"
        )
        return functions.filtered("company_id")[:1] or functions[:1]

    def _wisdom_mapping(self):
        self.ensure_one()
        return sap.mapping_from(self.field_map, self.constants, self.status_map)

    def _wisdom_client(self, endpoint, wsdl_dir):
        """A zeep client of this function's service on ``endpoint`` (basic auth from its credentials)."""
        self.ensure_one()
        endpoint = endpoint.sudo()
        session = requests.Session()
        if endpoint.username:
            session.auth = (endpoint.username, endpoint.password or "")
        wsdl = None
        if self.wsdl_file:
            wsdl = f"{wsdl_dir}/{self.id}.wsdl"
            with open(wsdl, "wb") as handle:
                handle.write(base64.b64decode(self.wsdl_file))
        address = endpoint.base_url.rstrip("/") + "/" + (self.service_path or "").lstrip("/")
        return sap.SapClient(address, session=session, timeout=endpoint.timeout, wsdl=wsdl)

    @staticmethod
    def _wisdom_wsdl_dir():
        """A throw-away directory for uploaded WSDLs (zeep reads WSDLs from files or URLs)."""
        return tempfile.TemporaryDirectory(prefix="wisdom_sap_")
