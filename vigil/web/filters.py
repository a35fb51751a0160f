"""Template filters: every time on screen is Europe/London."""

from datetime import date, datetime

from vigil.core.time import LONDON


def london_time(value: datetime | None, fmt: str = "%d %b %Y %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(LONDON).strftime(fmt)


def london_date(value: date | datetime | None, fmt: str = "%a %d %b %Y") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON)
    return value.strftime(fmt)


FILTERS = {"london_time": london_time, "london_date": london_date}
