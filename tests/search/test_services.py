"""Index writes: idempotent indexing, removal, bulk rebuild, the task, the command, on_commit wiring."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ratusha.core.models import AuditEvent
from ratusha.registry.models import Document, DocumentFile
from ratusha.registry.services import document_file_add, document_file_new_version, document_update
from ratusha.search import services
from ratusha.search.models import SearchEntry
from ratusha.search.selectors import search_documents
from ratusha.search.tasks import index_document_task
from tests.search.conftest import make_pdf

pytestmark = pytest.mark.django_db


def total(user, query):
    return search_documents(user=user, query=query).total


def test_index_document_is_idempotent_and_follows_changes(make_doc, registrar):
    doc = make_doc("Про ремонт ліфта")
    first = services.index_document(document_id=doc.pk)
    second = services.index_document(document_id=str(doc.pk))
    assert first.pk == second.pk
    assert SearchEntry.objects.filter(document=doc).count() == 1
    assert first.organisation_id == doc.organisation_id
    document_update(actor=registrar, document=doc, summary="Про заміну вікон")
    services.index_document(document_id=doc.pk)
    assert total(registrar, "ліфтів") == 0
    assert total(registrar, "вікна") == 1


def test_entry_key_orders_by_registration_date_then_time(make_doc):
    today = timezone.localdate()
    older = make_doc("Перший", reg_date=today - dt.timedelta(days=3))
    newer = make_doc("Другий", reg_date=today)
    backdated = make_doc("Третій", reg_date=today - dt.timedelta(days=5))  # registered last
    keys = {d: SearchEntry.objects.get(document=d).id for d in (older, newer, backdated)}
    assert keys[newer] > keys[older] > keys[backdated]
    assert keys[newer] == services.sort_key(newer)


def test_equal_keys_are_made_unique(make_doc, registrar):
    a = make_doc("Лист про тарифи")
    b = make_doc("Лист про тарифи теж")
    Document.objects.filter(pk=b.pk).update(registered_at=a.registered_at, reg_date=a.reg_date)
    services.index_document(document_id=b.pk)
    ka, kb = (SearchEntry.objects.get(document=d).id for d in (a, b))
    assert kb == ka + 1
    services.reindex_all()
    assert SearchEntry.objects.count() == 2
    assert search_documents(user=registrar, query="тарифи").total == 2


def test_changed_registration_date_moves_the_key(make_doc, registrar):
    doc = make_doc("Наказ про відпустку")
    old_key = SearchEntry.objects.get(document=doc).id
    Document.objects.filter(pk=doc.pk).update(reg_date=doc.reg_date - dt.timedelta(days=30))
    services.index_document(document_id=doc.pk)
    entry = SearchEntry.objects.get(document=doc)
    assert entry.id < old_key
    assert total(registrar, "відпустки") == 1


def test_index_document_ignores_bad_or_missing_ids(db):
    assert services.index_document(document_id="not-a-uuid") is None
    assert services.index_document(document_id="00000000-0000-0000-0000-000000000000") is None


def test_remove_document(make_doc, registrar):
    doc = make_doc("Про ремонт ліфта")
    assert services.remove_document(document_id=doc.pk) == 1
    assert total(registrar, "ліфт") == 0
    assert services.remove_document(document_id=doc.pk) == 0


def test_file_text_is_extracted_once_and_new_versions_replace_old_text(make_doc, registrar):
    doc = make_doc("Супровідний лист", files=[("a.pdf", make_pdf("Кошторис на капітальний ремонт"))])
    file = DocumentFile.objects.get(document=doc)
    assert "Кошторис" in file.text
    document_file_new_version(actor=registrar, file=file, name="a.pdf", content=make_pdf("Уточнений графік робіт"))
    services.index_document(document_id=doc.pk)
    assert total(registrar, "кошторису") == 0  # only current versions are searched
    assert total(registrar, "графіка робіт") == 1


def test_stored_text_is_used_without_reading_the_file(make_doc, registrar):
    doc = make_doc("Супровідний лист", files=[("a.pdf", make_pdf("Перший текст"))])
    DocumentFile.objects.filter(document=doc).update(text="Текст, розпізнаний OCR: водогін")
    services.index_document(document_id=doc.pk)
    assert total(registrar, "водогону") == 1


def test_reindex_all_rebuilds_everything_and_is_audited(make_doc, registrar):
    docs = [make_doc(f"Наказ про відпустку № {i}", index=False) for i in range(5)]
    make_doc("Лист", index=False, files=[("a.pdf", make_pdf("Договір оренди приміщення"))])
    assert total(registrar, "відпустки") == 0
    done = []
    count = services.reindex_all(batch=2, progress=done.append)
    assert count == 6
    assert done[-1] == 6 and len(done) == 3
    assert total(registrar, "відпусток") == 5
    assert total(registrar, "оренди приміщень") == 1
    assert SearchEntry.objects.count() == 6
    assert AuditEvent.objects.filter(action="search.reindex", params__documents=6).exists()
    # A second run replaces, never duplicates.
    services.reindex_all(batch=4)
    assert SearchEntry.objects.count() == 6
    assert search_documents(user=registrar, query="наказ", limit=10).total == 5
    assert {h.document for h in search_documents(user=registrar, query="наказ", limit=10).hits} == set(docs)


def test_reindex_stale_only(make_doc, registrar):
    indexed = make_doc("Рішення про бюджет")
    missing = make_doc("Рішення про тарифи", index=False)
    assert services.reindex_all(stale_only=True) == 1
    assert total(registrar, "тарифів") == 1
    assert SearchEntry.objects.filter(document=indexed).count() == 1
    assert SearchEntry.objects.filter(document=missing).count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 table of SQLite")
def test_reindex_repairs_a_lost_fts_table(make_doc, registrar):
    make_doc("Рішення про бюджет")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE search_fts")
        cursor.execute("DROP TRIGGER IF EXISTS search_entry_ai")
    services.reindex_all()
    assert total(registrar, "бюджету") == 1
    make_doc("Рішення про тарифи")  # the triggers are back
    assert total(registrar, "тарифів") == 1


def test_task_indexes(make_doc, registrar):
    doc = make_doc("Розпорядження про чергування", index=False)
    index_document_task.enqueue(str(doc.pk))  # the test settings run tasks immediately
    assert total(registrar, "чергувань") == 1


def test_registry_services_queue_indexing_on_commit(registrar, incoming_journal,
                                                    django_capture_on_commit_callbacks):
    from ratusha.registry.services import FileInput, document_register

    with django_capture_on_commit_callbacks(execute=True):
        doc = document_register(actor=registrar, journal=incoming_journal, kind="letter",
                                summary="Запит на публічну інформацію",
                                files=[FileInput(name="z.pdf", content=make_pdf("Перелік об'єктів благоустрою"))])
    assert total(registrar, "запиту публічної інформації") == 1
    assert total(registrar, "об’єкти благоустрою") == 1
    with django_capture_on_commit_callbacks(execute=True):
        document_file_add(actor=registrar, document=doc, name="b.pdf", content=make_pdf("Кошторис фонтана"))
    assert total(registrar, "фонтану") == 1


def test_management_command(make_doc, registrar):
    make_doc("Наказ про відрядження", index=False)
    out = io.StringIO()
    call_command("ratusha_reindex", "--batch", "10", stdout=out)
    assert "Indexed 1 documents" in out.getvalue()
    assert total(registrar, "відряджень") == 1
    out = io.StringIO()
    call_command("ratusha_reindex", "--stale", "--no-extract", stdout=out)
    assert "Indexed 0 documents" in out.getvalue()
