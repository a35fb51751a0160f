"""Reviews: what was due (fixed when its window opened) and what was done. Both insert-only.

A `DueReview` row is written once, when its window opens, from the policy, roster and ledger
as known at that moment, and never changed: compliance reads these rows, so what was due and
whose it was can always be shown as it stood, whatever is corrected later. A `Review` is what
a person recorded; it counts for at most one due review.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class DueReview(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="due_reviews")
    kind = models.CharField(max_length=60)
    kind_label = models.CharField(max_length=120)  # as the policy named it then
    window_start = models.DateTimeField()  # the window's nominal start (a slot's start)
    window_end = models.DateTimeField()
    # When it became due: the window's start, or later when the kind began to apply part-way
    # through it (a case opened or re-graded during the window). Roster and ledger are read
    # as known at this instant.
    opens_at = models.DateTimeField()
    late_after = models.DateTimeField()  # window_end + the policy's grace
    closes_at = models.DateTimeField()  # a review from here on no longer counts: missed
    slot_date = models.DateField(null=True, blank=True)  # slot cadences: the slot reviewed
    slot_code = models.SlugField(max_length=20, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="due_reviews",
    )
    min_rank = models.CharField(max_length=30)
    how_decided = models.TextField()
    designation = models.ForeignKey(
        "rosters.Designation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holding_ref = models.CharField(max_length=160, blank=True)  # "holding:12" or a derived key
    policy_version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT)
    written_at = models.DateTimeField()
    written_by_job = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "window_start"], name="due_review_once_per_window"
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start"))
                & Q(opens_at__gte=F("window_start"))
                & Q(opens_at__lt=F("window_end"))
                & Q(late_after__gte=F("window_end"))
                & Q(closes_at__gte=F("late_after")),
                name="due_review_times_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["reviewer", "closes_at"]),
            models.Index(fields=["window_start"]),
        ]


class Review(models.Model):
    """A review someone recorded. It counts for `due` only when `counts` is true."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=60)
    kind_label = models.CharField(max_length=120)
    due = models.ForeignKey(
        DueReview, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    counts = models.BooleanField()
    counts_reason = models.TextField()  # in plain words, why it counts or not
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_done"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews_done_for_them",
    )
    recorded_at = models.DateTimeField()
    risk_confirmed = models.BooleanField()
    grading = models.ForeignKey(
        "cases.Grading", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rationale = models.TextField()
    facts_relied_on = models.TextField(blank=True)
    actions_reviewed = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["due"], condition=Q(counts=True), name="review_counts_once_per_due"
            ),
            models.CheckConstraint(
                condition=Q(counts=False) | Q(due__isnull=False), name="review_counts_for_a_due"
            ),
            models.CheckConstraint(
                condition=Q(risk_confirmed=True, grading__isnull=True)
                | Q(risk_confirmed=False, grading__isnull=False),
                name="review_risk_confirmed_or_regraded",
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="review_has_rationale"),
        ]
        indexes = [models.Index(fields=["case", "recorded_at"])]
