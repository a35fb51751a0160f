"""Reads of a case: its grading history and status over time."""

from django.db.models import Prefetch

from vigil.cases.models import Case, CaseStatus, Grading, GradingEndorsement


def grading_history(case: Case) -> list[Grading]:
    return list(
        Grading.objects.filter(case=case)
        .select_related("assessed_by", "policy_version")
        .prefetch_related(
            "facts",
            Prefetch(
                "endorsements", queryset=GradingEndorsement.objects.select_related("endorsed_by")
            ),
        )
        .order_by("sequence")
    )


def latest_grading(case: Case) -> Grading | None:
    return case.gradings.order_by("-sequence").first()


def area_cases(user, area, status: str | None = None):
    qs = (
        Case.objects.visible_to(user)
        .filter(area=area)
        .select_related("missing", "missing__subject")
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def case_list(user, *, area=None, status: str | None = None):
    """Cases `user` may see, newest first, optionally in one area and status (API lists)."""
    qs = (
        Case.objects.visible_to(user)
        .select_related("area", "missing", "missing__subject")
        .order_by("-created_at", "-pk")
    )
    if area is not None:
        qs = qs.filter(area=area)
    if status:
        qs = qs.filter(status=status)
    return qs


def grading_by_sequence(case: Case, sequence: int) -> Grading | None:
    return Grading.objects.filter(case=case, sequence=sequence).select_related("case").first()


def case_statuses() -> list[tuple[str, str]]:
    return list(CaseStatus.choices)
