"""People a case is about (subjects, reporters, household, associates) and places."""

import uuid

from django.conf import settings
from django.db import models


class Person(models.Model):
    """Someone in a case, never a user. One person has many episodes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    force = models.ForeignKey("organisation.Force", on_delete=models.PROTECT)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    known_as = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    vulnerabilities = models.TextField(blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["force", "family_name", "given_name"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def age_on(self, day) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class Location(models.Model):
    class Kind(models.TextChoices):
        HOME = "home", "Home address"
        CHILDRENS_HOME = "childrens_home", "Children's home"
        CARE_HOME = "care_home", "Care home"
        HOSPITAL = "hospital", "Hospital"
        HOTSPOT = "hotspot", "Hotspot"
        OTHER = "other", "Other place"

    force = models.ForeignKey("organisation.Force", on_delete=models.PROTECT)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HOME)
    name = models.CharField(max_length=200, blank=True)
    address = models.TextField()
    postcode = models.CharField(max_length=10, blank=True)

    def __str__(self):
        return self.name or self.address.splitlines()[0]
