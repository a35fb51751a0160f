"""Which review windows a case has, derived from policy, grading history, slots and handovers.

`load_facts` reads what a batch of cases needs in a fixed number of queries; `derive` is then
pure. The rules:

* A kind applies to a case while the case is open and graded with one of the kind's grades
  under the policy in force (a new policy version applies from its effective date), and, if
  the kind says so, only from `start_after_days` after the case opened. A re-grade changes
  which kinds apply from that moment. Kinds add up: every kind that applies is due.
* Slot cadence: one window per listed accountability slot (the slot itself, or its first
  `window_hours`). Interval cadence: windows every `every_hours` from the moment the kind
  starts to apply. Handover cadence: a window from each written handover of a listed role.
* A kind that starts to apply part-way through a window (case opened or re-graded) is due in
  that window only if at least `min_window_fraction` of the window remains; it then opens at
  that moment (`opens_at`), not at the window's start.
* late_after = window end + grace; closes_at = window end + late_limit_hours, or, when the
  limit is null, the start of the next window of the kind by its cadence (never before
  late_after).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from django.db.models import Q

from vigil.cases.models import Case, CaseStatus, CaseStatusChange, Grading
from vigil.core.time import london
from vigil.policy.document import Policy
from vigil.policy.models import PolicyVersion
from vigil.responsibility.models import Handover
from vigil.rosters.models import Designation, DesignationRole, SlotDefinition
from vigil.rosters.slots import Slot, slot_containing, slots_between

TINY = timedelta(microseconds=1)
# When nobody is designated for the roster role a reviewer rule names, go up this chain; if
# nobody at all is designated, the case's supervisor (from the ledger) is accountable.
FALLBACK = {
    "mp_sergeant": ["duty_inspector", "on_call_superintendent"],
    "duty_inspector": ["on_call_superintendent"],
    "on_call_di": ["on_call_superintendent"],
    "on_call_superintendent": [],
}
LEDGER_ROLE_WORDS = {
    "owner": "owner",
    "supervisor": "supervisor",
    "sio": "senior investigating officer",
    "reviewing_inspector": "reviewing inspector",
}


def _hours(value) -> timedelta:
    return timedelta(hours=float(value or 0))


def slot_words(slot: Slot) -> str:
    return f"{slot.name} {slot.date:%d %b %Y}"


@dataclass
class CaseFacts:
    case: Case
    gradings: list  # (assessed_at, grade), oldest first
    closed_at: datetime | None  # when it was found, if it was
    handovers: list  # (created_at, role, handover id)
    versions: list  # PolicyVersion rows, by effective date
    definitions: list  # SlotDefinition rows of the case's area

    def version_at(self, at: datetime):
        chosen = None
        for version in self.versions:
            if version.effective_from <= at:
                chosen = version
        return chosen

    def grade_at(self, at: datetime) -> str | None:
        grade = None
        for assessed_at, code in self.gradings:
            if assessed_at <= at:
                grade = code
        return grade


def load_facts(cases, known_at: datetime) -> dict[int, CaseFacts]:
    """What `derive` needs for each case, as recorded by `known_at`: five queries in all."""
    cases = list(cases)
    ids = [c.pk for c in cases]
    if not ids:
        return {}
    gradings = defaultdict(list)
    for case_id, at, grade in (
        Grading.objects.filter(case_id__in=ids, recorded_at__lte=known_at)
        .order_by("case_id", "sequence")
        .values_list("case_id", "assessed_at", "grade")
    ):
        gradings[case_id].append((at, grade))
    closed = {}
    for case_id, at in (
        CaseStatusChange.objects.filter(
            case_id__in=ids, to_status=CaseStatus.FOUND, at__lte=known_at
        )
        .order_by("at")
        .values_list("case_id", "at")
    ):
        closed.setdefault(case_id, at)
    handovers = defaultdict(list)
    for case_id, at, role, pk in (
        Handover.objects.filter(case_id__in=ids, created_at__lte=known_at)
        .order_by("created_at", "pk")
        .values_list("case_id", "created_at", "role", "pk")
    ):
        handovers[case_id].append((at, role, pk))
    pairs = {(c.force_id, c.case_type) for c in cases}
    version_filter = Q(pk__in=[])
    for force_id, case_type in pairs:
        version_filter |= Q(force_id=force_id, case_type=case_type)
    versions = defaultdict(list)
    for version in (
        PolicyVersion.objects.filter(version_filter, recorded_at__lte=known_at)
        .select_related("force")
        .order_by("effective_from", "version")
    ):
        versions[(version.force_id, version.case_type)].append(version)
    definitions = defaultdict(list)
    for definition in SlotDefinition.objects.filter(
        area_id__in={c.area_id for c in cases}
    ).order_by("position"):
        definitions[definition.area_id].append(definition)
    return {
        c.pk: CaseFacts(
            case=c,
            gradings=gradings[c.pk],
            closed_at=closed.get(c.pk),
            handovers=handovers[c.pk],
            versions=versions[(c.force_id, c.case_type)],
            definitions=definitions[c.area_id],
        )
        for c in cases
    }


@dataclass(frozen=True)
class Window:
    """One review window of one kind on one case, derived (not necessarily written yet)."""

    case_id: int
    kind: str
    label: str
    spec: dict
    version: PolicyVersion
    window_start: datetime
    window_end: datetime
    opens_at: datetime
    late_after: datetime
    closes_at: datetime
    slot: Slot | None
    handover_id: int | None

    @property
    def key(self) -> tuple:
        return (self.case_id, self.kind, self.window_start)

    @property
    def min_rank(self) -> str:
        return self.spec.get("min_rank", "sergeant")

    @property
    def reviewer_rule(self) -> dict:
        return self.spec.get("reviewer", {})


def _segments(facts: CaseFacts, end: datetime) -> list[tuple[datetime, datetime]]:
    start = facts.case.created_at
    points = {start, end}
    points.update(at for at, _ in facts.gradings if start < at < end)
    points.update(v.effective_from for v in facts.versions if start < v.effective_from < end)
    for version in facts.versions:
        for spec in Policy(version).reviews:
            days = spec.get("cadence", {}).get("start_after_days")
            if days:
                point = start + timedelta(days=float(days))
                if start < point < end:
                    points.add(point)
    ordered = sorted(points)
    return list(pairwise(ordered))


def _periods(facts: CaseFacts, end: datetime) -> dict[str, list[list[datetime]]]:
    """Per kind code, the merged stretches of time the kind applies to the case."""
    periods: dict[str, list[list[datetime]]] = defaultdict(list)
    created = facts.case.created_at
    for a, b in _segments(facts, end):
        version = facts.version_at(a)
        grade = facts.grade_at(a)
        if version is None or grade is None:
            continue
        for spec in Policy(version).reviews:
            if grade not in spec.get("grades", []):
                continue
            days = spec.get("cadence", {}).get("start_after_days")
            if days and a < created + timedelta(days=float(days)):
                continue
            stretches = periods[spec["code"]]
            if stretches and stretches[-1][1] == a:
                stretches[-1][1] = b
            else:
                stretches.append([a, b])
    return periods


def _next_slot_start(definitions, codes, after: datetime) -> datetime | None:
    for slot in slots_between(definitions, after + TINY, after + timedelta(days=9)):
        if slot.code in codes and slot.starts_at > after:
            return slot.starts_at
    return None


def _make(facts, spec, version, start, end, opens_at, slot=None, handover_id=None) -> Window:
    late_after = end + timedelta(minutes=float(spec.get("grace_minutes") or 0))
    limit = spec.get("late_limit_hours")
    cadence = spec.get("cadence", {})
    if limit is not None:
        closes_at = end + _hours(limit)
    elif "slots" in cadence:
        closes_at = _next_slot_start(facts.definitions, cadence["slots"], start) or late_after
    elif "every_hours" in cadence:
        closes_at = start + _hours(cadence["every_hours"])
    else:
        closes_at = late_after
    return Window(
        case_id=facts.case.pk,
        kind=spec["code"],
        label=spec.get("label", spec["code"]),
        spec=spec,
        version=version,
        window_start=start,
        window_end=end,
        opens_at=opens_at,
        late_after=late_after,
        closes_at=max(closes_at, late_after),
        slot=slot,
        handover_id=handover_id,
    )


def _spec_at(facts, kind: str, at: datetime):
    version = facts.version_at(at)
    if version is None:
        return None, None
    return Policy(version).review_kind(kind), version


def derive(facts: CaseFacts, until: datetime, after: dict | None = None) -> list[Window]:
    """Every window of the case that opens by `until`, in opening order.

    `after` (kind -> window_start) skips windows starting at or before the last one already
    written of that kind: windows of one kind are always written in order.
    """
    after = after or {}
    end = until + TINY
    if facts.closed_at is not None:
        end = min(end, facts.closed_at)
    if end <= facts.case.created_at:
        return []
    found: dict[tuple, Window] = {}
    for kind, stretches in _periods(facts, end).items():
        skip_to = after.get(kind)
        for ps, pe in stretches:
            if skip_to is not None and pe <= skip_to:
                continue
            spec, _version = _spec_at(facts, kind, ps)
            cadence = spec.get("cadence", {}) if spec else {}
            if "slots" in cadence:
                windows = _slot_windows(facts, kind, ps, pe, skip_to)
            elif "every_hours" in cadence:
                windows = _interval_windows(facts, kind, ps, pe)
            elif "on_handover" in cadence:
                windows = _handover_windows(facts, kind, ps, pe)
            else:
                windows = []
            for window in windows:
                if skip_to is not None and window.window_start <= skip_to:
                    continue
                found.setdefault(window.key, window)  # first opening of a window wins
    return sorted(found.values(), key=lambda w: (w.opens_at, w.kind))


def _slot_windows(facts, kind, ps, pe, skip_to):
    start = max(ps, skip_to) if skip_to is not None else ps
    for slot in slots_between(facts.definitions, start, pe):
        opens_at = max(slot.starts_at, ps)
        if opens_at >= pe:
            continue
        spec, version = _spec_at(facts, kind, opens_at)
        if spec is None or slot.code not in spec.get("cadence", {}).get("slots", []):
            continue
        hours = spec.get("window_hours")
        window_end = slot.ends_at if hours is None else slot.starts_at + _hours(hours)
        if opens_at >= window_end:
            continue
        if opens_at > slot.starts_at:
            fraction = float(spec.get("min_window_fraction") or 0)
            if window_end - opens_at < (window_end - slot.starts_at) * fraction:
                continue
        yield _make(facts, spec, version, slot.starts_at, window_end, opens_at, slot=slot)


def _interval_windows(facts, kind, ps, pe):
    at = ps
    while at < pe:
        spec, version = _spec_at(facts, kind, at)
        every = spec.get("cadence", {}).get("every_hours") if spec else None
        if not every:
            return
        hours = spec.get("window_hours") or every
        yield _make(facts, spec, version, at, at + _hours(hours), at)
        at += _hours(every)


def _handover_windows(facts, kind, ps, pe):
    for created_at, role, pk in facts.handovers:
        if not ps <= created_at < pe:
            continue
        spec, version = _spec_at(facts, kind, created_at)
        if spec is None or role not in spec.get("cadence", {}).get("on_handover", []):
            continue
        end = created_at + _hours(spec.get("window_hours") or 1)
        yield _make(facts, spec, version, created_at, end, created_at, handover_id=pk)


# --- the accountable reviewer -----------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    person: object | None
    how_decided: str
    designation: Designation | None = None
    holding_ref: str = ""


class DesignationBook:
    """Designation rows for (area, slot date) pairs, loaded in one query; heads as known at K."""

    def __init__(self):
        self.rows: dict[tuple, list] = defaultdict(list)
        self.loaded: set = set()

    def load(self, pairs) -> None:
        wanted = defaultdict(set)
        for area_id, day in pairs:
            if (area_id, day) not in self.loaded:
                wanted[area_id].add(day)
        if not wanted:
            return
        query = Q(pk__in=[])
        for area_id, days in wanted.items():
            query |= Q(area_id=area_id, slot_date__in=sorted(days))
            self.loaded.update((area_id, d) for d in days)
        for row in (
            Designation.objects.filter(query).select_related("person").order_by("recorded_at", "pk")
        ):
            self.rows[(row.area_id, row.slot_date)].append(row)

    def head(self, area_id, slot: Slot, role: str, known_at: datetime) -> Designation | None:
        self.load([(area_id, slot.date)])
        found = None
        for row in self.rows[(area_id, slot.date)]:
            if row.slot_code == slot.code and row.role == role and row.recorded_at <= known_at:
                found = row  # later rows supersede earlier ones
        return found


def deciding_slot(definitions, window: Window) -> Slot | None:
    """The slot whose roster names the reviewer: the window's own, else the one running when
    it opens (or the last one started)."""
    if window.slot is not None:
        return window.slot
    slot = slot_containing(definitions, window.opens_at)
    if slot is not None or not definitions:
        return slot
    earlier = [
        s
        for s in slots_between(definitions, window.opens_at - timedelta(days=2), window.opens_at)
        if s.starts_at <= window.opens_at
    ]
    return earlier[-1] if earlier else None


def resolve(
    facts: CaseFacts, window: Window, book: DesignationBook, *, ledger: bool = True
) -> Resolution:
    """Who is accountable for `window`, and in plain words how that was decided — from the
    roster and ledger as known when the window opened, so the answer is reproducible."""
    from vigil.responsibility.selectors import holder_at

    rule = window.reviewer_rule
    known_at = window.opens_at
    case = facts.case
    if "designation" in rule:
        target = rule["designation"]
        target_words = DesignationRole(target).label.lower()
        slot = deciding_slot(facts.definitions, window)
        if slot is not None:
            for role in [target, *FALLBACK.get(target, [])]:
                designation = book.head(case.area_id, slot, role, known_at)
                if designation is not None:
                    words = f"designated {DesignationRole(role).label.lower()} for "
                    words += slot_words(slot)
                    if role != target:
                        words += f" (nobody was designated {target_words})"
                    return Resolution(designation.person, words, designation=designation)
        where = slot_words(slot) if slot else "that time"
        if not ledger:
            return Resolution(None, f"nobody is designated {target_words} for {where} yet")
        answer = holder_at(case, "supervisor", at=known_at, known_at=known_at)
        return Resolution(
            answer.person,
            f"nobody was designated {target_words} (or above) for {where}: the case's "
            f"supervisor, {answer.rule}",
            designation=answer.designation,
            holding_ref=answer.ref,
        )
    role = rule.get("ledger", "supervisor")
    words = LEDGER_ROLE_WORDS.get(role, role)
    if not ledger:
        return Resolution(None, f"the case's {words} when the window opens")
    answer = holder_at(case, role, at=known_at, known_at=known_at)
    return Resolution(
        answer.person,
        f"{words} of the case at {london(known_at):%H:%M %d %b %Y}: {answer.rule}",
        designation=answer.designation,
        holding_ref=answer.ref,
    )


def designation_pairs(facts_by_case: dict, windows) -> set[tuple[int, date]]:
    pairs = set()
    for window in windows:
        if "designation" not in window.reviewer_rule:
            continue
        facts = facts_by_case[window.case_id]
        slot = deciding_slot(facts.definitions, window)
        if slot is not None:
            pairs.add((facts.case.area_id, slot.date))
    return pairs
