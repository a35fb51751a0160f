"""Writing due reviews when their windows open, and recording reviews."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from vigil.access.cases import can_grade
from vigil.audit.services import audit_record
from vigil.cases.models import Case, CaseStatus, CaseStatusChange
from vigil.cases.services import FactInput, _grade
from vigil.core.errors import NotAllowed, ServiceError
from vigil.core.time import london, london_date, now, require_aware
from vigil.organisation.selectors import rank_meets
from vigil.policy.selectors import policy_at
from vigil.reviews.models import DueReview, Review
from vigil.reviews.windows import DesignationBook, derive, designation_pairs, load_facts, resolve

# A found case's windows opened before it was found are still written by a sweep that runs
# within this long of the finding (catching up after an outage).
FOUND_CATCH_UP = timedelta(days=28)


def _last_written(case_ids) -> dict[int, dict[str, datetime]]:
    last: dict[int, dict[str, datetime]] = defaultdict(dict)
    for row in (
        DueReview.objects.filter(case_id__in=case_ids)
        .values("case_id", "kind")
        .annotate(last=Max("window_start"))
    ):
        last[row["case_id"]][row["kind"]] = row["last"]
    return last


def _fix_cases(cases, *, at: datetime, job: str) -> list[DueReview]:
    """Write every due review whose window opened by `at` and is not written yet.

    Each row is decided from the policy, roster and ledger as known when its window opened,
    so writing it late (catching up) gives the same row as writing it on time. A row another
    transaction wrote first is skipped (the unique constraint decides), so two sweeps never
    duplicate one. Runs inside the caller's transaction.
    """
    cases = list(cases)
    if not cases:
        return []
    facts = load_facts(cases, known_at=at)
    last = _last_written([c.pk for c in cases])
    windows = [w for c in cases for w in derive(facts[c.pk], at, last.get(c.pk))]
    if not windows:
        return []
    locked = {
        c.pk: c
        for c in Case.objects.select_for_update(of=("self",))
        .filter(pk__in={w.case_id for w in windows})
        .select_related("force", "area")
    }
    book = DesignationBook()
    book.load(designation_pairs(facts, windows))
    written = []
    for window in windows:
        case = locked[window.case_id]
        decided = resolve(facts[window.case_id], window, book)
        try:
            with transaction.atomic():
                row = DueReview.objects.create(
                    case=case,
                    kind=window.kind,
                    kind_label=window.label,
                    window_start=window.window_start,
                    window_end=window.window_end,
                    opens_at=window.opens_at,
                    late_after=window.late_after,
                    closes_at=window.closes_at,
                    slot_date=window.slot.date if window.slot else None,
                    slot_code=window.slot.code if window.slot else "",
                    reviewer=decided.person,
                    min_rank=window.min_rank,
                    how_decided=decided.how_decided,
                    designation=decided.designation,
                    holding_ref=decided.holding_ref,
                    policy_version=window.version,
                    written_at=now(),
                    written_by_job=job,
                )
        except IntegrityError:
            continue  # written by another transaction first
        audit_record(
            force=case.force,
            kind="review.due",
            system_job=job,
            case=case,
            payload={
                "due_review": row.pk,
                "kind": row.kind,
                "window_start": row.window_start,
                "window_end": row.window_end,
                "opens_at": row.opens_at,
                "late_after": row.late_after,
                "closes_at": row.closes_at,
                "reviewer": row.reviewer_id,
                "designation": row.designation_id,
                "holding": row.holding_ref or None,
                "policy_version": window.version.version,
            },
            reason=row.how_decided,
        )
        written.append(row)
    return written


def _cases_to_fix(at: datetime):
    found_recently = CaseStatusChange.objects.filter(
        to_status=CaseStatus.FOUND, at__gte=at - FOUND_CATCH_UP
    ).values("case_id")
    return (
        Case.objects.filter(created_at__lte=at)
        .filter(~Q(status=CaseStatus.FOUND) | Q(pk__in=found_recently))
        .exclude(current_grade="")
        .order_by("pk")
    )


@transaction.atomic(durable=True)
def due_reviews_fix(*, at: datetime | None = None, system_job: str = "sweep", cases=None):
    """Write the due row of every review window opened by `at` (default now) and not yet
    written, across the force's open cases (or just `cases`). Idempotent; catches up windows
    missed while nothing ran. Returns the rows written."""
    current = now()
    at = require_aware(at, "at") if at is not None else current
    if at > current:
        raise ServiceError("Due reviews can only be fixed once their windows open.", field="at")
    if not system_job:
        raise ValueError("due reviews are written by a named system job")
    chosen = _cases_to_fix(at) if cases is None else [c for c in cases if c.created_at <= at]
    return _fix_cases(chosen, at=at, job=system_job)


# --- recording a review ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedReview:
    review: Review
    due: DueReview | None
    counts: bool
    message: str


def _choose_due(case, kind: str, at: datetime) -> DueReview | None:
    """The open due review a review of `kind` recorded at `at` is for: one still on time
    first (an on-time review is never spent on an older, late window), else the oldest late
    one."""
    open_rows = list(
        DueReview.objects.filter(case=case, kind=kind, opens_at__lte=at, closes_at__gt=at)
        .exclude(reviews__counts=True)
        .select_related("reviewer")
        .order_by("window_start")
    )
    on_time = [d for d in open_rows if at < d.late_after]
    if on_time:
        return on_time[0]
    return open_rows[0] if open_rows else None


def _counts(due: DueReview | None, actor, on_behalf_of, at: datetime) -> tuple[bool, str]:
    if due is None:
        return False, "Nothing of this kind is due on this case now: recorded as a review only."
    window = f"{due.kind_label} ({_window_words(due)})"
    done = due.reviews.filter(counts=True).select_related("reviewer").first()
    if done is not None:
        return False, (
            f"The {window} was already done by {done.reviewer.display_name} at "
            f"{london(done.recorded_at):%H:%M %d %b %Y}: recorded, but it does not count again."
        )
    if at >= due.closes_at:
        return False, (
            f"The {window} closed at {london(due.closes_at):%H:%M %d %b %Y}: recorded, "
            "but it stays missed."
        )
    late = " (late)" if at >= due.late_after else ""
    if due.reviewer_id is not None and actor.pk == due.reviewer_id:
        return True, f"Counts for the {window}{late}."
    qualified = rank_meets(actor, due.min_rank, london_date(at))
    if on_behalf_of is not None or due.reviewer_id is None:
        if not qualified:
            return False, (
                f"Recorded, but it does not count for the {window}: a review on behalf of the "
                f"accountable reviewer must be by a {due.min_rank.replace('_', ' ')} or above."
            )
        if due.reviewer_id is None:
            return True, f"Counts for the {window}{late} (nobody was named accountable)."
        return True, (f"Counts for the {window}{late}, on behalf of {due.reviewer.display_name}.")
    return False, (
        f"Recorded, but the {window} stays open: its accountable reviewer is "
        f"{due.reviewer.display_name}. If you reviewed it for them, record it on their behalf."
    )


def _window_words(due: DueReview) -> str:
    start, end = london(due.window_start), london(due.window_end)
    return f"{start:%H:%M %d %b} to {end:%H:%M %d %b %Y}"


@transaction.atomic(durable=True)
def review_record(
    *,
    case: Case,
    kind: str = "",
    actor,
    due: DueReview | None = None,
    on_behalf_of=None,
    risk_confirmed: bool = True,
    new_grade: str = "",
    rationale: str,
    facts: list[FactInput] = (),
    facts_relied_on: str = "",
    actions_reviewed: str = "",
    decisions: str = "",
    next_steps: str = "",
) -> RecordedReview:
    """Record a review of `case`. It counts for the due review (given, or the open one of its
    kind) when recorded by its accountable reviewer, or by someone of at least the kind's
    minimum rank on their behalf (attributed to both); otherwise it is recorded and the due
    review stays open — the result says which, in plain words."""
    if not can_grade(actor, case):
        raise NotAllowed("You cannot record a review of this case.")
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("force", "area").get(pk=case.pk)
    )
    if case.status != CaseStatus.OPEN:
        raise ServiceError("Only an open, graded case can be reviewed.")
    at = now()
    if due is not None:
        if due.case_id != case.pk:
            raise ServiceError("That due review belongs to another case.", field="due")
        if kind and kind != due.kind:
            raise ServiceError("The kind does not match the due review.", field="kind")
        kind = due.kind
    policy = policy_at(case.force, case.case_type, at=at)
    spec = policy.review_kind(kind) if kind else None
    label = spec["label"] if spec else (due.kind_label if due is not None else "")
    if not label:
        choices = ", ".join(k["label"] for k in policy.reviews) or "none"
        raise ServiceError(f"Choose the kind of review: {choices}.", field="kind")
    rationale = (rationale or "").strip()
    if not rationale:
        raise ServiceError("Explain the review: the rationale is required.", field="rationale")
    if risk_confirmed and new_grade:
        raise ServiceError("Either confirm the risk or change it, not both.", field="new_grade")
    if not risk_confirmed and not new_grade:
        raise ServiceError("Confirm the risk or choose the new grade.", field="new_grade")
    if new_grade and new_grade == case.current_grade:
        raise ServiceError(
            "That is the current grade: confirm the risk instead.", field="new_grade"
        )
    if on_behalf_of is not None and on_behalf_of.pk == actor.pk:
        raise ServiceError("You cannot record a review on your own behalf.", field="on_behalf_of")
    _fix_cases([case], at=at, job="review_record")  # windows opened but not yet swept
    if due is not None:
        due = DueReview.objects.select_related("reviewer").get(pk=due.pk)
    else:
        due = _choose_due(case, kind, at)
    if on_behalf_of is not None:
        if due is None or due.reviewer_id is None:
            raise ServiceError(
                "There is no open due review with an accountable reviewer to act for.",
                field="on_behalf_of",
            )
        if on_behalf_of.pk != due.reviewer_id:
            raise ServiceError(
                f"The accountable reviewer is {due.reviewer.display_name}: record it on their "
                "behalf, or as your own review.",
                field="on_behalf_of",
            )
    counts, message = _counts(due, actor, on_behalf_of, at)
    grading = None
    if new_grade:
        grading = _grade(
            case=case, grade=new_grade, rationale=rationale, facts=list(facts), actor=actor
        )
    review = Review.objects.create(
        case=case,
        kind=kind,
        kind_label=label,
        due=due,
        counts=counts,
        counts_reason=message,
        reviewer=actor,
        on_behalf_of=on_behalf_of,
        recorded_at=at,
        risk_confirmed=grading is None,
        grading=grading,
        rationale=rationale,
        facts_relied_on=facts_relied_on.strip(),
        actions_reviewed=actions_reviewed.strip(),
        decisions=decisions.strip(),
        next_steps=next_steps.strip(),
    )
    audit_record(
        force=case.force,
        kind="review.recorded",
        actor=actor,
        case=case,
        payload={
            "review": review.pk,
            "kind": kind,
            "due_review": due.pk if due else None,
            "window_start": due.window_start if due else None,
            "counts": counts,
            "on_behalf_of": on_behalf_of.pk if on_behalf_of else None,
            "risk_confirmed": grading is None,
            "grading": grading.pk if grading else None,
            "new_grade": new_grade or None,
        },
        reason=rationale,
    )
    if grading is not None:
        _fix_cases([case], at=now(), job="review_record")  # kinds the new grade brings
    return RecordedReview(review=review, due=due, counts=counts, message=message)


@transaction.atomic(durable=True)
def compliance_export_record(*, actor, filters: dict, export_format: str, rows: int):
    """Record that `actor` exported review compliance with `filters` (no case: the read log
    needs one, so the audit chain carries it)."""
    if actor.force_id is None:
        raise NotAllowed("Your account does not belong to a force.")
    return audit_record(
        force=actor.force,
        actor=actor,
        kind="compliance.exported",
        payload={**filters, "format": export_format, "rows": rows},
    )
