from . import test_qichacha
