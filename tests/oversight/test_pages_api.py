"""The prompt answer page, the case's prompt list, and the API: same rules as the service."""

import re

import pytest
from rest_framework.test import APIClient

from tests.builders import build_world
from tests.notices.support import london, report_missing
from tests.oversight.support import prompt_on, state_of
from vigil.audit.models import AuditEvent, ReadLog
from vigil.oversight.services import prompts_climb, prompts_raise
from vigil.responsibility.services import case_assign


def text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|svg)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", body).strip()


@pytest.fixture
def case(staffed, clock):
    w = staffed
    case = report_missing(w)
    clock.move_to(london(6, 10))
    case_assign(case=case, role="supervisor", holder=w.sergeant_b, actor=w.inspector, reason="x")
    clock.move_to(london(6, 10, 30))
    prompts_raise()
    return case


def test_answer_page_shows_the_prompt_and_records_the_decision(client, staffed, clock, case):
    w = staffed
    prompt = prompt_on(case)
    client.force_login(w.sergeant)
    url = f"/prompts/{prompt.pk}/answer/"
    page = client.get(url)
    assert page.status_code == 200
    words = text(page)
    assert "No verified proof of life for more than 3 days" in words
    assert "Re-grade to high risk" in words and "Declare a critical incident" in words
    assert "It goes up to the next rank at 06 Jun 2024 11:30" in words
    assert ReadLog.objects.filter(user=w.sergeant, case=case, what=url).exists()

    refused = client.post(url, {"decision": "", "rationale": ""})
    assert refused.status_code == 400
    words = text(refused)
    assert "There is a problem" in words
    assert "Choose a decision" in words and "Give your reasons for the decision" in words
    assert 'href="#decision"' in refused.content.decode()

    clock.move_to(london(6, 11))
    done = client.post(url, {"decision": "critical_incident", "rationale": "Bank card unused."})
    assert done.status_code == 302 and done["Location"] == f"/cases/{case.reference}/"
    state = state_of(case)
    assert state.answer.decision == "critical_incident" and state.answer.answered_by == w.sergeant
    words = text(client.get(url))
    assert "Declare a critical incident" in words and "Bank card unused." in words
    assert "Record decision" not in words


def test_answer_page_refuses_people_below_the_step(client, staffed, clock, case):
    w = staffed
    prompt = prompt_on(case)
    client.force_login(w.constable)
    page = client.get(f"/prompts/{prompt.pk}/answer/")
    assert page.status_code == 200 and "Record decision" not in text(page)
    refused = client.post(
        f"/prompts/{prompt.pk}/answer/", {"decision": "keep_grade", "rationale": "x"}
    )
    assert refused.status_code == 403
    assert "only they, or someone of at least the rank of sergeant" in text(refused)
    assert not AuditEvent.objects.filter(kind="oversight.prompt_answered").exists()


def test_prompts_of_another_force_read_as_not_there(client, staffed, clock, case):
    prompt = prompt_on(case)
    other = build_world(code="other", name="Other Constabulary")
    client.force_login(other.superintendent)
    assert client.get(f"/prompts/{prompt.pk}/answer/").status_code == 404
    assert client.get(f"/cases/{case.reference}/prompts/").status_code == 404
    api = APIClient()
    api.force_authenticate(user=other.superintendent)
    assert api.get(f"/api/v1/cases/{case.reference}/prompts/").status_code == 404
    answer = api.post(
        f"/api/v1/prompts/{prompt.pk}/answer/", {"decision": "keep_grade", "rationale": "x"}
    )
    assert answer.status_code == 404


def test_case_prompts_fragment(client, staffed, clock, case):
    w = staffed
    clock.move_to(london(6, 11, 30))
    prompts_climb()
    client.force_login(w.inspector)
    page = client.get(f"/cases/{case.reference}/prompts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" not in html  # a fragment, to include in the case page
    words = text(page)
    assert "Escalation prompts" in words and "2 unanswered." in words
    assert "No verified proof of life for more than 3 days" in words
    assert "(duty inspector)" in words and "Answer" in words


def test_api_lists_and_answers_prompts(staffed, clock, case):
    w = staffed
    api = APIClient()
    api.force_authenticate(user=w.inspector)
    listed = api.get(f"/api/v1/cases/{case.reference}/prompts/")
    assert listed.status_code == 200
    (item,) = [p for p in listed.json() if p["rule"] == "no_proof_of_life"]
    assert item["level"] == "supervisor" and item["addressed_to"] == w.sergeant.username
    assert item["climbs_at"] == "2024-06-06T10:30:00Z"
    assert item["answer"] is None and item["policy_version"] == 1
    assert item["decisions"][0]["code"] == "regrade_high"

    bad = api.post(f"/api/v1/prompts/{item['id']}/answer/", {"decision": "nope", "rationale": "x"})
    assert bad.status_code == 400 and bad.json()["field"] == "decision"
    clock.move_to(london(6, 11))
    done = api.post(
        f"/api/v1/prompts/{item['id']}/answer/",
        {"decision": "homicide_hypothesis", "rationale": "Partner's account inconsistent."},
        format="json",
    )
    assert done.status_code == 201
    body = done.json()
    assert body["answer"]["decision"] == "homicide_hypothesis"
    assert body["answer"]["answered_by"] == w.inspector.username
    assert body["answer"]["on_behalf"] is True  # it was with PS Archer
    assert body["climbs_at"] is None
    again = api.post(
        f"/api/v1/prompts/{item['id']}/answer/",
        {"decision": "keep_grade", "rationale": "x"},
        format="json",
    )
    assert again.status_code == 409
