"""Review windows under time travel. January: London is on UTC, so wall clock = UTC."""

import copy
from datetime import date, timedelta

import pytest
import time_machine

from tests.builders import report
from tests.reviews.conftest import publish, utc
from vigil.policy.defaults import MISSING_PERSON
from vigil.policy.services import policy_publish
from vigil.reviews import selectors
from vigil.reviews.models import DueReview
from vigil.reviews.services import due_reviews_fix, review_record

DAY = date(2024, 1, 15)


def at(hour, minute=0, day=0):
    return utc(2024, 1, 15, hour, minute) + timedelta(days=day)


@pytest.fixture
def rostered(world):
    publish(world, DAY - timedelta(days=1), 5, roles=("mp_sergeant", "duty_inspector"))
    return world


def kinds_written(case):
    return [
        (d.kind, d.window_start, d.opens_at)
        for d in DueReview.objects.filter(case=case).order_by("window_start", "kind")
    ]


def test_due_then_overdue_then_missed(rostered):
    world = rostered
    with time_machine.travel(at(6, 30), tick=False):
        case = report(world, grade="medium")
    with time_machine.travel(at(6, 59), tick=False):
        [upcoming] = selectors.upcoming_reviews(case, horizon_hours=1)
        # Named before the window opens.
        assert (upcoming.kind, upcoming.status, upcoming.reviewer) == (
            "supervisory",
            "upcoming",
            world.sergeant,
        )
        assert due_reviews_fix() == []
    with time_machine.travel(at(7), tick=False):
        [due] = due_reviews_fix()
        assert due.reviewer == world.sergeant
        assert due.how_decided == "designated missing person sergeant for Early 15 Jan 2024"
        assert (due.window_start, due.window_end) == (at(7), at(15))
        assert (due.late_after, due.closes_at) == (at(15), at(7, day=1))
        assert selectors.review_status(due) == "due"
        assert [i.due for i in selectors.my_reviews_due(world.sergeant).due] == [due]
        assert selectors.my_reviews_due(world.sergeant_b).due == []
    with time_machine.travel(at(14, 59), tick=False):
        assert selectors.review_status(due) == "due"
    with time_machine.travel(at(15), tick=False):
        assert selectors.review_status(due) == "overdue"
        summary = selectors.review_summary_for_cases([case])[case.pk]
        assert [i.due for i in summary.overdue] == [due]
    with time_machine.travel(at(7, day=1), tick=False):
        assert selectors.review_status(due) == "missed"
        due_reviews_fix()
        summary = selectors.review_summary_for_cases([case])[case.pk]
        assert summary.missed_in_a_row == {"supervisory": 1}
        assert summary.next_due.due.window_start == at(7, day=1)
    with time_machine.travel(at(7, day=2), tick=False):
        due_reviews_fix()
        summary = selectors.review_summary_for_cases([case])[case.pk]
        assert summary.missed_in_a_row == {"supervisory": 2}
    # The status at an earlier instant is reproducible.
    assert selectors.review_status(due, at=at(8)) == "due"
    assert selectors.review_status(due, at=at(6)) == "upcoming"


def test_a_late_review_counts_as_late_until_the_next_window_opens(rostered):
    world = rostered
    with time_machine.travel(at(6, 30), tick=False):
        case = report(world, grade="medium")
    with time_machine.travel(at(16), tick=False):
        done = review_record(case=case, kind="supervisory", actor=world.sergeant, rationale="x")
        assert done.counts and "(late)" in done.message
        assert selectors.review_status(done.due) == "done_late"
    with time_machine.travel(at(7, 1, day=1), tick=False):
        # The next window has opened: yesterday's can no longer be made good.
        due_reviews_fix()
        [old, new] = selectors.due_reviews(case)
        assert old.status == "done_late" and new.status == "due"
        again = review_record(
            case=case, kind="supervisory", actor=world.sergeant, rationale="today", due=old.due
        )
        assert not again.counts and "already done" in again.message


def test_a_window_missed_stays_missed(rostered):
    world = rostered
    with time_machine.travel(at(6, 30), tick=False):
        case = report(world, grade="medium")
    with time_machine.travel(at(8, day=1), tick=False):
        due_reviews_fix()
        first = DueReview.objects.get(case=case, window_start=at(7))
        late = review_record(
            case=case, kind="supervisory", actor=world.sergeant, rationale="late", due=first
        )
        assert not late.counts and "stays missed" in late.message
        assert selectors.review_status(first) == "missed"


def test_a_policy_version_applies_only_from_its_date(rostered):
    world = rostered
    document = copy.deepcopy(MISSING_PERSON)
    document["reviews"][0]["cadence"] = {"slots": ["early", "late"]}
    with time_machine.travel(at(9, day=-5), tick=False):
        version = policy_publish(
            force=world.force,
            case_type="missing_person",
            document=document,
            effective_from=at(12, day=2),  # 17 January, mid early slot
            reason="Medium: reviewed on late slots too",
            actor=world.inspector,
        )
    with time_machine.travel(at(6, 30), tick=False):
        case = report(world, grade="medium")
    with time_machine.travel(at(16, day=3), tick=False):
        due_reviews_fix()
    rows = list(DueReview.objects.filter(case=case).order_by("window_start"))
    assert [(r.slot_date.day, r.slot_code) for r in rows] == [
        (15, "early"),
        (16, "early"),
        (17, "early"),  # opened at 07:00 under version 1
        (17, "late"),  # version 2 from 12:00
        (18, "early"),
        (18, "late"),
    ]
    assert [r.policy_version.version for r in rows] == [1, 1, 1, 2, 2, 2]
    assert rows[3].policy_version == version
    with time_machine.travel(at(10, day=-1), tick=False):
        # Asked before it was published, the future looked like version 1 throughout.
        other = report(world, grade="medium", given="Una")
        assert all(
            u.slot_code == "early" for u in selectors.upcoming_reviews(other, horizon_hours=24)
        )


def test_a_regrade_mid_window_applies_the_new_kinds_from_that_moment(rostered):
    world = rostered
    with time_machine.travel(at(6, 30), tick=False):
        case = report(world, grade="medium")
    with time_machine.travel(at(10), tick=False):
        due_reviews_fix()
        done = review_record(
            case=case,
            kind="supervisory",
            actor=world.sergeant,
            risk_confirmed=False,
            new_grade="high",
            rationale="Threats made by a known associate.",
        )
        assert done.counts and done.review.grading.grade == "high"
        inspector = DueReview.objects.get(case=case, kind="inspector")
        assert (inspector.window_start, inspector.opens_at) == (at(7), at(10))
        assert inspector.reviewer == world.inspector
        assert selectors.review_status(inspector) == "due"
    with time_machine.travel(at(14), tick=False):
        # Back to medium, then high again with only an hour left: under a quarter of the
        # slot remains, so the inspector review is first due in the late slot.
        review_record(
            case=case,
            kind="inspector",
            actor=world.inspector,
            risk_confirmed=False,
            new_grade="medium",
            rationale="Associate arrested.",
        )
    with time_machine.travel(at(14, 30), tick=False):
        review_record(
            case=case,
            kind="inspector",
            actor=world.inspector,
            risk_confirmed=False,
            new_grade="high",
            rationale="Associate released.",
        )
    with time_machine.travel(at(15, 30), tick=False):
        due_reviews_fix()
    assert kinds_written(case) == [
        ("inspector", at(7), at(10)),
        ("supervisory", at(7), at(7)),
        ("inspector", at(15), at(15)),
    ]


@pytest.mark.parametrize(("opened", "due_today"), [((9, 0), True), ((12, 0), False)])
def test_a_case_opened_late_in_a_window_is_first_due_in_the_next(rostered, opened, due_today):
    world = rostered
    with time_machine.travel(at(*opened), tick=False):
        case = report(world, grade="medium")
    with time_machine.travel(at(8, day=1), tick=False):
        due_reviews_fix()
    expected = [("supervisory", at(7, day=1), at(7, day=1))]
    if due_today:  # six of eight hours left: at least half
        expected.insert(0, ("supervisory", at(7), at(*opened)))
    assert kinds_written(case) == expected


def test_cadences_add_up(rostered, world):
    publish(world, DAY + timedelta(days=4), 25, slots=("early",), roles=("mp_sergeant",))
    # The monthly review opens at 06:30, in the night slot that began the evening before.
    publish(world, DAY + timedelta(days=27), 1, slots=("night",), roles=("duty_inspector",))
    with time_machine.travel(at(6, 30), tick=False):
        case = report(world, grade="medium")
    with time_machine.travel(at(8, day=28), tick=False):
        due_reviews_fix()
        open_now = {i.kind: i for i in selectors.due_reviews(case) if i.is_open}
        assert set(open_now) == {"supervisory", "long_term"}
        assert open_now["long_term"].window_start == at(6, 30, day=28)
        assert open_now["long_term"].reviewer == world.inspector
        assert open_now["long_term"].how_decided == (
            "designated duty inspector for Night 11 Feb 2024"
        )
        # One review counts for one kind only: the other stays open.
        review_record(case=case, kind="supervisory", actor=world.sergeant, rationale="x")
        still = {i.kind: i.status for i in selectors.due_reviews(case) if i.is_open}
        assert still == {"long_term": "due"}


def test_periodic_review_goes_to_the_cases_supervisor(rostered):
    world = rostered
    with time_machine.travel(at(9), tick=False):
        report(world, grade="low")
        [first] = due_reviews_fix()
    assert (first.kind, first.window_start, first.window_end) == ("periodic", at(9), at(9, day=1))
    assert first.reviewer is not None
    assert first.how_decided.startswith("supervisor of the case at 09:00 15 Jan 2024")
    assert first.late_after == at(10, day=1)
    with time_machine.travel(at(9, day=1), tick=False):
        [second] = due_reviews_fix()
    assert second.window_start == at(9, day=1)


def test_handover_confirmation_goes_to_the_incoming_supervisor(rostered):
    from vigil.responsibility.selectors import holder_at
    from vigil.responsibility.services import case_handover

    world = rostered
    with time_machine.travel(at(6, 30), tick=False):
        case = report(world, grade="medium")
    with time_machine.travel(at(11), tick=False):
        outgoing = holder_at(case, "supervisor").person
        incoming = world.sergeant_b if outgoing != world.sergeant_b else world.sergeant
        case_handover(
            case=case,
            role="supervisor",
            to_holder=incoming,
            summary="Enquiries at the hospital outstanding.",
            risk_confirmed=True,
            outstanding="Hospital checks.",
            actor=outgoing,
        )
        due_reviews_fix()
        row = DueReview.objects.get(case=case, kind="handover_confirmation")
    assert (row.window_start, row.window_end) == (at(11), at(13))
    assert row.reviewer == incoming
    assert row.holding_ref.startswith("holding:")
