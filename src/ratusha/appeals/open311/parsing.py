"""Reading what Open311 clients send: W3C datetimes and the ``attribute[code]`` form fields."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

# attribute[CODE]=value (string, number, …, singlevaluelist) and attribute[CODE][]=value (multivaluelist).
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,60})\](\[\])?$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_YEAR, MAX_YEAR = 1900, 2999


def parse_w3c_datetime(text: str) -> dt.datetime | None:
    """A W3C datetime (http://www.w3.org/TR/NOTE-datetime): ``2010-01-01T00:00:00Z``, with an offset,
    or a plain date (midnight). Without an offset the time is Kyiv time. None when it is not one."""
    text = (text or "").strip()
    if not text or len(text) > 40:
        return None
    try:
        if _DATE_ONLY.match(text):
            day = parse_date(text)
            value = dt.datetime.combine(day, dt.time.min) if day else None
        else:
            value = parse_datetime(text.replace(" ", "T", 1) if "T" not in text else text)
        if value is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        value.astimezone(dt.UTC)  # out-of-range instants (year 1 with an offset) fail here
    except (ValueError, OverflowError, TypeError):
        return None
    # Far-off years are typos; keeping to these leaves room for the ±90-day ranges of GET requests.
    return value if MIN_YEAR <= value.year <= MAX_YEAR else None


def attribute_values(data) -> dict[str, list[str]]:
    """``attribute[...]`` fields of a QueryDict → {code: [values]} (several for multivaluelist)."""
    out: dict[str, list[str]] = {}
    for name in data:
        match = _ATTRIBUTE.match(name)
        if match:
            out.setdefault(match.group(1), []).extend(data.getlist(name))
    return out


def w3c(value: dt.datetime | None) -> str | None:
    """An aware datetime as W3C with the Kyiv offset: ``2026-03-01T10:00:00+02:00``."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")
