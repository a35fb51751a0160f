"""Notices: telling a named, on-duty person that something needs them, in the app and by e-mail.

A notice is insert-only: who was told what, when, and why that person, is evidence and is never
rewritten. Reading it is a row of its own (`NoticeRead`, also insert-only) rather than a
`read_at` column updated in place: the notice row can then carry the database's append-only
trigger like every other accountability record, and "when did the sergeant open the alert"
is a fact nobody can edit afterwards (there is no "mark as unread").

(kind, key, recipient) is unique: two sweeps running at once try to insert the same row and
the second one's insert fails, so each notice is sent once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class NoticeKind(models.TextChoices):
    DUE_REVIEW_OPENED = "due_review.opened", "A review is due"
    DUE_REVIEW_OVERDUE = "due_review.overdue", "A review is overdue"
    PROMPT_RAISED = "prompt.raised", "A prompt needs your decision"
    PROMPT_CLIMBED = "prompt.climbed", "An unanswered prompt has come to you"
    PROMPT_READDRESSED = "prompt.readdressed", "A prompt has been passed to you"
    # The investigation (issue 5): each chased by its app's sweep step (vigil.core.hooks).
    ACTION_ASSIGNED = "action.assigned", "An action has been given to you"
    ACTION_OVERDUE = "action.overdue", "An action is overdue"
    ACTION_CHECK_DUE = "action.check_due", "An action needs your check"
    COMMSDATA_RERUN_DUE = "commsdata.rerun_due", "Communications data needs re-running"
    COMMSDATA_STEP = "commsdata.step", "A communications data application has moved on"
    DISCLOSURE_RECORDED = "disclosure.recorded", "A disclosure needs a crime decision"
    DISCLOSURE_OVERDUE = "disclosure.overdue", "A disclosure has not been handled in time"
    REFERRAL_DUE = "referral.due", "A referral needs sending"
    REFERRAL_OVERDUE = "referral.overdue", "A referral is overdue"
    CLOSURE_REQUESTED = "closure.requested", "A case is waiting for your approval to close"
    LEARNING_REVIEW = "closure.learning_review", "A case needs a learning review"
    CHILD_TRIGGER_PLAN = "child.trigger_plan", "A trigger plan needs attention"
    CHILD_CAWN = "child.cawn", "A warned adult appears in a case"
    # Quality and workload (issue 7).
    AUDIT_FINDING = "quality.finding", "An audit finding about your work"
    STALE_WORK = "workload.stale", "Work has had no progress for too long"
    OVER_CAPACITY = "workload.over_capacity", "Someone is over their workload threshold"
    ACTION_PLAN_DUE = "workload.action_plan_due", "An action plan review is due"
    DEADLINE_DUE = "investigation.deadline", "An investigation deadline is near"
    LONG_TERM = "insight.long_term", "A long-term missing case needs re-circulating"
    # Records management (issue 6).
    RETENTION_DUE = "retention.review_due", "Records are due for review"


class Notice(models.Model):
    force = models.ForeignKey("organisation.Force", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notices"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(max_length=40, choices=NoticeKind.choices)
    key = models.CharField(max_length=200)  # what it is about, e.g. "due_review:12:opened"
    # May name the case reference, never a person: it is shown in lists and headers.
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300)  # a path inside Vigil
    why_this_person = models.TextField()
    created_at = models.DateTimeField()
    created_by_job = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"], name="notice_once_per_kind_key_recipient"
            ),
            models.CheckConstraint(condition=Q(link__startswith="/"), name="notice_link_is_path"),
            models.CheckConstraint(condition=~Q(why_this_person=""), name="notice_says_why"),
        ]
        indexes = [models.Index(fields=["recipient", "created_at"])]


class NoticeRead(models.Model):
    """The recipient opened or marked a notice read. Insert-only, once per notice."""

    notice = models.OneToOneField(Notice, on_delete=models.PROTECT, related_name="read")
    read_at = models.DateTimeField()
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
