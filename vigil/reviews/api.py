"""API v1 for reviews: thin views over the reviews selectors and `review_record`.

Mounted by vigil/reviews/urls.py under /api/v1/; authentication, permission and the error
handler are the API's own (vigil.api).
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from vigil.access.cases import get_case_or_404
from vigil.api.fields import AwareDateTimeField
from vigil.api.serializers import FactInputSerializer, ForceMemberField, UserSummarySerializer
from vigil.api.views import FORBIDDEN, NOT_FOUND, REFUSED, VigilView, conflict
from vigil.cases.services import FactInput
from vigil.reviews import selectors
from vigil.reviews.models import DueReview
from vigil.reviews.services import review_record

STATUS_HELP = (
    "upcoming, due, overdue (late but a review still counts), done_on_time, done_late, "
    "missed or not_needed (the case was closed first)."
)


class ReviewSlotSerializer(serializers.Serializer):
    date = serializers.DateField(source="slot_date")
    code = serializers.CharField(source="slot_code")


class ReviewItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="due_id", allow_null=True, help_text="The due review's id once written."
    )
    case = serializers.CharField(source="case.reference")
    kind = serializers.CharField()
    label = serializers.CharField()
    window_start = AwareDateTimeField()
    window_end = AwareDateTimeField()
    opens_at = AwareDateTimeField(
        help_text="When it became due (later than the window's start "
        "when the kind began to apply part-way through)."
    )
    late_after = AwareDateTimeField()
    closes_at = AwareDateTimeField(help_text="From here on a review no longer counts.")
    slot = serializers.SerializerMethodField()
    reviewer = UserSummarySerializer(allow_null=True, help_text="The accountable reviewer.")
    how_decided = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    status_label = serializers.CharField()
    written = serializers.BooleanField(
        help_text="False for a window computed ahead of (or just after) its opening."
    )
    counted_review = serializers.IntegerField(source="counted.pk", allow_null=True, default=None)

    @extend_schema_field(ReviewSlotSerializer(allow_null=True))
    def get_slot(self, item):
        return ReviewSlotSerializer(item).data if item.slot_date else None


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    label = serializers.CharField(source="kind_label")
    due = serializers.IntegerField(source="due_id", allow_null=True)
    counts = serializers.BooleanField(help_text="Whether it counts for the due review.")
    counts_reason = serializers.CharField()
    reviewer = UserSummarySerializer()
    on_behalf_of = UserSummarySerializer(allow_null=True)
    recorded_at = AwareDateTimeField()
    risk_confirmed = serializers.BooleanField()
    grading = serializers.IntegerField(
        source="grading.sequence", allow_null=True, default=None, help_text="Re-grading sequence."
    )
    new_grade = serializers.CharField(source="grading.grade", allow_null=True, default=None)
    rationale = serializers.CharField()
    facts_relied_on = serializers.CharField()
    actions_reviewed = serializers.CharField()
    decisions = serializers.CharField()
    next_steps = serializers.CharField()


class CaseReviewsSerializer(serializers.Serializer):
    case = serializers.CharField()
    due_reviews = ReviewItemSerializer(many=True, help_text="Written due reviews, oldest first.")
    upcoming = ReviewItemSerializer(many=True, help_text="Computed for the next 48 hours.")
    reviews = ReviewSerializer(many=True, help_text="Reviews recorded, newest first.")


class ReviewInputSerializer(serializers.Serializer):
    kind = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="Optional when `due` is given."
    )
    due = serializers.IntegerField(required=False, allow_null=True, default=None)
    on_behalf_of = ForceMemberField(required=False, allow_null=True, default=None)
    risk_confirmed = serializers.BooleanField(default=True)
    new_grade = serializers.CharField(required=False, default="", allow_blank=True)
    rationale = serializers.CharField(allow_blank=True)
    facts = FactInputSerializer(
        many=True, required=False, default=list, help_text="Facts for a re-grading."
    )
    facts_relied_on = serializers.CharField(required=False, default="", allow_blank=True)
    actions_reviewed = serializers.CharField(required=False, default="", allow_blank=True)
    decisions = serializers.CharField(required=False, default="", allow_blank=True)
    next_steps = serializers.CharField(required=False, default="", allow_blank=True)


class RecordedSerializer(serializers.Serializer):
    review = ReviewSerializer()
    counts = serializers.BooleanField()
    message = serializers.CharField(help_text="In plain words: whether and why it counts.")
    due = ReviewItemSerializer(allow_null=True)


class MyReviewsSerializer(serializers.Serializer):
    at = AwareDateTimeField()
    due = ReviewItemSerializer(many=True, help_text="Open now: due or overdue.")
    upcoming = ReviewItemSerializer(many=True, help_text="Opening within 24 hours.")


def _item(due: DueReview):
    return next(i for i in selectors.due_reviews(due.case) if i.due_id == due.pk)


class CaseReviewsView(VigilView):
    @extend_schema(
        summary="A case's due reviews with their status, upcoming ones, and reviews done",
        responses={200: CaseReviewsSerializer, 404: NOT_FOUND},
    )
    def get(self, request, reference):
        case = self.read_case(reference)
        data = {
            "case": case.reference,
            "due_reviews": selectors.due_reviews(case),
            "upcoming": selectors.upcoming_reviews(case),
            "reviews": selectors.reviews_done(case),
        }
        return Response(CaseReviewsSerializer(data).data)

    @extend_schema(
        summary="Record a review (risk confirmed or re-graded)",
        description=(
            "It counts for the due review (given, or the open one of its kind) when recorded "
            "by its accountable reviewer, or by someone of at least the kind's minimum rank "
            "`on_behalf_of` them. Otherwise it is recorded (201) with `counts` false and "
            "`message` saying why; the due review stays open."
        ),
        request=ReviewInputSerializer,
        responses={
            201: RecordedSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: conflict("Someone changed the case at the same moment."),
        },
    )
    def post(self, request, reference):
        case = get_case_or_404(request.user, reference)
        form = ReviewInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        due = None
        if data["due"] is not None:
            due = DueReview.objects.filter(pk=data["due"], case=case).first()
            if due is None:
                raise ValidationError({"due": ["No due review with that id on this case."]})
        recorded = review_record(
            case=case,
            kind=data["kind"],
            actor=request.user,
            due=due,
            on_behalf_of=data["on_behalf_of"],
            risk_confirmed=data["risk_confirmed"],
            new_grade=data["new_grade"],
            rationale=data["rationale"],
            facts=[FactInput(**row) for row in data["facts"]],
            facts_relied_on=data["facts_relied_on"],
            actions_reviewed=data["actions_reviewed"],
            decisions=data["decisions"],
            next_steps=data["next_steps"],
        )
        body = {
            "review": recorded.review,
            "counts": recorded.counts,
            "message": recorded.message,
            "due": _item(recorded.due) if recorded.due is not None else None,
        }
        return Response(RecordedSerializer(body).data, status=status.HTTP_201_CREATED)


class MyReviewsView(VigilView):
    @extend_schema(
        summary="Reviews you are accountable for: open now, and opening within 24 hours",
        responses={200: MyReviewsSerializer},
    )
    def get(self, request):
        mine = selectors.my_reviews_due(request.user)
        return Response(MyReviewsSerializer(mine).data)
