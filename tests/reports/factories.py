"""Factories for the reports tests: documents, resolutions and assignments written straight to the ORM.

The workflow services are not used on purpose (they are still changing): these tests need assignments
in exact states with exact dates, including ``created_at`` (auto_now_add), which is set after creation.
"""

import datetime as dt

import factory
from django.utils import timezone

from ratusha.registry.constants import DocumentKind
from ratusha.registry.models import Document
from ratusha.workflow.constants import AssignmentRole, AssignmentStatus
from ratusha.workflow.models import Assignment, Resolution
from tests.factories import JournalFactory, OrganisationFactory, UserFactory


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    organisation = factory.SubFactory(OrganisationFactory)
    journal = factory.LazyAttribute(lambda o: JournalFactory(organisation=o.organisation))
    year = 2025
    seq = factory.Sequence(lambda n: n + 1)
    reg_index = factory.LazyAttribute(lambda o: f"{o.seq}/01-10")
    reg_date = dt.date(2025, 2, 1)
    registered_at = factory.LazyAttribute(lambda o: aware(o.reg_date))
    registered_by = factory.SubFactory(UserFactory)
    kind = DocumentKind.LETTER
    summary = factory.Sequence(lambda n: f"Про звернення щодо благоустрою № {n}")


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resolution

    organisation = factory.SubFactory(OrganisationFactory)
    document = factory.LazyAttribute(lambda o: DocumentFactory(organisation=o.organisation))
    author = factory.SubFactory(UserFactory)
    written_by = factory.LazyAttribute(lambda o: o.author)
    text = "Розглянути та надати відповідь"
    date = dt.date(2025, 2, 1)
    deadline = dt.date(2025, 3, 31)


class AssignmentFactory(factory.django.DjangoModelFactory):
    """``issued`` (a date) becomes ``created_at``; DONE ones get ``done_at`` from ``done_on``."""

    class Meta:
        model = Assignment

    organisation = factory.SubFactory(OrganisationFactory)
    resolution = factory.LazyAttribute(lambda o: ResolutionFactory(organisation=o.organisation))
    document = factory.LazyAttribute(lambda o: o.resolution.document)
    issued_by = factory.LazyAttribute(lambda o: o.resolution.author)
    assignee = factory.SubFactory(UserFactory)
    role = AssignmentRole.RESPONSIBLE
    deadline = dt.date(2025, 3, 31)
    status = AssignmentStatus.ISSUED
    done_on = None
    done_at = factory.LazyAttribute(lambda o: aware(o.done_on, 15) if o.done_on else None)
    parent = None
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 0)
    issued = dt.date(2025, 2, 15)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        issued = kwargs.pop("issued")
        obj = super()._create(model_class, *args, **kwargs)
        obj.created_at = aware(issued, 9)
        model_class.objects.filter(pk=obj.pk).update(created_at=obj.created_at)
        return obj
