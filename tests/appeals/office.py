"""Fixtures of the office appeals tests, a pytest plugin: ``pytest_plugins = ["tests.appeals.office"]``.

(Not a conftest: the intake tests share the directory.) Helpers are in ``tests/appeals/office_helpers.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from ratusha.appeals import services as svc
from tests.appeals.office_helpers import SAMPLE_CSV, AppealsWorld, build_world
from tests.office.test_browser import browser_page  # noqa: F401 - the Chromium fixture, shared


@pytest.fixture(autouse=True)
def _appeals_blob_dir(settings, tmp_path):
    settings.BLOB_DIR = tmp_path / "blobs"


@pytest.fixture
def appeals_world(db) -> AppealsWorld:
    return build_world()


@pytest.fixture
def sample_classifier(db) -> Any:
    return svc.classifier_load(actor=None, data=SAMPLE_CSV.read_bytes(), source_name="classifier_sample.csv")
