"""Reading a term's START as typed on the command line or in the calculator."""

from __future__ import annotations

import datetime as dt
import re

from ratusha.calendar.constants import MAX_DAY, MIN_DAY
from ratusha.calendar.terms import KYIV

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$")
_UA_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
_UA_STAMP = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class StartError(ValueError):
    """START is not a date/timestamp we accept, or is out of the supported range."""


def parse_start(text: str, *, local_formats: bool = False) -> dt.date | dt.datetime:
    """``YYYY-MM-DD`` → date; ``YYYY-MM-DDTHH:MM[:SS][±HH:MM]`` → aware timestamp (naive = Europe/Kyiv).

    With ``local_formats`` also ``ДД.ММ.РРРР`` and ``ДД.ММ.РРРР ГГ:ХХ`` (the office forms).
    """
    text = (text or "").strip()
    value: dt.date | dt.datetime
    try:
        if _ISO_DATE.match(text):
            value = dt.date.fromisoformat(text)
        elif _ISO_STAMP.match(text):
            value = dt.datetime.fromisoformat(text.replace(" ", "T"))
        elif local_formats and (m := _UA_DATE.match(text)):
            value = dt.date(int(m[3]), int(m[2]), int(m[1]))
        elif local_formats and (m := _UA_STAMP.match(text)):
            value = dt.datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]), int(m[6] or 0))
        else:
            raise StartError(text)
    except ValueError as exc:  # 2025-02-30, 25:00 …
        raise StartError(text) from exc
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=KYIV)
    day = value.date() if isinstance(value, dt.datetime) else value
    if not MIN_DAY <= day <= MAX_DAY:
        raise StartError(text)
    return value
