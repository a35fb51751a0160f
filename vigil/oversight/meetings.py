"""The Daily Management Meeting as a record: who chaired and attended, each open case
discussed or not, the decisions minuted against cases, and when it closed.

Every row is insert-only (a meeting is never edited: marks, decisions and the closing are rows
of their own). Each service is one durable transaction with an audit event; marking a case
discussed and minuting a decision are events on that case, so they are on its timeline.
Closing writes a "not discussed" mark for every open case in the meeting's scope (that the
chair may see) that was not marked, so the record says of each case one or the other.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from vigil.access.cases import can_run_meeting
from vigil.audit.services import audit_record
from vigil.cases.models import Case
from vigil.core.errors import Conflict, NotAllowed, ServiceError
from vigil.core.time import london_date, now
from vigil.organisation.models import User
from vigil.oversight.models import (
    DecisionKind,
    Meeting,
    MeetingAttendee,
    MeetingCase,
    MeetingClosure,
    MeetingDecision,
)

OPEN_STATUSES = ("reported", "open")


# --- reads ----------------------------------------------------------------------------------


def meeting_visible_to(user, pk, *, force_id: bool = False) -> Meeting | None:
    """A meeting of the user's own force (anything else reads as not there). With
    `force_id=True`, `user` is a force id (to re-read a meeting just written)."""
    force = user if force_id else getattr(user, "force_id", None)
    if force is None:
        return None
    return (
        Meeting.objects.filter(pk=pk, force_id=force)
        .select_related("area", "chair", "opened_by", "closure", "closure__closed_by")
        .first()
    )


def is_closed(meeting: Meeting) -> bool:
    try:
        return meeting.closure is not None
    except MeetingClosure.DoesNotExist:
        return False


def open_meeting(force_id, area=None) -> Meeting | None:
    """The meeting of this scope (an area, or force-wide) still open, if any."""
    return (
        Meeting.objects.filter(force_id=force_id, area=area, closure__isnull=True)
        .select_related("area", "chair")
        .order_by("-opened_at", "-pk")
        .first()
    )


def recent_meetings(user, limit: int = 20) -> list[Meeting]:
    if getattr(user, "force_id", None) is None:
        return []
    return list(
        Meeting.objects.filter(force_id=user.force_id)
        .select_related("area", "chair", "closure")
        .order_by("-opened_at", "-pk")[:limit]
    )


@dataclass
class MeetingRecord:
    meeting: Meeting
    attendees: list[User]
    marks: dict[int, MeetingCase]  # case id -> mark
    decisions: list[MeetingDecision]

    @property
    def closed(self) -> bool:
        return is_closed(self.meeting)

    def decisions_on(self, case_id: int) -> list[MeetingDecision]:
        return [d for d in self.decisions if d.case_id == case_id]


def meeting_record(meeting: Meeting) -> MeetingRecord:
    attendees = [
        a.person
        for a in MeetingAttendee.objects.filter(meeting=meeting)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    ]
    marks = {
        m.case_id: m for m in MeetingCase.objects.filter(meeting=meeting).select_related("case")
    }
    decisions = list(
        MeetingDecision.objects.filter(meeting=meeting)
        .select_related("case", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    return MeetingRecord(meeting, attendees, marks, decisions)


def cases_in_scope(meeting: Meeting, user):
    """Open cases the meeting covers that `user` may see."""
    qs = Case.objects.visible_to(user).filter(
        force_id=meeting.force_id, status__in=OPEN_STATUSES, created_at__lte=now()
    )
    if meeting.area_id is not None:
        qs = qs.filter(area_id=meeting.area_id)
    return qs


# --- writes ---------------------------------------------------------------------------------


def _check_runner(actor, force_id) -> None:
    if not can_run_meeting(actor, force_id):
        raise NotAllowed(
            "Only sergeants and above, inspectors, the focus desk and administrators run the "
            "Daily Management Meeting."
        )


def _lock_meeting(meeting: Meeting) -> Meeting:
    """Lock the meeting row (writers of one meeting queue here) and refuse a closed one."""
    locked = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("force", "area")
        .get(pk=meeting.pk)
    )
    if MeetingClosure.objects.filter(meeting=locked).exists():
        raise Conflict("This meeting has been closed: open a new one.")
    return locked


def _case_in_meeting(meeting: Meeting, case: Case, actor) -> Case:
    found = cases_in_scope(meeting, actor).select_related("area").filter(pk=case.pk).first()
    if found is None:
        raise ServiceError("That case is not an open case this meeting covers.", field="case")
    return found


def _member(force_id, person, field: str) -> User:
    if person is None or person.force_id != force_id or not person.is_active:
        raise ServiceError("Choose a serving member of this force.", field=field)
    return person


def _scope_words(meeting: Meeting) -> str:
    return meeting.area.name if meeting.area_id else "force-wide"


@transaction.atomic(durable=True)
def meeting_open(
    *,
    actor,
    area=None,
    chair=None,
    attendees=(),
    meeting_date: date | None = None,
) -> Meeting:
    """Open a meeting for an area (or force-wide, with no area), chaired by `chair` (default
    the actor), with who attended. One open meeting per scope at a time."""
    force_id = actor.force_id
    _check_runner(actor, force_id)
    if area is not None and area.force_id != force_id:
        raise ServiceError("Choose an area of your own force.", field="area")
    chair = _member(force_id, chair or actor, "chair")
    people = {p.pk: _member(force_id, p, "attendees") for p in attendees}
    people.setdefault(chair.pk, chair)
    at = now()
    day = meeting_date or london_date(at)
    if day > london_date(at):
        raise ServiceError("A meeting cannot be dated in the future.", field="meeting_date")
    from vigil.organisation.models import Force

    force = Force.objects.select_for_update().get(pk=force_id)  # one opening at a time
    if open_meeting(force_id, area) is not None:
        where = area.name if area is not None else "the force"
        raise Conflict(f"A meeting for {where} is already open: continue it or close it first.")
    meeting = Meeting.objects.create(
        force=force,
        area=area,
        meeting_date=day,
        chair=chair,
        opened_at=at,
        opened_by=actor,
    )
    MeetingAttendee.objects.bulk_create(
        MeetingAttendee(meeting=meeting, person=p, recorded_at=at) for p in people.values()
    )
    audit_record(
        force=force,
        kind="oversight.meeting_opened",
        actor=actor,
        payload={
            "meeting": meeting.pk,
            "area": area.code if area is not None else None,
            "date": day.isoformat(),
            "chair": chair.pk,
            "attendees": sorted(people),
        },
    )
    return meeting


def _mark(meeting: Meeting, case: Case, actor, discussed: bool, at) -> MeetingCase:
    try:
        with transaction.atomic():
            mark = MeetingCase.objects.create(
                meeting=meeting, case=case, discussed=discussed, marked_at=at, marked_by=actor
            )
    except IntegrityError:
        raise Conflict(f"{case.reference} is already marked at this meeting.") from None
    if discussed:
        audit_record(
            force=meeting.force,
            kind="oversight.discussed_at_meeting",
            actor=actor,
            case=case,
            payload={
                "meeting": meeting.pk,
                "scope": _scope_words(meeting),
                "date": meeting.meeting_date.isoformat(),
            },
        )
    return mark


@transaction.atomic(durable=True)
def meeting_mark_discussed(*, meeting: Meeting, case: Case, actor) -> MeetingCase:
    """Record that the meeting discussed an open case it covers (once per case)."""
    _check_runner(actor, meeting.force_id)
    meeting = _lock_meeting(meeting)
    case = _case_in_meeting(meeting, case, actor)
    return _mark(meeting, case, actor, True, now())


@transaction.atomic(durable=True)
def meeting_minute_decision(
    *, meeting: Meeting, case: Case, actor, kind: str, text: str
) -> MeetingDecision:
    """Minute a decision against a case (marking it discussed if it was not yet)."""
    _check_runner(actor, meeting.force_id)
    if kind not in DecisionKind.values:
        raise ServiceError("Choose what kind of decision this is.", field="kind")
    if not text or not text.strip():
        raise ServiceError("Write down the decision.", field="text")
    meeting = _lock_meeting(meeting)
    case = _case_in_meeting(meeting, case, actor)
    at = now()
    if not MeetingCase.objects.filter(meeting=meeting, case=case).exists():
        _mark(meeting, case, actor, True, at)
    decision = MeetingDecision.objects.create(
        meeting=meeting, case=case, kind=kind, text=text.strip(), recorded_at=at, recorded_by=actor
    )
    audit_record(
        force=meeting.force,
        kind="oversight.meeting_decision",
        actor=actor,
        case=case,
        payload={
            "meeting": meeting.pk,
            "decision": decision.pk,
            "kind": kind,
            "kind_label": DecisionKind(kind).label,
            "text": decision.text,
        },
    )
    return decision


@transaction.atomic(durable=True)
def meeting_close(*, meeting: Meeting, actor) -> MeetingClosure:
    """Close the meeting: every open case it covers not marked is recorded as not discussed."""
    _check_runner(actor, meeting.force_id)
    meeting = _lock_meeting(meeting)
    at = now()
    marked = set(MeetingCase.objects.filter(meeting=meeting).values_list("case_id", flat=True))
    unmarked = [
        pk
        for pk in cases_in_scope(meeting, actor).order_by("pk").values_list("pk", flat=True)
        if pk not in marked
    ]
    MeetingCase.objects.bulk_create(
        MeetingCase(meeting=meeting, case_id=pk, discussed=False, marked_at=at, marked_by=actor)
        for pk in unmarked
    )
    closure = MeetingClosure.objects.create(meeting=meeting, closed_at=at, closed_by=actor)
    audit_record(
        force=meeting.force,
        kind="oversight.meeting_closed",
        actor=actor,
        payload={
            "meeting": meeting.pk,
            "discussed": len(marked),
            "not_discussed": unmarked,
        },
    )
    return closure
