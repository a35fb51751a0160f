"""Prompts and notices that read vigil.reviews: medium risk without an inspector review, two
consecutive missed reviews, and due reviews opening and going overdue."""

import pytest

from tests.notices.support import london, report_missing
from tests.oversight.support import prompt_on
from vigil.notices.models import Notice
from vigil.organisation.services import user_record_availability
from vigil.oversight.models import Prompt
from vigil.oversight.selectors import reviews_ready
from vigil.oversight.services import due_review_notices_send, prompts_raise
from vigil.oversight.sweep import sweep_once

pytestmark = pytest.mark.skipif(not reviews_ready(), reason="vigil.reviews is not installed")

MEDIUM = "medium_without_inspector_review"
MISSED = "consecutive_missed_reviews"


def sweep(clock, at):
    clock.move_to(at)
    report = sweep_once()
    assert report.ok, report.failed
    return report


def test_medium_for_72_hours_without_an_inspector_review_goes_to_the_duty_inspector(staffed, clock):
    w = staffed
    case = report_missing(w)  # graded medium at 09:00 on 3 June
    sweep(clock, london(6, 8, 59))
    assert not Prompt.objects.filter(case=case, rule=MEDIUM).exists()
    sweep(clock, london(6, 9, 0))
    prompt = prompt_on(case, MEDIUM)
    assert (prompt.level_role, prompt.addressed_to) == ("duty_inspector", w.inspector)
    assert prompt.why_this_person == "designated duty inspector for Early 6 Jun and on duty"
    assert prompt.question.startswith("Medium risk for 3 days")
    assert prompt.climb == ["duty_inspector", "on_call_superintendent"]


def test_an_inspector_review_restarts_the_medium_clock(staffed, clock):
    from vigil.reviews.services import review_record

    w = staffed
    case = report_missing(w)
    clock.move_to(london(5, 12))
    review_record(
        case=case,
        kind="supervisory",
        actor=w.inspector,
        rationale="Inspector's review: medium stands; CCTV trawl set.",
    )
    sweep(clock, london(6, 10))
    assert not Prompt.objects.filter(case=case, rule=MEDIUM).exists()
    sweep(clock, london(8, 12))
    prompt = prompt_on(case, MEDIUM)
    assert "since the last inspector review" in prompt.question


def test_two_consecutive_missed_reviews_go_to_the_duty_inspector(staffed, clock):
    w = staffed
    case = report_missing(w)
    # Supervisory reviews were due in the early slots of 3 and 4 June; each closes when the
    # next early slot opens. By 07:30 on 5 June both are missed.
    sweep(clock, london(4, 7, 30))
    assert not Prompt.objects.filter(case=case, rule=MISSED).exists()
    sweep(clock, london(5, 7, 30))
    prompt = prompt_on(case, MISSED)
    assert (prompt.level_role, prompt.addressed_to) == ("duty_inspector", w.inspector)
    assert prompt.question.startswith("2 supervisory reviews in a row have been missed")
    assert prompt.occurrence.startswith("supervisory:due:")


def test_due_review_notices_go_to_whoever_is_on_duty(staffed, clock):
    """The early review is Archer's. Archer goes sick: the opened notice goes to the duty
    inspector. At 15:30 it is overdue; Archer's shift has ended, and the late slot's
    designated sergeant, on duty, is told — not Archer."""
    w = staffed
    case = report_missing(w)
    user_record_availability(
        user=w.sergeant,
        status="sick",
        starts_at=london(3, 9, 15),
        ends_at=london(3, 14),
        reason="sick",
        actor=w.inspector,
    )
    sweep(clock, london(3, 9, 30))
    (opened,) = Notice.objects.filter(kind="due_review.opened", case=case)
    assert opened.recipient == w.inspector
    assert opened.why_this_person == (
        "designated duty inspector for Early 3 Jun and on duty; PS Archer (accountable "
        "reviewer (supervisory review)) is off duty"
    )
    assert opened.title == f"Supervisory review due: {case.reference}"
    assert opened.link == f"/cases/{case.reference}/"
    sweep(clock, london(3, 10))
    assert Notice.objects.filter(kind="due_review.opened", case=case).count() == 1

    sweep(clock, london(3, 15, 30))
    (overdue,) = Notice.objects.filter(kind="due_review.overdue", case=case)
    assert overdue.recipient == w.sergeant_b
    assert overdue.why_this_person.startswith(
        "designated missing person sergeant for Late 3 Jun and on duty; PS Archer"
    )
    assert not Notice.objects.filter(recipient=w.sergeant, case=case).exists()
    assert due_review_notices_send() == []  # nothing new to tell
    assert prompts_raise() == []
