"""A rostered, staffed world for notices and prompts (built through the services).

June 2024: London is on BST (UTC+1), so `london(...)` below turns wall-clock times into UTC.
Slots: early 07:00-15:00, late 15:00-23:00, night 23:00-07:00 (London).
Roster, every slot: missing person sergeant early = PS Archer, late = PS Baker, night = the
acting sergeant; duty inspector Ivy; on-call DI Dee; on-call superintendent Sue.
Duty hours: Archer 07:00-15:00, Baker 15:00-23:00, the acting sergeant 23:00-07:00, Ivy
07:00-19:00, Sue 09:00-17:00, each day.
"""

from datetime import date, datetime, time, timedelta

from tests.builders import report
from vigil.core.time import LONDON
from vigil.organisation.models import User
from vigil.rosters.services import DesignationEntry, duty_record_many, roster_publish

FIRST_DAY = date(2024, 6, 2)
DAYS = 10


def london(day: int, hour: int, minute: int = 0) -> datetime:
    """Wall-clock time in London on 1 + `day` June 2024 (so london(3, 9) is 3 June, 09:00)."""
    return datetime.combine(date(2024, 6, day), time(hour, minute), tzinfo=LONDON)


def publish_roster(world, first: date = FIRST_DAY, days: int = DAYS) -> None:
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
            entries += [DesignationEntry(day, code, role, p) for role, p in people.items()]
    roster_publish(area=world.area, entries=entries, system_job="test-roster")


def record_duty_hours(world, first: date = FIRST_DAY, days: int = DAYS) -> None:
    hours = [
        (world.sergeant, 7, 8),
        (world.sergeant_b, 15, 8),
        (world.acting_sergeant, 23, 8),
        (world.inspector, 7, 12),
        (world.superintendent, 9, 8),
    ]
    periods = []
    for offset in range(-1, days):
        day = first + timedelta(days=offset)
        for person, start, length in hours:
            starts = datetime.combine(day, time(start), tzinfo=LONDON)
            periods.append((person, starts, starts + timedelta(hours=length)))
    duty_record_many(periods=periods, actor=world.inspector)


def give_emails(world) -> None:
    for person in (
        world.sergeant,
        world.sergeant_b,
        world.acting_sergeant,
        world.inspector,
        world.detective_inspector,
        world.superintendent,
        world.constable,
    ):
        person.email = f"{person.username}@police.example"
        User.objects.filter(pk=person.pk).update(email=person.email)


def staff(world) -> None:
    publish_roster(world)
    record_duty_hours(world)
    give_emails(world)


def report_missing(world, **kwargs):
    """A medium-risk case reported now (last seen three hours ago)."""
    return report(world, **kwargs)
