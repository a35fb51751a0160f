"""Policy is data with effective dates that can never reach back before it was saved."""

import copy
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from tests.builders import utc
from vigil.audit.models import AuditEvent
from vigil.core.errors import ServiceError
from vigil.policy.defaults import MISSING_PERSON
from vigil.policy.models import PolicyVersion
from vigil.policy.selectors import policy_at
from vigil.policy.services import policy_publish


def _with_label(label):
    document = copy.deepcopy(MISSING_PERSON)
    document["grades"][2]["label"] = label
    return document


def test_a_version_cannot_take_effect_before_it_is_saved(world):
    with (
        time_machine.travel(utc(2024, 5, 1, 12), tick=False),
        pytest.raises(ServiceError, match="cannot take effect before it is saved"),
    ):
        policy_publish(
            force=world.force,
            case_type="missing_person",
            document=_with_label("Amber"),
            actor=world.admin,
            effective_from=utc(2024, 4, 30, 12),
        )
    assert PolicyVersion.objects.filter(force=world.force).count() == 2  # the two defaults


def test_the_database_refuses_a_retrospective_version_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.create(
            force=world.force,
            case_type="missing_person",
            version=9,
            document={},
            recorded_at=utc(2024, 5, 1),
            effective_from=utc(2024, 4, 1),
        )


def test_a_new_version_applies_only_from_its_date(world):
    with time_machine.travel(utc(2024, 5, 1, 12), tick=False):
        version = policy_publish(
            force=world.force,
            case_type="missing_person",
            document=_with_label("Amber"),
            actor=world.admin,
            effective_from=utc(2024, 5, 8),
            reason="Local wording",
        )
    assert version.version == 2
    before = policy_at(world.force, "missing_person", at=utc(2024, 5, 7, 23, 59))
    after = policy_at(world.force, "missing_person", at=utc(2024, 5, 8))
    assert before.grade_label("medium") == "Medium risk"
    assert after.grade_label("medium") == "Amber"
    # As known before it was published, nobody could have applied it.
    assert (
        policy_at(
            world.force, "missing_person", at=utc(2024, 5, 9), known_at=utc(2024, 5, 1, 11)
        ).grade_label("medium")
        == "Medium risk"
    )
    event = AuditEvent.objects.get(force=world.force, kind="policy.published", payload__version=2)
    assert event.actor == world.admin and event.reason == "Local wording"


def test_a_malformed_policy_is_refused_with_a_reason(world):
    document = copy.deepcopy(MISSING_PERSON)
    document["required_roles"]["medium"].append({"role": "mascot", "min_rank": "constable"})
    with pytest.raises(ServiceError, match="Unknown role 'mascot'"):
        policy_publish(
            force=world.force,
            case_type="missing_person",
            document=document,
            actor=world.admin,
            effective_from=None,
        )
    with pytest.raises(ServiceError, match="at least one grade"):
        policy_publish(
            force=world.force,
            case_type="missing_person",
            document={"grades": []},
            actor=world.admin,
        )


def test_the_investigation_type_fits_the_same_engine(world):
    policy = policy_at(world.force, "investigation")
    assert policy.grade_codes == ["low", "medium", "high", "very_high"]
    assert policy.grades[-1]["deadline_hours"] == 24
    assert timedelta(hours=policy.grades[0]["deadline_hours"]) == timedelta(days=91)
