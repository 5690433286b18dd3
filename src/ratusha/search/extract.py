"""Text of attached files for the search index: PDF text layer, DOCX, ODT, plain text.

``extract_text`` never raises: a broken or unsupported file gives "" and a log line, so one bad
attachment cannot stop a registration from being indexed.
"""

from __future__ import annotations

import io
import logging
import re

from ratusha.core.safezip import zip_open, zip_read

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2_000_000  # more than any real letter; protects memory on pathological files
MAX_PDF_PAGES = 1000

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TEXT_MIMES = frozenset({"text/plain", "text/csv", "text/markdown"})


def extract_text(content: bytes, mime: str) -> str:
    """The searchable text of a file, or "" when there is none (scans, images) or it is unreadable."""
    mime = (mime or "").split(";")[0].strip().lower()
    try:
        if mime == PDF:
            text = _pdf(content)
        elif mime == DOCX:
            text = _docx(content)
        elif mime == ODT:
            text = _odt(content)
        elif mime in TEXT_MIMES or mime.startswith("text/"):
            text = _plain(content)
        else:
            return ""
    except Exception:  # noqa: BLE001 - any parser failure means "no text", never a failed indexing
        logger.warning("search: could not extract text from a %s file (%d bytes)", mime, len(content),
                       exc_info=True)
        return ""
    return _tidy(text)


_HYPHEN_BREAK = re.compile(r"(\w+)-\n(\w+)")


def _join_hyphenated(match: re.Match[str]) -> str:
    from ratusha.search.analysis import morph

    left, right = match.group(1), match.group(2)
    if right.isalpha() and not morph().word_is_known(right.lower()):
        return left + right
    return f"{left}-{right}"


def _tidy(text: str) -> str:
    text = text.replace("\x00", "")
    # A hyphen at a line end is either a word broken across lines («звер-\nнення» → «звернення») or
    # a real compound («житлово-\nкомунальні»): keep the hyphen when the part after it is a word.
    text = _HYPHEN_BREAK.sub(_join_hyphenated, text)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return text.strip()[:MAX_TEXT_CHARS]


def _pdf(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted:
        try:
            reader.decrypt("")  # an owner password only: the text layer is still readable
        except Exception:  # noqa: BLE001
            return ""
    parts: list[str] = []
    size = 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or size > MAX_TEXT_CHARS:
            break
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 - one bad page must not lose the others
            logger.warning("search: could not read page %d of a PDF", number + 1, exc_info=True)
            continue
        parts.append(text)
        size += len(text)
    return "\n\n".join(parts)


def _docx(content: bytes) -> str:
    import docx

    with zip_open(content):  # python-docx reads every part whole: a zip bomb is refused first
        pass
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    for section in document.sections:
        for part in (section.header, section.footer):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(p for p in parts if p)


_ODT_BREAKS = re.compile(r"<text:(?:p|h|line-break|tab|s)\b[^>]*/?>|</text:(?:p|h)>")
_TAG = re.compile(r"<[^>]+>")


def _odt(content: bytes) -> str:
    # Tags are stripped with regular expressions rather than parsed: no XML entity expansion at all.
    import html

    with zip_open(content) as archive:
        xml = zip_read(archive, "content.xml", limit=50 * MAX_TEXT_CHARS).decode("utf-8", errors="replace")
    text = _ODT_BREAKS.sub("\n", xml)
    return html.unescape(_TAG.sub("", text))


def _plain(content: bytes) -> str:
    data = content[: MAX_TEXT_CHARS * 4]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "cp1251"):  # cp1251: older Ukrainian Windows text files
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")
