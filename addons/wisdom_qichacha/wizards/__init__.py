from . import qichacha_lookup
