"""The compliance page on a small world: who may see it, filters and their errors, htmx, the
chart and its table, restricted cases, and a query count that does not grow with cases."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import build_world, make_user, report
from tests.reviews.conftest import publish, utc
from tests.web.conftest import text
from vigil.cases.models import Case
from vigil.core.time import LONDON
from vigil.reviews.compliance import ComplianceFilters, compliance_report, period_bounds
from vigil.reviews.models import DueReview
from vigil.reviews.selectors import compliance_by_kind, compliance_rows
from vigil.reviews.services import due_reviews_fix, review_record

DAY = date(2024, 6, 3)  # a Monday in British Summer Time: early is 06:00 to 14:00 UTC
DAYS = 10
ASKED = utc(2024, 6, 15, 12)
PERIOD = {"from": "2024-06-03", "to": "2024-06-12"}


def london(day, hour, minute=0):
    from datetime import datetime

    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def small_world(world, cases: int = 1) -> list:
    """`cases` medium cases in North and one in South, reviewed on some early slots."""
    for area in (world.area, world.other_area):
        publish(world, DAY - timedelta(days=1), DAYS + 3, area=area)
    with time_machine.travel(utc(2024, 6, 3, 5), tick=False):
        north = [report(world, given=f"North{i}") for i in range(cases)]
        south = report(world, area=world.other_area, given="South")
    for offset in range(DAYS):
        day = DAY + timedelta(days=offset)
        if offset % 3 == 0:  # on time, by the designated early sergeant
            with time_machine.travel(london(day, 10), tick=False):
                for case in [*north, south]:
                    review_record(
                        case=case, kind="supervisory", actor=world.sergeant, rationale="Seen."
                    )
        if offset == 4:  # late, after the window
            with time_machine.travel(london(day, 15, 20), tick=False):
                review_record(
                    case=north[0], kind="supervisory", actor=world.sergeant, rationale="Late."
                )
    with time_machine.travel(ASKED, tick=False):
        due_reviews_fix()
    return [*north, south]


@pytest.fixture
def asked():
    with time_machine.travel(ASKED, tick=False) as traveller:
        yield traveller


def test_the_page_shows_the_per_kind_numbers_of_compliance_rows(client, world, asked):
    cases = small_world(world)
    client.force_login(world.inspector)
    response = client.get("/reviews/compliance/", PERIOD)
    assert response.status_code == 200, response.content[:2000]
    start, end = period_bounds(DAY, DAY + timedelta(days=DAYS - 1))
    rows = compliance_rows(force=world.force, start=start, end=end)
    expected = compliance_by_kind(rows)["supervisory"]
    assert (expected.due, expected.on_time, expected.late, expected.missed) == (20, 8, 1, 11)
    html = response.content.decode()
    summary = re.search(
        r'<tr class="govuk-table__row" data-kind="supervisory">(.*?)</tr>', html, re.S
    )
    cells = dict(re.findall(r'data-count="(\w+)">([^<]*)<', summary.group(1)))
    assert cells == {
        "due": "20",
        "on_time": "8",
        "late": "1",
        "missed": "11",
        "open": "0",
        "percent": "40%",  # 8 on time of 20 due
    }
    page = text(response)
    assert "Review compliance" in page
    for case in cases:
        assert f'href="/cases/{case.reference}/"' in html
    assert html.count('data-status="missed"') == 11
    assert f"PS {world.sergeant.collar_number} Sam Archer" in page
    # CSP: no style attribute; every script carries the nonce.
    assert "style=" not in html
    assert all("nonce=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert "reviews/compliance.css" in html


def test_the_chart_and_its_table_agree(client, world, asked):
    small_world(world)
    client.force_login(world.sergeant)
    html = client.get("/reviews/compliance/", {**PERIOD, "kind": "supervisory"}).content.decode()
    svg = re.search(r"<svg[^>]*id=\"trend-chart\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert '<title id="trend-chart-title">Supervisory review' in svg
    bars = {}
    for tag in re.findall(r"<rect [^>]*>", svg):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        key = (attrs["data-area"], attrs["data-week"])
        bars[key] = (int(attrs["data-due"]), int(attrs["data-on-time"]), float(attrs["height"]))
    table = re.search(r'<table class="govuk-table" id="trend-table">.*?</table>', html, re.S).group(
        0
    )
    cells = {
        (area, week): (int(due), int(on_time))
        for area, week, due, on_time in re.findall(
            r'data-area="(\w+)" data-week="([\d-]+)" data-due="(\d+)" data-on-time="(\d+)"', table
        )
    }
    # Two areas, two weeks (3-9 and 10-16 June), every cell in the table.
    assert set(cells) == {
        (area, week) for area in ("north", "south") for week in ("2024-06-03", "2024-06-10")
    }
    # A bar for every cell where something was due, with the same numbers and a height in
    # proportion to on time ÷ due.
    assert {key: (due, on) for key, (due, on, _h) in bars.items()} == {
        key: value for key, value in cells.items() if value[0]
    }
    plot = 320 - 16 - 48
    for due, on_time, height in bars.values():
        assert height == pytest.approx(plot * on_time / due, abs=0.01)
    assert cells[("north", "2024-06-03")] == (7, 3)
    assert cells[("south", "2024-06-10")] == (3, 1)
    assert "3 of 7 (43%)" in text_of(table)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.mark.parametrize("url", ["/reviews/compliance/", "/reviews/compliance.csv"])
def test_a_constable_gets_403(client, world, asked, url):
    client.force_login(world.constable)
    assert client.get(url).status_code == 403


def test_roles_open_the_page_to_staff(client, world, asked):
    analyst = make_user(world.force, "staff", roles=["analyst"])
    client.force_login(analyst)
    assert client.get("/reviews/compliance/").status_code == 200
    client.force_login(world.acting_sergeant)  # acting rank counts
    assert client.get("/reviews/compliance/").status_code == 200


def test_bad_filters_give_an_error_summary_and_keep_what_was_typed(client, world, asked):
    small_world(world)
    client.force_login(world.inspector)
    response = client.get(
        "/reviews/compliance/", {"from": "31/02/2024", "to": "2024-06-12", "reviewer": "nobody"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    page = text(response)
    assert "There is a problem" in page
    assert "Enter the first day of the period as a real date" in page
    assert "Enter the username or collar number of someone in your force" in page
    assert 'href="#from"' in html and 'href="#reviewer"' in html
    assert 'value="31/02/2024"' in html and 'value="nobody"' in html
    assert "<title>Error: Review compliance" in html
    backwards = client.get("/reviews/compliance/", {"from": "2024-06-12", "to": "2024-06-01"})
    assert backwards.status_code == 400
    assert "The last day must be the same as or after the first day" in text(backwards)
    export = client.get("/reviews/compliance.xlsx", {"area": "atlantis"})
    assert export.status_code == 400
    assert "Choose an area in your force" in text(export)


def test_htmx_gets_the_results_block_only(client, world, asked):
    small_world(world)
    client.force_login(world.inspector)
    response = client.get("/reviews/compliance/", PERIOD, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="compliance-results" hx-history="false">')
    assert 'hx-replace-url="true"' in html  # no history entry, nothing copied to storage
    assert "<html" not in html
    assert 'id="kind-summary"' in html
    assert "HX-Request" in response["Vary"]
    wrong = client.get("/reviews/compliance/", {"from": "nope"}, headers={"HX-Request": "true"})
    assert wrong.status_code == 200  # htmx swaps 2xx only: the errors must reach the page
    assert "There is a problem" in wrong.content.decode()


def test_another_forces_data_never_appears(client, world, asked):
    small_world(world)
    with time_machine.travel(utc(2024, 1, 1, 9), tick=False):
        other = build_world(code="other", name="Other Constabulary")
    publish(other, DAY - timedelta(days=1), DAYS + 3)
    with time_machine.travel(utc(2024, 6, 3, 5), tick=False):
        theirs = report(other, given="Elsewhere")
    with time_machine.travel(ASKED, tick=False):
        due_reviews_fix()
    client.force_login(world.inspector)
    html = client.get("/reviews/compliance/", PERIOD).content.decode()
    ours = set(DueReview.objects.filter(case__force=world.force).values_list("pk", flat=True))
    shown = {int(pk) for pk in re.findall(r'data-due-review="(\d+)"', html)}
    assert shown and shown <= ours
    assert DueReview.objects.filter(case=theirs).exists()
    assert re.search(r'data-kind="supervisory">.*?data-count="due">20<', html, re.S)
    label = f"PS {other.sergeant.collar_number} {other.sergeant.display_name}"
    assert label not in html
    # Their area code and their people are not choices either.
    assert "Other Constabulary" not in html
    response = client.get("/reviews/compliance/", {**PERIOD, "reviewer": other.sergeant.username})
    assert response.status_code == 400


def test_a_restricted_case_counts_but_is_not_named(client, world, asked):
    cases = small_world(world)
    Case.objects.filter(pk=cases[0].pk).update(restricted=True)
    client.force_login(world.inspector)
    html = client.get("/reviews/compliance/", PERIOD).content.decode()
    assert cases[0].reference not in html
    assert "Restricted case" in html
    assert re.search(r'data-kind="supervisory">.*?data-count="due">20<', html, re.S)


def _page_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/reviews/compliance/", PERIOD)
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_cases(
    client, world, asked, django_assert_max_num_queries
):
    small_world(world, cases=1)
    few = _page_queries(client, world.inspector)
    with time_machine.travel(utc(2024, 6, 3, 5, 30), tick=False):
        for i in range(4):
            report(world, given=f"More{i}")
    due_reviews_fix()
    assert len(compliance_report(user=world.inspector, filters=_filters()).lines) > 40
    many = _page_queries(client, world.inspector)
    assert many == few
    with django_assert_max_num_queries(25):
        client.get("/reviews/compliance/", PERIOD)


def _filters():
    return ComplianceFilters(first=DAY, last=DAY + timedelta(days=DAYS - 1))
