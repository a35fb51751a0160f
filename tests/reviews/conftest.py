"""A rostered world for the review tests, built through the services under time travel."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from tests.builders import make_user
from vigil.rosters.services import DesignationEntry, roster_publish


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


ROLES = ("mp_sergeant", "duty_inspector", "on_call_di", "on_call_superintendent")


def publish(
    world, first: date, days: int, *, people=None, area=None, slots=None, roles=ROLES, at=None
):
    """Designate every role of every slot for `days` days (mp sergeant per slot from
    `people`, a dict slot code -> person or a function (day, code) -> person)."""
    people = people or {
        "early": world.sergeant,
        "late": world.sergeant_b,
        "night": world.acting_sergeant,
    }
    entries = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        for code in slots or ("early", "late", "night"):
            sergeant = people(day, code) if callable(people) else people[code]
            for role, person in (
                ("mp_sergeant", sergeant),
                ("duty_inspector", world.inspector),
                ("on_call_di", world.detective_inspector),
                ("on_call_superintendent", world.superintendent),
            ):
                if role in roles:
                    entries.append(DesignationEntry(day, code, role, person))
    when = at or datetime.combine(first - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    with time_machine.travel(when, tick=False):
        roster_publish(area=area or world.area, entries=entries, actor=world.inspector)


@pytest.fixture
def sergeants(world):
    """Six more sergeants, recorded (like the world) on 1 January 2024."""
    with time_machine.travel(utc(2024, 1, 1, 9, 30), tick=False):
        return [
            make_user(world.force, "sergeant", team=world.team, first="Ser", last=f"Geant{i}")
            for i in range(6)
        ]
