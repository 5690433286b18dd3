"""Helpers of the acts services: addresses, search tokens, topics, transitions, side effects."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.errors import TransitionError
from ratusha.website.acts.constants import ACT_TRANSITIONS, OTHER_TOPIC, ActStatus
from ratusha.website.acts.models import PublishedAct, Topic

logger = logging.getLogger(__name__)

# The national transliteration (CMU No. 55 of 27.01.2010), simplified for addresses.
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}


def number_slug(number: str) -> str:
    """«125-VIII» → «125-viii», «12-р» → «12-r», «45/01-05» → «45-01-05»."""
    text = "".join(_TRANSLIT.get(ch, ch) for ch in (number or "").lower())
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:90] or "b-n"


def unique_slug(segment: str, year: int, base: str) -> str:
    slug, n = base, 2
    while PublishedAct.objects.filter(segment=segment, year=year, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def search_tokens(*texts: str) -> str:
    from ratusha.search.analysis import index_tokens

    tokens = index_tokens(*texts)
    return f" {' '.join(tokens)} " if tokens else ""


def guess_topic(title: str) -> Topic | None:
    """The first active topic one of whose keywords begins a word of the title; else «Інше»."""
    words = re.findall(r"\w+", (title or "").lower())
    text = " " + " ".join(words)
    topics = list(Topic.objects.filter(is_active=True).order_by("position", "name"))
    for topic in topics:
        for keyword in (k.strip().lower() for k in topic.keywords.split(",")):
            if keyword and f" {keyword}" in text:
                return topic
    return next((t for t in topics if t.slug == OTHER_TOPIC), None)


def require_transition(act: PublishedAct, to: str) -> None:
    if to not in ACT_TRANSITIONS.get(act.status, frozenset()):
        raise TransitionError(_("Зі стану «%(current)s» не можна перейти у стан «%(to)s».")
                              % {"current": ActStatus(act.status).label, "to": ActStatus(to).label},
                              field="status")


def on_published_changed(act: PublishedAct, *, newly_published: bool) -> None:
    """After commit: clear the site's cache; tell subscribers about a newly published act or draft."""
    act_id = str(act.pk)
    transaction.on_commit(lambda: _after_change(act_id, newly_published), robust=True)


def _after_change(act_id: str, newly_published: bool) -> None:
    _clear_site_cache()
    if newly_published:
        _notify_subscribers(act_id)


def _clear_site_cache() -> None:
    from ratusha.website.cache import site_cache_clear

    site_cache_clear()


def _notify_subscribers(act_id: str) -> None:
    from ratusha.website.audience.services import subscribers_notify

    act = PublishedAct.objects.filter(pk=act_id).first()
    if act is None or act.status not in (ActStatus.DRAFT, ActStatus.ADOPTED):
        return
    summary = (_("Проєкт рішення, розгляд %(date)s") % {"date": f"{act.session_date:%d.%m.%Y}"}
               if act.is_draft and act.session_date else str(act))
    try:
        subscribers_notify(topic="decisions", title=act.title[:300], url=act.get_absolute_url(),
                           summary=summary, key=f"decision:{act.pk}")
    except Exception:  # noqa: BLE001 - the subscription service must not undo a publication
        logger.exception("subscribers_notify failed for act %s", act_id)


def now() -> Any:
    return timezone.now()
