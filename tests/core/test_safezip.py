"""core.safezip: zip bombs refused before unpacking, wherever an archive from outside is opened."""

import io
import zipfile

import pytest

from ratusha.core.safezip import UnsafeArchive, ZipLimits, declared_entries, zip_head, zip_open, zip_read
from ratusha.exchange.protocol import ProtocolError, open_container
from ratusha.search.extract import extract_text
from ratusha.signatures.engine import Services
from ratusha.signatures.engine.asice import verify_asice
from tests.zipbombs import MB, PeakMemory, build_zip, lying_odt, odt_bomb, xlsx_bomb

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_ordinary_office_file_opens_and_reads():
    data = _zip({"mimetype": ODT.encode(), "content.xml": b"<text:p>" * 1000})
    with zip_open(data) as archive:
        assert zip_head(archive, "mimetype", 100) == ODT.encode()
        assert len(zip_read(archive, "content.xml", limit=10_000)) == 8000
        with pytest.raises(UnsafeArchive):
            zip_read(archive, "content.xml", limit=7999)


@pytest.mark.parametrize(("make", "reason"), [(odt_bomb, "size"), (xlsx_bomb, "size"), (lying_odt, "size")])
def test_bombs_are_refused_before_unpacking(make, reason):
    with PeakMemory() as peak, pytest.raises(UnsafeArchive) as caught:
        zip_open(make())
    assert caught.value.reason == reason and peak.growth < 20 * MB


def test_packing_ratio_and_entry_count_are_limited():
    small_bomb = odt_bomb(64 * MB)  # within 200 MB, but 64 MB from 66 KB
    with pytest.raises(UnsafeArchive) as caught:
        zip_open(small_bomb)
    assert caught.value.reason == "ratio"
    many = build_zip([(f"f{i}".encode(), 0, b"x", 0x8CDC1683, 1, 1) for i in range(50)])
    assert declared_entries(many) == 50
    with pytest.raises(UnsafeArchive) as caught:
        zip_open(many, ZipLimits(max_entries=10, max_total=MB, max_ratio=100))
    assert caught.value.reason == "entries"


def test_exchange_package_bomb_is_malformed_not_unpacked():
    with PeakMemory() as peak, pytest.raises(ProtocolError) as caught:
        open_container(odt_bomb())
    assert caught.value.code == "malformed" and peak.growth < 20 * MB


def test_asice_verification_refuses_a_bomb():
    with PeakMemory() as peak:
        report = verify_asice(odt_bomb(), Services(trust_roots=(), allow_fetching=False))
    assert report.status.value == "MALFORMED" and "завеликий" in report.problems[0]
    assert peak.growth < 20 * MB


@pytest.mark.parametrize("mime", [ODT, DOCX])
def test_search_extraction_gives_no_text_for_a_bomb(mime):
    with PeakMemory() as peak:
        assert extract_text(odt_bomb(), mime) == ""
    assert peak.growth < 20 * MB
