from . import wisdom_plan_adjust_wizard
