"""Seed 000 through the API: a medium-risk case across the clock change of 31 March 2024,
open for 49 early slots, three sergeants on duty in each and one designated; 16 reviews by
the designated sergeant (one at 15:20, after the window), 3 by another sergeant (one on
behalf of the designated one), one designation corrected afterwards."""

import time
from collections import Counter
from datetime import date, datetime, timedelta

import time_machine
from rest_framework.test import APIClient

from tests.builders import report
from tests.reviews.conftest import publish, utc
from vigil.audit.models import AuditEvent
from vigil.audit.selectors import verify_chain
from vigil.cases.services import case_record_found
from vigil.core.time import LONDON
from vigil.reviews import selectors
from vigil.reviews.models import DueReview, Review
from vigil.reviews.services import due_reviews_fix
from vigil.rosters.selectors import current_designation, slot_definitions
from vigil.rosters.services import duty_record_many, roster_correct
from vigil.rosters.slots import slot_on

FIRST = date(2024, 3, 10)  # 21 days before the clocks go forward
SLOTS = 49
ON_TIME_BY_DESIGNATED = [0, 2, 4, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 40]  # 15
LATE_BY_DESIGNATED = 44  # at 15:20, after the window
ON_BEHALF = 46  # another sergeant, on behalf of the designated one
NOT_COUNTING = [20, 22]  # another sergeant, as their own review
CORRECTED = 20  # the designation of this slot is corrected afterwards


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user=user)
    return api


def test_seed_000_through_the_api(world, sergeants):
    started = time.monotonic()
    designated = {i: sergeants[i % 6] for i in range(SLOTS)}
    other = {i: sergeants[(i + 1) % 6] for i in range(SLOTS)}
    publish(
        world,
        FIRST - timedelta(days=1),
        SLOTS + 2,
        people=lambda day, code: sergeants[(day - FIRST).days % 6],
        slots=("early",),
        at=utc(2024, 3, 1, 9),
    )
    early = next(d for d in slot_definitions(world.area) if d.code == "early")
    slots = [slot_on(early, FIRST + timedelta(days=i)) for i in range(SLOTS)]
    with time_machine.travel(utc(2024, 3, 1, 10), tick=False):
        duty_record_many(
            periods=[
                (sergeants[(i + k) % 6], s.starts_at, s.ends_at)
                for i, s in enumerate(slots)
                for k in range(3)
            ],
            actor=world.inspector,
        )
    with time_machine.travel(utc(2024, 3, 10, 6, 30), tick=False):
        case = report(world, grade="medium")  # fixed at each window's opening
        twin = report(world, grade="medium", given="Tia")  # fixed once, at the end

    def post(user, **body):
        body.setdefault("kind", "supervisory")
        body.setdefault("rationale", "Enquiries continue; risk unchanged.")
        response = client(user).post(f"/api/v1/cases/{case.reference}/reviews/", body, "json")
        assert response.status_code == 201, response.content
        return response.json()

    for i, slot in enumerate(slots):
        day = slot.date
        with time_machine.travel(slot.starts_at, tick=False):
            written = due_reviews_fix(cases=[case])
            assert [r.kind for r in written if r.kind == "supervisory"] == ["supervisory"]
        if i in ON_TIME_BY_DESIGNATED:
            with time_machine.travel(london(day, 10), tick=False):
                assert post(designated[i])["counts"] is True
        if i == LATE_BY_DESIGNATED:
            with time_machine.travel(london(day, 15, 20), tick=False):
                body = post(designated[i])
                assert body["counts"] is True
                assert body["due"]["status"] == "done_late"
        if i == ON_BEHALF:
            with time_machine.travel(london(day, 11), tick=False):
                body = post(other[i], on_behalf_of=designated[i].username)
                assert body["counts"] is True
                assert body["review"]["on_behalf_of"]["id"] == designated[i].pk
                assert body["review"]["reviewer"]["id"] == other[i].pk
        if i in NOT_COUNTING:
            with time_machine.travel(london(day, 12), tick=False):
                body = post(other[i])
                assert body["counts"] is False
                assert designated[i].display_name in body["message"]
                assert body["due"]["status"] == "due"

    last = slots[-1].date
    with time_machine.travel(london(last, 16), tick=False):
        for found in (case, twin):
            case_record_found(case=found, actor=world.sergeant, found_at=london(last, 15, 45))
    with time_machine.travel(london(last + timedelta(days=1), 9), tick=False):
        wrong = current_designation(
            world.area, FIRST + timedelta(days=CORRECTED), "early", "mp_sergeant"
        )
        roster_correct(
            designation=wrong,
            person=other[CORRECTED],
            reason="Roster error: the other sergeant was the missing person sergeant that day.",
            actor=world.inspector,
        )
    asked = london(last + timedelta(days=1), 12)
    with time_machine.travel(asked, tick=False):
        # The twin is fixed once, after the correction: the same rows, from what was known
        # when each window opened.
        due_reviews_fix(cases=[twin])
        assert due_reviews_fix(cases=[case, twin]) == []
        api = client(world.inspector).get(f"/api/v1/cases/{case.reference}/reviews/")
        rows = selectors.compliance_rows(
            force=world.force, start=utc(2024, 3, 1), end=utc(2024, 5, 1), kind="supervisory"
        )
        everything = selectors.compliance_rows(
            force=world.force, start=utc(2024, 3, 1), end=utc(2024, 5, 1)
        )

    def fixed(c):
        return [
            (
                d.kind,
                d.window_start,
                d.window_end,
                d.opens_at,
                d.late_after,
                d.closes_at,
                d.reviewer_id,
                d.how_decided,
                d.designation_id,
                d.policy_version_id,
            )
            for d in DueReview.objects.filter(case=c).order_by("window_start", "kind")
        ]

    assert fixed(case) == fixed(twin)
    # Cadences add up: the monthly long-term review fell due beside the early ones.
    assert Counter(d[0] for d in fixed(case)) == {"supervisory": 49, "long_term": 1}

    assert api.status_code == 200
    statuses = Counter(d["status"] for d in api.json()["due_reviews"] if d["kind"] == "supervisory")
    assert statuses == {"done_on_time": 16, "done_late": 1, "missed": 32}
    assert len(api.json()["reviews"]) == 19

    mine = [r for r in rows if r.item.case.pk == case.pk]
    assert [r.item.slot_date for r in mine] == [s.date for s in slots]
    assert [r.item.window_start for r in mine] == [s.starts_at for s in slots]
    # The clocks went forward: early is 07:00 GMT before, 06:00 UTC (07:00 BST) after.
    assert mine[20].item.window_start == utc(2024, 3, 30, 7)
    assert mine[21].item.window_start == utc(2024, 3, 31, 6)
    assert Counter(r.status for r in mine) == {"done_on_time": 16, "done_late": 1, "missed": 32}
    by_kind = selectors.compliance_by_kind([r for r in everything if r.item.case.pk == case.pk])
    assert (by_kind["supervisory"].on_time, by_kind["supervisory"].late) == (16, 1)
    assert by_kind["supervisory"].missed == 32
    assert by_kind["long_term"].due == 1

    behalf = mine[ON_BEHALF]
    assert behalf.status == "done_on_time"
    assert behalf.counted.reviewer == other[ON_BEHALF]
    assert behalf.counted.on_behalf_of == designated[ON_BEHALF]
    assert mine[LATE_BY_DESIGNATED].status == "done_late"
    assert mine[LATE_BY_DESIGNATED].counted.recorded_at == london(slots[44].date, 15, 20)
    for i, row in enumerate(mine):
        # Every slot names the sergeant designated as rostered at the time, missed or not.
        assert row.reviewer == designated[i]
        assert row.item.how_decided == (
            f"designated missing person sergeant for Early {slots[i].date:%d %b %Y}"
        )
        if row.status == "missed":
            assert i not in [*ON_TIME_BY_DESIGNATED, LATE_BY_DESIGNATED, ON_BEHALF]
    corrected = mine[CORRECTED]
    assert corrected.status == "missed"
    assert corrected.reviewer == designated[CORRECTED]
    assert [c.person for c in corrected.corrections] == [other[CORRECTED]]
    assert corrected.designated_now == other[CORRECTED]
    assert "Roster error" in corrected.corrections[0].reason
    assert all(not r.corrections for i, r in enumerate(mine) if i != CORRECTED)
    for i in NOT_COUNTING:
        assert mine[i].status == "missed"
        assert Review.objects.filter(due=mine[i].due, counts=False).count() == 1

    events = Counter(AuditEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert events["review.recorded"] == 19
    assert events["review.due"] == 50
    assert verify_chain(world.force).ok
    assert time.monotonic() - started < 30
