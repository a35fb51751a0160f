"""Pages. Thin: check the input's shape, call one service, show its refusal on the form."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from vigil.access.cases import (
    can_endorse_grading,
    can_manage_roster,
    can_report,
    get_area_or_404,
    get_case_or_404,
    visible_areas,
)
from vigil.audit.selectors import case_timeline
from vigil.audit.services import readlog_record
from vigil.cases import selectors as cases
from vigil.cases.services import FactInput, case_grade, grading_endorse
from vigil.core import hooks
from vigil.core.errors import Conflict, ServiceError
from vigil.core.time import london_date, now
from vigil.missing.selectors import episode_for
from vigil.missing.services import missing_report
from vigil.organisation.selectors import force_people, person_labels
from vigil.oversight.prompts_views import case_prompts_context
from vigil.people.services import PersonDetails
from vigil.policy.document import RESPONSIBILITY_ROLES, Policy
from vigil.policy.selectors import grade_labels, policy_at
from vigil.responsibility.models import ROLE_LABELS
from vigil.responsibility.selectors import (
    holder_at,
    holding_history,
    my_cases,
    responsibility_at,
    role_timeline,
)
from vigil.responsibility.services import case_assign, case_handover, holding_accept
from vigil.reviews.selectors import case_review_section
from vigil.rosters import selectors as rosters
from vigil.rosters.models import DesignationRole
from vigil.rosters.services import roster_correct, roster_designate
from vigil.web import forms
from vigil.web.presenters import (
    PersonLabeller,
    decided_words,
    history_rows,
    holder_rows,
    system_job_label,
    timeline_entries,
    timeline_rows,
)

FORM_INVALID = 400


class SignInView(LoginView):
    template_name = "web/sign_in.html"
    form_class = forms.SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=FORM_INVALID)


@login_required
def home(request):
    user = request.user
    area = user.team.area if user.team_id else visible_areas(user).first()
    if area is None:
        raise PermissionDenied("Your account is not linked to a force. Ask an administrator.")
    return redirect("web:area_cases", code=area.code)


# Cases ------------------------------------------------------------------------------------


@login_required
def area_cases(request, code):
    area = get_area_or_404(request.user, code)
    filter_form = forms.StatusFilterForm(request.GET, statuses=cases.case_statuses())
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    labels = grade_labels(area.force)
    rows = [
        {
            "case": case,
            "grade": labels.get(case.case_type, {}).get(case.current_grade, case.current_grade),
            "episode": getattr(case, "missing", None),
        }
        for case in cases.area_cases(request.user, area, status or None)
    ]
    return render(
        request,
        "web/area_cases.html",
        {
            "area": area,
            "areas": list(visible_areas(request.user)),
            "rows": rows,
            "filter_form": filter_form,
            "status": status,
            "can_report": can_report(request.user, area),
        },
    )


@login_required
def report(request, code):
    area = get_area_or_404(request.user, code)
    if not can_report(request.user, area):
        raise PermissionDenied("You cannot report a case in this area.")
    status = 200
    if request.method == "POST":
        form = forms.ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            reporter = None
            if data["reporter_given_name"].strip():
                reporter = PersonDetails(
                    given_name=data["reporter_given_name"],
                    family_name=data["reporter_family_name"],
                )
            try:
                episode = missing_report(
                    actor=request.user,
                    area=area,
                    subject=PersonDetails(
                        given_name=data["given_name"],
                        family_name=data["family_name"],
                        date_of_birth=data["date_of_birth"],
                        description=data["description"],
                        vulnerabilities=data["vulnerabilities"],
                    ),
                    reporter=reporter,
                    reporter_relationship=data["reporter_relationship"],
                    reported_at=data["reported_at"],
                    last_seen_at=data["last_seen_at"],
                    last_seen_place=data["last_seen_place"],
                    circumstances=data["circumstances"],
                    missing_from_address=data["missing_from_address"],
                )
            except ServiceError as error:
                form.add_service_error(error)
                status = error.status_code
            else:
                reference = episode.case.reference
                messages.success(request, f"Missing person reported: {reference}. Now grade it.")
                return redirect("web:case_grade", reference=reference)
        else:
            status = FORM_INVALID
    else:
        form = forms.ReportForm()
    return render(request, "web/report.html", {"area": area, "form": form}, status=status)


def _responsibility(case, user, grade_label) -> dict:
    """The case page's "Who is responsible": each required role now, and the written
    holdings and handovers (a few queries whatever the case's age; who held each role at
    every moment, rules included, is its own page: `case_roles`)."""
    holders = holder_rows(responsibility_at(case), user)
    return {
        "holders": holders,
        "not_accepted": [row for row in holders if row["answer"].person and not row["accepted"]],
        "holding_history": history_rows(holding_history(case), grade_label),
    }


def _case_page(
    request,
    case,
    *,
    endorse_form=None,
    endorse_sequence=None,
    accept_error=None,
    status=200,
):
    gradings = cases.grading_history(case)
    policy = policy_at(case.force, case.case_type)
    current_label = policy.grade_label(case.current_grade) if case.current_grade else ""
    labeller = PersonLabeller()
    for grading in gradings:
        labeller.want(grading.assessed_by, london_date(grading.assessed_at))
        for endorsement in grading.endorsements.all():
            labeller.want(endorsement.endorsed_by, london_date(endorsement.endorsed_at))
    labeller.resolve()
    history = [
        {
            "grading": grading,
            "label": Policy(grading.policy_version).grade_label(grading.grade),
            "assessor": labeller.label(grading.assessed_by, london_date(grading.assessed_at)),
            "facts": list(grading.facts.all()),
            "endorsements": [
                {
                    "by": labeller.label(e.endorsed_by, london_date(e.endorsed_at)),
                    "at": e.endorsed_at,
                    "comment": e.comment,
                }
                for e in grading.endorsements.all()
            ],
            "latest": grading is gradings[-1],
        }
        for grading in reversed(gradings)
    ]
    return render(
        request,
        "web/case.html",
        {
            "case": case,
            "episode": episode_for(case),
            "current_grade": current_label,
            "history": history,
            "can_endorse": can_endorse_grading(request.user, case),
            "endorse_form": endorse_form,
            "endorse_sequence": endorse_sequence,
            "timeline": timeline_entries(case_timeline(case), policy.grade_label),
            "responsibility": _responsibility(case, request.user, policy.grade_label),
            "accept_error": accept_error,
            "reviews_section": case_review_section(case),
            **case_prompts_context(case, request.user),
            # Actions, proof of life, disclosures... (vigil.core.hooks.CASE_SECTIONS).
            "sections": hooks.case_sections(case, request.user, at=now()),
        },
        status=status,
    )


@login_required
def case_detail(request, reference):
    case = get_case_or_404(request.user, reference)
    readlog_record(user=request.user, case=case, channel="page", what=request.path)
    return _case_page(request, case)


@login_required
@require_POST
def grading_endorse_view(request, reference, sequence):
    case = get_case_or_404(request.user, reference)
    grading = cases.grading_by_sequence(case, sequence)
    if grading is None:
        raise Http404("No grading with that number.")
    form = forms.EndorseForm(request.POST)
    if form.is_valid():
        try:
            grading_endorse(
                grading=grading, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except ServiceError as error:
            form.add_service_error(error)
            status = error.status_code
        else:
            messages.success(request, f"You endorsed grading {sequence}.")
            return redirect("web:case", reference=case.reference)
    else:
        status = FORM_INVALID
    return _case_page(request, case, endorse_form=form, endorse_sequence=sequence, status=status)


@login_required
def grade(request, reference):
    case = get_case_or_404(request.user, reference)
    policy = policy_at(case.force, case.case_type)
    status = 200
    if request.method == "POST":
        form = forms.GradeForm(request.POST, policy=policy)
        if form.is_valid():
            data = form.cleaned_data
            facts = [
                FactInput(
                    question_code=code,
                    answer=data[f"answer_{code}"],
                    source=data[f"source_{code}"],
                    obtained_at=data[f"obtained_at_{code}"],
                )
                for code in form.answered
            ]
            try:
                grading = case_grade(
                    case=case,
                    grade=data["grade"],
                    rationale=data["rationale"],
                    facts=facts,
                    actor=request.user,
                )
            except ServiceError as error:
                form.add_service_error(error)
                status = error.status_code
            else:
                label = policy.grade_label(grading.grade)
                messages.success(request, f"Grading recorded: {label}.")
                return redirect("web:case", reference=case.reference)
        else:
            status = FORM_INVALID
    else:
        readlog_record(user=request.user, case=case, channel="page", what=request.path)
        form = forms.GradeForm(policy=policy)
    episode = episode_for(case)
    return render(
        request,
        "web/grade.html",
        {
            "case": case,
            "episode": episode,
            "form": form,
            "meanings": {g["code"]: g["meaning"] for g in policy.grades if g.get("meaning")},
            "current_grade": policy.grade_label(case.current_grade) if case.current_grade else "",
        },
        status=status,
    )


# Responsibility: my cases, assign, hand over, accept --------------------------------------


@login_required
def my_cases_page(request):
    user = request.user
    mine = my_cases(user)
    found = [mc.case for mc in mine.cases]
    prefetch_related_objects(found, "missing__subject")
    labels = grade_labels(user.force) if user.force_id else {}
    day = london_date(mine.at)
    labeller = PersonLabeller()
    for mc in mine.cases:
        for answer in mc.answers:
            labeller.want(answer.assigned_by, day)
    labeller.resolve()

    def subject(case):
        episode = getattr(case, "missing", None)
        return episode.subject.full_name if episode else ""

    rows = [
        {
            "case": mc.case,
            "subject": subject(mc.case),
            "grade": labels.get(mc.case.case_type, {}).get(
                mc.case.current_grade, mc.case.current_grade
            ),
            "roles": [
                {
                    "label": answer.role_label,
                    "since": answer.since,
                    "accepted": answer.accepted,
                    "decided": decided_words(answer, labeller, day),
                }
                for answer in mc.answers
            ],
        }
        for mc in mine.cases
    ]
    waiting = [
        {
            "case": case,
            "subject": subject(case),
            "role_label": answer.role_label,
            "since": answer.since,
            "decided": decided_words(answer, labeller, day),
        }
        for case, answer in mine.awaiting_acceptance
    ]
    return render(
        request,
        "web/my_cases.html",
        {"rows": rows, "waiting": waiting, "at": mine.at},
    )


@login_required
def case_roles(request, reference):
    """Who held each role from the case's opening to now, rule-decided holdings included.
    Evaluated at every slot boundary, so it costs a few queries per day the case is open."""
    case = get_case_or_404(request.user, reference)
    readlog_record(user=request.user, case=case, channel="page", what=request.path)
    # Roles required now, and any ever written (escalation writes a newly required one).
    wanted = {a.role for a in responsibility_at(case)}
    wanted |= {row.holding.role for row in holding_history(case)}
    timelines = [
        {
            "role_label": ROLE_LABELS[role],
            "rows": timeline_rows(role_timeline(case, role), role_label=ROLE_LABELS[role]),
        }
        for role in RESPONSIBILITY_ROLES
        if role in wanted
    ]
    return render(
        request,
        "web/case_roles.html",
        {
            "case": case,
            "episode": episode_for(case),
            "timelines": [t for t in timelines if t["rows"]],
        },
    )


def _role_or_404(role: str) -> str:
    if role not in RESPONSIBILITY_ROLES:
        raise Http404("No such role.")
    return role


def _people_choices(force):
    """The force's active people, labelled with their rank today, for a person select."""
    people = list(force_people(force))
    labels = person_labels(people, london_date(now()))
    return [(p.pk, labels[p.pk]) for p in people], {p.pk: p for p in people}


def _refuse(form, error: ServiceError, case, role: str, seen: str) -> str:
    """Show a service's refusal on the form. Returns the holder ref the page renders with: a
    conflict shows the holder now (so "check and try again" can succeed); any other refusal
    keeps what the person saw."""
    if isinstance(error, Conflict):
        current = holder_at(case, role)
        stale = bool(seen) and seen != current.ref
        form.add_error(None, forms.STALE_MESSAGE if stale else error.message)
        return current.ref
    form.add_service_error(error)
    return seen


def _holder_page(request, template, case, role, form, seen, status, **extra):
    current = holder_at(case, role)
    labeller = PersonLabeller()
    day = london_date(now())
    labeller.want(current.person, day)
    labeller.want(current.assigned_by, day)
    labeller.resolve()
    return render(
        request,
        template,
        {
            "case": case,
            "episode": episode_for(case),
            "role": role,
            "role_label": ROLE_LABELS[role],
            "current": {
                "person": labeller.label(current.person, day) if current.person else "Nobody",
                "since": current.since,
                "accepted": current.accepted,
                "decided": decided_words(current, labeller, day),
            },
            "form": form,
            "seen": seen,
            **extra,
        },
        status=status,
    )


@login_required
def role_assign(request, reference, role):
    case = get_case_or_404(request.user, reference)
    role = _role_or_404(role)
    choices, by_pk = _people_choices(case.force)
    status = 200
    if request.method == "POST":
        form = forms.AssignForm(request.POST, people=choices)
        seen = request.POST.get("seen", "")
        if form.is_valid():
            data = form.cleaned_data
            holder = by_pk[data["person"]]
            try:
                case_assign(
                    case=case,
                    role=role,
                    holder=holder,
                    actor=request.user,
                    reason=data["reason"],
                    seen=data["seen"] or None,
                )
            except ServiceError as error:
                seen = _refuse(form, error, case, role, seen)
                status = error.status_code
            else:
                messages.success(
                    request,
                    f"{holder.display_name} is now the {ROLE_LABELS[role].lower()} "
                    f"of {case.reference}.",
                )
                return redirect("web:case", reference=case.reference)
        else:
            status = FORM_INVALID
    else:
        readlog_record(user=request.user, case=case, channel="page", what=request.path)
        form = forms.AssignForm(people=choices)
        seen = holder_at(case, role).ref
    return _holder_page(request, "web/role_assign.html", case, role, form, seen, status)


@login_required
def role_handover(request, reference, role):
    case = get_case_or_404(request.user, reference)
    role = _role_or_404(role)
    choices, by_pk = _people_choices(case.force)
    policy = policy_at(case.force, case.case_type)
    current_grade = policy.grade_label(case.current_grade) if case.current_grade else ""
    grades = [(g["code"], g["label"]) for g in policy.grades]
    kwargs = {"people": choices, "grades": grades, "current_grade_label": current_grade}
    status = 200
    if request.method == "POST":
        form = forms.HandoverForm(request.POST, **kwargs)
        seen = request.POST.get("seen", "")
        if form.is_valid():
            to_holder = by_pk[form.cleaned_data["to_person"]]
            arguments = form.service_arguments()
            try:
                handover = case_handover(
                    case=case, role=role, to_holder=to_holder, actor=request.user, **arguments
                )
            except ServiceError as error:
                seen = _refuse(form, error, case, role, seen)
                status = error.status_code
            else:
                text = (
                    f"You handed the {ROLE_LABELS[role].lower()} of {case.reference} over to "
                    f"{to_holder.display_name}. They need to accept it."
                )
                if handover.grading is not None:
                    text += f" Risk re-graded: {policy.grade_label(handover.grading.grade)}."
                messages.success(request, text)
                return redirect("web:case", reference=case.reference)
        else:
            status = FORM_INVALID
    else:
        readlog_record(user=request.user, case=case, channel="page", what=request.path)
        form = forms.HandoverForm(**kwargs)
        seen = holder_at(case, role).ref
    return _holder_page(
        request,
        "web/role_handover.html",
        case,
        role,
        form,
        seen,
        status,
        current_grade=current_grade,
    )


@login_required
@require_POST
def role_accept(request, reference, role):
    case = get_case_or_404(request.user, reference)
    role = _role_or_404(role)
    form = forms.AcceptForm(request.POST)
    seen = form.cleaned_data["seen"] if form.is_valid() else ""
    try:
        holding_accept(case=case, role=role, actor=request.user, seen=seen or None)
    except ServiceError as error:
        text = error.message
        if isinstance(error, Conflict) and seen and seen != holder_at(case, role).ref:
            text = forms.STALE_MESSAGE
        return _case_page(
            request,
            case,
            accept_error={"text": text, "href": f"#role-{role}"},
            status=error.status_code,
        )
    messages.success(
        request, f"You accepted the {ROLE_LABELS[role].lower()} role on {case.reference}."
    )
    return redirect("web:case", reference=case.reference)


# Rosters ----------------------------------------------------------------------------------


@login_required
def roster(request, code):
    area = get_area_or_404(request.user, code)
    filter_form = forms.RosterFilterForm(request.GET)
    today = london_date(now())
    start, days, known_at = today, 7, None
    if filter_form.is_valid():
        start = filter_form.cleaned_data["start"] or today
        days = filter_form.cleaned_data["days"] or 7
        known_at = filter_form.cleaned_data["known_at"]
    grid = rosters.roster_grid(area, start, days, known_at=known_at)
    labeller = PersonLabeller()
    for row in grid:
        for designation in row.cells.values():
            if designation is not None:
                labeller.want(designation.person, row.slot.date)
    labeller.resolve()
    roles = list(DesignationRole.choices)
    table = [
        {
            "slot": row.slot,
            "cells": [
                {
                    "role": role,
                    "person": labeller.label(row.cells[role].person, row.slot.date)
                    if row.cells[role] is not None
                    else "",
                    "corrected": row.corrected[role],
                }
                for role, _label in roles
            ],
        }
        for row in grid
    ]
    role_names = dict(roles)
    unfilled = [
        {"slot": row.slot, "roles": [role_names[r] for r in row.missing_roles]}
        for row in rosters.unfilled_slots(area)
    ]
    return render(
        request,
        "web/roster.html",
        {
            "area": area,
            "areas": list(visible_areas(request.user)),
            "filter_form": filter_form,
            "start": start,
            "days": days,
            "known_at": known_at,
            "previous_start": start - timedelta(days=days),
            "next_start": start + timedelta(days=days),
            "roles": roles,
            "table": table,
            "unfilled": unfilled,
            "can_manage": can_manage_roster(request.user, area),
        },
        status=200 if filter_form.is_valid() else FORM_INVALID,
    )


def _chain(area, slot_date, slot_code, role):
    current = rosters.current_designation(area, slot_date, slot_code, role)
    if current is None:
        return None, []
    chain = rosters.designation_chain(current)
    labeller = PersonLabeller()
    for row in chain:
        labeller.want(row.person, row.slot_date)
        labeller.want(row.recorded_by, london_date(row.recorded_at))
    labeller.resolve()
    entries = [
        {
            "original": row.supersedes_id is None,
            "person": labeller.label(row.person, row.slot_date),
            "recorded_at": row.recorded_at,
            "recorded_by": labeller.label(row.recorded_by, london_date(row.recorded_at))
            if row.recorded_by
            else system_job_label(row.recorded_by_job),
            "reason": row.reason,
        }
        for row in chain
    ]
    return current, entries


@login_required
def designate(request, code):
    area = get_area_or_404(request.user, code)
    if not can_manage_roster(request.user, area):
        raise PermissionDenied("Only sergeants and above can change the roster.")
    today = london_date(now())
    slots = [
        (d.code, f"{d.name} ({d.starts:%H:%M} to {d.ends:%H:%M})")
        for d in rosters.slot_definitions(area)
    ]
    people = list(force_people(area.force))
    labels = person_labels(people, today)
    choices = [(p.pk, labels[p.pk]) for p in people]
    by_pk = {p.pk: p for p in people}
    status = 200
    if request.method == "POST":
        form = forms.DesignateForm(request.POST, slots=slots, people=choices)
        if form.is_valid():
            data = form.cleaned_data
            current = rosters.current_designation(
                area, data["slot_date"], data["slot_code"], data["role"]
            )
            person = by_pk[data["person"]]
            try:
                if current is not None:
                    roster_correct(
                        designation=current,
                        person=person,
                        reason=data["reason"],
                        actor=request.user,
                    )
                else:
                    roster_designate(
                        area=area,
                        slot_date=data["slot_date"],
                        slot_code=data["slot_code"],
                        role=data["role"],
                        person=person,
                        reason=data["reason"],
                        actor=request.user,
                    )
            except ServiceError as error:
                form.add_service_error(error)
                status = error.status_code
            else:
                verb = "corrected" if current is not None else "recorded"
                messages.success(
                    request,
                    f"Designation {verb}: {labels[person.pk]} on {data['slot_date']:%d %B %Y}.",
                )
                url = reverse("web:roster", kwargs={"code": area.code})
                return redirect(f"{url}?from={data['slot_date']:%Y-%m-%d}")
        else:
            status = FORM_INVALID
        chosen = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    else:
        initial = {
            "slot_code": request.GET.get("slot", ""),
            "role": request.GET.get("role", ""),
        }
        probe = forms.RosterFilterForm({"from": request.GET.get("date", "")})
        if probe.is_valid() and probe.cleaned_data["start"]:
            initial["slot_date"] = probe.cleaned_data["start"]
        form = forms.DesignateForm(initial=initial, slots=slots, people=choices)
        valid_slot = initial["slot_code"] in dict(slots)
        valid_role = initial["role"] in DesignationRole.values
        chosen = {
            "slot_date": initial.get("slot_date"),
            "slot_code": initial["slot_code"] if valid_slot else None,
            "role": initial["role"] if valid_role else None,
        }
    current, chain = None, []
    if chosen.get("slot_date") and chosen.get("slot_code") and chosen.get("role"):
        current, chain = _chain(area, chosen["slot_date"], chosen["slot_code"], chosen["role"])
    return render(
        request,
        "web/designate.html",
        {
            "area": area,
            "form": form,
            "current": current,
            "chain": chain,
            "chosen_role": dict(DesignationRole.choices).get(chosen.get("role") or ""),
            "chosen_slot": dict(slots).get(chosen.get("slot_code") or ""),
            "chosen_date": chosen.get("slot_date"),
        },
        status=status,
    )
