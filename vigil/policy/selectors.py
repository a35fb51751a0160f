"""Which policy version governs an instant, as known at another."""

from datetime import datetime

from vigil.core.errors import ServiceError
from vigil.core.time import now
from vigil.policy.document import Policy
from vigil.policy.models import PolicyVersion


def policy_at(
    force, case_type: str, at: datetime | None = None, known_at: datetime | None = None
) -> Policy:
    at = at or now()
    known_at = known_at or now()
    version = (
        PolicyVersion.objects.filter(
            force=force, case_type=case_type, effective_from__lte=at, recorded_at__lte=known_at
        )
        .order_by("-effective_from", "-version")
        .first()
    )
    if version is None:
        raise ServiceError(f"No {case_type.replace('_', ' ')} policy is in force for this force.")
    return Policy(version)


def grade_labels(force, at: datetime | None = None) -> dict[str, dict[str, str]]:
    """Grade code -> label for each case type the force has a policy for, for case lists."""
    case_types = (
        PolicyVersion.objects.filter(force=force).values_list("case_type", flat=True).distinct()
    )
    labels = {}
    for case_type in sorted(set(case_types)):
        try:
            policy = policy_at(force, case_type, at=at)
        except ServiceError:
            continue
        labels[case_type] = {g["code"]: g["label"] for g in policy.grades}
    return labels
