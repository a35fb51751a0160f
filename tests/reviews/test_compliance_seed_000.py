"""Seed 000 on the compliance page, its CSV and XLSX exports and the API: the same figures
everywhere, every missed review naming the sergeant rostered at the time, and the one
designation corrected afterwards shown beside it.

The scenario is test_seed_000_api's (its constants and the reviews conftest's helpers),
recorded through the services rather than the API to keep it quick."""

import csv
import io
import re
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.builders import report
from tests.reviews.conftest import publish, utc
from tests.reviews.test_seed_000_api import (
    CORRECTED,
    FIRST,
    LATE_BY_DESIGNATED,
    NOT_COUNTING,
    ON_BEHALF,
    ON_TIME_BY_DESIGNATED,
    SLOTS,
    london,
)
from vigil.audit.models import AuditEvent
from vigil.audit.selectors import verify_chain
from vigil.cases.services import case_record_found
from vigil.core.time import london_date
from vigil.organisation.selectors import person_label
from vigil.reviews.compliance import period_bounds
from vigil.reviews.exports import HEADERS
from vigil.reviews.selectors import compliance_by_kind, compliance_rows
from vigil.reviews.services import due_reviews_fix, review_record
from vigil.rosters.selectors import current_designation, slot_definitions
from vigil.rosters.services import roster_correct
from vigil.rosters.slots import slot_on


def build_seed_000(world, sergeants):
    designated = {i: sergeants[i % 6] for i in range(SLOTS)}
    other = {i: sergeants[(i + 1) % 6] for i in range(SLOTS)}
    publish(
        world,
        FIRST - timedelta(days=1),
        SLOTS + 2,
        people=lambda day, code: sergeants[(day - FIRST).days % 6],
        slots=("early",),
        at=utc(2024, 3, 1, 9),
    )
    early = next(d for d in slot_definitions(world.area) if d.code == "early")
    slots = [slot_on(early, FIRST + timedelta(days=i)) for i in range(SLOTS)]
    with time_machine.travel(utc(2024, 3, 10, 6, 30), tick=False):
        case = report(world, grade="medium")

    def record(i, user, hour, minute=0, **extra):
        with time_machine.travel(london(slots[i].date, hour, minute), tick=False):
            return review_record(
                case=case, kind="supervisory", actor=user, rationale="Risk unchanged.", **extra
            )

    for i in range(SLOTS):
        if i in ON_TIME_BY_DESIGNATED:
            assert record(i, designated[i], 10).counts
        if i == LATE_BY_DESIGNATED:
            assert record(i, designated[i], 15, 20).counts
        if i == ON_BEHALF:
            assert record(i, other[i], 11, on_behalf_of=designated[i]).counts
        if i in NOT_COUNTING:
            assert not record(i, other[i], 12).counts
    last = slots[-1].date
    with time_machine.travel(london(last, 16), tick=False):
        due_reviews_fix(cases=[case])
        case_record_found(case=case, actor=world.sergeant, found_at=london(last, 15, 45))
    with time_machine.travel(london(last + timedelta(days=1), 9), tick=False):
        wrong = current_designation(
            world.area, FIRST + timedelta(days=CORRECTED), "early", "mp_sergeant"
        )
        roster_correct(
            designation=wrong,
            person=other[CORRECTED],
            reason="Roster error: the other sergeant was the missing person sergeant that day.",
            actor=world.inspector,
        )
    return case, slots, designated, other


def _label(user, day):
    return person_label(user, day)


def test_seed_000_page_exports_and_api_agree(client, world, sergeants):
    _case, slots, designated, other = build_seed_000(world, sergeants)
    last = slots[-1].date
    period = {"from": FIRST.isoformat(), "to": last.isoformat()}
    asked = london(last + timedelta(days=1), 12)
    with time_machine.travel(asked, tick=False):
        start, end = period_bounds(FIRST, last)
        rows = compliance_rows(force=world.force, start=start, end=end)
        by_kind = compliance_by_kind(rows)
        client.force_login(world.inspector)
        page = client.get("/reviews/compliance/", period)
        csv_response = client.get("/reviews/compliance.csv", period)
        xlsx_response = client.get("/reviews/compliance.xlsx", period)
        api = APIClient()
        api.force_authenticate(world.inspector)
        body = api.get("/api/v1/reviews/compliance/", period).json()

    assert Counter(r.kind for r in rows) == {"supervisory": 49, "long_term": 1}

    supervisory = by_kind["supervisory"]
    assert (supervisory.due, supervisory.on_time, supervisory.late, supervisory.missed) == (
        49,
        16,
        1,
        32,
    )

    # The page: per kind, the exact numbers of compliance_rows.
    assert page.status_code == 200
    html = page.content.decode()
    for kind, entry in by_kind.items():
        block = re.search(rf'data-kind="{kind}">(.*?)</tr>', html, re.S).group(1)
        cells = dict(re.findall(r'data-count="(\w+)">([^<]*)<', block))
        assert cells["due"] == str(entry.due)
        assert cells["on_time"] == str(entry.on_time)
        assert cells["late"] == str(entry.late)
        assert cells["missed"] == str(entry.missed)
    assert re.search(r'data-kind="supervisory">.*?data-count="percent">33%<', html, re.S)

    # Every missed review names the sergeant rostered at the time, on the page.
    trs = dict(
        re.findall(r'<tr class="govuk-table__row" data-due-review="(\d+)"(.*?)</tr>', html, re.S)
    )
    mine = [r for r in rows if r.kind == "supervisory"]
    missed = [i for i, r in enumerate(mine) if r.status == "missed"]
    assert len(missed) == 32
    for i in missed:
        row_html = trs[str(mine[i].due.pk)]
        assert 'data-status="missed"' in row_html
        reviewer = re.search(r'<span class="compliance-reviewer">(.*?)</span>', row_html).group(1)
        assert reviewer == _label(designated[i], slots[i].date)
    corrected = trs[str(mine[CORRECTED].due.pk)]
    assert "Roster corrected" in corrected
    assert f"now {_label(other[CORRECTED], slots[CORRECTED].date)}" in corrected
    assert "Roster error: the other sergeant" in corrected
    assert f"stays with {_label(designated[CORRECTED], slots[CORRECTED].date)}" in corrected
    assert sum("Roster corrected" in r for r in trs.values()) == 1
    behalf = text_of(trs[str(mine[ON_BEHALF].due.pk)])
    on = london_date(mine[ON_BEHALF].counted.recorded_at)
    assert (
        f"By {_label(other[ON_BEHALF], on)} on behalf of {_label(designated[ON_BEHALF], on)}"
        in behalf
    )

    # CSV and XLSX: the same rows.
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert lines[0] == HEADERS
    csv_rows = lines[1:]
    assert len(csv_rows) == len(rows) == 50
    book = load_workbook(io.BytesIO(xlsx_response.content))
    sheet = book["Reviews"]
    xlsx_rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert xlsx_rows[0] == HEADERS
    assert xlsx_rows[1:] == csv_rows
    column = {name: n for n, name in enumerate(HEADERS)}
    sup = [r for r in csv_rows if r[column["Review kind code"]] == "supervisory"]
    assert Counter(r[column["Status"]] for r in sup) == {
        "Done on time": 16,
        "Done late": 1,
        "Missed": 32,
    }
    for i in missed:
        assert sup[i][column["Accountable reviewer username"]] == designated[i].username
    assert sup[CORRECTED][column["Roster corrected since: now designated"]] == _label(
        other[CORRECTED], slots[CORRECTED].date
    )
    assert "Roster error" in sup[CORRECTED][column["Correction reason"]]
    assert sup[20][column["Window start (UK time)"]] == "2024-03-30T07:00+00:00"
    assert sup[21][column["Window start (UK time)"]] == "2024-03-31T07:00+01:00"  # BST

    # XLSX summary: per kind, and a sheet per kind by week and area.
    summary = {row[1]: row for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["supervisory"][2:7] == (49, 16, 1, 32, 0)
    assert summary["supervisory"][7] == pytest.approx(16 / 49)
    assert summary["long_term"][2] == 1
    per_kind = book["Supervisory review"]
    weekly = [r for r in per_kind.iter_rows(values_only=True) if r and r[1] == "North"]
    assert sum(r[2] for r in weekly) == 49
    assert sum(r[3] for r in weekly) == 16

    # The API: the same figures.
    kinds = {k["kind"]: k for k in body["kinds"]}
    for kind, entry in by_kind.items():
        got = kinds[kind]
        assert (got["due"], got["on_time"], got["late"], got["missed"], got["open"]) == (
            entry.due,
            entry.on_time,
            entry.late,
            entry.missed,
            entry.open,
        )
    assert kinds["supervisory"]["on_time_ratio"] == 16 / 49
    assert body["filters"]["from"] == FIRST.isoformat()
    api_rows = [r for r in body["rows"] if r["kind"] == "supervisory"]
    assert [r["due_review"] for r in api_rows] == [r.due.pk for r in mine]
    for i in missed:
        assert api_rows[i]["status"] == "missed"
        assert api_rows[i]["reviewer"]["username"] == designated[i].username
    fixed = api_rows[CORRECTED]
    assert [c["person"]["username"] for c in fixed["corrections"]] == [other[CORRECTED].username]
    assert fixed["designated_now"]["username"] == other[CORRECTED].username
    assert fixed["reviewer"]["username"] == designated[CORRECTED].username
    counted = api_rows[ON_BEHALF]["counted_review"]
    assert counted["reviewer"]["username"] == other[ON_BEHALF].username
    assert counted["on_behalf_of"]["username"] == designated[ON_BEHALF].username
    trend = body["trend"]
    assert trend["kind"] == "supervisory"
    assert sum(p["due"] for s in trend["series"] for p in s["points"]) == 49
    assert sum(p["on_time"] for s in trend["series"] for p in s["points"]) == 16
    by_reviewer = [
        g for g in body["breakdowns"]["reviewer"] if g["counts"]["kind"] == "supervisory"
    ]
    assert sum(g["counts"]["missed"] for g in by_reviewer) == 32

    # Each export is on the audit chain, with its filters.
    exported = AuditEvent.objects.filter(kind="compliance.exported").order_by("seq")
    assert [e.payload["format"] for e in exported] == ["csv", "xlsx"]
    assert exported[0].payload["from"] == FIRST.isoformat()
    assert exported[0].payload["rows"] == 50
    assert exported[0].actor == world.inspector
    assert verify_chain(world.force).ok


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
