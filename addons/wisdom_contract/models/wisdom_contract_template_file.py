from odoo import api, fields, models


class WisdomContractTemplateFile(models.Model):
    _name = "wisdom.contract.template.file"
    _description = "Contract Template File"
    _order = "template_id, version desc"

    template_id = fields.Many2one("wisdom.contract.template", required=True, ondelete="cascade", index=True)
    version = fields.Integer(string="Version", readonly=True, copy=False)
    file = fields.Binary(string="File", attachment=True, required=True)
    file_name = fields.Char(string="File Name")
    note = fields.Char(string="Changes")
    is_current = fields.Boolean(string="Current", readonly=True, copy=False)
    uploaded_by_id = fields.Many2one(
        "res.users", string="Uploaded By", default=lambda self: self.env.user, readonly=True
    )
    uploaded_on = fields.Datetime(string="Uploaded On", default=fields.Datetime.now, readonly=True)

    _version_unique = models.Constraint(
        "UNIQUE(template_id, version)", "Each version number of a template file is used once."
    )

    # CRUD METHODS

    @api.model_create_multi
    def create(self, vals_list):
        """Each upload is the next version of its template and becomes the current file."""
        files = self.browse()
        for vals in vals_list:
            template = self.env["wisdom.contract.template"].browse(vals["template_id"])
            previous = template.file_ids
            vals.update(version=max(previous.mapped("version"), default=0) + 1, is_current=True)
            previous.filtered("is_current").write({"is_current": False})
            files |= super().create([vals])
        return files

    # ACTION METHODS

    def action_make_current(self):
        """Go back to this version (e.g. the new one was a mistake)."""
        self.ensure_one()
        self.template_id.file_ids.filtered("is_current").write({"is_current": False})
        self.is_current = True
        return True
