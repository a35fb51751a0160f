"""A constable reports a missing person, grades it medium and sees the case, in Chromium.

Every page visited is checked with axe (WCAG) and must raise no Content-Security-Policy
violation.
"""

from datetime import timedelta

import pytest

from tests.browser.support import check_accessible
from tests.builders import PASSWORD, build_world, report
from vigil.core.time import LONDON, now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, prefix, moment):
    page.fill(f"#{prefix}-day", str(moment.day))
    page.fill(f"#{prefix}-month", str(moment.month))
    page.fill(f"#{prefix}-year", str(moment.year))


def test_a_constable_reports_grades_and_sees_the_case(live_server, page, csp_violations):
    world = build_world()
    other = build_world(code="other", name="Other Constabulary")
    report(other)
    # The second case of the other force: our force only ever has one, so no clash.
    foreign = report(other, given="Zed", family="Elsewhere")
    reported = (now() - timedelta(minutes=5)).astimezone(LONDON)
    last_seen = reported - timedelta(hours=2)

    # Given a constable signs in
    page.goto(f"{live_server.url}/sign-in/")
    check_accessible(page)
    page.fill("#username", world.constable.username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Then they see the cases of their area
    page.wait_for_url("**/areas/north/cases/")
    assert page.get_by_role("heading", name="Cases in North").is_visible()
    check_accessible(page)

    # When they report a missing person
    page.get_by_role("button", name="Report a missing person").click()
    page.wait_for_url("**/areas/north/cases/report/")
    check_accessible(page)
    page.get_by_role("button", name="Report and continue to grading").click()
    # (first, an empty form: the error summary appears and is accessible)
    assert page.get_by_text("There is a problem").is_visible()
    # GOV.UK Frontend's JavaScript ran under the CSP: it moves focus to the error summary.
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    check_accessible(page)
    page.fill("#given_name", "Lily")
    page.fill("#family_name", "Marsh")
    page.fill("#date_of_birth-day", "4")
    page.fill("#date_of_birth-month", "9")
    page.fill("#date_of_birth-year", "2009")
    page.fill("#reporter_given_name", "Rose")
    page.fill("#reporter_family_name", "Marsh")
    page.fill("#reporter_relationship", "mother")
    fill_date(page, "reported_date", reported)
    page.fill("#reported_time", reported.strftime("%H:%M"))
    fill_date(page, "last_seen_date", last_seen)
    page.fill("#last_seen_time", last_seen.strftime("%H:%M"))
    page.fill("#last_seen_place", "School gates, Mill Lane")
    page.fill("#circumstances", "Did not arrive in class; phone off.")
    page.get_by_role("button", name="Report and continue to grading").click()

    # And grades it medium, with a fact and its source
    page.wait_for_url("**/grade/")
    assert page.get_by_role("heading", name="Grade the risk").is_visible()
    check_accessible(page)
    page.get_by_label("Medium risk").check()
    page.fill("#rationale", "Out of character; no contact since the morning.")
    page.fill("#answer_out_of_character", "Never missed school before.")
    page.fill("#source_out_of_character", "Rose Marsh (mother)")
    fill_date(page, "obtained_date_out_of_character", reported)
    page.fill("#obtained_time_out_of_character", reported.strftime("%H:%M"))
    page.get_by_role("button", name="Record grading").click()

    # Then they see the case page with the grade and its timeline
    page.wait_for_url("**/cases/*/")
    assert page.get_by_role("heading", name="Lily Marsh").is_visible()
    assert page.get_by_text("Grading recorded: Medium risk.").is_visible()
    assert page.get_by_role("heading", name="Grading 1: Medium risk (current)").is_visible()
    assert page.get_by_role("cell", name="Rose Marsh (mother)").is_visible()
    timeline = page.locator("table", has=page.get_by_role("columnheader", name="Who"))
    for what in ["Case opened", "Reported missing", "Graded"]:
        assert timeline.get_by_text(what, exact=True).is_visible()
    check_accessible(page)

    # When they try a case of another force, they see the not found page
    page.goto(f"{live_server.url}/cases/{foreign.reference}/")
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert "Zed" not in page.content()
    check_accessible(page)

    assert csp_violations == []
