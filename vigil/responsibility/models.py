"""The responsibility ledger: who holds each role on a case, from when, and how it was decided.

Everything here is insert-only. A new holding of (case, role) supersedes the previous one and
the chain can never fork (one first holding per case and role; each holding superseded at
most once). Acceptance is a row of its own. Holdings a rule decides (a supervisor's slot
ended with no handover, an owner unavailable too long, transfer by policy) are not written:
they are derived when asked (see selectors.py), so the answer for any instant is the same
whenever it is asked, and "as known at K" only filters rows by when they were recorded.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from vigil.policy.document import RESPONSIBILITY_ROLES

ROLE_LABELS = {
    "owner": "Owner",
    "supervisor": "Supervisor",
    "sio": "Senior investigating officer",
    "reviewing_inspector": "Reviewing inspector",
}


class ResponsibilityRole(models.TextChoices):
    OWNER = "owner", ROLE_LABELS["owner"]
    SUPERVISOR = "supervisor", ROLE_LABELS["supervisor"]
    SIO = "sio", ROLE_LABELS["sio"]
    REVIEWING_INSPECTOR = "reviewing_inspector", ROLE_LABELS["reviewing_inspector"]


assert tuple(ResponsibilityRole.values) == RESPONSIBILITY_ROLES


class How(models.TextChoices):
    """How a holding came about. The first four are written; the last three are derived."""

    INITIAL = "initial", "Initial, when reported"
    ASSIGNMENT = "assignment", "Assigned"
    HANDOVER = "handover", "Handed over"
    ESCALATION = "escalation", "Escalation on re-grading"
    ABSENCE = "absence", "Holder unavailable beyond the policy limit"
    ROSTER_RULE = "roster_rule", "By roster rule"
    TRANSFER_BY_POLICY = "transfer_by_policy", "Transfer by policy"


class Holding(models.Model):
    """One person holding one role on one case from `starts_at`. Insert-only."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="holdings")
    role = models.CharField(max_length=30, choices=ResponsibilityRole.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="holdings"
    )
    starts_at = models.DateTimeField()  # when it took effect
    recorded_at = models.DateTimeField()  # when Vigil knew
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by_job = models.CharField(max_length=80, blank=True)  # a rule, when no person
    how = models.CharField(max_length=30, choices=How.choices)
    reason = models.TextField(blank=True)
    designation = models.ForeignKey(
        "rosters.Designation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "role"],
                condition=Q(supersedes__isnull=True),
                name="holding_one_first_per_case_role",
            ),
            models.CheckConstraint(
                condition=Q(assigned_by__isnull=False) | ~Q(assigned_by_job=""),
                name="holding_assigned_by_person_or_rule",
            ),
            models.CheckConstraint(
                condition=Q(how__in=["initial", "assignment", "handover", "escalation"]),
                name="holding_written_how",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "role", "starts_at"]),
            models.Index(fields=["holder", "case"]),
        ]


class Handover(models.Model):
    """A templated handover: what the outgoing holder says, and the holding it created."""

    holding = models.OneToOneField(Holding, on_delete=models.PROTECT, related_name="handover")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="handovers")
    role = models.CharField(max_length=30, choices=ResponsibilityRole.choices)
    from_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField()
    risk_confirmed = models.BooleanField()
    # The re-grading recorded with the handover when the risk was changed.
    grading = models.ForeignKey(
        "cases.Grading", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outstanding = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(summary=""), name="handover_has_summary"),
            models.CheckConstraint(condition=~Q(outstanding=""), name="handover_has_outstanding"),
            models.CheckConstraint(
                condition=Q(risk_confirmed=True, grading__isnull=True)
                | Q(risk_confirmed=False, grading__isnull=False),
                name="handover_risk_confirmed_or_regraded",
            ),
        ]


class HoldingAcceptance(models.Model):
    """The holder's acceptance of a written holding, or of a derived one by its key."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=ResponsibilityRole.choices)
    holding = models.ForeignKey(
        Holding, null=True, blank=True, on_delete=models.PROTECT, related_name="acceptances"
    )
    derived_key = models.CharField(max_length=120, blank=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(holding__isnull=False) & Q(derived_key=""))
                | (Q(holding__isnull=True) & ~Q(derived_key="")),
                name="acceptance_of_holding_or_derived",
            ),
            models.UniqueConstraint(
                fields=["holding"],
                condition=Q(holding__isnull=False),
                name="acceptance_once_per_holding",
            ),
            models.UniqueConstraint(
                fields=["case", "role", "derived_key", "person"],
                condition=~Q(derived_key=""),
                name="acceptance_once_per_derived_holding",
            ),
        ]
        indexes = [models.Index(fields=["case", "role"])]
