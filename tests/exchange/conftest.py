import pytest

from ratusha.registry.services import document_register
from tests.exchange.fixtures import ca, ops_admin, other_key, package_out, peer, us  # noqa: F401 (fixtures)
from tests.factories import EmployeeFactory, JournalFactory, OrganisationFactory
from tests.registry.conftest import file_input, make_pdf


@pytest.fixture(autouse=True)
def _own_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Виконавчий комітет Соснівської міської ради", short_name="Виконком")


@pytest.fixture
def enterprise(db):
    return OrganisationFactory(name="КП «Соснівкаводоканал»", short_name="Водоканал")


@pytest.fixture
def transport(db):
    return OrganisationFactory(name="КП «Соснівське електротранспортне підприємство»", short_name="Електротранс")


@pytest.fixture
def council_clerk(council):
    return EmployeeFactory(organisation=council, roles=["registrar"]).user


@pytest.fixture
def enterprise_clerk(enterprise):
    return EmployeeFactory(organisation=enterprise, roles=["registrar"]).user


@pytest.fixture
def enterprise_clerk2(enterprise):
    return EmployeeFactory(organisation=enterprise, roles=["registrar"]).user


@pytest.fixture
def enterprise_executor(enterprise):
    return EmployeeFactory(organisation=enterprise, roles=["executor"]).user


@pytest.fixture
def enterprise_incoming(enterprise):
    return JournalFactory(organisation=enterprise, kind="incoming", name="Вхідні", index_template="{seq}/{case}",
                          default_case_index="01-10")


@pytest.fixture
def letter(council, council_clerk):
    journal = JournalFactory(organisation=council, kind="outgoing", index_template="{case}/{seq}",
                             default_case_index="01-11")
    return document_register(actor=council_clerk, journal=journal, kind="letter",
                             summary="Про підготовку мереж водопостачання до зими", signed_by="Олена ІВАНЕНКО",
                             access="internal", files=[file_input("лист.pdf", make_pdf("Лист"))])
