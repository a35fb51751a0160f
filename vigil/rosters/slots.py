"""Turning an area's slot definitions into real instants, right across clock changes.

A slot belongs to the London date it starts on; it ends when the wall clock next shows its
end time, so the night slot over the October change lasts nine hours and over the March
change seven.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from vigil.core.time import london_date, london_wall

# Default accountability slots (issue 2; a force may define its own).
DEFAULT_SLOTS = [
    ("early", "Early", time(7, 0), time(15, 0)),
    ("late", "Late", time(15, 0), time(23, 0)),
    ("night", "Night", time(23, 0), time(7, 0)),
]


@dataclass(frozen=True)
class Slot:
    date: date
    code: str
    name: str
    starts_at: datetime
    ends_at: datetime

    @property
    def key(self) -> tuple[date, str]:
        return (self.date, self.code)


def slot_on(definition, day: date) -> Slot:
    return _slot(definition.code, definition.name, definition.starts, definition.ends, day)


@lru_cache(maxsize=65536)
def _slot(code: str, name: str, starts: time, ends: time, day: date) -> Slot:
    """Pure in its arguments (never keyed on a database id), so safe to remember: the board
    and review windows ask for the same slots for every case."""
    ends_day = day + timedelta(days=1) if ends <= starts else day
    return Slot(
        date=day,
        code=code,
        name=name,
        starts_at=london_wall(day, starts),
        ends_at=london_wall(ends_day, ends),
    )


def slots_between(definitions, start: datetime, end: datetime) -> list[Slot]:
    """Every slot that overlaps [start, end), in time order."""
    first = london_date(start) - timedelta(days=1)
    last = london_date(end)
    result = []
    day = first
    while day <= last:
        for definition in definitions:
            slot = slot_on(definition, day)
            if slot.ends_at > start and slot.starts_at < end:
                result.append(slot)
        day += timedelta(days=1)
    return sorted(result, key=lambda s: s.starts_at)


def slot_containing(definitions, at: datetime) -> Slot | None:
    for slot in slots_between(definitions, at, at + timedelta(microseconds=1)):
        if slot.starts_at <= at < slot.ends_at:
            return slot
    return None
