"""The compliance API: who may call it, filters checked by the page's own form (400 naming
the parameter), the same figures as the page, and a valid schema."""

import io

import pytest
import time_machine
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.builders import build_world, make_user
from tests.reviews.test_compliance_page import ASKED, PERIOD, small_world
from tests.web.conftest import text
from vigil.audit.models import AuditEvent

URL = "/api/v1/reviews/compliance/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def asked():
    with time_machine.travel(ASKED, tick=False) as traveller:
        yield traveller


def test_a_constable_gets_403_and_a_stranger_401(world, asked):
    response = api(world.constable).get(URL)
    assert response.status_code == 403
    assert "sergeants and above" in response.json()["detail"]
    assert APIClient().get(URL).status_code == 401


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "2024-02-30"}, "from", "Enter the first day of the period as a real date"),
        ({"to": "yesterday"}, "to", "Enter the last day of the period as a real date"),
        ({"from": "2024-06-12", "to": "2024-06-01"}, "to", "same as or after the first day"),
        ({"from": "2022-01-01", "to": "2024-06-01"}, "to", "at most 366 days"),
        ({"area": "atlantis"}, "area", "Choose an area in your force"),
        ({"kind": "tea_break"}, "kind", "Choose a kind of review"),
        ({"reviewer": "nobody"}, "reviewer", "someone in your force"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(world, asked, params, field, message):
    response = api(world.inspector).get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert message in body[field][0]


def test_the_api_gives_the_pages_figures(client, world, asked):
    small_world(world)
    body = api(world.sergeant).get(URL, PERIOD).json()
    kinds = {k["kind"]: k for k in body["kinds"]}
    assert {k: (v["due"], v["on_time"], v["late"], v["missed"]) for k, v in kinds.items()} == {
        "supervisory": (20, 8, 1, 11)
    }
    assert kinds["supervisory"]["on_time_ratio"] == pytest.approx(0.4)
    assert body["filters"] == {
        "from": "2024-06-03",
        "to": "2024-06-12",
        "area": None,
        "kind": None,
        "reviewer": None,
    }
    assert body["trend"]["weeks"] == ["2024-06-03", "2024-06-10"]
    assert [s["area"] for s in body["trend"]["series"]] == ["north", "south"]
    assert len(body["rows"]) == 20
    client.force_login(world.sergeant)
    page = text(client.get("/reviews/compliance/", PERIOD))
    assert "20 due reviews" in page

    south = api(world.sergeant).get(URL, {**PERIOD, "area": "south"}).json()
    assert {r["area"] for r in south["rows"]} == {"south"}
    assert south["kinds"][0]["due"] == 10

    theirs = api(world.sergeant).get(URL, {**PERIOD, "reviewer": world.sergeant_b.username})
    assert theirs.status_code == 200
    assert theirs.json()["rows"] == []  # the late slot's sergeant: nothing due on early slots
    assert not AuditEvent.objects.filter(kind="compliance.exported").exists()


def test_another_force_sees_only_its_own(world, asked):
    small_world(world)
    with time_machine.travel(ASKED, tick=False):
        other = build_world(code="other", name="Other Constabulary")
        auditor = make_user(other.force, "staff", roles=["auditor"])
    body = api(auditor).get(URL, PERIOD).json()
    assert body["rows"] == [] and body["kinds"] == [] and body["trend"] is None
    # "north" is also one of their own areas' codes: it selects theirs, never ours.
    north = api(auditor).get(URL, {**PERIOD, "area": world.area.code})
    assert north.status_code == 200 and north.json()["rows"] == []
    assert api(auditor).get(URL, {"reviewer": world.sergeant.username}).status_code == 400


def test_the_schema_is_valid():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "/api/v1/reviews/compliance/" in out.getvalue()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "9999-12-31"}, "from"),
        ({"to": "0001-01-01"}, "to"),
        ({"from": "1999-12-31"}, "from"),
    ],
)
def test_dates_out_of_range_are_refused_not_crashed(world, asked, params, field):
    response = api(world.inspector).get(URL, params)
    assert response.status_code == 400
    assert "year 2000" in response.json()[field][0]


def test_export_cells_never_start_a_formula():
    from openpyxl import Workbook

    from vigil.reviews.exports import _safe

    assert _safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _safe("@SUM(A1)") == "'@SUM(A1)"
    assert _safe("Roster error") == "Roster error"
    sheet = Workbook().active
    sheet.append([_safe("=1+1")])
    assert sheet["A1"].data_type == "s"
