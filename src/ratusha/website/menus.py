"""Menus of the public site: the e-services (fixed addresses of the platform's services) and the main
menu (live pages marked «show in menus» under the home page, then the e-services hub)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def e_services() -> list[dict[str, str]]:
    """The e-services hub: every service citizens use online (each a plain address of the platform)."""
    return [
        {"key": "appeal", "title": _("Подати звернення"), "url": _url("appeals_public:new", "/appeals/new/"),
         "text": _("Пропозиція, заява чи скарга до міської ради — онлайн, без електронного підпису.")},
        {"key": "track", "title": _("Відстежити звернення"), "url": _url("appeals_public:track", "/appeals/track/"),
         "text": _("Стан розгляду, термін і відповідь — за кодом із листа.")},
        {"key": "reception", "title": _("Записатися на прийом"), "url": _url("reception:schedules", "/reception/"),
         "text": _("Графік особистого прийому посадовими особами та онлайн-запис на зручний час.")},
        {"key": "decisions", "title": _("Рішення та проєкти"), "url": "/decisions/",
         "text": _("Рішення ради і виконкому, розпорядження та проєкти рішень для обговорення.")},
        {"key": "opendata", "title": _("Відкриті дані"), "url": "/open-data/",
         "text": _("Набори даних громади у форматах CSV і JSON з паспортами.")},
        {"key": "verify", "title": _("Перевірити підпис"), "url": "/verify/",
         "text": _("Перевірка електронного підпису документа, виданого радою.")},
    ]


def main_menu(site_root: Any) -> list[dict[str, str]]:
    """Live, public pages under the home page marked «show in menus», in tree order."""
    if site_root is None:
        return []
    pages = site_root.get_children().live().public().in_menu().specific()
    return [{"title": page.title, "url": page.get_url()} for page in pages if page.get_url()]


def accessibility_url(site_root: Any) -> str:
    """The accessibility statement's address (linked from every page's footer), or ""."""
    if site_root is None:
        return ""
    from ratusha.website.models import AccessibilityPage

    page = AccessibilityPage.objects.live().public().descendant_of(site_root).first()
    return (page.get_url() or "") if page is not None else ""
