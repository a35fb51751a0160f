"""The sweep: periodic work, in order, each step idempotent.

1. `vigil.reviews.services.due_reviews_fix` writes the due rows of windows that have opened
   (when the reviews app is installed);
2. notices for due reviews newly opened or now overdue, to the accountable reviewer by the
   recipient rule;
3. `prompts_raise`: prompts the policy asks for;
3a. each app's chase (vigil.core.hooks.SWEEP_STEPS): overdue actions, re-runs, referrals...;
4. `prompts_climb`: unanswered prompts passed up the rank chain on their timer (or on to
   whoever is on duty when the person they are with has gone off duty).

`manage.py sweep` runs it once; `--every 60` loops. Tests call `sweep_once` (no sleeping).
"""

import importlib.util
import logging
from dataclasses import dataclass, field
from datetime import datetime

from vigil.core import hooks
from vigil.core.time import now
from vigil.oversight import services

logger = logging.getLogger(__name__)


@dataclass
class SweepReport:
    at: datetime
    lines: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    due_reviews: int = 0
    review_notices: int = 0
    prompts_raised: int = 0
    prompts_moved: int = 0
    chased: dict[str, int] = field(default_factory=dict)  # vigil.core.hooks.SWEEP_STEPS

    @property
    def ok(self) -> bool:
        return not self.failed


def _reviews_fix():
    if importlib.util.find_spec("vigil.reviews") is None:
        return None
    if importlib.util.find_spec("vigil.reviews.services") is None:
        return None
    from vigil.reviews import services as reviews

    return getattr(reviews, "due_reviews_fix", None)


def _count(result) -> int:
    if result is None:
        return 0
    if isinstance(result, int):
        return result
    try:
        return len(result)
    except TypeError:
        return 1


_FAILED = object()


def sweep_once(*, at: datetime | None = None, system_job: str = "sweep") -> SweepReport:
    """One pass of every step. A step that fails is reported and the others still run."""
    report = SweepReport(at=at or now())

    def step(name, function):
        try:
            return function()
        except Exception as exc:
            logger.exception("sweep step %s failed", name)
            report.failed.append(f"{name}: {exc}")
            report.lines.append(f"{name}: FAILED ({exc})")
            return _FAILED

    fix = _reviews_fix()
    if fix is None:
        report.lines.append("due reviews: the reviews app is not installed; skipped")
    else:
        fixed = step("due reviews", lambda: fix(system_job=system_job))
        if fixed is not _FAILED:
            report.due_reviews = _count(fixed)
            report.lines.append(f"due reviews: {report.due_reviews} written")
    sent = step("review notices", lambda: services.due_review_notices_send(system_job=system_job))
    if sent is not _FAILED:
        report.review_notices = len(sent)
        report.lines.append(f"review notices: {len(sent)} sent")
    raised = step("prompts", lambda: services.prompts_raise(system_job=system_job))
    if raised is not _FAILED:
        report.prompts_raised = len(raised)
        report.lines.append(f"prompts: {len(raised)} raised")
        for prompt in raised:
            report.lines.append(f"  {prompt.case.reference}: {prompt.label}")
    for label, chase in hooks.sweep_steps():
        done = step(label, lambda chase=chase: chase(at=report.at, system_job=system_job))
        if done is not _FAILED:
            report.chased[label] = _count(done)
            report.lines.append(f"{label}: {report.chased[label]} chased")
    moved = step("prompt climbs", lambda: services.prompts_climb(system_job=system_job))
    if moved is not _FAILED:
        report.prompts_moved = len(moved)
        report.lines.append(f"prompt climbs: {len(moved)} passed on")
        for item in moved:
            report.lines.append(
                f"  {item.prompt.case.reference}: {item.prompt.label} -> "
                f"{item.escalation.get_level_role_display().lower()} ({item.escalation.reason})"
            )
    return report
