import pytest

from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.registry.models import CaseFile
from ratusha.registry.services import casefile_create, journal_create, nomenclature_copy_year
from tests.factories import CaseFileFactory, UnitFactory, UserFactory


def test_journal_create(org, org_admin):
    journal = journal_create(actor=org_admin, organisation=org, kind="orders", name="Розпорядження міського голови",
                             prefix="-р", default_case_index="01-03")
    assert (journal.index_template, journal.prefix, journal.default_case_index) == ("{seq}{prefix}", "-р", "01-03")
    event = AuditEvent.objects.get(action="journal.create")
    assert event.params["index_template"] == "{seq}{prefix}"
    assert event.actor == org_admin


def test_journal_create_permissions_and_validation(org, executor, outsider, registrar):
    for actor in (executor, outsider):
        with pytest.raises(PermissionDeniedError):
            journal_create(actor=actor, organisation=org, kind="incoming", name="Вхідні")
    with pytest.raises(ApplicationError) as exc:
        journal_create(actor=registrar, organisation=org, kind="incoming", name=" ")
    assert exc.value.field == "name"
    with pytest.raises(ApplicationError) as exc:
        journal_create(actor=registrar, organisation=org, kind="letters", name="Листи")
    assert exc.value.field == "kind"
    # A superuser administers; the system (actor=None, e.g. the demo loader) may too.
    assert journal_create(actor=UserFactory(is_superuser=True), organisation=org, kind="incoming", name="Вхідні")
    assert journal_create(actor=None, organisation=org, kind="internal", name="Внутрішні")
    assert AuditEvent.objects.filter(action="journal.create").latest("seq").actor_repr == "system"


def test_casefile_create(org, registrar):
    unit = UnitFactory(organisation=org)
    case = casefile_create(actor=registrar, organisation=org, year=2026, index=" 02-14 ", title="Листування з ОДА",
                           retention="5 р.", retention_article="22", unit=unit, volumes=2)
    assert (case.index, case.unit, case.volumes) == ("02-14", unit, 2)
    assert AuditEvent.objects.get(action="casefile.create").params["index"] == "02-14"


def test_casefile_index_is_unique_per_organisation_and_year(org, registrar):
    casefile_create(actor=registrar, organisation=org, year=2026, index="02-14", title="А", retention="5 р.")
    with pytest.raises(ApplicationError) as exc:
        casefile_create(actor=registrar, organisation=org, year=2026, index="02-14", title="Б", retention="5 р.")
    assert exc.value.field == "index"
    assert "02-14" in exc.value.message
    assert casefile_create(actor=registrar, organisation=org, year=2027, index="02-14", title="В", retention="5 р.")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"year": 1066}, "year"), ({"year": "abc"}, "year"), ({"index": ""}, "index"), ({"title": " "}, "title"),
    ({"retention": ""}, "retention"), ({"volumes": 0}, "volumes"),
])
def test_casefile_validation(org, registrar, kwargs, field):
    values = {"year": 2026, "index": "01-01", "title": "Справа", "retention": "5 р."} | kwargs
    with pytest.raises(ApplicationError) as exc:
        casefile_create(actor=registrar, organisation=org, **values)
    assert exc.value.field == field
    assert not CaseFile.objects.exists()


def test_casefile_unit_of_another_org_and_permission(org, registrar, executor):
    with pytest.raises(ApplicationError) as exc:
        casefile_create(actor=registrar, organisation=org, year=2026, index="1", title="С", retention="1 р.",
                        unit=UnitFactory())
    assert exc.value.field == "unit"
    with pytest.raises(PermissionDeniedError):
        casefile_create(actor=executor, organisation=org, year=2026, index="1", title="С", retention="1 р.")


def test_nomenclature_copy_year(org, registrar):
    for index in ("01-01", "01-02", "02-01"):
        CaseFileFactory(organisation=org, year=2025, index=index, title=f"Справа {index}", volumes=3)
    CaseFileFactory(year=2025, index="09-09")  # another organisation
    CaseFileFactory(organisation=org, year=2026, index="01-02", title="Вже є")
    copied = nomenclature_copy_year(actor=registrar, organisation=org, from_year=2025, to_year=2026)
    assert copied == 2
    cases = {c.index: c for c in CaseFile.objects.filter(organisation=org, year=2026)}
    assert set(cases) == {"01-01", "01-02", "02-01"}
    assert cases["01-02"].title == "Вже є"
    assert cases["01-01"].title == "Справа 01-01"
    assert cases["01-01"].volumes == 1
    event = AuditEvent.objects.get(action="nomenclature.copy")
    assert (event.params["copied"], event.params["skipped"]) == (2, 1)
    assert nomenclature_copy_year(actor=registrar, organisation=org, from_year=2025, to_year=2026) == 0


def test_nomenclature_copy_refuses_same_year_and_strangers(org, registrar, outsider):
    with pytest.raises(ApplicationError) as exc:
        nomenclature_copy_year(actor=registrar, organisation=org, from_year=2026, to_year=2026)
    assert exc.value.field == "to_year"
    with pytest.raises(PermissionDeniedError):
        nomenclature_copy_year(actor=outsider, organisation=org, from_year=2025, to_year=2026)
