"""Opening, grading, endorsing and finding cases. Generic across case types."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max

from vigil.access.cases import can_endorse_grading, can_grade, can_grant_access
from vigil.audit.services import audit_record
from vigil.cases.models import (
    Case,
    CaseStatus,
    CaseStatusChange,
    Grading,
    GradingEndorsement,
    GradingFact,
    ReferenceCounter,
    RestrictedAccessGrant,
)
from vigil.core.errors import Conflict, NotAllowed, ServiceError
from vigil.core.time import london_date, now, require_aware
from vigil.policy.selectors import policy_at

REFERENCE_PREFIX = {"missing_person": "MP", "investigation": "INV"}


@dataclass(frozen=True)
class FactInput:
    """One answer to a risk question: what, who supplied it, when it was obtained."""

    question_code: str
    answer: str
    source: str
    obtained_at: datetime


def _next_reference(force, case_type: str) -> str:
    prefix = REFERENCE_PREFIX.get(case_type, "CASE")
    year = london_date(now()).year
    counter, _ = ReferenceCounter.objects.get_or_create(force=force, prefix=prefix, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:05d}"


def _status_change(case: Case, to_status: str, actor, note: str = "") -> None:
    CaseStatusChange.objects.create(
        case=case, from_status=case.status, to_status=to_status, at=now(), by=actor, note=note
    )
    case.status = to_status
    case.save(update_fields=["status", "current_grade"])


def _case_open(*, force, area, case_type: str, actor, restricted: bool = False) -> Case:
    if area.force_id != force.pk:
        raise ServiceError("That area belongs to another force.", field="area")
    policy_at(force, case_type)  # refuses a case type the force has no policy for
    case = Case.objects.create(
        force=force,
        area=area,
        case_type=case_type,
        reference=_next_reference(force, case_type),
        status=CaseStatus.REPORTED,
        restricted=restricted,
        created_at=now(),
        created_by=actor,
    )
    CaseStatusChange.objects.create(
        case=case, from_status="", to_status=CaseStatus.REPORTED, at=case.created_at, by=actor
    )
    audit_record(
        force=force,
        kind="case.opened",
        actor=actor,
        case=case,
        payload={
            "reference": case.reference,
            "case_type": case_type,
            "area": area.code,
            "restricted": restricted,
        },
    )
    return case


def _grade(*, case: Case, grade: str, rationale: str, facts: list[FactInput], actor) -> Grading:
    """Record a grading: every fact with its source and time; opens a reported case."""
    if not can_grade(actor, case):
        raise NotAllowed("You cannot grade this case.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.FOUND:
        raise ServiceError("The person has been found; the case can no longer be re-graded.")
    policy = policy_at(case.force, case.case_type)
    if grade not in policy.grade_codes:
        choices = ", ".join(g["label"] for g in policy.grades)
        raise ServiceError(f"Choose a grade: {choices}.", field="grade")
    if not rationale or not rationale.strip():
        raise ServiceError("Explain the grading: the rationale is required.", field="rationale")
    questions = {q["code"]: q["text"] for q in policy.questions}
    recorded_at = now()
    checked = []
    for index, fact in enumerate(facts):
        if fact.question_code not in questions:
            raise ServiceError(
                f"Unknown risk question {fact.question_code!r}.",
                field=f"facts.{index}.question_code",
            )
        if not fact.answer.strip():
            continue  # an unanswered question is simply not a fact relied on
        if not fact.source.strip():
            raise ServiceError(
                f"Say who supplied the answer to: {questions[fact.question_code]}",
                field=f"facts.{index}.source",
            )
        obtained_at = require_aware(fact.obtained_at, f"facts.{index}.obtained_at")
        if obtained_at > recorded_at:
            raise ServiceError(
                "A fact cannot have been obtained in the future.",
                field=f"facts.{index}.obtained_at",
            )
        checked.append((fact, obtained_at))
    previous = case.current_grade
    sequence = (case.gradings.aggregate(m=Max("sequence"))["m"] or 0) + 1
    grading = Grading.objects.create(
        case=case,
        sequence=sequence,
        grade=grade,
        rationale=rationale.strip(),
        assessed_by=actor,
        assessed_at=recorded_at,
        recorded_at=recorded_at,
        policy_version=policy.version,
    )
    GradingFact.objects.bulk_create(
        GradingFact(
            grading=grading,
            question_code=fact.question_code,
            question_text=questions[fact.question_code],
            answer=fact.answer.strip(),
            source=fact.source.strip(),
            obtained_at=obtained_at,
        )
        for fact, obtained_at in checked
    )
    case.current_grade = grade
    if case.status == CaseStatus.REPORTED:
        _status_change(case, CaseStatus.OPEN, actor, note="graded")
    else:
        case.save(update_fields=["current_grade"])
    audit_record(
        force=case.force,
        kind="case.graded" if not previous else "case.regraded",
        actor=actor,
        case=case,
        payload={
            "grading": grading.pk,
            "sequence": sequence,
            "from": previous,
            "to": grade,
            "policy_version": policy.version.version,
            "facts": len(checked),
        },
        reason=grading.rationale,
    )
    from vigil.responsibility.services import _after_grading  # roles the new grade requires

    _after_grading(case=case, grading=grading, actor=actor)
    from vigil.core import hooks  # mandatory actions for the grade, etc.

    hooks.case_graded(
        case=case, grading=grading, previous_grade=previous, actor=actor, at=recorded_at
    )
    return grading


@transaction.atomic(durable=True)
def case_grade(
    *, case: Case, grade: str, rationale: str, facts: list[FactInput] = (), actor
) -> Grading:
    return _grade(case=case, grade=grade, rationale=rationale, facts=list(facts), actor=actor)


@transaction.atomic(durable=True)
def grading_endorse(*, grading: Grading, actor, comment: str = "") -> GradingEndorsement:
    grading = (
        Grading.objects.select_for_update().select_related("case", "case__force").get(pk=grading.pk)
    )
    if not can_endorse_grading(actor, grading.case):
        raise NotAllowed("Only a sergeant or above can endorse a grading.")
    if grading.assessed_by_id == actor.pk:
        raise ServiceError("A grading must be endorsed by someone other than its assessor.")
    latest = grading.case.gradings.order_by("-sequence").first()
    if latest.pk != grading.pk:
        raise Conflict("A newer grading has been recorded; endorse that one.")
    if grading.endorsements.filter(endorsed_by=actor).exists():
        raise Conflict("You have already endorsed this grading.")
    endorsement = GradingEndorsement.objects.create(
        grading=grading, endorsed_by=actor, endorsed_at=now(), comment=comment.strip()
    )
    audit_record(
        force=grading.case.force,
        kind="case.grading_endorsed",
        actor=actor,
        case=grading.case,
        payload={"grading": grading.pk, "grade": grading.grade},
        reason=comment.strip(),
    )
    return endorsement


@transaction.atomic(durable=True)
def case_record_found(*, case: Case, actor, found_at: datetime, note: str = "") -> Case:
    found_at = require_aware(found_at, "found_at")
    if found_at > now():
        raise ServiceError("The time found cannot be in the future.", field="found_at")
    case = Case.objects.select_for_update().select_related("force").get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ServiceError("Only an open case can be marked found.")
    _status_change(case, CaseStatus.FOUND, actor, note=note)
    audit_record(
        force=case.force,
        kind="case.found",
        actor=actor,
        case=case,
        payload={"found_at": found_at},
        reason=note,
    )
    return case


@transaction.atomic(durable=True)
def case_grant_access(*, case: Case, user, actor, reason: str) -> RestrictedAccessGrant:
    if not can_grant_access(actor, case):
        raise NotAllowed("Only an inspector or an administrator can grant access.")
    if not reason.strip():
        raise ServiceError("Say why this person needs access.", field="reason")
    if user.force_id != case.force_id:
        raise ServiceError("That person is in another force.", field="user")
    grant = RestrictedAccessGrant.objects.create(
        case=case, user=user, granted_by=actor, granted_at=now(), reason=reason.strip()
    )
    audit_record(
        force=case.force,
        kind="case.access_granted",
        actor=actor,
        case=case,
        payload={"user": user.pk},
        reason=reason.strip(),
    )
    return grant
