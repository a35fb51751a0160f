"""API for escalation prompts: a case's prompts, and answering one. Same rules as the pages."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from vigil.api.views import FORBIDDEN, NOT_FOUND, REFUSED, VigilView, conflict
from vigil.oversight import selectors
from vigil.oversight.models import PromptLevel
from vigil.oversight.services import prompt_answer


class DecisionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class PromptAnswerOutSerializer(serializers.Serializer):
    decision = serializers.CharField()
    decision_label = serializers.CharField()
    rationale = serializers.CharField()
    answered_by = serializers.CharField(source="answered_by.username")
    answered_at = serializers.DateTimeField()
    on_behalf = serializers.BooleanField(
        help_text="Answered by someone other than the person it was with."
    )


class PromptEscalationSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    reason = serializers.CharField()
    level = serializers.ChoiceField(source="level_role", choices=PromptLevel.choices)
    addressed_to = serializers.CharField(source="addressed_to.username")
    addressed_at = serializers.DateTimeField()
    why_this_person = serializers.CharField()


class PromptSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="prompt.pk")
    case = serializers.CharField(source="prompt.case.reference")
    rule = serializers.CharField(source="prompt.rule")
    label = serializers.CharField(source="prompt.label")
    question = serializers.CharField(source="prompt.question")
    raised_at = serializers.DateTimeField(source="prompt.raised_at")
    policy_version = serializers.IntegerField(source="prompt.policy_version.version")
    decisions = DecisionSerializer(source="prompt.decisions", many=True)
    level = serializers.ChoiceField(source="level_role", choices=PromptLevel.choices)
    addressed_to = serializers.CharField(
        source="addressed_to.username", help_text="Who the prompt is with now."
    )
    why_this_person = serializers.CharField()
    climbs_at = serializers.DateTimeField(
        allow_null=True, help_text="When it goes up a rank if still unanswered."
    )
    escalations = PromptEscalationSerializer(many=True)
    answer = PromptAnswerOutSerializer(allow_null=True)


class PromptAnswerInSerializer(serializers.Serializer):
    decision = serializers.CharField(help_text="One of the prompt's decision codes.")
    rationale = serializers.CharField(help_text="Your reasons, recorded on the timeline.")


class CasePromptsView(VigilView):
    @extend_schema(
        summary="A case's escalation prompts, newest first",
        responses={200: PromptSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, reference):
        case = self.read_case(reference)
        return Response(PromptSerializer(selectors.case_prompts(case), many=True).data)


class PromptAnswerView(VigilView):
    @extend_schema(
        summary="Answer a prompt with a decision and your reasons",
        request=PromptAnswerInSerializer,
        responses={
            201: PromptSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: conflict("Already answered."),
        },
    )
    def post(self, request, pk):
        prompt = selectors.prompt_visible_to(request.user, pk)
        if prompt is None:
            raise Http404("No such prompt.")
        form = PromptAnswerInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        prompt_answer(prompt=prompt, actor=request.user, **form.validated_data)
        state = selectors.prompt_state(prompt)
        return Response(PromptSerializer(state).data, status=status.HTTP_201_CREATED)
