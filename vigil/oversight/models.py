"""Oversight. This module holds the escalation prompts; the Daily Management Meeting and the
Vulnerability Focus Desk will live beside them.

Escalation prompts (issue 4, §5): a policy rule finds a case that needs a decision, and a
named person on duty must answer it with a decision and a rationale. Unanswered, it climbs
the rank chain on a timer. All three tables are insert-only: a prompt is raised once (unique
per case, rule and occurrence), every climb or re-addressing is a row of its own, and the
answer is one row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

# --- escalation prompts ---------------------------------------------------------------------


class PromptLevel(models.TextChoices):
    """The steps a prompt climbs (policy names them in "climb")."""

    SUPERVISOR = "supervisor", "The case's supervisor"
    DUTY_INSPECTOR = "duty_inspector", "Duty inspector"
    ON_CALL_SUPERINTENDENT = "on_call_superintendent", "On-call superintendent"


class Prompt(models.Model):
    """One prompt raised on a case by a policy rule. Insert-only.

    What the rule asked, its decisions, the climb and its timer are copied from the policy
    version in force when it was raised, so the prompt reads the same whatever changes later.
    """

    force = models.ForeignKey("organisation.Force", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="prompts")
    rule = models.CharField(max_length=60)  # the policy entry's code
    rule_kind = models.CharField(max_length=60)  # the check that raised it
    # What started this occurrence's clock (an instant, or the missed review it counts to):
    # the same occurrence is never raised twice.
    occurrence = models.CharField(max_length=120)
    key = models.CharField(max_length=220, unique=True)  # "<case id>:<rule>:<occurrence>"
    label = models.CharField(max_length=200)
    question = models.TextField()  # what was found, in plain words
    decisions = models.JSONField()  # [{"code", "label"}] from the policy
    climb = models.JSONField()  # ["supervisor", "duty_inspector", ...]
    climb_after_minutes = models.PositiveIntegerField()
    policy_version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT)
    raised_at = models.DateTimeField()
    raised_by_job = models.CharField(max_length=80)
    level = models.PositiveSmallIntegerField(default=0)  # index into `climb`
    level_role = models.CharField(max_length=30, choices=PromptLevel.choices)
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    why_this_person = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rule", "occurrence"], name="prompt_once_per_case_rule_occurrence"
            ),
            models.CheckConstraint(condition=~Q(raised_by_job=""), name="prompt_raised_by_job"),
        ]
        indexes = [models.Index(fields=["case", "raised_at"])]


class PromptEscalation(models.Model):
    """The prompt passed to someone else: climbed a step, or re-addressed because the person
    it was with went off duty. Insert-only; `step` counts them from 1."""

    class Reason(models.TextChoices):
        CLIMBED = "climbed", "Unanswered in time: climbed a step"
        OFF_DUTY = "off_duty", "The person it was with went off duty"

    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="escalations")
    step = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    level = models.PositiveSmallIntegerField()
    level_role = models.CharField(max_length=30, choices=PromptLevel.choices)
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    addressed_at = models.DateTimeField()
    why_this_person = models.TextField()
    by_job = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prompt", "step"], name="prompt_escalation_step"),
            models.CheckConstraint(condition=Q(step__gte=1), name="prompt_escalation_step_from_1"),
        ]


class PromptAnswer(models.Model):
    """The decision and its rationale. One per prompt; insert-only."""

    prompt = models.OneToOneField(Prompt, on_delete=models.PROTECT, related_name="answer")
    decision = models.CharField(max_length=60)
    decision_label = models.CharField(max_length=200)
    rationale = models.TextField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField()
    # Who it was addressed to when answered: an answer by someone else is on their behalf.
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="prompt_answer_has_rationale"),
            models.CheckConstraint(condition=~Q(decision=""), name="prompt_answer_has_decision"),
        ]

    @property
    def on_behalf(self) -> bool:
        return self.answered_by_id != self.addressed_to_id


# --- the Daily Management Meeting -------------------------------------------------------------


class Meeting(models.Model):
    """One Daily Management Meeting: for an area, or force-wide (no area). Insert-only: who
    attended, each case's mark, the decisions and the closing are rows of their own."""

    force = models.ForeignKey("organisation.Force", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "organisation.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    meeting_date = models.DateField()  # the London date it was held
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["force", "area", "opened_at"])]


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_attendee_once"),
        ]


class MeetingCase(models.Model):
    """A case marked discussed at a meeting, or (written when the meeting closes) not."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="cases")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    discussed = models.BooleanField()
    marked_at = models.DateTimeField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="meeting_case_once"),
        ]
        indexes = [models.Index(fields=["case", "meeting"])]


class DecisionKind(models.TextChoices):
    OWNERSHIP_CONFIRMED = "ownership_confirmed", "Ownership confirmed"
    RISK_CHANGED = "risk_changed", "Risk changed"
    ACTION_SET = "action_set", "Action set"
    OTHER = "other", "Other decision"


class MeetingDecision(models.Model):
    """A decision minuted against a case at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=DecisionKind.choices)
    text = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="meeting_decision_has_text"),
        ]


class MeetingClosure(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="closure")
    closed_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )


# --- the Vulnerability Focus Desk -------------------------------------------------------------


class AdviceNote(models.Model):
    """Advice from a focus desk officer on a case. Insert-only."""

    force = models.ForeignKey("organisation.Force", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="advice_notes")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="advice_note_has_text"),
        ]
        indexes = [models.Index(fields=["case", "recorded_at"])]
