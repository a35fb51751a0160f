"""Force → area → team, and the people who work in them with their rank and hours history."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q


class Force(models.Model):
    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=20, unique=True)

    def __str__(self):
        return self.name


class Area(models.Model):
    """A basic command unit or district: the unit rosters and case lists are kept by."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=30)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["force", "code"], name="area_code_unique")]
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Rank(models.TextChoices):
    STAFF = "staff", "Police staff"
    CONSTABLE = "constable", "Constable"
    SERGEANT = "sergeant", "Sergeant"
    INSPECTOR = "inspector", "Inspector"
    CHIEF_INSPECTOR = "chief_inspector", "Chief Inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"
    CHIEF_SUPERINTENDENT = "chief_superintendent", "Chief Superintendent"


RANK_LEVEL = {rank.value: level for level, rank in enumerate(Rank)}
RANK_ABBREVIATION = {
    "staff": "",
    "constable": "PC",
    "sergeant": "PS",
    "inspector": "Insp",
    "chief_inspector": "CI",
    "superintendent": "Supt",
    "chief_superintendent": "Ch Supt",
}


class Role(models.TextChoices):
    """What a person may do in Vigil (the full matrix lives in the access module)."""

    OFFICER = "officer", "Officer"
    SUPERVISOR = "supervisor", "Supervisor"
    INSPECTOR = "inspector", "Inspector"
    FOCUS_DESK = "focus_desk", "Vulnerability Focus Desk"
    SAFEGUARDING_HUB = "safeguarding_hub", "Safeguarding hub"
    ANALYST = "analyst", "Analyst"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    """A person who works for a force and signs in to Vigil."""

    force = models.ForeignKey(
        Force, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    collar_number = models.CharField(max_length=20, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    is_detective = models.BooleanField(default=False)
    roles = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "collar_number"],
                condition=~Q(collar_number=""),
                name="user_collar_unique_in_force",
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        return role in (self.roles or [])


class RankPeriod(models.Model):
    """A substantive or acting rank from a date. Insert-only; corrections supersede."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="rank_periods")
    rank = models.CharField(max_length=30, choices=Rank.choices)
    acting = models.BooleanField(default=False)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="rank_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(acting=False) | Q(ends_on__isnull=False),
                name="acting_rank_has_end",
            ),
        ]


class WorkingPattern(models.Model):
    """Fraction of full time from a date (0.5 = half time). Insert-only."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="working_patterns")
    fraction = models.DecimalField(max_digits=3, decimal_places=2)
    effective_from = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(fraction__gt=0) & Q(fraction__lte=1), name="working_fraction_range"
            )
        ]


class Availability(models.TextChoices):
    AVAILABLE = "available", "Available"
    LEAVE = "leave", "On leave"
    SICK = "sick", "Sick"
    ABSTRACTED = "abstracted", "Abstracted"
    LEFT = "left", "Left the force"


class AvailabilityPeriod(models.Model):
    """Leave, sickness, abstraction or leaving over a period. Insert-only; corrections supersede."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="availability_periods")
    status = models.CharField(max_length=20, choices=Availability.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    cancelled = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="availability_ends_after_start",
            )
        ]
