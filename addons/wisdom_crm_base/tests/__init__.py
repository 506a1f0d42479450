from . import test_record_rules
