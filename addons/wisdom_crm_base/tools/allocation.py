"""Automatic customer allocation (自动分配): which rule applies, which rep of the team gets the customer."""

from dataclasses import dataclass, field


@dataclass
class AllocationRule:
    id: int
    state_ids: frozenset = field(default_factory=frozenset)  # empty: any region
    categories: frozenset = field(default_factory=frozenset)  # empty: any category
    method: str = "least_loaded"  # or "round_robin"
    member_ids: tuple = ()  # the team's reps, in a stable order
    last_user_id: int = 0


def matching_rule(rules, state_id, category):
    """The first rule (in the given order) whose region and category conditions hold."""
    for rule in rules:
        if rule.state_ids and state_id not in rule.state_ids:
            continue
        if rule.categories and category not in rule.categories:
            continue
        if rule.member_ids:
            return rule
    return None


def pick_user(rule, loads):
    """Rep who gets the next customer: fewest customers (ties: team order) or the next in turn."""
    members = list(rule.member_ids)
    if rule.method == "round_robin":
        if rule.last_user_id in members:
            return members[(members.index(rule.last_user_id) + 1) % len(members)]
        return members[0]
    return min(members, key=lambda user_id: (loads.get(user_id, 0), members.index(user_id)))
