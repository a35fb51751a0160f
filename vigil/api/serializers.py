"""Shapes in and out of the API. Validation here is about shape only: rules live in services.

Lookups (an area code, a person's public_id, a colleague's username) are resolved within the
requesting user's force, so a thing in another force reads exactly like one that is not there.
"""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vigil.access.cases import visible_areas
from vigil.api.fields import AwareDateTimeField, utc_iso
from vigil.cases.models import CaseStatus
from vigil.core.errors import ServiceError
from vigil.core.time import london_date, now
from vigil.organisation.selectors import force_member, rank_label
from vigil.people.models import Location
from vigil.people.selectors import person_episodes, person_in_force
from vigil.policy.document import Policy
from vigil.policy.selectors import policy_at
from vigil.responsibility.models import How, ResponsibilityRole
from vigil.rosters.models import DesignationRole


def _user(context):
    return context["request"].user


# --- errors (documentation only: vigil.api.errors and DRF write these bodies) ---------------


class ErrorSerializer(serializers.Serializer):
    """A refusal in plain words; a service refusal also names the field at fault."""

    detail = serializers.CharField()
    field = serializers.CharField(required=False, help_text="The field at fault, if one is.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="The same message keyed by the field, like a validation error.",
    )


# --- lookups within the user's force --------------------------------------------------------


@extend_schema_field({"type": "string", "example": "north", "description": "Area code."})
class AreaCodeField(serializers.Field):
    default_error_messages = {"unknown": "No area with that code in your force."}

    def to_internal_value(self, data):
        area = visible_areas(_user(self.context)).filter(code=str(data)).first()
        if area is None:
            self.fail("unknown")
        return area

    def to_representation(self, value):
        return value.code


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "integer"}],
        "description": "A colleague in your force: username or numeric user id.",
    }
)
class ForceMemberField(serializers.Field):
    default_error_messages = {"unknown": "No one with that username or id in your force."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("unknown")
        member = force_member(_user(self.context).force_id, str(data).strip())
        if member is None:
            self.fail("unknown")
        return member

    def to_representation(self, value):
        return value.pk


# --- people ---------------------------------------------------------------------------------


class PersonDetailsInput(serializers.Serializer):
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    known_as = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    sex = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    vulnerabilities = serializers.CharField(required=False, default="", allow_blank=True)


class PersonRefInput(serializers.Serializer):
    """Either an existing person of your force by public_id, or the details of a new one."""

    public_id = serializers.UUIDField(required=False)
    given_name = serializers.CharField(max_length=100, required=False)
    family_name = serializers.CharField(max_length=100, required=False)
    known_as = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    sex = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    vulnerabilities = serializers.CharField(required=False, default="", allow_blank=True)

    def validate(self, attrs):
        if attrs.get("public_id"):
            person = person_in_force(_user(self.context).force_id, attrs["public_id"])
            if person is None:
                raise serializers.ValidationError(
                    {"public_id": ["No person with that id in your force."]}
                )
            return {"person": person}
        missing = {
            name: ["Give either public_id, or given_name and family_name."]
            for name in ("given_name", "family_name")
            if not attrs.get(name)
        }
        if missing:
            raise serializers.ValidationError(missing)
        attrs.pop("public_id", None)
        return {"details": attrs}


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")
    collar_number = serializers.CharField()
    rank_label = serializers.SerializerMethodField(
        help_text="Rank on the day in question (today, or the slot's date); A/ marks acting."
    )

    def get_rank_label(self, user) -> str:
        day = self.context.get("rank_day") or london_date(now())
        return rank_label(user, day)


class PersonSummarySerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    known_as = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)


class EpisodeRefSerializer(serializers.Serializer):
    reference = serializers.CharField(source="case.reference")
    status = serializers.CharField(source="case.status")
    reported_at = AwareDateTimeField()


class PersonDetailSerializer(PersonSummarySerializer):
    sex = serializers.CharField()
    description = serializers.CharField()
    vulnerabilities = serializers.CharField()
    created_at = AwareDateTimeField()
    episodes = serializers.SerializerMethodField(
        help_text="Missing episodes this person is the subject of, in cases you may see."
    )

    @extend_schema_field(EpisodeRefSerializer(many=True))
    def get_episodes(self, person):
        episodes = person_episodes(person, _user(self.context))
        return EpisodeRefSerializer(episodes, many=True).data


# --- gradings -------------------------------------------------------------------------------


class FactInputSerializer(serializers.Serializer):
    question_code = serializers.CharField(max_length=60)
    answer = serializers.CharField(allow_blank=True)
    source = serializers.CharField(max_length=200, allow_blank=True)
    obtained_at = AwareDateTimeField()


class GradingInputSerializer(serializers.Serializer):
    grade = serializers.CharField(max_length=40)
    rationale = serializers.CharField(allow_blank=True)
    facts = FactInputSerializer(many=True, required=False, default=list)


class FactSerializer(serializers.Serializer):
    question_code = serializers.CharField()
    question_text = serializers.CharField()
    answer = serializers.CharField()
    source = serializers.CharField()
    obtained_at = AwareDateTimeField()


class EndorsementSerializer(serializers.Serializer):
    grading = serializers.IntegerField(source="grading.sequence", help_text="Grading sequence.")
    endorsed_by = UserSummarySerializer()
    endorsed_at = AwareDateTimeField()
    comment = serializers.CharField()


class EndorsementInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, default="", allow_blank=True)


class GradingSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    grade = serializers.CharField()
    grade_label = serializers.SerializerMethodField()
    rationale = serializers.CharField()
    assessed_by = UserSummarySerializer()
    assessed_at = AwareDateTimeField()
    recorded_at = AwareDateTimeField()
    policy_version = serializers.IntegerField(source="policy_version.version")
    facts = FactSerializer(many=True, source="facts.all")
    endorsements = EndorsementSerializer(many=True, source="endorsements.all")

    def get_grade_label(self, grading) -> str:
        return Policy(grading.policy_version).grade_label(grading.grade)


# --- cases ----------------------------------------------------------------------------------


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LocationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField()
    postcode = serializers.CharField()


class MissingDetailsSerializer(serializers.Serializer):
    subject = PersonSummarySerializer()
    reporter = PersonSummarySerializer(allow_null=True)
    reporter_relationship = serializers.CharField()
    reported_at = AwareDateTimeField()
    last_seen_at = AwareDateTimeField()
    last_seen_place = serializers.CharField()
    circumstances = serializers.CharField()
    missing_from = LocationSerializer(allow_null=True)


def _grade_label(context, case) -> str:
    """The current grade's label under the case type's policy in force now (cached per call)."""
    if not case.current_grade:
        return ""
    cache = context.setdefault("policy_cache", {})
    key = (case.force_id, case.case_type)
    if key not in cache:
        try:
            cache[key] = policy_at(case.force, case.case_type)
        except ServiceError:  # no policy for the case type: fall back to the code
            cache[key] = None
    policy = cache[key]
    return policy.grade_label(case.current_grade) if policy else case.current_grade


class CaseSummarySerializer(serializers.Serializer):
    reference = serializers.SlugField()
    case_type = serializers.CharField()
    area = serializers.CharField(source="area.code")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    current_grade = serializers.CharField()
    current_grade_label = serializers.SerializerMethodField()
    restricted = serializers.BooleanField()
    created_at = AwareDateTimeField()
    subject = serializers.SerializerMethodField()

    def get_current_grade_label(self, case) -> str:
        return _grade_label(self.context, case)

    @extend_schema_field(PersonSummarySerializer(allow_null=True))
    def get_subject(self, case):
        try:
            episode = case.missing
        except ObjectDoesNotExist:
            return None
        return PersonSummarySerializer(episode.subject).data


class CaseDetailSerializer(serializers.Serializer):
    reference = serializers.SlugField()
    case_type = serializers.CharField()
    area = AreaSerializer()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    current_grade = serializers.CharField()
    current_grade_label = serializers.SerializerMethodField()
    restricted = serializers.BooleanField()
    created_at = AwareDateTimeField()
    created_by = UserSummarySerializer()
    missing = serializers.SerializerMethodField(help_text="Null for other case types.")
    gradings = serializers.SerializerMethodField(help_text="Grading history, oldest first.")

    def get_current_grade_label(self, case) -> str:
        history = self.context.get("gradings") or []
        if history and history[-1].grade == case.current_grade:
            return Policy(history[-1].policy_version).grade_label(case.current_grade)
        return _grade_label(self.context, case)

    @extend_schema_field(MissingDetailsSerializer(allow_null=True))
    def get_missing(self, case):
        try:
            episode = case.missing
        except ObjectDoesNotExist:
            return None
        return MissingDetailsSerializer(episode, context=self.context).data

    @extend_schema_field(GradingSerializer(many=True))
    def get_gradings(self, case):
        return GradingSerializer(self.context.get("gradings") or [], many=True).data


class CaseListQuerySerializer(serializers.Serializer):
    area = AreaCodeField(required=False)
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)


class CaseReportInputSerializer(serializers.Serializer):
    area = AreaCodeField()
    subject = PersonRefInput()
    reporter = PersonRefInput(required=False, allow_null=True, default=None)
    reporter_relationship = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )
    reported_at = AwareDateTimeField()
    last_seen_at = AwareDateTimeField()
    last_seen_place = serializers.CharField(max_length=300, allow_blank=True)
    circumstances = serializers.CharField(allow_blank=True)
    missing_from_address = serializers.CharField(required=False, default="", allow_blank=True)
    missing_from_kind = serializers.ChoiceField(
        choices=Location.Kind.choices, required=False, default=Location.Kind.HOME
    )
    grading = GradingInputSerializer(
        required=False, allow_null=True, default=None, help_text="Optional initial grading."
    )


# --- rosters --------------------------------------------------------------------------------


class SlotSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The London date the slot starts on.")
    code = serializers.CharField()
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()


class DesignateInputSerializer(serializers.Serializer):
    area = AreaCodeField()
    slot_date = serializers.DateField(help_text="The London date the slot starts on.")
    slot_code = serializers.SlugField(max_length=20, help_text="e.g. early, late, night.")
    role = serializers.ChoiceField(choices=DesignationRole.choices)
    person = ForceMemberField()
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class CorrectInputSerializer(serializers.Serializer):
    person = ForceMemberField()
    reason = serializers.CharField(allow_blank=True, help_text="Why: required.")


class DesignationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    area = serializers.CharField(source="area.code")
    slot = serializers.SerializerMethodField()
    role = serializers.ChoiceField(choices=DesignationRole.choices)
    person = serializers.SerializerMethodField()
    recorded_at = AwareDateTimeField()
    recorded_by = serializers.SerializerMethodField()
    recorded_by_job = serializers.CharField()
    reason = serializers.CharField()
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    superseded_by = serializers.SerializerMethodField()
    is_correction = serializers.SerializerMethodField()

    @extend_schema_field(SlotSerializer)
    def get_slot(self, d):
        return SlotSerializer(
            {
                "date": d.slot_date,
                "code": d.slot_code,
                "starts_at": d.starts_at,
                "ends_at": d.ends_at,
            }
        ).data

    @extend_schema_field(UserSummarySerializer)
    def get_person(self, d):
        return UserSummarySerializer(d.person, context={"rank_day": d.slot_date}).data

    @extend_schema_field(UserSummarySerializer(allow_null=True))
    def get_recorded_by(self, d):
        if d.recorded_by is None:
            return None
        return UserSummarySerializer(d.recorded_by, context={"rank_day": d.slot_date}).data

    @extend_schema_field(OpenApiTypes.INT)
    def get_superseded_by(self, d) -> int | None:
        try:
            return d.superseded_by.pk
        except ObjectDoesNotExist:
            return None

    def get_is_correction(self, d) -> bool:
        return d.supersedes_id is not None


class DesignationDetailSerializer(DesignationSerializer):
    chain = serializers.SerializerMethodField(
        help_text="The original and every correction of this slot and role, oldest first."
    )

    @extend_schema_field(DesignationSerializer(many=True))
    def get_chain(self, d):
        return DesignationSerializer(self.context.get("chain") or [], many=True).data


class DesignatedQuerySerializer(serializers.Serializer):
    area = serializers.SlugField()
    role = serializers.ChoiceField(choices=DesignationRole.choices)


class DesignatedSerializer(serializers.Serializer):
    """Who answers for an area and role at an instant, as the roster stood at another."""

    area = serializers.CharField()
    role = serializers.ChoiceField(choices=DesignationRole.choices)
    at = AwareDateTimeField()
    known_at = AwareDateTimeField()
    detail = serializers.CharField(
        allow_null=True, help_text="Plain words when nobody is designated; otherwise null."
    )
    person = UserSummarySerializer(allow_null=True, help_text="Null when nobody is designated.")
    slot = SlotSerializer(
        allow_null=True, help_text="The slot containing `at` (null if the area has none then)."
    )
    designation = serializers.IntegerField(allow_null=True, help_text="Designation id.")
    recorded_at = AwareDateTimeField(allow_null=True)
    recorded_by = UserSummarySerializer(allow_null=True)
    recorded_by_job = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    is_correction = serializers.BooleanField(
        help_text="True when this row supersedes an earlier designation."
    )


# --- responsibility -------------------------------------------------------------------------


# Inline (not a shared enum component): the roster's `role` is another choice set under the
# same field name, and the schema would otherwise name the two enums by hash.
@extend_schema_field(
    {
        "allOf": [{"type": "string", "enum": ResponsibilityRole.values}],
        "description": "A role on the case: "
        + ", ".join(f"`{v}` ({label.lower()})" for v, label in ResponsibilityRole.choices)
        + ".",
    }
)
class ResponsibilityRoleField(serializers.ChoiceField):
    """A role on a case (owner, supervisor…), not a roster designation role."""

    def __init__(self, **kwargs):
        super().__init__(choices=ResponsibilityRole.choices, **kwargs)


def _rank_day(at) -> dict:
    return {"rank_day": london_date(at) if at else None}


class RequirementSerializer(serializers.Serializer):
    min_rank = serializers.CharField(help_text="Acting rank counts while it lasts.")
    detective = serializers.BooleanField(default=False)


class DesignationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    role = serializers.ChoiceField(choices=DesignationRole.choices)
    slot_date = serializers.DateField(help_text="The London date the slot starts on.")
    slot_code = serializers.CharField()
    is_correction = serializers.SerializerMethodField()

    def get_is_correction(self, d) -> bool:
        return d.supersedes_id is not None


class HolderSerializer(serializers.Serializer):
    """One role's holder at an instant, as known at another, and how that was decided."""

    role = ResponsibilityRoleField()
    role_label = serializers.CharField()
    required = serializers.BooleanField(help_text="Whether policy requires the role then.")
    requirement = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField(help_text="Null when nobody holds it.")
    since = AwareDateTimeField(allow_null=True)
    how = serializers.ChoiceField(
        choices=[*How.choices, ("", "Nobody")],
        help_text="initial, assignment, handover and escalation are written holdings; "
        "absence, roster_rule and transfer_by_policy are decided by rule when asked.",
    )
    how_label = serializers.CharField()
    decided_by = serializers.ChoiceField(
        choices=[("person", "A person"), ("rule", "A rule"), ("", "Nobody")],
        help_text="Whether a person chose this holder or a rule decided it.",
    )
    assigned_by = serializers.SerializerMethodField(help_text="Who decided, for a person's choice.")
    rule = serializers.CharField(help_text="How the answer was reached, in plain words.")
    holding = serializers.IntegerField(
        source="holding_id", allow_null=True, help_text="The written holding, if one decided it."
    )
    derived_key = serializers.CharField(help_text="The key of a holding decided by rule.")
    ref = serializers.CharField(
        help_text="What you saw: pass it back as `seen` when assigning, handing over or "
        "accepting, so a change made meanwhile is refused (409) rather than overwritten."
    )
    designation = DesignationRefSerializer(
        allow_null=True, help_text="The roster designation the holder came from, if any."
    )
    designation_role = serializers.CharField(help_text="The roster role actually used.")
    fallback = serializers.BooleanField(
        help_text="True when nobody was designated for the roster role the rule names."
    )
    meets_requirement = serializers.BooleanField()
    accepted = serializers.BooleanField()
    accepted_at = AwareDateTimeField(allow_null=True)

    @extend_schema_field(RequirementSerializer)
    def get_requirement(self, answer):
        requirement = answer.requirement or {}
        return {
            "min_rank": requirement.get("min_rank", "constable"),
            "detective": bool(requirement.get("detective")),
        }

    @extend_schema_field(UserSummarySerializer(allow_null=True))
    def get_person(self, answer):
        if answer.person is None:
            return None
        return UserSummarySerializer(answer.person, context=_rank_day(answer.at)).data

    @extend_schema_field(UserSummarySerializer(allow_null=True))
    def get_assigned_by(self, answer):
        if answer.assigned_by is None:
            return None
        context = _rank_day(answer.since or answer.at)
        return UserSummarySerializer(answer.assigned_by, context=context).data


class ResponsibilitySerializer(serializers.Serializer):
    reference = serializers.SlugField()
    at = AwareDateTimeField()
    known_at = AwareDateTimeField()
    roles = HolderSerializer(many=True, help_text="Every role required at `at`, one holder each.")


class HandoverSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    from_holder = serializers.SerializerMethodField()
    to_holder = serializers.SerializerMethodField()
    summary = serializers.CharField()
    risk_confirmed = serializers.BooleanField()
    new_grade = serializers.SerializerMethodField(help_text="Null when the risk was confirmed.")
    grading = serializers.SerializerMethodField(help_text="The re-grading's sequence, if any.")
    outstanding = serializers.CharField()
    created_at = AwareDateTimeField()

    @extend_schema_field(UserSummarySerializer)
    def get_from_holder(self, h):
        return UserSummarySerializer(h.from_holder, context=_rank_day(h.created_at)).data

    @extend_schema_field(UserSummarySerializer)
    def get_to_holder(self, h):
        return UserSummarySerializer(h.to_holder, context=_rank_day(h.created_at)).data

    @extend_schema_field(OpenApiTypes.STR)
    def get_new_grade(self, h) -> str | None:
        return h.grading.grade if h.grading_id else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_grading(self, h) -> int | None:
        return h.grading.sequence if h.grading_id else None


class HoldingSerializer(serializers.Serializer):
    """A written holding (insert-only): who, from when, decided by whom and why."""

    id = serializers.IntegerField(source="holding.pk")
    role = ResponsibilityRoleField(source="holding.role")
    holder = serializers.SerializerMethodField()
    starts_at = AwareDateTimeField(source="holding.starts_at")
    recorded_at = AwareDateTimeField(source="holding.recorded_at")
    how = serializers.ChoiceField(choices=How.choices, source="holding.how")
    how_label = serializers.SerializerMethodField()
    assigned_by = serializers.SerializerMethodField(help_text="Null when a rule wrote it.")
    assigned_by_job = serializers.CharField(
        source="holding.assigned_by_job", help_text="The rule that wrote it, when no person did."
    )
    reason = serializers.CharField(source="holding.reason")
    designation = serializers.IntegerField(source="holding.designation_id", allow_null=True)
    supersedes = serializers.IntegerField(source="holding.supersedes_id", allow_null=True)
    accepted_at = serializers.SerializerMethodField(
        help_text="When the holder accepted (taking a role yourself counts); null if not yet."
    )
    handover = serializers.SerializerMethodField(help_text="The handover that made it, if any.")

    @extend_schema_field(UserSummarySerializer)
    def get_holder(self, row):
        h = row.holding
        return UserSummarySerializer(h.holder, context=_rank_day(h.starts_at)).data

    def get_how_label(self, row) -> str:
        return How(row.holding.how).label

    @extend_schema_field(UserSummarySerializer(allow_null=True))
    def get_assigned_by(self, row):
        h = row.holding
        if h.assigned_by is None:
            return None
        return UserSummarySerializer(h.assigned_by, context=_rank_day(h.starts_at)).data

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_accepted_at(self, row) -> str | None:
        if row.acceptance is not None:
            return utc_iso(row.acceptance.accepted_at)
        h = row.holding
        if h.assigned_by_id is not None and h.assigned_by_id == h.holder_id:
            return utc_iso(h.starts_at)
        return None

    @extend_schema_field(HandoverSerializer(allow_null=True))
    def get_handover(self, row):
        return HandoverSerializer(row.handover).data if row.handover else None


class HoldingsQuerySerializer(serializers.Serializer):
    role = ResponsibilityRoleField(required=False)


class AcceptanceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    role = ResponsibilityRoleField()
    holding = serializers.IntegerField(source="holding_id", allow_null=True)
    derived_key = serializers.CharField(
        help_text="Set when a holding decided by rule was accepted."
    )
    person = serializers.SerializerMethodField()
    accepted_at = AwareDateTimeField()

    @extend_schema_field(UserSummarySerializer)
    def get_person(self, a):
        return UserSummarySerializer(a.person, context=_rank_day(a.accepted_at)).data


SEEN_HELP = (
    "Optional: the holder's `ref` as you saw it (from the responsibility answer). If someone "
    "changed the holder since, the request is refused with 409 and nothing is written."
)


class AssignmentInputSerializer(serializers.Serializer):
    role = ResponsibilityRoleField()
    person = ForceMemberField()
    reason = serializers.CharField(allow_blank=True, help_text="Why: required.")
    seen = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, default=None, help_text=SEEN_HELP
    )


class HandoverInputSerializer(serializers.Serializer):
    role = ResponsibilityRoleField()
    to_person = ForceMemberField()
    summary = serializers.CharField(allow_blank=True, help_text="Required.")
    risk_confirmed = serializers.BooleanField(
        help_text="True: the risk grade stands. False: give `new_grade` and `rationale`."
    )
    new_grade = serializers.CharField(
        max_length=40, required=False, allow_null=True, allow_blank=True, default=None
    )
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    outstanding = serializers.CharField(
        allow_blank=True, help_text="Required: what still needs doing, or that nothing does."
    )
    seen = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, default=None, help_text=SEEN_HELP
    )


class AcceptanceInputSerializer(serializers.Serializer):
    role = ResponsibilityRoleField()
    seen = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, default=None, help_text=SEEN_HELP
    )


class MyCaseSerializer(serializers.Serializer):
    case = CaseSummarySerializer()
    roles = HolderSerializer(many=True, source="answers", help_text="The roles you hold now.")


class AwaitingSerializer(serializers.Serializer):
    reference = serializers.SlugField()
    holder = HolderSerializer()


class MyCasesSerializer(serializers.Serializer):
    at = AwareDateTimeField()
    cases = MyCaseSerializer(many=True, help_text="Open cases where you hold a role, newest first.")
    awaiting_acceptance = AwaitingSerializer(
        many=True, help_text="Roles that came to you and wait for your acceptance."
    )
