"""Review compliance as the page, the exports and the API show it: one report, one set of rules.

Built on `selectors.compliance_rows` (the fixed due rows, their status, the review that
counted and any later roster correction) and `selectors.compliance_by_kind` (the counting
rule). Everything is per review kind — never one ratio across kinds. The ratio shown is
reviews done on time ÷ reviews due (reviews still open count as due but not as done; "not
needed" rows, where the case was closed first, are not due).

The period is a range of London dates, both included: windows starting from London midnight
of the first day to London midnight after the last. Weeks run Monday to Sunday, London time.

A fixed number of queries whatever the number of cases or rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import Q

from vigil.access.cases import visible_areas
from vigil.cases.models import Case
from vigil.core.time import london_date, london_wall, now
from vigil.organisation.models import RankPeriod, User

# One rule for rank labels: the organisation selectors' own, applied to a batch of
# (person, day) pairs in one query (person_labels takes one day per query).
from vigil.organisation.selectors import _effective_rank, _known, _label
from vigil.reviews.models import DueReview
from vigil.reviews.selectors import (
    STATUS_LABELS,
    ComplianceRow,
    KindCompliance,
    compliance_by_kind,
    compliance_rows,
)
from vigil.rosters.models import SlotDefinition

MAX_DAYS = 366
DEFAULT_WEEKS = 8
RESTRICTED = "Restricted case"


# --- filters ---------------------------------------------------------------------------------


def week_of(day: date) -> date:
    """The Monday starting the week of `day`."""
    return day - timedelta(days=day.weekday())


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[London midnight starting `first`, London midnight after `last`), in UTC."""
    return london_wall(first, time(0)), london_wall(last + timedelta(days=1), time(0))


def force_kinds(force) -> list[tuple[str, str]]:
    """Review kinds that have fallen due in the force, as (code, label), by label."""
    labels: dict[str, str] = {}
    for kind, label in (
        DueReview.objects.filter(case__force=force)
        .order_by("kind", "-window_start")
        .values_list("kind", "kind_label")
        .distinct()
    ):
        labels.setdefault(kind, label)
    return sorted(labels.items(), key=lambda item: (item[1].lower(), item[0]))


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class ComplianceFilterForm(forms.Form):
    """The filters of the page, the exports and the API: `from`, `to` (London dates, both
    included), `area` (code), `kind` (code) and `reviewer` (username or collar number).
    Empty filters take their defaults: eight weeks (from a Monday) to today, every area, kind
    and reviewer."""

    area = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(required=False)
    reviewer = forms.CharField(required=False, max_length=150)

    def __init__(self, data, *, user, today: date | None = None):
        super().__init__(data)
        self.user = user
        self.today = today or london_date(now())
        for name, what in (("from", "first day"), ("to", "last day")):
            self.fields[name] = forms.DateField(
                required=False,
                input_formats=DATE_FORMATS,
                error_messages={
                    "invalid": f"Enter the {what} of the period as a real date, like 2024-03-27"
                },
            )
        # `from` and `to` first, as on the page.
        self.order_fields(["from", "to", "area", "kind", "reviewer"])
        self.areas = list(visible_areas(user))
        self.fields["area"].choices = [("", "All areas")] + [(a.code, a.name) for a in self.areas]
        self.fields["area"].error_messages["invalid_choice"] = "Choose an area in your force"
        self.kinds = force_kinds(user.force) if user.force_id else []
        self.fields["kind"].choices = [("", "All kinds of review"), *self.kinds]
        self.fields["kind"].error_messages["invalid_choice"] = (
            "Choose a kind of review that has fallen due in your force"
        )

    def clean_area(self):
        code = self.cleaned_data.get("area")
        return next((a for a in self.areas if a.code == code), None) if code else None

    def clean_reviewer(self):
        ident = (self.cleaned_data.get("reviewer") or "").strip()
        if not ident:
            return None
        people = User.objects.filter(force_id=self.user.force_id)
        found = people.filter(Q(username=ident) | Q(collar_number=ident)).order_by("pk").first()
        if found is None:
            raise forms.ValidationError(
                "Enter the username or collar number of someone in your force"
            )
        return found

    def clean(self):
        data = super().clean()
        if self.errors.get("from") or self.errors.get("to"):
            return data
        first, last = data.get("from"), data.get("to")
        for name, day in (("from", first), ("to", last)):
            if day is not None and not 2000 <= day.year <= 2999:
                self.add_error(name, "Enter a date from the year 2000 on, like 2024-03-27")
        if self.errors.get("from") or self.errors.get("to"):
            return data
        if last is None:  # to today, or a year on from a first day long ago
            last = self.today if first is None else max(first, self.today)
            if first is not None:
                last = min(last, first + timedelta(days=MAX_DAYS - 1))
        if first is None:
            first = week_of(last) - timedelta(weeks=DEFAULT_WEEKS - 1)
        if last < first:
            self.add_error("to", "The last day must be the same as or after the first day")
        elif (last - first).days + 1 > MAX_DAYS:
            self.add_error("to", f"Choose a period of at most {MAX_DAYS} days")
        data["from"], data["to"] = first, last
        return data

    def filters(self) -> "ComplianceFilters":
        data = self.cleaned_data
        return ComplianceFilters(
            first=data["from"],
            last=data["to"],
            area=data.get("area"),
            kind=data.get("kind") or "",
            reviewer=data.get("reviewer"),
        )

    def errors_by_parameter(self) -> dict[str, list[str]]:
        """Every message keyed by the parameter it is about (the API's 400 body)."""
        return {name: [str(m) for m in messages] for name, messages in self.errors.items()}


@dataclass(frozen=True)
class ComplianceFilters:
    first: date
    last: date
    area: object = None
    kind: str = ""
    reviewer: object = None

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return period_bounds(self.first, self.last)

    def params(self) -> dict[str, str]:
        """As query parameters (what the page's links and the exports carry)."""
        params = {"from": self.first.isoformat(), "to": self.last.isoformat()}
        if self.area is not None:
            params["area"] = self.area.code
        if self.kind:
            params["kind"] = self.kind
        if self.reviewer is not None:
            params["reviewer"] = self.reviewer.username
        return params

    def payload(self) -> dict:
        """For the audit event of an export."""
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "area": self.area.code if self.area is not None else None,
            "kind": self.kind or None,
            "reviewer": self.reviewer.username if self.reviewer is not None else None,
        }


# --- the report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    name: str
    collar_number: str
    label: str  # rank on the day in question, collar number and name, e.g. "PS 1002 Sam Archer"


@dataclass
class Correction:
    person: Person
    recorded_at: datetime
    recorded_by: Person | None
    recorded_by_job: str
    reason: str


@dataclass
class CountedReview:
    id: int
    reviewer: Person
    on_behalf_of: Person | None
    recorded_at: datetime


@dataclass
class Line:
    """One due review, flat, as every output shows it."""

    due_review: int
    case: str | None  # the reference, or None for a restricted case the reader may not see
    restricted: bool
    area: str  # code
    area_name: str
    kind: str
    label: str
    slot_date: date | None
    slot_code: str
    slot_name: str
    window_start: datetime
    window_end: datetime
    late_after: datetime
    closes_at: datetime
    reviewer: Person | None  # accountable, as rostered (or held) when the window opened
    how_decided: str
    status: str
    counted_review: CountedReview | None
    corrections: list[Correction]
    designated_now: Person | None  # who the roster names now, when corrected since

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def case_label(self) -> str:
        return self.case or RESTRICTED


@dataclass
class Counts:
    """Counts of one kind in one group, by `compliance_by_kind`'s rule."""

    kind: str
    label: str
    due: int = 0
    on_time: int = 0
    late: int = 0
    missed: int = 0
    open: int = 0

    @classmethod
    def of(cls, entry: KindCompliance) -> "Counts":
        return cls(
            kind=entry.kind,
            label=entry.label,
            due=entry.due,
            on_time=entry.on_time,
            late=entry.late,
            missed=entry.missed,
            open=entry.open,
        )

    @property
    def on_time_ratio(self) -> float | None:
        """Done on time ÷ due; None when nothing was due."""
        return self.on_time / self.due if self.due else None

    @property
    def percent_text(self) -> str:
        ratio = self.on_time_ratio
        return "Nothing due" if ratio is None else percent(ratio)


def percent(ratio: float) -> str:
    return f"{round(ratio * 100 + 1e-9)}%"


@dataclass
class Group:
    """A breakdown line: one key (a case, reviewer, area, slot or week) and one kind."""

    key: str
    name: str
    counts: Counts


@dataclass
class AreaSeries:
    area: str
    area_name: str
    points: list[Counts]  # one per week of `Trend.weeks`


@dataclass
class Trend:
    kind: str
    label: str
    weeks: list[date]  # Mondays
    series: list[AreaSeries]


@dataclass
class ComplianceReport:
    filters: ComplianceFilters
    at: datetime
    lines: list[Line]
    kinds: list[Counts]  # per kind, by label
    trend: Trend | None  # the chosen kind, or the kind with the most due reviews
    breakdowns: dict[str, list[Group]]  # "case", "reviewer", "area", "slot", "week"
    rows: list[ComplianceRow] = field(repr=False, default_factory=list)


BREAKDOWN_TITLES = {
    "area": "By area",
    "reviewer": "By accountable reviewer",
    "slot": "By slot",
    "week": "By week",
    "case": "By case",
}


class _Labeller:
    """Rank labels for many (person, day) pairs: one query."""

    def __init__(self, users):
        users = {u.pk: u for u in users if u is not None}
        self.periods: dict[int, list] = defaultdict(list)
        if users:
            for period in _known(RankPeriod.objects.filter(user_id__in=users), None):
                self.periods[period.user_id].append(period)
        self.cache: dict[tuple[int, date], Person] = {}

    def person(self, user, day: date) -> Person | None:
        if user is None:
            return None
        key = (user.pk, day)
        if key not in self.cache:
            label = _label(*_effective_rank(self.periods[user.pk], day), user)
            self.cache[key] = Person(
                username=user.username,
                name=user.display_name,
                collar_number=user.collar_number,
                label=label,
            )
        return self.cache[key]


def _day(row: ComplianceRow) -> date:
    return row.item.slot_date or london_date(row.item.window_start)


def _lines(rows: list[ComplianceRow], *, user, force) -> list[Line]:
    case_ids = {row.item.case.pk for row in rows}
    visible = set(
        Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    slot_names = {
        (area_id, code): name
        for area_id, code, name in SlotDefinition.objects.filter(area__force=force).values_list(
            "area_id", "code", "name"
        )
    }
    users = []
    for row in rows:
        users.append(row.reviewer)
        users.append(row.designated_now)
        if row.counted is not None:
            users += [row.counted.reviewer, row.counted.on_behalf_of]
        for correction in row.corrections:
            users += [correction.person, correction.recorded_by]
    labeller = _Labeller(users)
    lines = []
    for row in rows:
        item, day = row.item, _day(row)
        counted = None
        if row.counted is not None:
            on = london_date(row.counted.recorded_at)
            counted = CountedReview(
                id=row.counted.pk,
                reviewer=labeller.person(row.counted.reviewer, on),
                on_behalf_of=labeller.person(row.counted.on_behalf_of, on),
                recorded_at=row.counted.recorded_at,
            )
        seen = item.case.pk in visible
        lines.append(
            Line(
                due_review=item.due_id,
                case=item.case.reference if seen else None,
                restricted=not seen,
                area=row.area.code,
                area_name=row.area.name,
                kind=item.kind,
                label=item.label,
                slot_date=item.slot_date,
                slot_code=item.slot_code,
                slot_name=slot_names.get((row.area.pk, item.slot_code), item.slot_code),
                window_start=item.window_start,
                window_end=item.window_end,
                late_after=item.late_after,
                closes_at=item.closes_at,
                reviewer=labeller.person(row.reviewer, day),
                how_decided=item.how_decided,
                status=item.status,
                counted_review=counted,
                corrections=[
                    Correction(
                        person=labeller.person(c.person, day),
                        recorded_at=c.recorded_at,
                        recorded_by=labeller.person(c.recorded_by, london_date(c.recorded_at)),
                        recorded_by_job=c.recorded_by_job,
                        reason=c.reason,
                    )
                    for c in row.corrections
                ],
                designated_now=labeller.person(row.designated_now, day),
            )
        )
    return lines


def _by_kind(rows) -> dict[str, Counts]:
    return {kind: Counts.of(entry) for kind, entry in compliance_by_kind(rows).items()}


def _sorted_kinds(counts: dict[str, Counts]) -> list[Counts]:
    return sorted(counts.values(), key=lambda c: (c.label.lower(), c.kind))


def _breakdown(rows, lines, key) -> list[Group]:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for row, line in zip(rows, lines, strict=True):
        groups[key(row, line)].append(row)
    result = []
    for (sort_key, name), members in sorted(groups.items()):
        for counts in _sorted_kinds(_by_kind(members)):
            result.append(Group(key=sort_key, name=name, counts=counts))
    return result


def _breakdowns(rows, lines) -> dict[str, list[Group]]:
    def reviewer(row, line):
        if line.reviewer is None:
            return ("", "Nobody named")
        return (line.reviewer.username, line.reviewer.label)

    return {
        "area": _breakdown(rows, lines, lambda row, line: (line.area, line.area_name)),
        "reviewer": _breakdown(rows, lines, reviewer),
        "slot": _breakdown(
            rows,
            lines,
            lambda row, line: (line.slot_code, line.slot_name or "Not a slot review"),
        ),
        "week": _breakdown(
            rows,
            lines,
            lambda row, line: (
                week_of(_day(row)).isoformat(),
                f"Week beginning {week_of(_day(row)):%d %b %Y}",
            ),
        ),
        "case": _breakdown(
            rows, lines, lambda row, line: (line.case or "", line.case or RESTRICTED)
        ),
    }


def _weekly_by_area(rows, lines, filters: ComplianceFilters, chosen: str, label: str) -> Trend:
    weeks = []
    week = week_of(filters.first)
    while week <= filters.last:
        weeks.append(week)
        week += timedelta(weeks=1)
    cells: dict[tuple[str, date], list] = defaultdict(list)
    areas: dict[str, str] = {}
    if filters.area is not None:
        areas[filters.area.code] = filters.area.name
    for row, line in zip(rows, lines, strict=True):
        if row.kind != chosen:
            continue
        areas[line.area] = line.area_name
        cells[(line.area, week_of(_day(row)))].append(row)
    series = []
    for code, name in sorted(areas.items(), key=lambda item: (item[1].lower(), item[0])):
        points = []
        for week in weeks:
            members = cells.get((code, week), [])
            points.append(_by_kind(members).get(chosen) or Counts(kind=chosen, label=label))
        series.append(AreaSeries(area=code, area_name=name, points=points))
    return Trend(kind=chosen, label=label, weeks=weeks, series=series)


def weekly_by_area(report: "ComplianceReport", kind: str) -> Trend:
    """One kind's counts per week and area (the exports' per-kind sheets)."""
    label = next((c.label for c in report.kinds if c.kind == kind), kind)
    return _weekly_by_area(report.rows, report.lines, report.filters, kind, label)


def _trend(rows, lines, filters: ComplianceFilters, kinds: list[Counts], force) -> Trend | None:
    """The chosen kind's weekly series, or, with no kind chosen, the kind most often due."""
    if filters.kind:
        chosen = filters.kind
    elif kinds:
        chosen = max(kinds, key=lambda c: (c.due, c.label)).kind
    else:
        return None
    label = next((c.label for c in kinds if c.kind == chosen), None)
    if label is None:  # nothing of the chosen kind in the period
        label = dict(force_kinds(force)).get(chosen, chosen)
    return _weekly_by_area(rows, lines, filters, chosen, label)


def compliance_report(
    *, user, filters: ComplianceFilters, at: datetime | None = None
) -> ComplianceReport:
    """The compliance of the user's force for `filters`, as at `at` (default now)."""
    at = at or now()
    force = user.force
    start, end = filters.bounds
    rows = compliance_rows(
        force=force,
        start=start,
        end=end,
        kind=filters.kind or None,
        area=filters.area,
        reviewer=filters.reviewer,
        at=at,
    )
    lines = _lines(rows, user=user, force=force)
    kinds = _sorted_kinds(_by_kind(rows))
    return ComplianceReport(
        filters=filters,
        at=at,
        lines=lines,
        kinds=kinds,
        trend=_trend(rows, lines, filters, kinds, force),
        breakdowns=_breakdowns(rows, lines),
        rows=rows,
    )
