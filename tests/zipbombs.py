"""Zip bombs for tests, built cheaply: a deflate stream of zeros made once per size and repeated.

After ``Z_FULL_FLUSH`` the compressor starts afresh, byte-aligned, so every further megabyte of zeros
compresses to the same bytes: ``GB`` of zeros costs one real compression of 2 MB and a repetition.
The archive is written by hand (local headers, central directory, end record), so nothing is inflated
while building it; it is a valid ZIP that really inflates to the declared size.
"""

from __future__ import annotations

import functools
import struct
import zlib

MB = 1024 * 1024
GB = 1024 * MB


@functools.cache
def deflated_zeros(total: int) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32) of ``total`` zero bytes (a whole number of megabytes)."""
    assert total % MB == 0 and total >= 2 * MB
    zeros = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = first + repeat * (total // MB - 1) + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(total // MB):
        crc = zlib.crc32(zeros, crc)
    return stream, crc


def _entry(name: str, data: bytes | None, *, bomb_size: int = 0) -> tuple[bytes, int, bytes, int, int, int]:
    """(name, method, stored bytes, crc, packed size, unpacked size) of one entry."""
    if bomb_size:
        stream, crc = deflated_zeros(bomb_size)
        return name.encode(), 8, stream, crc, len(stream), bomb_size
    assert data is not None
    return name.encode(), 0, data, zlib.crc32(data), len(data), len(data)


def build_zip(entries: list[tuple[bytes, int, bytes, int, int, int]]) -> bytes:
    out = bytearray()
    central = bytearray()
    for name, method, data, crc, packed, unpacked in entries:
        offset = len(out)
        out += (
            struct.pack(
                "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, packed, unpacked, len(name), 0
            )
            + name
            + data
        )
        central += (
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                packed,
                unpacked,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), start, 0)
    return bytes(out)


def odt_bomb(size: int = GB) -> bytes:
    """An «ODT» whose ``mimetype`` entry inflates to ``size`` bytes of zeros."""
    return build_zip(
        [_entry("mimetype", None, bomb_size=size), _entry("content.xml", b"<office:document-content/>")]
    )


def xlsx_bomb(size: int = GB) -> bytes:
    """An «XLSX» whose worksheet inflates to ``size`` bytes."""
    return build_zip(
        [
            _entry("[Content_Types].xml", b"<Types/>"),
            _entry("xl/workbook.xml", b"<workbook/>"),
            _entry("xl/worksheets/sheet1.xml", None, bomb_size=size),
        ]
    )


def lying_odt(declared: int = GB) -> bytes:
    """An «ODT» whose ``mimetype`` entry claims ``declared`` bytes but holds a few."""
    name, method, data, crc, packed, _unpacked = _entry(
        "mimetype", b"application/vnd.oasis.opendocument.text"
    )
    return build_zip(
        [(name, method, data, crc, packed, declared), _entry("content.xml", b"<office:document-content/>")]
    )


class PeakMemory:
    """``with PeakMemory() as peak: ...`` then ``peak.growth``: the most Python allocated on top of the start."""

    def __enter__(self) -> PeakMemory:
        import tracemalloc

        self._tracemalloc = tracemalloc
        tracemalloc.start()
        self._start = tracemalloc.get_traced_memory()[0]
        return self

    def __exit__(self, *exc: object) -> None:
        self.growth = self._tracemalloc.get_traced_memory()[1] - self._start
        self._tracemalloc.stop()
