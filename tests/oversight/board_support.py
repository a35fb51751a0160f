"""A rostered North with open cases three days on, swept, for the board, meeting and focus
desk tests (tests/notices/support.py has the roster and duty hours).

Cases are reported at 09:00 on 3 June 2024 (last seen 06:00); the clock then moves to 16:00
on 6 June (the late slot): supervisory reviews of the medium cases are overdue, there is no
proof of life for more than three days, and the sweep has written due rows and prompts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import report
from tests.notices.support import london
from vigil.cases.services import case_grade
from vigil.oversight.sweep import sweep_once

BOARD_TIME = london(6, 16)


def open_cases(world, count: int, *, high: int = 1, prefix: str = "Case"):
    """`count` cases reported now in North, the first `high` re-graded high by the sergeant."""
    cases = []
    for i in range(count):
        case = report(world, given=f"{prefix}{i}", family="Missing")
        if i < high:
            case_grade(case=case, grade="high", rationale="Threats to self.", actor=world.sergeant)
        cases.append(case)
    return cases


def three_days_on(clock):
    clock.move_to(BOARD_TIME)
    sweep_once()


def queries(client, url: str, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return len(captured), response
