"""Rank at a date: acting rank counts while it lasts; history as known at a time."""

from datetime import date

import pytest

from tests.builders import make_user, utc
from vigil.core.errors import ServiceError
from vigil.organisation.selectors import availability_at, person_label, rank_meets, rank_on
from vigil.organisation.services import user_record_availability, user_record_rank


def test_acting_rank_counts_only_while_it_lasts(world):
    pc = make_user(world.force, "constable", first="Lee", last="Acting")
    user_record_rank(
        user=pc,
        rank="sergeant",
        acting=True,
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 6, 1),
        reason="cover",
        actor=world.inspector,
    )
    assert rank_on(pc, date(2024, 2, 29)) == ("constable", False)
    assert rank_on(pc, date(2024, 3, 1)) == ("sergeant", True)
    assert rank_meets(pc, "sergeant", date(2024, 5, 31))
    assert not rank_meets(pc, "sergeant", date(2024, 6, 1))
    assert person_label(pc, date(2024, 4, 1)).startswith("A/PS ")


def test_acting_rank_needs_an_end(world):
    with pytest.raises(ServiceError, match="needs an end date"):
        user_record_rank(
            user=world.constable, rank="sergeant", acting=True, starts_on=date(2024, 3, 1)
        )


def test_promotion_is_substantive_from_its_date(world):
    user_record_rank(user=world.sergeant, rank="inspector", starts_on=date(2030, 1, 1))
    assert rank_on(world.sergeant, date(2029, 12, 31)) == ("sergeant", False)
    assert rank_on(world.sergeant, date(2030, 1, 1)) == ("inspector", False)


def test_availability_periods(world):
    user_record_availability(
        user=world.constable,
        status="leave",
        starts_at=utc(2024, 9, 1),
        ends_at=utc(2024, 9, 8),
        reason="Annual leave",
    )
    assert availability_at(world.constable, utc(2024, 9, 3)) == "leave"
    assert availability_at(world.constable, utc(2024, 9, 8)) == "available"
    with pytest.raises(ServiceError, match="Choose leave"):
        user_record_availability(user=world.constable, status="dancing", starts_at=utc(2024, 9, 1))
