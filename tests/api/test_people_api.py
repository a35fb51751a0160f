"""People through the API: one force's records only, addressed by public_id."""

import uuid

from vigil.audit.models import AuditEvent

PEOPLE = "/api/v1/people/"


def test_create_list_and_read_a_person(world, client_for):
    client = client_for(world.constable)
    created = client.post(
        PEOPLE,
        {
            "given_name": "Maya",
            "family_name": "Example",
            "date_of_birth": "2009-03-04",
            "vulnerabilities": "Type 1 diabetes.",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    person = created.json()
    assert person["vulnerabilities"] == "Type 1 diabetes."
    assert person["episodes"] == []
    assert person["created_at"].endswith("+00:00")
    listed = client.get(PEOPLE).json()
    assert [p["public_id"] for p in listed["results"]] == [person["public_id"]]
    read = client.get(f"{PEOPLE}{person['public_id']}/")
    assert read.status_code == 200
    assert read.json()["given_name"] == "Maya"
    assert AuditEvent.objects.filter(
        kind="person_record.created", payload__person=person["public_id"]
    ).exists()


def test_refusals(world, client_for):
    client = client_for(world.constable)
    assert client.post(PEOPLE, {"given_name": "Solo"}, format="json").status_code == 400
    future = client.post(
        PEOPLE,
        {"given_name": "Not", "family_name": "Born", "date_of_birth": "2999-01-01"},
        format="json",
    )
    assert future.status_code == 400
    assert future.json()["field"] == "date_of_birth"
    assert client.get(f"{PEOPLE}{uuid.uuid4()}/").status_code == 404
    assert client.get(f"{PEOPLE}not-a-uuid/").status_code == 404


def test_people_of_another_force_are_not_there(world, other_world, client_for):
    theirs = client_for(other_world.constable).post(
        PEOPLE, {"given_name": "Tom", "family_name": "Elsewhere"}, format="json"
    )
    public_id = theirs.json()["public_id"]
    client = client_for(world.constable)
    assert client.get(f"{PEOPLE}{public_id}/").status_code == 404
    assert client.get(PEOPLE).json()["results"] == []
    # Nor can a report point at them.
    from tests.api.test_cases_api import report_body

    response = client.post(
        "/api/v1/cases/", report_body(subject={"public_id": public_id}), format="json"
    )
    assert response.status_code == 400
    assert "public_id" in response.json()["subject"]
