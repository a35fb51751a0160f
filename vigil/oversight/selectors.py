"""Oversight reads. This module holds the escalation prompts' reads and checks; the Daily
Management Meeting board will live beside them.

Prompts are derived, then fixed: `prompts_due` works out, from policy, grading history, the
episode and the reviews, which prompts a case needs now; the service writes each one once
(unique per case, rule and occurrence). The occurrence is what started the rule's clock, so
asking twice gives the same answer and the same key.
"""

import importlib.util
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.db.models import Exists, OuterRef, Prefetch, Q

from vigil.cases.models import Case, CaseStatus, Grading
from vigil.core import hooks
from vigil.core.errors import ServiceError
from vigil.core.time import london, london_date, now
from vigil.notices.selectors import Recipient, notice_recipients
from vigil.organisation.models import RANK_LEVEL
from vigil.organisation.selectors import rank_on
from vigil.oversight.models import Prompt, PromptAnswer, PromptEscalation, PromptLevel
from vigil.policy.document import Policy
from vigil.policy.selectors import policy_at
from vigil.rosters.models import DesignationRole

# =============================================================================================
# Escalation prompts
# =============================================================================================

OPEN_STATUSES = (CaseStatus.REPORTED, CaseStatus.OPEN)

# The minimum rank that may answer a prompt at each step without it being addressed to them.
LEVEL_MIN_RANK = {
    PromptLevel.SUPERVISOR: "sergeant",
    PromptLevel.DUTY_INSPECTOR: "inspector",
    PromptLevel.ON_CALL_SUPERINTENDENT: "superintendent",
}


# --- reviews, read through vigil.reviews once it is installed ---------------------------------


def reviews_ready() -> bool:
    """True when the reviews app (due reviews, reviews, their selectors) is in the tree."""
    return apps.is_installed("vigil.reviews") and (
        importlib.util.find_spec("vigil.reviews.selectors") is not None
    )


@dataclass
class ReviewFacts:
    """What the prompt rules need to know about a case's reviews."""

    reviews: list[tuple[datetime, int, str]] = field(default_factory=list)  # (at, reviewer, kind)
    # kind -> (consecutive missed, the latest missed due review's id)
    missed_streaks: dict[str, tuple[int, int | None]] = field(default_factory=dict)


def review_facts(case_ids: list[int], at: datetime) -> dict[int, ReviewFacts] | None:
    """Reviews and missed-review streaks per case, or None while vigil.reviews is not there."""
    if not reviews_ready():
        return None
    from vigil.reviews.models import DueReview, Review
    from vigil.reviews.selectors import review_summary_for_cases

    facts: dict[int, ReviewFacts] = {pk: ReviewFacts() for pk in case_ids}
    for case_id, recorded_at, reviewer_id, kind in Review.objects.filter(
        case_id__in=case_ids, recorded_at__lte=at
    ).values_list("case_id", "recorded_at", "reviewer_id", "kind"):
        facts[case_id].reviews.append((recorded_at, reviewer_id, kind))
    cases = list(Case.objects.filter(pk__in=case_ids))
    summaries = review_summary_for_cases(cases, at=at)
    wanted = []
    for case_id, summary in summaries.items():
        for kind, missed in _missed_counts(summary).items():
            if missed:
                wanted.append((case_id, kind))
            facts.setdefault(case_id, ReviewFacts()).missed_streaks[kind] = (missed, None)
    if wanted:
        latest = {}
        rows = (
            DueReview.objects.filter(case_id__in={c for c, _ in wanted}, closes_at__lte=at)
            .order_by("case_id", "kind", "window_start", "pk")
            .values_list("case_id", "kind", "pk")
        )
        for case_id, kind, pk in rows:
            latest[(case_id, kind)] = pk
        for case_id, kind in wanted:
            missed, _ = facts[case_id].missed_streaks[kind]
            facts[case_id].missed_streaks[kind] = (missed, latest.get((case_id, kind)))
    return facts


def _missed_counts(summary) -> dict[str, int]:
    """kind -> the latest run of consecutive missed due reviews (vigil.reviews.selectors)."""
    return {kind: int(count or 0) for kind, count in summary.missed_in_a_row.items()}


# --- which prompts a case needs now -----------------------------------------------------------


@dataclass(frozen=True)
class DuePrompt:
    case: Case
    rule: dict  # the policy entry
    policy: Policy
    occurrence: str
    question: str


@dataclass
class CaseFacts:
    case: Case
    gradings: list[tuple[datetime, str]]
    last_seen_at: datetime | None
    answered: dict[str, datetime]  # rule code -> latest answer
    unanswered_rules: set[str]
    reviews: ReviewFacts | None
    proof_of_life_at: datetime | None = None  # last verified (vigil.core.hooks.PROOF_OF_LIFE)
    # What other apps' prompt checks prefetched: rule kind -> that case's data.
    extra: dict = field(default_factory=dict)


def prompt_rules(policy: Policy) -> list[dict]:
    return list(policy.document.get("prompts", []))


def last_proof_of_life(facts: CaseFacts) -> datetime | None:
    """The last verified proof of life; until one is recorded, when the person was last seen."""
    found = [t for t in (facts.last_seen_at, facts.proof_of_life_at) if t is not None]
    return max(found, default=None)


def _grade_at(gradings, at: datetime) -> str | None:
    grade = None
    for assessed_at, code in gradings:
        if assessed_at <= at:
            grade = code
    return grade


def _run_start(gradings, at: datetime, grades: set[str]) -> datetime | None:
    """When the case's current unbroken run of grades in `grades` began (None if not in one)."""
    start = None
    for assessed_at, code in gradings:
        if assessed_at > at:
            break
        start = (start or assessed_at) if code in grades else None
    return start


def _hours_words(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} hours"


def _check_grade_without_review(facts: CaseFacts, rule: dict, policy: Policy, at: datetime):
    if facts.reviews is None:
        return None  # needs vigil.reviews: checked again once it is installed
    grades = set(rule.get("grades") or [])
    start = _run_start(facts.gradings, at, grades)
    if start is None:
        return None
    minimum = rule.get("review_min_rank", "inspector")
    reviewed = [
        recorded_at
        for recorded_at, reviewer_id, kind in facts.reviews.reviews
        if recorded_at >= start
        and (kind in rule.get("review_kinds", []) or _rank_meets(reviewer_id, minimum, recorded_at))
    ]
    clock = max([start, *reviewed, *_answers_after(facts, rule, start)])
    if at - clock < timedelta(hours=float(rule["hours"])):
        return None
    grade = policy.grade_label(_grade_at(facts.gradings, at) or "")
    if clock == start:
        since = "since it was graded"
    elif clock in reviewed:
        since = "since the last inspector review"
    else:
        since = "since this was last answered"
    question = (
        f"{grade} for {_hours_words(at - start)} (since {london(start):%H:%M %d %b %Y}) "
        f"with no inspector review for {_hours_words(at - clock)} {since}. "
        "Confirm the grade or change it, with your reasons."
    )
    return f"since:{clock.isoformat()}", question


def _check_no_proof_of_life(facts: CaseFacts, rule: dict, policy: Policy, at: datetime):
    grades = set(rule.get("grades") or [])
    if grades and _grade_at(facts.gradings, at) not in grades:
        return None
    anchor = last_proof_of_life(facts)
    if anchor is None:
        return None
    clock = max([anchor, *_answers_after(facts, rule, anchor)])
    if at - clock < timedelta(days=float(rule["days"])):
        return None
    question = (
        f"No verified proof of life for {_hours_words(at - anchor)} "
        f"(since {london(anchor):%H:%M %d %b %Y}, measured from when last seen). "
        "Consider re-grading to high risk, declaring a critical incident and a homicide "
        "hypothesis. Record your decision and why."
    )
    if clock != anchor:
        question = (
            f"Still no verified proof of life, {_hours_words(at - anchor)} after last seen "
            f"({london(anchor):%H:%M %d %b %Y}), and {_hours_words(at - clock)} since this was "
            "last answered. Consider re-grading to high risk, declaring a critical incident and "
            "a homicide hypothesis. Record your decision and why."
        )
    return f"since:{clock.isoformat()}", question


def _check_consecutive_missed(facts: CaseFacts, rule: dict, policy: Policy, at: datetime):
    if facts.reviews is None:
        return None  # needs vigil.reviews: checked again once it is installed
    wanted = int(rule["missed"])
    for kind, (missed, last_due) in sorted(facts.reviews.missed_streaks.items()):
        if missed >= wanted and last_due is not None:
            question = (
                f"{missed} {kind.replace('_', ' ')} reviews in a row have been missed. "
                "Decide how the case will be reviewed from now on, and why."
            )
            return f"{kind}:due:{last_due}", question
    return None


CHECKS = {
    "grade_without_review": _check_grade_without_review,
    "no_proof_of_life": _check_no_proof_of_life,
    "consecutive_missed_reviews": _check_consecutive_missed,
}


def _answers_after(facts: CaseFacts, rule: dict, start: datetime) -> list[datetime]:
    answered = facts.answered.get(rule["code"])
    return [answered] if answered is not None and answered >= start else []


def _rank_meets(user_id: int, minimum: str, at: datetime) -> bool:
    from vigil.organisation.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    rank, _ = rank_on(user, london_date(at))
    return rank is not None and RANK_LEVEL[rank] >= RANK_LEVEL[minimum]


def prompt_candidate_cases(at: datetime | None = None, *, force=None) -> list[Case]:
    """Open cases (reported or open, not found) created by `at`."""
    at = at or now()
    qs = Case.objects.filter(status__in=OPEN_STATUSES, created_at__lte=at)
    if force is not None:
        qs = qs.filter(force=force)
    return list(qs.select_related("force", "area").order_by("pk"))


def case_facts(cases: list[Case], at: datetime) -> dict[int, CaseFacts]:
    """Everything the prompt checks read, for many cases in a few queries."""
    from vigil.missing.models import MissingEpisode

    ids = [c.pk for c in cases]
    gradings = defaultdict(list)
    for case_id, assessed_at, grade in (
        Grading.objects.filter(case_id__in=ids, recorded_at__lte=at)
        .order_by("case_id", "assessed_at", "sequence")
        .values_list("case_id", "assessed_at", "grade")
    ):
        gradings[case_id].append((assessed_at, grade))
    last_seen = dict(
        MissingEpisode.objects.filter(case_id__in=ids).values_list("case_id", "last_seen_at")
    )
    answered: dict[int, dict[str, datetime]] = defaultdict(dict)
    for case_id, rule, answered_at in PromptAnswer.objects.filter(
        prompt__case_id__in=ids, answered_at__lte=at
    ).values_list("prompt__case_id", "prompt__rule", "answered_at"):
        previous = answered[case_id].get(rule)
        if previous is None or answered_at > previous:
            answered[case_id][rule] = answered_at
    unanswered: dict[int, set[str]] = defaultdict(set)
    for case_id, rule in Prompt.objects.filter(case_id__in=ids, answer__isnull=True).values_list(
        "case_id", "rule"
    ):
        unanswered[case_id].add(rule)
    reviews = review_facts(ids, at)
    verified = hooks.proof_of_life(ids, at=at)
    extra: dict[int, dict] = defaultdict(dict)
    for kind, (prefetch, _) in hooks.prompt_checks().items():
        for case_id, data in (prefetch(ids, at) or {}).items():
            extra[case_id][kind] = data
    return {
        case.pk: CaseFacts(
            case=case,
            gradings=gradings.get(case.pk, []),
            last_seen_at=last_seen.get(case.pk),
            answered=answered.get(case.pk, {}),
            unanswered_rules=unanswered.get(case.pk, set()),
            reviews=reviews.get(case.pk, ReviewFacts()) if reviews is not None else None,
            proof_of_life_at=verified.get(case.pk),
            extra=extra.get(case.pk, {}),
        )
        for case in cases
    }


def prompts_due(cases: list[Case], at: datetime | None = None) -> list[DuePrompt]:
    """Prompts the policy in force at `at` asks for on these cases and that are not raised yet.

    A rule with an unanswered prompt on a case raises nothing new there: the open one climbs.
    """
    at = at or now()
    facts = case_facts(cases, at)
    policies: dict = {}
    existing = set(
        Prompt.objects.filter(case__in=cases).values_list("case_id", "rule", "occurrence")
    )
    plugged = hooks.prompt_checks()
    due = []
    for case in cases:
        key = (case.force_id, case.case_type)
        if key not in policies:
            try:
                policies[key] = policy_at(case.force, case.case_type, at=at)
            except ServiceError:
                policies[key] = None
        policy = policies[key]
        if policy is None:
            continue
        for rule in prompt_rules(policy):
            if rule["code"] in facts[case.pk].unanswered_rules:
                continue
            kind = rule.get("rule")
            check = CHECKS.get(kind)
            if check is not None:
                found = check(facts[case.pk], rule, policy, at)
            elif kind in plugged:
                data = facts[case.pk].extra.get(kind)
                found = plugged[kind][1](facts[case.pk], data, rule, policy, at)
            else:
                found = None
            if found is None:
                continue
            occurrence, question = found
            if (case.pk, rule["code"], occurrence) in existing:
                continue
            due.append(DuePrompt(case, rule, policy, occurrence, question))
    return due


# --- who a prompt is addressed to -------------------------------------------------------------


def addressees(case: Case, level_role: str, at: datetime) -> list[Recipient]:
    """Who answers a prompt at this step now, by the recipient rule (vigil.notices)."""
    if level_role == PromptLevel.SUPERVISOR:
        from vigil.responsibility.rules import roster_target
        from vigil.responsibility.selectors import holder_at

        answer = holder_at(case, "supervisor", at)
        try:
            roster_rule = policy_at(case.force, case.case_type, at=at).document.get("roster_rule")
        except ServiceError:
            roster_rule = None
        target = roster_target("supervisor", answer.requirement, roster_rule)
        return notice_recipients(
            case=case,
            designation_role=target,
            accountable=answer.person,
            accountable_as=f"supervisor of {case.reference}",
            at=at,
        )
    role = {
        PromptLevel.DUTY_INSPECTOR: DesignationRole.DUTY_INSPECTOR,
        PromptLevel.ON_CALL_SUPERINTENDENT: DesignationRole.ON_CALL_SUPERINTENDENT,
    }[level_role]
    return notice_recipients(case=case, designation_role=role, at=at)


# --- the state of a prompt --------------------------------------------------------------------


@dataclass
class PromptState:
    prompt: Prompt
    level: int
    level_role: str
    addressed_to: object
    addressed_at: datetime
    level_since: datetime  # when the prompt reached its current step
    why_this_person: str
    escalations: list[PromptEscalation]
    answer: PromptAnswer | None

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def level_label(self) -> str:
        return PromptLevel(self.level_role).label

    @property
    def climbs_at(self) -> datetime | None:
        if self.answered or self.level >= len(self.prompt.climb) - 1:
            return None
        return self.level_since + timedelta(minutes=self.prompt.climb_after_minutes)

    @property
    def decision_label(self) -> str:
        return self.answer.decision_label if self.answer else ""


def _state(prompt: Prompt) -> PromptState:
    escalations = sorted(prompt.escalations.all(), key=lambda e: e.step)
    answer = getattr(prompt, "answer", None) if _has_answer(prompt) else None
    level, role, person, at, why = (
        prompt.level,
        prompt.level_role,
        prompt.addressed_to,
        prompt.raised_at,
        prompt.why_this_person,
    )
    level_since = prompt.raised_at
    for escalation in escalations:
        if escalation.level != level:
            level_since = escalation.addressed_at
        level, role, person, at, why = (
            escalation.level,
            escalation.level_role,
            escalation.addressed_to,
            escalation.addressed_at,
            escalation.why_this_person,
        )
    return PromptState(prompt, level, role, person, at, level_since, why, escalations, answer)


def _has_answer(prompt: Prompt) -> bool:
    try:
        return prompt.answer is not None
    except PromptAnswer.DoesNotExist:
        return False


def _prompts():
    return Prompt.objects.select_related(
        "case", "case__area", "case__force", "addressed_to", "policy_version"
    ).prefetch_related(
        Prefetch("escalations", queryset=PromptEscalation.objects.select_related("addressed_to")),
        Prefetch("answer", queryset=PromptAnswer.objects.select_related("answered_by")),
    )


def prompt_state(prompt: Prompt) -> PromptState:
    return _state(_prompts().get(pk=prompt.pk))


def case_prompts(case: Case) -> list[PromptState]:
    """Every prompt on the case, newest first, each with who has it now and any answer."""
    return [_state(p) for p in _prompts().filter(case=case).order_by("-raised_at", "-pk")]


def unanswered_prompts(at: datetime | None = None, *, force=None) -> list[PromptState]:
    qs = _prompts().filter(answer__isnull=True)
    if at is not None:
        qs = qs.filter(raised_at__lte=at)
    if force is not None:
        qs = qs.filter(force=force)
    return [_state(p) for p in qs.order_by("raised_at", "pk")]


def prompts_addressed_to(user, *, unanswered_only: bool = True) -> list[PromptState]:
    """Prompts now with `user` (the latest step addressed to them)."""
    escalated = PromptEscalation.objects.filter(addressed_to=user).values("prompt_id")
    qs = _prompts().filter(Q(addressed_to=user) | Q(pk__in=escalated))
    if unanswered_only:
        qs = qs.filter(answer__isnull=True)
    states = [_state(p) for p in qs.order_by("raised_at", "pk")]
    return [s for s in states if s.addressed_to == user]


def prompt_visible_to(user, pk: int) -> Prompt | None:
    """A prompt on a case `user` may see (anything else reads as not there)."""
    visible = Case.objects.visible_to(user).filter(pk=OuterRef("case_id"))
    return _prompts().filter(pk=pk).filter(Exists(visible)).first()


def may_answer(user, state: PromptState, at: datetime | None = None) -> bool:
    """The person it is addressed to now, or anyone of at least the rank its step needs."""
    if state.answered or user.force_id != state.prompt.force_id:
        return False
    if state.addressed_to == user:
        return True
    at = at or now()
    rank, _ = rank_on(user, london_date(at))
    minimum = LEVEL_MIN_RANK.get(state.level_role, "superintendent")
    return rank is not None and RANK_LEVEL[rank] >= RANK_LEVEL[minimum]


def closure_blockers(case: Case, *, at: datetime):
    """Closure hook (vigil.core.hooks): an unanswered prompt must be answered first."""
    from vigil.core.hooks import Blocker

    open_prompts = Prompt.objects.filter(case=case, answer__isnull=True, raised_at__lte=at)
    return [
        Blocker(
            code="unanswered_prompt",
            message=f"Answer the prompt “{prompt.label}” first.",
            link=f"/prompts/{prompt.pk}/answer/",
        )
        for prompt in open_prompts.order_by("raised_at", "pk")
    ]
