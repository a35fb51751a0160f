"""Who is designated for an area and role at an instant, as known at another."""

from datetime import date, timedelta

import pytest
import time_machine

from tests.builders import utc
from vigil.core.errors import Conflict, ServiceError
from vigil.rosters.selectors import designated_for, designation_chain, unfilled_slots
from vigil.rosters.services import roster_correct, roster_designate

SERGEANT = "mp_sergeant"


def test_clock_change_night_belongs_to_the_date_it_starts(world):
    """26/27 October 2024: A on the night of the 26th, B on the early of the 27th."""
    with time_machine.travel(utc(2024, 10, 20, 9), tick=False):
        roster_designate(
            area=world.area,
            slot_date=date(2024, 10, 26),
            slot_code="night",
            role=SERGEANT,
            person=world.sergeant,
            actor=world.inspector,
        )
        roster_designate(
            area=world.area,
            slot_date=date(2024, 10, 27),
            slot_code="early",
            role=SERGEANT,
            person=world.sergeant_b,
            actor=world.inspector,
        )
    from datetime import datetime

    first_0130 = datetime.fromisoformat("2024-10-27T01:30+01:00")
    second_0130 = datetime.fromisoformat("2024-10-27T01:30+00:00")
    assert designated_for(world.area, SERGEANT, first_0130).person == world.sergeant
    assert designated_for(world.area, SERGEANT, second_0130).person == world.sergeant
    assert designated_for(world.area, SERGEANT, utc(2024, 10, 27, 7)).person == world.sergeant_b
    # The night slot over the October change lasts nine hours (23:00 BST to 07:00 GMT).
    night = designated_for(world.area, SERGEANT, first_0130)
    assert night.ends_at - night.starts_at == timedelta(hours=9)
    assert designated_for(world.area, SERGEANT, utc(2024, 10, 27, 6, 59, 59)).person == (
        world.sergeant
    )


def test_spring_night_slot_is_seven_hours(world):
    with time_machine.travel(utc(2024, 3, 20, 9), tick=False):
        d = roster_designate(
            area=world.area,
            slot_date=date(2024, 3, 30),
            slot_code="night",
            role=SERGEANT,
            person=world.sergeant,
            actor=world.inspector,
        )
    assert d.ends_at - d.starts_at == timedelta(hours=7)
    assert d.starts_at == utc(2024, 3, 30, 23) and d.ends_at == utc(2024, 3, 31, 6)


def test_correction_is_seen_only_as_known_after_it(world):
    with time_machine.travel(utc(2024, 6, 1, 9), tick=False):
        original = roster_designate(
            area=world.area,
            slot_date=date(2024, 6, 3),
            slot_code="late",
            role=SERGEANT,
            person=world.sergeant,
            actor=world.inspector,
        )
    with time_machine.travel(utc(2024, 6, 3, 16), tick=False):
        roster_correct(
            designation=original,
            person=world.sergeant_b,
            actor=world.inspector,
            reason="PS Archer went sick at 15:30",
        )
    during = utc(2024, 6, 3, 15, 45)
    assert (
        designated_for(world.area, SERGEANT, during, known_at=utc(2024, 6, 3, 15, 30)).person
        == world.sergeant
    )
    assert designated_for(world.area, SERGEANT, during).person == world.sergeant_b
    chain = designation_chain(original)
    assert [d.person for d in chain] == [world.sergeant, world.sergeant_b]
    assert chain[1].supersedes == original and chain[1].reason == "PS Archer went sick at 15:30"


def test_a_second_correction_must_supersede_the_current_row(world):
    with time_machine.travel(utc(2024, 6, 1, 9), tick=False):
        original = roster_designate(
            area=world.area,
            slot_date=date(2024, 6, 3),
            slot_code="late",
            role=SERGEANT,
            person=world.sergeant,
            actor=world.inspector,
        )
        roster_correct(
            designation=original, person=world.sergeant_b, actor=world.inspector, reason="swap"
        )
        with pytest.raises(Conflict):
            roster_correct(
                designation=original,
                person=world.acting_sergeant,
                actor=world.inspector,
                reason="stale form",
            )


def test_designating_the_same_slot_twice_is_refused(world):
    with time_machine.travel(utc(2024, 6, 1, 9), tick=False):
        roster_designate(
            area=world.area,
            slot_date=date(2024, 6, 3),
            slot_code="late",
            role=SERGEANT,
            person=world.sergeant,
            actor=world.inspector,
        )
        with pytest.raises(Conflict, match="correct it instead"):
            roster_designate(
                area=world.area,
                slot_date=date(2024, 6, 3),
                slot_code="late",
                role=SERGEANT,
                person=world.sergeant_b,
                actor=world.inspector,
            )


def test_rank_rules_acting_sergeant_counts_constable_does_not(world):
    with time_machine.travel(utc(2024, 6, 1, 9), tick=False):
        roster_designate(
            area=world.area,
            slot_date=date(2024, 6, 3),
            slot_code="early",
            role=SERGEANT,
            person=world.acting_sergeant,
            actor=world.inspector,
        )
        with pytest.raises(ServiceError, match="at least sergeant"):
            roster_designate(
                area=world.area,
                slot_date=date(2024, 6, 3),
                slot_code="late",
                role=SERGEANT,
                person=world.constable,
                actor=world.inspector,
            )
        with pytest.raises(ServiceError, match="not a detective"):
            roster_designate(
                area=world.area,
                slot_date=date(2024, 6, 3),
                slot_code="late",
                role="on_call_di",
                person=world.inspector,
                actor=world.inspector,
            )
        # One inspector may cover several areas.
        for area in (world.area, world.other_area):
            roster_designate(
                area=area,
                slot_date=date(2024, 6, 3),
                slot_code="late",
                role="duty_inspector",
                person=world.inspector,
                actor=world.inspector,
            )


def test_slots_with_nobody_designated_in_the_next_48_hours_are_listed(world):
    with time_machine.travel(utc(2024, 6, 1, 8), tick=False):
        roster_designate(
            area=world.area,
            slot_date=date(2024, 6, 1),
            slot_code="early",
            role=SERGEANT,
            person=world.sergeant,
            actor=world.inspector,
        )
        rows = unfilled_slots(world.area)
    keys = [(r.slot.date, r.slot.code) for r in rows]
    # From 09:00 BST on 1 June: the early slot is running; 48 hours reach into 3 June early.
    assert keys[0] == (date(2024, 6, 1), "early")
    assert keys[-1] == (date(2024, 6, 3), "early")
    assert len(keys) == 7
    early = rows[0]
    assert SERGEANT not in early.missing_roles and "duty_inspector" in early.missing_roles


def test_a_constable_cannot_change_the_roster_even_through_the_service(world):
    from vigil.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        roster_designate(
            area=world.area,
            slot_date=date(2024, 6, 3),
            slot_code="late",
            role=SERGEANT,
            person=world.sergeant,
            actor=world.constable,
        )
