import pytest

from ratusha.core.audit import audit_log
from ratusha.core.models import AuditEvent
from ratusha.core.pagination import CappedPaginator


@pytest.mark.django_db
def test_counts_exactly_below_the_cap_and_stops_above_it():
    for n in range(7):
        audit_log(actor=None, action="test.page", object_type="t", object_id=str(n))
    qs = AuditEvent.objects.order_by("-seq")

    exact = CappedPaginator(qs, 2)
    assert (exact.count, exact.capped, exact.num_pages) == (7, False, 4)
    assert [e.seq for e in exact.page(1)] == [7, 6]

    capped = CappedPaginator(qs, 2)
    capped.cap = 5
    assert (capped.count, capped.capped, capped.num_pages) == (5, True, 3)
    assert [e.seq for e in capped.page(3)] == [3]


@pytest.mark.django_db
def test_journal_page_says_more_than_when_capped(client, registrar, incoming_journal, monkeypatch):
    from ratusha.registry.services import document_register

    for i in range(3):
        document_register(actor=registrar, journal=incoming_journal, kind="letter", summary=f"Лист {i}",
                          correspondent="Тест")
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    client.force_login(registrar)
    response = client.get(f"/office/journals/{incoming_journal.pk}/")
    assert response.status_code == 200
    assert "з понад 2" in response.content.decode()
