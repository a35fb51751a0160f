"""Policy as data: per force and case type, versioned by the date it takes effect."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class CaseType(models.TextChoices):
    MISSING_PERSON = "missing_person", "Missing person"
    INVESTIGATION = "investigation", "Investigation"


class PolicyVersion(models.Model):
    """One version of a force's policy for a case type. Insert-only.

    `effective_from` can never be earlier than `recorded_at`: a past shift is always judged
    by the policy that was in force then.
    """

    force = models.ForeignKey("organisation.Force", on_delete=models.PROTECT)
    case_type = models.CharField(max_length=30, choices=CaseType.choices)
    version = models.PositiveIntegerField()
    effective_from = models.DateTimeField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    document = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "case_type", "version"], name="policy_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(effective_from__gte=F("recorded_at")), name="policy_not_retrospective"
            ),
        ]

    def __str__(self):
        return f"{self.case_type} v{self.version}"
