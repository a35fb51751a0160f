"""The Vulnerability Focus Desk: the queue of open cases that need a look (a required role
without an accepted holder, an overdue review, an unanswered prompt) and advice notes.

The queue is the board's rows filtered by `BoardRow.needs_focus`, so the two never disagree.
An advice note is insert-only, written with an audit event on the case (its timeline).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from vigil.access.cases import can_record_advice
from vigil.audit.services import audit_record
from vigil.cases.models import Case
from vigil.core.errors import NotAllowed, ServiceError
from vigil.core.time import now
from vigil.oversight.board import Board, BoardRow, build_board
from vigil.oversight.models import AdviceNote

ADVICE_SHOWN = 3  # the latest notes per case on the queue


@dataclass
class QueueRow:
    row: BoardRow
    reasons: list[str]
    advice: list[AdviceNote]


@dataclass
class FocusDeskQueue:
    board: Board
    rows: list[QueueRow]

    @property
    def at(self) -> datetime:
        return self.board.at


def _reasons(row: BoardRow) -> list[str]:
    reasons = []
    for answer in row.not_accepted:
        if answer.person is None:
            reasons.append(f"Nobody holds the {answer.role_label.lower()} role")
        else:
            reasons.append(f"{answer.role_label} not accepted")
    if row.overdue:
        count = len(row.overdue)
        reasons.append(f"{count} overdue review{'s' if count != 1 else ''}")
    if row.prompts:
        count = len(row.prompts)
        reasons.append(f"{count} unanswered prompt{'s' if count != 1 else ''}")
    return reasons


def advice_for_cases(case_ids, limit: int | None = ADVICE_SHOWN) -> dict[int, list[AdviceNote]]:
    """Advice notes per case, newest first (one query)."""
    notes: dict[int, list[AdviceNote]] = defaultdict(list)
    if not case_ids:
        return notes
    for note in (
        AdviceNote.objects.filter(case_id__in=list(case_ids))
        .select_related("author")
        .order_by("-recorded_at", "-pk")
    ):
        if limit is None or len(notes[note.case_id]) < limit:
            notes[note.case_id].append(note)
    return notes


def focus_desk_queue(user, *, area=None, at: datetime | None = None) -> FocusDeskQueue:
    board = build_board(user, area=area, at=at)
    wanted = [row for row in board.rows if row.needs_focus]
    advice = advice_for_cases([row.case.pk for row in wanted])
    return FocusDeskQueue(
        board=board,
        rows=[QueueRow(row, _reasons(row), advice.get(row.case.pk, [])) for row in wanted],
    )


def case_advice(case: Case) -> list[AdviceNote]:
    return advice_for_cases([case.pk], limit=None).get(case.pk, [])


@transaction.atomic(durable=True)
def advice_record(*, case: Case, actor, text: str) -> AdviceNote:
    """A focus desk officer's advice on a case, on its timeline."""
    if not can_record_advice(actor, case):
        raise NotAllowed("Only Vulnerability Focus Desk officers record advice notes.")
    if not text or not text.strip():
        raise ServiceError("Write the advice.", field="text")
    case = Case.objects.select_for_update(of=("self",)).select_related("force").get(pk=case.pk)
    note = AdviceNote.objects.create(
        force=case.force, case=case, text=text.strip(), author=actor, recorded_at=now()
    )
    audit_record(
        force=case.force,
        kind="oversight.focus_desk_advice",
        actor=actor,
        case=case,
        payload={"advice": note.pk, "text": note.text},
    )
    return note
