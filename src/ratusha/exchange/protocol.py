"""The wire format of exchange between installations (docs/exchange.md, «Протокол»): pure functions.

Every message is an ASiC-E container (ETSI EN 319 162-1, CAdES) signed with the seal of the sending
organisation. It holds ``message.json`` (what the message is) and, for a document, its files under
``files/``. The receiving side trusts a container only if its single signature was made with the seal
certificate its directory of participants pins for the claimed sender, and every file is covered by the
signed manifest. No database here: the services pass the keys and certificates in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from django.utils.translation import gettext as _

from ratusha.core.safezip import UnsafeArchive, ZipLimits, default_limits, zip_open, zip_read
from ratusha.exchange.constants import (
    FILES_DIR,
    MAX_PACKAGE_BYTES,
    MESSAGE_FILE,
    PROTOCOL,
    MessageType,
    RefusalCode,
)
from ratusha.signatures.engine import (
    Services,
    SigningKey,
    asice_build,
    verify_asice,
)
from ratusha.signatures.services._common import fingerprint

MAX_MESSAGE_JSON = 1024 * 1024
MAX_ENTRIES = 500
MAX_UNPACKED_BYTES = 3 * MAX_PACKAGE_BYTES


class ProtocolError(Exception):
    """A container that cannot be accepted: ``code`` is a ``RefusalCode``, ``reason`` is for people."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass
class Opened:
    message: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)  # path inside the container → bytes

    @property
    def type(self) -> str:
        return self.message["type"]

    @property
    def message_id(self) -> uuid.UUID:
        return uuid.UUID(self.message["message_id"])

    @property
    def sender_id(self) -> str:
        return self.message["sender"]["id"]

    @property
    def recipient_id(self) -> str:
        return self.message["recipient"]["id"]


def moment(value: Any) -> dt.datetime:
    """An ISO 8601 time from a message, aware (UTC when it names no zone); ``ValueError`` if it is not one."""
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def envelope(*, type: str, message_id: uuid.UUID, sender: dict[str, str], recipient: dict[str, str],
             **body: Any) -> dict[str, Any]:
    return {"protocol": PROTOCOL, "type": type, "message_id": str(message_id),
            "created_at": dt.datetime.now(dt.UTC).isoformat(), "sender": sender, "recipient": recipient, **body}


def file_path(index: int, name: str) -> str:
    """A file's place in the container: numbered, ASCII only (the person's file name is in message.json)."""
    ext = posixpath.splitext(name)[1].lower()
    ext = ext if ext[1:].isalnum() and ext.isascii() and len(ext) <= 8 else ""
    return f"{FILES_DIR}{index:03d}{ext}"


def build(message: dict[str, Any], files: list[tuple[str, bytes]], key: SigningKey) -> bytes:
    """Seal ``message`` (and the files it lists, by container path) into an ASiC-E container."""
    payload = json.dumps(message, ensure_ascii=False, sort_keys=True, indent=1).encode()
    return asice_build([(MESSAGE_FILE, payload), *files], sign_with=[key])


def _malformed(reason: str) -> ProtocolError:
    return ProtocolError(RefusalCode.MALFORMED, reason)


def open_container(data: bytes) -> Opened:
    """Read a container without trusting it yet (``check_seal`` decides that)."""
    # A zip bomb is refused before anything is unpacked (core.safezip: entries, declared sizes, ratio;
    # zipfile never inflates an entry beyond its declared size).
    limits = ZipLimits(max_entries=MAX_ENTRIES, max_total=MAX_UNPACKED_BYTES, max_ratio=default_limits().max_ratio)
    try:
        with zip_open(data, limits) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            if not infos or infos[0].filename != "mimetype":
                raise _malformed(_("Це не контейнер ASiC-E: першим у архіві має бути файл mimetype."))
            names = {i.filename: i for i in infos}
            if MESSAGE_FILE not in names or names[MESSAGE_FILE].file_size > MAX_MESSAGE_JSON:
                raise _malformed(_("У контейнері немає опису повідомлення (message.json)."))
            message = json.loads(zip_read(archive, MESSAGE_FILE, limit=MAX_MESSAGE_JSON).decode("utf-8"))
            files = {n: zip_read(archive, i, limit=MAX_UNPACKED_BYTES) for n, i in names.items()
                     if n.startswith(FILES_DIR)}
    except ProtocolError:
        raise
    except UnsafeArchive as exc:
        raise _malformed(_("У контейнері забагато файлів або розпакований вміст завеликий.")) from exc
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, EOFError, UnicodeDecodeError) as exc:
        raise _malformed(_("Контейнер пошкоджений або неповний: %(error)s") % {"error": str(exc)[:200]}) from exc
    _check_message(message)
    return Opened(message=message, files=files)


def _check_message(message: Any) -> None:
    if not isinstance(message, dict) or message.get("protocol") != PROTOCOL:
        raise _malformed(_("Повідомлення не за протоколом %(protocol)s.") % {"protocol": PROTOCOL})
    if message.get("type") not in MessageType.values:
        raise _malformed(_("Невідомий вид повідомлення."))
    try:
        uuid.UUID(str(message.get("message_id")))
        # An ack to something unreadable names neither its addressee nor the message it answers.
        is_ack = message["type"] == MessageType.ACK
        for party in ("sender",) if is_ack else ("sender", "recipient"):
            if not isinstance(message[party], dict) or not str(message[party].get("id") or "").strip():
                raise ValueError(party)
        if message["type"] == MessageType.RECEIPT or (is_ack and message.get("in_reply_to") is not None):
            uuid.UUID(str(message.get("in_reply_to")))
    except (KeyError, ValueError, TypeError) as exc:
        raise _malformed(_("В описі повідомлення бракує обов'язкових полів.")) from exc


def check_seal(data: bytes, certificate: x509.Certificate) -> None:
    """Accept only one signature, made with ``certificate`` (pinned in the directory), covering every file."""
    report = verify_asice(data, Services(trust_roots=(certificate,), allow_fetching=False))
    signers = [s.certificate_sha256 for s in report.signatures]
    if len(signers) != 1 or signers[0] is None:
        raise ProtocolError(RefusalCode.BAD_SIGNATURE,
                            _("Пакет має бути підписаний однією печаткою відправника, а підписів: %(n)s.")
                            % {"n": len([s for s in signers if s])})
    if signers[0] != fingerprint(certificate):
        raise ProtocolError(RefusalCode.BAD_SIGNATURE,
                            _("Пакет підписано не тією печаткою, що зазначена для відправника в довіднику учасників."))
    broken = [p for s in report.signatures for p in s.problems if not s.integrity_ok]
    if (report.status.value in ("MALFORMED", "UNSIGNED") or report.problems
            or not all(s.integrity_ok for s in report.signatures) or MESSAGE_FILE not in report.files):
        reason = "; ".join(report.problems + broken)[:400] or _("підпис не відповідає вмісту")
        raise ProtocolError(RefusalCode.BAD_SIGNATURE, _("Підпис пакета недійсний: %(reason)s") % {"reason": reason})


def package_files(opened: Opened) -> list[tuple[str, bytes]]:
    """The document's files, by the names in message.json, checked against their listed digests."""
    result = []
    listed = opened.message.get("files")
    if not isinstance(listed, list):
        raise _malformed(_("В описі пакета немає переліку файлів."))
    for item in listed:
        try:
            path, name, digest = str(item["path"]), str(item["name"]).strip(), str(item["sha256"])
        except (KeyError, TypeError) as exc:
            raise _malformed(_("Опис файлу в пакеті неповний.")) from exc
        data = opened.files.get(path)
        if data is None or hashlib.sha256(data).hexdigest() != digest or not name:
            raise _malformed(_("Файл «%(name)s» у пакеті відсутній або не збігається з описом.") % {"name": name or path})
        result.append((name[:255], data))
    if len(result) != len(opened.files):
        raise _malformed(_("У пакеті є файли, яких немає в описі."))
    return result
