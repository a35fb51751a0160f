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
