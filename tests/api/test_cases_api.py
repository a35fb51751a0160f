"""Cases through the API: reporting, grading, endorsing, and what another force cannot see."""

from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.builders import report
from vigil.audit.models import AuditEvent, ReadLog
from vigil.audit.selectors import verify_chain
from vigil.cases.models import Case
from vigil.cases.services import case_grant_access

CASES = "/api/v1/cases/"


def iso(value: datetime) -> str:
    return value.isoformat()


def report_body(**overrides):
    now = datetime.now(UTC)
    body = {
        "area": "north",
        "subject": {
            "given_name": "Amy",
            "family_name": "Example",
            "date_of_birth": "2010-05-01",
            "description": "Slight build, red coat.",
            "vulnerabilities": "Asthma; needs her inhaler.",
        },
        "reporter": {"given_name": "Rob", "family_name": "Example"},
        "reporter_relationship": "father",
        "reported_at": iso(now - timedelta(minutes=30)),
        "last_seen_at": iso(now - timedelta(hours=4)),
        "last_seen_place": "School gates",
        "circumstances": "Did not come home from school.",
        "missing_from_address": "1 High Street\nTownville",
    }
    body.update(overrides)
    return body


def test_report_grade_and_read_back(world, client_for):
    client = client_for(world.constable)
    created = client.post(CASES, report_body(), format="json")
    assert created.status_code == 201, created.content
    case = created.json()
    reference = case["reference"]
    assert reference.startswith("MP-")
    assert case["status"] == "reported"
    assert case["current_grade"] == ""
    assert case["missing"]["subject"]["family_name"] == "Example"
    assert case["missing"]["reporter"]["given_name"] == "Rob"
    assert case["missing"]["missing_from"]["address"] == "1 High Street\nTownville"
    assert case["missing"]["reported_at"].endswith("+00:00")

    obtained = iso(datetime.now(UTC) - timedelta(minutes=10))
    graded = client.post(
        f"{CASES}{reference}/gradings/",
        {
            "grade": "medium",
            "rationale": "A child, out of character, without her inhaler.",
            "facts": [
                {
                    "question_code": "out_of_character",
                    "answer": "Yes: never stayed out before.",
                    "source": "Father",
                    "obtained_at": obtained,
                },
                {
                    "question_code": "health_or_medication",
                    "answer": "Inhaler left at home.",
                    "source": "Father",
                    "obtained_at": obtained,
                },
            ],
        },
        format="json",
    )
    assert graded.status_code == 201, graded.content
    assert graded.json()["sequence"] == 1
    assert graded.json()["grade_label"] == "Medium risk"
    assert len(graded.json()["facts"]) == 2

    endorsed = client_for(world.sergeant).post(
        f"{CASES}{reference}/gradings/1/endorsements/",
        {"comment": "Agreed."},
        format="json",
    )
    assert endorsed.status_code == 201, endorsed.content
    assert endorsed.json()["endorsed_by"]["username"] == world.sergeant.username

    read = client.get(f"{CASES}{reference}/")
    assert read.status_code == 200
    body = read.json()
    assert body["status"] == "open"
    assert body["current_grade"] == "medium"
    assert body["current_grade_label"] == "Medium risk"
    assert body["area"] == {"code": "north", "name": "North"}
    assert body["restricted"] is False
    assert body["created_by"]["username"] == world.constable.username
    [grading] = body["gradings"]
    assert grading["facts"][0]["question_text"] == "Is the behaviour out of character?"
    assert grading["facts"][0]["source"] == "Father"
    assert grading["endorsements"][0]["comment"] == "Agreed."

    history = client.get(f"{CASES}{reference}/gradings/")
    assert history.status_code == 200
    assert [g["grade"] for g in history.json()] == ["medium"]

    db_case = Case.objects.get(reference=reference, force=world.force)
    kinds = list(AuditEvent.objects.filter(case=db_case).values_list("kind", flat=True))
    assert kinds == [
        "case.opened",
        "missing.reported",
        "case.graded",
        "case.grading_endorsed",
    ]
    assert AuditEvent.objects.filter(kind="person_record.created", force=world.force).count() >= 2
    assert verify_chain(world.force).ok
    # Detail reads are in the read log (lists are not).
    reads = ReadLog.objects.filter(case=db_case, channel="api")
    assert set(reads.values_list("what", flat=True)) == {
        f"{CASES}{reference}/",
        f"{CASES}{reference}/gradings/",
    }


def test_report_with_initial_grading_and_existing_people(world, client_for):
    client = client_for(world.constable)
    subject = client.post(
        "/api/v1/people/", {"given_name": "Zoe", "family_name": "Repeat"}, format="json"
    )
    assert subject.status_code == 201
    public_id = subject.json()["public_id"]
    body = report_body(
        subject={"public_id": public_id},
        reporter=None,
        grading={"grade": "low", "rationale": "Known to return by morning.", "facts": []},
    )
    created = client.post(CASES, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "open"
    assert created.json()["current_grade_label"] == "Low risk"
    assert created.json()["missing"]["subject"]["public_id"] == public_id
    assert created.json()["missing"]["reporter"] is None
    person = client.get(f"/api/v1/people/{public_id}/").json()
    assert [e["reference"] for e in person["episodes"]] == [created.json()["reference"]]


def test_service_refusals_come_back_with_the_field(world, client_for):
    client = client_for(world.constable)
    future = iso(datetime.now(UTC) + timedelta(hours=1))
    refused = client.post(CASES, report_body(reported_at=future), format="json")
    assert refused.status_code == 400
    assert refused.json()["field"] == "reported_at"
    unknown_area = client.post(CASES, report_body(area="atlantis"), format="json")
    assert unknown_area.status_code == 400
    assert "area" in unknown_area.json()
    neither = client.post(CASES, report_body(subject={"description": "?"}), format="json")
    assert neither.status_code == 400
    assert set(neither.json()["subject"]) == {"given_name", "family_name"}

    case = report(world, grade=None)
    bad_grade = client.post(
        f"{CASES}{case.reference}/gradings/",
        {"grade": "catastrophic", "rationale": "?"},
        format="json",
    )
    assert bad_grade.status_code == 400
    assert bad_grade.json()["errors"] == {"grade": [bad_grade.json()["detail"]]}


def test_endorsement_rules_answer_403_and_409(world, client_for):
    case = report(world)  # graded medium by the constable
    url = f"{CASES}{case.reference}/gradings/1/endorsements/"
    assert client_for(world.constable).post(url, {}, format="json").status_code == 403
    assert client_for(world.sergeant).post(url, {}, format="json").status_code == 201
    assert client_for(world.sergeant).post(url, {}, format="json").status_code == 409
    missing = f"{CASES}{case.reference}/gradings/9/endorsements/"
    assert client_for(world.sergeant).post(missing, {}, format="json").status_code == 404


def test_another_forces_case_is_not_there(world, other_world, client_for):
    ours = report(world)
    theirs = report(other_world, given="Tom", family="Elsewhere")
    # Each force numbers its own cases, so their second case has a reference we do not use.
    only_theirs = report(other_world, given="Una", family="Elsewhere").reference
    assert theirs.reference == ours.reference
    client = client_for(world.constable)
    sergeant = client_for(world.sergeant)

    listed = client.get(CASES)
    assert listed.status_code == 200
    assert [c["reference"] for c in listed.json()["results"]] == [ours.reference]

    nothing = client.get(f"{CASES}MP-1999-99999/")
    assert nothing.status_code == 404
    detail = client.get(f"{CASES}{only_theirs}/")
    assert detail.status_code == 404
    assert detail.json() == nothing.json()
    assert client.get(f"{CASES}{only_theirs}/gradings/").status_code == 404
    graded = client.post(
        f"{CASES}{only_theirs}/gradings/", {"grade": "high", "rationale": "x"}, format="json"
    )
    assert graded.status_code == 404
    endorse = sergeant.post(f"{CASES}{only_theirs}/gradings/1/endorsements/", {}, format="json")
    assert endorse.status_code == 404
    # The shared reference answers with our case, never theirs.
    mine = client.get(f"{CASES}{ours.reference}/").json()
    assert mine["missing"]["subject"]["given_name"] == "Amy"
    assert not ReadLog.objects.filter(case__force=other_world.force).exists()


def test_restricted_case_is_hidden_until_granted(world, client_for):
    case = report(world)
    Case.objects.filter(pk=case.pk).update(restricted=True)
    client = client_for(world.constable)
    assert client.get(f"{CASES}{case.reference}/").status_code == 404
    assert client.get(CASES).json()["results"] == []
    case_grant_access(
        case=case, user=world.constable, actor=world.inspector, reason="Investigating officer."
    )
    assert client.get(f"{CASES}{case.reference}/").json()["restricted"] is True


def test_list_filters_by_area_and_status(world, client_for):
    north_open = report(world)
    south_reported = report(world, area=world.other_area, grade=None, given="Sid")
    client = client_for(world.constable)

    def refs(**params):
        response = client.get(CASES, params)
        assert response.status_code == 200, response.content
        return [c["reference"] for c in response.json()["results"]]

    assert refs() == [south_reported.reference, north_open.reference]
    assert refs(area="north") == [north_open.reference]
    assert refs(area="south", status="reported") == [south_reported.reference]
    assert refs(status="found") == []
    assert client.get(CASES, {"area": "atlantis"}).status_code == 400
    assert client.get(CASES, {"status": "lost"}).status_code == 400
    first = client.get(CASES, {"limit": 1}).json()
    assert first["count"] == 2
    assert first["results"][0]["subject"]["given_name"] == "Sid"
    assert first["results"][0]["current_grade_label"] == ""


def test_token_auth_and_anonymous(world):
    case = report(world)
    token = Token.objects.create(user=world.constable)
    client = APIClient()
    assert client.get(CASES).status_code == 401
    assert client.get(f"{CASES}{case.reference}/").status_code == 401
    assert client.post(CASES, report_body(), format="json").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(f"{CASES}{case.reference}/")
    assert response.status_code == 200
    assert response.json()["reference"] == case.reference
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(CASES).status_code == 401


def test_session_auth_enforces_csrf(world):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username=world.constable.username, password="correct horse battery staple")
    assert client.get(CASES).status_code == 200
    assert client.post(CASES, report_body(), format="json").status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_user_without_a_force_is_refused(db, method):
    from vigil.organisation.models import User

    user = User.objects.create_user(username="floating", password="x")
    client = APIClient()
    client.force_authenticate(user=user)
    assert getattr(client, method)(CASES, {}, format="json").status_code == 403
