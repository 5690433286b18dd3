"""Publication of acts and draft decisions on the council's website (docs/legal.md §5).

Law "Про доступ до публічної інформації" No. 2939-VI, art. 15: acts adopted are published, each item with
its publication and update dates; draft decisions at least 10 working days before consideration (Law
No. 890-IX of 15.09.2020) — the clock ``draft-publication`` in ``ratusha.calendar``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.registry.constants import JournalKind


class ActKind(models.TextChoices):
    COUNCIL_DECISION = "council", _("Рішення ради")
    EXECUTIVE_DECISION = "executive", _("Рішення виконавчого комітету")
    ORDER = "order", _("Розпорядження / наказ")


# The registry journals whose public cards are acts published on the site (art. 15 of Law 2939-VI).
JOURNAL_ACT_KINDS: dict[str, str] = {
    JournalKind.COUNCIL_DECISIONS: ActKind.COUNCIL_DECISION,
    JournalKind.EXECUTIVE_DECISIONS: ActKind.EXECUTIVE_DECISION,
    JournalKind.ORDERS: ActKind.ORDER,
}
ACT_JOURNAL_KINDS = frozenset(JOURNAL_ACT_KINDS)

# The path segment of an act's permanent address: /decisions/<segment>/<year>/<number>/.
KIND_SEGMENTS = {
    ActKind.COUNCIL_DECISION: "rishennia-rady",
    ActKind.EXECUTIVE_DECISION: "rishennia-vykonkomu",
    ActKind.ORDER: "rozporiadzhennia",
}
DRAFT_SEGMENT = "proiekty"
SEGMENT_KINDS = {segment: kind for kind, segment in KIND_SEGMENTS.items()}


class ActStatus(models.TextChoices):
    PREPARING = "preparing", _("Готується до оприлюднення")  # a draft entry not yet on the site
    DRAFT = "draft", _("Проєкт")
    ADOPTED = "adopted", _("Прийнято")
    WITHDRAWN = "withdrawn", _("Знято з оприлюднення")


# Allowed transitions (docs/architecture.md rule 2). WITHDRAWN → ADOPTED: the card's access mark was made public
# again (or a cancellation was an error that the registry corrected); the address stays the same.
ACT_TRANSITIONS: dict[str, frozenset[str]] = {
    ActStatus.PREPARING: frozenset({ActStatus.DRAFT, ActStatus.WITHDRAWN}),
    ActStatus.DRAFT: frozenset({ActStatus.ADOPTED, ActStatus.WITHDRAWN}),
    ActStatus.ADOPTED: frozenset({ActStatus.WITHDRAWN}),
    ActStatus.WITHDRAWN: frozenset({ActStatus.ADOPTED, ActStatus.DRAFT}),
}
# What a citizen sees (never PREPARING).
PUBLIC_STATUSES = frozenset({ActStatus.DRAFT, ActStatus.ADOPTED, ActStatus.WITHDRAWN})
LISTED_STATUSES = frozenset({ActStatus.DRAFT, ActStatus.ADOPTED})


class WithdrawReason(models.TextChoices):
    CANCELLED = "cancelled", _("реєстрацію документа скасовано")
    ACCESS = "access", _("документ більше не має грифу «Відкритий»")
    EDITOR = "editor", _("рішення редактора")


# The draft-publication clock (Law 2939-VI art. 15; Law 890-IX): the latest day to publish a draft is
# the 10th working day before the session, counted back (docs/legal.md §8).
DRAFT_PUBLICATION_RULE = "draft-publication"
DRAFT_LAW = _("ст. 15 Закону України «Про доступ до публічної інформації» (в редакції Закону № 890-IX)")
# Reminders start this many working days before the latest publication day (and continue when late).
REMIND_WORKING_DAYS = 3

# The initial controlled list of topics lives in migration 0002 (editors change it at /decisions/office/topics/).
OTHER_TOPIC = "inshe"

PAGE_SIZE = 20
FEED_ITEMS = 30
