"""API v1: review compliance — the same report, the same figures as the page and the exports.

`GET /api/v1/reviews/compliance/?from=YYYY-MM-DD&to=YYYY-MM-DD&area=<code>&kind=<code>
&reviewer=<username>`. The filters are checked by the page's own form; a bad one is a 400
keyed by the parameter.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from vigil.access.cases import can_view_compliance
from vigil.api.fields import AwareDateTimeField
from vigil.api.views import FORBIDDEN, REFUSED, IsForceMember, VigilView
from vigil.reviews.api import STATUS_HELP
from vigil.reviews.compliance import BREAKDOWN_TITLES, ComplianceFilterForm, compliance_report


class CanViewCompliance(BasePermission):
    message = (
        "Review compliance is for sergeants and above, inspectors, the focus desk, auditors, "
        "analysts and administrators."
    )

    def has_permission(self, request, view):
        return can_view_compliance(request.user)


class ComplianceCountsSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    due = serializers.IntegerField(help_text="Due in the period; 'not needed' ones excluded.")
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missed = serializers.IntegerField()
    open = serializers.IntegerField(help_text="Due or overdue now: counted as due, not done.")
    on_time_ratio = serializers.FloatField(
        allow_null=True, help_text="Done on time ÷ due; null when nothing was due."
    )


class CompliancePersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    collar_number = serializers.CharField()
    label = serializers.CharField(help_text="Rank on the day in question, collar number, name.")


class ComplianceCorrectionSerializer(serializers.Serializer):
    person = CompliancePersonSerializer(help_text="Who the corrected roster names.")
    recorded_at = AwareDateTimeField()
    recorded_by = CompliancePersonSerializer(allow_null=True)
    recorded_by_job = serializers.CharField()
    reason = serializers.CharField()


class ComplianceCountedReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewer = CompliancePersonSerializer()
    on_behalf_of = CompliancePersonSerializer(allow_null=True)
    recorded_at = AwareDateTimeField()


class ComplianceRowSerializer(serializers.Serializer):
    due_review = serializers.IntegerField()
    case = serializers.CharField(
        allow_null=True, help_text="The reference; null for a restricted case not granted to you."
    )
    restricted = serializers.BooleanField()
    area = serializers.CharField()
    area_name = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()
    slot_date = serializers.DateField(allow_null=True)
    slot_code = serializers.CharField()
    slot_name = serializers.CharField()
    window_start = AwareDateTimeField()
    window_end = AwareDateTimeField()
    late_after = AwareDateTimeField()
    closes_at = AwareDateTimeField()
    reviewer = CompliancePersonSerializer(
        allow_null=True,
        help_text="The accountable reviewer as rostered (or held) when the window opened.",
    )
    how_decided = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    status_label = serializers.CharField()
    counted_review = ComplianceCountedReviewSerializer(allow_null=True)
    corrections = ComplianceCorrectionSerializer(
        many=True, help_text="Roster corrections recorded since, oldest first."
    )
    designated_now = CompliancePersonSerializer(
        allow_null=True, help_text="Who the roster names now, when it was corrected since."
    )


class ComplianceGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    counts = ComplianceCountsSerializer()


class ComplianceAreaSeriesSerializer(serializers.Serializer):
    area = serializers.CharField()
    area_name = serializers.CharField()
    points = ComplianceCountsSerializer(many=True, help_text="One per week of `weeks`.")


class ComplianceTrendSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    weeks = serializers.ListField(child=serializers.DateField(), help_text="Mondays (UK).")
    series = ComplianceAreaSeriesSerializer(many=True)


class ComplianceBreakdownsSerializer(serializers.Serializer):
    case = ComplianceGroupSerializer(many=True)
    reviewer = ComplianceGroupSerializer(many=True)
    area = ComplianceGroupSerializer(many=True)
    slot = ComplianceGroupSerializer(many=True)
    week = ComplianceGroupSerializer(many=True)


class ComplianceFiltersSerializer(serializers.Serializer):
    from_ = serializers.DateField()
    to = serializers.DateField()
    area = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    reviewer = serializers.CharField(allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class ComplianceSerializer(serializers.Serializer):
    filters = ComplianceFiltersSerializer()
    at = AwareDateTimeField(help_text="Statuses as at this instant.")
    kinds = ComplianceCountsSerializer(
        many=True, help_text="Per kind of review: never one ratio across."
    )
    trend = ComplianceTrendSerializer(
        allow_null=True,
        help_text="Weekly series by area for the chosen kind, or the kind due most often.",
    )
    breakdowns = ComplianceBreakdownsSerializer(
        help_text=", ".join(BREAKDOWN_TITLES.values()) + "."
    )
    rows = ComplianceRowSerializer(many=True, help_text="Every due review, oldest window first.")


DATE_HELP = "A UK date, YYYY-MM-DD, included. Default: the last eight weeks, to today."


class ComplianceView(VigilView):
    permission_classes = [IsForceMember, CanViewCompliance]

    @extend_schema(
        summary="Review compliance per kind: summaries, weekly series by area, and the rows",
        description=(
            "Due reviews of your force whose windows start in the period, with their status, "
            "the review that counted, the accountable reviewer as rostered at the time and "
            "any roster correction since. On time ÷ due per kind: reviews still open count "
            "as due."
        ),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description=DATE_HELP),
            OpenApiParameter("to", OpenApiTypes.DATE, description=DATE_HELP),
            OpenApiParameter("area", str, description="Area code in your force."),
            OpenApiParameter("kind", str, description="Review kind code, e.g. supervisory."),
            OpenApiParameter(
                "reviewer", str, description="Accountable reviewer: username or collar number."
            ),
        ],
        responses={200: ComplianceSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def get(self, request):
        form = ComplianceFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(form.errors_by_parameter())
        report = compliance_report(user=request.user, filters=form.filters())
        body = {
            "filters": report.filters.payload(),
            "at": report.at,
            "kinds": report.kinds,
            "trend": report.trend,
            "breakdowns": report.breakdowns,
            "rows": report.lines,
        }
        return Response(ComplianceSerializer(body).data)
