"""factory_boy factories shared by all tests."""

import factory

from ratusha.orgs.constants import OrgKind
from ratusha.orgs.models import Employee, Organisation, Position, Unit, User
from ratusha.registry.constants import DEFAULT_INDEX_TEMPLATES, JournalKind
from ratusha.registry.models import CaseFile, Journal


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Iterator(["Олена", "Петро", "Ірина", "Богдан", "Марія"])
    last_name = factory.Iterator(["Коваленко", "Шевчук", "Мельник", "Бондар", "Ткачук"])
    middle_name = factory.Iterator(["Іванівна", "Степанович", "Олегівна", "Петрович", "Андріївна"])
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrgKind.CITY_COUNCIL
    name = factory.Sequence(lambda n: f"Тестова міська рада {n}")
    short_name = factory.Sequence(lambda n: f"ТМР-{n}")
    code = factory.Sequence(lambda n: f"org{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Відділ {n}")
    code = factory.Sequence(lambda n: f"{n:02d}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Головний спеціаліст"


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    roles = factory.LazyFunction(lambda: ["executor"])


class CaseFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseFile

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2026
    index = factory.Sequence(lambda n: f"01-{n + 1:02d}")
    title = factory.Sequence(lambda n: f"Листування з питань {n}")
    retention = "5 р."
    retention_article = "22"


class JournalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journal

    organisation = factory.SubFactory(OrganisationFactory)
    kind = JournalKind.INCOMING
    name = factory.LazyAttribute(lambda o: str(JournalKind(o.kind).label))
    index_template = factory.LazyAttribute(lambda o: DEFAULT_INDEX_TEMPLATES[JournalKind(o.kind)])


def grant_installation_role(user, *roles: str):
    """Give ``user`` installation roles through the service (as the system would: ``actor=None``)."""
    from ratusha.orgs.services import installation_role_grant

    for role in roles:
        installation_role_grant(actor=None, user=user, role=role)
    return user
