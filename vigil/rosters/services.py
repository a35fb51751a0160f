"""Designating people to slots, correcting designations, recording duty hours."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction

from vigil.access.cases import can_manage_roster
from vigil.audit.services import audit_record
from vigil.core.errors import Conflict, NotAllowed, ServiceError
from vigil.core.time import now, require_aware
from vigil.organisation.models import RANK_LEVEL, Availability
from vigil.organisation.selectors import availability_at, rank_on
from vigil.rosters.models import (
    DESIGNATION_MIN_RANK,
    DESIGNATION_NEEDS_DETECTIVE,
    Designation,
    DesignationRole,
    DutyPeriod,
    SlotDefinition,
)
from vigil.rosters.slots import DEFAULT_SLOTS, slot_on


def _install_default_slots(area) -> None:
    for position, (code, name, starts, ends) in enumerate(DEFAULT_SLOTS):
        SlotDefinition.objects.create(
            area=area, code=code, name=name, starts=starts, ends=ends, position=position
        )


def _check_may_manage(actor, area) -> None:
    if actor is not None and not can_manage_roster(actor, area):
        raise NotAllowed("Only a sergeant or above, or an administrator, can change this roster.")


def _actor_kwargs(actor, system_job):
    if actor is None and not system_job:
        raise ValueError("a roster change needs a person or a named system job")
    return {"actor": actor} if actor is not None else {"system_job": system_job}


def _check_person(area, role: str, person, slot_date: date) -> None:
    if person.force_id != area.force_id:
        raise ServiceError("That person is not in this force.", field="person")
    if availability_at(person, now()) == Availability.LEFT:
        raise ServiceError(f"{person.display_name} has left the force.", field="person")
    minimum = DESIGNATION_MIN_RANK[role]
    rank, _acting = rank_on(person, slot_date)
    if rank is None or RANK_LEVEL[rank] < RANK_LEVEL[minimum]:
        label = DesignationRole(role).label.lower()
        raise ServiceError(
            f"A {label} must be at least {minimum} (acting rank counts) on {slot_date:%d %B %Y}; "
            f"{person.display_name} is not.",
            field="person",
        )
    if role in DESIGNATION_NEEDS_DETECTIVE and not person.is_detective:
        raise ServiceError(f"{person.display_name} is not a detective.", field="person")


def _slot(area, slot_date: date, slot_code: str):
    definition = SlotDefinition.objects.filter(area=area, code=slot_code).first()
    if definition is None:
        raise ServiceError(f"{area.name} has no slot called {slot_code!r}.", field="slot_code")
    return slot_on(definition, slot_date)


def _designate(*, area, slot_date, slot_code, role, person, actor, system_job, reason=""):
    _check_may_manage(actor, area)
    if role not in DesignationRole.values:
        raise ServiceError(f"Unknown role {role!r}.", field="role")
    slot = _slot(area, slot_date, slot_code)
    _check_person(area, role, person, slot_date)
    existing = Designation.objects.filter(
        area=area, slot_date=slot_date, slot_code=slot_code, role=role
    ).exists()
    if existing:
        raise Conflict(
            "Somebody is already designated for that slot and role: correct it instead.",
            field="person",
        )
    try:
        with transaction.atomic():
            designation = Designation.objects.create(
                area=area,
                slot_date=slot_date,
                slot_code=slot_code,
                role=role,
                person=person,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                recorded_at=now(),
                recorded_by=actor,
                recorded_by_job=system_job if actor is None else "",
                reason=reason,
            )
    except IntegrityError as exc:
        raise Conflict(
            "Someone designated that slot at the same moment; reload and check."
        ) from exc
    audit_record(
        force=area.force,
        kind="roster.designated",
        payload={
            "designation": designation.pk,
            "area": area.code,
            "slot_date": slot_date,
            "slot": slot_code,
            "role": role,
            "person": person.pk,
        },
        reason=reason,
        **_actor_kwargs(actor, system_job),
    )
    return designation


@transaction.atomic(durable=True)
def roster_designate(
    *,
    area,
    slot_date: date,
    slot_code: str,
    role: str,
    person,
    actor=None,
    system_job: str = "",
    reason: str = "",
) -> Designation:
    return _designate(
        area=area,
        slot_date=slot_date,
        slot_code=slot_code,
        role=role,
        person=person,
        actor=actor,
        system_job=system_job,
        reason=reason,
    )


@dataclass(frozen=True)
class DesignationEntry:
    slot_date: date
    slot_code: str
    role: str
    person: object


@transaction.atomic(durable=True)
def roster_publish(*, area, entries: list[DesignationEntry], actor=None, system_job: str = ""):
    """Designate many slots at once (a published roster), all or nothing."""
    return [
        _designate(
            area=area,
            slot_date=e.slot_date,
            slot_code=e.slot_code,
            role=e.role,
            person=e.person,
            actor=actor,
            system_job=system_job,
        )
        for e in entries
    ]


@transaction.atomic(durable=True)
def roster_correct(
    *, designation: Designation, person, reason: str, actor=None, system_job: str = ""
) -> Designation:
    """Supersede the current designation of a slot with another person, saying why."""
    if not reason or not reason.strip():
        raise ServiceError("Say why the designation is being corrected.", field="reason")
    current = (
        Designation.objects.select_for_update(of=("self",))
        .filter(
            area_id=designation.area_id,
            slot_date=designation.slot_date,
            slot_code=designation.slot_code,
            role=designation.role,
            superseded_by__isnull=True,
        )
        .select_related("area", "area__force")
        .first()
    )
    if current is None or current.pk != designation.pk:
        raise Conflict("That designation has already been corrected; reload and check.")
    _check_may_manage(actor, current.area)
    if current.person_id == person.pk:
        raise ServiceError(f"{person.display_name} is already designated.", field="person")
    _check_person(current.area, current.role, person, current.slot_date)
    try:
        with transaction.atomic():
            correction = Designation.objects.create(
                area=current.area,
                slot_date=current.slot_date,
                slot_code=current.slot_code,
                role=current.role,
                person=person,
                starts_at=current.starts_at,
                ends_at=current.ends_at,
                recorded_at=now(),
                recorded_by=actor,
                recorded_by_job=system_job if actor is None else "",
                reason=reason.strip(),
                supersedes=current,
            )
    except IntegrityError as exc:
        raise Conflict("Someone corrected that designation at the same moment.") from exc
    audit_record(
        force=current.area.force,
        kind="roster.corrected",
        payload={
            "designation": correction.pk,
            "supersedes": current.pk,
            "area": current.area.code,
            "slot_date": current.slot_date,
            "slot": current.slot_code,
            "role": current.role,
            "from_person": current.person_id,
            "to_person": person.pk,
        },
        reason=reason.strip(),
        **_actor_kwargs(actor, system_job),
    )
    return correction


@transaction.atomic(durable=True)
def duty_record(
    *, person, starts_at: datetime, ends_at: datetime, actor=None, system_job: str = ""
) -> DutyPeriod:
    starts_at = require_aware(starts_at, "starts_at")
    ends_at = require_aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ServiceError("A duty period must end after it starts.", field="ends_at")
    period = DutyPeriod.objects.create(
        person=person, starts_at=starts_at, ends_at=ends_at, recorded_at=now(), recorded_by=actor
    )
    audit_record(
        force=person.force,
        kind="duty.recorded",
        payload={"person": person.pk, "starts_at": starts_at, "ends_at": ends_at},
        **_actor_kwargs(actor, system_job),
    )
    return period


@transaction.atomic(durable=True)
def duty_record_many(*, periods: list[tuple], actor=None, system_job: str = ""):
    """Record a rota of (person, starts_at, ends_at) at once. One audit event for the rota."""
    created = DutyPeriod.objects.bulk_create(
        [
            DutyPeriod(person=p, starts_at=s, ends_at=e, recorded_at=now(), recorded_by=actor)
            for p, s, e in periods
        ]
    )
    if created:
        audit_record(
            force=periods[0][0].force,
            kind="duty.rota_recorded",
            payload={"periods": len(created)},
            **_actor_kwargs(actor, system_job),
        )
    return created
