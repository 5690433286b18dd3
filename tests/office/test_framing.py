"""No office page may be framed, except the card's PDF preview, which the card itself frames (finding 13)."""

from __future__ import annotations

import re

import pytest

from tests.office.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_the_card_is_not_frameable_but_its_pdf_preview_is_by_the_same_origin(registrar_client, register_doc):
    from ratusha.registry.services import FileInput

    doc = register_doc(files=[FileInput(name="Лист.pdf", content=PDF_BYTES)])
    card = registrar_client.get(f"/office/documents/{doc.pk}/")
    assert card["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in card["Content-Security-Policy"]
    src = re.search(r'<iframe class="preview" src="([^"]+)"', card.content.decode()).group(1)
    preview = registrar_client.get(src)
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
