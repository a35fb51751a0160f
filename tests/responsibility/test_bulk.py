"""`responsibility_for_cases` gives exactly `responsibility_at`'s answers, in a number of
queries that does not grow with the number of cases."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import report
from tests.responsibility.conftest import DAY, at, publish_roster
from vigil.cases.models import Case
from vigil.cases.services import case_grade, case_record_found
from vigil.organisation.services import user_record_availability
from vigil.responsibility.selectors import responsibility_at, responsibility_for_cases
from vigil.responsibility.services import case_assign, case_handover, holding_accept
from vigil.rosters.selectors import current_designation
from vigil.rosters.services import roster_correct

INSTANTS = [
    at(9, 30),
    at(10, 13),
    at(14, 59),
    at(15, 0),
    at(16, 0),
    at(23, 30),
    at(3, 0, day=1),
    at(9, 0, day=1),
    at(12, 0, day=1),
    at(11, 0, day=2),
]


def varied_cases(w, clock):
    """Regraded, handed over, by roster rule, owner absent, accepted, found, ungraded, in an
    area with no roster, and one whose designation was corrected afterwards."""
    clock.move_to(at(9, 0))
    plain = report(w, given="Plain")
    regraded = report(w, given="Regraded")
    handed = report(w, given="Handed")
    absent = report(w, given="Absent", grade="no_apparent_risk")
    accepted = report(w, given="Accepted", grade="low")
    found = report(w, given="Found")
    ungraded = report(w, given="Ungraded", grade=None)
    south = report(w, given="South", area=w.other_area)
    clock.move_to(at(10, 0))
    case_assign(case=handed, role="supervisor", holder=w.sergeant, actor=w.sergeant, reason="x")
    case_assign(case=accepted, role="owner", holder=w.sergeant_b, actor=w.inspector, reason="y")
    clock.move_to(at(10, 12))
    case_grade(case=regraded, grade="high", rationale="Threats to self.", actor=w.sergeant)
    clock.move_to(at(10, 30))
    holding_accept(case=accepted, role="owner", actor=w.sergeant_b)
    holding_accept(case=plain, role="supervisor", actor=w.sergeant)
    case_record_found(case=found, actor=w.constable, found_at=at(10, 20))
    clock.move_to(at(12, 0))
    user_record_availability(
        user=w.constable, status="sick", starts_at=at(11, 0), ends_at=at(11, 0, day=3), reason="flu"
    )
    clock.move_to(at(14, 10))
    case_handover(
        case=handed,
        role="supervisor",
        to_holder=w.sergeant_b,
        summary="Enquiries at the address done.",
        risk_confirmed=True,
        outstanding="Phone work.",
        actor=w.sergeant,
    )
    clock.move_to(at(16, 0))
    late = current_designation(w.area, DAY, "late", "mp_sergeant")
    roster_correct(
        designation=late, person=w.acting_sergeant, reason="Baker went sick", actor=w.inspector
    )
    clock.move_to(at(12, 0, day=2))
    cases = [plain, regraded, handed, absent, accepted, found, ungraded, south]
    return list(Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk"))


def test_the_same_answers_as_one_case_at_a_time(rostered, clock):
    cases = varied_cases(rostered, clock)
    hows = set()
    for instant in INSTANTS:
        for known_at in (None, at(11, 0), at(15, 30)):
            bulk = responsibility_for_cases(cases, at=instant, known_at=known_at)
            for case in cases:
                one = responsibility_at(case, at=instant, known_at=known_at)
                assert bulk[case.pk] == one, (case.reference, instant, known_at)
                hows.update((a.how, a.accepted, a.fallback) for a in one)
    # The cases really are varied: every way of deciding is among the answers compared.
    assert {h for h, _, _ in hows} >= {
        "initial",
        "assignment",
        "handover",
        "escalation",
        "roster_rule",
        "absence",
        "transfer_by_policy",
    }
    assert any(accepted for _, accepted, _ in hows)
    assert any(fallback for _, _, fallback in hows)


def test_gaps_in_the_roster_fall_back_the_same_way(world, clock):
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
    cases = [report(world, given=f"Gap{i}") for i in range(3)]
    clock.move_to(at(10, 0))
    case_assign(
        case=cases[0], role="supervisor", holder=world.sergeant, actor=world.sergeant, reason="x"
    )
    clock.move_to(at(12, 0, day=2))
    for instant in (at(9, 30), at(16, 0), at(23, 30), at(10, 0, day=1), at(11, 0, day=2)):
        bulk = responsibility_for_cases(cases, at=instant)
        for case in cases:
            assert bulk[case.pk] == responsibility_at(case, at=instant), (case, instant)


def _count(cases, instant):
    with CaptureQueriesContext(connection) as captured:
        responsibility_for_cases(cases, at=instant)
    return len(captured)


def test_the_query_count_does_not_grow_with_the_cases(rostered, clock):
    w = rostered
    clock.move_to(at(9, 0))
    cases = []
    for i in range(12):
        case = report(w, given=f"Many{i}", grade=["medium", "high", "low"][i % 3])
        if i % 4 == 1:
            case_assign(
                case=case, role="supervisor", holder=w.superintendent, actor=w.inspector, reason="z"
            )
        cases.append(case)
    clock.move_to(at(16, 0))
    cases = list(Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk"))
    few, many = _count(cases[:3], at(16, 0)), _count(cases, at(16, 0))
    assert few == many
    assert many <= 12
    assert responsibility_for_cases([], at=at(16, 0)) == {}
    # And a later instant (other slot dates) the same.
    assert _count(cases[:3], at(16, 0) + timedelta(days=1)) == _count(
        cases, at(16, 0) + timedelta(days=1)
    )
