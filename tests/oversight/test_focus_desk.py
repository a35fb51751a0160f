"""The Vulnerability Focus Desk queue and advice notes."""

import pytest
from django.db import IntegrityError, transaction

from tests.builders import make_user
from tests.oversight.board_support import open_cases, three_days_on
from tests.web.conftest import text
from vigil.audit.selectors import case_timeline
from vigil.core.errors import NotAllowed, ServiceError
from vigil.oversight.focus_desk import advice_record, focus_desk_queue
from vigil.oversight.models import AdviceNote
from vigil.responsibility.services import case_assign


@pytest.fixture
def desk(staffed):
    import time_machine

    from tests.builders import utc

    with time_machine.travel(utc(2024, 1, 1, 10), tick=False):
        return make_user(staffed.force, "staff", roles=["focus_desk"], first="Fay", last="Desk")


def test_the_queue_holds_cases_needing_a_look(staffed, clock, desk):
    w = staffed
    quiet, noisy = open_cases(w, 2, high=0)
    # Quiet: both roles taken and accepted now, nothing overdue, no prompt yet.
    case_assign(case=quiet, role="supervisor", holder=w.sergeant, actor=w.sergeant, reason="me")
    queue = focus_desk_queue(desk)
    rows = {r.row.case.pk: r for r in queue.rows}
    assert quiet.pk not in rows  # owner (initial, took it) and supervisor accepted
    assert "Supervisor not accepted" in rows[noisy.pk].reasons

    three_days_on(clock)  # three days on: overdue reviews and prompts for both
    queue = focus_desk_queue(desk)
    rows = {r.row.case.pk: r for r in queue.rows}
    assert set(rows) == {quiet.pk, noisy.pk}
    reasons = rows[quiet.pk].reasons
    assert "1 overdue review" in reasons
    assert any(r.endswith("unanswered prompts") or r.endswith("unanswered prompt") for r in reasons)


def test_focus_desk_officers_record_advice_on_the_timeline(staffed, clock, desk, client):
    w = staffed
    (case,) = open_cases(w, 1, high=0)
    with pytest.raises(NotAllowed):
        advice_record(case=case, actor=w.inspector, text="Not mine to give.")
    with pytest.raises(ServiceError):
        advice_record(case=case, actor=desk, text="  ")
    note = advice_record(case=case, actor=desk, text="Consider a Herbert protocol check.")
    assert "oversight.focus_desk_advice" in [e.kind for e in case_timeline(case)]
    with pytest.raises(IntegrityError), transaction.atomic():
        AdviceNote.objects.filter(pk=note.pk).update(text="changed")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdviceNote.objects.filter(pk=note.pk).delete()

    client.force_login(desk)
    page = client.get("/focus-desk/")
    assert page.status_code == 200
    assert case.reference in text(page) and "Consider a Herbert protocol check." in text(page)
    assert "Record advice" in text(page)
    form = client.get(f"/cases/{case.reference}/advice/new/")
    assert form.status_code == 200
    empty = client.post(f"/cases/{case.reference}/advice/new/", {"text": ""})
    assert empty.status_code == 400 and "Write the advice" in text(empty)
    done = client.post(f"/cases/{case.reference}/advice/new/", {"text": "Call the school."})
    assert done.status_code == 302
    assert AdviceNote.objects.filter(case=case).count() == 2
    assert "Focus desk advice" in text(client.get(f"/cases/{case.reference}/"))

    client.force_login(w.sergeant)  # sees the queue, may not advise
    page = client.get("/focus-desk/")
    assert page.status_code == 200 and "Record advice" not in text(page)
    assert client.get(f"/cases/{case.reference}/advice/new/").status_code == 403
    client.force_login(w.constable)
    assert client.get("/focus-desk/").status_code == 403
    assert client.get("/api/v1/focus-desk/").status_code == 403


def test_focus_desk_api(staffed, clock, desk, client):
    w = staffed
    (case,) = open_cases(w, 1, high=0)
    client.force_login(desk)
    queue = client.get("/api/v1/focus-desk/")
    assert queue.status_code == 200
    assert [r["board"]["case"] for r in queue.json()] == [case.reference]
    assert "Supervisor not accepted" in queue.json()[0]["reasons"]
    made = client.post(
        f"/api/v1/cases/{case.reference}/advice/",
        {"text": "Ask the hub for the care plan."},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["author"]["username"] == desk.username
    listed = client.get(f"/api/v1/cases/{case.reference}/advice/").json()
    assert [n["text"] for n in listed] == ["Ask the hub for the care plan."]
    assert client.get("/api/v1/focus-desk/").json()[0]["advice"][0]["text"].startswith("Ask")
    client.force_login(w.sergeant)
    refused = client.post(
        f"/api/v1/cases/{case.reference}/advice/", {"text": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert (
        client.post(
            "/api/v1/cases/NOPE-1/advice/", {"text": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
