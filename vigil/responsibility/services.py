"""Writes to the responsibility ledger: assign, hand over, accept, and the rules run on writes.

Each public service is one durable transaction that locks the case and the current head
holding of the role, writes insert-only rows and an audit event. The private helpers
`_initial_holdings` (called when a case is reported) and `_after_grading` (called at the end
of every grading, in its transaction) are the rules that must be written at the moment they
happen; the rest are derived when asked (selectors.py).
"""

from datetime import datetime

from django.db import IntegrityError, transaction

from vigil.access.cases import can_assign
from vigil.audit.services import audit_record
from vigil.cases.models import Case, CaseStatus
from vigil.core.errors import Conflict, NotAllowed, ServiceError
from vigil.core.time import london_date, now
from vigil.organisation.models import RANK_LEVEL, Availability, Rank
from vigil.organisation.selectors import availability_at, rank_on
from vigil.policy.document import RESPONSIBILITY_ROLES
from vigil.policy.selectors import policy_at
from vigil.responsibility import rules
from vigil.responsibility.models import ROLE_LABELS, Handover, Holding, HoldingAcceptance, How
from vigil.responsibility.selectors import CaseLedger, HolderAnswer
from vigil.rosters.models import DesignationRole

ESCALATION_JOB = "rule:escalation-on-grading"
INITIAL_JOB = "rule:initial-owner"


# --- shared helpers -----------------------------------------------------------------------


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("force", "area").get(pk=case.pk)


def _lock_head(case: Case, role: str) -> Holding | None:
    """The newest written holding of (case, role): the one a new holding supersedes."""
    return Holding.objects.select_for_update().filter(case=case, role=role).order_by("-pk").first()


def _role_words(role: str) -> str:
    return ROLE_LABELS[role].lower()


def _check_role(role: str) -> None:
    if role not in RESPONSIBILITY_ROLES:
        raise ServiceError(f"Unknown role {role!r}.", field="role")


def _check_open(case: Case) -> None:
    if case.status == CaseStatus.FOUND:
        raise ServiceError("The case is closed: its roles can no longer change.")


def _check_seen(current: HolderAnswer, seen: str | None) -> None:
    """Refuse when the holder changed since the person looked (a page or API passes `seen`)."""
    if seen is None or seen == current.ref:
        return
    who = current.person.display_name if current.person else "nobody"
    raise Conflict(
        f"Someone changed the {_role_words(current.role)} while you were looking: {who} "
        f"now holds it ({How(current.how).label.lower() if current.how else 'unassigned'}). "
        "Reload and check before trying again."
    )


def _requirement_for_grade(case: Case, role: str, grade: str | None, at: datetime) -> dict:
    if not grade:
        return rules.UNGRADED_REQUIREMENTS.get(role) or rules.DEFAULT_REQUIREMENTS[role]
    roles = policy_at(case.force, case.case_type, at=at).required_roles(grade)
    return {e["role"]: e for e in roles}.get(role) or rules.DEFAULT_REQUIREMENTS[role]


def _check_holder(case: Case, role: str, person, requirement: dict, at: datetime) -> None:
    """Same force, still serving, and at least the role's minimum rank (acting counts)."""
    if person.force_id != case.force_id or not person.is_active:
        raise ServiceError("That person is not a serving member of this force.", field="holder")
    if availability_at(person, at) == Availability.LEFT:
        raise ServiceError(f"{person.display_name} has left the force.", field="holder")
    rank, _acting = rank_on(person, london_date(at))
    if rules.meets(rank, person.is_detective, requirement):
        return
    minimum = requirement.get("min_rank", "constable")
    needs = Rank(minimum).label.lower() + (
        " and a detective" if requirement.get("detective") else ""
    )
    if rank is None:
        held = "of no recorded rank"
    elif RANK_LEVEL[rank] >= RANK_LEVEL[minimum]:
        held = f"a {Rank(rank).label.lower()} but not a detective"
    else:
        held = Rank(rank).label.lower()
    raise ServiceError(
        f"The {_role_words(role)} of this case must be at least {needs} (acting rank counts); "
        f"{person.display_name} is {held}.",
        field="holder",
    )


def _may_assign(actor, case: Case, holder) -> bool:
    """Sergeants and above (and administrators) assign; anyone may take a role themselves.
    The rule lives in the access module, so pages can ask it too."""
    return can_assign(actor, case, holder)


def _insert(
    *,
    case: Case,
    role: str,
    holder,
    how: str,
    at: datetime,
    head: Holding | None,
    actor=None,
    job: str = "",
    reason: str = "",
    designation=None,
) -> Holding:
    try:
        with transaction.atomic():
            return Holding.objects.create(
                case=case,
                role=role,
                holder=holder,
                starts_at=at,
                recorded_at=at,
                assigned_by=actor,
                assigned_by_job=job if actor is None else "",
                how=how,
                reason=reason,
                designation=designation,
                supersedes=head,
            )
    except IntegrityError as exc:
        raise Conflict(
            f"Someone else changed the {_role_words(role)} of {case.reference} at the same "
            "moment; yours was not recorded. Reload and check."
        ) from exc


def _designated(ledger: CaseLedger, target: str, at: datetime):
    slot = rules.slot_for_derivation(ledger.definitions, at)
    if slot is None:
        return None
    for roster_role in rules.fallback_chain(target):
        designation = ledger.designation(roster_role, slot)
        if designation is not None:
            return designation
    return None


def _holding_payload(holding: Holding, current: HolderAnswer | None = None) -> dict:
    payload = {
        "holding": holding.pk,
        "role": holding.role,
        "holder": holding.holder_id,
        "how": holding.how,
        "starts_at": holding.starts_at,
        "supersedes": holding.supersedes_id,
        "designation": holding.designation_id,
    }
    if current is not None:
        payload["from_holder"] = current.person.pk if current.person else None
        payload["from"] = current.ref
    return payload


# --- rules written at the moment they happen -------------------------------------------------


def _initial_holdings(*, case: Case, reporter) -> Holding | None:
    """The first owner when a case is reported: the reporting officer if at least a
    constable, else the designated missing person sergeant (then up the chain). Supervision
    is by roster rule from the opening (derived, not written). The caller's own audit event
    (missing.reported) names the holding, in the same transaction."""
    at = case.created_at
    rank, _ = rank_on(reporter, london_date(at))
    requirement = rules.UNGRADED_REQUIREMENTS["owner"]
    if rules.meets(rank, reporter.is_detective, requirement):
        holder, designation, actor, reason = reporter, None, reporter, "reported the case"
    else:
        ledger = CaseLedger(case, known_at=at)
        designation = _designated(ledger, "mp_sergeant", at)
        if designation is None:
            return None  # derived by roster rule from the opening, with its fallbacks
        holder, actor = designation.person, None
        reason = (
            "reported by police staff: the designated "
            f"{DesignationRole(designation.role).label.lower()} owns it"
        )
    holding = _insert(
        case=case,
        role="owner",
        holder=holder,
        how=How.INITIAL,
        at=at,
        head=None,
        actor=actor,
        job=INITIAL_JOB,
        reason=reason,
        designation=designation,
    )
    return holding


def _after_grading(*, case: Case, grading, actor) -> list[Holding]:
    """Called at the end of every grading, in its transaction: every role newly required, or
    whose holder is now below its minimum rank, is assigned by roster rule (unaccepted)."""
    at = grading.recorded_at
    ledger = CaseLedger(case, known_at=at)
    before = CaseLedger(case, known_at=at)
    before.gradings = before.gradings[:-1]  # the case as it stood just before this grading
    required_before = before.requirements(at)
    written = []
    for role, requirement in ledger.requirements(at).items():
        previous = before.resolve(role, at)
        newly_required = role not in required_before
        qualified = previous.person is not None and ledger.meets(previous.person, requirement, at)
        if qualified and not (newly_required and previous.by_rule):
            continue  # held by someone of the right rank, and not only by a rule
        target = rules.roster_target(role, requirement, ledger.roster_rule(at))
        designation = _designated(ledger, target, at)
        if designation is None:
            continue  # nobody on the roster at all: derived, and flagged as such
        minimum = Rank(requirement.get("min_rank", "constable")).label.lower()
        reason = (
            f"Graded {grading.grade} by {actor.display_name}: the {_role_words(role)} "
            + ("is newly required" if newly_required else f"must be at least {minimum}")
            + f"; the designated {DesignationRole(designation.role).label.lower()}"
        )
        holding = _insert(
            case=case,
            role=role,
            holder=designation.person,
            how=How.ESCALATION,
            at=at,
            head=_lock_head(case, role),
            job=ESCALATION_JOB,
            reason=reason,
            designation=designation,
        )
        audit_record(
            force=case.force,
            kind="responsibility.escalated",
            actor=actor,
            case=case,
            payload={**_holding_payload(holding, previous), "grading": grading.pk},
            reason=reason,
        )
        written.append(holding)
    return written


# --- services ---------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def case_assign(
    *, case: Case, role: str, holder, actor, reason: str, seen: str | None = None
) -> Holding:
    """Give `role` on `case` to `holder` from now. `seen`: the holding ref the actor saw."""
    _check_role(role)
    case = _lock_case(case)
    _check_open(case)
    if not _may_assign(actor, case, holder):
        raise NotAllowed("Only a sergeant or above can assign a role to someone else.")
    if not reason or not reason.strip():
        raise ServiceError("Say why the role is being assigned.", field="reason")
    at = now()
    ledger = CaseLedger(case, known_at=at)
    current = ledger.resolve(role, at)
    _check_seen(current, seen)
    head = _lock_head(case, role)
    if current.person == holder and not current.by_rule:
        raise ServiceError(
            f"{holder.display_name} already holds the {_role_words(role)}.", field="holder"
        )
    requirement = ledger.requirements(at).get(role) or rules.DEFAULT_REQUIREMENTS[role]
    _check_holder(case, role, holder, requirement, at)
    holding = _insert(
        case=case,
        role=role,
        holder=holder,
        how=How.ASSIGNMENT,
        at=at,
        head=head,
        actor=actor,
        reason=reason.strip(),
    )
    audit_record(
        force=case.force,
        kind="responsibility.assigned",
        actor=actor,
        case=case,
        payload=_holding_payload(holding, current),
        reason=reason.strip(),
    )
    return holding


@transaction.atomic(durable=True)
def case_handover(
    *,
    case: Case,
    role: str,
    to_holder,
    summary: str,
    risk_confirmed: bool,
    outstanding: str,
    actor,
    new_grade: str | None = None,
    rationale: str = "",
    seen: str | None = None,
) -> Handover:
    """The holder hands `role` to `to_holder` with a templated handover; the risk is
    confirmed, or changed (re-graded in this transaction, through the cases grading rules)."""
    from vigil.cases.services import _grade

    _check_role(role)
    case = _lock_case(case)
    _check_open(case)
    at = now()
    current = CaseLedger(case, known_at=at).resolve(role, at)
    _check_seen(current, seen)
    if current.person is None or current.person.pk != actor.pk:
        holder = current.person.display_name if current.person else "nobody"
        raise NotAllowed(
            f"Only the {_role_words(role)} can hand it over, and that is {holder}, not you. "
            "A sergeant or above can assign it instead."
        )
    if to_holder.pk == actor.pk:
        raise ServiceError("Hand over to someone else.", field="to_holder")
    if not summary or not summary.strip():
        raise ServiceError("Write the handover summary.", field="summary")
    if not outstanding or not outstanding.strip():
        raise ServiceError(
            "Say what is outstanding (or write that nothing is).", field="outstanding"
        )
    if risk_confirmed and new_grade:
        raise ServiceError("Either confirm the risk or change it, not both.", field="new_grade")
    if not risk_confirmed:
        if not new_grade:
            raise ServiceError("Confirm the risk or choose the new grade.", field="new_grade")
        if new_grade == case.current_grade:
            raise ServiceError(
                "That is the current grade: confirm the risk instead.", field="new_grade"
            )
        if not rationale or not rationale.strip():
            raise ServiceError("Explain the change of risk.", field="rationale")
    grade_after = new_grade or case.current_grade
    requirement = _requirement_for_grade(case, role, grade_after, at)
    _check_holder(case, role, to_holder, requirement, at)
    holding = _insert(
        case=case,
        role=role,
        holder=to_holder,
        how=How.HANDOVER,
        at=at,
        head=_lock_head(case, role),
        actor=actor,
        reason=summary.strip(),
    )
    grading = None
    if new_grade:
        # The holding comes first so the grading's own rules see the new holder.
        grading = _grade(case=case, grade=new_grade, rationale=rationale, facts=[], actor=actor)
    handover = Handover.objects.create(
        holding=holding,
        case=case,
        role=role,
        from_holder=actor,
        to_holder=to_holder,
        summary=summary.strip(),
        risk_confirmed=risk_confirmed,
        grading=grading,
        outstanding=outstanding.strip(),
        created_at=at,
    )
    audit_record(
        force=case.force,
        kind="responsibility.handed_over",
        actor=actor,
        case=case,
        payload={
            **_holding_payload(holding, current),
            "handover": handover.pk,
            "risk_confirmed": risk_confirmed,
            "grading": grading.pk if grading else None,
            "new_grade": new_grade or None,
            "outstanding": outstanding.strip(),
        },
        reason=summary.strip(),
    )
    return handover


@transaction.atomic(durable=True)
def holding_accept(*, case: Case, role: str, actor, seen: str | None = None) -> HoldingAcceptance:
    """The current holder of `role` accepts it, however it came to them."""
    _check_role(role)
    case = _lock_case(case)
    _check_open(case)
    at = now()
    current = CaseLedger(case, known_at=at).resolve(role, at)
    _check_seen(current, seen)
    if current.person is None or current.person.pk != actor.pk:
        holder = current.person.display_name if current.person else "nobody"
        raise NotAllowed(
            f"Only the holder can accept the {_role_words(role)}: that is {holder}, not you."
        )
    if current.accepted:
        raise Conflict(f"You have already accepted the {_role_words(role)} of this case.")
    if current.holding_id is not None:
        Holding.objects.select_for_update().filter(pk=current.holding_id).first()
    try:
        with transaction.atomic():
            acceptance = HoldingAcceptance.objects.create(
                case=case,
                role=role,
                holding_id=current.holding_id,
                derived_key="" if current.holding_id is not None else current.derived_key,
                person=actor,
                accepted_at=at,
                recorded_at=at,
            )
    except IntegrityError as exc:
        raise Conflict("That was accepted at the same moment; reload and check.") from exc
    audit_record(
        force=case.force,
        kind="responsibility.accepted",
        actor=actor,
        case=case,
        payload={
            "role": role,
            "acceptance": acceptance.pk,
            "holding": current.holding_id,
            "derived_key": acceptance.derived_key,
            "how": current.how,
        },
    )
    return acceptance
