"""Writes of the search index.

The index is derived data: it is rebuilt from the registry at any time (``reindex_all``), so its
writes are not audit events of their own — except a full rebuild, which an administrator starts.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q

from ratusha.core.audit import audit_log
from ratusha.core.storage import blob_read
from ratusha.registry.models import Document, DocumentFile
from ratusha.search import analysis
from ratusha.search.backends import get_backend
from ratusha.search.extract import extract_text
from ratusha.search.models import SearchEntry

logger = logging.getLogger(__name__)

MAX_PLAIN_CHARS = 200_000  # file text kept for snippets
MAX_FILE_LEMMA_CHARS = 500_000  # tokens of the files (PostgreSQL caps a tsvector at 1 MB)


@dataclass(frozen=True)
class EntryFields:
    lemmas: str
    file_lemmas: str
    correspondent_norm: str
    plain: str


def card_texts(document: Document) -> list[str]:
    """The card fields that are searched: summary, correspondent, registration and their index."""
    texts = [document.summary, document.correspondent, document.reg_index, document.correspondent_index]
    org = getattr(document, "correspondent_org", None) if document.correspondent_org_id else None
    if org is not None:
        texts.append(str(org))
    return [t for t in texts if t]


def correspondent_key(value: str) -> str:
    """Normalised text for the correspondent filter (substring match, identical on both databases)."""
    return " ".join(analysis.normalise(value or "").split())


def _cap_tokens(tokens: str, limit: int) -> str:
    if len(tokens) <= limit:
        return tokens
    return tokens[:limit].rsplit(" ", 1)[0]


def entry_fields(document: Document, file_texts: Iterable[str]) -> EntryFields:
    texts = [t for t in file_texts if t]
    correspondent = " ".join(t for t in (document.correspondent,
                                        str(document.correspondent_org) if document.correspondent_org_id
                                        else "") if t)
    return EntryFields(
        lemmas=analysis.lemma_string(*card_texts(document)),
        file_lemmas=_cap_tokens(analysis.lemma_string(*texts), MAX_FILE_LEMMA_CHARS),
        correspondent_norm=correspondent_key(correspondent)[:600],
        plain="\n\n".join(texts)[:MAX_PLAIN_CHARS],
    )


_EPOCH_DAY = dt.date(1900, 1, 1).toordinal()
_MS_BITS = 44  # milliseconds since 1970 fit until the year 2527


def sort_key(document: Document) -> int:
    """The entry's id: registration date, then registration time to the millisecond.

    Larger is newer, so "newest first" is the order of the index itself on both databases.
    """
    days = max(0, document.reg_date.toordinal() - _EPOCH_DAY)
    registered = document.registered_at
    ms = int(registered.timestamp() * 1000) if registered else 0
    return (days << _MS_BITS) | (ms & ((1 << _MS_BITS) - 1))


def _free_keys(wanted: list[int]) -> list[int]:
    """``wanted`` keys, in order, made unique among themselves and against the table (moved up by 1)."""
    keys = list(wanted)
    while True:
        clash = set(SearchEntry.objects.filter(id__in=set(keys)).values_list("id", flat=True))
        seen: set[int] = set()
        changed = False
        for i, key in enumerate(keys):
            while key in clash or key in seen:
                key += 1
            changed = changed or key != keys[i]
            keys[i] = key
            seen.add(key)
        if not changed:
            return keys


def _file_text(file: DocumentFile) -> str:
    """The stored text of a file, extracted now (and saved on the file) if it has none yet."""
    if file.text:
        return file.text
    try:
        content = blob_read(file.blob_id)
    except Exception:  # noqa: BLE001 - a missing or damaged blob is reported by the registry, not here
        logger.warning("search: cannot read file %s of document %s", file.pk, file.document_id, exc_info=True)
        return ""
    text = extract_text(content, file.blob.mime)
    if text:
        # Derived data of the file (no business meaning): stored so the next indexing is fast.
        DocumentFile.objects.filter(pk=file.pk).update(text=text)
        file.text = text
    return text


def _current_files(document_ids: list[Any]) -> dict[Any, list[DocumentFile]]:
    by_doc: dict[Any, list[DocumentFile]] = {}
    files = (DocumentFile.objects.filter(document_id__in=document_ids, is_current=True)
             .select_related("blob").order_by("document_id", "created_at", "name"))
    for file in files:
        by_doc.setdefault(file.document_id, []).append(file)
    return by_doc


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def index_document(*, document_id: Any) -> SearchEntry | None:
    """(Re)index one card: its fields and the text of its current files. Idempotent.

    A card that no longer exists is removed from the index. Returns the entry (None if removed).
    """
    pk = _as_uuid(document_id)
    if pk is None:
        return None
    document = Document.objects.select_related("correspondent_org").filter(pk=pk).first()
    if document is None:
        remove_document(document_id=pk)
        return None
    # File text extraction (slow for big PDFs) happens before the short write transaction.
    texts = [_file_text(f) for f in _current_files([pk]).get(pk, [])]
    fields = entry_fields(document, texts)
    values = {"organisation_id": document.organisation_id, "lemmas": fields.lemmas,
              "file_lemmas": fields.file_lemmas, "correspondent_norm": fields.correspondent_norm,
              "plain": fields.plain}
    key = sort_key(document)
    for attempt in range(5):
        try:
            with transaction.atomic():
                entry = SearchEntry.objects.select_for_update().filter(document_id=pk).first()
                if entry is not None and entry.id == key:
                    for name, value in values.items():
                        setattr(entry, name, value)
                    entry.save()
                    return entry
                if entry is not None:  # registration date or time changed: the key moves
                    entry.delete()
                entry = SearchEntry(id=_free_keys([key])[0], document_id=pk, **values)
                entry.save(force_insert=True)
                return entry
        except IntegrityError:
            # Another worker indexed this card, or took the same key, at the same moment: retry.
            if attempt == 4 or not Document.objects.filter(pk=pk).exists():
                raise
    return None  # pragma: no cover


def remove_document(*, document_id: Any) -> int:
    """Drop a card from the index; returns the number of entries removed (0 or 1)."""
    pk = _as_uuid(document_id)
    if pk is None:
        return 0
    with transaction.atomic():
        deleted, _ = SearchEntry.objects.filter(document_id=pk).delete()
    return deleted


def _document_batches(batch: int, queryset) -> Iterator[list[Document]]:
    """Cards in index-key order (oldest first: FTS5 appends fastest in ascending rowid order), by
    keyset pagination so memory stays flat on millions of cards."""
    last: Document | None = None
    while True:
        qs = queryset.order_by("reg_date", "registered_at", "pk")
        if last is not None:
            qs = qs.filter(Q(reg_date__gt=last.reg_date)
                           | Q(reg_date=last.reg_date, registered_at__gt=last.registered_at)
                           | Q(reg_date=last.reg_date, registered_at=last.registered_at, pk__gt=last.pk))
        chunk = list(qs[:batch])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def _index_batch(documents: list[Document], *, extract: bool) -> int:
    ids = [d.pk for d in documents]
    files = _current_files(ids)
    # Text extraction (slow for PDFs never read before) outside the write transaction.
    texts = {d.pk: [_file_text(f) if extract else f.text for f in files.get(d.pk, [])] for d in documents}
    rows = []
    for document in documents:
        fields = entry_fields(document, texts[document.pk])
        rows.append(SearchEntry(document_id=document.pk, organisation_id=document.organisation_id,
                                lemmas=fields.lemmas, file_lemmas=fields.file_lemmas,
                                correspondent_norm=fields.correspondent_norm, plain=fields.plain))
    with transaction.atomic():
        old = list(SearchEntry.objects.filter(document_id__in=ids).order_by("id").values_list("id", flat=True))
        for start in range(0, len(old), 500):
            SearchEntry.objects.filter(id__in=old[start:start + 500]).delete()
        for row, key in zip(rows, _free_keys([sort_key(d) for d in documents]), strict=True):
            row.id = key
        rows.sort(key=lambda r: r.id)
        SearchEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def reindex_all(*, batch: int = 1000, extract: bool = True, actor: Any = None, stale_only: bool = False,
                progress: Any = None) -> int:
    """Rebuild the index of every card in batches (bulk inserts). Returns the number indexed.

    ``extract``: read files whose text was never extracted (slow for many PDFs); ``stale_only``:
    only cards without an entry or changed after it was written (the periodic sweep that re-finds
    indexing lost by a crashed worker). ``progress(n)`` is called after each batch.
    """
    backend = get_backend()
    backend.install(connection)  # idempotent: repairs a lost FTS5 table or triggers on SQLite
    documents = Document.objects.select_related("correspondent_org")
    if stale_only:
        documents = documents.filter(Q(search_entry__isnull=True)
                                     | Q(search_entry__updated_at__lt=F("updated_at")))
    else:
        # Entries of cards that no longer exist.
        # NOT EXISTS (an anti-join), not NOT IN: PostgreSQL runs NOT IN over a million ids for ages.
        SearchEntry.objects.filter(~Exists(Document.objects.filter(pk=OuterRef("document_id")))).delete()
    total = 0
    for chunk in _document_batches(batch, documents):
        total += _index_batch(chunk, extract=extract)
        if progress is not None:
            progress(total)
    if not stale_only:
        backend.optimize(connection)
        with transaction.atomic():
            audit_log(actor=actor, action="search.reindex", object_type="search.index",
                      params={"documents": total})
    return total
