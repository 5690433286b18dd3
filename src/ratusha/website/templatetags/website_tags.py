"""Template tags of the public site layout: the footer's required information (site settings, falling
back to the council's card in ``orgs``), the menus, canonical URLs and the share links."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import template
from django.utils.safestring import mark_safe

from ratusha.website import menus
from ratusha.website.cache import memoized

register = template.Library()


def _site(request: Any) -> Any:
    from wagtail.models import Site

    try:
        return Site.find_for_request(request) if request is not None else None
    except Exception:  # noqa: BLE001 - an unknown host still gets the layout
        return None


@register.simple_tag(takes_context=True)
def site_info(context: Any) -> dict[str, Any]:
    """The footer's information (once per render): site settings first, then the council's card."""
    cached = context.get("_site_info")
    if cached is not None:
        return cached

    request = context.get("request")
    site = _site(request)
    info = memoized(("site_info", getattr(site, "pk", None)), lambda: _site_info(site))
    context.dicts[0]["_site_info"] = info
    return info


def _site_info(site: Any) -> dict[str, Any]:
    from ratusha.website.models import SiteSettings
    from ratusha.website.structure import council

    settings_obj = SiteSettings.for_site(site) if site is not None else None
    org = council()
    info: dict[str, Any] = {"site": site, "council": org, "social": []}
    for name in ("official_name", "edrpou", "address", "phone", "email", "working_hours", "head_name",
                 "head_position"):
        info[name] = getattr(settings_obj, name, "") if settings_obj is not None else ""
    if org is not None:
        info["official_name"] = info["official_name"] or org.name
        for name in ("edrpou", "address", "phone", "email"):
            info[name] = info[name] or getattr(org, name)
    if settings_obj is not None:
        info["social"] = settings_obj.social_links()
    info["root"] = site.root_page.specific if site is not None and site.root_page_id else None
    info["accessibility_url"] = menus.accessibility_url(info["root"])
    return info


@register.simple_tag
def e_services() -> list[dict[str, str]]:
    return menus.e_services()


@register.simple_tag
def main_menu(root: Any) -> list[dict[str, str]]:
    return memoized(("main_menu", getattr(root, "pk", None)), lambda: menus.main_menu(root))


@register.simple_tag(takes_context=True)
def nav_current(context: Any, url: str) -> str:
    """``aria-current="page"`` on the main-menu link of the section being shown."""
    request = context.get("request")
    path = getattr(request, "path", "")
    hit = path == url if url == "/" else path.startswith(url)
    return mark_safe('aria-current="page"') if hit else ""  # a constant, nothing from the request


@register.simple_tag(takes_context=True)
def canonical_url(context: Any) -> str:
    """The page's absolute address without a query string (Wagtail pages: their full URL)."""
    request = context.get("request")
    page = context.get("page")
    if page is not None and hasattr(page, "get_full_url"):
        url = page.get_full_url(request)
        if url:
            return url
    if request is None:
        return ""
    return request.build_absolute_uri(request.path)


@register.inclusion_tag("website/_share.html")
def share_links(url: str, title: str) -> dict[str, Any]:
    """Plain share links (no third-party scripts or trackers) and a «copy link» button."""
    u, t = quote(url, safe=""), quote(title, safe="")
    return {"url": url, "links": [
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("Telegram", f"https://t.me/share/url?url={u}&text={t}"),
        ("X", f"https://x.com/intent/post?url={u}&text={t}"),
    ], "mailto": f"mailto:?subject={t}&body={u}"}
