"""Time rules: UTC in storage, Europe/London on screen, offsets required at the edges."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    return timezone.now()


def require_aware(value: datetime, field: str = "time") -> datetime:
    from vigil.core.errors import ServiceError

    if value.tzinfo is None or value.utcoffset() is None:
        raise ServiceError(f"{field} must include a time zone offset", field=field)
    return value.astimezone(UTC)


def london(value: datetime) -> datetime:
    return value.astimezone(LONDON)


def london_wall(day: date, at: time) -> datetime:
    """The instant a London wall clock shows `at` on `day` (first occurrence if repeated)."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def london_date(value: datetime) -> date:
    return value.astimezone(LONDON).date()


def exists_in_london(naive: datetime) -> bool:
    """False for wall-clock times skipped when the clocks go forward."""
    aware = naive.replace(tzinfo=LONDON)
    round_trip = aware.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
    return round_trip == naive


def days(n: float) -> timedelta:
    return timedelta(days=n)
