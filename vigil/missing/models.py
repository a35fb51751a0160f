"""What is particular to a missing person case, one-to-one with the generic Case."""

from django.db import models
from django.db.models import F, Q


class MissingEpisode(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, primary_key=True, related_name="missing"
    )
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="episodes")
    reporter = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_episodes",
    )
    reporter_relationship = models.CharField(max_length=100, blank=True)
    reported_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    last_seen_place = models.CharField(max_length=300)
    circumstances = models.TextField()
    missing_from = models.ForeignKey(
        "people.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="episodes_from",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_seen_at__lte=F("reported_at")), name="last_seen_before_report"
            ),
        ]
