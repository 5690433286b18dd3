"""Fixtures and helpers shared by the public-side appeal tests (intake, tracking, browser): a pytest plugin
(``pytest_plugins = ["tests.appeals.test_intake_support"]``), helpers imported by name. Holds no tests.
Not a conftest: the office appeals tests share the directory.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core import signing
from django.utils import timezone

from ratusha.appeals.constants import AppealStatus, Medium, ReceiptForm
from ratusha.appeals.models import Appeal
from ratusha.appeals.public_forms import STARTED_SALT
from ratusha.appeals.services.codes import new_tracking_code
from ratusha.orgs.constants import OrgKind
from tests.factories import OrganisationFactory
from tests.ratelimits import rate_limits_clear
from tests.smtp import smtp_down, smtp_server  # noqa: F401 — fixtures offered by this plugin

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
TEXT = ("Прошу відремонтувати освітлення у дворі будинку № 5 на вулиці Лесі Українки: ліхтарі не "
        "працюють з жовтня, увечері небезпечно.")


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


@pytest.fixture
def fresh_rate_limits():
    """Every test starts with no rate-limit counters."""
    rate_limits_clear()
    yield
    rate_limits_clear()


@pytest.fixture
def council(db):
    return OrganisationFactory(kind=OrgKind.CITY_COUNCIL, name="Луцька міська рада", short_name="ЛМР",
                               address="м. Луцьк, вул. Богдана Хмельницького, 19", phone="+380 332 77 76 00",
                               email="rada@lutsk.example.org")


@pytest.fixture
def exec_body(council):
    return OrganisationFactory(kind=OrgKind.EXECUTIVE_BODY, name="Департамент житлово-комунального господарства",
                               short_name="ДЖКГ", parent=council)


@pytest.fixture
def enterprise(council):
    return OrganisationFactory(kind=OrgKind.MUNICIPAL_ENTERPRISE, name="КП «Луцькводоканал»", short_name="ЛВК",
                               parent=council)


def past_started(seconds: int = 120) -> str:
    """The signed «form shown at» stamp of a form opened ``seconds`` ago."""
    return signing.dumps(int(time.time()) - seconds, salt=STARTED_SALT)


def form_data(org, /, **overrides) -> dict:
    data = {
        "organisation": str(org.pk),
        "last_name": "Петренко",
        "first_name": "Іван",
        "middle_name": "Васильович",
        "settlement": "м. Луцьк",
        "address": "вул. Лесі Українки, 5, кв. 12",
        "email": "ivan.petrenko@example.com",
        "phone": "+380 50 123 45 67",
        "appeal_type": "application",
        "text": TEXT,
        "social_status": "",
        "sex": "",
        "consent": "on",
        "homepage": "",
        "started": past_started(),
        "cosigners-TOTAL_FORMS": "1",
        "cosigners-INITIAL_FORMS": "0",
        "cosigners-MIN_NUM_FORMS": "0",
        "cosigners-MAX_NUM_FORMS": "100",
        "cosigners-0-full_name": "",
        "cosigners-0-address": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_appeal(organisation, **fields) -> Appeal:
    """An appeal written straight to the database (the tracking tests need every status)."""
    now = timezone.now()
    values = {
        "organisation": organisation, "status": AppealStatus.SUBMITTED, "tracking_code": new_tracking_code(),
        "received_at": now, "received_date": timezone.localdate(now), "receipt_form": ReceiptForm.ELECTRONIC,
        "medium": Medium.ELECTRONIC, "last_name": "Петренко", "first_name": "Іван", "middle_name": "Васильович",
        "address": "м. Луцьк, вул. Лесі Українки, 5", "settlement": "м. Луцьк", "email": "ivan.petrenko@example.com",
        "text": TEXT,
    }
    values.update(fields)
    return Appeal.objects.create(**values)
