"""A policy document's shape: checked when published, read through one small class."""

from vigil.core.errors import ServiceError
from vigil.organisation.models import Rank

RESPONSIBILITY_ROLES = ("owner", "supervisor", "sio", "reviewing_inspector")


def validate_document(document: dict) -> None:
    if not isinstance(document, dict):
        raise ServiceError("The policy must be a JSON object.", field="document")
    grades = document.get("grades")
    if not isinstance(grades, list) or not grades:
        raise ServiceError("The policy needs at least one grade.", field="document")
    codes = [g.get("code") for g in grades if isinstance(g, dict)]
    if len(codes) != len(grades) or not all(isinstance(c, str) and c for c in codes):
        raise ServiceError("Every grade needs a code and a label.", field="document")
    if len(set(codes)) != len(codes):
        raise ServiceError("Grade codes must be unique.", field="document")
    for question in document.get("questions", []):
        if not isinstance(question, dict) or not question.get("code") or not question.get("text"):
            raise ServiceError("Every risk question needs a code and a text.", field="document")
    required = document.get("required_roles", {})
    if set(required) - set(codes):
        raise ServiceError("Required roles name a grade the scale does not have.", field="document")
    for grade, roles in required.items():
        for entry in roles:
            if entry.get("role") not in RESPONSIBILITY_ROLES:
                raise ServiceError(
                    f"Unknown role {entry.get('role')!r} for {grade}.", field="document"
                )
            if entry.get("min_rank") not in Rank.values:
                raise ServiceError(
                    f"Unknown rank {entry.get('min_rank')!r} for {grade}.", field="document"
                )
    validate_prompts(document.get("prompts", []), codes)
    _validate_reviews(document.get("reviews", []), codes)


REVIEW_DESIGNATIONS = ("mp_sergeant", "duty_inspector", "on_call_di", "on_call_superintendent")


def _number(value, *, allow_none: bool = False) -> bool:
    if value is None:
        return allow_none
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _validate_reviews(reviews, grade_codes: list[str]) -> None:
    """Review kinds (vigil/reviews): each with a cadence, a reviewer rule and its timings."""

    def refuse(message: str):
        raise ServiceError(message, field="document")

    if not isinstance(reviews, list):
        refuse("Review kinds must be a list.")
    seen = set()
    for entry in reviews:
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("label"):
            refuse("Every review kind needs a code and a label.")
        code = entry["code"]
        if code in seen:
            refuse(f"Review kind {code!r} appears twice.")
        seen.add(code)
        grades = entry.get("grades")
        if not isinstance(grades, list) or not grades or set(grades) - set(grade_codes):
            refuse(f"Review kind {code!r} must name grades the scale has.")
        cadence = entry.get("cadence")
        if not isinstance(cadence, dict):
            refuse(f"Review kind {code!r} needs a cadence.")
        shapes = [k for k in ("slots", "every_hours", "on_handover") if k in cadence]
        if len(shapes) != 1:
            refuse(f"Review kind {code!r}: the cadence is slots, every_hours or on_handover.")
        if "slots" in cadence and (
            not isinstance(cadence["slots"], list)
            or not cadence["slots"]
            or not all(isinstance(s, str) and s for s in cadence["slots"])
        ):
            refuse(f"Review kind {code!r}: name the slot codes.")
        if "every_hours" in cadence and not (
            _number(cadence["every_hours"]) and cadence["every_hours"] > 0
        ):
            refuse(f"Review kind {code!r}: every_hours must be a positive number.")
        if "on_handover" in cadence and (
            not isinstance(cadence["on_handover"], list)
            or set(cadence["on_handover"]) - set(RESPONSIBILITY_ROLES)
        ):
            refuse(f"Review kind {code!r}: on_handover names responsibility roles.")
        if not _number(cadence.get("start_after_days", 0)):
            refuse(f"Review kind {code!r}: start_after_days must be a number of days.")
        reviewer = entry.get("reviewer")
        if not isinstance(reviewer, dict) or len(reviewer) != 1:
            refuse(f"Review kind {code!r} needs one reviewer rule.")
        if "designation" in reviewer:
            if reviewer["designation"] not in REVIEW_DESIGNATIONS:
                refuse(f"Review kind {code!r}: unknown roster role {reviewer['designation']!r}.")
        elif "ledger" in reviewer:
            if reviewer["ledger"] not in RESPONSIBILITY_ROLES:
                refuse(f"Review kind {code!r}: unknown responsibility role {reviewer['ledger']!r}.")
        else:
            refuse(f"Review kind {code!r}: the reviewer is a designation or a ledger role.")
        if entry.get("min_rank") not in Rank.values:
            refuse(f"Review kind {code!r}: unknown rank {entry.get('min_rank')!r}.")
        window = entry.get("window_hours")
        if window is None and "slots" not in cadence:
            refuse(f"Review kind {code!r}: give window_hours (only slot cadences may omit it).")
        if not _number(window, allow_none=True) or window == 0:
            refuse(f"Review kind {code!r}: window_hours must be a positive number.")
        if not _number(entry.get("grace_minutes", 0)):
            refuse(f"Review kind {code!r}: grace_minutes must be a number of minutes.")
        if not _number(entry.get("late_limit_hours"), allow_none=True):
            refuse(f"Review kind {code!r}: late_limit_hours must be a number of hours or null.")
        if entry.get("late_limit_hours") is None and "on_handover" in cadence:
            refuse(f"Review kind {code!r}: a handover cadence needs late_limit_hours.")
        fraction = entry.get("min_window_fraction", 0)
        if not _number(fraction) or fraction > 1:
            refuse(f"Review kind {code!r}: min_window_fraction is between 0 and 1.")


# Escalation prompts: the checks Vigil knows how to run, and the rank chain a prompt climbs.
PROMPT_RULES = ("grade_without_review", "no_proof_of_life", "consecutive_missed_reviews")
PROMPT_LEVELS = ("supervisor", "duty_inspector", "on_call_superintendent")


def validate_prompts(prompts, grade_codes: list[str]) -> None:
    if not isinstance(prompts, list):
        raise ServiceError("Prompts must be a list.", field="document")
    seen = set()
    for entry in prompts:
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("label"):
            raise ServiceError("Every prompt needs a code and a label.", field="document")
        code = entry["code"]
        if code in seen:
            raise ServiceError(f"Prompt code {code!r} is used twice.", field="document")
        seen.add(code)
        if entry.get("rule") not in PROMPT_RULES:
            raise ServiceError(f"Prompt {code!r} names an unknown rule.", field="document")
        climb = entry.get("climb")
        if (
            not isinstance(climb, list)
            or not climb
            or any(level not in PROMPT_LEVELS for level in climb)
            or entry.get("answered_by") != climb[0]
        ):
            raise ServiceError(
                f"Prompt {code!r} needs a climb of known steps starting with who answers it.",
                field="document",
            )
        minutes = entry.get("climb_after_minutes")
        if not isinstance(minutes, int | float) or isinstance(minutes, bool) or minutes <= 0:
            raise ServiceError(
                f"Prompt {code!r} needs climb_after_minutes above zero.", field="document"
            )
        decisions = entry.get("decisions")
        if not isinstance(decisions, list) or not decisions:
            raise ServiceError(f"Prompt {code!r} needs a list of decisions.", field="document")
        for decision in decisions:
            if not isinstance(decision, dict) or not (
                decision.get("code") and decision.get("label")
            ):
                raise ServiceError(
                    f"Every decision of prompt {code!r} needs a code and a label.",
                    field="document",
                )
        if set(entry.get("grades", [])) - set(grade_codes):
            raise ServiceError(
                f"Prompt {code!r} names a grade the scale does not have.", field="document"
            )
        numbers = {"grade_without_review": "hours", "no_proof_of_life": "days"}
        number = numbers.get(entry["rule"], "missed")
        value = entry.get(number)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise ServiceError(f"Prompt {code!r} needs {number} above zero.", field="document")


class Policy:
    """Read-only view of one policy version."""

    def __init__(self, version):
        self.version = version
        self.document = version.document

    @property
    def grades(self) -> list[dict]:
        return self.document["grades"]

    @property
    def grade_codes(self) -> list[str]:
        return [g["code"] for g in self.grades]

    def grade_label(self, code: str) -> str:
        for grade in self.grades:
            if grade["code"] == code:
                return grade["label"]
        return code

    @property
    def questions(self) -> list[dict]:
        return self.document.get("questions", [])

    def required_roles(self, grade: str) -> list[dict]:
        return self.document.get("required_roles", {}).get(grade, [])

    def threshold(self, name: str, default=None):
        return self.document.get("thresholds", {}).get(name, default)

    @property
    def reviews(self) -> list[dict]:
        return self.document.get("reviews", [])

    def review_kind(self, code: str) -> dict | None:
        return next((k for k in self.reviews if k.get("code") == code), None)
