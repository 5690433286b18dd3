"""Highlighted snippets, computed in Python (the same on both databases).

A window of words around the matches is cut from the summary or from the file text; matched words
are wrapped in ``<mark>``, everything else is HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ratusha.search.analysis import COMPOUND_RE, Query, raw_tokens

WINDOW_WORDS = 30
MAX_SCAN_CHARS = 100_000  # of a file text; the window is found well before on real documents


@dataclass(frozen=True)
class Snippet:
    html: SafeString
    source: str  # "summary" or "file"
    words_matched: int


def _matches(text: str, query: Query, limit_chars: int) -> tuple[list[tuple[int, int]], list[frozenset[int]]]:
    """Spans of the compounds of ``text`` and, for each, the query words it matches."""
    word_tokens = [w.tokens for w in query.words]
    spans: list[tuple[int, int]] = []
    hits: list[frozenset[int]] = []
    found: set[int] = set()
    for match in COMPOUND_RE.finditer(text, 0, min(len(text), limit_chars)):
        tokens = raw_tokens(match.group())
        matched = frozenset(i for i, wt in enumerate(word_tokens) if not wt.isdisjoint(tokens))
        spans.append(match.span())
        hits.append(matched)
        found |= matched
        if len(found) == len(word_tokens) and len(spans) > WINDOW_WORDS * 2:
            # Every query word seen and enough context around: no need to read further.
            break
    return spans, hits


def _best_window(hits: list[frozenset[int]], width: int) -> tuple[int, int, int]:
    """``(first, last, distinct words)`` of the window of ``width`` compounds covering most query words."""
    best = (0, min(len(hits), width) - 1, -1)
    for start, matched in enumerate(hits):
        if not matched:
            continue
        lead = min(start, width // 4)  # a little context before the first match
        first = start - lead
        last = min(len(hits), first + width) - 1
        covered: set[int] = set()
        for h in hits[first:last + 1]:
            covered |= h
        if len(covered) > best[2]:
            best = (first, last, len(covered))
    return best


def _render(text: str, spans: list[tuple[int, int]], hits: list[frozenset[int]], first: int, last: int,
            *, whole: bool) -> SafeString:
    start = 0 if first == 0 or whole else spans[first][0]
    end = len(text) if whole else spans[last][1]
    tail = text[end:end + 200]
    if len(tail) < 200 and not COMPOUND_RE.search(tail):
        end = len(text)  # only punctuation follows: keep it, no ellipsis
    parts: list[str] = ["…"] if start > 0 else []
    cursor = start
    for index in range(first, last + 1):
        if not hits[index]:
            continue
        span_start, span_end = spans[index]
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts).strip())  # noqa: S308 - every piece of text above is escaped


def make_snippet(query: Query, summary: str, file_text: str = "", *, width: int = WINDOW_WORDS) -> Snippet:
    """The snippet of one hit: the summary if it matches as well as the files do, else a file window."""
    summary = summary or ""
    s_spans, s_hits = _matches(summary, query, len(summary))
    s_first, s_last, s_count = _best_window(s_hits, max(width, 60))
    if s_count < len(query.words) and file_text:
        f_spans, f_hits = _matches(file_text, query, MAX_SCAN_CHARS)
        f_first, f_last, f_count = _best_window(f_hits, width)
        if f_count > max(s_count, 0):
            return Snippet(_render(file_text, f_spans, f_hits, f_first, f_last, whole=False), "file", f_count)
    if not s_spans:
        return Snippet(mark_safe(escape(summary)), "summary", 0)  # noqa: S308 - escaped
    whole = len(s_spans) <= max(width, 60)
    return Snippet(_render(summary, s_spans, s_hits, s_first, s_last, whole=whole), "summary", max(s_count, 0))
