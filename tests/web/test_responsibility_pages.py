"""Who is responsible, on the case page and "My cases"; assign, hand over and accept.

The page tests run at 10 June 2024, 12:00 in London (the early slot, 07:00–15:00): Sam Archer
is the early slot's designated missing person sergeant, Bea Baker the late slot's.
"""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import report
from tests.responsibility.conftest import publish_roster
from tests.web.conftest import NOW, text
from vigil.audit.models import AuditEvent, ReadLog
from vigil.cases.models import Grading
from vigil.responsibility.models import Handover, Holding, HoldingAcceptance
from vigil.responsibility.selectors import holder_at, my_cases
from vigil.responsibility.services import case_assign
from vigil.web.forms import STALE_MESSAGE

TODAY = date(2024, 6, 10)


@pytest.fixture
def rostered(world):
    publish_roster(world, TODAY - timedelta(days=1), 3)
    return world


@pytest.fixture
def case(rostered):
    return report(rostered)  # by the constable, graded medium


def case_url(case, suffix=""):
    return f"/cases/{case.reference}/{suffix}"


def hidden_seen(body: str) -> list[str]:
    return re.findall(r'name="seen" value="([^"]*)"', body)


def handover_data(**changes) -> dict:
    data = {
        "to_person": "",
        "summary": "House searched; friends called.",
        "risk": "confirmed",
        "new_grade": "",
        "rationale": "",
        "outstanding": "Check the bus station CCTV.",
    }
    data.update(changes)
    return data


# --- the case page --------------------------------------------------------------------------


def test_the_case_page_shows_each_role_holder_and_what_is_not_accepted(as_user, rostered, case):
    response = as_user(rostered.constable).get(case_url(case))
    assert response.status_code == 200
    page = text(response)
    assert "Who is responsible" in page
    # The owner reported it: initial, and accepted by that act.
    assert re.search(r"Owner PC \d+ Pat Constable Accepted Since 10 Jun 2024 12:00", page)
    assert "Initial, when reported, by PC" in page
    # Supervision is by roster rule, not yet accepted.
    assert re.search(r"Supervisor PS \d+ Sam Archer Not accepted Since 10 Jun 2024 12:00", page)
    assert "By roster rule: Nobody has been given the supervisor role: the designated" in page
    assert "Not accepted yet: supervisor (PS" in page
    # Links per role; the constable may not accept or hand over supervision.
    body = response.content.decode()
    assert f'href="{case_url(case, "roles/supervisor/assign/")}"' in body
    assert f'href="{case_url(case, "roles/owner/handover/")}"' in body
    assert case_url(case, "roles/supervisor/handover/") not in body
    assert case_url(case, "roles/supervisor/accept/") not in body
    # The history, and the reviews section.
    assert "Holding history: every assignment and handover" in page
    assert "Initial, when reported, by PC" in page and "Took it themselves" in page
    assert f'href="{case_url(case, "roles/")}"' in body
    assert "Reviews" in page and "Record a review" in page
    assert "Escalation prompts" in page


def test_the_holder_accepts_from_the_case_page(as_user, rostered, case):
    client = as_user(rostered.sergeant)
    body = client.get(case_url(case)).content.decode()
    assert f'action="{case_url(case, "roles/supervisor/accept/")}"' in body
    seen = holder_at(case, "supervisor").ref
    assert seen in hidden_seen(body)
    response = client.post(case_url(case, "roles/supervisor/accept/"), {"seen": seen})
    assert response.status_code == 302
    acceptance = HoldingAcceptance.objects.get(case=case, role="supervisor")
    assert acceptance.person == rostered.sergeant
    assert AuditEvent.objects.filter(case=case, kind="responsibility.accepted").count() == 1
    page = text(client.get(response["Location"]))
    assert "You accepted the supervisor role on" in page
    assert re.search(r"Supervisor PS \d+ Sam Archer Accepted", page)
    assert "Not accepted yet" not in page
    assert (
        case_url(case, "roles/supervisor/accept/")
        not in client.get(case_url(case)).content.decode()
    )


def test_accepting_with_a_stale_page_is_a_conflict_and_says_so(as_user, rostered, case):
    client = as_user(rostered.sergeant)
    stale = holder_at(case, "supervisor").ref
    case_assign(
        case=case, role="supervisor", holder=rostered.sergeant, actor=rostered.inspector, reason="x"
    )
    response = client.post(case_url(case, "roles/supervisor/accept/"), {"seen": stale})
    assert response.status_code == 409
    assert STALE_MESSAGE in text(response)
    assert 'href="#role-supervisor"' in response.content.decode()
    assert not HoldingAcceptance.objects.filter(case=case).exists()


def test_accepting_someone_elses_role_is_refused(as_user, rostered, case):
    response = as_user(rostered.sergeant_b).post(case_url(case, "roles/supervisor/accept/"), {})
    assert response.status_code == 403
    assert "Only the holder can accept the supervisor" in text(response)
    assert (
        as_user(rostered.sergeant_b).post(case_url(case, "roles/boss/accept/")).status_code == 404
    )


def test_who_held_each_role_includes_the_roster_rule_slot_by_slot(as_user, travel, rostered, case):
    travel.move_to(NOW + timedelta(hours=4))  # 16:00 in London: the late slot
    client = as_user(rostered.inspector)
    response = client.get(case_url(case, "roles/"))
    assert response.status_code == 200
    page = text(response)
    assert "Who held each role" in page
    assert re.search(
        r"Supervisor From Until Held by How it was decided "
        r"10 Jun 2024 12:00 10 Jun 2024 15:00 PS \d+ Sam Archer Not accepted By roster rule.*"
        r"10 Jun 2024 15:00 Now PS \d+ Bea Baker Not accepted By roster rule",
        page,
    )
    assert re.search(r"Owner .* 10 Jun 2024 12:00 Now PC \d+ Pat Constable Accepted", page)
    assert ReadLog.objects.filter(case=case, what=case_url(case, "roles/")).count() == 1


# --- assign ---------------------------------------------------------------------------------


def test_assign_page_shows_the_holder_now_and_the_force_people(as_user, rostered, case):
    response = as_user(rostered.inspector).get(case_url(case, "roles/supervisor/assign/"))
    assert response.status_code == 200
    page = text(response)
    assert "Assign the supervisor" in page
    assert "Supervisor now PS" in page and "Sam Archer" in page and "By roster rule" in page
    for person in ["Bea Baker", "Ivy Inspector", "Pat Constable"]:
        assert person in page
    assert hidden_seen(response.content.decode()) == [holder_at(case, "supervisor").ref]
    assert ReadLog.objects.filter(case=case, what__endswith="/assign/").count() == 1
    assert as_user(rostered.inspector).get(case_url(case, "roles/boss/assign/")).status_code == 404


def test_assign_errors_are_linked_to_their_fields(as_user, rostered, case):
    client = as_user(rostered.inspector)
    url = case_url(case, "roles/supervisor/assign/")
    response = client.post(url, {"person": "", "reason": "", "seen": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#person"' in body and 'href="#reason"' in body
    page = text(response)
    assert "Choose the person to give the role to" in page
    assert "Say why you are assigning the role" in page

    # A rule the service keeps: the supervisor must be at least a sergeant.
    response = client.post(url, {"person": rostered.constable.pk, "reason": "Knows the family"})
    assert response.status_code == 400
    assert "must be at least sergeant" in text(response)
    assert 'href="#person"' in response.content.decode()
    assert "Knows the family" in response.content.decode()  # nothing typed is lost

    # A constable may take a role themselves but not give it to someone else.
    response = as_user(rostered.constable).post(
        url, {"person": rostered.sergeant_b.pk, "reason": "x"}
    )
    assert response.status_code == 403
    assert "Only a sergeant or above can assign" in text(response)
    assert not Holding.objects.filter(case=case, role="supervisor").exists()


def test_assign_records_the_holding_with_an_audit_event(as_user, rostered, case):
    client = as_user(rostered.inspector)
    url = case_url(case, "roles/supervisor/assign/")
    seen = hidden_seen(client.get(url).content.decode())[0]
    response = client.post(
        url, {"person": rostered.sergeant_b.pk, "reason": "Agreed at the DMM", "seen": seen}
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    holding = Holding.objects.get(case=case, role="supervisor")
    assert (holding.holder, holding.assigned_by, holding.how, holding.reason) == (
        rostered.sergeant_b,
        rostered.inspector,
        "assignment",
        "Agreed at the DMM",
    )
    event = AuditEvent.objects.get(case=case, kind="responsibility.assigned")
    assert event.actor == rostered.inspector
    page = text(client.get(case_url(case)))
    assert "Bea Baker is now the supervisor of" in page
    assert re.search(r"Supervisor PS \d+ Bea Baker Not accepted", page)
    assert re.search(r"Assigned by Insp \d+ Ivy Inspector", page)
    assert "Reason: Agreed at the DMM" in page


def test_a_stale_assign_form_is_a_conflict_and_loses_nothing_typed(as_user, rostered, case):
    client = as_user(rostered.inspector)
    url = case_url(case, "roles/supervisor/assign/")
    stale = hidden_seen(client.get(url).content.decode())[0]
    # Meanwhile, Sam Archer takes supervision himself.
    case_assign(
        case=case, role="supervisor", holder=rostered.sergeant, actor=rostered.sergeant, reason="x"
    )
    typed = "Bea knows the family from a previous case"
    response = client.post(url, {"person": rostered.sergeant_b.pk, "reason": typed, "seen": stale})
    assert response.status_code == 409
    body = response.content.decode()
    page = text(response)
    assert STALE_MESSAGE in page
    assert 'href="#current-holder"' in body
    assert typed in body
    assert re.search(rf'<option value="{rostered.sergeant_b.pk}" selected', body)
    # The page now shows, and carries, the holder as it is: trying again works.
    assert "Assigned by PS" in page
    fresh = holder_at(case, "supervisor").ref
    assert hidden_seen(body) == [fresh] and fresh != stale
    assert Holding.objects.filter(case=case, role="supervisor").count() == 1
    again = client.post(url, {"person": rostered.sergeant_b.pk, "reason": typed, "seen": fresh})
    assert again.status_code == 302
    assert holder_at(case, "supervisor").person == rostered.sergeant_b


# --- hand over ------------------------------------------------------------------------------


@pytest.fixture
def supervised(rostered, case):
    """Sam Archer has taken supervision himself."""
    case_assign(
        case=case, role="supervisor", holder=rostered.sergeant, actor=rostered.sergeant, reason="x"
    )
    return case


def test_the_holder_sees_hand_over_and_the_template(as_user, rostered, supervised):
    client = as_user(rostered.sergeant)
    body = client.get(case_url(supervised)).content.decode()
    assert case_url(supervised, "roles/supervisor/handover/") in body
    response = client.get(case_url(supervised, "roles/supervisor/handover/"))
    assert response.status_code == 200
    page = text(response)
    for words in [
        "Hand over the supervisor",
        "Who are you handing over to",
        "Summary",
        "Confirmed: still Medium risk",
        "Changed: choose the new grade below",
        "New risk grade",
        "Why the risk has changed",
        "Outstanding points",
    ]:
        assert words in page
    assert hidden_seen(response.content.decode()) == [holder_at(supervised, "supervisor").ref]


def test_handover_errors_are_linked_to_their_fields(as_user, rostered, supervised):
    client = as_user(rostered.sergeant)
    url = case_url(supervised, "roles/supervisor/handover/")
    response = client.post(url, handover_data(summary="", risk="", outstanding=""))
    assert response.status_code == 400
    body = response.content.decode()
    for anchor in ["#to_person", "#summary", "#risk", "#outstanding"]:
        assert f'href="{anchor}"' in body
    page = text(response)
    assert "Choose who you are handing over to" in page
    assert "Say whether the risk is confirmed or has changed" in page

    # Changed, but no new grade: the service says so, against the grade.
    response = client.post(
        url, handover_data(to_person=rostered.sergeant_b.pk, risk="changed", rationale="Note")
    )
    assert response.status_code == 400
    assert "Confirm the risk or choose the new grade" in text(response)
    assert 'href="#new_grade"' in response.content.decode()
    assert "House searched; friends called." in response.content.decode()

    # Someone below the role's minimum rank.
    response = client.post(url, handover_data(to_person=rostered.constable.pk))
    assert response.status_code == 400
    assert "must be at least sergeant" in text(response)
    assert 'href="#to_person"' in response.content.decode()

    # Someone who does not hold the role may not hand it over.
    response = as_user(rostered.sergeant_b).post(
        url, handover_data(to_person=rostered.acting_sergeant.pk)
    )
    assert response.status_code == 403
    assert "Only the supervisor can hand it over" in text(response)
    assert not Handover.objects.exists()


def test_handover_then_the_incoming_sergeant_accepts(as_user, rostered, supervised):
    client = as_user(rostered.sergeant)
    url = case_url(supervised, "roles/supervisor/handover/")
    seen = hidden_seen(client.get(url).content.decode())[0]
    response = client.post(url, handover_data(to_person=rostered.sergeant_b.pk, seen=seen))
    assert response.status_code == 302
    handover = Handover.objects.get(case=supervised)
    assert (handover.from_holder, handover.to_holder, handover.risk_confirmed) == (
        rostered.sergeant,
        rostered.sergeant_b,
        True,
    )
    assert handover.outstanding == "Check the bus station CCTV."
    assert AuditEvent.objects.filter(case=supervised, kind="responsibility.handed_over").exists()
    page = text(client.get(case_url(supervised)))
    assert "You handed the supervisor of" in page
    assert re.search(r"Supervisor PS \d+ Bea Baker Not accepted", page)
    assert "Summary House searched; friends called." in page
    assert "Risk Risk confirmed" in page
    assert "Outstanding Check the bus station CCTV." in page

    incoming = as_user(rostered.sergeant_b)
    mine = text(incoming.get("/my-cases/"))
    assert "Waiting for you to accept" in mine and supervised.reference in mine
    body = incoming.get(case_url(supervised)).content.decode()
    seen = holder_at(supervised, "supervisor").ref
    assert seen in hidden_seen(body)
    assert (
        incoming.post(case_url(supervised, "roles/supervisor/accept/"), {"seen": seen}).status_code
        == 302
    )
    page = text(incoming.get(case_url(supervised)))
    assert re.search(r"Supervisor PS \d+ Bea Baker Accepted", page)
    assert "Nothing is waiting for you to accept." in text(incoming.get("/my-cases/"))


def test_handover_with_a_change_of_risk_regrades(as_user, rostered, supervised):
    client = as_user(rostered.sergeant)
    response = client.post(
        case_url(supervised, "roles/supervisor/handover/"),
        handover_data(
            to_person=rostered.inspector.pk,
            risk="changed",
            new_grade="high",
            rationale="A note threatening self-harm was found.",
        ),
    )
    assert response.status_code == 302
    grading = Grading.objects.get(case=supervised, sequence=2)
    assert grading.grade == "high"
    assert Handover.objects.get(case=supervised).grading == grading
    page = text(client.get(case_url(supervised)))
    assert "Risk re-graded: High risk." in page
    assert "Risk Risk changed to High risk" in page
    # The SIO is newly required and given by rule, not accepted.
    assert re.search(r"Senior investigating officer \S+ \d+ Dee Detective Not accepted", page)
    assert "Escalation on re-grading, by rule: Given to the designated on-call detective" in page


def test_a_stale_handover_form_is_a_conflict_and_keeps_the_handover(as_user, rostered, supervised):
    client = as_user(rostered.sergeant)
    url = case_url(supervised, "roles/supervisor/handover/")
    stale = hidden_seen(client.get(url).content.decode())[0]
    case_assign(
        case=supervised,
        role="supervisor",
        holder=rostered.acting_sergeant,
        actor=rostered.inspector,
        reason="Moved at the DMM",
    )
    response = client.post(
        url, handover_data(to_person=rostered.sergeant_b.pk, seen=stale, summary="Long summary")
    )
    assert response.status_code == 409
    assert STALE_MESSAGE in text(response)
    assert "Long summary" in response.content.decode()
    assert "Check the bus station CCTV." in response.content.decode()
    assert not Handover.objects.exists()


# --- My cases ----------------------------------------------------------------------------------


def test_my_cases_lists_what_i_hold_and_what_waits_for_me(as_user, rostered, case):
    other = report(rostered, area=rostered.other_area, given="Ben", family="Other")
    # The constable owns both (reported them).
    page = text(as_user(rostered.constable).get("/my-cases/"))
    assert "Cases you hold a role on" in page
    assert case.reference in page and other.reference in page
    assert "Amy Example" in page and "Ben Other" in page
    assert "Owner" in page and "Medium risk" in page
    assert "Nothing is waiting for you to accept." in page

    # Sam Archer supervises the North case by roster rule, waiting for his acceptance.
    response = as_user(rostered.sergeant).get("/my-cases/")
    page = text(response)
    assert "Waiting for you to accept" in page
    assert re.search(
        rf"{case.reference} ?: accept the supervisor role Amy Example Supervisor", page
    )
    assert "By roster rule" in page
    assert other.reference not in page  # South is not on his roster
    assert f'href="{case_url(case)}#responsibility"' in response.content.decode()
    # Nobody's "My cases" is written to the read log (a list, like the API's).
    assert not ReadLog.objects.filter(what="/my-cases/").exists()


def test_my_cases_is_the_first_link_of_the_signed_in_pages(as_user, rostered):
    client = as_user(rostered.constable)
    home = client.get("/", follow=True)
    body = home.content.decode()
    links = re.findall(r'<a [^>]*href="([^"]+)"', body.split('id="main-content"', 1)[1])
    assert links[0] == "/my-cases/"
    menu = body.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'href="([^"]+)"', menu)[:2] == ["/my-cases/", "/"]
    assert client.get("/my-cases/").status_code == 200
    assert client.get("/my-cases/", follow=True).redirect_chain == []


def test_my_cases_is_only_for_signed_in_people(client, world):
    response = client.get("/my-cases/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_my_cases_adds_no_queries_per_case(as_user, rostered):
    """The page's own work is flat: whatever `my_cases` costs, the page adds a constant."""
    client = as_user(rostered.constable)

    def cost():
        with CaptureQueriesContext(connection) as page:
            assert client.get("/my-cases/").status_code == 200
        with CaptureQueriesContext(connection) as selector:
            my_cases(rostered.constable)
        return len(page), len(selector)

    report(rostered, given="One")
    page_1, selector_1 = cost()
    for n in range(4):
        report(rostered, area=rostered.other_area, given=f"More{n}")
    page_5, selector_5 = cost()
    assert len(my_cases(rostered.constable).cases) == 5
    assert page_5 - selector_5 == page_1 - selector_1
