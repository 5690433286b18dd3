import pytest

from tests.factories import EmployeeFactory, JournalFactory, OrganisationFactory, UserFactory


@pytest.fixture
def org(db):
    return OrganisationFactory()


@pytest.fixture
def registrar(org):
    return EmployeeFactory(organisation=org, roles=["registrar"]).user


@pytest.fixture
def executor(org):
    return EmployeeFactory(organisation=org, roles=["executor"]).user


@pytest.fixture
def outsider(db):
    return EmployeeFactory(roles=["registrar", "head"]).user


@pytest.fixture
def incoming_journal(org):
    return JournalFactory(organisation=org, kind="incoming", index_template="{seq}/{case}",
                          default_case_index="01-10")


@pytest.fixture
def user(db):
    return UserFactory()
