"""Recording reviews: who counts, what is refused, what is audited; fixing due rows once."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.builders import make_user, report
from tests.reviews.conftest import publish, utc
from vigil.audit.models import AuditEvent
from vigil.core.errors import ServiceError
from vigil.reviews import selectors, services
from vigil.reviews.models import DueReview, Review
from vigil.reviews.services import due_reviews_fix, review_record

DAY = date(2024, 1, 15)


def at(hour, minute=0, day=0):
    return utc(2024, 1, 15, hour, minute) + timedelta(days=day)


@pytest.fixture
def case(world):
    publish(world, DAY - timedelta(days=1), 3, roles=("mp_sergeant", "duty_inspector"))
    with time_machine.travel(at(6, 30), tick=False):
        return report(world, grade="medium")


@pytest.fixture
def at_ten():
    with time_machine.travel(at(10), tick=False) as traveller:
        yield traveller


def test_another_sergeant_is_recorded_but_does_not_count(world, case, at_ten):
    done = review_record(case=case, kind="supervisory", actor=world.sergeant_b, rationale="x")
    assert not done.counts
    assert "accountable reviewer is Sam Archer" in done.message
    assert done.review.due == done.due and done.review.counts is False
    assert selectors.review_status(done.due) == "due"
    event = AuditEvent.objects.get(case=case, kind="review.recorded")
    assert event.actor == world.sergeant_b
    assert event.payload["counts"] is False
    assert event.payload["due_review"] == done.due.pk


def test_on_behalf_of_counts_and_is_attributed_to_both(world, case, at_ten):
    done = review_record(
        case=case,
        kind="supervisory",
        actor=world.sergeant_b,
        on_behalf_of=world.sergeant,
        rationale="Reviewed for PS Archer, who is at court.",
    )
    assert done.counts and "on behalf of Sam Archer" in done.message
    assert (done.review.reviewer, done.review.on_behalf_of) == (world.sergeant_b, world.sergeant)
    assert selectors.review_status(done.due) == "done_on_time"
    event = AuditEvent.objects.get(case=case, kind="review.recorded")
    assert event.payload["on_behalf_of"] == world.sergeant.pk


def test_on_behalf_needs_the_minimum_rank(world, case, at_ten):
    done = review_record(
        case=case,
        kind="supervisory",
        actor=world.constable,
        on_behalf_of=world.sergeant,
        rationale="x",
    )
    assert not done.counts and "sergeant or above" in done.message
    assert selectors.review_status(done.due) == "due"


def test_acting_rank_counts_for_on_behalf(world, case, at_ten):
    done = review_record(
        case=case,
        kind="supervisory",
        actor=world.acting_sergeant,
        on_behalf_of=world.sergeant,
        rationale="x",
    )
    assert done.counts


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"on_behalf_of": "sergeant_b_self"}, "on_behalf_of"),
        ({"on_behalf_of": "inspector"}, "on_behalf_of"),
        ({"rationale": "  "}, "rationale"),
        ({"risk_confirmed": False}, "new_grade"),
        ({"risk_confirmed": False, "new_grade": "medium"}, "new_grade"),
        ({"new_grade": "high"}, "new_grade"),
        ({"kind": "no_such_kind"}, "kind"),
    ],
)
def test_refusals_name_the_field(world, case, at_ten, changes, field):
    args = {"case": case, "kind": "supervisory", "actor": world.sergeant_b, "rationale": "x"}
    args.update(changes)
    if changes.get("on_behalf_of") == "sergeant_b_self":
        args["on_behalf_of"] = world.sergeant_b
    elif changes.get("on_behalf_of") == "inspector":
        args["on_behalf_of"] = world.inspector
    with pytest.raises(ServiceError) as refused:
        review_record(**args)
    assert refused.value.field == field
    assert not Review.objects.exists()


def test_a_review_of_another_cases_due_is_refused(world, case, at_ten):
    other = report(world, grade="medium", given="Zoe")
    due_reviews_fix()
    due = DueReview.objects.get(case=other)
    with pytest.raises(ServiceError) as refused:
        review_record(case=case, actor=world.sergeant, rationale="x", due=due)
    assert refused.value.field == "due"


def test_a_review_writes_due_rows_the_sweep_has_not_written_yet(world, case, at_ten):
    assert not DueReview.objects.exists()
    done = review_record(case=case, kind="supervisory", actor=world.sergeant, rationale="x")
    assert done.counts
    due = DueReview.objects.get(case=case)
    assert due.written_by_job == "review_record"
    assert AuditEvent.objects.get(kind="review.due").system_job == "review_record"


def test_fixing_is_idempotent_and_audited(world, case):
    with time_machine.travel(at(8, day=1), tick=False):
        first = due_reviews_fix()
        assert [d.window_start for d in first] == [at(7), at(7, day=1)]
        assert due_reviews_fix() == []
    events = AuditEvent.objects.filter(kind="review.due").order_by("seq")
    assert [e.payload["due_review"] for e in events] == [d.pk for d in first]
    assert {e.system_job for e in events} == {"sweep"}
    assert events[0].reason == "designated missing person sergeant for Early 15 Jan 2024"


def test_concurrent_fixes_never_duplicate(world, case, monkeypatch):
    """A second sweep that did not see the first one's rows (as if running at the same
    moment) hits the unique constraint for each and writes nothing."""
    with time_machine.travel(at(8), tick=False):
        [row] = due_reviews_fix()
        monkeypatch.setattr(services, "_last_written", lambda ids: {})
        assert due_reviews_fix() == []
    assert DueReview.objects.count() == 1
    assert AuditEvent.objects.filter(kind="review.due").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        DueReview.objects.create(
            **{
                f.attname: getattr(row, f.attname)
                for f in DueReview._meta.concrete_fields
                if not f.primary_key
            }
        )


def test_due_rows_and_reviews_are_insert_only(world, case, at_ten):
    done = review_record(case=case, kind="supervisory", actor=world.sergeant, rationale="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        DueReview.objects.filter(pk=done.due.pk).update(reviewer=world.sergeant_b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=done.review.pk).delete()


def test_fixing_the_future_is_refused(world, case, at_ten):
    with pytest.raises(ServiceError):
        due_reviews_fix(at=at(10, day=1))


def test_nobody_designated_falls_to_the_case_supervisor_and_says_so(world):
    with time_machine.travel(at(6, 30, day=10), tick=False):
        report(world, grade="medium")
    with time_machine.travel(at(7, day=10), tick=False):
        [row] = due_reviews_fix()
    assert row.how_decided.startswith(
        "nobody was designated missing person sergeant (or above) for Early 25 Jan 2024"
    )


def test_summary_queries_do_not_grow_with_cases(world):
    publish(world, DAY - timedelta(days=1), 3, slots=("early",), roles=("mp_sergeant",))
    with time_machine.travel(at(6, 30), tick=False):
        few = [report(world, grade="medium", given=f"A{i}") for i in range(2)]
        many = few + [report(world, grade=g, given=f"B{g}") for g in ("medium", "high", "low")]
    with time_machine.travel(at(10, day=1), tick=False):
        due_reviews_fix()
        review_record(case=few[0], kind="supervisory", actor=world.sergeant, rationale="x")
        with CaptureQueriesContext(connection) as small:
            selectors.review_summary_for_cases(few)
        with CaptureQueriesContext(connection) as large:
            summaries = selectors.review_summary_for_cases(many)
    assert len(large) == len(small)
    assert summaries[few[0].pk].last_review.reviewer == world.sergeant
    assert summaries[few[1].pk].missed_in_a_row == {"supervisory": 1}
    assert summaries[few[1].pk].next_due.status == "due"
    assert summaries[few[1].pk].next_due.reviewer == world.sergeant


def test_my_reviews_lists_only_my_open_ones(world, case):
    sergeant_c = None
    with time_machine.travel(utc(2024, 1, 1, 9, 30), tick=False):
        sergeant_c = make_user(world.force, "sergeant", team=world.team)
    with time_machine.travel(at(10), tick=False):
        due_reviews_fix()
        assert len(selectors.my_reviews_due(world.sergeant).due) == 1
        assert selectors.my_reviews_due(sergeant_c).due == []
        review_record(case=case, kind="supervisory", actor=world.sergeant, rationale="x")
        assert selectors.my_reviews_due(world.sergeant).due == []
    with time_machine.travel(at(10), tick=False):
        upcoming = selectors.my_reviews_due(world.sergeant).upcoming
    assert [u.window_start for u in upcoming] == [at(7, day=1)]
