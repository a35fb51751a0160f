"""Steps the browser journeys share."""

from axe_playwright_python.sync_playwright import Axe

from tests.builders import PASSWORD

AXE = Axe()


def check_accessible(page):
    """axe (WCAG) on the page as it stands: no violations, printed in full if there are."""
    results = AXE.run(page)
    if results.violations_count:
        print(f"axe violations on {page.url}:\n{results.generate_report()}")
    assert results.violations_count == 0, page.url


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("#username", user.username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/areas/north/cases/")
