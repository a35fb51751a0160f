"""The inbox page and GET /api/v1/inbox/: unread first, mark read, link through."""

from django.db import transaction
from rest_framework.test import APIClient

from tests.builders import PASSWORD
from tests.notices.support import london, report_missing
from vigil.notices.models import NoticeKind
from vigil.notices.services import _notify, notice_mark_read


def notify(w, case, recipient, key, title):
    with transaction.atomic():
        return _notify(
            force=w.force,
            recipient=recipient,
            case=case,
            kind=NoticeKind.PROMPT_RAISED,
            key=key,
            title=title,
            link=f"/cases/{case.reference}/",
            why="supervisor of the case and on duty",
            system_job="sweep",
        )


def test_inbox_page_lists_unread_first_and_marks_read(client, staffed, clock):
    w = staffed
    case = report_missing(w)
    old = notify(w, case, w.sergeant, "a", "First notice")
    clock.move_to(london(3, 10))
    notify(w, case, w.sergeant, "b", "Second notice")
    notify(w, case, w.sergeant_b, "c", "Not yours")
    notice_mark_read(notice=notify(w, case, w.sergeant, "d", "Already read"), actor=w.sergeant)
    client.login(username=w.sergeant.username, password=PASSWORD)

    html = client.get("/inbox/").content.decode()
    assert "You have 2 unread notices" in html
    assert html.index("Second notice") < html.index("First notice") < html.index("Already read")
    assert "Not yours" not in html

    response = client.post(f"/inbox/{old.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert "You have 1 unread notice." in client.get("/inbox/").content.decode()

    response = client.post(f"/inbox/{old.pk}/read/", {"next": "link"})
    assert response["Location"] == f"/cases/{case.reference}/"


def test_email_link_lands_on_the_notice_only_for_its_recipient(client, staffed, clock):
    w = staffed
    case = report_missing(w)
    notice = notify(w, case, w.sergeant, "a", f"Decision needed on {case.reference}")
    client.login(username=w.sergeant_b.username, password=PASSWORD)
    assert client.get(f"/inbox/{notice.pk}/").status_code == 404
    assert client.post(f"/inbox/{notice.pk}/read/").status_code == 404
    client.login(username=w.sergeant.username, password=PASSWORD)
    html = client.get(f"/inbox/{notice.pk}/").content.decode()
    assert f"Decision needed on {case.reference}" in html
    assert "supervisor of the case and on duty" in html


def test_inbox_needs_sign_in(client, db):
    response = client.get("/inbox/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_api_inbox(staffed, clock):
    w = staffed
    case = report_missing(w)
    first = notify(w, case, w.sergeant, "a", "First")
    clock.move_to(london(3, 10))
    notify(w, case, w.sergeant, "b", "Second")
    api = APIClient()
    api.force_authenticate(user=w.sergeant)
    body = api.get("/api/v1/inbox/").json()
    assert body["unread"] == 2
    assert [n["title"] for n in body["notices"]] == ["Second", "First"]
    assert body["notices"][0]["case"] == case.reference
    assert body["notices"][0]["read"] is False and body["notices"][0]["read_at"] is None

    response = api.post(f"/api/v1/inbox/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["read"] is True
    body = api.get("/api/v1/inbox/", {"unread": "true"}).json()
    assert body["unread"] == 1 and [n["title"] for n in body["notices"]] == ["Second"]

    other = APIClient()
    other.force_authenticate(user=w.sergeant_b)
    assert other.post(f"/api/v1/inbox/{first.pk}/read/").status_code == 404
    assert other.get("/api/v1/inbox/").json() == {"unread": 0, "notices": []}


def test_header_count_is_available_to_every_page(staffed, clock, rf):
    from django.contrib.auth.models import AnonymousUser

    from vigil.notices.context import inbox

    w = staffed
    case = report_missing(w)
    notify(w, case, w.sergeant, "a", "First")
    notify(w, case, w.sergeant, "b", "Second")
    request = rf.get("/")
    request.user = w.sergeant
    assert inbox(request)["inbox_unread"] == 2
    request.user = AnonymousUser()
    assert inbox(request)["inbox_unread"] == 0
