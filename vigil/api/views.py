"""API v1 views: thin. Check shape, find the thing within the user's scope, call one service.

Every case read starts from `Case.objects.visible_to(user)` (through vigil.access.cases), so
a case in another force or a restricted one not granted answers 404, exactly like a case that
does not exist. Detail reads of a case are written to the read log; list reads are not (one row
per listed case would drown the log in rows nobody looked at closely).
"""

from contextlib import contextmanager

from django.db.models import prefetch_related_objects
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
from vigil.core.errors import NotAllowed, ServiceError
from vigil.core.time import now
from vigil.missing.services import InitialGrading, missing_report
from vigil.people.selectors import force_persons, person_in_force
from vigil.people.services import PersonDetails, person_create
from vigil.responsibility.models import ResponsibilityRole
from vigil.responsibility.selectors import (
    HistoryRow,
    holding_history,
    my_cases,
    responsibility_at,
)
from vigil.responsibility.services import case_assign, case_handover, holding_accept
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


# --- responsibility -------------------------------------------------------------------------


@contextmanager
def fields_named(names: dict):
    """A service names the field it refuses by its own argument (`holder`); name it as this
    request did (`person`), so the 400's `field` points at what the client sent."""
    try:
        yield
    except ServiceError as error:
        if error.field in names:
            error.field = names[error.field]
        raise


STALE = conflict(
    "`seen` is stale: someone changed the holder since (nothing was written), or it was "
    "accepted already."
)


class ResponsibilityView(VigilView):
    @extend_schema(
        operation_id="cases_responsibility",
        summary="Who holds each required role at an instant, as known at another",
        description=(
            "Every role the case's policy requires at `at` (default now), each with its one "
            "holder as the ledger stood at `known_at` (default now): how it was decided (a "
            "person's choice or a rule, in plain words), since when, the roster designation "
            "used, and whether the holder has accepted it (and when). Pass a role's `ref` back "
            "as `seen` when you assign, hand over or accept."
        ),
        parameters=[
            OpenApiParameter("at", OpenApiTypes.DATETIME, description=TIME_HELP),
            OpenApiParameter("known_at", OpenApiTypes.DATETIME, description=TIME_HELP),
        ],
        responses={200: s.ResponsibilitySerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, reference):
        asked = now()
        at = query_time(request, "at", default=asked)
        known_at = query_time(request, "known_at", default=asked)
        case = self.read_case(reference)
        answer = {
            "reference": case.reference,
            "at": at,
            "known_at": known_at,
            "roles": responsibility_at(case, at=at, known_at=known_at),
        }
        return Response(s.ResponsibilitySerializer(answer).data)


class ResponsibilitySlashView(ResponsibilityView):
    """The same answer at `responsibility/` (not in the schema: one documented path)."""

    @extend_schema(exclude=True)
    def get(self, request, reference):
        return super().get(request, reference)


class HoldingListView(VigilView):
    @extend_schema(
        summary="Every written holding of the case, oldest first (the insert-only ledger)",
        description=(
            "Assignments, handovers (with the handover template), escalations and the initial "
            "owner, each with who decided and whether it was accepted. Holdings decided by "
            "rule when asked (roster rule, transfer by policy, absence) are not rows: ask "
            "`responsibility` for any instant."
        ),
        parameters=[OpenApiParameter("role", str, enum=ResponsibilityRole.values)],
        responses={200: s.HoldingSerializer(many=True), 400: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, reference):
        query = s.HoldingsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        case = self.read_case(reference)
        rows = holding_history(case, query.validated_data.get("role"))
        return Response(s.HoldingSerializer(rows, many=True).data)


class AssignmentView(VigilView):
    @extend_schema(
        summary="Give a role on the case to a person, from now",
        description=(
            "Sergeants and above (and administrators) assign; anyone may take a role "
            "themselves (which counts as accepting it). The person must meet the role's "
            "minimum rank."
        ),
        request=s.AssignmentInputSerializer,
        responses={
            201: s.HoldingSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request, reference):
        case = get_case_or_404(request.user, reference)
        form = s.AssignmentInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        with fields_named({"holder": "person"}):
            holding = case_assign(
                case=case,
                role=data["role"],
                holder=data["person"],
                actor=request.user,
                reason=data["reason"],
                seen=data["seen"] or None,
            )
        row = HistoryRow(holding=holding, acceptance=None, handover=None)
        return Response(s.HoldingSerializer(row).data, status=status.HTTP_201_CREATED)


class HandoverView(VigilView):
    @extend_schema(
        summary="Hand a role you hold over to someone else, with the handover template",
        description=(
            "Only the current holder hands over. The risk is confirmed (`risk_confirmed`: "
            "true) or changed (false, with `new_grade` and `rationale`: the case is re-graded "
            "in the same transaction). The incoming holder must accept."
        ),
        request=s.HandoverInputSerializer,
        responses={
            201: s.HoldingSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request, reference):
        case = get_case_or_404(request.user, reference)
        form = s.HandoverInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        with fields_named({"holder": "to_person", "to_holder": "to_person"}):
            handover = case_handover(
                case=case,
                role=data["role"],
                to_holder=data["to_person"],
                summary=data["summary"],
                risk_confirmed=data["risk_confirmed"],
                new_grade=data["new_grade"] or None,
                rationale=data["rationale"],
                outstanding=data["outstanding"],
                actor=request.user,
                seen=data["seen"] or None,
            )
        row = HistoryRow(holding=handover.holding, acceptance=None, handover=handover)
        return Response(s.HoldingSerializer(row).data, status=status.HTTP_201_CREATED)


class AcceptanceView(VigilView):
    @extend_schema(
        summary="Accept a role you hold on the case, however it came to you",
        request=s.AcceptanceInputSerializer,
        responses={
            201: s.AcceptanceSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request, reference):
        case = get_case_or_404(request.user, reference)
        form = s.AcceptanceInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        acceptance = holding_accept(
            case=case,
            role=form.validated_data["role"],
            actor=request.user,
            seen=form.validated_data["seen"] or None,
        )
        return Response(s.AcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)


class MyCasesView(VigilView):
    @extend_schema(
        summary="Open cases where you hold a role now, and what waits for your acceptance",
        responses={200: s.MyCasesSerializer},
    )
    def get(self, request):
        mine = my_cases(request.user)
        prefetch_related_objects([mc.case for mc in mine.cases], "missing__subject")
        answer = {
            "at": mine.at,
            "cases": mine.cases,
            "awaiting_acceptance": [
                {"reference": case.reference, "holder": holder}
                for case, holder in mine.awaiting_acceptance
            ],
        }
        return Response(s.MyCasesSerializer(answer, context={"request": request}).data)
