"""Where the investigation apps plug into the shared screens and jobs.

The case page, the Daily Management Meeting board, closure, the sweep and the escalation
prompts are built once (web, oversight, outcomes). Each app that adds to an investigation
(actions, proof of life, communications data, disclosures, referrals, children...) names
its contribution here, by dotted path, so a newcomer can see from one file everything that
feeds a case page, a board row, a refusal to close or a nightly chase.

Every hook reads in bulk or for one case, never writes, except the sweep steps (services).
Hooks whose module is not importable are skipped, so an app can be developed in steps.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache

logger = logging.getLogger(__name__)


# --- what hooks return ------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardFlag:
    """Something on a board row that needs attention, e.g. "2 actions overdue".

    `code` is stable (filters, tests); `text` is plain words for the meeting; `severity` is
    "warning" (needs doing) or "info" (worth knowing); `link` a path inside Vigil.
    """

    code: str
    text: str
    severity: str = "warning"
    link: str = ""


@dataclass(frozen=True)
class Blocker:
    """One reason a case cannot be closed yet, said so the officer knows what to do."""

    code: str
    message: str
    link: str = ""


@dataclass(frozen=True)
class CaseSection:
    """A section of the case page: its Jinja template and the context it renders with."""

    template: str
    context: dict
    order: int = 100


# --- the registries ---------------------------------------------------------------------------

# Case page sections: "module:function(case, user, *, at) -> CaseSection | None".
CASE_SECTIONS = [
    "vigil.actions.sections:case_section",
    "vigil.proof_of_life.sections:case_section",
    "vigil.commsdata.sections:case_section",
    "vigil.disclosures.sections:case_section",
    "vigil.referrals.sections:case_section",
    "vigil.children.sections:case_section",
    "vigil.outcomes.sections:case_section",
    "vigil.casefile.sections:case_section",
    "vigil.investigations.sections:case_section",
]

# Board flags: "module:function(cases: list[Case], *, at) -> dict[case_id, list[BoardFlag]]".
# One call for the whole board: a fixed number of queries whatever the number of cases.
BOARD_FLAGS = [
    "vigil.actions.selectors:board_flags",
    "vigil.proof_of_life.selectors:board_flags",
    "vigil.commsdata.selectors:board_flags",
    "vigil.disclosures.selectors:board_flags",
    "vigil.referrals.selectors:board_flags",
    "vigil.children.selectors:board_flags",
    "vigil.outcomes.selectors:board_flags",
    "vigil.investigations.selectors:board_flags",
    "vigil.workload.selectors:board_flags",
]

# Closure: "module:function(case, *, at) -> list[Blocker]": every reason the case cannot
# close now. The outcomes app asks them all and refuses with every message at once.
CLOSURE_BLOCKERS = [
    "vigil.actions.selectors:closure_blockers",
    "vigil.commsdata.selectors:closure_blockers",
    "vigil.disclosures.selectors:closure_blockers",
    "vigil.referrals.selectors:closure_blockers",
    "vigil.children.selectors:closure_blockers",
    "vigil.oversight.selectors:closure_blockers",
]

# Sweep steps, run in this order after the prompts are raised and before they climb:
# (label, "module:function(*, at, system_job) -> int") — each idempotent (a service).
SWEEP_STEPS = [
    ("actions", "vigil.actions.services:actions_chase"),
    ("communications data", "vigil.commsdata.services:commsdata_chase"),
    ("disclosures", "vigil.disclosures.services:disclosures_chase"),
    ("referrals", "vigil.referrals.services:referrals_chase"),
    ("children", "vigil.children.services:children_chase"),
    ("investigations", "vigil.investigations.services:investigations_chase"),
    ("workload", "vigil.workload.services:workload_chase"),
    ("quality", "vigil.quality.services:quality_chase"),
    ("retention", "vigil.retention.services:retention_chase"),
]

# Escalation prompt checks added by other apps (vigil/oversight/selectors.py runs them):
# rule kind -> ("module:prefetch(case_ids, at) -> dict[case_id, object]",
#               "module:check(facts, data, rule, policy, at) -> (occurrence, question) | None")
# `data` is what prefetch returned for that case (None when absent); `facts` the oversight
# CaseFacts. A policy prompt entry names the kind in its "rule".
PROMPT_CHECKS: dict[str, tuple[str, str]] = {
    "disclosure_against_household": (
        "vigil.disclosures.selectors:suspect_prefetch",
        "vigil.disclosures.selectors:suspect_check",
    ),
    "disclosure_repeat": (
        "vigil.disclosures.selectors:repeat_prefetch",
        "vigil.disclosures.selectors:repeat_check",
    ),
    "repeat_child_episodes": (
        "vigil.children.selectors:trigger_prefetch",
        "vigil.children.selectors:trigger_check",
    ),
    "cawn_adult_appears": (
        "vigil.children.selectors:cawn_prefetch",
        "vigil.children.selectors:cawn_check",
    ),
    "reported_again_after_unseen_closure": (
        "vigil.outcomes.selectors:unseen_prefetch",
        "vigil.outcomes.selectors:unseen_check",
    ),
    "stale_work": (
        "vigil.workload.selectors:stale_prefetch",
        "vigil.workload.selectors:stale_check",
    ),
}


# Inside the reporting or grading service's own transaction (private helpers, never durable;
# they may write, with their own audit events): what a new case or a new grade sets going,
# e.g. mandatory initial actions for the grade, a child referral, protocol data pulled in.
# "module:function(*, case, actor, at) -> None" once a case is reported (graded or not);
ON_CASE_OPENED = [
    "vigil.actions.services:_on_case_opened",
    "vigil.referrals.services:_on_case_opened",
    "vigil.children.services:_on_case_opened",
    "vigil.outcomes.services:_on_case_opened",
]
# "module:function(*, case, grading, previous_grade, actor, at) -> None" after each grading.
ON_CASE_GRADED = [
    "vigil.actions.services:_on_case_graded",
    "vigil.children.services:_on_case_graded",
    "vigil.investigations.services:_on_case_graded",
]

# The last verified proof of life per case, read by the board, the case page and the
# "no proof of life" prompt: "module:function(case_ids, *, at) -> dict[case_id, datetime]".
# Until a case has one, each reader falls back to when the person was last seen.
PROOF_OF_LIFE = "vigil.proof_of_life.selectors:last_verified_for_cases"


# --- loading ----------------------------------------------------------------------------------


@cache
def load(path: str):
    """The function at "module:function", or None while that module does not exist yet."""
    module_name, _, attribute = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            return None
        raise
    return getattr(module, attribute, None)


def _functions(paths):
    return [f for f in (load(p) for p in paths) if f is not None]


def case_sections(case, user, *, at: datetime) -> list[CaseSection]:
    sections = [fn(case, user, at=at) for fn in _functions(CASE_SECTIONS)]
    return sorted((s for s in sections if s is not None), key=lambda s: s.order)


def board_flags(cases, *, at: datetime) -> dict[int, list[BoardFlag]]:
    out: dict[int, list[BoardFlag]] = {c.pk: [] for c in cases}
    if not cases:
        return out
    for fn in _functions(BOARD_FLAGS):
        for case_id, flags in (fn(cases, at=at) or {}).items():
            if case_id in out:
                out[case_id].extend(flags)
    return out


def closure_blockers(case, *, at: datetime) -> list[Blocker]:
    found: list[Blocker] = []
    for fn in _functions(CLOSURE_BLOCKERS):
        found.extend(fn(case, at=at) or [])
    return found


def sweep_steps() -> list[tuple[str, object]]:
    return [(label, fn) for label, fn in ((lb, load(p)) for lb, p in SWEEP_STEPS) if fn]


def case_opened(*, case, actor, at: datetime) -> None:
    for fn in _functions(ON_CASE_OPENED):
        fn(case=case, actor=actor, at=at)


def case_graded(*, case, grading, previous_grade: str, actor, at: datetime) -> None:
    for fn in _functions(ON_CASE_GRADED):
        fn(case=case, grading=grading, previous_grade=previous_grade, actor=actor, at=at)


def proof_of_life(case_ids, *, at: datetime) -> dict[int, datetime]:
    fn = load(PROOF_OF_LIFE)
    return (fn(list(case_ids), at=at) or {}) if fn is not None and case_ids else {}


def prompt_checks() -> dict[str, tuple[object, object]]:
    out = {}
    for kind, (prefetch, check) in PROMPT_CHECKS.items():
        pre, chk = load(prefetch), load(check)
        if pre is not None and chk is not None:
            out[kind] = (pre, chk)
    return out
