"""Models of the site's audience: the site search index, cookie-less page-view counts and e-mail
subscriptions (double opt-in, one-click unsubscribe)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.website.audience.constants import SiteHitKind


class SitePageIndex(models.Model):
    """One row per live public Wagtail page: its Ukrainian index tokens (``analysis.lemma_string``).

    The primary key IS the page id (on SQLite the rowid of the FTS5 table ``website_page_fts``; on
    PostgreSQL a generated ``tsvector`` with a GIN index) — see ``audience/index_backends.py``.
    """

    # The page id, not a foreign key: treebeard deletes subtrees with raw SQL, so the row may outlive its
    # page for a moment; the ``post_delete`` signal removes it and the provider shows live pages only.
    page_id = models.IntegerField(_("сторінка"), primary_key=True)
    kind = models.CharField(_("вид"), max_length=20, choices=SiteHitKind.choices, default=SiteHitKind.PAGE)
    title = models.CharField(_("заголовок"), max_length=500)
    url = models.CharField(_("адреса"), max_length=1000)
    date = models.DateField(_("дата"), null=True, blank=True)
    summary = models.TextField(_("текст для фрагмента"), blank=True)
    title_lemmas = models.TextField(_("леми заголовка"), blank=True)
    lemmas = models.TextField(_("леми"), blank=True)
    updated_at = models.DateTimeField(_("проіндексовано"), auto_now=True)

    class Meta:
        verbose_name = _("сторінка в пошуку сайту")
        verbose_name_plural = _("пошуковий індекс сайту")

    def __str__(self) -> str:
        return self.title


class PageViewDay(models.Model):
    """How many times a public page was viewed on a day. Nothing about the visitor is kept: no cookie,
    no address, no user agent — only the path and a number."""

    path = models.CharField(_("адреса"), max_length=500)
    day = models.DateField(_("день"))
    count = models.PositiveIntegerField(_("переглядів"), default=0)

    class Meta:
        verbose_name = _("перегляди сторінки за день")
        verbose_name_plural = _("перегляди сторінок")
        constraints = [models.UniqueConstraint(fields=["path", "day"], name="audience_pageview_path_day")]
        indexes = [models.Index(fields=["day", "path"], name="audience_pageview_day")]

    def __str__(self) -> str:
        return f"{self.path} {self.day}: {self.count}"


class Subscriber(models.Model):
    """An e-mail address subscribed to topics. Mail other than the confirmation goes only to confirmed,
    not unsubscribed addresses, and only on the confirmed ``topics``."""

    email = models.EmailField(_("електронна пошта"), unique=True)
    topics = models.JSONField(_("теми"), default=list, blank=True)
    pending_topics = models.JSONField(_("теми до підтвердження"), default=list, blank=True)
    # Changes on every (re)subscription: an older confirmation link stops working.
    confirm_nonce = models.CharField(max_length=32, blank=True)
    confirmed_at = models.DateTimeField(_("підтверджено"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("відписано"), null=True, blank=True)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    class Meta:
        verbose_name = _("підписник")
        verbose_name_plural = _("підписники")

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None and bool(self.topics)


class Mailing(models.Model):
    """One announcement to the subscribers of a topic; ``key`` makes it idempotent (``news:42``)."""

    key = models.CharField(_("ключ"), max_length=200, unique=True)
    topic = models.CharField(_("тема"), max_length=20)
    title = models.CharField(_("заголовок"), max_length=500)
    url = models.CharField(_("адреса"), max_length=1000)
    summary = models.TextField(_("короткий зміст"), blank=True)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)

    class Meta:
        verbose_name = _("розсилка")
        verbose_name_plural = _("розсилки")

    def __str__(self) -> str:
        return self.key


class Delivery(models.Model):
    """One e-mail of a mailing to one subscriber; ``sent_at`` is the claim (sent at most once)."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("лист розсилки")
        verbose_name_plural = _("листи розсилки")
        constraints = [models.UniqueConstraint(fields=["mailing", "subscriber"], name="audience_delivery_once")]

    def __str__(self) -> str:
        return f"{self.mailing_id} → {self.subscriber_id}"
