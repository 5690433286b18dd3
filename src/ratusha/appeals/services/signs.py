"""The sign of an appeal (ознака надходження, Classifier 858): suggested by detection, decided by the officer.

Detection (issue 4 item 3; Law 393/96-ВР art. 8):
- **повторне** — the same applicant (normalised surname + name + patronymic AND the same address,
  e-mail or phone) writes to the same body on a similar issue after an earlier appeal of theirs was
  decided on the merits (answered: satisfied, explained, refused, partly);
- **дублетне** — the same applicant, a similar text, and the earlier appeal is still open;
- **масове** — at least ``MASS_MIN_APPLICANTS`` near-identical texts from different applicants within
  ``MASS_WINDOW_DAYS`` days.
"Similar": the same Classifier topic, or a token Jaccard similarity of the texts' lemmas (the search
app's Ukrainian analysis) ≥ ``SIMILARITY``; "near-identical": ≥ ``MASS_SIMILARITY``.
The officer confirms or overrides the suggestion (``appeal_sign_set``); both are audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.appeals.constants import AppealSign, AppealStatus, Outcome
from ratusha.appeals.models import Appeal
from ratusha.appeals.services._common import (
    lock_appeal,
    require_choice,
    require_handler,
    save_appeal,
    setting,
)
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError

# Art. 8: an issue "decided on the merits" — an answer with one of these outcomes.
MERITS_OUTCOMES = frozenset({Outcome.SATISFIED, Outcome.EXPLAINED, Outcome.REFUSED, Outcome.PARTLY})
DECIDED_STATUSES = frozenset({AppealStatus.ANSWERED, AppealStatus.CLOSED})
OPEN_STATUSES = frozenset({AppealStatus.SUBMITTED, AppealStatus.REGISTERED, AppealStatus.IN_WORK})
MASS_SCAN_LIMIT = 2000  # the newest appeals of the window compared for a mass campaign

_APOSTROPHES = str.maketrans(dict.fromkeys("'’ʼ`‘′´ʹ", ""))
_NON_WORD = re.compile(r"[^\w]+")
# Address words that differ only in how they are written («вулиця» / «вул.», «будинок» / «буд.»).
_ADDRESS_WORDS = {
    "вулиця": "вул", "вул": "вул", "проспект": "просп", "просп": "просп", "пр": "просп",
    "провулок": "пров", "пров": "пров", "бульвар": "бул", "бульв": "бул", "бул": "бул",
    "площа": "пл", "пл": "пл", "будинок": "", "буд": "", "б": "", "квартира": "кв", "кв": "кв",
    "місто": "м", "м": "м", "село": "с", "с": "с", "селище": "смт", "смт": "смт",
}


# --- Normalisation ------------------------------------------------------------------------------


def _fold(value: str) -> str:
    return (value or "").casefold().replace("ґ", "г").replace("ё", "е").translate(_APOSTROPHES)


def normalise_name(last_name: str, first_name: str, middle_name: str) -> str:
    parts = [" ".join(_NON_WORD.sub(" ", _fold(p)).split()) for p in (last_name, first_name, middle_name)]
    return "|".join(parts)


def applicant_key(last_name: str, first_name: str, middle_name: str) -> str:
    """The stored ``Appeal.applicant_key``: a hash of the normalised full name ("" for anonymous)."""
    if not (last_name or "").strip() and not (first_name or "").strip():
        return ""
    return hashlib.sha256(normalise_name(last_name, first_name, middle_name).encode()).hexdigest()


def normalise_address(value: str) -> str:
    words = _NON_WORD.sub(" ", _fold(value)).split()
    return " ".join(w for w in (_ADDRESS_WORDS.get(w, w) for w in words) if w)


def normalise_phone(value: str) -> str:
    """The last 9 digits (+380 67 123 45 67, 067 123 45 67 and 671234567 are one number)."""
    digits = re.sub(r"\D", "", value or "")
    return digits[-9:] if len(digits) >= 9 else ""


def normalise_email(value: str) -> str:
    return (value or "").strip().casefold()


def same_contact(a: Appeal, b: Appeal) -> bool:
    """Art. 8 "the same person": besides the name, the same address, e-mail or phone."""
    pairs = ((normalise_address(a.address), normalise_address(b.address)),
             (normalise_email(a.email), normalise_email(b.email)),
             (normalise_phone(a.phone), normalise_phone(b.phone)))
    return any(x and x == y for x, y in pairs)


# --- Similarity ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def lemmas(text: str) -> frozenset[str]:
    """Content lemmas of a text: first normal form of each word, stop words and 1-letter words left out."""
    from ratusha.search.analysis import is_stop_word, iter_compounds, word_tokens

    out: set[str] = set()
    for _start, _end, compound in iter_compounds(text or ""):
        for word in compound.replace("/", "-").split("-"):
            if len(word) < 2 or is_stop_word(word):
                continue
            tokens = word_tokens(word)
            if tokens:
                out.add(tokens[0])
    return frozenset(out)


def similarity(a: str, b: str) -> float:
    """Token Jaccard of the two texts' lemma sets (0..1)."""
    x, y = lemmas(a), lemmas(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


def similar_issue(a: Appeal, b: Appeal) -> bool:
    if a.topic_id and b.topic_id and a.topic_id == b.topic_id:
        return True
    return similarity(a.text, b.text) >= float(setting("SIMILARITY"))


# --- Detection ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignSuggestion:
    sign: str
    related: Appeal | None
    reason: str
    similar_count: int = 0


def _earlier(appeal: Appeal):
    return Appeal.objects.filter(organisation_id=appeal.organisation_id).exclude(pk=appeal.pk).filter(
        received_at__lte=appeal.received_at or timezone.now())


def detect_sign(appeal: Appeal) -> SignSuggestion:
    """What the appeal looks like, judged against the organisation's earlier appeals (no writes)."""
    key = appeal.applicant_key or applicant_key(appeal.last_name, appeal.first_name, appeal.middle_name)
    if key:
        same_person = [a for a in _earlier(appeal).filter(applicant_key=key).select_related("topic", "document")
                       .order_by("-received_at")[:200] if same_contact(a, appeal)]
        for earlier in same_person:
            if earlier.status in DECIDED_STATUSES and earlier.outcome in MERITS_OUTCOMES \
                    and similar_issue(earlier, appeal):
                return SignSuggestion(AppealSign.REPEATED, earlier, _(
                    "Той самий заявник уже звертався з подібного питання, і його вирішено по суті."))
        for earlier in same_person:
            if earlier.status in OPEN_STATUSES and similar_issue(earlier, appeal):
                return SignSuggestion(AppealSign.DUPLICATE, earlier, _(
                    "Той самий заявник уже подав подібне звернення, відповіді на нього ще немає."))
    mass = _mass_campaign(appeal)
    if mass is not None:
        return mass
    return SignSuggestion(AppealSign.PRIMARY, None, "")


def _mass_campaign(appeal: Appeal) -> SignSuggestion | None:
    minimum = int(setting("MASS_MIN_APPLICANTS"))
    threshold = float(setting("MASS_SIMILARITY"))
    day = appeal.received_date or timezone.localdate()
    since = day - dt.timedelta(days=int(setting("MASS_WINDOW_DAYS")))
    rows = (_earlier(appeal).filter(received_date__gte=since, received_date__lte=day)
            .only("pk", "text", "applicant_key", "received_at").order_by("-received_at")[:MASS_SCAN_LIMIT])
    own = appeal.applicant_key or applicant_key(appeal.last_name, appeal.first_name, appeal.middle_name)
    applicants = {own or f"anon:{appeal.pk}"}
    matches = []
    for row in rows:
        if similarity(row.text, appeal.text) >= threshold:
            applicants.add(row.applicant_key or f"anon:{row.pk}")
            matches.append(row)
    if len(applicants) < minimum:
        return None
    first = min(matches, key=lambda r: r.received_at)
    return SignSuggestion(AppealSign.MASS, first, _(
        "Майже однакові звернення від %(n)d різних заявників за %(days)d днів.")
        % {"n": len(applicants), "days": int(setting("MASS_WINDOW_DAYS"))}, similar_count=len(matches) + 1)


def suggestion_params(suggestion: SignSuggestion) -> dict[str, Any]:
    related = suggestion.related
    return {"sign": suggestion.sign, "reason": suggestion.reason,
            "related": str(related.pk) if related is not None else None,
            "related_index": related.document.reg_index if related is not None and related.document_id else None}


def apply_suggestion(appeal: Appeal, suggestion: SignSuggestion) -> list[str]:
    """Write the suggestion onto ``appeal`` (not saved); returns the changed field names."""
    appeal.sign_suggested = suggestion.sign
    appeal.sign_related = suggestion.related
    return ["sign_suggested", "sign_related"]


def appeal_sign_suggest(*, actor: Any, appeal: Appeal) -> SignSuggestion:
    """Run detection again on demand and store the suggestion (the confirmed sign stays as it is)."""
    require_handler(actor, appeal.organisation_id)
    with transaction.atomic():
        locked = lock_appeal(appeal)
        suggestion = detect_sign(locked)
        fields = apply_suggestion(locked, suggestion)
        save_appeal(locked, fields)
        audit_log(actor=actor, action="appeal.sign_suggest", obj=locked, params=suggestion_params(suggestion))
    appeal.refresh_from_db()
    return suggestion


def appeal_sign_set(*, actor: Any, appeal: Appeal, sign: str, expected_version: Any = None) -> Appeal:
    """The officer confirms the suggested sign or sets another one; the audit keeps both."""
    sign = require_choice(sign, AppealSign, field="sign")
    require_handler(actor, appeal.organisation_id)
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        if locked.status == AppealStatus.CLOSED:
            raise ApplicationError(_("Розгляд звернення завершено: ознаку змінити не можна."),
                                   code="closed", field="sign")
        previous = locked.sign
        locked.sign = sign
        locked.sign_set_by = actor
        locked.sign_set_at = timezone.now()
        save_appeal(locked, ["sign", "sign_set_by", "sign_set_at"])
        confirmed = bool(locked.sign_suggested) and sign == locked.sign_suggested
        audit_log(actor=actor, action="appeal.sign_set", obj=locked, params={
            "sign": sign, "previous": previous, "suggested": locked.sign_suggested or None,
            "related": str(locked.sign_related_id) if locked.sign_related_id else None,
            "decision": "confirmed" if confirmed else "overridden"})
    appeal.refresh_from_db()
    return appeal
