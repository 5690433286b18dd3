import importlib.machinery
import sys
import types

import pytest

from ratusha.core.errors import ApplicationError
from ratusha.registry.services import document_file_add, document_update
from tests.registry.conftest import make_pdf

SEARCH_TASKS = "ratusha.search.tasks"


class FakeTask:
    def __init__(self):
        self.enqueued = []

    def enqueue(self, document_id):
        self.enqueued.append(document_id)


@pytest.fixture
def fake_task(monkeypatch):
    task = FakeTask()
    module = types.ModuleType(SEARCH_TASKS)
    module.__spec__ = importlib.machinery.ModuleSpec(SEARCH_TASKS, None)
    module.index_document_task = task
    monkeypatch.setitem(sys.modules, SEARCH_TASKS, module)
    return task


def test_registration_and_changes_queue_reindexing_after_commit(register, registrar, fake_task,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = register()
    assert fake_task.enqueued == [str(doc.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        document_file_add(actor=registrar, document=doc, name="a.pdf", content=make_pdf())
        document_update(actor=registrar, document=doc, summary="Інший зміст")
    assert fake_task.enqueued == [str(doc.pk)] * 3


def test_nothing_is_queued_when_the_transaction_rolls_back(register, fake_task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ApplicationError):
        register(summary="")
    assert callbacks == []
    assert fake_task.enqueued == []


@pytest.mark.django_db
def test_bulk_loads_can_suspend_per_card_indexing(registrar, incoming_journal, django_capture_on_commit_callbacks):
    from ratusha.registry import services

    with django_capture_on_commit_callbacks() as callbacks, services.search_indexing_suspended():
        services.document_register(actor=registrar, journal=incoming_journal, kind="letter",
                                   summary="Масове завантаження", correspondent="Тест")
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        services.document_register(actor=registrar, journal=incoming_journal, kind="letter",
                                   summary="Звичайна реєстрація", correspondent="Тест")
    assert len(callbacks) == 1
