"""Reporting a missing person: refused with a reason when something is wrong, nothing half-made."""

from datetime import timedelta

import pytest
import time_machine

from tests.builders import build_world, report, utc
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case
from vigil.core.errors import NotAllowed, ServiceError
from vigil.missing.services import missing_report
from vigil.people.models import Person
from vigil.people.services import PersonDetails


def _report(world, **overrides):
    at = utc(2024, 8, 1, 20)
    fields = dict(
        actor=world.constable,
        area=world.area,
        subject=PersonDetails(given_name="Amy", family_name="Example"),
        reported_at=at,
        last_seen_at=at - timedelta(hours=2),
        last_seen_place="Bus station",
        circumstances="Did not return from college.",
    )
    fields.update(overrides)
    with time_machine.travel(utc(2024, 8, 1, 21), tick=False):
        return missing_report(**fields)


def test_a_report_creates_person_case_and_episode_with_events(world):
    episode = _report(
        world,
        reporter=PersonDetails(given_name="Rob", family_name="Example"),
        reporter_relationship="stepfather",
        missing_from_address="Oak House",
    )
    case = episode.case
    assert case.reference.startswith("MP-2024-") and case.status == "reported"
    assert episode.subject.full_name == "Amy Example"
    assert episode.reporter_relationship == "stepfather"
    assert episode.missing_from.address == "Oak House"
    assert list(AuditEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
        "case.opened",
        "missing.reported",
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reported_at": utc(2024, 8, 2, 9)}, "reported_at"),
        ({"last_seen_at": utc(2024, 8, 1, 20, 30)}, "last_seen_at"),
        ({"last_seen_place": " "}, "last_seen_place"),
        ({"circumstances": ""}, "circumstances"),
        ({"subject": PersonDetails(given_name="", family_name="X")}, "given_name"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_kept(world, overrides, field):
    with pytest.raises(ServiceError) as refused:
        _report(world, **overrides)
    assert refused.value.field == field
    assert not Case.objects.exists() and not Person.objects.exists()


def test_a_naive_time_is_refused(world):
    from datetime import datetime

    with pytest.raises(ServiceError, match="offset") as refused:
        _report(world, reported_at=datetime(2024, 8, 1, 20))
    assert refused.value.field == "reported_at"


def test_reporting_into_another_forces_area_is_refused(world):
    other = build_world(code="other", name="Other Constabulary")
    with pytest.raises(NotAllowed):
        _report(world, area=other.area)


def test_an_existing_person_is_linked_not_retyped(world):
    first = report(world, given="Cara", family="Repeat")
    subject = first.missing.subject
    episode = _report(world, subject=subject)
    assert episode.subject == subject
    assert Person.objects.filter(given_name="Cara").count() == 1
    assert subject.episodes.count() == 2
