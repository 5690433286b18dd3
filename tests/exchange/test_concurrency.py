"""Two registrars of the addressee register the same delivered document at the same moment: one card."""

import pytest
from django.db import connection

from ratusha.core.errors import TransitionError
from ratusha.exchange.models import Delivery
from ratusha.exchange.services import delivery_register, delivery_send
from ratusha.registry.models import Document
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_registration_makes_one_incoming_card(letter, council_clerk, enterprise, enterprise_clerk,
                                                         enterprise_clerk2, enterprise_incoming):
    [delivery] = delivery_send(actor=council_clerk, document=letter, recipients=[enterprise])
    clerks = [enterprise_clerk, enterprise_clerk2]
    if connection.vendor == "postgresql":
        from tests.factories import EmployeeFactory

        clerks += [EmployeeFactory(organisation=enterprise, roles=["registrar"]).user for _ in range(2)]

    def register(user_pk):
        from ratusha.orgs.models import User

        return delivery_register(actor=User.objects.get(pk=user_pk), delivery=Delivery.objects.get(pk=delivery.pk),
                                 journal=enterprise_incoming)

    outcomes = run_concurrently(register, [(u.pk,) for u in clerks])
    made = [o for o in outcomes if isinstance(o, Document)]
    refused = [o for o in outcomes if isinstance(o, TransitionError)]
    assert len(made) == 1, outcomes
    assert len(refused) == len(clerks) - 1, outcomes
    assert Document.objects.filter(organisation=enterprise).count() == 1
    delivery.refresh_from_db()
    assert delivery.registered_document == made[0]
    assert delivery.receipts.filter(kind="registered").count() == 1
