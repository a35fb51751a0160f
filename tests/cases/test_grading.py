"""Grading records each fact with its source; re-grading adds to the history."""

import pytest
import time_machine

from tests.builders import report, utc
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case
from vigil.cases.selectors import grading_history
from vigil.cases.services import FactInput, case_grade, case_record_found, grading_endorse
from vigil.core.errors import Conflict, NotAllowed, ServiceError


def test_regrading_adds_to_the_history_with_facts_and_sources(world):
    with time_machine.travel(utc(2024, 7, 1, 9), tick=False):
        case = report(world, grade="medium")
    with time_machine.travel(utc(2024, 7, 2, 10, 12), tick=False):
        case_grade(
            case=case,
            grade="high",
            actor=world.sergeant,
            rationale="Text to a friend suggests she intends to harm herself.",
            facts=[
                FactInput(
                    "self_harm_or_suicide",
                    "Text message at 09:50",
                    "Friend, K. Lee",
                    utc(2024, 7, 2, 9, 55),
                )
            ],
        )
    history = grading_history(case)
    assert [g.grade for g in history] == ["medium", "high"]
    fact = history[1].facts.get()
    assert fact.source == "Friend, K. Lee" and fact.obtained_at == utc(2024, 7, 2, 9, 55)
    assert fact.question_text.startswith("Is there any indication of self-harm")
    case.refresh_from_db()
    assert case.current_grade == "high"
    event = AuditEvent.objects.get(case=case, kind="case.regraded")
    assert event.payload["from"] == "medium" and event.payload["to"] == "high"
    assert event.actor == world.sergeant


def test_a_fact_without_a_source_is_refused(world):
    case = report(world)
    with pytest.raises(ServiceError, match="Say who supplied") as refused:
        case_grade(
            case=case,
            grade="low",
            rationale="Calmer now",
            actor=world.sergeant,
            facts=[FactInput("out_of_character", "Has done this before", " ", utc(2024, 1, 1))],
        )
    assert refused.value.field == "facts.0.source"
    assert len(grading_history(case)) == 1


def test_an_unknown_grade_and_an_empty_rationale_are_refused(world):
    case = report(world)
    with pytest.raises(ServiceError, match="Choose a grade"):
        case_grade(case=case, grade="purple", rationale="x", actor=world.sergeant)
    with pytest.raises(ServiceError, match="rationale is required"):
        case_grade(case=case, grade="low", rationale="  ", actor=world.sergeant)


def test_endorsement_by_another_sergeant(world):
    case = report(world, actor=world.constable)
    grading = grading_history(case)[0]
    with pytest.raises(NotAllowed):
        grading_endorse(grading=grading, actor=world.constable)
    endorsement = grading_endorse(grading=grading, actor=world.sergeant, comment="Agree")
    assert endorsement.endorsed_by == world.sergeant
    with pytest.raises(Conflict):
        grading_endorse(grading=grading, actor=world.sergeant)
    assert AuditEvent.objects.filter(case=case, kind="case.grading_endorsed").count() == 1


def test_assessor_cannot_endorse_their_own_grading(world):
    case = report(world, actor=world.sergeant)
    with pytest.raises(ServiceError, match="someone other than its assessor"):
        grading_endorse(grading=grading_history(case)[0], actor=world.sergeant)


def test_a_reported_case_opens_when_graded_and_can_be_found(world):
    case = report(world, grade=None)
    assert case.status == "reported" and case.current_grade == ""
    case_grade(case=case, grade="low", rationale="Regular pattern", actor=world.sergeant)
    case = case_record_found(
        case=Case.objects.get(pk=case.pk),
        actor=world.constable,
        found_at=utc(2024, 1, 1, 12),
        note="At a friend's house",
    )
    assert case.status == "found"
    assert list(case.status_changes.values_list("to_status", flat=True)) == [
        "reported",
        "open",
        "found",
    ]
    with pytest.raises(ServiceError, match="no longer be re-graded"):
        case_grade(case=case, grade="high", rationale="x", actor=world.sergeant)
