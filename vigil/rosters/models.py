"""Accountability slots, who is designated for each, and people's duty hours.

Slots (who answers for an area) are separate from duty hours (when a person works):
real rotas overlap, accountability must not.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class SlotDefinition(models.Model):
    """One of an area's daily accountability slots, on the London wall clock."""

    area = models.ForeignKey("organisation.Area", on_delete=models.PROTECT, related_name="slots")
    code = models.SlugField(max_length=20)
    name = models.CharField(max_length=40)
    starts = models.TimeField()
    ends = models.TimeField()  # earlier than `starts` means the slot ends the next day
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="slot_code_unique"),
        ]
        ordering = ["area", "position"]


class DesignationRole(models.TextChoices):
    MISSING_PERSON_SERGEANT = "mp_sergeant", "Missing person sergeant"
    DUTY_INSPECTOR = "duty_inspector", "Duty inspector"
    ON_CALL_DI = "on_call_di", "On-call detective inspector"
    ON_CALL_SUPERINTENDENT = "on_call_superintendent", "On-call superintendent"


# Minimum rank per designation (acting rank counts while it lasts); the on-call DI must be a
# detective. Seed 000: medium-risk supervision by the designated sergeant.
DESIGNATION_MIN_RANK = {
    DesignationRole.MISSING_PERSON_SERGEANT: "sergeant",
    DesignationRole.DUTY_INSPECTOR: "inspector",
    DesignationRole.ON_CALL_DI: "inspector",
    DesignationRole.ON_CALL_SUPERINTENDENT: "superintendent",
}
DESIGNATION_NEEDS_DETECTIVE = {DesignationRole.ON_CALL_DI}


class Designation(models.Model):
    """The one person designated for a role in an area's slot. Insert-only.

    A correction is a new row that supersedes the current one, with who and why, so the
    roster as known at any moment can be reproduced.
    """

    area = models.ForeignKey("organisation.Area", on_delete=models.PROTECT)
    slot_date = models.DateField()  # the London date the slot starts on
    slot_code = models.SlugField(max_length=20)
    role = models.CharField(max_length=30, choices=DesignationRole.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="designations"
    )
    starts_at = models.DateTimeField()  # UTC, fixed from the slot definition when recorded
    ends_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_job = models.CharField(max_length=80, blank=True)
    reason = models.TextField(blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "slot_date", "slot_code", "role"],
                condition=Q(supersedes__isnull=True),
                name="designation_one_original_per_slot_role",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="designation_slot_has_length"
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(reason=""),
                name="designation_correction_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["area", "role", "starts_at", "ends_at"])]


class DutyPeriod(models.Model):
    """Hours a person is on duty. Insert-only; a cancellation supersedes."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="duty_periods"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="duty_period_has_length"
            ),
        ]
        indexes = [models.Index(fields=["person", "starts_at"])]
