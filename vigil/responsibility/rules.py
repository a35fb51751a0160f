"""The pure rules of the responsibility ledger: plain data in, plain answers out.

No queries here; `selectors.py` loads what a case needs (as known at K) and asks these.
"""

from datetime import datetime, timedelta

from vigil.organisation.models import RANK_LEVEL, Availability
from vigil.rosters.slots import Slot, slot_containing, slots_between

# A case still "reported" (not yet graded) needs an owner and a supervisor.
UNGRADED_REQUIREMENTS = {
    "owner": {"role": "owner", "min_rank": "constable"},
    "supervisor": {"role": "supervisor", "min_rank": "sergeant"},
}
# Minimum ranks for a role the grade does not require (someone may still be given it).
DEFAULT_REQUIREMENTS = {
    "owner": {"role": "owner", "min_rank": "constable"},
    "supervisor": {"role": "supervisor", "min_rank": "sergeant"},
    "sio": {"role": "sio", "min_rank": "inspector", "detective": True},
    "reviewing_inspector": {"role": "reviewing_inspector", "min_rank": "inspector"},
}
# When nobody is designated for the roster role a rule names, go up this chain.
FALLBACK_CHAIN = {
    "mp_sergeant": ["duty_inspector", "on_call_superintendent"],
    "duty_inspector": ["on_call_superintendent"],
    "on_call_di": ["on_call_superintendent"],
    "on_call_superintendent": [],
}
DEFAULT_ROSTER_RULE = {
    "owner": "mp_sergeant",
    "supervisor": {"sergeant": "mp_sergeant", "inspector": "duty_inspector"},
    "sio": "on_call_di",
    "reviewing_inspector": "duty_inspector",
}
UNAVAILABLE = {Availability.LEAVE, Availability.SICK, Availability.LEFT}
# Written holdings that are a default rather than somebody's choice lose a tie with a rule.
WEAK_HOWS = {"initial"}


def meets(rank: str | None, is_detective: bool, requirement: dict) -> bool:
    if rank is None:
        return False
    if RANK_LEVEL[rank] < RANK_LEVEL[requirement.get("min_rank", "constable")]:
        return False
    return not (requirement.get("detective") and not is_detective)


def roster_target(role: str, requirement: dict, roster_rule: dict | None) -> str:
    """The roster designation a rule fills `role` from, given its minimum rank."""
    rule = (roster_rule or {}).get(role, DEFAULT_ROSTER_RULE[role])
    if isinstance(rule, str):
        return rule
    wanted = RANK_LEVEL[requirement.get("min_rank", "sergeant")]
    options = sorted(
        ((RANK_LEVEL[rank], target) for rank, target in rule.items() if RANK_LEVEL[rank] >= wanted),
        key=lambda option: option[0],
    )
    return options[0][1] if options else "on_call_superintendent"


def fallback_chain(target: str) -> list[str]:
    return [target, *FALLBACK_CHAIN.get(target, ["on_call_superintendent"])]


def slot_for_derivation(definitions, at: datetime) -> Slot | None:
    """The slot whose roster decides at `at`: the one running, else the last one started."""
    slot = slot_containing(definitions, at)
    if slot is not None or not definitions:
        return slot
    earlier = [
        s for s in slots_between(definitions, at - timedelta(days=2), at) if s.starts_at <= at
    ]
    return earlier[-1] if earlier else None


def slot_of_holding(definitions, starts_at: datetime, how: str, window: timedelta) -> Slot | None:
    """The accountability slot a supervisor's holding belongs to.

    The slot containing its start; a handover recorded within `window` of that slot's end
    belongs to the next slot (the incoming supervisor takes over at shift change). A holding
    that starts between slots belongs to the next one.
    """
    slot = slot_containing(definitions, starts_at)
    if slot is None:
        upcoming = slots_between(definitions, starts_at, starts_at + timedelta(days=2))
        return upcoming[0] if upcoming else None
    if how == "handover" and starts_at >= slot.ends_at - window:
        following = slots_between(definitions, slot.ends_at, slot.ends_at + timedelta(days=2))
        return following[0] if following else slot
    return slot


def merged_unavailability(periods) -> list[tuple[datetime, datetime | None]]:
    """Merge (starts_at, ends_at or None) intervals of unavailability, in time order."""
    merged: list[list] = []
    for start, end in sorted(periods, key=lambda p: p[0]):
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last = merged[-1]
            if last[1] is not None and (end is None or end > last[1]):
                last[1] = end
            continue
        merged.append([start, end])
    return [(s, e) for s, e in merged]


def absence_trigger(
    intervals, held_from: datetime, limit: timedelta, until: datetime
) -> datetime | None:
    """When a holder's unavailability, counted from `held_from`, first exceeds `limit`."""
    for start, end in intervals:
        if end is not None and end <= held_from:
            continue
        begun = max(start, held_from)
        fires = begun + limit
        if fires > until:
            return None
        if end is None or end > fires:
            return fires
    return None


def transfer_events(
    gradings: list[tuple[datetime, str]],
    opened_at: datetime,
    at: datetime,
    transfer: dict,
) -> list[tuple[datetime, str]]:
    """Every moment up to `at` that ownership passed by policy, with the roster role it went to.

    `gradings` are (assessed_at, grade), oldest first, already filtered to those known.
    For a grade with a transfer entry, ownership passes `after_hours` after the opening, or
    when the case was graded so if that is later. A run of grades with the same next owner
    passes ownership once: medium to low does not pass it again; medium to high does, from
    the moment it was graded high.
    """
    events = []
    run_target, fired_in_run = None, False
    for index, (assessed_at, grade) in enumerate(gradings):
        if assessed_at > at:
            break
        entry = transfer.get(grade)
        target = entry["to"] if entry else None
        if target != run_target:
            run_target, fired_in_run = target, False
        if target is None or fired_in_run:
            continue
        until = gradings[index + 1][0] if index + 1 < len(gradings) else None
        fires = max(opened_at + timedelta(hours=float(entry.get("after_hours", 0))), assessed_at)
        if fires <= at and (until is None or fires < until):
            events.append((fires, target))
            fired_in_run = True
    return events
