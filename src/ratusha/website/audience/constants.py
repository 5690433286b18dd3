"""Constants of the audience app."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteHitKind(models.TextChoices):
    PAGE = "page", _("Сторінка")
    NEWS = "news", _("Новина")
    ANNOUNCEMENT = "announcement", _("Оголошення")


class Topic(models.TextChoices):
    NEWS = "news", _("Новини та оголошення")
    DECISIONS = "decisions", _("Рішення та проєкти рішень")


TOPICS = frozenset(Topic.values)

# Double opt-in: a confirmation link is valid this long.
CONFIRM_MAX_AGE_SECONDS = 3 * 24 * 3600
CONFIRM_SALT = "ratusha.audience.confirm"
UNSUBSCRIBE_SALT = "ratusha.audience.unsubscribe"
# The subscription form: this many submissions from one address per window.
SUBSCRIBE_RATE_LIMIT = 5
SUBSCRIBE_RATE_WINDOW_MINUTES = 60

# Page views: never counted for these paths (staff, machines, files).
PAGE_VIEW_EXCLUDED_PREFIXES = (
    "/office/", "/cms/", "/django-admin/", "/api/", "/static/", "/media/", "/documents/", "/i18n/",
    "/open311/", "/exchange/", "/healthz", "/metrics", "/robots.txt", "/sitemap", "/favicon",
    "/subscribe/",
)
PAGE_VIEW_MAX_PATH = 500
# Counts are kept in memory and written in one batch after this many views or seconds (and by cron).
PAGE_VIEW_FLUSH_EVERY = 500
PAGE_VIEW_FLUSH_SECONDS = 60
# Robots, crawlers, link previews, monitoring and command-line clients are not people.
BOT_USER_AGENT_RE = re.compile(
    r"bot|crawl|spider|slurp|scrap|fetch|feed|preview|monitor|uptime|check|headless|lighthouse|pagespeed"
    r"|curl|wget|httpie|python|java/|go-http|okhttp|axios|node-fetch|libwww|perl|ruby|php|facebookexternal"
    r"|whatsapp|telegram|viber|skype|embedly|quora|pinterest|yandex|bing|google|baidu|duckduck|semrush|ahrefs",
    re.IGNORECASE,
)
