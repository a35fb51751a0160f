"""A sergeant records a review that re-grades a case to high; the board then names the duty
inspector as next reviewer, and the Daily Management Meeting marks the case discussed. In
Chromium; every page checked with axe and for Content-Security-Policy violations."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessible, sign_in
from tests.builders import build_world, report
from vigil.core.time import london_date, now
from vigil.oversight.models import MeetingCase
from vigil.reviews.services import due_reviews_fix
from vigil.rosters.services import DesignationEntry, roster_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rostered_world():
    """Sam Archer is the designated missing person sergeant and Ivy the duty inspector in
    every slot around now, whatever the time of day the test runs."""
    world = build_world()
    today = london_date(now())
    entries = [
        DesignationEntry(today + timedelta(days=offset), code, role, person)
        for offset in (-1, 0, 1, 2)
        for code in ("early", "late", "night")
        for role, person in (
            ("mp_sergeant", world.sergeant),
            ("duty_inspector", world.inspector),
            ("on_call_di", world.detective_inspector),
            ("on_call_superintendent", world.superintendent),
        )
    ]
    roster_publish(area=world.area, entries=entries, system_job="test-roster")
    return world


def test_a_review_regrades_to_high_and_the_meeting_discusses_it(live_server, page, csp_violations):
    world = rostered_world()
    # Low risk: a periodic review is due at once, to the case's supervisor (Sam, by roster).
    case = report(world, grade="low")
    due_reviews_fix()
    row = page.locator(f"#case-{case.reference}")

    # Given the sergeant opens "My reviews due"
    sign_in(page, live_server, world.sergeant)
    page.goto(f"{live_server.url}/reviews/mine/")
    expect(page.get_by_role("heading", name="My reviews due")).to_be_visible()
    check_accessible(page)

    # When he records the periodic review, re-grading the case to high
    page.get_by_role(
        "link", name=re.compile(rf"Record\s*the periodic review of {case.reference}")
    ).click()
    page.wait_for_url(f"**/cases/{case.reference}/reviews/new/**")
    expect(page.get_by_role("heading", name="Record a review")).to_be_visible()
    check_accessible(page)
    page.get_by_label("Risk changed: re-grade").check()
    page.select_option("#new_grade", "high")
    page.fill("#rationale", "No contact for a day; phone off; out of character. Now high.")
    page.get_by_role("button", name="Record review").click()
    page.wait_for_url("**/reviews/mine/")
    expect(page.get_by_text(f"Review of {case.reference} recorded")).to_be_visible()
    check_accessible(page)

    # Then the board shows the duty inspector as the next reviewer
    page.goto(f"{live_server.url}/areas/north/board/")
    expect(
        page.get_by_role("heading", name=re.compile("Daily Management Meeting board"))
    ).to_be_visible()
    expect(row.locator(".board-grade")).to_have_text("High risk")
    expect(row.locator(".board-next")).to_contain_text("Inspector review")
    expect(row.locator(".board-next")).to_contain_text("Ivy Inspector")
    expect(row.locator(".board-discussed")).to_contain_text("No meeting yet")
    check_accessible(page)

    # The htmx filter swaps the table in place
    page.get_by_label("Not discussed at the last meeting").check()
    page.wait_for_url(re.compile(r".*not_discussed=1.*"))
    expect(row).to_be_visible()
    check_accessible(page)

    # And the meeting, started from the board, marks the case discussed
    page.get_by_role("link", name="Start a meeting").click()
    page.wait_for_url("**/meetings/new/?area=north")
    check_accessible(page)
    page.fill("#attendees", world.inspector.username)
    page.get_by_role("button", name="Start the meeting").click()
    page.wait_for_url(re.compile(r".*/meetings/\d+/$"))
    expect(page.get_by_text("Meeting opened")).to_be_visible()
    check_accessible(page)
    row.get_by_role("button", name=re.compile("Mark discussed")).click()
    page.wait_for_url(re.compile(r".*/meetings/\d+/#case-.*"))
    expect(row.locator(".meeting-discussed")).to_contain_text("Discussed")
    check_accessible(page)
    assert MeetingCase.objects.filter(case=case, discussed=True).count() == 1

    page.goto(f"{live_server.url}/areas/north/board/")
    expect(row.locator(".board-discussed")).to_have_text(re.compile(r"^\s*Discussed"))
    check_accessible(page)
    assert csp_violations == []
