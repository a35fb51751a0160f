"""A sergeant takes supervision, hands it over, and the incoming sergeant accepts, in Chromium.

Every page visited is checked with axe (WCAG) and must raise no Content-Security-Policy
violation.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_accessible, sign_in
from tests.builders import build_world, report
from vigil.core.time import london_date, now
from vigil.rosters.services import DesignationEntry, roster_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rostered_world():
    """Sam Archer is the designated missing person sergeant in every slot around now, so the
    case is his to supervise by roster rule whatever the time of day the test runs."""
    world = build_world()
    today = london_date(now())
    entries = [
        DesignationEntry(today + timedelta(days=offset), code, role, person)
        for offset in (-1, 0, 1)
        for code in ("early", "late", "night")
        for role, person in (
            ("mp_sergeant", world.sergeant),
            ("duty_inspector", world.inspector),
        )
    ]
    roster_publish(area=world.area, entries=entries, system_job="test-roster")
    return world


def test_a_sergeant_assigns_hands_over_and_the_other_accepts(live_server, page, csp_violations):
    world = rostered_world()
    case = report(world)  # by the constable, graded medium
    supervisor_row = page.locator("#role-supervisor")
    accept_link = re.compile(rf"{case.reference}\s*: accept the supervisor role")

    # Given the case is supervised by Sam Archer (by roster rule, not yet accepted)
    sign_in(page, live_server, world.sergeant)
    main_links = page.locator("main a")
    expect(main_links.first).to_have_text("My cases")
    main_links.first.click()
    page.wait_for_url("**/my-cases/")
    expect(page.get_by_role("heading", name="My cases", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting for you to accept")).to_be_visible()
    check_accessible(page)
    page.get_by_role("link", name=accept_link).click()
    page.wait_for_url(f"**/cases/{case.reference}/**")
    expect(page.get_by_role("heading", name="Who is responsible")).to_be_visible()
    expect(supervisor_row).to_contain_text("Sam Archer")
    expect(supervisor_row).to_contain_text("Not accepted")
    expect(supervisor_row).to_contain_text("By roster rule")
    page.get_by_text("Holding history: every assignment and handover").click()
    expect(page.get_by_text("Took it themselves")).to_be_visible()  # the reporting owner
    check_accessible(page)
    page.get_by_role("link", name="Who held each role at every moment").click()
    page.wait_for_url(f"**/cases/{case.reference}/roles/")
    expect(page.get_by_role("table", name="Supervisor")).to_contain_text("By roster rule")
    check_accessible(page)
    page.get_by_role("link", name="Back to the case").click()
    page.wait_for_url(f"**/cases/{case.reference}/**")

    # When he assigns supervision to himself (an empty form first: errors, accessible)
    page.get_by_role("link", name="Assign the supervisor").click()
    page.wait_for_url("**/roles/supervisor/assign/")
    expect(page.get_by_role("heading", name="Assign the supervisor")).to_be_visible()
    check_accessible(page)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    check_accessible(page)
    page.select_option("#person", str(world.sergeant.pk))
    page.fill("#reason", "I am the missing person sergeant today.")
    page.get_by_role("button", name="Assign").click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    expect(page.get_by_text("Sam Archer is now the supervisor")).to_be_visible()
    expect(supervisor_row).to_contain_text("Assigned by")
    check_accessible(page)

    # And hands it over to Bea Baker with the template
    page.get_by_role("link", name="Hand over the supervisor").click()
    page.wait_for_url("**/roles/supervisor/handover/")
    check_accessible(page)
    expect(page.get_by_role("group", name="New risk grade")).to_be_visible()
    page.get_by_label("Confirmed: still Medium risk").check()
    page.select_option("#to_person", str(world.sergeant_b.pk))
    page.fill("#summary", "House and garden searched; friends called; no contact.")
    page.fill("#outstanding", "Bus station CCTV; hospital checks at 18:00.")
    page.get_by_role("button", name="Hand over").click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    expect(page.get_by_text("They need to accept it")).to_be_visible()
    expect(supervisor_row).to_contain_text("Bea Baker")
    expect(supervisor_row).to_contain_text("Not accepted")
    check_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # Then Bea Baker signs in, finds it waiting and accepts it
    sign_in(page, live_server, world.sergeant_b)
    page.get_by_role("link", name="My cases").first.click()
    page.wait_for_url("**/my-cases/")
    check_accessible(page)
    page.get_by_role("link", name=accept_link).click()
    page.wait_for_url(f"**/cases/{case.reference}/**")
    expect(supervisor_row.get_by_role("button", name="Accept")).to_be_visible()
    check_accessible(page)
    supervisor_row.get_by_role("button", name="Accept").click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    expect(page.get_by_text("You accepted the supervisor role")).to_be_visible()

    # And the case page shows her as the supervisor, accepted
    expect(supervisor_row).to_contain_text("Bea Baker")
    expect(supervisor_row).to_contain_text("Accepted")
    expect(supervisor_row).not_to_contain_text("Not accepted")
    expect(supervisor_row).to_contain_text("Handed over by")
    check_accessible(page)

    assert csp_violations == []
