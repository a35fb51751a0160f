"""The rules that keep every required role held, as the issue states them."""

from datetime import timedelta

from tests.builders import report
from tests.responsibility.conftest import DAY, at, publish_roster
from vigil.cases.services import case_grade, case_record_found
from vigil.organisation.services import user_record_availability
from vigil.responsibility.models import Holding
from vigil.responsibility.selectors import holder_at, responsibility_at, role_timeline
from vigil.responsibility.services import case_assign
from vigil.rosters.selectors import current_designation
from vigil.rosters.services import roster_correct

US = timedelta(microseconds=1)


def by_role(answers):
    return {a.role: a for a in answers}


def test_regrading_to_high_at_1012_brings_in_the_duty_inspector_and_on_call_di(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    case = report(w)
    clock.move_to(at(10, 12))
    case_grade(case=case, grade="high", rationale="Threats to self.", actor=w.sergeant)

    after = by_role(responsibility_at(case, at=at(10, 13)))
    assert set(after) == {"owner", "supervisor", "sio"}
    supervisor, sio = after["supervisor"], after["sio"]
    assert supervisor.person == w.inspector
    assert supervisor.how == "escalation" and supervisor.decided_by == "rule"
    assert supervisor.since == at(10, 12)
    assert supervisor.designation.role == "duty_inspector"
    assert not supervisor.accepted
    assert sio.person == w.detective_inspector
    assert sio.how == "escalation" and sio.since == at(10, 12) and not sio.accepted
    # Seed 001: high risk is owned by the (on-call) detective inspector, by policy.
    assert after["owner"].person == w.detective_inspector
    assert after["owner"].how == "transfer_by_policy"

    before = by_role(responsibility_at(case, at=at(10, 11)))
    assert set(before) == {"owner", "supervisor"}
    assert before["supervisor"].person == w.sergeant  # early slot's designated sergeant
    assert before["supervisor"].how == "roster_rule"
    assert before["owner"].person == w.constable

    # Exactly at 10:12 the new holders hold; a microsecond before, not.
    assert holder_at(case, "supervisor", at(10, 12)).person == w.inspector
    assert holder_at(case, "supervisor", at(10, 12) - US).person == w.sergeant
    # As known at 10:11, 10:13 was still a medium-risk case supervised by the sergeant.
    known_then = by_role(responsibility_at(case, at=at(10, 13), known_at=at(10, 11)))
    assert set(known_then) == {"owner", "supervisor"}
    assert known_then["supervisor"].person == w.sergeant
    # Written in the grading's transaction, as explicit rows.
    rows = Holding.objects.filter(case=case, how="escalation").order_by("role")
    assert [(h.role, h.holder) for h in rows] == [
        ("sio", w.detective_inspector),
        ("supervisor", w.inspector),
    ]
    assert all(h.recorded_at == at(10, 12) for h in rows)


def test_supervisor_slot_ends_with_no_handover_then_roster_is_corrected(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    case = report(w)
    clock.move_to(at(10, 0))
    case_assign(case=case, role="supervisor", holder=w.sergeant, actor=w.sergeant, reason="mine")
    clock.move_to(at(15, 30))
    known_1530 = at(15, 30)
    clock.move_to(at(16, 0))
    late = current_designation(w.area, DAY, "late", "mp_sergeant")
    roster_correct(
        designation=late, person=w.acting_sergeant, reason="Baker went sick", actor=w.inspector
    )

    assert holder_at(case, "supervisor", at(14, 59)).person == w.sergeant
    assert holder_at(case, "supervisor", at(15, 0) - US).how == "assignment"
    as_then = holder_at(case, "supervisor", at(15, 1), known_at=known_1530)
    assert as_then.person == w.sergeant_b
    assert as_then.how == "roster_rule" and as_then.decided_by == "rule"
    assert as_then.designation == late
    assert "ended with no handover" in as_then.rule
    assert not as_then.accepted
    as_now = holder_at(case, "supervisor", at(15, 1))
    assert as_now.person == w.acting_sergeant
    assert as_now.how == "roster_rule"
    assert as_now.designation.supersedes == late
    # The rule repeats slot after slot: the night slot's designated sergeant next.
    assert holder_at(case, "supervisor", at(23, 30)).person == w.acting_sergeant
    assert holder_at(case, "supervisor", at(7, 30, day=1)).person == w.sergeant


def test_initial_supervision_is_by_roster_rule_from_the_opening(rostered, clock):
    w = rostered
    clock.move_to(at(14, 50))
    case = report(w)
    first = holder_at(case, "supervisor", at(14, 50))
    assert (first.person, first.how, first.since) == (w.sergeant, "roster_rule", at(14, 50))
    assert first.derived_key == f"roster_rule:case:{DAY}:early"
    late = holder_at(case, "supervisor", at(15, 0))
    assert (late.person, late.since) == (w.sergeant_b, at(15, 0))
    owner = holder_at(case, "owner", at(14, 50))
    assert (owner.person, owner.how, owner.decided_by) == (w.constable, "initial", "person")


def test_a_handover_in_the_last_hour_of_a_slot_is_for_the_next_slot(rostered, clock):
    from vigil.responsibility.services import case_handover

    w = rostered
    clock.move_to(at(9, 0))
    case = report(w)
    clock.move_to(at(14, 10))
    case_handover(
        case=case,
        role="supervisor",
        to_holder=w.sergeant_b,
        summary="Enquiries at the address done.",
        risk_confirmed=True,
        outstanding="Phone work.",
        actor=w.sergeant,
    )
    # Handed over at 14:10, within 60 minutes of 15:00: Baker holds it through the late slot.
    assert holder_at(case, "supervisor", at(22, 59)).person == w.sergeant_b
    assert holder_at(case, "supervisor", at(22, 59)).how == "handover"
    night = holder_at(case, "supervisor", at(23, 0))
    assert (night.person, night.how) == (w.acting_sergeant, "roster_rule")


def test_nobody_designated_falls_back_up_the_chain_and_says_so(world, clock):
    publish_roster(
        world,
        DAY,
        1,
        gaps={
            (0, "early", "mp_sergeant"),
            (0, "late", "mp_sergeant"),
            (0, "late", "duty_inspector"),
        },
    )
    clock.move_to(at(9, 0))
    case = report(world)
    early = holder_at(case, "supervisor", at(9, 0))
    assert (early.person, early.designation_role, early.fallback) == (
        world.inspector,
        "duty_inspector",
        True,
    )
    assert "nobody was designated missing person sergeant" in early.rule
    late = holder_at(case, "supervisor", at(16, 0))
    assert (late.person, late.designation_role) == (world.superintendent, "on_call_superintendent")
    assert late.meets_requirement


def test_an_empty_roster_still_names_someone(world, clock):
    clock.move_to(at(9, 0))
    case = report(world)
    clock.move_to(at(10, 0))
    case_assign(
        case=case, role="supervisor", holder=world.sergeant, actor=world.sergeant, reason="x"
    )
    later = holder_at(case, "supervisor", at(16, 0))
    assert later.person == world.sergeant and later.fallback
    assert "nobody is designated" in later.rule


def test_owner_unavailable_beyond_the_limit_passes_to_the_designated_sergeant(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    case = report(w)
    clock.move_to(at(12, 0))
    user_record_availability(
        user=w.constable,
        status="sick",
        starts_at=at(11, 0),
        ends_at=at(11, 0, day=3),
        reason="flu",
    )
    assert holder_at(case, "owner", at(11, 0, day=1) - US).person == w.constable
    passed = holder_at(case, "owner", at(11, 0, day=1))
    assert (passed.person, passed.how, passed.since) == (w.sergeant, "absence", at(11, 0, day=1))
    assert holder_at(case, "owner", at(16, 0, day=1)).person == w.sergeant_b
    # As known before the sickness was recorded, the constable kept it.
    assert holder_at(case, "owner", at(16, 0, day=1), known_at=at(11, 30)).person == w.constable


def test_a_short_absence_does_not_move_ownership(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    case = report(w, grade="no_apparent_risk")
    clock.move_to(at(12, 0))
    user_record_availability(
        user=w.constable, status="leave", starts_at=at(12, 0), ends_at=at(11, 0, day=1)
    )
    assert holder_at(case, "owner", at(20, 0, day=1)).person == w.constable


def test_unavailable_for_exactly_the_limit_is_not_beyond_it(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    case = report(w, grade="no_apparent_risk")
    user_record_availability(
        user=w.constable, status="sick", starts_at=at(10, 0), ends_at=at(10, 0, day=1)
    )
    assert holder_at(case, "owner", at(10, 0, day=1)).person == w.constable
    user_record_availability(
        user=w.constable, status="leave", starts_at=at(10, 0, day=1), ends_at=at(12, 0, day=1)
    )  # back-to-back absences count as one
    moved = holder_at(case, "owner", at(10, 0, day=1))
    assert (moved.person, moved.how) == (w.sergeant, "absence")


def test_ownership_transfers_by_policy_after_48_hours(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    case = report(w, grade="low")
    assert holder_at(case, "owner", at(9, 0, day=2) - US).person == w.constable
    moved = holder_at(case, "owner", at(9, 0, day=2))
    assert (moved.person, moved.how) == (w.sergeant, "transfer_by_policy")
    assert moved.derived_key == f"transfer_by_policy:h{moved_base(case)}:{DAY + timedelta(2)}:early"


def moved_base(case):
    return Holding.objects.get(case=case, role="owner").pk


def test_an_owner_assigned_after_the_transfer_keeps_it(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    case = report(w)
    clock.move_to(at(10, 0, day=2))
    case_assign(case=case, role="owner", holder=w.sergeant_b, actor=w.inspector, reason="DMM")
    clock.move_to(at(11, 0, day=2))
    case_grade(case=case, grade="low", rationale="Seen on CCTV, well.", actor=w.sergeant_b)
    # Low has the same next owner as medium: no second transfer.
    assert holder_at(case, "owner", at(12, 0, day=2)).person == w.sergeant_b


def test_a_closed_case_requires_nobody(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    case = report(w)
    clock.move_to(at(11, 0))
    case_record_found(case=case, actor=w.constable, found_at=at(10, 30))
    assert responsibility_at(case, at=at(12, 0)) == []
    assert len(responsibility_at(case, at=at(10, 59))) == 2


def test_an_ungraded_case_needs_an_owner_and_a_supervisor(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    case = report(w, grade=None)
    answers = by_role(responsibility_at(case, at=at(9, 30)))
    assert answers["owner"].person == w.constable
    assert answers["supervisor"].person == w.sergeant


def test_timeline_lists_each_holder_once(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    case = report(w)
    clock.move_to(at(10, 12))
    case_grade(case=case, grade="high", rationale="Threats.", actor=w.sergeant)
    clock.move_to(at(18, 0))
    segments = role_timeline(case, "supervisor")
    people = [(s.starts_at, s.answer.person, s.answer.how) for s in segments]
    assert people == [
        (at(9, 0), w.sergeant, "roster_rule"),
        (at(10, 12), w.inspector, "escalation"),
        (at(15, 0), w.inspector, "roster_rule"),  # the late slot's duty inspector, by rule
    ]
    assert segments[-1].ends_at is None
