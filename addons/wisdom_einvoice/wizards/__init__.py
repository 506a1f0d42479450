from . import wisdom_invoice_red_wizard
