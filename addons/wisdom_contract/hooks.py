def post_init_hook(env):
    """Chinese on every screen: a database whose language was activated before the suite was
    installed (e.g. without loading it at creation) has no translations for the modules installed
    before the activation; load them for every active language."""
    load_active_languages(env)


def load_active_languages(env):
    """Load the translations of every installed module for the active languages other than English;
    returns those languages' codes. Translations already there are kept."""
    langs = [code for code, _name in env["res.lang"].get_installed() if code != "en_US"]
    if langs:
        modules = env["ir.module.module"].search([("state", "in", ("installed", "to install", "to upgrade"))])
        modules._update_translations(langs)
        # the terms were written in SQL: drop what the caches still hold in the old state
        env.invalidate_all()
        env.registry.clear_all_caches()
    return langs
