"""How invoice rows become posted customer invoices linked to the contract lines they invoice (so
the contract's invoiced quantities, amount and percent move): mixed into the migration loader
(``migration_loader.Loader``) beside ``migration_sheets.SheetLoaders``; the spreading of an amount
over contract lines is ``tools/invoicing.py``."""

from decimal import Decimal

from odoo.fields import Command

from ..tools import invoicing, reconcile
from .migration_values import RowError, changed_values

# precisions of an invoice line's quantity and unit price
DIGITS = ("Product Unit", "Product Price")


class InvoiceLoaders:
    """Mixed into ``Loader``: ``_load_invoices`` and what it needs."""

    # INVOICES (each linked to the contract lines it invoices, so the contract's invoiced figures move)

    def _load_invoices(self, sheet):
        def build(row):
            self._resolve_all(sheet, row)
            vals = self._field_vals(sheet, row)
            vals.update(
                move_type="out_invoice",
                company_id=self.company.id,
                invoice_line_ids=[Command.create(line) for line in self._invoice_line_vals(sheet, row)],
            )
            return vals

        rows = [row for row in self.rows[sheet.name] if row.ok]
        # the contracts the rows name, read together (their lines are read once for all rows)
        numbers = {row.values["invoice_origin"] for row in rows if row.values.get("invoice_origin")}
        self.invoiced_contracts = {number: self._contract(number) for number in numbers}
        self.invoiced_orders = self.env["sale.order"].browse({id_ for id_ in self.invoiced_contracts.values() if id_})
        self._sync(sheet, rows, build, self._create_invoices, self._update_invoice)

    def _invoice_line_vals(self, sheet, row):
        """The invoice lines of a row: linked to the lines of the contract it names (tools/invoicing.py),
        or one unlinked line when it names no contract; raise RowError when the contract or the line
        it names is not there."""
        values, amount = row.values, row.values["amount_total"]
        if not values.get("invoice_origin"):
            return [{"name": values["ref"], "quantity": 1, "price_unit": float(amount), "tax_ids": [Command.clear()]}]
        order = self.invoiced_orders.browse(self.invoiced_contracts[values["invoice_origin"]])
        order = order.with_prefetch(self.invoiced_orders._prefetch_ids)
        if not order:
            column = sheet.column_for("invoice_origin").title
            raise RowError(column, "contract_unknown", {"value": values["invoice_origin"]})
        self.resolved[sheet.name, row.key]["contract"] = order.id
        sale_lines = order.order_line.filtered(lambda line: not line.display_type)
        try:
            matched = invoicing.matching_lines(
                [self._invoiced_contract_line(line) for line in sale_lines],
                values.get("sale_line_sequence"),
                values.get("product_code"),
            )
        except invoicing.Unmatched as error:
            raise self._unmatched_invoice_line(sheet, values, error.field) from error
        steps = [Decimal(10) ** -self.env["decimal.precision"].precision_get(name) for name in DIGITS]
        by_id = {line.id: line for line in sale_lines}
        return [
            {
                "name": by_id[part.sale_line_id].name,
                "product_id": by_id[part.sale_line_id].product_id.id,
                "product_uom_id": by_id[part.sale_line_id].product_uom_id.id,
                "quantity": float(part.quantity),
                "price_unit": float(part.price_unit),
                "tax_ids": [Command.clear()],
                "sale_line_ids": [Command.set([part.sale_line_id])],
            }
            for part in invoicing.split(amount, matched, *steps)
        ]

    @staticmethod
    def _unmatched_invoice_line(sheet, values, field):
        """The RowError of a row naming a contract line that is not there, on the column of the value
        that names nothing (``field``, see ``invoicing.Unmatched``)."""
        line = values.get("sale_line_sequence")
        return RowError(
            sheet.column_for(field).title,
            "invoice_line_unmatched",
            {
                "contract": values["invoice_origin"],
                "line": "" if line is None else line,
                "product": values.get("product_code") or "",
            },
        )

    @staticmethod
    def _invoiced_contract_line(line):
        return invoicing.ContractLine(
            line.id,
            line.sequence,
            (line.product_id.default_code or "").upper(),
            Decimal(str(line.product_uom_qty)),
            Decimal(str(line.price_unit)),
            reconcile.to_money(line.price_total),
        )

    def _create_invoices(self, rows, vals_list):
        moves = self.env["account.move"].create(vals_list)
        moves.action_post()
        return moves

    def _update_invoice(self, sheet, move, vals):
        """A changed row, or an invoice of an earlier run not linked to its contract lines yet: back to
        draft, new values and lines, posted again."""
        lines = [command[2] for command in vals.pop("invoice_line_ids")]
        changed = changed_values(move, vals)
        if _invoice_line_keys(move.invoice_line_ids) != _invoice_line_keys(lines):
            changed["invoice_line_ids"] = [Command.delete(line.id) for line in move.invoice_line_ids] + [
                Command.create(line) for line in lines
            ]
        if not changed:
            return False
        linked_before = move.invoice_line_ids.sale_line_ids
        move.button_draft()
        move.write(changed)
        move.action_post()
        # Odoo keeps the invoiced quantity of a contract line left without any invoice line (as for
        # quantities imported without invoices); one this invoice no longer invoices has invoiced nothing
        linked_before.filtered(lambda line: not line.invoice_lines).write({"qty_invoiced": 0.0})
        return True


def _invoice_line_key(vals):
    """What the loader sets on an invoice line, to tell whether an invoice's lines changed."""
    links = vals["sale_line_ids"][0][2] if vals.get("sale_line_ids") else []
    return (
        vals.get("product_id") or False,
        reconcile.to_money(vals["quantity"]),
        reconcile.to_money(vals["price_unit"]),
        tuple(sorted(links)),
    )


def _invoice_line_keys(lines):
    """``_invoice_line_key`` of each line, a list of values or invoice lines, in a stable order."""
    if not isinstance(lines, list):
        lines = [
            {
                "product_id": line.product_id.id,
                "quantity": line.quantity,
                "price_unit": line.price_unit,
                "sale_line_ids": [Command.set(line.sale_line_ids.ids)],
            }
            for line in lines
        ]
    return sorted((_invoice_line_key(vals) for vals in lines), key=str)
