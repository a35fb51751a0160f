"""Review pages: thin. Find the case within the user's scope, call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from vigil.access.cases import get_case_or_404
from vigil.audit.services import readlog_record
from vigil.core.errors import ServiceError
from vigil.core.time import london_date, now
from vigil.organisation.selectors import person_label
from vigil.policy.selectors import policy_at
from vigil.reviews import forms, selectors
from vigil.reviews.models import DueReview
from vigil.reviews.services import review_record
from vigil.web.govuk import field_anchor

FORM_INVALID = 400


def _error_summary(form) -> dict | None:
    """The GOV.UK error summary, each message linked to its field. (vigil.web.govuk's
    error_list slices the ErrorList, which renders messages as "['...']".)"""
    if not form.is_bound:
        return None
    items = [{"text": error} for error in form.non_field_errors()]
    for name in form.fields:
        errors = form.errors.get(name)
        if errors:
            items.append({"text": errors[0], "href": field_anchor(form, name)})
    return {"titleText": "There is a problem", "errorList": items} if items else None


@login_required
def mine(request):
    reviews = selectors.my_reviews_due(request.user)
    area = request.user.team.area if request.user.team_id else None
    return render(request, "reviews/mine.html", {"mine": reviews, "area": area, "nav": "reviews"})


def _due_from_query(case, raw):
    if not raw or not str(raw).isdigit():
        return None
    return (
        DueReview.objects.filter(pk=int(raw), case=case).select_related("reviewer", "case").first()
    )


@login_required
def record(request, reference):
    case = get_case_or_404(request.user, reference)
    due = _due_from_query(case, request.GET.get("due") or request.POST.get("due"))
    policy = policy_at(case.force, case.case_type)
    kinds = [(k["code"], k["label"]) for k in policy.reviews]
    if due is not None and due.kind not in dict(kinds):
        kinds.append((due.kind, due.kind_label))
    grades = [(g["code"], g["label"]) for g in policy.grades if g["code"] != case.current_grade]
    accountable = None
    if due is not None and due.reviewer_id and due.reviewer_id != request.user.pk:
        accountable = person_label(due.reviewer, london_date(due.window_start))
    item = None
    if due is not None:
        item = next(i for i in selectors.due_reviews(case) if i.due_id == due.pk)
    options = {"kinds": kinds, "grades": grades, "accountable": accountable}
    status = 200
    if request.method == "POST":
        form = forms.ReviewForm(request.POST, **options)
        if form.is_valid():
            data = form.cleaned_data
            on_behalf = data.get("attribution") == forms.ON_BEHALF
            try:
                recorded = review_record(
                    case=case,
                    kind=data["kind"],
                    actor=request.user,
                    due=due,
                    on_behalf_of=due.reviewer if on_behalf and due else None,
                    risk_confirmed=data["risk"] == "confirmed",
                    new_grade=data["new_grade"] if data["risk"] == "changed" else "",
                    rationale=data["rationale"],
                    facts_relied_on=data["facts_relied_on"],
                    actions_reviewed=data["actions_reviewed"],
                    decisions=data["decisions"],
                    next_steps=data["next_steps"],
                )
            except ServiceError as error:
                form.add_service_error(error)
                status = error.status_code
            else:
                level = messages.SUCCESS if recorded.counts else messages.WARNING
                messages.add_message(
                    request, level, f"Review of {case.reference} recorded. {recorded.message}"
                )
                return redirect("reviews:mine")
        else:
            status = FORM_INVALID
    else:
        readlog_record(user=request.user, case=case, channel="page", what=request.path)
        initial = {"kind": due.kind} if due is not None else {}
        form = forms.ReviewForm(initial=initial, **options)
    return render(
        request,
        "reviews/record.html",
        {
            "case": case,
            "area": case.area,
            "nav": "cases",
            "form": form,
            "error_summary_params": _error_summary(form),
            "due": due,
            "item": item,
            "now": now(),
        },
        status=status,
    )
