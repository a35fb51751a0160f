"""Assign, hand over, accept: the writes, their refusals and their audit events."""

import threading

import pytest
from django.db import IntegrityError, close_old_connections, connection

from tests.builders import report
from tests.responsibility.conftest import DAY, at
from vigil.audit.models import AuditEvent
from vigil.audit.selectors import verify_chain
from vigil.cases.models import Grading
from vigil.core.errors import Conflict, NotAllowed, ServiceError
from vigil.organisation.services import user_record_availability
from vigil.responsibility import services
from vigil.responsibility.models import Handover, Holding, HoldingAcceptance
from vigil.responsibility.selectors import holder_at, my_cases, unaccepted
from vigil.responsibility.services import case_assign, case_handover, holding_accept
from vigil.rosters.selectors import current_designation
from vigil.rosters.services import roster_correct


def events(case, kind):
    return list(AuditEvent.objects.filter(case=case, kind=kind).order_by("seq"))


@pytest.fixture
def case(rostered, clock):
    clock.move_to(at(9, 0))
    return report(rostered)


def test_assign_writes_a_holding_and_an_audit_event(rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    holding = case_assign(
        case=case, role="supervisor", holder=w.sergeant_b, actor=w.inspector, reason="DMM"
    )
    assert (holding.how, holding.assigned_by, holding.starts_at) == (
        "assignment",
        w.inspector,
        at(10, 0),
    )
    assert holding.supersedes is None  # supervision was by roster rule until now
    (event,) = events(case, "responsibility.assigned")
    assert event.actor == w.inspector and event.reason == "DMM"
    assert event.payload["holder"] == w.sergeant_b.pk
    assert event.payload["from_holder"] == w.sergeant.pk  # the early slot's sergeant, by rule
    assert verify_chain(w.force).ok
    answer = holder_at(case, "supervisor")
    assert (answer.person, answer.decided_by, answer.accepted) == (w.sergeant_b, "person", False)


def test_handover_and_acceptance(rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    case_assign(case=case, role="supervisor", holder=w.sergeant, actor=w.sergeant, reason="mine")
    clock.move_to(at(11, 0))
    handover = case_handover(
        case=case,
        role="supervisor",
        to_holder=w.acting_sergeant,
        summary="House searched: loft and garden not yet.",
        risk_confirmed=True,
        outstanding="Search loft and garden; phone enquiries.",
        actor=w.sergeant,
    )
    assert handover.holding.how == "handover"
    assert handover.holding.supersedes.holder == w.sergeant
    assert (handover.from_holder, handover.to_holder) == (w.sergeant, w.acting_sergeant)
    (event,) = events(case, "responsibility.handed_over")
    assert event.payload["handover"] == handover.pk
    assert event.payload["outstanding"].startswith("Search loft")
    assert [a.role for a in unaccepted(case)] == ["supervisor"]

    clock.move_to(at(11, 5))
    acceptance = holding_accept(case=case, role="supervisor", actor=w.acting_sergeant)
    assert acceptance.holding == handover.holding
    (accepted,) = events(case, "responsibility.accepted")
    assert accepted.actor == w.acting_sergeant
    answer = holder_at(case, "supervisor")
    assert answer.accepted and answer.accepted_at == at(11, 5)
    assert not holder_at(case, "supervisor", at(11, 4)).accepted
    assert unaccepted(case) == []
    with pytest.raises(Conflict, match="already accepted"):
        holding_accept(case=case, role="supervisor", actor=w.acting_sergeant)
    assert verify_chain(w.force).ok


def test_accepting_a_holding_decided_by_roster_rule(rostered, clock, case):
    w = rostered
    clock.move_to(at(15, 10))
    acceptance = holding_accept(case=case, role="supervisor", actor=w.sergeant_b)
    assert acceptance.holding is None
    assert acceptance.derived_key == f"roster_rule:case:{DAY}:late"
    assert holder_at(case, "supervisor").accepted
    # A corrected roster names someone else, who has not accepted.
    clock.move_to(at(15, 20))
    late = current_designation(w.area, DAY, "late", "mp_sergeant")
    roster_correct(designation=late, person=w.acting_sergeant, reason="swap", actor=w.inspector)
    now = holder_at(case, "supervisor")
    assert (now.person, now.accepted) == (w.acting_sergeant, False)
    assert holder_at(case, "supervisor", at(15, 15), known_at=at(15, 15)).accepted


def test_handover_with_a_change_of_risk_regrades_in_the_same_transaction(rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    case_assign(case=case, role="supervisor", holder=w.sergeant, actor=w.sergeant, reason="mine")
    clock.move_to(at(12, 0))
    handover = case_handover(
        case=case,
        role="supervisor",
        to_holder=w.inspector,
        summary="Threats to self found in a note.",
        risk_confirmed=False,
        new_grade="high",
        rationale="Note found in bedroom.",
        outstanding="Cell site request.",
        actor=w.sergeant,
    )
    case.refresh_from_db()
    assert case.current_grade == "high"
    assert handover.grading == Grading.objects.get(case=case, sequence=2)
    # The incoming inspector already meets the new minimum: no escalation for supervision,
    # but the SIO is newly required.
    escalated = Holding.objects.filter(case=case, how="escalation")
    assert [(h.role, h.holder) for h in escalated] == [("sio", w.detective_inspector)]
    assert holder_at(case, "supervisor").person == w.inspector


def test_under_ranked_holders_are_refused_with_the_reason(rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    with pytest.raises(ServiceError, match=r"at least sergeant .*Pat Constable is constable"):
        case_assign(case=case, role="supervisor", holder=w.constable, actor=w.inspector, reason="x")
    # Acting rank counts while it lasts.
    case_assign(
        case=case, role="supervisor", holder=w.acting_sergeant, actor=w.inspector, reason="x"
    )
    with pytest.raises(ServiceError, match="detective"):
        case_assign(case=case, role="sio", holder=w.inspector, actor=w.inspector, reason="x")
    clock.move_to(at(10, 30))
    with pytest.raises(ServiceError, match="at least inspector"):
        case_handover(
            case=case,
            role="supervisor",
            to_holder=w.sergeant,
            summary="s",
            risk_confirmed=False,
            new_grade="high",
            rationale="r",
            outstanding="o",
            actor=w.acting_sergeant,
        )
    assert not Handover.objects.exists()


def test_handover_by_someone_not_holding_the_role_is_refused(rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    with pytest.raises(NotAllowed, match="Only the supervisor can hand it over"):
        case_handover(
            case=case,
            role="supervisor",
            to_holder=w.acting_sergeant,
            summary="s",
            risk_confirmed=True,
            outstanding="o",
            actor=w.sergeant_b,  # the late sergeant; the early one holds it by rule
        )
    with pytest.raises(NotAllowed, match="Only the holder can accept"):
        holding_accept(case=case, role="owner", actor=w.sergeant)
    with pytest.raises(NotAllowed):
        case_assign(case=case, role="owner", holder=w.sergeant, actor=w.constable, reason="x")


def test_handover_must_follow_the_template(rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    base = dict(case=case, role="owner", to_holder=w.acting_sergeant, actor=w.constable)
    with pytest.raises(ServiceError, match="summary"):
        case_handover(**base, summary=" ", risk_confirmed=True, outstanding="o")
    with pytest.raises(ServiceError, match="outstanding"):
        case_handover(**base, summary="s", risk_confirmed=True, outstanding="")
    with pytest.raises(ServiceError, match="Confirm the risk or choose"):
        case_handover(**base, summary="s", risk_confirmed=False, outstanding="o")
    with pytest.raises(ServiceError, match="current grade"):
        case_handover(
            **base, summary="s", risk_confirmed=False, new_grade="medium", rationale="r",
            outstanding="o",
        )  # fmt: skip


def test_nobody_holding_a_role_can_be_marked_as_left(rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    with pytest.raises(ServiceError, match=rf"{case.reference} \(owner\)"):
        user_record_availability(user=w.constable, status="left", starts_at=at(10, 0))
    # The designated sergeant holds supervision by roster rule: also refused.
    with pytest.raises(ServiceError, match="supervisor"):
        user_record_availability(user=w.sergeant, status="left", starts_at=at(10, 0))
    case_handover(
        case=case,
        role="owner",
        to_holder=w.acting_sergeant,
        summary="Leaving the force.",
        risk_confirmed=True,
        outstanding="None.",
        actor=w.constable,
    )
    user_record_availability(user=w.constable, status="left", starts_at=at(10, 0))
    with pytest.raises(ServiceError, match="has left"):
        case_assign(case=case, role="owner", holder=w.constable, actor=w.inspector, reason="x")


def test_two_takes_of_what_one_saw_one_wins_the_other_conflicts(rostered, clock, case):
    w = rostered
    clock.move_to(at(10, 0))
    seen = holder_at(case, "supervisor").ref  # both sergeants are looking at this
    case_assign(
        case=case, role="supervisor", holder=w.sergeant, actor=w.sergeant, reason="x", seen=seen
    )
    with pytest.raises(Conflict, match="Sam Archer now holds it"):
        case_assign(
            case=case,
            role="supervisor",
            holder=w.sergeant_b,
            actor=w.sergeant_b,
            reason="x",
            seen=seen,
        )
    assert Holding.objects.filter(case=case, role="supervisor").count() == 1


def test_a_stale_head_cannot_fork_the_chain(rostered, clock, case, monkeypatch):
    """Simulates two writers that both read the same head: the second insert collides."""
    w = rostered
    clock.move_to(at(10, 0))
    first = Holding.objects.get(case=case, role="owner")
    case_assign(case=case, role="owner", holder=w.sergeant, actor=w.inspector, reason="x")
    monkeypatch.setattr(services, "_lock_head", lambda case, role: first)
    with pytest.raises(Conflict, match="at the same moment"):
        case_assign(case=case, role="owner", holder=w.sergeant_b, actor=w.inspector, reason="y")
    assert Holding.objects.filter(case=case, role="owner").count() == 2
    monkeypatch.setattr(services, "_lock_head", lambda case, role: None)
    with pytest.raises(Conflict):
        case_assign(case=case, role="owner", holder=w.sergeant_b, actor=w.inspector, reason="y")


def test_the_ledger_is_insert_only(rostered, clock, case):
    holding = Holding.objects.get(case=case, role="owner")
    holding.reason = "rewritten"
    with pytest.raises(IntegrityError):
        holding.save()


def test_my_cases_lists_what_i_hold_and_what_waits_for_me(rostered, clock, case):
    w = rostered
    clock.move_to(at(9, 5))
    other = report(w, area=w.other_area, given="Ben")
    clock.move_to(at(16, 0))
    mine = my_cases(w.sergeant_b)
    assert [mc.case for mc in mine.cases] == [case]
    assert [(c, a.role, a.how) for c, a in mine.awaiting_acceptance] == [
        (case, "supervisor", "roster_rule")
    ]
    constable = my_cases(w.constable)
    assert {mc.case for mc in constable.cases} == {case, other}
    assert my_cases(w.sergeant).cases == []  # the early slot has ended
    holding_accept(case=case, role="supervisor", actor=w.sergeant_b)
    assert my_cases(w.sergeant_b).awaiting_acceptance == []


def test_my_cases_does_not_look_at_every_case(rostered, clock, case, django_assert_max_num_queries):
    w = rostered
    clock.move_to(at(9, 10))
    for n in range(3):
        report(w, area=w.other_area, given=f"P{n}", actor=w.admin, grade=None)
    clock.move_to(at(10, 0))
    with django_assert_max_num_queries(25):
        assert [mc.case for mc in my_cases(w.sergeant).cases] == [case]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sergeants_taking_the_same_case_at_once_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    import time_machine

    from tests.builders import build_world
    from tests.responsibility.conftest import publish_roster

    barrier = threading.Barrier(2)
    outcomes = []

    def take(person, case, seen):
        try:
            barrier.wait()
            case_assign(
                case=case, role="supervisor", holder=person, actor=person, reason="t", seen=seen
            )
            outcomes.append("won")
        except Conflict as exc:
            outcomes.append(f"conflict: {exc.message}")
        finally:
            close_old_connections()
            connection.close()

    with time_machine.travel(at(9, 0), tick=False) as clock:
        w = build_world(code="race")
        publish_roster(w, DAY, 1)
        case = report(w)
        clock.move_to(at(10, 0))
        seen = holder_at(case, "supervisor").ref
        threads = [
            threading.Thread(target=take, args=(p, case, seen)) for p in (w.sergeant, w.sergeant_b)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "won"]
    assert any("while you were looking" in o for o in outcomes)
    assert Holding.objects.filter(case=case, role="supervisor").count() == 1
    assert HoldingAcceptance.objects.count() == 0
