"""The Daily Management Meeting is a record: chair, attendees, each open case discussed or
not, decisions on the case timeline; insert-only; the same through pages and API."""

import pytest
from django.db import IntegrityError, transaction

from tests.oversight.board_support import open_cases, three_days_on
from tests.web.conftest import text
from vigil.audit.models import AuditEvent
from vigil.audit.selectors import case_timeline
from vigil.core.errors import Conflict, NotAllowed, ServiceError
from vigil.oversight.board import DISCUSSED, NOT_DISCUSSED, build_board
from vigil.oversight.meetings import (
    meeting_close,
    meeting_mark_discussed,
    meeting_minute_decision,
    meeting_open,
    meeting_record,
)
from vigil.oversight.models import (
    Meeting,
    MeetingAttendee,
    MeetingCase,
    MeetingClosure,
    MeetingDecision,
)


def test_a_meeting_marks_cases_minutes_decisions_and_closes(staffed, clock):
    w = staffed
    first, second, third = open_cases(w, 3)
    three_days_on(clock)
    meeting = meeting_open(
        actor=w.sergeant, area=w.area, chair=w.inspector, attendees=[w.sergeant, w.sergeant_b]
    )
    assert meeting.chair == w.inspector
    with pytest.raises(Conflict):
        meeting_open(actor=w.inspector, area=w.area)  # one open meeting per scope
    meeting_mark_discussed(meeting=meeting, case=first, actor=w.sergeant)
    with pytest.raises(Conflict):
        meeting_mark_discussed(meeting=meeting, case=first, actor=w.sergeant)
    decision = meeting_minute_decision(
        meeting=meeting,
        case=second,
        actor=w.inspector,
        kind="ownership_confirmed",
        text="PS Baker owns it from today; CCTV by 18:00.",
    )
    with pytest.raises(ServiceError):
        meeting_minute_decision(meeting=meeting, case=second, actor=w.inspector, kind="x", text="y")

    record = meeting_record(meeting)
    assert {p.pk for p in record.attendees} == {w.inspector.pk, w.sergeant.pk, w.sergeant_b.pk}
    assert set(record.marks) == {first.pk, second.pk}  # the decision marked it discussed
    assert record.decisions == [decision]

    # On each case's timeline.
    kinds = [e.kind for e in case_timeline(second)]
    assert "oversight.discussed_at_meeting" in kinds and "oversight.meeting_decision" in kinds
    minuted = AuditEvent.objects.get(kind="oversight.meeting_decision", case=second)
    assert minuted.payload["text"].startswith("PS Baker owns it") and minuted.actor == w.inspector
    assert "oversight.discussed_at_meeting" in [e.kind for e in case_timeline(first)]

    closure = meeting_close(meeting=meeting, actor=w.inspector)
    marks = {m.case_id: m.discussed for m in MeetingCase.objects.filter(meeting=meeting)}
    assert marks == {first.pk: True, second.pk: True, third.pk: False}
    closed = AuditEvent.objects.get(kind="oversight.meeting_closed")
    assert closed.payload["not_discussed"] == [third.pk]
    assert closure.closed_by == w.inspector
    with pytest.raises(Conflict):
        meeting_mark_discussed(meeting=meeting, case=third, actor=w.inspector)

    board = {r.case.pk: r.discussion for r in build_board(w.inspector).rows}
    assert board == {first.pk: DISCUSSED, second.pk: DISCUSSED, third.pk: NOT_DISCUSSED}
    # A new meeting starts every case undiscussed again.
    meeting_open(actor=w.inspector, area=w.area)
    assert {r.discussion for r in build_board(w.inspector).rows} == {NOT_DISCUSSED}


def test_a_force_wide_meeting_covers_every_area(staffed, clock):
    w = staffed
    (north,) = open_cases(w, 1)
    three_days_on(clock)
    from tests.builders import report

    south = report(w, area=w.other_area, given="South")
    meeting = meeting_open(actor=w.inspector)
    meeting_mark_discussed(meeting=meeting, case=south, actor=w.inspector)
    rows = {r.case.pk: r.discussion for r in build_board(w.inspector).rows}
    assert rows == {north.pk: NOT_DISCUSSED, south.pk: DISCUSSED}
    area_meeting = meeting_open(actor=w.inspector, area=w.other_area)
    with pytest.raises(ServiceError):
        meeting_mark_discussed(meeting=area_meeting, case=north, actor=w.inspector)


def test_only_sergeants_and_above_run_meetings(staffed, clock):
    w = staffed
    (case,) = open_cases(w, 1)
    with pytest.raises(NotAllowed):
        meeting_open(actor=w.constable, area=w.area)
    meeting = meeting_open(actor=w.sergeant, area=w.area)
    with pytest.raises(NotAllowed):
        meeting_mark_discussed(meeting=meeting, case=case, actor=w.constable)


def test_meeting_records_are_insert_only(staffed, clock):
    w = staffed
    (case,) = open_cases(w, 1)
    meeting = meeting_open(actor=w.inspector, area=w.area, attendees=[w.sergeant])
    meeting_minute_decision(
        meeting=meeting, case=case, actor=w.inspector, kind="action_set", text="Search the park."
    )
    meeting_close(meeting=meeting, actor=w.inspector)
    for model in (Meeting, MeetingAttendee, MeetingCase, MeetingDecision, MeetingClosure):
        row = model.objects.first()
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=row.pk).update(id=row.pk)
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=row.pk).delete()


def test_meeting_pages_from_the_board(staffed, clock, client):
    w = staffed
    first, second = open_cases(w, 2)
    three_days_on(clock)
    client.force_login(w.sergeant)
    board = client.get("/areas/north/board/")
    assert "Start a meeting" in text(board)
    form = client.get("/meetings/new/?area=north")
    assert form.status_code == 200 and "Start a Daily Management Meeting" in text(form)
    bad = client.post("/meetings/new/", {"area": "north", "attendees": "nobody-such"})
    assert bad.status_code == 400 and "No one in your force is known as nobody-such" in text(bad)
    opened = client.post(
        "/meetings/new/",
        {"area": "north", "chair": w.inspector.username, "attendees": w.sergeant_b.collar_number},
    )
    meeting = Meeting.objects.get()
    assert opened.status_code == 302 and opened["Location"] == f"/meetings/{meeting.pk}/"
    page = client.get(f"/meetings/{meeting.pk}/")
    assert "Ivy Inspector" in text(page) and "Bea Baker" in text(page)
    assert "Mark discussed" in text(page) and "0 of 2 cases" in text(page)

    marked = client.post(f"/meetings/{meeting.pk}/cases/{first.reference}/discussed/")
    assert marked.status_code == 302
    empty = client.post(f"/meetings/{meeting.pk}/cases/{second.reference}/decision/", {})
    assert empty.status_code == 400 and "Write down the decision" in text(empty)
    minuted = client.post(
        f"/meetings/{meeting.pk}/cases/{second.reference}/decision/",
        {"kind": "risk_changed", "text": "Re-grade to high: no contact for three days."},
    )
    assert minuted.status_code == 302
    page = client.get(f"/meetings/{meeting.pk}/")
    assert "2 of 2 cases" in text(page) and "Risk changed: Re-grade to high" in text(page)
    board = text(client.get("/areas/north/board/"))
    assert "Continue the meeting" in board
    assert board.count("Not discussed") == 1  # the filter's label only: no row is flagged
    case_page = text(client.get(f"/cases/{second.reference}/"))
    assert "Meeting decision" in case_page
    closed = client.post(f"/meetings/{meeting.pk}/close/")
    assert closed.status_code == 302 and MeetingClosure.objects.filter(meeting=meeting).exists()
    assert "Mark discussed" not in text(client.get(f"/meetings/{meeting.pk}/"))
    client.force_login(w.constable)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 403


def test_meetings_through_the_api(staffed, clock, client):
    w = staffed
    first, second = open_cases(w, 2)
    three_days_on(clock)
    client.force_login(w.inspector)
    opened = client.post(
        "/api/v1/meetings/",
        {"area": "north", "attendees": [w.sergeant.username]},
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    pk = opened.json()["id"]
    assert opened.json()["chair"]["username"] == w.inspector.username
    again = client.post("/api/v1/meetings/", {"area": "north"}, content_type="application/json")
    assert again.status_code == 409
    marked = client.post(
        f"/api/v1/meetings/{pk}/discussed/",
        {"case": first.reference},
        content_type="application/json",
    )
    assert marked.status_code == 201
    assert marked.json()["marks"] == [
        {
            "case": first.reference,
            "discussed": True,
            "marked_at": marked.json()["marks"][0]["marked_at"],
        }
    ]
    minuted = client.post(
        f"/api/v1/meetings/{pk}/decisions/",
        {"case": second.reference, "kind": "action_set", "text": "Hospital checks now."},
        content_type="application/json",
    )
    assert minuted.status_code == 201
    assert minuted.json()["decisions"][0]["kind"] == "action_set"
    wrong = client.post(
        f"/api/v1/meetings/{pk}/decisions/",
        {"case": second.reference, "kind": "nonsense", "text": "x"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and wrong.json()["field"] == "kind"
    closed = client.post(f"/api/v1/meetings/{pk}/close/")
    assert closed.status_code == 200 and closed.json()["closed_at"]
    assert client.post(f"/api/v1/meetings/{pk}/close/").status_code == 409
    assert client.get(f"/api/v1/meetings/{pk}/").json()["id"] == pk
    assert client.get("/api/v1/meetings/999999/").status_code == 404
