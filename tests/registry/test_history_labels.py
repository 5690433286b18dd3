"""The card's history names every action a person meets on it in Ukrainian, never by its code."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from ratusha.registry.views import describe_history


def _event(action: str, **params):
    return SimpleNamespace(action=action, params=params, at=timezone.now(), actor_id=None, actor=None,
                           actor_repr="Ткачук М. А.")


@pytest.mark.parametrize(("action", "label"), [
    ("signatures.record", "Документ підписано електронним підписом"),
    ("signatures.asice_export", "Завантажено контейнер ASiC-E"),
    ("document.final_rendition", "Сформовано остаточну редакцію для підпису"),
])
def test_signature_events_have_ukrainian_titles(action, label):
    with translation.override("uk"):
        [row] = describe_history([_event(action, code="ABCDE-23456")])
    assert row["title"] == label and action not in row["title"]


def test_a_signature_line_names_its_verification_code():
    with translation.override("uk"):
        [row] = describe_history([_event("signatures.record", code="ABCDE-23456", kind="pades")])
    assert row["details"] == ["код перевірки ABCDE-23456"]
