"""A rostered world for the responsibility ledger tests (built through the services)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from vigil.rosters.services import DesignationEntry, roster_publish

# January: London is on UTC, so the times below read as the wall clock does.
DAY = date(2027, 1, 12)


def at(hour: int, minute: int = 0, day: int = 0, second: int = 0, micro: int = 0) -> datetime:
    base = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC) + timedelta(days=day)
    return base.replace(hour=hour, minute=minute, second=second, microsecond=micro)


def roster_plan(world, first: date, days: int, *, gaps=()) -> list[DesignationEntry]:
    """Early: Archer, late: Baker, night: the acting sergeant; Ivy the duty inspector, Dee the
    on-call DI, Sue the on-call superintendent. `gaps`: (day offset, slot, role) left empty."""
    mp = {"early": world.sergeant, "late": world.sergeant_b, "night": world.acting_sergeant}
    entries = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        for code in ("early", "late", "night"):
            people = {
                "mp_sergeant": mp[code],
                "duty_inspector": world.inspector,
                "on_call_di": world.detective_inspector,
                "on_call_superintendent": world.superintendent,
            }
            for role, person in people.items():
                if (offset, code, role) in gaps:
                    continue
                entries.append(DesignationEntry(day, code, role, person))
    return entries


def publish_roster(world, first: date, days: int, *, area=None, gaps=()) -> None:
    roster_publish(
        area=area or world.area,
        entries=roster_plan(world, first, days, gaps=gaps),
        system_job="test-roster",
    )


@pytest.fixture
def rostered(world):
    """The world with North rostered from the day before DAY for five days."""
    publish_roster(world, DAY - timedelta(days=1), 5)
    return world


@pytest.fixture
def clock():
    """Frozen time from 06:00 on DAY; tests move it forward (selectors read "now" from it)."""
    with time_machine.travel(at(6, 0), tick=False) as traveller:
        yield traveller
