"""The Daily Management Meeting board: every open case the reader may see, with who holds each
required role, the reviews, the prompts and whether the last meeting discussed it.

One read for many cases: a fixed number of queries whatever the number of cases
(`responsibility_for_cases`, `review_summary_for_cases`, the prompts, the meetings, people's
labels — each once for the whole board). Filters are applied after the rows are built, so a
filtered board and the full one agree row for row.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from vigil.cases.models import Case, CaseStatus
from vigil.core import hooks
from vigil.core.hooks import BoardFlag
from vigil.core.time import london_date, now
from vigil.oversight.models import Meeting, MeetingCase
from vigil.oversight.selectors import PromptState, _prompts, _state
from vigil.policy.document import Policy
from vigil.responsibility.selectors import HolderAnswer, LedgerBook, responsibility_for_cases
from vigil.reviews.selectors import ReviewItem, ReviewSummary, review_summary_for_cases

OPEN_STATUSES = (CaseStatus.REPORTED, CaseStatus.OPEN)
HORIZON = timedelta(hours=48)  # reviews further ahead than this are not named on the board

DISCUSSED = "discussed"
NOT_DISCUSSED = "not_discussed"
NEW_SINCE = "new_since"  # reported after the last meeting began
NO_MEETING = "no_meeting"
DISCUSSION_LABELS = {
    DISCUSSED: "Discussed",
    NOT_DISCUSSED: "Not discussed",
    NEW_SINCE: "New since the last meeting",
    NO_MEETING: "No meeting yet",
}


@dataclass
class BoardFilters:
    grade: str = ""
    not_accepted: bool = False  # a required role whose holder has not accepted it (or nobody)
    overdue: bool = False
    not_discussed: bool = False
    prompts: bool = False
    attention: bool = False  # a warning flag from another app (vigil.core.hooks.BOARD_FLAGS)

    @property
    def active(self) -> bool:
        return bool(
            self.grade
            or self.not_accepted
            or self.overdue
            or self.not_discussed
            or self.prompts
            or self.attention
        )

    def params(self) -> dict:
        out = {}
        if self.grade:
            out["grade"] = self.grade
        for name in ("not_accepted", "overdue", "not_discussed", "prompts", "attention"):
            if getattr(self, name):
                out[name] = "1"
        return out


@dataclass
class BoardRow:
    case: Case
    subject: str
    grade: str
    grade_label: str
    grade_rank: int
    last_seen_at: datetime | None
    reported_at: datetime
    proof_of_life_at: datetime | None
    at: datetime
    roles: list[HolderAnswer]
    reviews: ReviewSummary
    next_reviewer: object | None
    next_reviewer_how: str
    prompts: list[PromptState]
    discussion: str
    last_meeting: Meeting | None
    # What other apps flag on the row (vigil.core.hooks.BOARD_FLAGS): overdue actions, etc.
    flags: list[BoardFlag] = field(default_factory=list)

    @property
    def missing_for(self) -> timedelta:
        return self.at - (self.last_seen_at or self.reported_at)

    @property
    def since_proof_of_life(self) -> timedelta | None:
        return self.at - self.proof_of_life_at if self.proof_of_life_at else None

    @property
    def not_accepted(self) -> list[HolderAnswer]:
        return [a for a in self.roles if a.person is None or not a.accepted]

    @property
    def next_due(self) -> ReviewItem | None:
        return self.reviews.next_due

    @property
    def last_review(self):
        return self.reviews.last_review

    @property
    def overdue(self) -> list[ReviewItem]:
        return self.reviews.overdue

    @property
    def discussed(self) -> bool:
        return self.discussion == DISCUSSED

    @property
    def discussion_label(self) -> str:
        return DISCUSSION_LABELS[self.discussion]

    @property
    def needs_focus(self) -> bool:
        """What the Vulnerability Focus Desk looks at: a required role without an accepted
        holder, an overdue review or an unanswered prompt."""
        return bool(self.not_accepted or self.overdue or self.prompts or self.warnings)

    @property
    def warnings(self) -> list[BoardFlag]:
        return [f for f in self.flags if f.severity == "warning"]


@dataclass
class Board:
    at: datetime
    area: object | None
    rows: list[BoardRow]
    total: int  # open cases before filtering
    filters: BoardFilters = field(default_factory=BoardFilters)
    last_meeting: Meeting | None = None  # of this board's own scope
    grades: list[tuple[str, str]] = field(default_factory=list)

    @property
    def people(self) -> list:
        """Everyone the board names, for labelling in one go."""
        found = []
        for row in self.rows:
            found += [a.person for a in row.roles if a.person is not None]
            if row.next_reviewer is not None:
                found.append(row.next_reviewer)
            if row.last_review is not None:
                found.append(row.last_review.reviewer)
            found += [p.addressed_to for p in row.prompts]
        return found


def open_cases(user, area=None, at: datetime | None = None):
    """Open cases `user` may see (of one area, or all their force's), oldest last seen first."""
    at = at or now()
    qs = Case.objects.visible_to(user).filter(status__in=OPEN_STATUSES, created_at__lte=at)
    if area is not None:
        qs = qs.filter(area=area)
    return qs.select_related("area", "force", "missing", "missing__subject").order_by("pk")


def latest_meetings(force_id, at: datetime) -> dict:
    """The latest meeting begun by `at` per scope: area id -> meeting (None: force-wide)."""
    ranked = (
        Meeting.objects.filter(force_id=force_id, opened_at__lte=at)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("area_id")],
                order_by=[F("opened_at").desc(), F("pk").desc()],
            )
        )
        .filter(place=1)
        .select_related("area", "chair", "closure")
    )
    return {m.area_id: m for m in ranked}


def _meeting_for(case: Case, meetings: dict) -> Meeting | None:
    candidates = [m for m in (meetings.get(case.area_id), meetings.get(None)) if m is not None]
    return max(candidates, key=lambda m: (m.opened_at, m.pk), default=None)


def _discussion(case: Case, meeting: Meeting | None, marks: dict) -> str:
    if meeting is None:
        return NO_MEETING
    mark = marks.get((meeting.pk, case.pk))
    if mark is not None:
        return DISCUSSED if mark else NOT_DISCUSSED
    if case.created_at > meeting.opened_at:
        return NEW_SINCE
    return NOT_DISCUSSED


def _ledger_reviewer(item: ReviewItem, book: LedgerBook, case: Case, at: datetime):
    """Name an upcoming review's reviewer where the policy takes it from the ledger (the bulk
    review summary leaves those unnamed): whoever holds that role when the window opens."""
    if item is None or item.reviewer is not None or item.policy_version is None:
        return None, ""
    kind = Policy(item.policy_version).review_kind(item.kind) or {}
    role = (kind.get("reviewer") or {}).get("ledger")
    if not role:
        return None, ""
    answer = book.ledger(case).resolve(role, max(item.opens_at, at))
    return answer.person, f"the case's {answer.role_label.lower()} then: {answer.rule}"


def build_board(
    user,
    *,
    area=None,
    at: datetime | None = None,
    filters: BoardFilters | None = None,
    cases=None,
) -> Board:
    """The board for `user`: their force's open cases they may see (one area, or all)."""
    at = at or now()
    filters = filters or BoardFilters()
    cases = list(cases if cases is not None else open_cases(user, area, at))
    ids = [c.pk for c in cases]

    book = LedgerBook(cases)
    today = london_date(at)
    book.prefetch_days(today + timedelta(days=offset) for offset in range(-2, 4))
    answers = responsibility_for_cases(cases, at=at, book=book)
    summaries = review_summary_for_cases(cases, at=at)
    flags = hooks.board_flags(cases, at=at)
    verified = hooks.proof_of_life(ids, at=at)

    prompts: dict[int, list[PromptState]] = {pk: [] for pk in ids}
    if ids:
        rows = _prompts().filter(case_id__in=ids, answer__isnull=True, raised_at__lte=at)
        for prompt in rows.order_by("raised_at", "pk"):
            prompts[prompt.case_id].append(_state(prompt))

    force_id = getattr(user, "force_id", None)
    meetings = latest_meetings(force_id, at) if force_id else {}
    marks = {}
    if meetings and ids:
        for meeting_id, case_id, discussed in MeetingCase.objects.filter(
            meeting_id__in=[m.pk for m in meetings.values()], case_id__in=ids
        ).values_list("meeting_id", "case_id", "discussed"):
            marks[(meeting_id, case_id)] = discussed

    grades: dict[str, tuple[str, int]] = {}
    rows: list[BoardRow] = []
    for case in cases:
        ledger = book.ledger(case)
        policy = ledger.policy(at)
        grade = case.current_grade
        label, rank = grade or "Not graded yet", -1
        if policy is not None:
            codes = policy.grade_codes
            for code in codes:
                grades.setdefault(code, (policy.grade_label(code), codes.index(code)))
            if grade:
                label = policy.grade_label(grade)
                rank = codes.index(grade) if grade in codes else -1
        episode = getattr(case, "missing", None)
        summary = summaries[case.pk]
        next_due = summary.next_due
        reviewer = next_due.reviewer if next_due else None
        how = next_due.how_decided if next_due else ""
        if next_due is not None and reviewer is None:
            named, words = _ledger_reviewer(next_due, book, case, at)
            if named is not None:
                reviewer, how = named, words
        meeting = _meeting_for(case, meetings)
        rows.append(
            BoardRow(
                case=case,
                subject=_subject(case, episode),
                grade=grade,
                grade_label=label,
                grade_rank=rank,
                last_seen_at=episode.last_seen_at if episode else None,
                reported_at=episode.reported_at if episode else case.created_at,
                # The last verified proof of life; until one is recorded, last seen.
                proof_of_life_at=max(
                    (t for t in (episode.last_seen_at, verified.get(case.pk)) if t), default=None
                )
                if episode
                else None,
                at=at,
                roles=answers[case.pk],
                reviews=summary,
                next_reviewer=reviewer,
                next_reviewer_how=how,
                prompts=prompts[case.pk],
                discussion=_discussion(case, meeting, marks),
                last_meeting=meeting,
                flags=flags[case.pk],
            )
        )
    total = len(rows)
    rows = [row for row in rows if _keep(row, filters)]
    rows.sort(key=lambda r: (-r.grade_rank, r.last_seen_at or r.reported_at, r.case.pk))
    own = meetings.get(area.pk if area is not None else None)
    return Board(
        at=at,
        area=area,
        rows=rows,
        total=total,
        filters=filters,
        last_meeting=own,
        grades=[(code, lr[0]) for code, lr in sorted(grades.items(), key=lambda g: -g[1][1])],
    )


def _subject(case: Case, episode) -> str:
    if episode is None:
        return ""
    person = episode.subject
    return " ".join(p for p in (person.given_name, person.family_name) if p)


def _keep(row: BoardRow, filters: BoardFilters) -> bool:
    if filters.grade and row.grade != filters.grade:
        return False
    if filters.not_accepted and not row.not_accepted:
        return False
    if filters.overdue and not row.overdue:
        return False
    if filters.not_discussed and row.discussed:
        return False
    if filters.attention and not row.warnings:
        return False
    return not (filters.prompts and not row.prompts)
