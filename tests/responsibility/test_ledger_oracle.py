"""Random sequences of ledger events, checked against an independent oracle.

The oracle below replays what the test did (holdings, gradings, absences, roster rows,
acceptances) forward in time in plain Python, from the policy as the issue states it. It
never calls the responsibility selectors. At every event boundary, and one microsecond
either side, the selector must give the same holder, decided the same way, accepted or not;
every required role must be held, by someone of the right rank; and nobody whose slot has
ended may still hold supervision (the policy's grace period is 0).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.builders import report
from tests.responsibility.conftest import DAY, publish_roster
from vigil.cases.services import case_grade
from vigil.core.errors import Conflict, ServiceError
from vigil.organisation.services import user_record_availability
from vigil.responsibility.selectors import responsibility_at
from vigil.responsibility.services import case_assign, case_handover, holding_accept
from vigil.rosters.selectors import current_designation
from vigil.rosters.services import roster_correct, roster_designate

LONDON = ZoneInfo("Europe/London")
START = datetime(DAY.year, DAY.month, DAY.day, 9, 0, tzinfo=UTC)
HORIZON = START + timedelta(days=3, hours=12)
US = timedelta(microseconds=1)

# The world's people: rank level and whether a detective.
LEVEL = {"constable": 1, "sergeant": 2, "inspector": 3, "superintendent": 5}
PEOPLE = {
    "constable": ("constable", False),
    "sergeant": ("sergeant", False),
    "sergeant_b": ("sergeant", False),
    "acting_sergeant": ("sergeant", False),  # acting rank counts
    "inspector": ("inspector", False),
    "detective_inspector": ("inspector", True),
    "superintendent": ("superintendent", False),
}
NAMES = list(PEOPLE)
GRADES = ["no_apparent_risk", "low", "medium", "high"]
ROLES = ["owner", "supervisor", "sio"]

# The default policy, restated.
BASIC = {"owner": ("constable", False), "supervisor": ("sergeant", False)}
REQUIRED = {
    None: BASIC,
    "no_apparent_risk": BASIC,
    "low": BASIC,
    "medium": BASIC,
    "high": {**BASIC, "supervisor": ("inspector", False), "sio": ("inspector", True)},
}
ANY_TIME = {**BASIC, "sio": ("inspector", True)}
TRANSFER = {"low": (48, "mp_sergeant"), "medium": (48, "mp_sergeant"), "high": (0, "on_call_di")}
UNAVAILABLE_LIMIT = timedelta(hours=24)
HANDOVER_WINDOW = timedelta(minutes=60)
UP_THE_CHAIN = {
    "mp_sergeant": ["mp_sergeant", "duty_inspector", "on_call_superintendent"],
    "duty_inspector": ["duty_inspector", "on_call_superintendent"],
    "on_call_di": ["on_call_di", "on_call_superintendent"],
}
SLOTS = [("early", time(7), time(15)), ("late", time(15), time(23)), ("night", time(23), time(7))]
# Roster gaps (day offset from DAY, slot, role): the rule must go up the chain.
GAPS = {(1, "night", "mp_sergeant"), (2, "late", "mp_sergeant"), (2, "late", "duty_inspector")}


def meets(name: str, requirement) -> bool:
    rank, detective = PEOPLE[name]
    minimum, needs_detective = requirement
    return LEVEL[rank] >= LEVEL[minimum] and (detective or not needs_detective)


def slot_at(t: datetime):
    """(date, code, start, end) of the slot running at t, from the London wall clock."""
    local_day = t.astimezone(LONDON).date()
    for day in (local_day - timedelta(days=1), local_day):
        for code, starts, ends in SLOTS:
            start = datetime.combine(day, starts, tzinfo=LONDON).astimezone(UTC)
            end_day = day + timedelta(days=1) if ends <= starts else day
            end = datetime.combine(end_day, ends, tzinfo=LONDON).astimezone(UTC)
            if start <= t < end:
                return day, code, start, end
    raise AssertionError(f"no slot at {t}")


@dataclass
class H:
    role: str
    person: str
    at: datetime
    how: str
    by: str | None  # who decided; None for a rule


@dataclass
class Answer:
    person: str | None
    how: str
    identity: tuple
    accepted: bool
    by_rule: bool


@dataclass
class Oracle:
    roster: dict  # (date, code, roster role) -> [(recorded_at, name)]
    holdings: list = field(default_factory=list)
    gradings: list = field(default_factory=list)  # (at, grade)
    absences: list = field(default_factory=list)  # (name, start, end, recorded_at)
    acceptances: list = field(default_factory=list)  # (identity, at)

    def grade(self, T, K):
        known = [g for at, g in self.gradings if at <= T and at <= K]
        return known[-1] if known else None

    def required(self, T, K):
        return REQUIRED[self.grade(T, K)]

    def designated(self, target, T, K):
        day, code, _s, _e = slot_at(T)
        for roster_role in UP_THE_CHAIN[target]:
            rows = [r for r in self.roster.get((day, code, roster_role), []) if r[0] <= K]
            if rows:
                return rows[-1][1], (day, code)
        raise AssertionError("the test roster always has an on-call superintendent")

    def home_slot_end(self, h: H):
        _d, _c, _s, end = slot_at(h.at)
        if h.how == "handover" and h.at >= end - HANDOVER_WINDOW:
            _d, _c, _s, end = slot_at(end)
        return end

    def absence_fire(self, name, since, K):
        spans = sorted((s, e) for n, s, e, rec in self.absences if n == name and rec <= K)
        merged = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        for s, e in merged:
            if e <= since:
                continue
            fire = max(s, since) + UNAVAILABLE_LIMIT
            if e > fire:
                return fire
        return None

    def transfers(self, T, K):
        known = [(at, g) for at, g in self.gradings if at <= T and at <= K]
        out, run, done = [], "none", False
        for i, (at, grade) in enumerate(known):
            hours, target = TRANSFER.get(grade, (None, None))
            if target != run:
                run, done = target, False
            if target is None or done:
                continue
            fire = max(START + timedelta(hours=hours), at)
            following = known[i + 1][0] if i + 1 < len(known) else None
            if fire <= T and (following is None or fire < following):
                out.append((fire, target))
                done = True
        return out

    def latest_written(self, role, T, K):
        found = None
        for i, h in enumerate(self.holdings):
            if h.role == role and h.at <= T and h.at <= K:
                found = i
        return found

    def accepted(self, identity, T, K):
        return any(i == identity and at <= T and at <= K for i, at in self.acceptances)

    def answer(self, role, T, K) -> Answer:
        required = self.required(T, K)
        if role not in required:
            i = self.latest_written(role, T, K)
            if i is None:
                return Answer(None, "", ("none",), False, True)
            h = self.holdings[i]
            ok = h.by == h.person or self.accepted(("h", i), T, K)
            return Answer(h.person, h.how, ("h", i), ok, False)
        requirement = required[role]
        # Replay forward: what each written holding, transfer and lapse did, in time order.
        entries = [
            (h.at, 0 if h.how == "initial" else 2, i, ("written", i))
            for i, h in enumerate(self.holdings)
            if h.role == role and h.at <= T and h.at <= K
        ]
        if role == "owner":
            entries += [(t, 1, -1, ("transfer", target)) for t, target in self.transfers(T, K)]
        entries.sort(key=lambda e: (e[0], e[1], e[2]))

        def lapse(state, upto):
            if state[0] != "written":
                return state
            h = self.holdings[state[1]]
            if role == "supervisor":
                fire = self.home_slot_end(h)
                how = "roster_rule"
            else:
                fire = self.absence_fire(h.person, h.at, K)
                how = "absence"
            if fire is not None and fire <= upto:
                return ("rule", how, None)
            return state

        state = ("rule", "roster_rule", None)  # from the opening, by roster rule
        for t, _priority, _order, what in entries:
            state = lapse(state, t)
            if what[0] == "written":
                state = ("written", what[1])
            else:
                state = ("rule", "transfer_by_policy", what[1])
        state = lapse(state, T)
        base = self.latest_written(role, T, K)

        if state[0] == "written":
            h = self.holdings[state[1]]
            if meets(h.person, requirement):
                ok = h.by == h.person or self.accepted(("h", state[1]), T, K)
                return Answer(h.person, h.how, ("h", state[1]), ok, False)
            state = ("rule", "roster_rule", None)
        _kind, how, target = state
        if target is None:
            if role == "owner":
                target = "mp_sergeant"
            elif role == "sio":
                target = "on_call_di"
            else:
                target = "duty_inspector" if requirement[0] == "inspector" else "mp_sergeant"
        person, slot = self.designated(target, T, K)
        identity = (how, base, slot, person)
        return Answer(person, how, identity, self.accepted(identity, T, K), True)

    def escalate(self, now):
        """What the grading just appended must write, by the oracle's reading of the rule."""
        new_grade = self.gradings[-1][1]
        graded, self.gradings = self.gradings, self.gradings[:-1]
        try:
            before = self.required(now, now)
            previous = {role: self.answer(role, now, now) for role in REQUIRED[new_grade]}
        finally:
            self.gradings = graded
        for role, requirement in REQUIRED[new_grade].items():
            prev = previous[role]
            newly = role not in before
            qualified = prev.person is not None and meets(prev.person, requirement)
            if qualified and not (newly and prev.by_rule):
                continue
            if role == "sio":
                target = "on_call_di"
            elif role == "supervisor" and requirement[0] == "inspector":
                target = "duty_inspector"
            else:
                target = "mp_sergeant"
            person, _slot = self.designated(target, now, now)
            self.holdings.append(H(role, person, now, "escalation", None))


@pytest.fixture
def long_roster(world):
    publish_roster(world, DAY - timedelta(days=1), 6, gaps={(d + 1, s, r) for d, s, r in GAPS})
    roster = {}
    from vigil.rosters.models import Designation

    for d in Designation.objects.filter(area=world.area).select_related("person"):
        name = next(n for n in NAMES if getattr(world, n).pk == d.person_id)
        roster.setdefault((d.slot_date, d.slot_code, d.role), []).append((d.recorded_at, name))
    return world, roster


step = st.one_of(
    st.tuples(st.just("to_slot_end"), st.sampled_from([0, 30, 60])),
    st.tuples(
        st.just("wait"),
        st.sampled_from([1, 13, 45, 59, 60, 61, 179, 300, 480, 600, 1439, 1441, 1500]),
    ),
    # To just before, or exactly at, the end of the slot running: where handovers and
    # lapses meet.
    st.tuples(st.just("to_slot_end"), st.sampled_from([0, 1, 30, 60, 61])),
    st.tuples(
        st.just("assign"),
        st.sampled_from(ROLES),
        st.sampled_from(NAMES),
        st.sampled_from(["inspector", "self"]),
    ),
    st.tuples(
        st.just("handover"),
        st.sampled_from(["supervisor", "supervisor", "owner", "sio"]),
        st.sampled_from(NAMES),
        st.sampled_from([None, None, *GRADES]),
    ),
    st.tuples(st.just("accept"), st.sampled_from(ROLES)),
    st.tuples(st.just("regrade"), st.sampled_from(GRADES)),
    st.tuples(
        st.just("absence"),
        st.sampled_from(["constable", "constable", "detective_inspector", *NAMES]),
        st.sampled_from(["sick", "leave"]),
        st.sampled_from([-6, 0]),
        st.sampled_from([2, 24, 25, 40]),
    ),
    st.tuples(
        st.just("correct"),
        st.sampled_from([0, 1]),
        st.sampled_from(["mp_sergeant", "duty_inspector"]),
        st.integers(0, 3),
    ),
)
CORRECTION_POOL = {
    "mp_sergeant": ["sergeant", "sergeant_b", "acting_sergeant", "inspector"],
    "duty_inspector": ["inspector", "detective_inspector"],
}


def _savepoint():
    """A savepoint the durable services may run inside, as in Django's own TestCase: each
    example is rolled back, so every example starts from the same rostered world."""
    block = transaction.atomic()
    block._from_testcase = True
    return block


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=2, max_size=14))
def test_selector_agrees_with_an_independent_oracle(long_roster, steps):
    world, roster = long_roster
    with _savepoint(), time_machine.travel(START, tick=False) as clock:
        try:
            _run(world, {k: list(v) for k, v in roster.items()}, steps, clock)
        finally:
            transaction.set_rollback(True)


def _run(world, roster, steps, clock):
    person = {name: getattr(world, name) for name in NAMES}
    name_of = {u.pk: n for n, u in person.items()}
    oracle = Oracle(roster=roster)
    case = report(world)  # medium, reported by the constable at START
    oracle.holdings.append(H("owner", "constable", START, "initial", "constable"))
    oracle.gradings.append((START, "medium"))
    oracle.escalate(START)
    now = START
    moments = [START]

    for action in steps:
        kind = action[0]
        if kind in ("wait", "to_slot_end"):
            if kind == "wait":
                target = now + timedelta(minutes=action[1])
            else:
                _d, _c, _s, end = slot_at(now)
                target = max(now, end - timedelta(minutes=action[1]))
            now = min(target, HORIZON)
            clock.move_to(now)
        elif kind == "assign":
            _, role, holder, actor = action
            actor = holder if actor == "self" else "inspector"
            current = oracle.answer(role, now, now)
            requirement = oracle.required(now, now).get(role) or ANY_TIME[role]
            refused = (current.person == holder and not current.by_rule) or not meets(
                holder, requirement
            )
            try:
                case_assign(
                    case=case, role=role, holder=person[holder], actor=person[actor], reason="r"
                )
            except ServiceError:
                assert refused, f"assign {role} to {holder} refused"
                event("assign refused")
            else:
                assert not refused, f"assign {role} to {holder} accepted"
                oracle.holdings.append(H(role, holder, now, "assignment", actor))
        elif kind == "handover":
            _, role, to, new_grade = action
            current = oracle.answer(role, now, now)
            if current.person is None:
                continue
            grade = oracle.grade(now, now)
            after = REQUIRED[new_grade or grade].get(role) or ANY_TIME[role]
            refused = to == current.person or new_grade == grade or not meets(to, after)
            try:
                case_handover(
                    case=case,
                    role=role,
                    to_holder=person[to],
                    summary="Summary.",
                    risk_confirmed=new_grade is None,
                    new_grade=new_grade,
                    rationale="Changed." if new_grade else "",
                    outstanding="Nothing.",
                    actor=person[current.person],
                )
            except ServiceError:
                assert refused, f"handover of {role} to {to} refused"
                event("handover refused")
            else:
                assert not refused, f"handover of {role} to {to} accepted"
                oracle.holdings.append(H(role, to, now, "handover", current.person))
                if new_grade:
                    oracle.gradings.append((now, new_grade))
                    oracle.escalate(now)
        elif kind == "accept":
            current = oracle.answer(action[1], now, now)
            if current.person is None:
                continue
            try:
                holding_accept(case=case, role=action[1], actor=person[current.person])
            except Conflict:
                assert current.accepted
            else:
                assert not current.accepted
                oracle.acceptances.append((current.identity, now))
        elif kind == "regrade":
            case_grade(case=case, grade=action[1], rationale="Reviewed.", actor=world.inspector)
            oracle.gradings.append((now, action[1]))
            oracle.escalate(now)
        elif kind == "absence":
            _, who, status, offset, hours = action
            starts = now + timedelta(hours=offset)
            ends = starts + timedelta(hours=hours)
            user_record_availability(
                user=person[who], status=status, starts_at=starts, ends_at=ends
            )
            oracle.absences.append((who, starts, ends, now))
        elif kind == "correct":
            _, later, roster_role, pick = action
            day, code, _s, end = slot_at(now)
            if later:
                day, code, _s, _e = slot_at(end)
            head = current_designation(world.area, day, code, roster_role)
            choices = [
                n
                for n in CORRECTION_POOL[roster_role]
                if head is None or person[n].pk != head.person_id
            ]
            chosen = choices[pick % len(choices)]
            if head is None:
                roster_designate(
                    area=world.area,
                    slot_date=day,
                    slot_code=code,
                    role=roster_role,
                    person=person[chosen],
                    actor=world.inspector,
                )
            else:
                roster_correct(
                    designation=head, person=person[chosen], reason="swap", actor=world.inspector
                )
            roster.setdefault((day, code, roster_role), []).append((now, chosen))
        moments.append(now)

    # Every boundary: events, slot changes, lapses and transfers the oracle knows of.
    boundaries = set(moments)
    t = START
    while t <= now:
        _d, _c, _s, end = slot_at(t)
        boundaries.add(end)
        t = end
    for h in oracle.holdings:
        if h.role == "supervisor":
            boundaries.add(oracle.home_slot_end(h))
        else:
            fire = oracle.absence_fire(h.person, h.at, now)
            if fire:
                boundaries.add(fire)
    boundaries.update(t for t, _ in oracle.transfers(now, now))
    points = sorted({p for b in boundaries for p in (b - US, b, b + US) if START <= p <= now})
    checks = [(p, None) for p in points]
    checks += [(k, k) for k in sorted(set(moments))]
    checks += [(k - US, k) for k in sorted(set(moments)) if k - US >= START]

    event(f"checks: {len(checks) // 50 * 50}+")
    hows = set()
    for T, K in checks:
        answers = {a.role: a for a in responsibility_at(case, at=T, known_at=K)}
        K = K or now
        required = oracle.required(T, K)
        assert set(answers) == set(required), (T, K)
        for role, requirement in required.items():
            got, want = answers[role], oracle.answer(role, T, K)
            assert got.person is not None, f"{role} unheld at {T}"
            got_name = name_of[got.person.pk]
            assert (got_name, got.how, got.accepted) == (want.person, want.how, want.accepted), (
                role,
                T,
                K,
                got.rule,
            )
            assert meets(got_name, requirement) and got.meets_requirement
            hows.add(f"{role}:{got.how}:{'accepted' if got.accepted else 'unaccepted'}")
            if role == "supervisor" and got.holding_id is not None:
                written = H(role, got_name, got.since, got.how, None)
                assert oracle.home_slot_end(written) > T, "supervision held past its slot"
    for how in sorted(hows):
        event(how)
