"""Writes for forces, areas, teams and people. Each is one transaction with its audit event."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from vigil.audit.services import audit_chain_start, audit_record
from vigil.core.errors import ServiceError
from vigil.core.time import now, require_aware
from vigil.organisation.models import (
    Area,
    Availability,
    AvailabilityPeriod,
    Force,
    Rank,
    RankPeriod,
    Role,
    Team,
    User,
    WorkingPattern,
)

SETUP_JOB = "setup"


def _actor_fields(actor) -> dict:
    return {"actor": actor} if actor is not None else {"system_job": SETUP_JOB}


@transaction.atomic(durable=True)
def force_create(*, name: str, code: str, actor=None) -> Force:
    if Force.objects.filter(code=code).exists():
        raise ServiceError(f"A force with code {code!r} already exists.", field="code")
    force = Force.objects.create(name=name, code=code)
    audit_chain_start(force=force)
    audit_record(
        force=force,
        kind="force.created",
        payload={"name": name, "code": code},
        **_actor_fields(actor),
    )
    return force


@transaction.atomic(durable=True)
def area_create(*, force: Force, name: str, code: str, actor=None) -> Area:
    from vigil.rosters.services import _install_default_slots

    if Area.objects.filter(force=force, code=code).exists():
        raise ServiceError(f"An area with code {code!r} already exists.", field="code")
    area = Area.objects.create(force=force, name=name, code=code)
    _install_default_slots(area)
    audit_record(
        force=force,
        kind="area.created",
        payload={"area": code, "name": name},
        **_actor_fields(actor),
    )
    return area


@transaction.atomic(durable=True)
def team_create(*, area: Area, name: str, actor=None) -> Team:
    team = Team.objects.create(area=area, name=name)
    audit_record(
        force=area.force,
        kind="team.created",
        payload={"area": area.code, "team": name},
        **_actor_fields(actor),
    )
    return team


@transaction.atomic(durable=True)
def user_create(
    *,
    force: Force,
    username: str,
    first_name: str,
    last_name: str,
    rank: str,
    rank_since: date,
    password: str | None = None,
    collar_number: str = "",
    team: Team | None = None,
    roles: list[str] | None = None,
    fraction: Decimal | str = "1.00",
    is_detective: bool = False,
    actor=None,
) -> User:
    if rank not in Rank.values:
        raise ServiceError(f"Unknown rank {rank!r}.", field="rank")
    unknown = set(roles or []) - set(Role.values)
    if unknown:
        raise ServiceError(f"Unknown role(s): {', '.join(sorted(unknown))}.", field="roles")
    if User.objects.filter(username=username).exists():
        raise ServiceError(f"The username {username!r} is taken.", field="username")
    if team is not None and team.area.force_id != force.pk:
        raise ServiceError("The team belongs to another force.", field="team")
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        force=force,
        collar_number=collar_number,
        team=team,
        roles=sorted(set(roles or [])),
        is_detective=is_detective,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    at = now()
    RankPeriod.objects.create(
        user=user,
        rank=rank,
        acting=False,
        starts_on=rank_since,
        recorded_at=at,
        recorded_by=actor,
        reason="on joining Vigil",
    )
    WorkingPattern.objects.create(
        user=user,
        fraction=Decimal(str(fraction)),
        effective_from=rank_since,
        recorded_at=at,
        recorded_by=actor,
    )
    audit_record(
        force=force,
        kind="person.created",
        payload={
            "user": user.pk,
            "username": username,
            "rank": rank,
            "collar": collar_number,
            "roles": user.roles,
            "fraction": str(fraction),
        },
        **_actor_fields(actor),
    )
    return user


@transaction.atomic(durable=True)
def user_record_rank(
    *,
    user: User,
    rank: str,
    starts_on: date,
    acting: bool = False,
    ends_on: date | None = None,
    reason: str = "",
    actor=None,
) -> RankPeriod:
    if rank not in Rank.values:
        raise ServiceError(f"Unknown rank {rank!r}.", field="rank")
    if acting and ends_on is None:
        raise ServiceError("An acting rank needs an end date.", field="ends_on")
    if ends_on is not None and ends_on <= starts_on:
        raise ServiceError("The end date must be after the start date.", field="ends_on")
    period = RankPeriod.objects.create(
        user=user,
        rank=rank,
        acting=acting,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_at=now(),
        recorded_by=actor,
        reason=reason,
    )
    audit_record(
        force=user.force,
        kind="person.rank_recorded",
        payload={
            "user": user.pk,
            "rank": rank,
            "acting": acting,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
        reason=reason,
        **_actor_fields(actor),
    )
    return period


@transaction.atomic(durable=True)
def user_set_working_pattern(
    *, user: User, fraction: Decimal | str, effective_from: date, actor=None
) -> WorkingPattern:
    value = Decimal(str(fraction))
    if not (Decimal("0") < value <= Decimal("1")):
        raise ServiceError(
            "The working fraction must be more than 0 and at most 1.", field="fraction"
        )
    pattern = WorkingPattern.objects.create(
        user=user,
        fraction=value,
        effective_from=effective_from,
        recorded_at=now(),
        recorded_by=actor,
    )
    audit_record(
        force=user.force,
        kind="person.working_pattern_set",
        payload={"user": user.pk, "fraction": value, "effective_from": effective_from},
        **_actor_fields(actor),
    )
    return pattern


@transaction.atomic(durable=True)
def user_record_availability(
    *,
    user: User,
    status: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    reason: str = "",
    actor=None,
) -> AvailabilityPeriod:
    if status not in Availability.values or status == Availability.AVAILABLE:
        raise ServiceError("Choose leave, sick, abstracted or left.", field="status")
    starts_at = require_aware(starts_at, "starts_at")
    if ends_at is not None:
        ends_at = require_aware(ends_at, "ends_at")
        if ends_at <= starts_at:
            raise ServiceError("The end must be after the start.", field="ends_at")
    User.objects.select_for_update().get(pk=user.pk)
    if status == Availability.LEFT:
        from vigil.responsibility.selectors import still_holding_message

        if message := still_holding_message(user):
            raise ServiceError(message, field="status")
    period = AvailabilityPeriod.objects.create(
        user=user,
        status=status,
        starts_at=starts_at,
        ends_at=ends_at,
        recorded_at=now(),
        recorded_by=actor,
        reason=reason,
    )
    audit_record(
        force=user.force,
        kind="person.availability_recorded",
        payload={"user": user.pk, "status": status, "starts_at": starts_at, "ends_at": ends_at},
        reason=reason,
        **_actor_fields(actor),
    )
    return period
