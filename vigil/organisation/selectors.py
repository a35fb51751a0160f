"""Rank, hours and availability of a person at a date or instant, as known at a time."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q

from vigil.core.time import now
from vigil.organisation.models import (
    RANK_ABBREVIATION,
    RANK_LEVEL,
    Availability,
    AvailabilityPeriod,
    RankPeriod,
    User,
    WorkingPattern,
)


def _known(qs, known_at: datetime | None):
    known_at = known_at or now()
    return qs.filter(recorded_at__lte=known_at).exclude(superseded_by__recorded_at__lte=known_at)


def _effective_rank(periods, day: date) -> tuple[str | None, bool]:
    """The higher of the substantive rank and any acting rank on `day` (acting counts)."""
    substantive = [p for p in periods if not p.acting and p.starts_on <= day]
    best = max(substantive, key=lambda p: (p.starts_on, p.recorded_at), default=None)
    candidates = [(best.rank, False)] if best else []
    candidates += [
        (p.rank, True)
        for p in periods
        if p.acting and p.starts_on <= day and p.ends_on and p.ends_on > day
    ]
    if not candidates:
        return None, False
    return max(candidates, key=lambda c: (RANK_LEVEL[c[0]], not c[1]))


def _abbreviation(rank: str | None, acting: bool) -> str:
    abbreviation = RANK_ABBREVIATION[rank] if rank else ""
    return f"A/{abbreviation}" if acting and abbreviation else abbreviation


def _label(rank: str | None, acting: bool, user: User) -> str:
    prefix = _abbreviation(rank, acting)
    collar = f" {user.collar_number}" if user.collar_number else ""
    return f"{prefix}{collar} {user.display_name}".strip()


def rank_on(user: User, day: date, known_at: datetime | None = None) -> tuple[str | None, bool]:
    """The higher of the substantive rank and any acting rank on `day` (acting counts)."""
    periods = list(_known(RankPeriod.objects.filter(user=user, starts_on__lte=day), known_at))
    return _effective_rank(periods, day)


def rank_meets(user: User, minimum: str, day: date, known_at: datetime | None = None) -> bool:
    rank, _ = rank_on(user, day, known_at)
    return rank is not None and RANK_LEVEL[rank] >= RANK_LEVEL[minimum]


def rank_label(user: User, day: date) -> str:
    return _abbreviation(*rank_on(user, day))


def person_label(user: User, day: date) -> str:
    return _label(*rank_on(user, day), user)


def working_fraction(user: User, day: date) -> Decimal:
    pattern = (
        WorkingPattern.objects.filter(user=user, effective_from__lte=day)
        .order_by("-effective_from", "-recorded_at")
        .first()
    )
    return pattern.fraction if pattern else Decimal("1.00")


def availability_at(user: User, at: datetime, known_at: datetime | None = None) -> str:
    period = (
        _known(AvailabilityPeriod.objects.filter(user=user, starts_at__lte=at), known_at)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at), cancelled=False)
        .order_by("-recorded_at")
        .first()
    )
    return period.status if period else Availability.AVAILABLE


def force_people(force):
    return User.objects.filter(force=force, is_active=True).order_by("last_name", "first_name")


def person_labels(users, day: date) -> dict[int, str]:
    """`person_label` for many people at once (one query), keyed by user id."""
    users = {u.pk: u for u in users if u is not None}
    periods_by_user: dict[int, list] = {pk: [] for pk in users}
    for period in _known(RankPeriod.objects.filter(user_id__in=users, starts_on__lte=day), None):
        periods_by_user[period.user_id].append(period)
    return {
        pk: _label(*_effective_rank(periods_by_user[pk], day), user) for pk, user in users.items()
    }


def force_member(force_id, ident: str) -> User | None:
    """A person of `force_id` named by username or, failing that, by numeric id."""
    if force_id is None or not ident:
        return None
    people = User.objects.filter(force_id=force_id)
    found = people.filter(username=ident).first()
    if found is None and str(ident).isdigit():
        found = people.filter(pk=int(ident)).first()
    return found
