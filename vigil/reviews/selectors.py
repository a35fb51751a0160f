"""Reads of reviews: what is due and whose it is, status, summaries, compliance.

Status of a due review at instant `at` (default now), from its fixed row and the reviews
recorded by `at`:

* ``upcoming`` — its window has not opened yet (`at` < opens_at). Only derived windows, or a
  written row asked about for an earlier instant, can be upcoming.
* ``due`` — open, nothing counting yet, and `at` < late_after (window end + grace).
* ``overdue`` — nothing counting yet, late_after <= `at` < closes_at: a review now still
  counts, as late. (The issue's "due, then overdue".)
* ``done_on_time`` — a counting review was recorded before late_after.
* ``done_late`` — a counting review was recorded at or after late_after (and before
  closes_at: the service never counts a review after that).
* ``missed`` — `at` >= closes_at and no counting review. closes_at is window end +
  late_limit_hours, or, when the policy's limit is null, the moment the next window of that
  kind opens by its cadence (never before late_after).
* ``not_needed`` — the case was found before late_after and nothing counted: it is neither
  done nor missed, and compliance leaves it out of "due".

A review counts when recorded by the accountable reviewer named on the row, or by someone of
at least the kind's minimum rank "on behalf of" them (attributed to both).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Max, Q

from vigil.cases.models import Case, CaseStatus, CaseStatusChange
from vigil.core.time import now
from vigil.reviews.models import DueReview, Review
from vigil.reviews.windows import (
    DesignationBook,
    derive,
    designation_pairs,
    load_facts,
    resolve,
)
from vigil.rosters.models import Designation

UPCOMING = "upcoming"
DUE = "due"
OVERDUE = "overdue"
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
MISSED = "missed"
NOT_NEEDED = "not_needed"
STATUS_LABELS = {
    UPCOMING: "Upcoming",
    DUE: "Due",
    OVERDUE: "Overdue",
    DONE_ON_TIME: "Done on time",
    DONE_LATE: "Done late",
    MISSED: "Missed",
    NOT_NEEDED: "Not needed (case closed)",
}
OPEN_STATUSES = {DUE, OVERDUE}
SETTLED_STATUSES = {DONE_ON_TIME, DONE_LATE, MISSED}
MISSED_LOOKBACK = timedelta(days=120)


def status_at(
    *,
    opens_at: datetime,
    late_after: datetime,
    closes_at: datetime,
    counted_at: datetime | None,
    closed_at: datetime | None,
    at: datetime,
) -> str:
    """The status rules above, on plain values."""
    if counted_at is not None and counted_at <= at:
        return DONE_ON_TIME if counted_at < late_after else DONE_LATE
    if at < opens_at:
        return UPCOMING
    if closed_at is not None and closed_at <= at and closed_at < late_after:
        return NOT_NEEDED
    if at < late_after:
        return DUE
    if at < closes_at:
        return OVERDUE
    return MISSED


@dataclass
class ReviewItem:
    """A due review — written (`due` set) or derived ahead of its window — with its status."""

    case: Case
    kind: str
    label: str
    window_start: datetime
    window_end: datetime
    opens_at: datetime
    late_after: datetime
    closes_at: datetime
    slot_date: date | None
    slot_code: str
    reviewer: object | None
    how_decided: str
    status: str
    written: bool
    due: DueReview | None = None
    counted: Review | None = None
    designation: Designation | None = None
    policy_version: object | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def due_id(self) -> int | None:
        return self.due.pk if self.due is not None else None


def _closed_at(case_ids) -> dict[int, datetime]:
    closed: dict[int, datetime] = {}
    for case_id, at in (
        CaseStatusChange.objects.filter(case_id__in=case_ids, to_status=CaseStatus.FOUND)
        .order_by("at")
        .values_list("case_id", "at")
    ):
        closed.setdefault(case_id, at)
    return closed


def _counted(due_ids, at: datetime) -> dict[int, Review]:
    return {
        r.due_id: r
        for r in Review.objects.filter(
            due_id__in=due_ids, counts=True, recorded_at__lte=at
        ).select_related("reviewer", "on_behalf_of")
    }


def _written_items(dues, at: datetime) -> list[ReviewItem]:
    dues = list(dues)
    counted = _counted([d.pk for d in dues], at)
    closed = _closed_at({d.case_id for d in dues})
    items = []
    for due in dues:
        review = counted.get(due.pk)
        items.append(
            ReviewItem(
                case=due.case,
                kind=due.kind,
                label=due.kind_label,
                window_start=due.window_start,
                window_end=due.window_end,
                opens_at=due.opens_at,
                late_after=due.late_after,
                closes_at=due.closes_at,
                slot_date=due.slot_date,
                slot_code=due.slot_code,
                reviewer=due.reviewer,
                how_decided=due.how_decided,
                status=status_at(
                    opens_at=due.opens_at,
                    late_after=due.late_after,
                    closes_at=due.closes_at,
                    counted_at=review.recorded_at if review else None,
                    closed_at=closed.get(due.case_id),
                    at=at,
                ),
                written=True,
                due=due,
                counted=review,
                designation=due.designation,
                policy_version=due.policy_version,
            )
        )
    return items


def _due_queryset():
    return DueReview.objects.select_related(
        "case", "case__area", "reviewer", "designation", "policy_version"
    )


def review_status(due: DueReview, at: datetime | None = None) -> str:
    """The status of one written due review at `at` (see the module docstring)."""
    at = at or now()
    return _written_items([due], at)[0].status


def due_reviews(case: Case, at: datetime | None = None) -> list[ReviewItem]:
    """Every due review written for the case, oldest window first, with its status."""
    at = at or now()
    return _written_items(_due_queryset().filter(case=case).order_by("window_start", "kind"), at)


def reviews_done(case: Case) -> list[Review]:
    """Every review recorded on the case, newest first."""
    return list(
        Review.objects.filter(case=case)
        .select_related("reviewer", "on_behalf_of", "grading", "due")
        .order_by("-recorded_at", "-pk")
    )


def _derived_items(cases, at: datetime, until: datetime, *, ledger: bool) -> list[ReviewItem]:
    """Windows of `cases` opening by `until`, not written yet and not closed by `at`."""
    cases = list(cases)
    if not cases:
        return []
    facts = load_facts(cases, known_at=at)
    last: dict[int, dict] = defaultdict(dict)
    for row in (
        DueReview.objects.filter(case_id__in=[c.pk for c in cases])
        .values("case_id", "kind")
        .annotate(last=Max("window_start"))
    ):
        last[row["case_id"]][row["kind"]] = row["last"]
    windows = [
        w for c in cases for w in derive(facts[c.pk], until, last.get(c.pk)) if w.closes_at > at
    ]
    book = DesignationBook()
    book.load(designation_pairs(facts, windows))
    by_id = {c.pk: c for c in cases}
    items = []
    for window in windows:
        decided = resolve(facts[window.case_id], window, book, ledger=ledger)
        items.append(
            ReviewItem(
                case=by_id[window.case_id],
                kind=window.kind,
                label=window.label,
                window_start=window.window_start,
                window_end=window.window_end,
                opens_at=window.opens_at,
                late_after=window.late_after,
                closes_at=window.closes_at,
                slot_date=window.slot.date if window.slot else None,
                slot_code=window.slot.code if window.slot else "",
                reviewer=decided.person,
                how_decided=decided.how_decided,
                status=status_at(
                    opens_at=window.opens_at,
                    late_after=window.late_after,
                    closes_at=window.closes_at,
                    counted_at=None,
                    closed_at=None,
                    at=at,
                ),
                written=False,
                designation=decided.designation,
                policy_version=window.version,
            )
        )
    return items


def upcoming_reviews(
    case: Case, at: datetime | None = None, horizon_hours: float = 48
) -> list[ReviewItem]:
    """Reviews of the case opening within `horizon_hours` of `at`, computed on the fly from
    policy, roster and ledger, each naming its accountable reviewer before its window opens
    (and any window already open but not yet written by the sweep)."""
    at = at or now()
    if case.status == CaseStatus.FOUND:
        return []
    until = at + timedelta(hours=horizon_hours)
    return _derived_items([case], at, until, ledger=True)


# --- many cases at once --------------------------------------------------------------------


@dataclass
class ReviewSummary:
    case_id: int
    last_review: Review | None = None  # with .reviewer, .on_behalf_of, .recorded_at
    next_due: ReviewItem | None = None  # the earliest open review, else the next upcoming
    open: list[ReviewItem] = field(default_factory=list)  # due or overdue, oldest first
    overdue: list[ReviewItem] = field(default_factory=list)
    missed_in_a_row: dict[str, int] = field(default_factory=dict)  # kind -> latest run

    @property
    def most_missed_in_a_row(self) -> int:
        return max(self.missed_in_a_row.values(), default=0)


def review_summary_for_cases(cases, at: datetime | None = None) -> dict[int, ReviewSummary]:
    """For each case: the last review, the next due review (window and accountable
    reviewer), open and overdue due reviews and the latest run of consecutive missed ones
    per kind. A fixed number of queries whatever the number of cases.

    An upcoming window whose reviewer comes from the ledger (e.g. the case's supervisor)
    names nobody here (`reviewer` is None and `how_decided` says whose it will be): ask
    `upcoming_reviews(case)` for one case; written rows always name their reviewer."""
    at = at or now()
    cases = list(cases)
    ids = [c.pk for c in cases]
    summaries = {pk: ReviewSummary(case_id=pk) for pk in ids}
    if not ids:
        return summaries
    latest = Review.objects.filter(case_id__in=ids, recorded_at__lte=at).values("case_id")
    latest = latest.annotate(last=Max("pk")).values("last")
    for review in Review.objects.filter(pk__in=latest).select_related("reviewer", "on_behalf_of"):
        summaries[review.case_id].last_review = review
    by_case = {c.pk: c for c in cases}
    dues = list(
        DueReview.objects.filter(
            case_id__in=ids, opens_at__lte=at, window_start__gte=at - MISSED_LOOKBACK
        )
        .select_related("reviewer", "designation", "policy_version")
        .order_by("window_start", "kind")
    )
    for due in dues:
        due.case = by_case[due.case_id]
    runs: dict[int, dict[str, int]] = defaultdict(dict)
    for item in _written_items(dues, at):
        summary = summaries[item.case.pk]
        if item.is_open:
            summary.open.append(item)
            if item.status == OVERDUE:
                summary.overdue.append(item)
        elif item.status in SETTLED_STATUSES:
            run = runs[item.case.pk]
            run[item.kind] = run.get(item.kind, 0) + 1 if item.status == MISSED else 0
    for case_id, run in runs.items():
        summaries[case_id].missed_in_a_row = run
    open_cases = [c for c in cases if c.status != CaseStatus.FOUND]
    upcoming = _derived_items(open_cases, at, at + timedelta(hours=48), ledger=False)
    for item in upcoming:
        summary = summaries[item.case.pk]
        if summary.next_due is None or item.opens_at < summary.next_due.opens_at:
            summary.next_due = item
    for summary in summaries.values():
        if summary.open:
            summary.next_due = summary.open[0]
    return summaries


@dataclass
class MyReviews:
    at: datetime
    due: list[ReviewItem]  # written, due or overdue, the soonest to become late first
    upcoming: list[ReviewItem]  # derived, opening within the horizon


def my_reviews_due(user, at: datetime | None = None, horizon_hours: float = 24) -> MyReviews:
    """Reviews `user` is accountable for: written ones open now, and those opening within
    `horizon_hours` on cases where the roster or a written holding names them."""
    from vigil.responsibility.models import Holding

    at = at or now()
    if user.force_id is None:
        return MyReviews(at=at, due=[], upcoming=[])
    visible = Case.objects.visible_to(user)
    rows = (
        _due_queryset()
        .filter(reviewer=user, opens_at__lte=at, closes_at__gt=at, case__in=visible)
        .exclude(case__status=CaseStatus.FOUND)
        .order_by("late_after", "pk")
    )
    due = [item for item in _written_items(rows, at) if item.is_open]
    until = at + timedelta(hours=horizon_hours)
    areas = Designation.objects.filter(
        person=user, starts_at__lt=until, ends_at__gt=at - timedelta(days=1)
    ).values("area_id")
    held = Holding.objects.filter(holder=user).values("case_id")
    candidates = (
        visible.exclude(status=CaseStatus.FOUND)
        .exclude(current_grade="")
        .filter(Q(area_id__in=areas) | Q(pk__in=held))
        .select_related("area", "force")
    )
    upcoming = [
        item
        for item in _derived_items(candidates, at, until, ledger=True)
        if item.reviewer is not None and item.reviewer.pk == user.pk
    ]
    upcoming.sort(key=lambda i: (i.opens_at, i.case.reference))
    return MyReviews(at=at, due=due, upcoming=upcoming)


# --- compliance ----------------------------------------------------------------------------


@dataclass
class ComplianceRow:
    """One written due review, as it stood, with its outcome and any later roster change."""

    item: ReviewItem
    area: object
    corrections: list  # designation rows recorded after the one the due row used
    designated_now: object | None  # who the roster names now, if corrected since

    @property
    def due(self) -> DueReview:
        return self.item.due

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def status(self) -> str:
        return self.item.status

    @property
    def reviewer(self):
        """The accountable reviewer as rostered (or held) when the window opened."""
        return self.item.reviewer

    @property
    def counted(self) -> Review | None:
        return self.item.counted


def compliance_rows(
    *,
    force,
    start: datetime,
    end: datetime,
    kind: str | None = None,
    area=None,
    reviewer=None,
    at: datetime | None = None,
) -> list[ComplianceRow]:
    """Every due review of `force` whose window starts in [start, end), oldest first, with
    its status at `at`, the review that counted (if any) and any correction of the roster
    designation it used, recorded since (the row keeps whom it named at the time).

    The corrections are the later rows of `vigil.rosters.selectors.designation_chain` for the
    designation used, read for all rows in one query."""
    at = at or now()
    rows = _due_queryset().filter(case__force=force, window_start__gte=start, window_start__lt=end)
    if kind:
        rows = rows.filter(kind=kind)
    if area is not None:
        rows = rows.filter(case__area=area)
    if reviewer is not None:
        rows = rows.filter(reviewer=reviewer)
    items = _written_items(rows.order_by("window_start", "case_id", "kind"), at)
    # One range query over the distinct slots used (an OR term per row would pass SQLite's
    # limit of 1,000 terms in an expression within a year of a few cases).
    keys = {
        (d.area_id, d.slot_date, d.slot_code, d.role)
        for d in (i.designation for i in items)
        if d is not None
    }
    chains: dict[tuple, list] = defaultdict(list)
    if keys:
        candidates = Designation.objects.filter(
            area_id__in={k[0] for k in keys},
            slot_date__gte=min(k[1] for k in keys),
            slot_date__lte=max(k[1] for k in keys),
            slot_code__in={k[2] for k in keys},
            role__in={k[3] for k in keys},
        )
        for row in candidates.select_related("person", "recorded_by").order_by("recorded_at", "pk"):
            key = (row.area_id, row.slot_date, row.slot_code, row.role)
            if key in keys:
                chains[key].append(row)
    result = []
    for item in items:
        corrections, designated_now = [], None
        d = item.designation
        if d is not None:
            chain = chains[(d.area_id, d.slot_date, d.slot_code, d.role)]
            corrections = [r for r in chain if (r.recorded_at, r.pk) > (d.recorded_at, d.pk)]
            if corrections:
                designated_now = corrections[-1].person
        result.append(
            ComplianceRow(
                item=item,
                area=item.case.area,
                corrections=corrections,
                designated_now=designated_now,
            )
        )
    return result


@dataclass
class KindCompliance:
    kind: str
    label: str
    due: int = 0  # settled or open; "not needed" rows are left out
    on_time: int = 0
    late: int = 0
    missed: int = 0
    open: int = 0

    @property
    def on_time_ratio(self) -> float | None:
        """Done on time ÷ due (issue 4), open reviews included in what was due."""
        return self.on_time / self.due if self.due else None


def compliance_by_kind(rows: list[ComplianceRow]) -> dict[str, KindCompliance]:
    """Counts per review kind (never one ratio across kinds)."""
    result: dict[str, KindCompliance] = {}
    for row in rows:
        entry = result.setdefault(row.kind, KindCompliance(row.kind, row.item.label))
        if row.status == NOT_NEEDED:
            continue
        entry.due += 1
        if row.status == DONE_ON_TIME:
            entry.on_time += 1
        elif row.status == DONE_LATE:
            entry.late += 1
        elif row.status == MISSED:
            entry.missed += 1
        elif row.status in OPEN_STATUSES:
            entry.open += 1
    return result


def case_review_section(case: Case, at: datetime | None = None) -> dict:
    """What the case page's reviews section (reviews/_case_reviews.html) shows."""
    at = at or now()
    written = due_reviews(case, at)
    return {
        "case": case,
        "at": at,
        "due": list(reversed(written)),
        "upcoming": upcoming_reviews(case, at, horizon_hours=48),
        "done": reviews_done(case),
        "open_count": sum(1 for i in written if i.is_open),
    }
