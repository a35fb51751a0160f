"""The responsibility API: who holds each role at T as known at K; assign, hand over, accept.

North is rostered (tests/responsibility/conftest.py): early Sam Archer, late Bea Baker, night
the acting sergeant; Ivy the duty inspector, Dee the on-call detective inspector. January, so
London wall-clock times read as UTC.
"""

from datetime import timedelta

import pytest
import time_machine

from tests.builders import report
from tests.responsibility.conftest import DAY, at, publish_roster
from vigil.audit.models import AuditEvent, ReadLog
from vigil.audit.selectors import verify_chain
from vigil.cases.services import case_grade
from vigil.responsibility.models import Handover, Holding, HoldingAcceptance
from vigil.rosters.selectors import current_designation
from vigil.rosters.services import roster_correct


@pytest.fixture
def clock():
    with time_machine.travel(at(6, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def rostered(world, clock):
    publish_roster(world, DAY - timedelta(days=1), 5)
    return world


@pytest.fixture
def case(rostered, clock):
    clock.move_to(at(9, 0))
    return report(rostered)  # by the constable, graded medium


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def url(case, tail: str) -> str:
    return f"/api/v1/cases/{case.reference}/{tail}"


def roles(client, case, **params) -> dict:
    response = client.get(url(case, "responsibility"), params)
    assert response.status_code == 200, response.content
    return {r["role"]: r for r in response.json()["roles"]}


def kinds(case) -> list[str]:
    return list(
        AuditEvent.objects.filter(case=case, kind__startswith="responsibility.")
        .order_by("seq")
        .values_list("kind", flat=True)
    )


# --- the scenarios --------------------------------------------------------------------


def test_regrading_to_high_at_1012_brings_in_the_inspectors_unaccepted(
    client_for, rostered, clock, case
):
    w = rostered
    clock.move_to(at(10, 12))
    case_grade(case=case, grade="high", rationale="Threats to self.", actor=w.sergeant)
    clock.move_to(at(10, 30))
    client = client_for(w.constable)

    after = roles(client, case, at=iso(at(10, 13)))
    assert set(after) == {"owner", "supervisor", "sio"}
    supervisor, sio = after["supervisor"], after["sio"]
    assert supervisor["person"]["id"] == w.inspector.pk
    assert supervisor["person"]["name"] == "Ivy Inspector"
    assert (supervisor["how"], supervisor["decided_by"]) == ("escalation", "rule")
    assert supervisor["since"] == "2027-01-12T10:12:00+00:00"
    assert supervisor["designation"]["role"] == "duty_inspector"
    assert supervisor["designation_role"] == "duty_inspector"
    assert (supervisor["accepted"], supervisor["accepted_at"]) == (False, None)
    assert supervisor["requirement"] == {"min_rank": "inspector", "detective": False}
    assert supervisor["ref"] == f"holding:{supervisor['holding']}"
    assert sio["person"]["id"] == w.detective_inspector.pk
    assert (sio["how"], sio["since"], sio["accepted"]) == (
        "escalation",
        "2027-01-12T10:12:00+00:00",
        False,
    )
    assert sio["designation"]["role"] == "on_call_di"
    assert after["owner"]["how"] == "transfer_by_policy"

    before = roles(client, case, at=iso(at(10, 11)))
    assert set(before) == {"owner", "supervisor"}
    assert before["supervisor"]["person"]["id"] == w.sergeant.pk
    assert (before["supervisor"]["how"], before["supervisor"]["how_label"]) == (
        "roster_rule",
        "By roster rule",
    )
    assert before["owner"]["person"]["id"] == w.constable.pk
    assert (before["owner"]["how"], before["owner"]["decided_by"]) == ("initial", "person")
    # As known at 10:11, 10:13 was still a medium-risk case with no SIO.
    known_then = roles(client, case, at=iso(at(10, 13)), known_at=iso(at(10, 11)))
    assert set(known_then) == {"owner", "supervisor"}
    # Offsets other than Z are the same instant.
    same = client.get(url(case, "responsibility"), {"at": "2027-01-12T11:13:00+01:00"}).json()
    assert {r["role"] for r in same["roles"]} == {"owner", "supervisor", "sio"}
    assert same["at"] == "2027-01-12T10:13:00+00:00"


def test_a_supervisors_slot_ends_with_no_handover_and_the_roster_is_corrected(
    client_for, rostered, clock, case
):
    w = rostered
    clock.move_to(at(10, 0))
    sam = client_for(w.sergeant)
    seen = roles(sam, case)["supervisor"]["ref"]
    assert seen == f"roster_rule:case:{DAY}:early"
    taken = sam.post(
        url(case, "assignments/"),
        {"role": "supervisor", "person": w.sergeant.username, "reason": "Mine", "seen": seen},
        format="json",
    )
    assert taken.status_code == 201, taken.content
    assert taken.json()["accepted_at"] == "2027-01-12T10:00:00+00:00"  # took it himself
    clock.move_to(at(16, 0))
    late = current_designation(w.area, DAY, "late", "mp_sergeant")
    roster_correct(
        designation=late, person=w.acting_sergeant, reason="Baker went sick", actor=w.inspector
    )
    clock.move_to(at(16, 5))
    client = client_for(w.inspector)

    as_then = roles(client, case, at=iso(at(15, 1)), known_at=iso(at(15, 30)))["supervisor"]
    assert as_then["person"]["id"] == w.sergeant_b.pk
    assert (as_then["how"], as_then["how_label"], as_then["decided_by"]) == (
        "roster_rule",
        "By roster rule",
        "rule",
    )
    assert "ended with no handover" in as_then["rule"]
    assert as_then["designation"] == {
        "id": late.pk,
        "role": "mp_sergeant",
        "slot_date": str(DAY),
        "slot_code": "late",
        "is_correction": False,
    }
    assert as_then["since"] == "2027-01-12T15:00:00+00:00"
    assert as_then["holding"] is None and as_then["ref"] == as_then["derived_key"]
    assert not as_then["accepted"]

    as_now = roles(client, case, at=iso(at(15, 1)))["supervisor"]
    assert as_now["person"]["id"] == w.acting_sergeant.pk
    assert as_now["how"] == "roster_rule"
    assert as_now["designation"]["is_correction"] is True
    # Before 15:00 it was still Sam Archer's, by his own assignment.
    before = roles(client, case, at=iso(at(14, 59)))["supervisor"]
    assert (before["person"]["id"], before["how"], before["decided_by"]) == (
        w.sergeant.pk,
        "assignment",
        "person",
    )
    assert before["assigned_by"]["id"] == w.sergeant.pk
    assert before["accepted"]


# --- writes ----------------------------------------------------------------------------------


def test_assign_hand_over_and_accept_through_the_api_with_audit_rows(
    client_for, rostered, clock, case
):
    w = rostered
    clock.move_to(at(10, 0))
    sam, bea = client_for(w.sergeant), client_for(w.sergeant_b)
    response = sam.post(
        url(case, "assignments/"),
        {"role": "supervisor", "person": w.sergeant.pk, "reason": "Taking it"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assigned = response.json()
    assert (assigned["role"], assigned["how"], assigned["holder"]["id"]) == (
        "supervisor",
        "assignment",
        w.sergeant.pk,
    )
    assert assigned["assigned_by"]["id"] == w.sergeant.pk
    assert assigned["reason"] == "Taking it"

    clock.move_to(at(11, 0))
    seen = roles(sam, case)["supervisor"]["ref"]
    response = sam.post(
        url(case, "handovers/"),
        {
            "role": "supervisor",
            "to_person": w.sergeant_b.username,
            "summary": "House searched; friends called.",
            "risk_confirmed": True,
            "outstanding": "Bus station CCTV.",
            "seen": seen,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    handed = response.json()
    assert handed["how"] == "handover" and handed["holder"]["id"] == w.sergeant_b.pk
    assert handed["supersedes"] == assigned["id"]
    assert handed["accepted_at"] is None
    assert handed["handover"]["summary"] == "House searched; friends called."
    assert handed["handover"]["risk_confirmed"] is True
    assert handed["handover"]["new_grade"] is None
    assert handed["handover"]["from_holder"]["id"] == w.sergeant.pk
    supervisor = roles(bea, case)["supervisor"]
    assert (supervisor["person"]["id"], supervisor["accepted"]) == (w.sergeant_b.pk, False)

    mine = bea.get("/api/v1/my-cases/").json()
    assert [c["case"]["reference"] for c in mine["cases"]] == [case.reference]
    assert [(a["reference"], a["holder"]["role"]) for a in mine["awaiting_acceptance"]] == [
        (case.reference, "supervisor")
    ]
    assert mine["cases"][0]["case"]["subject"]["given_name"] == "Amy"

    clock.move_to(at(11, 5))
    response = bea.post(url(case, "acceptances/"), {"role": "supervisor"}, format="json")
    assert response.status_code == 201, response.content
    accepted = response.json()
    assert accepted["holding"] == handed["id"]
    assert accepted["person"]["id"] == w.sergeant_b.pk
    assert accepted["accepted_at"] == "2027-01-12T11:05:00+00:00"
    supervisor = roles(bea, case)["supervisor"]
    assert (supervisor["accepted"], supervisor["accepted_at"]) == (
        True,
        "2027-01-12T11:05:00+00:00",
    )
    assert bea.get("/api/v1/my-cases/").json()["awaiting_acceptance"] == []
    again = bea.post(url(case, "acceptances/"), {"role": "supervisor"}, format="json")
    assert again.status_code == 409

    history = bea.get(url(case, "holdings/")).json()
    assert [(h["role"], h["how"]) for h in history] == [
        ("owner", "initial"),
        ("supervisor", "assignment"),
        ("supervisor", "handover"),
    ]
    assert history[2]["accepted_at"] == "2027-01-12T11:05:00+00:00"
    assert history[2]["handover"]["outstanding"] == "Bus station CCTV."
    only = bea.get(url(case, "holdings/"), {"role": "owner"}).json()
    assert [h["role"] for h in only] == ["owner"]
    assert bea.get(url(case, "holdings/"), {"role": "boss"}).status_code == 400

    assert kinds(case) == [
        "responsibility.assigned",
        "responsibility.handed_over",
        "responsibility.accepted",
    ]
    events = AuditEvent.objects.filter(case=case, kind__startswith="responsibility.")
    assert [e.actor for e in events.order_by("seq")] == [w.sergeant, w.sergeant, w.sergeant_b]
    assert verify_chain(w.force).ok


def test_a_handover_that_changes_the_risk_regrades(client_for, rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    dee = client_for(w.constable)
    response = dee.post(
        url(case, "handovers/"),
        {
            "role": "owner",
            "to_person": w.acting_sergeant.pk,
            "summary": "Note found.",
            "risk_confirmed": False,
            "new_grade": "high",
            "rationale": "Threats to self in a note.",
            "outstanding": "Cell site request.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["handover"]["new_grade"] == "high"
    assert response.json()["handover"]["grading"] == 2
    case.refresh_from_db()
    assert case.current_grade == "high"


def test_reads_are_logged_and_lists_are_not(client_for, rostered, clock, case):
    client = client_for(rostered.constable)
    client.get(url(case, "responsibility"))
    client.get(url(case, "holdings/"))
    client.get("/api/v1/my-cases/")
    logged = list(ReadLog.objects.filter(case=case, channel="api").values_list("what", flat=True))
    assert logged == [url(case, "responsibility"), url(case, "holdings/")]


def test_the_trailing_slash_answers_the_same(client_for, rostered, clock, case):
    client = client_for(rostered.constable)
    plain = client.get(url(case, "responsibility"), {"at": iso(at(9, 30))}).json()
    slash = client.get(url(case, "responsibility/"), {"at": iso(at(9, 30))}).json()
    assert plain == slash


# --- refusals --------------------------------------------------------------------------------


def test_another_forces_case_is_not_found(client_for, rostered, other_world, clock, case):
    report(other_world)
    foreign = report(other_world, given="Zed")  # MP-…-00002: references are per force
    assert not type(foreign).objects.filter(force=rostered.force, reference=foreign.reference)
    client = client_for(rostered.inspector)
    assert client.get(url(foreign, "responsibility")).status_code == 404
    assert client.get(url(foreign, "holdings/")).status_code == 404
    for tail, body in [
        ("assignments/", {"role": "owner", "person": rostered.sergeant.pk, "reason": "x"}),
        (
            "handovers/",
            {
                "role": "owner",
                "to_person": rostered.sergeant.pk,
                "summary": "s",
                "risk_confirmed": True,
                "outstanding": "o",
            },
        ),
        ("acceptances/", {"role": "owner"}),
    ]:
        response = client.post(url(foreign, tail), body, format="json")
        assert response.status_code == 404, tail
    # A person of another force is unknown here, named by the field.
    response = client.post(
        url(case, "assignments/"),
        {"role": "owner", "person": other_world.sergeant.username, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "person" in response.json()


def test_a_stale_seen_is_a_conflict_and_writes_nothing(client_for, rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    bea_seen = roles(client_for(w.sergeant_b), case)["supervisor"]["ref"]
    client_for(w.sergeant).post(
        url(case, "assignments/"),
        {"role": "supervisor", "person": w.sergeant.pk, "reason": "Mine", "seen": bea_seen},
        format="json",
    )
    response = client_for(w.sergeant_b).post(
        url(case, "assignments/"),
        {"role": "supervisor", "person": w.sergeant_b.pk, "reason": "No, mine", "seen": bea_seen},
        format="json",
    )
    assert response.status_code == 409
    assert "while you were looking" in response.json()["detail"]
    assert Holding.objects.filter(case=case, role="supervisor").count() == 1
    response = client_for(w.sergeant).post(
        url(case, "handovers/"),
        {
            "role": "supervisor",
            "to_person": w.sergeant_b.pk,
            "summary": "s",
            "risk_confirmed": True,
            "outstanding": "o",
            "seen": bea_seen,
        },
        format="json",
    )
    assert response.status_code == 409
    response = client_for(w.sergeant).post(
        url(case, "acceptances/"), {"role": "supervisor", "seen": bea_seen}, format="json"
    )
    assert response.status_code == 409
    assert not Handover.objects.exists() and not HoldingAcceptance.objects.exists()
    assert kinds(case) == ["responsibility.assigned"]


def test_naive_or_unreal_times_are_refused_naming_the_parameter(client_for, rostered, clock, case):
    client = client_for(rostered.constable)
    response = client.get(url(case, "responsibility"), {"at": "2027-01-12T10:13:00"})
    assert response.status_code == 400
    assert list(response.json()) == ["at"]
    response = client.get(
        url(case, "responsibility"), {"at": iso(at(10, 13)), "known_at": "yesterday"}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["known_at"]


def test_service_refusals_name_the_fields_the_client_sent(client_for, rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    inspector = client_for(w.inspector)
    response = inspector.post(
        url(case, "assignments/"),
        {"role": "supervisor", "person": w.constable.pk, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "person"
    assert "must be at least sergeant" in response.json()["errors"]["person"][0]
    response = inspector.post(
        url(case, "assignments/"),
        {"role": "supervisor", "person": w.sergeant_b.pk, "reason": " "},
        format="json",
    )
    assert (response.status_code, response.json()["field"]) == (400, "reason")
    response = inspector.post(
        url(case, "assignments/"), {"role": "boss", "person": w.sergeant_b.pk, "reason": "x"}
    )
    assert response.status_code == 400 and "role" in response.json()

    constable = client_for(w.constable)
    response = constable.post(
        url(case, "assignments/"),
        {"role": "supervisor", "person": w.sergeant_b.pk, "reason": "x"},
        format="json",
    )
    assert response.status_code == 403
    response = constable.post(
        url(case, "handovers/"),
        {
            "role": "owner",
            "to_person": w.constable.pk,
            "summary": "s",
            "risk_confirmed": True,
            "outstanding": "o",
        },
        format="json",
    )
    assert (response.status_code, response.json()["field"]) == (400, "to_person")
    response = constable.post(
        url(case, "handovers/"),
        {
            "role": "owner",
            "to_person": w.sergeant.pk,
            "summary": "s",
            "risk_confirmed": False,
            "outstanding": "o",
        },
        format="json",
    )
    assert (response.status_code, response.json()["field"]) == (400, "new_grade")
    response = client_for(w.sergeant_b).post(
        url(case, "acceptances/"), {"role": "supervisor"}, format="json"
    )
    assert response.status_code == 403  # the early sergeant holds it, not Bea
    assert Holding.objects.filter(case=case).count() == 1  # the initial owner only


def test_signed_out_is_refused(client, rostered, clock, case):
    assert client.get(url(case, "responsibility")).status_code in (401, 403)
    assert client.get("/api/v1/my-cases/").status_code in (401, 403)
