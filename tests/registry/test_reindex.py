import importlib.machinery
import sys
import types

import pytest

from ratusha.core.errors import ApplicationError
from ratusha.registry.services import document_file_add, document_update
from ratusha.registry.services._common import SEARCH_TASKS, queue_index
from tests.registry.conftest import make_pdf


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


def test_without_a_search_task_nothing_is_queued(monkeypatch, register, django_capture_on_commit_callbacks):
    module = types.ModuleType(SEARCH_TASKS)
    module.__spec__ = importlib.machinery.ModuleSpec(SEARCH_TASKS, None)
    monkeypatch.setitem(sys.modules, SEARCH_TASKS, module)  # a tasks module without the task
    with django_capture_on_commit_callbacks() as callbacks:
        queue_index("x")
    assert callbacks == []
