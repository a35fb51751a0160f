"""Who held role R on case C at instant T, as known at K — one answer, and how it was decided.

Written holdings (initial, assignment, handover, escalation) are rows. The rules that keep
every required role held without anyone remembering are derived here, when asked, from the
same rows, the roster and policy — all filtered to what was recorded by K:

* supervision belongs to the accountability slot its holding started in (a handover made in
  the policy's window before a slot ends belongs to the next slot); from that slot's end
  (plus any grace), unless a newer holding exists, it is the designated missing person
  sergeant (or duty inspector where the grade needs an inspector) of the slot running;
* a holder (owner, SIO, inspector) unavailable beyond the policy limit: from that moment the
  role is the roster's (how=absence);
* ownership passes by policy after the initial period for the grade (how=transfer_by_policy);
* a role required with no holding, or held by someone below its minimum rank, is the
  roster's (how=roster_rule).

Derived holdings change with the slot and carry a key (`how:base:slot date:slot code`) that
the person named can accept. Where nobody is designated the rule goes up the chain (duty
inspector, then on-call superintendent) and says so.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.db.models import Q

from vigil.cases.models import Case, CaseStatus, CaseStatusChange, Grading
from vigil.core.time import london, london_date, now
from vigil.organisation.models import AvailabilityPeriod, User
from vigil.organisation.selectors import rank_on
from vigil.policy.document import RESPONSIBILITY_ROLES, Policy
from vigil.policy.models import PolicyVersion
from vigil.responsibility import rules
from vigil.responsibility.models import ROLE_LABELS, Handover, Holding, HoldingAcceptance, How
from vigil.rosters.models import Designation, DesignationRole, SlotDefinition
from vigil.rosters.slots import slots_between

WRITTEN_HOWS = {How.INITIAL, How.ASSIGNMENT, How.HANDOVER, How.ESCALATION}


@dataclass(frozen=True)
class HolderAnswer:
    """One role's holder at an instant, as known at another, and how that was decided."""

    case_id: int
    role: str
    at: datetime
    known_at: datetime
    required: bool
    requirement: dict
    person: User | None
    since: datetime | None
    how: str
    decided_by: str  # "person" or "rule"
    assigned_by: User | None  # the person who decided, for a written holding
    rule: str  # in plain words, how the answer was reached
    holding_id: int | None
    derived_key: str
    designation: Designation | None
    designation_role: str
    fallback: bool  # nobody was designated for the roster role the rule names
    meets_requirement: bool
    accepted: bool
    accepted_at: datetime | None

    @property
    def ref(self) -> str:
        """What the holder saw: a written holding's id or a derived holding's key."""
        if self.holding_id is not None:
            return f"holding:{self.holding_id}"
        return self.derived_key or "none"

    @property
    def by_rule(self) -> bool:
        return self.holding_id is None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def how_label(self) -> str:
        return How(self.how).label if self.how else ""


def _minutes(value) -> timedelta:
    return timedelta(minutes=float(value or 0))


def _hours(value) -> timedelta:
    return timedelta(hours=float(value or 0))


def _slot_words(slot) -> str:
    return f"{slot.name.lower()} slot of {slot.date:%d %b %Y}"


class CaseLedger:
    """Everything one case's answers need, as known at K, loaded once and reused."""

    def __init__(self, case: Case, known_at: datetime | None = None):
        self.known_at = known_at or now()
        self.case = case
        k = self.known_at
        self.gradings: list[tuple[datetime, str]] = list(
            Grading.objects.filter(case=case, recorded_at__lte=k)
            .order_by("sequence")
            .values_list("assessed_at", "grade")
        )
        self.statuses: list[tuple[datetime, str]] = list(
            CaseStatusChange.objects.filter(case=case, at__lte=k)
            .order_by("at", "pk")
            .values_list("at", "to_status")
        )
        self.holdings: list[Holding] = list(
            Holding.objects.filter(case=case, recorded_at__lte=k)
            .select_related("holder", "assigned_by", "designation")
            .order_by("starts_at", "pk")
        )
        self.acceptances: list[HoldingAcceptance] = list(
            HoldingAcceptance.objects.filter(case=case, recorded_at__lte=k).order_by(
                "accepted_at", "pk"
            )
        )
        self.versions = list(
            PolicyVersion.objects.filter(
                force_id=case.force_id, case_type=case.case_type, recorded_at__lte=k
            ).order_by("effective_from", "version")
        )
        self.definitions = list(
            SlotDefinition.objects.filter(area_id=case.area_id).order_by("position")
        )
        self._designations: dict = {}
        self._ranks: dict = {}
        self._unavailability: dict = {}
        self._policies: dict = {}

    # --- facts at an instant -------------------------------------------------------------

    def policy(self, at: datetime) -> Policy | None:
        chosen = None
        for version in self.versions:
            if version.effective_from <= at:
                chosen = version
        if chosen is None:
            chosen = self.versions[0] if self.versions else None
        if chosen is None:
            return None
        if chosen.pk not in self._policies:
            self._policies[chosen.pk] = Policy(chosen)
        return self._policies[chosen.pk]

    def ownership(self, at: datetime) -> dict:
        policy = self.policy(at)
        return policy.document.get("ownership", {}) if policy else {}

    def roster_rule(self, at: datetime) -> dict:
        policy = self.policy(at)
        return policy.document.get("roster_rule", {}) if policy else {}

    def is_open(self, at: datetime) -> bool:
        if at < self.case.created_at:
            return False
        status = None
        for changed_at, to_status in self.statuses:
            if changed_at <= at:
                status = to_status
        return status != CaseStatus.FOUND

    def grade(self, at: datetime) -> str | None:
        grade = None
        for assessed_at, code in self.gradings:
            if assessed_at <= at:
                grade = code
        return grade

    def requirements(self, at: datetime) -> dict[str, dict]:
        """Each required role with its minimum rank (and "detective") at `at`."""
        if not self.is_open(at):
            return {}
        grade = self.grade(at)
        if grade is None:
            return dict(rules.UNGRADED_REQUIREMENTS)
        policy = self.policy(at)
        roles = policy.required_roles(grade) if policy else []
        return {entry["role"]: entry for entry in roles}

    def explicit(self, role: str, at: datetime) -> Holding | None:
        found = None
        for holding in self.holdings:
            if holding.role == role and holding.starts_at <= at:
                found = holding
        return found

    def rank(self, user, at: datetime) -> str | None:
        day = london_date(at)
        key = (user.pk, day)
        if key not in self._ranks:
            self._ranks[key] = rank_on(user, day, known_at=self.known_at)[0]
        return self._ranks[key]

    def meets(self, user, requirement: dict, at: datetime) -> bool:
        return rules.meets(self.rank(user, at), user.is_detective, requirement)

    def unavailability(self, user_id: int) -> list[tuple[datetime, datetime | None]]:
        if user_id not in self._unavailability:
            k = self.known_at
            periods = (
                AvailabilityPeriod.objects.filter(
                    user_id=user_id,
                    recorded_at__lte=k,
                    cancelled=False,
                    status__in=rules.UNAVAILABLE,
                )
                .exclude(superseded_by__recorded_at__lte=k)
                .values_list("starts_at", "ends_at")
            )
            self._unavailability[user_id] = rules.merged_unavailability(list(periods))
        return self._unavailability[user_id]

    def designation(self, roster_role: str, slot) -> Designation | None:
        """The head (as known at K) of the designation chain for a role in one slot."""
        if slot.date not in self._designations:
            heads = {}
            rows = (
                Designation.objects.filter(
                    area_id=self.case.area_id, slot_date=slot.date, recorded_at__lte=self.known_at
                )
                .select_related("person")
                .order_by("recorded_at", "pk")
            )
            for row in rows:
                heads[(row.slot_code, row.role)] = row  # later rows supersede earlier ones
            self._designations[slot.date] = heads
        return self._designations[slot.date].get((slot.code, roster_role))

    def latest_designation(self, roster_roles: list[str], at: datetime) -> Designation | None:
        return (
            Designation.objects.filter(
                area_id=self.case.area_id,
                role__in=roster_roles,
                starts_at__lte=at,
                recorded_at__lte=self.known_at,
            )
            .select_related("person")
            .order_by("-starts_at", "-recorded_at", "-pk")
            .first()
        )

    def acceptance(self, holding_id, derived_key, person_id, at) -> HoldingAcceptance | None:
        for row in self.acceptances:
            if row.accepted_at > at:
                continue
            if holding_id is not None and row.holding_id == holding_id:
                return row
            if (
                holding_id is None
                and derived_key
                and row.derived_key == derived_key
                and row.person_id == person_id
            ):
                return row
        return None

    # --- the answer ----------------------------------------------------------------------

    def resolve(self, role: str, at: datetime) -> HolderAnswer:
        if role not in RESPONSIBILITY_ROLES:
            raise ValueError(f"unknown role {role!r}")
        requirements = self.requirements(at)
        required = role in requirements
        requirement = requirements.get(role) or rules.DEFAULT_REQUIREMENTS[role]
        explicit = self.explicit(role, at)
        if not required:
            return self._written(role, at, explicit, requirement, required=False)

        ownership = self.ownership(at)
        # Events that could decide the holder at `at`: (time, priority, kind, target).
        # The latest wins; on a tie a rule beats the default initial holding and a person's
        # choice beats a rule.
        if explicit is not None:
            priority = 0 if explicit.how in rules.WEAK_HOWS else 2
            events = [(explicit.starts_at, priority, "explicit", None)]
        else:
            events = [(self.case.created_at, 0, "open", None)]
        base = events[0]

        if role == "supervisor" and explicit is not None:
            window = _minutes(self.ownership(explicit.starts_at).get("handover_window_minutes", 0))
            slot = rules.slot_of_holding(self.definitions, explicit.starts_at, explicit.how, window)
            if slot is not None:
                fires = slot.ends_at + _minutes(ownership.get("supervisor_off_duty_grace_minutes"))
                if fires <= at:
                    events.append((fires, 1, "slot_end", slot))

        transfers = []
        if role == "owner":
            transfers = self._transfers(at, ownership.get("transfer") or {})
            events += [(t, 1, "transfer", target) for t, target in transfers]

        if role != "supervisor" and explicit is not None:
            limit = _hours(ownership.get("owner_unavailable_limit_hours", 24))
            fires = rules.absence_trigger(
                self.unavailability(explicit.holder_id), explicit.starts_at, limit, at
            )
            if fires is not None:
                # Only while the written holder still held it: not after a transfer beat it.
                replaced = any((t, 1) > base[:2] and t <= fires for t, _ in transfers)
                if not replaced:
                    events.append((fires, 1, "absence", None))

        when, _priority, kind, detail = max(events, key=lambda e: (e[0], e[1]))
        if kind == "explicit":
            answer = self._written(role, at, explicit, requirement, required=True)
            if answer.meets_requirement:
                return answer
            return self._derived(
                role,
                at,
                requirement,
                how=How.ROSTER_RULE,
                from_time=explicit.starts_at,
                explicit=explicit,
                why=(
                    f"{explicit.holder.display_name} is below the minimum rank for "
                    f"{ROLE_LABELS[role].lower()} ({requirement.get('min_rank')}"
                    f"{', detective' if requirement.get('detective') else ''}) at this time"
                ),
            )
        if kind == "open":
            return self._derived(
                role,
                at,
                requirement,
                how=How.ROSTER_RULE,
                from_time=when,
                explicit=None,
                why=f"nobody has been given the {ROLE_LABELS[role].lower()} role",
            )
        if kind == "slot_end":
            return self._derived(
                role,
                at,
                requirement,
                how=How.ROSTER_RULE,
                from_time=when,
                explicit=explicit,
                why=(
                    f"{explicit.holder.display_name}'s {_slot_words(detail)} ended with no handover"
                ),
            )
        if kind == "transfer":
            return self._derived(
                role,
                at,
                requirement,
                how=How.TRANSFER_BY_POLICY,
                from_time=when,
                explicit=explicit,
                target=detail,
                why=f"ownership passes by policy at {london(when):%H:%M %d %b %Y}",
            )
        return self._derived(
            role,
            at,
            requirement,
            how=How.ABSENCE,
            from_time=when,
            explicit=explicit,
            why=(
                f"{explicit.holder.display_name} has been unavailable beyond the policy limit "
                f"(since {london(when):%H:%M %d %b %Y})"
            ),
        )

    def _transfers(self, at: datetime, transfer: dict) -> list[tuple[datetime, str]]:
        return rules.transfer_events(self.gradings, self.case.created_at, at, transfer)

    def _written(self, role, at, holding, requirement, *, required) -> HolderAnswer:
        if holding is None:
            return HolderAnswer(
                case_id=self.case.pk,
                role=role,
                at=at,
                known_at=self.known_at,
                required=required,
                requirement=requirement,
                person=None,
                since=None,
                how="",
                decided_by="",
                assigned_by=None,
                rule="not required at this time" if not required else "nobody holds it",
                holding_id=None,
                derived_key="",
                designation=None,
                designation_role="",
                fallback=False,
                meets_requirement=False,
                accepted=False,
                accepted_at=None,
            )
        accepted = self.acceptance(holding.pk, "", holding.holder_id, at)
        accepted_at = accepted.accepted_at if accepted else None
        if holding.assigned_by_id == holding.holder_id:
            accepted_at = holding.starts_at  # took it themselves: accepted by that act
        by_person = holding.assigned_by_id is not None
        if by_person:
            rule = f"{How(holding.how).label} by {holding.assigned_by.display_name}"
        else:
            rule = f"{How(holding.how).label} ({holding.assigned_by_job})"
        return HolderAnswer(
            case_id=self.case.pk,
            role=role,
            at=at,
            known_at=self.known_at,
            required=required,
            requirement=requirement,
            person=holding.holder,
            since=holding.starts_at,
            how=holding.how,
            decided_by="person" if by_person else "rule",
            assigned_by=holding.assigned_by,
            rule=rule,
            holding_id=holding.pk,
            derived_key="",
            designation=holding.designation,
            designation_role=holding.designation.role if holding.designation else "",
            fallback=False,
            meets_requirement=self.meets(holding.holder, requirement, at),
            accepted=accepted_at is not None,
            accepted_at=accepted_at,
        )

    def _derived(
        self, role, at, requirement, *, how, from_time, explicit, why, target=None
    ) -> HolderAnswer:
        target = target or rules.roster_target(role, requirement, self.roster_rule(at))
        slot = rules.slot_for_derivation(self.definitions, at)
        designation, used = None, ""
        if slot is not None:
            for roster_role in rules.fallback_chain(target):
                designation = self.designation(roster_role, slot)
                if designation is not None:
                    used = roster_role
                    break
        fallback = used != target
        target_label = DesignationRole(target).label.lower()
        if designation is not None:
            person = designation.person
            since = max(from_time, slot.starts_at)
            key = f"{how}:{f'h{explicit.pk}' if explicit else 'case'}:{slot.date}:{slot.code}"
            words = f"{why}: the designated {DesignationRole(used).label.lower()}"
            words += f" for the {_slot_words(slot)}"
            if fallback:
                words += f" (nobody was designated {target_label})"
        elif explicit is not None:
            # Nobody at all on the roster: the last holder keeps it rather than nobody.
            answer = self._written(role, at, explicit, requirement, required=True)
            return _replace(
                answer,
                fallback=True,
                rule=f"{why}, but nobody is designated on the roster: "
                f"{explicit.holder.display_name} keeps it",
            )
        else:
            chain = rules.fallback_chain(target)
            designation = self.latest_designation(chain, at)
            if designation is None:
                return _replace(
                    self._written(role, at, None, requirement, required=True),
                    how=how,
                    decided_by="rule",
                    rule=f"{why}, and nobody has ever been designated in this area",
                    fallback=True,
                )
            person = designation.person
            used = designation.role
            since = from_time
            key = f"{how}:case:{designation.slot_date}:{designation.slot_code}"
            fallback = True
            words = (
                f"{why}: nobody is designated for this slot; the most recently designated "
                f"{DesignationRole(used).label.lower()}"
            )
        accepted = self.acceptance(None, key, person.pk, at)
        return HolderAnswer(
            case_id=self.case.pk,
            role=role,
            at=at,
            known_at=self.known_at,
            required=True,
            requirement=requirement,
            person=person,
            since=since,
            how=how,
            decided_by="rule",
            assigned_by=None,
            rule=words,
            holding_id=None,
            derived_key=key,
            designation=designation,
            designation_role=used,
            fallback=fallback,
            meets_requirement=self.meets(person, requirement, at),
            accepted=accepted is not None,
            accepted_at=accepted.accepted_at if accepted else None,
        )

    def answers(self, at: datetime) -> list[HolderAnswer]:
        required = self.requirements(at)
        return [self.resolve(role, at) for role in RESPONSIBILITY_ROLES if role in required]


def _replace(answer: HolderAnswer, **changes) -> HolderAnswer:
    return replace(answer, **changes)


# --- public reads ------------------------------------------------------------------------


def holder_at(
    case: Case, role: str, at: datetime | None = None, known_at: datetime | None = None
) -> HolderAnswer:
    """Who held `role` on `case` at `at` (default now), as known at `known_at` (default now)."""
    at = at or now()
    return CaseLedger(case, known_at).resolve(role, at)


def responsibility_at(
    case: Case, at: datetime | None = None, known_at: datetime | None = None
) -> list[HolderAnswer]:
    """Every role required at `at`, each with its one holder and how it was decided."""
    at = at or now()
    return CaseLedger(case, known_at).answers(at)


def unaccepted(case: Case, at: datetime | None = None) -> list[HolderAnswer]:
    """Required roles whose current holder has not accepted (roster rule, escalation...)."""
    return [a for a in responsibility_at(case, at) if a.person is not None and not a.accepted]


@dataclass
class HistoryRow:
    holding: Holding
    acceptance: HoldingAcceptance | None
    handover: Handover | None


def holding_history(case: Case, role: str | None = None) -> list[HistoryRow]:
    """Every written holding of the case (oldest first) with its acceptance and handover."""
    holdings = (
        Holding.objects.filter(case=case)
        .select_related("holder", "assigned_by", "designation", "supersedes")
        .order_by("starts_at", "pk")
    )
    if role:
        holdings = holdings.filter(role=role)
    holdings = list(holdings)
    ids = [h.pk for h in holdings]
    acceptances = {
        a.holding_id: a
        for a in HoldingAcceptance.objects.filter(holding_id__in=ids).select_related("person")
    }
    handovers = {
        h.holding_id: h
        for h in Handover.objects.filter(holding_id__in=ids).select_related(
            "from_holder", "to_holder", "grading"
        )
    }
    return [HistoryRow(h, acceptances.get(h.pk), handovers.get(h.pk)) for h in holdings]


@dataclass
class Segment:
    """A stretch of time one answer held for (derived ones included)."""

    starts_at: datetime
    ends_at: datetime | None
    answer: HolderAnswer


def role_timeline(
    case: Case,
    role: str,
    until: datetime | None = None,
    known_at: datetime | None = None,
) -> list[Segment]:
    """Who held `role` from the case's opening to `until`, as known at `known_at`.

    Evaluated at every instant something could change it (written holdings, gradings, slot
    boundaries, absence and transfer moments) and merged where the answer did not change.
    """
    ledger = CaseLedger(case, known_at)
    until = until or min(now(), ledger.known_at)
    case = ledger.case
    if until < case.created_at:
        return []
    end = until
    for changed_at, status in ledger.statuses:
        if status == CaseStatus.FOUND and changed_at <= until:
            end = changed_at
    points = {case.created_at}
    points.update(h.starts_at for h in ledger.holdings if h.role == role)
    points.update(a for a, _ in ledger.gradings)
    points.update(a.accepted_at for a in ledger.acceptances if a.role == role)
    for slot in slots_between(ledger.definitions, case.created_at, end):
        points.update({slot.starts_at, slot.ends_at})
    ownership = ledger.ownership(end)
    grace = _minutes(ownership.get("supervisor_off_duty_grace_minutes"))
    limit = _hours(ownership.get("owner_unavailable_limit_hours", 24))
    if grace:
        points.update(
            s.ends_at + grace for s in slots_between(ledger.definitions, case.created_at, end)
        )
    for holding in ledger.holdings:
        if holding.role == role:
            for start, _end in ledger.unavailability(holding.holder_id):
                points.add(max(start, holding.starts_at) + limit)
    if role == "owner":
        points.update(t for t, _ in ledger._transfers(end, ownership.get("transfer") or {}))
    segments: list[Segment] = []
    for point in sorted(p for p in points if case.created_at <= p <= end):
        answer = ledger.resolve(role, point)
        if segments and _same(segments[-1].answer, answer):
            continue
        if segments:
            segments[-1].ends_at = point
        segments.append(Segment(point, None, answer))
    if segments and end < until:
        segments[-1].ends_at = end
    return segments


def _same(a: HolderAnswer, b: HolderAnswer) -> bool:
    return (
        a.person == b.person
        and a.holding_id == b.holding_id
        and a.derived_key == b.derived_key
        and a.accepted == b.accepted
        and a.required == b.required
    )


# --- per person ---------------------------------------------------------------------------


@dataclass
class MyCase:
    case: Case
    answers: list[HolderAnswer] = field(default_factory=list)

    @property
    def awaiting_acceptance(self) -> list[HolderAnswer]:
        return [a for a in self.answers if not a.accepted]


@dataclass
class MyCases:
    at: datetime
    cases: list[MyCase]

    @property
    def awaiting_acceptance(self) -> list[tuple[Case, HolderAnswer]]:
        return [(mc.case, a) for mc in self.cases for a in mc.awaiting_acceptance]


def _candidate_cases(user, at: datetime):
    """Open cases where `user` could hold a role at `at`: their written holdings, and cases in
    areas where they are on the roster for the slot running (every derived holding names a
    designated person). Never all cases."""
    written = Holding.objects.filter(holder=user).values("case_id")
    areas = Designation.objects.filter(person=user, starts_at__lte=at, ends_at__gt=at).values(
        "area_id"
    )
    return (
        Case.objects.filter(force_id=user.force_id)
        .exclude(status=CaseStatus.FOUND)
        .filter(Q(pk__in=written) | Q(area_id__in=areas))
        .select_related("area", "force")
        .order_by("-created_at", "-pk")
    )


def my_cases(user, at: datetime | None = None) -> MyCases:
    """Open cases where `user` holds any role now (written or by rule), and what waits for
    their acceptance."""
    at = at or now()
    if user.force_id is None:
        return MyCases(at=at, cases=[])
    found = []
    for case in _candidate_cases(user, at):
        answers = [
            a for a in CaseLedger(case).answers(at) if a.person is not None and a.person == user
        ]
        if answers:
            found.append(MyCase(case=case, answers=answers))
    return MyCases(at=at, cases=found)


def roles_held_by(user, at: datetime | None = None) -> list[tuple[Case, HolderAnswer]]:
    return [(mc.case, a) for mc in my_cases(user, at).cases for a in mc.answers]


def still_holding_message(user, at: datetime | None = None) -> str:
    """Why `user` cannot be marked as having left yet ("" when nothing stops it)."""
    held = roles_held_by(user, at)
    if not held:
        return ""
    listing = ", ".join(f"{case.reference} ({answer.role_label.lower()})" for case, answer in held)
    return (
        f"{user.display_name} holds roles on open cases: {listing}. Hand them on (or correct "
        "the roster) before recording that they have left."
    )


# --- many cases at once --------------------------------------------------------------------


class LedgerBook:
    """What many cases' ledgers need, loaded in a fixed number of queries and shared.

    Per-case rows (gradings, statuses, holdings, acceptances) are loaded once for all the
    cases; policy versions once per (force, case type); slot definitions once per area.
    Things a rule may need later are loaded for every area at once the first time they are
    asked for: the roster of one slot date (one query per distinct date), people's ranks and
    unavailability (for every holder and every designated person seen so far, one query),
    and "the most recently designated" (one query per distinct instant). So the count depends
    on how many instants are asked about, never on how many cases there are."""

    def __init__(self, cases, known_at: datetime | None = None):
        self.known_at = known_at or now()
        k = self.known_at
        self.cases = list(cases)
        ids = [c.pk for c in self.cases]
        self.gradings: dict[int, list] = {pk: [] for pk in ids}
        self.statuses: dict[int, list] = {pk: [] for pk in ids}
        self.holdings: dict[int, list] = {pk: [] for pk in ids}
        self.acceptances: dict[int, list] = {pk: [] for pk in ids}
        self.versions: dict[tuple, list] = {}
        self.definitions: dict[int, list] = {}
        self.policies: dict = {}
        self._days: dict[date, dict] = {}  # slot date -> {(area, slot code, role): head}
        self._latest: dict[datetime, dict] = {}  # at -> {(area, role): latest designation}
        self._ranks: dict[int, list] = {}  # user id -> rank periods known at K
        self._unavailability: dict[int, list] = {}
        self._users: dict[int, User] = {}
        if not ids:
            return
        for case_id, assessed_at, grade in (
            Grading.objects.filter(case_id__in=ids, recorded_at__lte=k)
            .order_by("case_id", "sequence")
            .values_list("case_id", "assessed_at", "grade")
        ):
            self.gradings[case_id].append((assessed_at, grade))
        for case_id, at, to_status in (
            CaseStatusChange.objects.filter(case_id__in=ids, at__lte=k)
            .order_by("at", "pk")
            .values_list("case_id", "at", "to_status")
        ):
            self.statuses[case_id].append((at, to_status))
        for holding in (
            Holding.objects.filter(case_id__in=ids, recorded_at__lte=k)
            .select_related("holder", "assigned_by", "designation")
            .order_by("starts_at", "pk")
        ):
            self.holdings[holding.case_id].append(holding)
            self._users[holding.holder_id] = holding.holder
        for acceptance in HoldingAcceptance.objects.filter(
            case_id__in=ids, recorded_at__lte=k
        ).order_by("accepted_at", "pk"):
            self.acceptances[acceptance.case_id].append(acceptance)
        pairs = {(c.force_id, c.case_type) for c in self.cases}
        query = Q(pk__in=[])
        for force_id, case_type in pairs:
            query |= Q(force_id=force_id, case_type=case_type)
            self.versions[(force_id, case_type)] = []
        for version in PolicyVersion.objects.filter(query, recorded_at__lte=k).order_by(
            "effective_from", "version"
        ):
            self.versions[(version.force_id, version.case_type)].append(version)
        areas = {c.area_id for c in self.cases}
        self.definitions = {area_id: [] for area_id in areas}
        for definition in SlotDefinition.objects.filter(area_id__in=areas).order_by("position"):
            self.definitions[definition.area_id].append(definition)
        self.area_ids = sorted(areas)

    # --- shared, loaded for every area when first asked -------------------------------------

    def designations_on(self, day: date) -> dict:
        if day not in self._days:
            heads = {}
            rows = (
                Designation.objects.filter(
                    area_id__in=self.area_ids, slot_date=day, recorded_at__lte=self.known_at
                )
                .select_related("person")
                .order_by("recorded_at", "pk")
            )
            for row in rows:
                heads[(row.area_id, row.slot_code, row.role)] = row  # later rows supersede
                self._users.setdefault(row.person_id, row.person)
            self._days[day] = heads
        return self._days[day]

    def prefetch_days(self, days) -> None:
        """Load the roster of several slot dates in one query."""
        wanted = sorted({d for d in days if d not in self._days})
        if not wanted:
            return
        loaded: dict[date, dict] = {d: {} for d in wanted}
        rows = (
            Designation.objects.filter(
                area_id__in=self.area_ids, slot_date__in=wanted, recorded_at__lte=self.known_at
            )
            .select_related("person")
            .order_by("recorded_at", "pk")
        )
        for row in rows:
            loaded[row.slot_date][(row.area_id, row.slot_code, row.role)] = row
            self._users.setdefault(row.person_id, row.person)
        self._days.update(loaded)

    def latest_designation(self, area_id, roster_roles, at: datetime) -> Designation | None:
        """`CaseLedger.latest_designation`, from one query per instant for every area."""
        if at not in self._latest:
            from django.db.models import F, Window
            from django.db.models.functions import RowNumber

            ranked = (
                Designation.objects.filter(
                    area_id__in=self.area_ids, starts_at__lte=at, recorded_at__lte=self.known_at
                )
                .annotate(
                    place=Window(
                        RowNumber(),
                        partition_by=[F("area_id"), F("role")],
                        order_by=[F("starts_at").desc(), F("recorded_at").desc(), F("pk").desc()],
                    )
                )
                .filter(place=1)
                .select_related("person")
            )
            self._latest[at] = {(row.area_id, row.role): row for row in ranked}
            for row in self._latest[at].values():
                self._users.setdefault(row.person_id, row.person)
        found = [
            self._latest[at][(area_id, role)]
            for role in roster_roles
            if (area_id, role) in self._latest[at]
        ]
        if not found:
            return None
        return max(found, key=lambda d: (d.starts_at, d.recorded_at, d.pk))

    def _load_people(self, user_id: int) -> None:
        """Ranks and unavailability of everyone seen so far (and `user_id`), in two queries."""
        from vigil.organisation.models import RankPeriod

        wanted = {pk for pk in [*self._users, user_id] if pk not in self._ranks}
        if not wanted:
            return
        k = self.known_at
        for pk in wanted:
            self._ranks[pk] = []
            self._unavailability[pk] = []
        for period in RankPeriod.objects.filter(user_id__in=wanted, recorded_at__lte=k).exclude(
            superseded_by__recorded_at__lte=k
        ):
            self._ranks[period.user_id].append(period)
        raw: dict[int, list] = {pk: [] for pk in wanted}
        for user_id_, starts_at, ends_at in (
            AvailabilityPeriod.objects.filter(
                user_id__in=wanted,
                recorded_at__lte=k,
                cancelled=False,
                status__in=rules.UNAVAILABLE,
            )
            .exclude(superseded_by__recorded_at__lte=k)
            .values_list("user_id", "starts_at", "ends_at")
        ):
            raw[user_id_].append((starts_at, ends_at))
        for pk, periods in raw.items():
            self._unavailability[pk] = rules.merged_unavailability(periods)

    def rank(self, user, day: date) -> str | None:
        from vigil.organisation.selectors import _effective_rank

        if user.pk not in self._ranks:
            self._load_people(user.pk)
        periods = [p for p in self._ranks[user.pk] if p.starts_on <= day]
        return _effective_rank(periods, day)[0]

    def unavailability(self, user_id: int) -> list:
        if user_id not in self._unavailability:
            self._load_people(user_id)
        return self._unavailability[user_id]

    def policy_of(self, version) -> Policy:
        if version.pk not in self.policies:
            self.policies[version.pk] = Policy(version)
        return self.policies[version.pk]

    def ledger(self, case: Case) -> "PreloadedLedger":
        return PreloadedLedger(case, self)


class PreloadedLedger(CaseLedger):
    """A `CaseLedger` whose rows come from a `LedgerBook`: the same rules, the same answers,
    without a query per case."""

    def __init__(self, case: Case, book: LedgerBook):
        self.book = book
        self.known_at = book.known_at
        self.case = case
        self.gradings = book.gradings.get(case.pk, [])
        self.statuses = book.statuses.get(case.pk, [])
        self.holdings = book.holdings.get(case.pk, [])
        self.acceptances = book.acceptances.get(case.pk, [])
        self.versions = book.versions.get((case.force_id, case.case_type), [])
        self.definitions = book.definitions.get(case.area_id, [])
        self._designations = {}
        self._ranks = {}
        self._unavailability = {}
        self._policies = book.policies

    def rank(self, user, at: datetime) -> str | None:
        return self.book.rank(user, london_date(at))

    def unavailability(self, user_id: int) -> list[tuple[datetime, datetime | None]]:
        return self.book.unavailability(user_id)

    def designation(self, roster_role: str, slot) -> Designation | None:
        return self.book.designations_on(slot.date).get((self.case.area_id, slot.code, roster_role))

    def latest_designation(self, roster_roles: list[str], at: datetime) -> Designation | None:
        return self.book.latest_designation(self.case.area_id, roster_roles, at)


def responsibility_for_cases(
    cases, at: datetime | None = None, known_at: datetime | None = None, *, book=None
) -> dict[int, list[HolderAnswer]]:
    """`responsibility_at` for many cases at once: case id -> every role required at `at`,
    each with its one holder and how it was decided. The same answers, from a number of
    queries that does not grow with the number of cases (see `LedgerBook`)."""
    at = at or now()
    cases = list(cases)
    book = book or LedgerBook(cases, known_at)
    days = set()
    for case in cases:
        slot = rules.slot_for_derivation(book.definitions.get(case.area_id, []), at)
        if slot is not None:
            days.add(slot.date)
    book.prefetch_days(days)
    return {case.pk: book.ledger(case).answers(at) for case in cases}
