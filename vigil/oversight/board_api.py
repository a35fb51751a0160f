"""API v1 for the board, the Daily Management Meeting and the focus desk. Same rules as the
pages: the same selectors and services, `can_view_board` for reads.

People are given as {id, username, name, collar_number, label}; labels (rank then name) are
worked out for the whole answer at once, so the board's query count does not grow with the
number of cases here either."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from vigil.access.cases import can_view_board, get_area_or_404, get_case_or_404
from vigil.api.fields import AwareDateTimeField
from vigil.api.serializers import ForceMemberField
from vigil.api.views import FORBIDDEN, NOT_FOUND, REFUSED, VigilView, conflict
from vigil.core.time import london_date, now
from vigil.organisation.selectors import person_labels
from vigil.oversight import meetings
from vigil.oversight.board import DISCUSSION_LABELS, BoardFilters, build_board
from vigil.oversight.focus_desk import advice_record, case_advice, focus_desk_queue
from vigil.oversight.models import DecisionKind

KIND_HELP = "One of: " + ", ".join(DecisionKind.values) + "."
BOARD_HELP = "sergeants and above, and the inspector, focus desk and administrator roles"


# --- output ---------------------------------------------------------------------------------


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")
    collar_number = serializers.CharField()
    label = serializers.SerializerMethodField(help_text="Rank (A/ for acting) and name today.")

    def get_label(self, user) -> str:
        return self.context.get("labels", {}).get(user.pk, user.display_name)


def person(**kwargs):
    return PersonRefSerializer(**kwargs)


class BoardHolderSerializer(serializers.Serializer):
    role = serializers.CharField(help_text="owner, supervisor, sio or reviewing_inspector.")
    person = person(allow_null=True)
    accepted = serializers.BooleanField()
    how = serializers.CharField(
        help_text="initial, assignment, handover, escalation, absence, "
        "roster_rule or transfer_by_policy."
    )
    decided_by = serializers.CharField(help_text='"person" or "rule".')
    rule = serializers.CharField(help_text="How it was decided, in plain words.")
    since = AwareDateTimeField(allow_null=True)


class LastReviewSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(source="kind_label")
    recorded_at = AwareDateTimeField()
    reviewer = person()


class BoardReviewSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    opens_at = AwareDateTimeField()
    late_after = AwareDateTimeField()
    closes_at = AwareDateTimeField()
    reviewer = person(allow_null=True)
    how_decided = serializers.CharField()


class BoardPromptSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="prompt.pk")
    rule = serializers.CharField(source="prompt.rule")
    label = serializers.CharField(source="prompt.label")
    raised_at = AwareDateTimeField(source="prompt.raised_at")
    addressed_to = person()


class BoardFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    severity = serializers.ChoiceField(choices=["warning", "info"])
    link = serializers.CharField(allow_blank=True)


class BoardRowSerializer(serializers.Serializer):
    case = serializers.CharField(source="case.reference")
    area = serializers.CharField(source="case.area.code")
    subject = serializers.CharField()
    grade = serializers.CharField()
    grade_label = serializers.CharField()
    last_seen_at = AwareDateTimeField(allow_null=True)
    reported_at = AwareDateTimeField()
    missing_for_seconds = serializers.SerializerMethodField()
    proof_of_life_at = AwareDateTimeField(
        allow_null=True,
        help_text="The last verified proof of life; until one is recorded, when last seen.",
    )
    since_proof_of_life_seconds = serializers.SerializerMethodField()
    roles = BoardHolderSerializer(many=True)
    last_review = LastReviewSerializer(allow_null=True)
    next_review = serializers.SerializerMethodField()
    overdue_reviews = serializers.SerializerMethodField()
    unanswered_prompts = BoardPromptSerializer(source="prompts", many=True)
    flags = BoardFlagSerializer(many=True)
    discussion = serializers.ChoiceField(choices=list(DISCUSSION_LABELS.items()))
    last_meeting = serializers.IntegerField(source="last_meeting.pk", allow_null=True, default=None)

    def get_missing_for_seconds(self, row) -> int:
        return int(row.missing_for.total_seconds())

    def get_since_proof_of_life_seconds(self, row) -> int | None:
        since = row.since_proof_of_life
        return int(since.total_seconds()) if since is not None else None

    @extend_schema_field(BoardReviewSerializer(allow_null=True))
    def get_next_review(self, row):
        item = row.next_due
        if item is None:
            return None
        data = {
            "kind": item.kind,
            "label": item.label,
            "status": item.status,
            "opens_at": item.opens_at,
            "late_after": item.late_after,
            "closes_at": item.closes_at,
            "reviewer": row.next_reviewer,
            "how_decided": row.next_reviewer_how,
        }
        return BoardReviewSerializer(data, context=self.context).data

    @extend_schema_field(BoardReviewSerializer(many=True))
    def get_overdue_reviews(self, row):
        items = [
            {
                "kind": i.kind,
                "label": i.label,
                "status": i.status,
                "opens_at": i.opens_at,
                "late_after": i.late_after,
                "closes_at": i.closes_at,
                "reviewer": i.reviewer,
                "how_decided": i.how_decided,
            }
            for i in row.overdue
        ]
        return BoardReviewSerializer(items, many=True, context=self.context).data


class BoardSerializer(serializers.Serializer):
    at = AwareDateTimeField()
    area = serializers.CharField(source="area.code", allow_null=True, default=None)
    total = serializers.IntegerField(help_text="Open cases before filtering.")
    last_meeting = serializers.IntegerField(source="last_meeting.pk", allow_null=True, default=None)
    rows = BoardRowSerializer(many=True)


class QueueRowSerializer(serializers.Serializer):
    board = BoardRowSerializer(source="row")
    reasons = serializers.ListField(child=serializers.CharField())
    advice = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_advice(self, queue_row):
        return AdviceSerializer(queue_row.advice, many=True, context=self.context).data


class AdviceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.CharField(source="case.reference")
    text = serializers.CharField()
    author = person()
    recorded_at = AwareDateTimeField()


class MeetingDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.CharField(source="case.reference")
    kind = serializers.CharField(help_text=KIND_HELP)
    text = serializers.CharField()
    recorded_at = AwareDateTimeField()
    recorded_by = person()


class MarkSerializer(serializers.Serializer):
    case = serializers.CharField(source="case.reference")
    discussed = serializers.BooleanField()
    marked_at = AwareDateTimeField()


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="meeting.pk")
    area = serializers.CharField(source="meeting.area.code", allow_null=True, default=None)
    meeting_date = serializers.DateField(source="meeting.meeting_date")
    chair = person(source="meeting.chair")
    attendees = person(many=True)
    opened_at = AwareDateTimeField(source="meeting.opened_at")
    closed_at = AwareDateTimeField(
        source="meeting.closure.closed_at", allow_null=True, default=None
    )
    marks = MarkSerializer(many=True, source="mark_list")
    decisions = MeetingDecisionSerializer(many=True)


# --- input ----------------------------------------------------------------------------------


class MeetingOpenInSerializer(serializers.Serializer):
    area = serializers.CharField(
        required=False, allow_blank=True, help_text="Area code; leave out for force-wide."
    )
    chair = ForceMemberField(required=False, help_text="Username or id; default: you.")
    attendees = serializers.ListField(child=ForceMemberField(), required=False, default=list)


class CaseRefInSerializer(serializers.Serializer):
    case = serializers.CharField(help_text="The case's reference.")


class DecisionInSerializer(serializers.Serializer):
    case = serializers.CharField(help_text="The case's reference.")
    kind = serializers.CharField(help_text=KIND_HELP)
    text = serializers.CharField()


class AdviceInSerializer(serializers.Serializer):
    text = serializers.CharField()


# --- views ----------------------------------------------------------------------------------


def _people_in(*groups) -> list:
    return [p for group in groups for p in group if p is not None]


def _labels(people) -> dict:
    return person_labels(people, london_date(now()))


def _check_board(user):
    if not can_view_board(user):
        raise PermissionDenied(f"The board is for {BOARD_HELP}.")


def _flag(params, name: str) -> bool:
    return str(params.get(name, "")).lower() in ("1", "true", "yes")


FILTER_PARAMS = [
    OpenApiParameter("area", str, description="Area code in your force; leave out for all."),
    OpenApiParameter("grade", str, description="Only cases of this grade code."),
    OpenApiParameter("not_accepted", bool, description="Only cases with a role not accepted."),
    OpenApiParameter("overdue", bool, description="Only cases with an overdue review."),
    OpenApiParameter("prompts", bool, description="Only cases with an unanswered prompt."),
    OpenApiParameter("not_discussed", bool, description="Only cases the last meeting missed."),
    OpenApiParameter(
        "attention", bool, description="Only cases with something flagged to do (e.g. actions)."
    ),
]


def _area(request):
    code = request.query_params.get("area") or ""
    return get_area_or_404(request.user, code) if code else None


class BoardView(VigilView):
    @extend_schema(
        summary="The Daily Management Meeting board: open cases, holders, reviews, prompts",
        parameters=FILTER_PARAMS,
        responses={200: BoardSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request):
        _check_board(request.user)
        params = request.query_params
        filters = BoardFilters(
            grade=params.get("grade", ""),
            not_accepted=_flag(params, "not_accepted"),
            overdue=_flag(params, "overdue"),
            not_discussed=_flag(params, "not_discussed"),
            prompts=_flag(params, "prompts"),
            attention=_flag(params, "attention"),
        )
        board = build_board(request.user, area=_area(request), filters=filters)
        labels = _labels(_board_people(board.rows))
        return Response(BoardSerializer(board, context={"labels": labels}).data)


def _board_people(rows) -> list:
    found = []
    for row in rows:
        found += [a.person for a in row.roles]
        found += [row.next_reviewer] + [i.reviewer for i in row.overdue]
        found += [row.last_review.reviewer] if row.last_review else []
        found += [p.addressed_to for p in row.prompts]
    return [p for p in found if p is not None]


class FocusDeskView(VigilView):
    @extend_schema(
        summary="The Vulnerability Focus Desk queue",
        parameters=FILTER_PARAMS[:1],
        responses={200: QueueRowSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request):
        _check_board(request.user)
        queue = focus_desk_queue(request.user, area=_area(request))
        people = _board_people([q.row for q in queue.rows])
        people += [n.author for q in queue.rows for n in q.advice]
        context = {"labels": _labels(people)}
        return Response(QueueRowSerializer(queue.rows, many=True, context=context).data)


class CaseAdviceView(VigilView):
    @extend_schema(
        summary="Focus desk advice notes on a case, newest first",
        responses={200: AdviceSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, reference):
        case = self.read_case(reference)
        notes = case_advice(case)
        context = {"labels": _labels([n.author for n in notes])}
        return Response(AdviceSerializer(notes, many=True, context=context).data)

    @extend_schema(
        summary="Record focus desk advice on a case (focus desk officers)",
        request=AdviceInSerializer,
        responses={201: AdviceSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, reference):
        case = get_case_or_404(request.user, reference)
        form = AdviceInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        note = advice_record(case=case, actor=request.user, text=form.validated_data["text"])
        context = {"labels": _labels([note.author])}
        data = AdviceSerializer(note, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)


def _meeting_data(meeting) -> dict:
    meeting = meetings.meeting_visible_to(meeting.force_id, meeting.pk, force_id=True)
    record = meetings.meeting_record(meeting)
    record.mark_list = sorted(record.marks.values(), key=lambda m: (m.marked_at, m.pk))
    decided = [d.recorded_by for d in record.decisions]
    people = _people_in([meeting.chair], record.attendees, decided)
    return MeetingSerializer(record, context={"labels": _labels(people)}).data


class _MeetingView(VigilView):
    def meeting(self, pk):
        _check_board(self.request.user)
        found = meetings.meeting_visible_to(self.request.user, pk)
        if found is None:
            raise Http404("No such meeting.")
        return found


class MeetingListView(_MeetingView):
    @extend_schema(
        summary="Open a Daily Management Meeting (for an area, or force-wide)",
        request=MeetingOpenInSerializer,
        responses={
            201: MeetingSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: conflict("A meeting of that scope is already open."),
        },
    )
    def post(self, request):
        form = MeetingOpenInSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        code = data.get("area") or ""
        area = get_area_or_404(request.user, code) if code else None
        meeting = meetings.meeting_open(
            actor=request.user,
            area=area,
            chair=data.get("chair"),
            attendees=data.get("attendees", []),
        )
        return Response(_meeting_data(meeting), status=status.HTTP_201_CREATED)


class MeetingDetailView(_MeetingView):
    @extend_schema(
        summary="A meeting's record: chair, attendees, cases marked, decisions",
        responses={200: MeetingSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(_meeting_data(self.meeting(pk)))


CLOSED = conflict("The meeting is closed, or the case is already marked.")


class MeetingDiscussedView(_MeetingView):
    @extend_schema(
        summary="Mark a case discussed at the meeting",
        request=CaseRefInSerializer,
        responses={
            201: MeetingSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CLOSED,
        },
    )
    def post(self, request, pk):
        meeting = self.meeting(pk)
        form = CaseRefInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = get_case_or_404(request.user, form.validated_data["case"])
        meetings.meeting_mark_discussed(meeting=meeting, case=case, actor=request.user)
        return Response(_meeting_data(meeting), status=status.HTTP_201_CREATED)


class MeetingDecisionView(_MeetingView):
    @extend_schema(
        summary="Minute a decision against a case (marks it discussed)",
        request=DecisionInSerializer,
        responses={
            201: MeetingSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CLOSED,
        },
    )
    def post(self, request, pk):
        meeting = self.meeting(pk)
        form = DecisionInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        case = get_case_or_404(request.user, data["case"])
        meetings.meeting_minute_decision(
            meeting=meeting, case=case, actor=request.user, kind=data["kind"], text=data["text"]
        )
        return Response(_meeting_data(meeting), status=status.HTTP_201_CREATED)


class MeetingCloseView(_MeetingView):
    @extend_schema(
        summary="Close the meeting: cases not marked are recorded as not discussed",
        request=None,
        responses={200: MeetingSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CLOSED},
    )
    def post(self, request, pk):
        meeting = self.meeting(pk)
        meetings.meeting_close(meeting=meeting, actor=request.user)
        return Response(_meeting_data(meeting))
