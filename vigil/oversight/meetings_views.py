"""Daily Management Meeting pages: open one (from the board), mark cases discussed, minute
decisions, close it. Thin: each POST calls one service and shows its refusal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from vigil.access.cases import get_area_or_404, get_case_or_404
from vigil.core.errors import ServiceError
from vigil.core.time import london_date, now
from vigil.organisation.selectors import force_member, person_labels
from vigil.oversight import meetings
from vigil.oversight.board_views import allowed
from vigil.oversight.meetings_forms import DecisionForm, MeetingOpenForm
from vigil.oversight.models import DecisionKind
from vigil.web.govuk import error_summary

FORM_INVALID = 400


def _meeting_or_404(user, pk):
    meeting = meetings.meeting_visible_to(user, pk)
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def _meeting_url(meeting, anchor: str = "") -> str:
    url = reverse("board:meeting", kwargs={"pk": meeting.pk})
    return f"{url}#{anchor}" if anchor else url


def _people(force_id, raw: str):
    """Usernames or collar numbers, separated by commas, spaces or new lines."""
    found, unknown = [], []
    for ident in raw.replace(",", " ").split():
        person = force_member(force_id, ident)
        if person is None:
            from vigil.organisation.models import User

            person = User.objects.filter(force_id=force_id, collar_number=ident).first()
        (found if person is not None else unknown).append(person or ident)
    return found, unknown


@login_required
def meeting_open_page(request):
    allowed(request.user)
    code = request.GET.get("area") or request.POST.get("area") or ""
    area = get_area_or_404(request.user, code) if code else None
    status = 200
    if request.method == "POST":
        form = MeetingOpenForm(request.POST)
        if form.is_valid():
            chair, attendees = None, []
            raw_chair = form.cleaned_data["chair"].strip()
            if raw_chair:
                people, unknown = _people(request.user.force_id, raw_chair)
                if unknown or len(people) != 1:
                    form.add_error("chair", "Enter the chair's username or collar number")
                else:
                    chair = people[0]
            attendees, unknown = _people(request.user.force_id, form.cleaned_data["attendees"])
            if unknown:
                form.add_error(
                    "attendees", f"No one in your force is known as {', '.join(unknown)}"
                )
            if not form.errors:
                try:
                    meeting = meetings.meeting_open(
                        actor=request.user, area=area, chair=chair, attendees=attendees
                    )
                except ServiceError as error:
                    form.add_service_error(error)
                else:
                    messages.success(request, "Meeting opened. Mark each case as you discuss it.")
                    return redirect(_meeting_url(meeting))
        status = FORM_INVALID
    else:
        form = MeetingOpenForm()
    return render(
        request,
        "oversight/meeting_open.html",
        {
            "form": form,
            "area": area,
            "scope": area.name if area else "the whole force",
            "error_summary_params": error_summary(form),
            "open_meeting": meetings.open_meeting(request.user.force_id, area),
            "nav": "board",
        },
        status=status,
    )


@login_required
def meeting_page(request, pk):
    allowed(request.user)
    meeting = _meeting_or_404(request.user, pk)
    record = meetings.meeting_record(meeting)
    if record.closed:
        ids = list(record.marks)
        cases = meetings.Case.objects.visible_to(request.user).filter(pk__in=ids)
    else:
        cases = meetings.cases_in_scope(meeting, request.user)
    cases = list(cases.select_related("area", "missing", "missing__subject").order_by("pk"))
    day = london_date(meeting.opened_at)
    labels = person_labels(
        [meeting.chair, *record.attendees, *(d.recorded_by for d in record.decisions)], day
    )
    rows = []
    for case in cases:
        mark = record.marks.get(case.pk)
        episode = getattr(case, "missing", None)
        rows.append(
            {
                "case": case,
                "subject": (
                    f"{episode.subject.given_name} {episode.subject.family_name}" if episode else ""
                ),
                "discussed": bool(mark and mark.discussed),
                "marked": mark is not None,
                "decisions": [
                    {"decision": d, "by": labels.get(d.recorded_by_id, "")}
                    for d in record.decisions_on(case.pk)
                ],
            }
        )
    return render(
        request,
        "oversight/meeting.html",
        {
            "meeting": meeting,
            "record": record,
            "rows": rows,
            "chair": labels.get(meeting.chair_id, meeting.chair.display_name),
            "attendees": [labels.get(p.pk, p.display_name) for p in record.attendees],
            "discussed": sum(1 for r in rows if r["discussed"]),
            "area": meeting.area,
            "nav": "board",
        },
    )


@login_required
@require_POST
def meeting_discussed(request, pk, reference):
    allowed(request.user)
    meeting = _meeting_or_404(request.user, pk)
    case = get_case_or_404(request.user, reference)
    try:
        meetings.meeting_mark_discussed(meeting=meeting, case=case, actor=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{case.reference} marked as discussed.")
    return redirect(_meeting_url(meeting, f"case-{case.reference}"))


@login_required
def meeting_decision(request, pk, reference):
    allowed(request.user)
    meeting = _meeting_or_404(request.user, pk)
    case = get_case_or_404(request.user, reference)
    status = 200
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                meetings.meeting_minute_decision(
                    meeting=meeting,
                    case=case,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                )
            except ServiceError as error:
                form.add_service_error(error)
                status = error.status_code
            else:
                messages.success(request, f"Decision on {case.reference} minuted.")
                return redirect(_meeting_url(meeting, f"case-{case.reference}"))
        else:
            status = FORM_INVALID
    else:
        form = DecisionForm()
    return render(
        request,
        "oversight/meeting_decision.html",
        {
            "meeting": meeting,
            "case": case,
            "form": form,
            "kinds": DecisionKind.choices,
            "error_summary_params": error_summary(form),
            "area": meeting.area,
            "nav": "board",
            "now": now(),
        },
        status=status,
    )


@login_required
@require_POST
def meeting_close_view(request, pk):
    allowed(request.user)
    meeting = _meeting_or_404(request.user, pk)
    try:
        meetings.meeting_close(meeting=meeting, actor=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Meeting closed. Cases not marked are recorded as not discussed.")
    return redirect(_meeting_url(meeting))
