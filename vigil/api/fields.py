"""Times at the API's edge: every instant in must carry an offset; every instant out is UTC.

A wall-clock time without an offset is ambiguous twice a year in London (01:30 on the last
Sunday of October happens twice) and impossible once (01:30 on the last Sunday of March), so
the API refuses to guess.
"""

import re
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

AWARE_MESSAGE = "Enter a date and time with an offset, such as 2024-10-27T01:30+01:00."

# In a query string an unencoded "+" arrives as a space: "01:30 01:00" meant "01:30+01:00".
_SPACE_FOR_PLUS = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


def parse_aware(value) -> datetime | None:
    """An aware datetime in UTC, or None when `value` is not a real instant with an offset."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = _SPACE_FOR_PLUS.sub(r"\1+\2", value.strip())
        try:
            parsed = parse_datetime(text)
        except ValueError:  # well formed but not a real date or time, e.g. 30 February
            return None
    else:
        return None
    if parsed is None or parsed.tzinfo is None or parsed.utcoffset() is None:
        return None
    return parsed.astimezone(UTC)


def query_time(request, name: str, default: datetime | None = None) -> datetime | None:
    """Read an instant from the query string; a bad one is a 400 naming the parameter."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    parsed = parse_aware(raw)
    if parsed is None:
        raise ValidationError({name: [AWARE_MESSAGE]})
    return parsed


def utc_iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat()


class AwareDateTimeField(serializers.DateTimeField):
    """An instant with an explicit offset in; ISO-8601 in UTC (``+00:00``) out."""

    default_error_messages = {"invalid": AWARE_MESSAGE, "naive": AWARE_MESSAGE}

    def to_internal_value(self, value):
        parsed = parse_aware(value)
        if parsed is None:
            self.fail("invalid")
        return parsed

    def to_representation(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        return utc_iso(value)
