"""The tamper-evident event log (one hash chain per force) and the separate read log."""

from django.conf import settings
from django.db import models
from django.db.models import Q

GENESIS_HASH = "0" * 64


class ChainHead(models.Model):
    """The newest link of a force's chain; locked while appending so the chain never forks."""

    force = models.OneToOneField(
        "organisation.Force", on_delete=models.PROTECT, related_name="audit_head"
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)


class AuditEvent(models.Model):
    """One thing that happened, written in the same transaction as the change it records."""

    force = models.ForeignKey("organisation.Force", on_delete=models.PROTECT)
    seq = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    system_job = models.CharField(max_length=80, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The exact bytes that were hashed (PostgreSQL's jsonb would reorder the payload's keys).
    canonical = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["force", "seq"], name="audit_event_one_per_seq"),
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | ~Q(system_job=""),
                name="audit_event_has_actor_or_job",
            ),
        ]
        indexes = [models.Index(fields=["case", "seq"])]
        ordering = ["force", "seq"]

    def __str__(self):
        return f"{self.force_id}#{self.seq} {self.kind}"


class ReadLog(models.Model):
    """Who consulted what, when and why (Data Protection Act 2018, s.62). Off the chain."""

    class Channel(models.TextChoices):
        PAGE = "page", "Page"
        API = "api", "API"
        EXPORT = "export", "Export"
        PRINT = "print", "Print"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="reads")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    what = models.CharField(max_length=300)
    purpose = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["user", "at"])]
