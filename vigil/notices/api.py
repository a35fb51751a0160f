"""API: the signed-in person's inbox (GET /api/v1/inbox/) and marking a notice read."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from vigil.api.views import NOT_FOUND, VigilView
from vigil.notices import selectors
from vigil.notices.models import NoticeKind
from vigil.notices.services import notice_mark_read


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    case = serializers.SerializerMethodField()
    link = serializers.CharField(help_text="A path in Vigil's pages.")
    why_this_person = serializers.CharField()
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField(source="is_read")
    read_at = serializers.SerializerMethodField()

    def get_case(self, notice) -> str | None:
        return notice.case.reference if notice.case_id else None

    def get_read_at(self, notice) -> str | None:
        if not notice.is_read:
            return None
        return serializers.DateTimeField().to_representation(notice.read.read_at)


class InboxSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="How many of your notices are unread.")
    notices = NoticeSerializer(many=True, help_text="Unread first, newest first (200 at most).")


class InboxView(VigilView):
    @extend_schema(
        summary="Your notices, unread first",
        parameters=[
            OpenApiParameter("unread", bool, description="Only unread notices when true."),
        ],
        responses={200: InboxSerializer},
    )
    def get(self, request):
        unread_only = request.query_params.get("unread", "").lower() in ("1", "true", "yes")
        notices = selectors.inbox(request.user, unread_only=unread_only)
        body = {"unread": selectors.unread_count(request.user), "notices": notices}
        return Response(InboxSerializer(body).data)


class NoticeReadView(VigilView):
    @extend_schema(
        summary="Mark one of your notices read (once; later calls change nothing)",
        request=None,
        responses={200: NoticeSerializer, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        notice = selectors.notice_for(request.user, pk)
        if notice is None:
            raise Http404("No such notice.")
        notice_mark_read(notice=notice, actor=request.user)
        return Response(NoticeSerializer(selectors.notice_for(request.user, pk)).data)
