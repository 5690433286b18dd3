import pytest
from django.utils import timezone

from ratusha.registry import services as registry_services
from tests.factories import CaseFileFactory, UserFactory
from tests.smtp import smtp_down, smtp_server  # noqa: F401 — fixtures for this package's tests


@pytest.fixture
def olena(db):
    return UserFactory(username="olena", first_name="Олена", last_name="Коваленко", middle_name="Іванівна",
                       email="olena.kovalenko@rada.example.org")


@pytest.fixture
def document(registrar, incoming_journal):
    case = CaseFileFactory(organisation=incoming_journal.organisation, year=timezone.localdate().year,
                           index="01-10")
    return registry_services.document_register(
        actor=registrar, journal=incoming_journal, kind="letter", case_file=case,
        summary="Про ремонт покрівлі будинку культури", correspondent="ТОВ «Дахбуд»")
