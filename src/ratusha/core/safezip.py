"""ZIP archives from outside (DOCX, XLSX, ODT, ASiC-E, exchange packages) opened without trusting them.

A small archive can claim — or really inflate to — gigabytes (a «zip bomb»). ``zip_open`` refuses one
before anything is unpacked: the number of entries is read from the end record before ``zipfile``
builds its index, then the sizes each entry declares, their total and the packing ratio are checked.
``zip_read`` and ``zip_head`` read one entry with a hard bound. ``zipfile`` itself never inflates an
entry past the size it declares, so what the checks let through is all that can ever be unpacked.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

from django.conf import settings

EOCD = b"PK\x05\x06"
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_EOCD = b"PK\x06\x06"
# Packing ratios above the limit are tolerated for entries this small (a short, repetitive XML part).
RATIO_FLOOR = 1024 * 1024


class UnsafeArchive(ValueError):
    """An archive refused before unpacking; ``reason`` is ``entries``, ``size`` or ``ratio``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int
    max_total: int  # bytes, the sum of the declared (unpacked) sizes
    max_ratio: int  # unpacked / packed, per entry larger than RATIO_FLOOR


def default_limits() -> ZipLimits:
    """The installation's limits for office files and containers (``RATUSHA_ZIP_*``)."""
    return ZipLimits(
        max_entries=int(settings.ZIP_MAX_ENTRIES),
        max_total=int(settings.ZIP_MAX_UNPACKED_MB) * 1024 * 1024,
        max_ratio=int(settings.ZIP_MAX_RATIO),
    )


def declared_entries(data: bytes) -> int | None:
    """How many entries the end-of-central-directory record claims (None when there is none)."""
    tail_start = max(0, len(data) - (22 + 65535))
    at = data.rfind(EOCD, tail_start)
    if at < 0 or at + 22 > len(data):
        return None
    total = struct.unpack_from("<H", data, at + 10)[0]
    locator = at - 20
    if total == 0xFFFF and locator >= 0 and data[locator : locator + 4] == ZIP64_LOCATOR:
        offset = struct.unpack_from("<Q", data, locator + 8)[0]
        if offset + 56 <= len(data) and data[offset : offset + 4] == ZIP64_EOCD:
            total = struct.unpack_from("<Q", data, offset + 32)[0]
    return int(total)


def zip_check(archive: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Refuse an open archive whose declared sizes or packing ratios pass the limits."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise UnsafeArchive("entries", str(len(infos)))
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.max_total:
            raise UnsafeArchive("size", str(total))
        if info.file_size > RATIO_FLOOR and info.file_size > max(1, info.compress_size) * limits.max_ratio:
            raise UnsafeArchive("ratio", info.filename[:100])


def zip_open(data: bytes, limits: ZipLimits | None = None) -> zipfile.ZipFile:
    """An archive over ``data`` checked against ``limits``; ``UnsafeArchive`` or ``zipfile.BadZipFile``."""
    limits = limits or default_limits()
    entries = declared_entries(data)
    if entries is not None and entries > limits.max_entries:
        raise UnsafeArchive("entries", str(entries))
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        zip_check(archive, limits)
    except BaseException:
        archive.close()
        raise
    return archive


def zip_read(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, *, limit: int) -> bytes:
    """One entry whole, refused (``UnsafeArchive``) when it declares or yields more than ``limit`` bytes."""
    info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    if info.file_size > limit:
        raise UnsafeArchive("size", info.filename[:100])
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise UnsafeArchive("size", info.filename[:100])
    return data


def zip_head(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, size: int) -> bytes:
    """The first ``size`` bytes of an entry, nothing more unpacked (whatever it declares)."""
    with archive.open(member) as stream:
        return stream.read(size)
