"""Session fixtures: the test PKI (started once) and a two-page PDF with Cyrillic text."""

from __future__ import annotations

import pytest

from tests.signatures.pki.testpki import LoopbackPKI, start_test_pki


@pytest.fixture(scope="session")
def pki() -> LoopbackPKI:
    started = start_test_pki()
    yield started
    started.stop()


SAMPLE_HTML = """<!doctype html><html lang="uk"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm; } body { font-family: 'DejaVu Serif', serif; font-size: 12pt; }
h1 { font-size: 15pt; text-align: center; } .break { page-break-before: always; }
</style></head><body>
<h1>ТЕСТОВА МІСЬКА РАДА<br>РІШЕННЯ</h1>
<p>26.11.2026 № 101</p>
<p>Про затвердження Положення про електронний документообіг у виконавчих органах міської ради.</p>
<p class="break">Міський голова — Олена ІВАНЕНКО</p>
</body></html>"""


@pytest.fixture(scope="session")
def sample_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=SAMPLE_HTML).write_pdf()
