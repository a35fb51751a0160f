"""API v1 views: thin. Check shape, find the thing within the user's scope, call one service.

Every case read starts from `Case.objects.visible_to(user)` (through vigil.access.cases), so
a case in another force or a restricted one not granted answers 404, exactly like a case that
does not exist. Detail reads of a case are written to the read log; list reads are not (one row
per listed case would drown the log in rows nobody looked at closely).
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings

from vigil.access.cases import can_manage_roster, get_area_or_404, get_case_or_404
from vigil.api import serializers as s
from vigil.api.fields import AWARE_MESSAGE, query_time
from vigil.audit.services import readlog_record
from vigil.cases.models import CaseStatus
from vigil.cases.selectors import case_list, grading_by_sequence, grading_history
from vigil.cases.services import FactInput, case_grade, grading_endorse
from vigil.core.errors import NotAllowed
from vigil.core.time import now
from vigil.missing.services import InitialGrading, missing_report
from vigil.people.selectors import force_persons, person_in_force
from vigil.people.services import PersonDetails, person_create
from vigil.rosters.models import DesignationRole
from vigil.rosters.selectors import (
    designated_for,
    designation_chain,
    designation_in_force,
    slot_at,
)
from vigil.rosters.services import roster_correct, roster_designate

NOT_FOUND = OpenApiResponse(
    s.ErrorSerializer, description="Not found, or not visible to you: the same answer."
)
REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "Refused. A shape error is keyed by field, e.g. "
        '{"reported_at": ["Enter a date and time with an offset, ..."]}; a service rule '
        'answers {"detail": ..., "field": ..., "errors": {field: [detail]}}.'
    ),
)
FORBIDDEN = OpenApiResponse(s.ErrorSerializer, description="Not allowed for you.")


def conflict(description: str) -> OpenApiResponse:
    return OpenApiResponse(s.ErrorSerializer, description=description)


class IsForceMember(BasePermission):
    """Signed in and belonging to a force: everything in the API is scoped to one force."""

    message = "Your account does not belong to a force."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.force_id is not None)


class VigilView(GenericAPIView):
    # Token first, so an anonymous request gets 401 with `WWW-Authenticate: Token`.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsForceMember]
    pagination_class = None

    def read_case(self, reference: str):
        """A case the user may see, its read logged; 404 otherwise."""
        case = get_case_or_404(self.request.user, reference)
        readlog_record(user=self.request.user, case=case, channel="api", what=self.request.path)
        return case

    def case_detail(self, case):
        context = {"request": self.request, "gradings": grading_history(case)}
        return s.CaseDetailSerializer(case, context=context).data


def _person_arg(ref):
    if ref is None:
        return None
    if "person" in ref:
        return ref["person"]
    return PersonDetails(**ref["details"])


def _facts(rows):
    return [FactInput(**row) for row in rows]


# --- cases ----------------------------------------------------------------------------------


class CaseListView(VigilView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        summary="Cases you may see, newest first",
        parameters=[
            OpenApiParameter("area", str, description="Area code in your force."),
            OpenApiParameter("status", str, enum=CaseStatus.values),
        ],
        responses={200: s.CaseSummarySerializer(many=True)},
    )
    def get(self, request):
        query = s.CaseListQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        cases = case_list(
            request.user,
            area=query.validated_data.get("area"),
            status=query.validated_data.get("status"),
        )
        page = self.paginate_queryset(cases)
        data = s.CaseSummarySerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Report a missing person",
        request=s.CaseReportInputSerializer,
        responses={201: s.CaseDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        form = s.CaseReportInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        grading = data["grading"]
        episode = missing_report(
            actor=request.user,
            area=data["area"],
            subject=_person_arg(data["subject"]),
            reporter=_person_arg(data["reporter"]),
            reporter_relationship=data["reporter_relationship"],
            reported_at=data["reported_at"],
            last_seen_at=data["last_seen_at"],
            last_seen_place=data["last_seen_place"],
            circumstances=data["circumstances"],
            missing_from_address=data["missing_from_address"],
            missing_from_kind=data["missing_from_kind"],
            grading=InitialGrading(
                grade=grading["grade"],
                rationale=grading["rationale"],
                facts=tuple(_facts(grading["facts"])),
            )
            if grading
            else None,
        )
        case = get_case_or_404(request.user, episode.case.reference)
        return Response(self.case_detail(case), status=status.HTTP_201_CREATED)


class CaseDetailView(VigilView):
    @extend_schema(
        summary="One case with its missing details and grading history",
        responses={200: s.CaseDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request, reference):
        return Response(self.case_detail(self.read_case(reference)))


class GradingListView(VigilView):
    @extend_schema(
        summary="A case's grading history, oldest first",
        responses={200: s.GradingSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, reference):
        case = self.read_case(reference)
        return Response(s.GradingSerializer(grading_history(case), many=True).data)

    @extend_schema(
        summary="Grade or re-grade a case",
        request=s.GradingInputSerializer,
        responses={201: s.GradingSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, reference):
        case = get_case_or_404(request.user, reference)
        form = s.GradingInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        grading = case_grade(
            case=case,
            grade=form.validated_data["grade"],
            rationale=form.validated_data["rationale"],
            facts=_facts(form.validated_data["facts"]),
            actor=request.user,
        )
        created = next(g for g in grading_history(case) if g.pk == grading.pk)
        return Response(s.GradingSerializer(created).data, status=status.HTTP_201_CREATED)


class EndorsementView(VigilView):
    @extend_schema(
        summary="Endorse a grading (sergeant or above, not its assessor)",
        request=s.EndorsementInputSerializer,
        responses={
            201: s.EndorsementSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: conflict("A newer grading exists, or already endorsed."),
        },
    )
    def post(self, request, reference, sequence):
        case = get_case_or_404(request.user, reference)
        grading = grading_by_sequence(case, sequence)
        if grading is None:
            raise Http404("No grading with that sequence.")
        form = s.EndorsementInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        endorsement = grading_endorse(
            grading=grading, actor=request.user, comment=form.validated_data["comment"]
        )
        return Response(s.EndorsementSerializer(endorsement).data, status=status.HTTP_201_CREATED)


# --- people ---------------------------------------------------------------------------------


class PersonListView(VigilView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        summary="People recorded by your force",
        responses={200: s.PersonSummarySerializer(many=True)},
    )
    def get(self, request):
        page = self.paginate_queryset(force_persons(request.user.force_id))
        return self.get_paginated_response(s.PersonSummarySerializer(page, many=True).data)

    @extend_schema(
        summary="Record a person",
        request=s.PersonDetailsInput,
        responses={201: s.PersonDetailSerializer, 400: REFUSED},
    )
    def post(self, request):
        form = s.PersonDetailsInput(data=request.data)
        form.is_valid(raise_exception=True)
        person = person_create(
            force=request.user.force,
            details=PersonDetails(**form.validated_data),
            actor=request.user,
        )
        data = s.PersonDetailSerializer(person, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class PersonDetailView(VigilView):
    @extend_schema(
        summary="One person recorded by your force",
        responses={200: s.PersonDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request, public_id):
        person = person_in_force(request.user.force_id, public_id)
        if person is None:
            raise Http404("No person with that id.")
        return Response(s.PersonDetailSerializer(person, context={"request": request}).data)


# --- rosters --------------------------------------------------------------------------------


def _designation_or_404(user, pk):
    designation = designation_in_force(user.force_id, pk)
    if designation is None:
        raise Http404("No designation with that id.")
    return designation


def _designation_detail(designation):
    context = {"chain": designation_chain(designation)}
    return s.DesignationDetailSerializer(designation, context=context).data


class DesignationCreateView(VigilView):
    @extend_schema(
        summary="Designate someone for a role in an area's slot",
        request=s.DesignateInputSerializer,
        responses={
            201: s.DesignationDetailSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            409: conflict("Somebody is already designated: correct instead."),
        },
    )
    def post(self, request):
        form = s.DesignateInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if not can_manage_roster(request.user, data["area"]):
            raise NotAllowed("Only a sergeant or above, or an administrator, keeps the roster.")
        designation = roster_designate(
            area=data["area"],
            slot_date=data["slot_date"],
            slot_code=data["slot_code"],
            role=data["role"],
            person=data["person"],
            reason=data["reason"],
            actor=request.user,
        )
        designation = _designation_or_404(request.user, designation.pk)
        return Response(_designation_detail(designation), status=status.HTTP_201_CREATED)


class DesignationDetailView(VigilView):
    @extend_schema(
        summary="One designation row with its whole chain of corrections",
        responses={200: s.DesignationDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(_designation_detail(_designation_or_404(request.user, pk)))


class DesignationCorrectView(VigilView):
    @extend_schema(
        summary="Correct a designation: a new row supersedes it, with who and why",
        request=s.CorrectInputSerializer,
        responses={
            201: s.DesignationDetailSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: conflict("That row has already been superseded."),
        },
    )
    def post(self, request, pk):
        designation = _designation_or_404(request.user, pk)
        form = s.CorrectInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        if not can_manage_roster(request.user, designation.area):
            raise NotAllowed("Only a sergeant or above, or an administrator, keeps the roster.")
        correction = roster_correct(
            designation=designation,
            person=form.validated_data["person"],
            reason=form.validated_data["reason"],
            actor=request.user,
        )
        correction = _designation_or_404(request.user, correction.pk)
        return Response(_designation_detail(correction), status=status.HTTP_201_CREATED)


TIME_HELP = (
    "An instant with an offset, e.g. 2024-10-27T01:30+01:00 or 2024-10-27T00:30Z "
    "(encode + as %2B). Defaults to now. Without an offset, or not a real time: 400 "
    f'naming the parameter, e.g. {{"at": ["{AWARE_MESSAGE}"]}}.'
)


def _slot(day, code, starts_at, ends_at) -> dict:
    return {"date": day, "code": code, "starts_at": starts_at, "ends_at": ends_at}


class DesignatedView(VigilView):
    @extend_schema(
        summary="Who is designated for an area and role at an instant, as known at another",
        description=(
            "Answers 200 in every case where the area exists. When nobody is designated "
            "(as known at `known_at`), `person`, `designation` and the recorded fields are "
            "null and `detail` says so in plain words; `slot` still names the slot containing "
            "`at`. An unknown area, or one of another force, answers 404."
        ),
        parameters=[
            OpenApiParameter("area", str, required=True, description="Area code in your force."),
            OpenApiParameter("role", str, required=True, enum=DesignationRole.values),
            OpenApiParameter("at", OpenApiTypes.DATETIME, description=TIME_HELP),
            OpenApiParameter("known_at", OpenApiTypes.DATETIME, description=TIME_HELP),
        ],
        responses={200: s.DesignatedSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request):
        query = s.DesignatedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        asked = now()
        at = query_time(request, "at", default=asked)
        known_at = query_time(request, "known_at", default=asked)
        area = get_area_or_404(request.user, query.validated_data["area"])
        role = query.validated_data["role"]
        designation = designated_for(area, role, at, known_at)
        answer = {"area": area.code, "role": role, "at": at, "known_at": known_at}
        if designation is None:
            slot = slot_at(area, at)
            label = DesignationRole(role).label.lower()
            answer.update(
                detail=f"Nobody is designated {label} for {area.name} at that time "
                "(as known then).",
                person=None,
                slot=_slot(slot.date, slot.code, slot.starts_at, slot.ends_at) if slot else None,
                designation=None,
                recorded_at=None,
                recorded_by=None,
                recorded_by_job=None,
                reason=None,
                is_correction=False,
            )
        else:
            answer.update(
                detail=None,
                person=designation.person,
                slot=_slot(
                    designation.slot_date,
                    designation.slot_code,
                    designation.starts_at,
                    designation.ends_at,
                ),
                designation=designation.pk,
                recorded_at=designation.recorded_at,
                recorded_by=designation.recorded_by,
                recorded_by_job=designation.recorded_by_job,
                reason=designation.reason,
                is_correction=designation.supersedes_id is not None,
            )
        rank_day = designation.slot_date if designation else None
        data = s.DesignatedSerializer(answer, context={"rank_day": rank_day}).data
        return Response(data)
