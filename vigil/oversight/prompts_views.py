"""Pages for escalation prompts: answer one, and the case's prompts as a fragment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from vigil.access.cases import get_case_or_404
from vigil.audit.services import readlog_record
from vigil.core.errors import ServiceError
from vigil.core.time import london_date
from vigil.oversight import selectors
from vigil.oversight.prompts_forms import PromptAnswerForm
from vigil.oversight.services import prompt_answer
from vigil.web.presenters import PersonLabeller

FORM_INVALID = 400


def prompt_rows(states, user) -> list[dict]:
    """What the prompt list shows for each prompt (people labelled with their rank then)."""
    labeller = PersonLabeller()
    for state in states:
        labeller.want(state.addressed_to, london_date(state.addressed_at))
        if state.answer:
            labeller.want(state.answer.answered_by, london_date(state.answer.answered_at))
    labeller.resolve()
    rows = []
    for state in states:
        answer = state.answer
        rows.append(
            {
                "state": state,
                "prompt": state.prompt,
                "with": labeller.label(state.addressed_to, london_date(state.addressed_at)),
                "answered_by": labeller.label(answer.answered_by, london_date(answer.answered_at))
                if answer
                else "",
                "may_answer": selectors.may_answer(user, state),
            }
        )
    return rows


def case_prompts_context(case, user) -> dict:
    """Context for `oversight/_case_prompts.html` (include it on the case page)."""
    states = selectors.case_prompts(case)
    return {
        "case": case,
        "prompt_rows": prompt_rows(states, user),
        "unanswered_prompts": sum(1 for s in states if not s.answered),
    }


@login_required
def case_prompts_fragment(request, reference):
    """The case's prompts as an HTML fragment (for htmx, or a link from the case page)."""
    case = get_case_or_404(request.user, reference)
    return render(request, "oversight/_case_prompts.html", case_prompts_context(case, request.user))


@login_required
def prompt_answer_page(request, pk):
    prompt = selectors.prompt_visible_to(request.user, pk)
    if prompt is None:
        raise Http404("No such prompt.")
    state = selectors.prompt_state(prompt)
    case = prompt.case
    status = 200
    if request.method == "POST":
        form = PromptAnswerForm(request.POST, decisions=prompt.decisions)
        if form.is_valid():
            try:
                prompt_answer(
                    prompt=prompt,
                    actor=request.user,
                    decision=form.cleaned_data["decision"],
                    rationale=form.cleaned_data["rationale"],
                )
            except ServiceError as error:
                form.add_service_error(error)
                status = error.status_code
            else:
                messages.success(request, f"Your decision on {case.reference} is recorded.")
                return redirect("web:case", reference=case.reference)
        else:
            status = FORM_INVALID
    else:
        readlog_record(user=request.user, case=case, channel="page", what=request.path)
        form = PromptAnswerForm(decisions=prompt.decisions)
    (row,) = prompt_rows([state], request.user)
    return render(
        request,
        "oversight/prompt_answer.html",
        {"case": case, "prompt": prompt, "state": state, "row": row, "form": form},
        status=status,
    )
