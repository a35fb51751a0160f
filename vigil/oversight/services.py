"""Oversight writes. This module holds the escalation prompts and the due-review notices the
sweep sends; the Daily Management Meeting will live beside them.

The sweep's writes run one case (or one prompt, or one due review) per transaction, with the
case row locked first: a long sweep never holds the force's audit chain for long, two sweeps at
once queue per case instead of deadlocking, and the unique keys (prompt per case, rule and
occurrence; escalation per prompt and step; notice per kind, key and recipient) make sure
that whatever runs twice writes once.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from vigil.audit.services import audit_record
from vigil.cases.models import Case
from vigil.core.errors import Conflict, NotAllowed, ServiceError
from vigil.core.time import now
from vigil.notices.models import Notice, NoticeKind
from vigil.notices.selectors import Recipient, notice_recipients
from vigil.notices.services import _notify
from vigil.organisation.models import RANK_LEVEL
from vigil.oversight import selectors
from vigil.oversight.models import Prompt, PromptAnswer, PromptEscalation
from vigil.rosters.models import DesignationRole


def _instant(at: datetime | None) -> datetime:
    current = now()
    at = at or current
    if at > current:
        raise ServiceError("The sweep cannot run for a time in the future.", field="at")
    return at


def _lock_case(case_id: int) -> Case:
    """Serialise writers per case: a second sweep waits here, then sees what the first wrote."""
    return (
        Case.objects.select_for_update(of=("self",)).select_related("force", "area").get(pk=case_id)
    )


# =============================================================================================
# Escalation prompts
# =============================================================================================


def _prompt_link(prompt: Prompt) -> str:
    return reverse("oversight:prompt_answer", kwargs={"pk": prompt.pk})


def _address(case: Case, climb: list[str], level: int, at: datetime):
    """(level, recipients) for the first step from `level` up that has somebody to address."""
    for index in range(level, len(climb)):
        recipients = selectors.addressees(case, climb[index], at)
        if recipients:
            return index, recipients
    fallback = Recipient(
        person=case.created_by,
        why="nobody is designated on the roster for any step of this prompt; "
        "sent to the person who opened the case",
    )
    return len(climb) - 1, [fallback]


def _tell(*, prompt: Prompt, recipients, kind: str, step: int, system_job: str) -> list[Notice]:
    sent = []
    for recipient in recipients:
        notice = _notify(
            force=prompt.force,
            recipient=recipient.person,
            case=prompt.case,
            kind=kind,
            key=f"prompt:{prompt.pk}:step:{step}",
            title=f"Decision needed on {prompt.case.reference}: {prompt.label}",
            link=_prompt_link(prompt),
            why=recipient.why,
            system_job=system_job,
        )
        if notice is not None:
            sent.append(notice)
    return sent


def _raise(due: selectors.DuePrompt, at: datetime, system_job: str) -> Prompt | None:
    case, rule = due.case, due.rule
    climb = list(rule["climb"])
    level, recipients = _address(case, climb, 0, at)
    try:
        with transaction.atomic():
            prompt = Prompt.objects.create(
                force=case.force,
                case=case,
                rule=rule["code"],
                rule_kind=rule["rule"],
                occurrence=due.occurrence,
                key=f"{case.pk}:{rule['code']}:{due.occurrence}",
                label=rule["label"][:200],
                question=due.question,
                decisions=[{"code": d["code"], "label": d["label"]} for d in rule["decisions"]],
                climb=climb,
                climb_after_minutes=max(1, round(float(rule["climb_after_minutes"]))),
                policy_version=due.policy.version,
                raised_at=at,
                raised_by_job=system_job,
                level=level,
                level_role=climb[level],
                addressed_to=recipients[0].person,
                why_this_person=recipients[0].why,
            )
    except IntegrityError:
        return None  # raised by another sweep at the same moment
    audit_record(
        force=case.force,
        kind="oversight.prompt_raised",
        system_job=system_job,
        case=case,
        payload={
            "prompt": prompt.pk,
            "rule": prompt.rule,
            "occurrence": prompt.occurrence,
            "question": prompt.question,
            "level": prompt.level_role,
            "addressed_to": prompt.addressed_to_id,
            "why": prompt.why_this_person,
            "policy_version": due.policy.version.version,
        },
    )
    _tell(
        prompt=prompt,
        recipients=recipients,
        kind=NoticeKind.PROMPT_RAISED,
        step=0,
        system_job=system_job,
    )
    return prompt


@transaction.atomic(durable=True)
def prompts_raise_for_case(*, case, at: datetime | None = None, system_job: str = "sweep"):
    """Raise every prompt the policy asks for on one case now. Idempotent."""
    at = _instant(at)
    case = _lock_case(case.pk)
    raised = []
    for due in selectors.prompts_due([case], at):
        prompt = _raise(due, at, system_job)
        if prompt is not None:
            raised.append(prompt)
    return raised


def prompts_raise(*, at: datetime | None = None, system_job: str = "sweep") -> list[Prompt]:
    """Raise the prompts every open case needs now: one transaction per case that needs one.

    Idempotent: a prompt is unique per case, rule and occurrence, so running it again (or two
    sweeps at once) raises nothing new.
    """
    at = _instant(at)
    cases = selectors.prompt_candidate_cases(at)
    raised: list[Prompt] = []
    for due_case in {d.case.pk: d.case for d in selectors.prompts_due(cases, at)}.values():
        raised += prompts_raise_for_case(case=due_case, at=at, system_job=system_job)
    return raised


@dataclass
class Climbed:
    prompt: Prompt
    escalation: PromptEscalation
    notices: list[Notice] = field(default_factory=list)


@transaction.atomic(durable=True)
def prompt_climb(*, prompt, at: datetime | None = None, system_job: str = "sweep"):
    """Pass one unanswered prompt on if it is due to: up a step when its step's time is up,
    or to whoever the recipient rule names when the person it is with has gone off duty.
    Returns a `Climbed`, or None when nothing was due."""
    at = _instant(at)
    _lock_case(prompt.case_id)
    state = selectors.prompt_state(prompt)
    if state.answered:
        return None
    prompt = state.prompt
    climb = list(prompt.climb)
    step = len(state.escalations) + 1
    if state.climbs_at is not None and at >= state.climbs_at:
        level, recipients = _address(prompt.case, climb, state.level + 1, at)
        reason = PromptEscalation.Reason.CLIMBED
        kind = NoticeKind.PROMPT_CLIMBED
    else:
        from vigil.notices.selectors import reachable

        if reachable(state.addressed_to, at):
            return None
        level, recipients = _address(prompt.case, climb, state.level, at)
        if level != state.level or recipients[0].person == state.addressed_to:
            return None  # nobody better on duty at this step: the timer will climb it
        reason = PromptEscalation.Reason.OFF_DUTY
        kind = NoticeKind.PROMPT_READDRESSED
    try:
        with transaction.atomic():
            escalation = PromptEscalation.objects.create(
                prompt=prompt,
                step=step,
                reason=reason,
                level=level,
                level_role=climb[level],
                addressed_to=recipients[0].person,
                addressed_at=at,
                why_this_person=recipients[0].why,
                by_job=system_job,
            )
    except IntegrityError:
        return None  # another sweep passed it on at the same moment
    audit_record(
        force=prompt.force,
        kind="oversight.prompt_climbed"
        if reason == PromptEscalation.Reason.CLIMBED
        else "oversight.prompt_readdressed",
        system_job=system_job,
        case=prompt.case,
        payload={
            "prompt": prompt.pk,
            "rule": prompt.rule,
            "step": step,
            "from_level": state.level_role,
            "from": state.addressed_to.pk,
            "level": escalation.level_role,
            "addressed_to": escalation.addressed_to_id,
            "why": escalation.why_this_person,
        },
    )
    notices = _tell(
        prompt=prompt, recipients=recipients, kind=kind, step=step, system_job=system_job
    )
    return Climbed(prompt=prompt, escalation=escalation, notices=notices)


def prompts_climb(*, at: datetime | None = None, system_job: str = "sweep") -> list[Climbed]:
    """Pass on every unanswered prompt that is due to move (one transaction each)."""
    at = _instant(at)
    moved = []
    for state in selectors.unanswered_prompts(at):
        result = prompt_climb(prompt=state.prompt, at=at, system_job=system_job)
        if result is not None:
            moved.append(result)
    return moved


@transaction.atomic(durable=True)
def prompt_answer(*, prompt, actor, decision: str, rationale: str) -> PromptAnswer:
    """Answer a prompt with one of its decisions and the reasons. Stops its climb."""
    at = now()
    _lock_case(prompt.case_id)
    state = selectors.prompt_state(prompt)
    prompt = state.prompt
    if not Case.objects.visible_to(actor).filter(pk=prompt.case_id).exists():
        raise NotAllowed("You cannot see this case.")
    if state.answered:
        raise Conflict("This prompt has already been answered.")
    if not selectors.may_answer(actor, state, at):
        minimum = selectors.LEVEL_MIN_RANK.get(state.level_role, "superintendent")
        raise NotAllowed(
            f"This prompt is with the {state.level_label.lower()}: only they, or someone of at "
            f"least the rank of {minimum}, can answer it."
        )
    labels = {d["code"]: d["label"] for d in prompt.decisions}
    if decision not in labels:
        raise ServiceError("Choose one of the decisions.", field="decision")
    rationale = (rationale or "").strip()
    if not rationale:
        raise ServiceError("Give your reasons for the decision.", field="rationale")
    try:
        with transaction.atomic():
            answer = PromptAnswer.objects.create(
                prompt=prompt,
                decision=decision,
                decision_label=labels[decision],
                rationale=rationale,
                answered_by=actor,
                answered_at=at,
                addressed_to=state.addressed_to,
            )
    except IntegrityError as exc:
        raise Conflict("Someone answered this prompt at the same moment; reload.") from exc
    audit_record(
        force=prompt.force,
        kind="oversight.prompt_answered",
        actor=actor,
        case=prompt.case,
        payload={
            "prompt": prompt.pk,
            "rule": prompt.rule,
            "decision": decision,
            "decision_label": labels[decision],
            "addressed_to": state.addressed_to.pk,
            "on_behalf": actor.pk != state.addressed_to.pk,
            "level": state.level_role,
        },
        reason=rationale,
    )
    return answer


# =============================================================================================
# Due review notices (the sweep tells the accountable reviewer, by the recipient rule)
# =============================================================================================


def _review_designation_role(due) -> str:
    if due.designation_id is not None:
        return due.designation.role
    minimum = due.min_rank or "sergeant"
    if RANK_LEVEL.get(minimum, 0) >= RANK_LEVEL["inspector"]:
        return DesignationRole.DUTY_INSPECTOR
    return DesignationRole.MISSING_PERSON_SERGEANT


def _due_reviews_to_tell(at: datetime):
    """Due reviews open now and not done: (due review, "opened" or "overdue")."""
    from vigil.reviews.models import DueReview, Review

    done = Review.objects.filter(due=OuterRef("pk"), counts=True)
    rows = (
        DueReview.objects.filter(opens_at__lte=at, closes_at__gt=at)
        .filter(~Exists(done))
        .select_related("case", "case__force", "case__area", "reviewer", "designation")
        .order_by("opens_at", "pk")
    )
    for due in rows:
        if due.case.status not in selectors.OPEN_STATUSES:
            continue
        yield due, ("overdue" if at >= due.late_after else "opened")


@transaction.atomic(durable=True)
def due_review_notify(*, due, stage: str, at: datetime | None = None, system_job: str = "sweep"):
    """Tell whoever should do one due review, now, that it is open or overdue. Idempotent."""
    at = _instant(at)
    case = _lock_case(due.case_id)
    kind = {"opened": NoticeKind.DUE_REVIEW_OPENED, "overdue": NoticeKind.DUE_REVIEW_OVERDUE}[stage]
    if Notice.objects.filter(kind=kind, key=f"due_review:{due.pk}:{stage}").exists():
        return []  # already told (perhaps someone else, who was on duty then)
    recipients = notice_recipients(
        case=case,
        designation_role=_review_designation_role(due),
        accountable=due.reviewer,
        accountable_as=f"accountable reviewer ({due.kind_label.lower()})",
        at=at,
    )
    words = "due" if stage == "opened" else "overdue"
    sent = []
    for recipient in recipients:
        notice = _notify(
            force=case.force,
            recipient=recipient.person,
            case=case,
            kind=kind,
            key=f"due_review:{due.pk}:{stage}",
            title=f"{due.kind_label} {words}: {case.reference}",
            link=reverse("web:case", kwargs={"reference": case.reference}),
            why=recipient.why,
            system_job=system_job,
        )
        if notice is not None:
            sent.append(notice)
    return sent


def due_review_notices_send(*, at: datetime | None = None, system_job: str = "sweep"):
    """Notices for due reviews newly open or now overdue. Needs vigil.reviews."""
    at = _instant(at)
    if not selectors.reviews_ready():
        return []
    sent: list[Notice] = []
    for due, stage in list(_due_reviews_to_tell(at)):
        key = f"due_review:{due.pk}:{stage}"
        kind = NoticeKind.DUE_REVIEW_OPENED if stage == "opened" else NoticeKind.DUE_REVIEW_OVERDUE
        if Notice.objects.filter(kind=kind, key=key).exists():
            continue
        sent += due_review_notify(due=due, stage=stage, at=at, system_job=system_job)
    return sent
