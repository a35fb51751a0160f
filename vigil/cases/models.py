"""The accountable unit, generic across case types, and its grading history.

Nothing missing-person-specific lives here: those details are in the `missing` app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class CaseStatus(models.TextChoices):
    REPORTED = "reported", "Reported"
    OPEN = "open", "Open"
    FOUND = "found", "Found"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every case read starts here (rules in vigil/access/cases.py)."""
        from vigil.access.cases import visible_cases_filter

        return self.filter(visible_cases_filter(user))


class Case(models.Model):
    force = models.ForeignKey("organisation.Force", on_delete=models.PROTECT)
    area = models.ForeignKey("organisation.Area", on_delete=models.PROTECT, related_name="cases")
    case_type = models.CharField(max_length=30)
    reference = models.SlugField(max_length=40)  # URL-safe, e.g. MP-2024-00042
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.REPORTED
    )
    # The latest grading's grade, written in the grading's own transaction, for lists.
    current_grade = models.CharField(max_length=40, blank=True)
    restricted = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["force", "reference"], name="case_reference_unique"),
            models.CheckConstraint(
                condition=~Q(status="open") | ~Q(current_grade=""),
                name="open_case_is_graded",
            ),
        ]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self):
        return self.reference


class ReferenceCounter(models.Model):
    """Next number for references of a force, case type and year (locked when used)."""

    force = models.ForeignKey("organisation.Force", on_delete=models.PROTECT)
    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "prefix", "year"], name="reference_counter_unique"
            )
        ]


class CaseStatusChange(models.Model):
    """Insert-only history of a case's status."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)


class Grading(models.Model):
    """One risk assessment. Insert-only: re-grading adds to the history."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="gradings")
    sequence = models.PositiveIntegerField()
    grade = models.CharField(max_length=40)
    rationale = models.TextField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    policy_version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="grading_sequence_unique"),
            models.CheckConstraint(condition=~Q(rationale=""), name="grading_has_rationale"),
        ]
        ordering = ["case", "sequence"]


class GradingFact(models.Model):
    """An answer to one of the policy's risk questions, with who supplied it and when."""

    grading = models.ForeignKey(Grading, on_delete=models.PROTECT, related_name="facts")
    question_code = models.CharField(max_length=60)
    question_text = models.TextField()
    answer = models.TextField()
    source = models.CharField(max_length=200)
    obtained_at = models.DateTimeField()


class GradingEndorsement(models.Model):
    """A supervisor's endorsement of a grading: a row of its own, never an edit."""

    grading = models.ForeignKey(Grading, on_delete=models.PROTECT, related_name="endorsements")
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    endorsed_at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grading", "endorsed_by"], name="endorse_once_per_person"
            )
        ]


class RestrictedAccessGrant(models.Model):
    """A named person allowed to see a restricted case, with who granted it and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="access_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()
    reason = models.TextField()
