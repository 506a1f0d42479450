"""19.0.1.1.0, before the update.

- Shipment requests lose the "sent to SAP" step until an SAP bridge provides it: requests left in
  that step go back to ``approved``, from which their shipment is confirmed.
- The contracts' execution figures become stored: their columns are created here, so that the ORM
  does not compute them one field at a time during the update; ``post-migrate.py`` fills them.
"""

from odoo.tools.sql import column_exists, create_column

EXECUTION_COLUMNS = {
    "shipped_amount": "numeric",
    "shipped_percent": "double precision",
    "invoiced_amount": "numeric",
    "invoiced_percent": "double precision",
    "collected_amount": "numeric",
    "collected_percent": "double precision",
    "outstanding_amount": "numeric",
    "receivable_amount": "numeric",
    "overdue_amount": "numeric",
    "overdue_days": "int4",
    "retention_outstanding": "numeric",
    "retention_due_amount": "numeric",
    "execution_state": "varchar",
}


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE wisdom_shipment_request SET state = 'approved' WHERE state = 'sent'")
    for column, column_type in EXECUTION_COLUMNS.items():
        if not column_exists(cr, "sale_order", column):
            create_column(cr, "sale_order", column, column_type)
