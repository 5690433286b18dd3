"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the vocabularies of the specification
and how the appeals' statuses map onto them.

The specification is frozen; its strict values (``realtime``, ``singlevaluelist``, ``open`` …) are
identifiers and are never translated. Ratusha's rules for the API (limits, the status mapping) live here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.appeals.constants import AppealStatus

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
DISCOVERY_FORMATS = ("text/xml", "application/json")


class ServiceType(models.TextChoices):
    """GET Service List → ``type``: what POST requests answers with."""

    REALTIME = "realtime", _("realtime — номер запиту одразу")
    BATCH = "batch", _("batch — токен, за яким згодом видається номер")
    BLACKBOX = "blackbox", _("blackbox — номер не повертається")


class Datatype(models.TextChoices):
    """GET Service Definition → ``attribute.datatype``."""

    STRING = "string", _("string — рядок")
    NUMBER = "number", _("number — число")
    DATETIME = "datetime", _("datetime — дата й час (ISO 8601)")
    TEXT = "text", _("text — багаторядковий текст")
    SINGLEVALUELIST = "singlevaluelist", _("singlevaluelist — одне значення зі списку")
    MULTIVALUELIST = "multivaluelist", _("multivaluelist — кілька значень зі списку")


LIST_DATATYPES = frozenset({Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST})


class RequestStatus(models.TextChoices):
    OPEN = "open", "open"
    CLOSED = "closed", "closed"


# GeoReport v2 knows two states. An appeal is «closed» once the council has disposed of it: answered,
# closed, or ended on a legal ground (returned under art. 5, forwarded under art. 7, not considered under
# art. 8 of Law 393/96-ВР); it is «open» while submitted, registered or in work.
CLOSED_APPEAL_STATUSES = frozenset({AppealStatus.ANSWERED, AppealStatus.CLOSED, AppealStatus.RETURNED,
                                    AppealStatus.FORWARDED, AppealStatus.NOT_CONSIDERED})
OPEN_APPEAL_STATUSES = frozenset(set(AppealStatus.values) - CLOSED_APPEAL_STATUSES)


def request_status(appeal_status: str) -> str:
    return RequestStatus.CLOSED if appeal_status in CLOSED_APPEAL_STATUSES else RequestStatus.OPEN


# GET requests: «Default query limit is a span of 90 days or first 1000 requests returned, whichever is
# smallest»; a start_date–end_date range «may not span more than 90 days».
MAX_SPAN_DAYS = 90
MAX_RESULTS = 1000
# POST requests: «description … free form text limited to 4,000 characters».
MAX_DESCRIPTION = 4000
MAX_FIELD = 255
MAX_MEDIA_URL = 1000

# API keys: shown once, stored as SHA-256 (a 256-bit random key needs no slow hash); the prefix names it.
KEY_PREFIX = "o311_"
KEY_ID_LENGTH = 8  # characters after the prefix kept in clear to tell keys apart in the admin

# Rate limit of POST requests per API key ⚠ (settings.APPEALS["OPEN311_RATE"] = (requests, seconds)):
# a flood is refused with 429 and Retry-After, never dropped silently.
DEFAULT_RATE = (30, 600)
