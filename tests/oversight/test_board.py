"""The Daily Management Meeting board: what it shows, who may see it, and a query count that
does not grow with the number of cases."""

import re

from tests.builders import build_world, report
from tests.oversight.board_support import BOARD_TIME, open_cases, queries, three_days_on
from tests.web.conftest import text
from vigil.cases.services import case_record_found
from vigil.oversight.board import (
    DISCUSSED,
    NO_MEETING,
    NOT_DISCUSSED,
    BoardFilters,
    build_board,
)
from vigil.oversight.meetings import meeting_mark_discussed, meeting_open
from vigil.responsibility.selectors import responsibility_at
from vigil.reviews.selectors import OVERDUE


def row_of(board, case):
    return next(r for r in board.rows if r.case.pk == case.pk)


def cell(html: str, reference: str) -> str:
    """The text of one case's row on the page."""
    match = re.search(rf'<tr class="govuk-table__row" id="case-{reference}">(.*?)</tr>', html, re.S)
    assert match, reference
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_the_query_count_does_not_grow_with_the_cases(staffed, clock, client):
    w = staffed
    open_cases(w, 3)
    three_days_on(clock)
    client.force_login(w.inspector)
    few, response = queries(client, "/areas/north/board/")
    assert response.status_code == 200
    assert text(response).count("Not accepted") >= 3

    clock.move_to(BOARD_TIME.replace(hour=9))  # 6 June, 09:00: nine more cases
    open_cases(w, 9, high=1, prefix="More")
    three_days_on(clock)
    many, response = queries(client, "/areas/north/board/")
    assert "12 of 12 open cases" in text(response)
    assert few == many
    # The htmx partial and the force-wide board likewise, and the API.
    partial_few, _ = queries(client, "/areas/north/board/?overdue=1", HX_Request="true")
    api, body = queries(client, "/api/v1/board/?area=north")
    assert len(body.json()["rows"]) == 12
    assert partial_few <= many and api <= many + 5


def test_the_board_names_holders_reviews_prompts_and_the_meeting(staffed, clock, client):
    w = staffed
    high, medium = open_cases(w, 2)
    three_days_on(clock)
    board = build_board(w.inspector)
    assert board.total == 2

    row = row_of(board, medium)
    roles = {a.role: a for a in row.roles}
    assert row.roles == responsibility_at(medium, BOARD_TIME)  # the same answers, in bulk
    # 16:00, late slot: Baker supervises by roster rule; ownership passed after 48 hours.
    assert roles["supervisor"].person == w.sergeant_b and not roles["supervisor"].accepted
    assert roles["owner"].how == "transfer_by_policy"
    # Today's early supervisory review was not done: overdue, Archer's (early slot).
    assert [i.status for i in row.overdue] == [OVERDUE]
    assert row.overdue[0].reviewer == w.sergeant
    assert row.next_due.status == OVERDUE and row.next_reviewer == w.sergeant
    assert {p.prompt.rule for p in row.prompts} >= {"no_proof_of_life"}
    assert row.discussion == NO_MEETING
    assert row.missing_for.days == 3 and row.since_proof_of_life == row.missing_for

    # High risk: the duty inspector reviews every slot; the late slot's review names Ivy.
    top = board.rows[0]
    assert top.case == high and top.grade == "high"
    assert top.next_due.kind == "inspector" and top.next_reviewer == w.inspector

    client.force_login(w.sergeant)
    response = client.get("/areas/north/board/")
    assert response.status_code == 200
    html = response.content.decode()
    medium_text = cell(html, medium.reference)
    assert "Supervisor: PS" in medium_text and "Baker" in medium_text
    assert "Not accepted" in medium_text and "By roster rule" in medium_text
    assert "1 overdue" in medium_text and "reviewer PS" in medium_text
    assert "No verified proof of life" in medium_text and "unanswered" in medium_text
    assert "No meeting yet" in medium_text
    high_text = cell(html, high.reference)
    assert "Inspector review" in high_text and "reviewer Insp" in high_text
    assert "Ivy Inspector" in high_text
    assert 'href="/static/oversight/board.css"' in html  # the print stylesheet
    assert "style=" not in html.split("<body")[1]  # no inline styles (CSP)


def test_not_discussed_at_the_last_meeting_is_flagged_until_marked(staffed, clock, client):
    w = staffed
    first, second = open_cases(w, 2)
    three_days_on(clock)
    meeting = meeting_open(actor=w.inspector, area=w.area)
    board = build_board(w.inspector, area=w.area)
    assert {r.discussion for r in board.rows} == {NOT_DISCUSSED}
    meeting_mark_discussed(meeting=meeting, case=second, actor=w.inspector)
    board = build_board(w.inspector, area=w.area)
    assert row_of(board, second).discussion == DISCUSSED
    assert row_of(board, first).discussion == NOT_DISCUSSED
    only = build_board(w.inspector, area=w.area, filters=BoardFilters(not_discussed=True))
    assert [r.case for r in only.rows] == [first]
    client.force_login(w.inspector)
    page = client.get("/areas/north/board/?not_discussed=1")
    assert first.reference in text(page) and second.reference not in text(page)
    assert "Continue the meeting" in text(page)


def test_filters_by_grade_and_unaccepted_with_htmx_and_without(staffed, clock, client):
    w = staffed
    high, medium = open_cases(w, 2)
    three_days_on(clock)
    client.force_login(w.inspector)
    full = client.get("/areas/north/board/?grade=high")
    assert full.status_code == 200 and "<html" in full.content.decode()
    assert high.reference in text(full) and medium.reference not in text(full)
    partial = client.get("/areas/north/board/?grade=medium", headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<div id="board-results"')
    assert medium.reference in body and high.reference not in body
    assert partial["Vary"] and "HX-Request" in partial["Vary"]
    both = client.get("/areas/north/board/?not_accepted=1&overdue=1")
    assert medium.reference in text(both)
    bad = client.get("/areas/north/board/?grade=nonsense")
    assert bad.status_code == 200 and "2 of 2 open cases" in text(bad)


def test_only_open_cases_the_reader_may_see_of_their_own_force(staffed, clock, client):
    w = staffed
    kept, found = open_cases(w, 2)
    case_record_found(case=found, actor=w.constable, found_at=found.created_at)
    other = build_world(code="other", name="Other Constabulary")
    foreign = report(other)
    south = report(w, area=w.other_area, given="Southern")
    three_days_on(clock)
    board = build_board(w.sergeant)
    refs = {r.case.reference for r in board.rows}
    assert kept.reference in refs and south.reference in refs
    assert found.reference not in refs and foreign.pk not in {r.case.pk for r in board.rows}
    assert {r.case.pk for r in build_board(w.sergeant, area=w.area).rows} == {kept.pk}
    client.force_login(w.sergeant)
    assert client.get("/areas/south/board/").status_code == 200
    assert client.get("/board/").status_code == 200
    client.force_login(other.sergeant)  # the other force's own North: none of ours
    theirs = text(client.get("/areas/north/board/"))
    assert "Amy Example" in theirs and "Case0" not in theirs  # references repeat per force
    assert client.get("/areas/nowhere/board/").status_code == 404


def test_a_constable_may_not_see_the_board(staffed, clock, client):
    w = staffed
    open_cases(w, 1)
    client.force_login(w.constable)
    assert client.get("/board/").status_code == 403
    assert client.get("/areas/north/board/").status_code == 403
    assert client.get("/api/v1/board/").status_code == 403
    client.force_login(w.admin)  # administrators may
    assert client.get("/board/").status_code == 200
    client.logout()
    assert client.get("/board/").status_code == 302


def test_the_board_api(staffed, clock, client):
    w = staffed
    high, medium = open_cases(w, 2)
    three_days_on(clock)
    client.force_login(w.inspector)
    body = client.get("/api/v1/board/?area=north").json()
    assert body["area"] == "north" and body["total"] == 2
    rows = {r["case"]: r for r in body["rows"]}
    med = rows[medium.reference]
    supervisor = next(h for h in med["roles"] if h["role"] == "supervisor")
    assert supervisor["person"]["username"] == w.sergeant_b.username
    assert supervisor["accepted"] is False and supervisor["how"] == "roster_rule"
    assert med["overdue_reviews"][0]["reviewer"]["username"] == w.sergeant.username
    assert med["unanswered_prompts"] and med["discussion"] == "no_meeting"
    assert med["missing_for_seconds"] > 3 * 86400
    assert rows[high.reference]["next_review"]["reviewer"]["username"] == w.inspector.username
    filtered = client.get("/api/v1/board/?grade=high").json()
    assert [r["case"] for r in filtered["rows"]] == [high.reference]
    assert client.get("/api/v1/board/?area=nowhere").status_code == 404
