"""Tracking codes of appeals: unguessable, readable aloud, forgiving when typed back.

A code is ``TRACKING_LENGTH`` characters drawn with ``secrets.choice`` from ``TRACKING_ALPHABET``
(31 symbols × 16 ≈ 79 bits), stored grouped by four: «ABCD-EFGH-JKMN-PQRS». The alphabet has no
look-alikes (no O/0, I/1/L): a code read aloud or copied by hand cannot be misread. What a citizen
types is normalised: case, spaces and dashes are ignored, and Cyrillic letters that look exactly like
Latin ones (a Ukrainian keyboard layout) are mapped to them.
"""

from __future__ import annotations

import secrets

from ratusha.appeals.constants import TRACKING_ALPHABET, TRACKING_LENGTH

GROUP = 4
SEPARATOR = "-"
# Cyrillic letters identical in print to Latin ones, and dash variants; only unambiguous mappings.
_LOOKALIKES = str.maketrans({
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "Р": "P", "Т": "T", "Х": "X",
    "У": "Y",
    "—": "-", "–": "-", "‐": "-", "‑": "-", "_": "-",
})


def format_tracking_code(raw: str) -> str:
    """«ABCDEFGHJKMNPQRS» → «ABCD-EFGH-JKMN-PQRS»."""
    return SEPARATOR.join(raw[i:i + GROUP] for i in range(0, len(raw), GROUP))


def new_tracking_code() -> str:
    """A fresh code, grouped for reading («ABCD-EFGH-JKMN-PQRS»). Uniqueness is the database's
    unique index; with ≈ 79 bits a collision is not expected, callers may retry once on IntegrityError."""
    return format_tracking_code("".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH)))


def normalise_tracking_code(text: str) -> str:
    """What a citizen typed → the stored form, or "" when it cannot be a code.

    Case, spaces, dashes and Cyrillic look-alike letters are forgiven; anything outside the alphabet
    or of the wrong length gives "" (the caller shows the same neutral «not found» message).
    """
    cleaned = (text or "").upper().translate(_LOOKALIKES)
    raw = "".join(ch for ch in cleaned if not ch.isspace() and ch != SEPARATOR)
    if len(raw) != TRACKING_LENGTH or any(ch not in TRACKING_ALPHABET for ch in raw):
        return ""
    return format_tracking_code(raw)
