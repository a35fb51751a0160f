"""The review pages: My reviews due, recording a review through the form, errors shown."""

import re
from datetime import date, timedelta

import pytest
import time_machine

from tests.builders import report
from tests.reviews.conftest import publish, utc
from tests.web.conftest import text
from vigil.reviews.models import DueReview, Review
from vigil.reviews.selectors import case_review_section
from vigil.reviews.services import due_reviews_fix

DAY = date(2024, 6, 10)  # British Summer Time: the early slot is 06:00 to 14:00 UTC


@pytest.fixture
def due(world):
    publish(world, DAY - timedelta(days=1), 3, roles=("mp_sergeant", "duty_inspector"))
    with time_machine.travel(utc(2024, 6, 10, 5, 30), tick=False):
        report(world, grade="medium")
    with time_machine.travel(utc(2024, 6, 10, 6), tick=False):
        [row] = due_reviews_fix()
    return row


@pytest.fixture
def at_nine():
    with time_machine.travel(utc(2024, 6, 10, 9), tick=False) as traveller:
        yield traveller


def test_my_reviews_due_lists_the_users_due_review(client, world, due, at_nine):
    client.force_login(world.sergeant)
    response = client.get("/reviews/mine/")
    assert response.status_code == 200
    page = text(response)
    assert "My reviews due" in page
    assert due.case.reference in page
    assert "Supervisory review" in page
    assert "07:00 Mon 10 Jun to 15:00 Mon 10 Jun 2024" in page  # UK time
    assert "designated missing person sergeant for Early 10 Jun 2024" in page
    assert f"/cases/{due.case.reference}/reviews/new/?due={due.pk}" in response.content.decode()
    client.force_login(world.sergeant_b)
    assert "You have no reviews due now" in text(client.get("/reviews/mine/"))


def test_recording_a_review_through_the_form(client, world, due, at_nine):
    client.force_login(world.sergeant)
    url = f"/cases/{due.case.reference}/reviews/new/?due={due.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Record a review" in text(page)
    assert "On behalf of" not in text(page)  # they are the accountable reviewer
    response = client.post(
        url,
        {
            "due": due.pk,
            "kind": "supervisory",
            "risk": "confirmed",
            "rationale": "Enquiries continue; no change.",
            "next_steps": "Check the hospital again.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/reviews/mine/"
    review = Review.objects.get()
    assert (review.due, review.counts, review.reviewer) == (due, True, world.sergeant)
    assert review.next_steps == "Check the hospital again."
    follow = client.get("/reviews/mine/")
    assert "Counts for the Supervisory review" in text(follow)


def test_recording_on_behalf_through_the_form(client, world, due, at_nine):
    client.force_login(world.sergeant_b)
    url = f"/cases/{due.case.reference}/reviews/new/?due={due.pk}"
    assert "On behalf of" in text(client.get(url))
    response = client.post(
        url,
        {
            "due": due.pk,
            "kind": "supervisory",
            "attribution": "on_behalf",
            "risk": "changed",
            "new_grade": "high",
            "rationale": "New intelligence: threats made.",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.reviewer, review.on_behalf_of, review.counts) == (
        world.sergeant_b,
        world.sergeant,
        True,
    )
    assert review.grading.grade == "high"
    assert DueReview.objects.filter(case=due.case, kind="inspector").exists()


def test_errors_are_shown_in_the_summary_linked_to_fields(client, world, due, at_nine):
    client.force_login(world.sergeant_b)
    url = f"/cases/{due.case.reference}/reviews/new/?due={due.pk}"
    response = client.post(url, {"due": due.pk, "kind": "supervisory", "risk": "changed"})
    assert response.status_code == 400
    body = response.content.decode()
    summary = body[body.index("govuk-error-summary") :]
    for href, message in (
        ("#attribution", "Say whether this is your own review or on their behalf"),
        ("#rationale", "Explain the review"),
        ("#new_grade", "Choose the new grade"),
    ):
        assert re.search(rf'href="{href}"[^>]*>\s*{message}', summary), message
    assert text(response).startswith("Error:") or "<title>Error:" in body
    assert not Review.objects.exists()


def test_a_service_refusal_is_shown_against_its_field(client, world, due, at_nine):
    client.force_login(world.sergeant)
    url = f"/cases/{due.case.reference}/reviews/new/?due={due.pk}"
    response = client.post(
        url,
        {
            "due": due.pk,
            "kind": "supervisory",
            "risk": "changed",
            "new_grade": "medium",
            "rationale": "x",
        },
    )
    # Medium is the current grade: the grade choices leave it out, so the form says so.
    assert response.status_code == 400
    assert 'href="#new_grade"' in response.content.decode()


def test_a_case_out_of_scope_is_not_found(client, world, due, at_nine):
    from tests.builders import build_world

    with time_machine.travel(utc(2024, 1, 1, 9), tick=False):
        other = build_world(code="other", name="Other Constabulary")
    client.force_login(other.sergeant)
    assert client.get(f"/cases/{due.case.reference}/reviews/new/").status_code == 404


def test_the_case_section_fragment_renders(world, due, at_nine, rf):
    from django.template.loader import get_template

    section = case_review_section(due.case)
    request = rf.get("/")
    request.user = world.sergeant
    html = get_template("reviews/_case_reviews.html").template.module.case_reviews(section)
    assert "Due reviews (1 open)" in str(html)
    assert "Coming up in the next 48 hours" in str(html)


def test_api_my_reviews(world, due, at_nine):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user=world.sergeant)
    body = api.get("/api/v1/reviews/mine/").json()
    assert [d["id"] for d in body["due"]] == [due.pk]
    assert body["due"][0]["window_start"] == "2024-06-10T06:00:00+00:00"
    assert body["due"][0]["reviewer"]["id"] == world.sergeant.pk
    assert body["due"][0]["slot"] == {"date": "2024-06-10", "code": "early"}
    assert body["upcoming"][0]["status"] == "upcoming"
