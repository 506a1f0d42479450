from odoo import api, models


class WisdomRegistryCacheMixin(models.AbstractModel):
    """Drops the registry caches when records that cached figures depend on change: record rules
    (ir.rule caches each user's domains, which list team members and pool members) and ormcached
    look-ups such as the assignment rules of new customers. Creating or deleting a record always
    drops them; a write only when it changes one of ``_wisdom_cache_fields``."""

    _name = "wisdom.registry.cache.mixin"
    _description = "Cache Invalidation on Change"

    _wisdom_cache_fields = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        if self._wisdom_cache_fields & vals.keys():
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
