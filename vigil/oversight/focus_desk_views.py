"""The Vulnerability Focus Desk queue and advice notes. Thin: check access, call one thing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from vigil.access.cases import (
    can_record_advice,
    get_area_or_404,
    get_case_or_404,
    is_focus_desk_officer,
    visible_areas,
)
from vigil.audit.services import readlog_record
from vigil.core.errors import ServiceError
from vigil.core.time import london_date
from vigil.organisation.selectors import person_labels
from vigil.oversight.board_views import allowed, present
from vigil.oversight.focus_desk import advice_record, case_advice, focus_desk_queue
from vigil.oversight.meetings_forms import AdviceForm
from vigil.web.govuk import error_summary

FORM_INVALID = 400


@login_required
def queue(request):
    allowed(request.user)
    code = request.GET.get("area", "")
    area = get_area_or_404(request.user, code) if code else None
    found = focus_desk_queue(request.user, area=area)
    presented = {p["case"].pk: p for p in present(found.board)}
    day = london_date(found.at)
    authors = person_labels([n.author for q in found.rows for n in q.advice], day)
    rows = [
        {
            "board": presented[q.row.case.pk],
            "reasons": q.reasons,
            "advice": [{"note": n, "by": authors.get(n.author_id, "")} for n in q.advice],
        }
        for q in found.rows
    ]
    return render(
        request,
        "oversight/focus_desk.html",
        {
            "queue": found,
            "rows": rows,
            "area": area,
            "areas": list(visible_areas(request.user)),
            "may_advise": is_focus_desk_officer(request.user),
            "nav": "focus_desk",
        },
    )


@login_required
def advice_new(request, reference):
    case = get_case_or_404(request.user, reference)
    if not can_record_advice(request.user, case):
        raise PermissionDenied("Only Vulnerability Focus Desk officers record advice notes.")
    status = 200
    if request.method == "POST":
        form = AdviceForm(request.POST)
        if form.is_valid():
            try:
                advice_record(case=case, actor=request.user, text=form.cleaned_data["text"])
            except ServiceError as error:
                form.add_service_error(error)
                status = error.status_code
            else:
                messages.success(request, f"Advice on {case.reference} recorded.")
                return redirect(reverse("board:focus_desk") + f"#case-{case.reference}")
        else:
            status = FORM_INVALID
    else:
        readlog_record(user=request.user, case=case, channel="page", what=request.path)
        form = AdviceForm()
    notes = case_advice(case)
    labels = person_labels([n.author for n in notes], london_date(case.created_at))
    return render(
        request,
        "oversight/advice_new.html",
        {
            "case": case,
            "form": form,
            "notes": [{"note": n, "by": labels.get(n.author_id, "")} for n in notes],
            "error_summary_params": error_summary(form),
            "area": case.area,
            "nav": "focus_desk",
        },
        status=status,
    )
