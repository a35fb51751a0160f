"""The board pages (force-wide and per area). Thin: check access, build the one board.

With htmx (`HX-Request`), the filters answer with the results block only, which htmx swaps
in (replacing the URL, never copying police data into the browser's history storage);
without, the whole page, so the filters work with no JavaScript and the page prints."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from vigil.access.cases import can_run_meeting, can_view_board, get_area_or_404, visible_areas
from vigil.core.time import london_date
from vigil.oversight.board import Board, build_board
from vigil.oversight.meetings import open_meeting
from vigil.oversight.meetings_forms import BoardFilterForm
from vigil.web.presenters import PersonLabeller, decided_words


def allowed(user) -> None:
    if not can_view_board(user):
        raise PermissionDenied(
            "The board is for sergeants and above, inspectors, the focus desk and administrators."
        )


def duration_words(delta: timedelta | None) -> str:
    if delta is None:
        return ""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def labeller_for(board: Board, day: date) -> PersonLabeller:
    labeller = PersonLabeller()
    for person in board.people:
        labeller.want(person, day)
    for row in board.rows:
        for answer in row.roles:
            labeller.want(answer.assigned_by, day)
        for item in row.overdue:
            labeller.want(item.reviewer, day)
    return labeller.resolve()


def present(board: Board) -> list[dict]:
    """What each board row shows, in plain words (people labelled with today's rank)."""
    day = london_date(board.at)
    labeller = labeller_for(board, day)
    rows = []
    for row in board.rows:
        roles = []
        for answer in row.roles:
            decided = decided_words(answer, labeller, day)
            roles.append(
                {
                    "role": answer.role,
                    "role_label": answer.role_label,
                    "person": labeller.label(answer.person, day) if answer.person else "Nobody",
                    "accepted": answer.person is not None and answer.accepted,
                    "headline": decided["headline"],
                    "detail": decided["detail"],
                }
            )
        last = row.last_review
        next_due = row.next_due
        rows.append(
            {
                "row": row,
                "case": row.case,
                "roles": roles,
                "missing_for": duration_words(row.missing_for),
                "since_proof": duration_words(row.since_proof_of_life),
                "last_review": {
                    "at": last.recorded_at,
                    "by": labeller.label(last.reviewer, day),
                    "label": last.kind_label,
                }
                if last
                else None,
                "next_due": {
                    "label": next_due.label,
                    "opens_at": next_due.opens_at,
                    "late_after": next_due.late_after,
                    "status": next_due.status_label,
                    "reviewer": labeller.label(row.next_reviewer, day)
                    if row.next_reviewer
                    else "Not named yet",
                    "how": row.next_reviewer_how,
                }
                if next_due
                else None,
                "overdue": [
                    {
                        "label": item.label,
                        "late_after": item.late_after,
                        "reviewer": labeller.label(item.reviewer, day) if item.reviewer else "",
                    }
                    for item in row.overdue
                ],
                "prompts": [
                    {
                        "label": state.prompt.label,
                        "pk": state.prompt.pk,
                        "with": labeller.label(state.addressed_to, day),
                    }
                    for state in row.prompts
                ],
            }
        )
    return rows


def _grades(user) -> list[tuple[str, str]]:
    from vigil.policy.selectors import grade_labels

    seen, out = set(), []
    for labels in grade_labels(user.force).values():
        for code, label in reversed(list(labels.items())):
            if code not in seen:
                seen.add(code)
                out.append((code, label))
    return out


def _page(request, area):
    allowed(request.user)
    form = BoardFilterForm(request.GET or None, grades=_grades(request.user))
    board = build_board(request.user, area=area, filters=form.filters())
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    action = request.path
    context = {
        "board": board,
        "rows": present(board),
        "form": form,
        "area": area,
        "areas": list(visible_areas(request.user)),
        "action": action,
        "query": urlencode(board.filters.params()),
        "open_meeting": open_meeting(request.user.force_id, area),
        "can_run_meeting": can_run_meeting(request.user, request.user.force_id),
        "nav": "board",
    }
    template = "oversight/_board_results.html" if partial else "oversight/board.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    response["Cache-Control"] = "no-store"
    return response


@login_required
def force_board(request):
    return _page(request, None)


@login_required
def area_board(request, code):
    area = get_area_or_404(request.user, code)
    return _page(request, area)
