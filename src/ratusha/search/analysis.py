"""Ukrainian text analysis for search: the same Python code produces the index tokens and the query.

The database only matches whole tokens (SQLite FTS5 or a PostgreSQL ``tsvector``), so every
linguistic decision is made here and both databases give the same results.

* Text is split into *compounds* (``01-10/245``, ``Івано-Франківськ``, ``сім'я``): runs of letters and
  digits joined by single separator characters. A compound is indexed as a whole and by its parts, so
  «01-10» also finds «01-10/245».
* Every word is lemmatised with pymorphy3 (``lang="uk"``). ALL normal forms of a word are indexed
  («рада» → рада, рад, радий) and a query word matches ANY of its normal forms, so words with several
  readings never lose recall. Words the dictionary does not know (numbers, Latin, new words) are also
  kept as they are.
* Normalisation: Unicode NFC, lowercase, stress marks removed, apostrophes (’ ʼ ' ` ‘) unified, «ґ»
  folded to «г» in tokens (old and new spellings find each other).
* A token is encoded to letters, digits and ``_`` only, so neither FTS5's ``unicode61`` tokenizer
  nor PostgreSQL will split it again.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# --- Normalisation ------------------------------------------------------------------------------

APOSTROPHES = "'’ʼ`‘′´ʹ"
_APOS_TABLE = str.maketrans({ch: "'" for ch in APOSTROPHES})
# Dashes of all kinds count as a hyphen inside compounds.
_DASH_TABLE = str.maketrans(dict.fromkeys("‐‑‒–—−", "-"))
_COMBINING = "\u0300-\u036f\u0483-\u0489"

_ALNUM = rf"(?:[^\W_]|[{_COMBINING}])"
_WORD = rf"{_ALNUM}+(?:[{APOSTROPHES}]{_ALNUM}+)*"
# Characters that join the parts of a compound: 01-10/245, 12.03.2024, file_name, КП«Водоканал» is not.
_SEPARATORS = r"\-‐‑‒–—−/\\.:_+&#№"
COMPOUND_RE = re.compile(rf"{_WORD}(?:[{_SEPARATORS}]{_WORD})*")
_SPLIT_RE = re.compile(rf"[{_SEPARATORS}]")

MAX_TOKEN_CHARS = 100  # longer runs are noise (hashes, base64); PostgreSQL's lexeme limit is 2 KB
MAX_QUERY_WORDS = 32
MAX_QUERY_CHARS = 1000


def normalise(text: str) -> str:
    """NFC, lowercase, no combining marks (stress), one apostrophe, one hyphen."""
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_APOS_TABLE).translate(_DASH_TABLE)


def encode(token: str) -> str:
    """A lemma as an index token: letters and digits only, other characters become ``_``."""
    out: list[str] = []
    for ch in token.replace("'", "").replace("ґ", "г"):
        if unicodedata.category(ch)[0] in "LN":
            out.append(ch)
        elif out and out[-1] != "_":
            out.append("_")
    return "".join(out).strip("_")[:MAX_TOKEN_CHARS].rstrip("_")


# --- Morphology ---------------------------------------------------------------------------------

_morph: Any = None
_morph_lock = threading.Lock()


def morph() -> Any:
    """The process-wide pymorphy3 analyser, created on first use (loading takes ~0.2 s)."""
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer(lang="uk")
    return _morph


# Service words: dropped from queries (not from the index) so «лист від міської ради» finds a card
# that does not say «від». pymorphy3 tags some of them oddly («про» as a noun), hence the list.
_SERVICE_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})
STOP_WORDS = frozenset({
    "а", "але", "або", "аж", "би", "б", "бо", "в", "у", "від", "для", "до", "з", "зі", "із", "й", "і",
    "та", "так", "то", "же", "за", "на", "над", "під", "по", "при", "про", "через", "чи", "що", "щодо",
    "як", "якщо", "не", "ні", "ж", "ще", "це", "той", "те", "ті",
})


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _parse(word: str) -> list[Any]:
    """pymorphy3 parses of a word with Cyrillic letters ([] for others: they are kept as they are)."""
    if not _CYRILLIC.search(word):
        return []
    try:
        return morph().parse(word)
    except Exception:  # noqa: BLE001 - e.g. characters without a Unicode name; keep the word as is
        return []


@lru_cache(maxsize=500_000)
def word_tokens(word: str) -> tuple[str, ...]:
    """Index tokens of one normalised word (no separators inside): all its normal forms.

    Unknown words (numbers, Latin, words missing from the dictionary) are kept as they are too.
    """
    forms: dict[str, None] = {}
    known = False
    for parse in _parse(word):
        forms[parse.normal_form] = None
        known = known or parse.is_known
    if not known:
        forms = {word: None, **forms}
    return tuple(dict.fromkeys(t for t in (encode(f) for f in forms) if t))


@lru_cache(maxsize=100_000)
def is_stop_word(word: str) -> bool:
    if word in STOP_WORDS:
        return True
    parses = _parse(word)
    return bool(parses) and all(p.tag.POS in _SERVICE_POS for p in parses)


@lru_cache(maxsize=200_000)
def compound_analysis(compound: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """``(whole, parts)`` for a normalised compound.

    ``whole``: tokens of the compound as one unit; ``parts``: tokens of each part (empty for a simple
    word). A hyphenated word the dictionary knows («івано-франківська») gets its normal forms.
    """
    pieces = [p for p in _SPLIT_RE.split(compound) if p]
    if len(pieces) <= 1:
        return word_tokens(pieces[0] if pieces else compound), ()
    whole: dict[str, None] = {}
    if set(_SPLIT_RE.findall(compound)) == {"-"} and all(p.replace("'", "").isalpha() for p in pieces):
        for parse in _parse(compound):
            if parse.is_known:
                whole[encode(parse.normal_form)] = None
    whole[encode(compound)] = None
    whole.pop("", None)
    parts = tuple(word_tokens(p) for p in pieces)
    return tuple(whole), tuple(p for p in parts if p)


def iter_compounds(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, normalised compound)`` for each compound of ``text`` (offsets into ``text``)."""
    for match in COMPOUND_RE.finditer(text):
        yield match.start(), match.end(), normalise(match.group())


def compound_tokens(compound: str) -> tuple[str, ...]:
    whole, parts = compound_analysis(compound)
    if not parts:
        return whole
    out = dict.fromkeys(whole)
    for part in parts:
        out.update(dict.fromkeys(part))
    return tuple(out)


def index_tokens(*texts: str) -> list[str]:
    """Distinct index tokens of the texts, in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        for match in COMPOUND_RE.finditer(text):
            seen.update(dict.fromkeys(raw_tokens(match.group())))
    return list(seen)


@lru_cache(maxsize=500_000)
def raw_tokens(raw: str) -> tuple[str, ...]:
    """Index tokens of a compound as it appears in the text (cached before normalisation)."""
    return compound_tokens(normalise(raw))


def lemma_string(*texts: str) -> str:
    """The space-separated token string stored in the index."""
    return " ".join(index_tokens(*texts))


# --- Queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryWord:
    """One word of the user's query: it matches if the document has ANY token of ``any_of``, or
    (for compounds) every part, each by any of its tokens."""

    text: str
    any_of: tuple[str, ...]
    all_parts: tuple[tuple[str, ...], ...] = ()

    @property
    def tokens(self) -> frozenset[str]:
        out = set(self.any_of)
        for part in self.all_parts:
            out.update(part)
        return frozenset(out)


@dataclass(frozen=True)
class Query:
    words: tuple[QueryWord, ...]

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def tokens(self) -> frozenset[str]:
        out: set[str] = set()
        for word in self.words:
            out |= word.tokens
        return frozenset(out)

    def matches(self, tokens: Iterable[str]) -> bool:
        """Reference semantics in Python (the databases must agree with it): every word is found."""
        have = set(tokens)
        return bool(self.words) and all(
            not have.isdisjoint(w.any_of) or (bool(w.all_parts) and all(not have.isdisjoint(p) for p in w.all_parts))
            for w in self.words)

    def to_fts5(self) -> str:
        """FTS5 MATCH expression: AND across words, OR across readings; every token quoted."""
        return " AND ".join(_fts5_word(w) for w in self.words)

    def to_tsquery(self) -> str:
        """PostgreSQL tsquery text with the same meaning as :meth:`to_fts5`."""
        return " & ".join(_ts_word(w) for w in self.words)


def _fts5_any(tokens: Iterable[str]) -> str:
    return " OR ".join(f'"{t}"' for t in tokens)


def _fts5_word(word: QueryWord) -> str:
    alternatives = [_fts5_any(word.any_of)] if word.any_of else []
    if word.all_parts:
        alternatives.append("(" + " AND ".join(f"({_fts5_any(p)})" for p in word.all_parts) + ")")
    return "(" + " OR ".join(alternatives) + ")"


def _ts_any(tokens: Iterable[str]) -> str:
    return " | ".join(f"'{t}'" for t in tokens)


def _ts_word(word: QueryWord) -> str:
    alternatives = [_ts_any(word.any_of)] if word.any_of else []
    if word.all_parts:
        alternatives.append("(" + " & ".join(f"({_ts_any(p)})" for p in word.all_parts) + ")")
    return "(" + " | ".join(alternatives) + ")"


def parse_query(text: str | None) -> Query:
    """The user's input as words (never as query syntax). Service words are dropped unless the query
    has nothing else; repeated words count once."""
    text = (text or "")[:MAX_QUERY_CHARS]
    words: dict[str, QueryWord] = {}
    for _start, _end, compound in iter_compounds(text):
        if compound in words:
            continue
        whole, parts = compound_analysis(compound)
        if not whole and not parts:
            continue
        words[compound] = QueryWord(text=compound, any_of=whole, all_parts=parts)
        if len(words) >= MAX_QUERY_WORDS:
            break
    significant = tuple(w for w in words.values() if w.all_parts or not is_stop_word(w.text))
    return Query(words=significant or tuple(words.values()))
