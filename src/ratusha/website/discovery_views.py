"""Public discovery views: the site search, robots.txt, the sitemap index/sections, the 404 context."""

from __future__ import annotations

import re

from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ratusha.search.analysis import Query, parse_query
from ratusha.search.snippets import make_snippet
from ratusha.website.search import SiteHit, site_search
from ratusha.website.sitemaps import sitemap_instances

SEARCH_MAX_CHARS = 200
SEARCH_PAGE_SIZE = 10
SEARCH_LIMIT_PER_PROVIDER = 200
ROBOTS_DISALLOW = ("/office/", "/cms/", "/django-admin/", "/api/", "/appeals/track/")


def _highlight(query: Query, hit: SiteHit) -> dict:
    title = make_snippet(query, hit.title, width=200).html
    summary = make_snippet(query, hit.summary).html if hit.summary else ""
    return {"hit": hit, "title_html": title, "summary_html": summary}


def _suggestions(query: Query) -> list[str]:
    """Single words of a query that found nothing (each may find something alone)."""
    return [w.text for w in query.words][:5] if len(query.words) > 1 else []


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    text = " ".join(raw.split())
    context: dict = {"q": raw[:SEARCH_MAX_CHARS * 5], "error": "", "searched": False}
    status = 200
    if "q" in request.GET:
        if not text:
            context["error"] = _("Введіть слово або кілька слів для пошуку.")
        elif len(text) > SEARCH_MAX_CHARS:
            context["error"] = _("Запит задовгий: не більше %(n)s символів. Скоротіть його до кількох "
                                 "ключових слів.") % {"n": SEARCH_MAX_CHARS}
        else:
            query = parse_query(text)
            if not query:
                context["error"] = _("У запиті немає слів, за якими можна шукати. Введіть слово літерами "
                                     "або цифрами, наприклад «бюджет» чи «рішення 125».")
            else:
                hits, failed = site_search(query, limit_per_provider=SEARCH_LIMIT_PER_PROVIDER)
                paginator = Paginator(hits, SEARCH_PAGE_SIZE)
                page_obj = paginator.get_page(request.GET.get("page"))
                context.update({
                    "searched": True,
                    "page_obj": page_obj,
                    "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
                    "results": [_highlight(query, hit) for hit in page_obj.object_list],
                    "total": paginator.count,
                    "partial": bool(failed),
                    "suggestions": [] if hits else _suggestions(query),
                })
        if context["error"]:
            status = 400
    return render(request, "website/search.html", context, status=status)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('website:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    response = sitemap_views.index(request, sitemap_instances(request),
                                   sitemap_url_name="website:sitemap_section")
    response.render()
    return response


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    sitemaps = sitemap_instances(request)
    if section not in sitemaps:
        raise Http404(_("Такого розділу карти сайту немає."))
    response = sitemap_views.sitemap(request, sitemaps, section=section)
    response.render()
    return response


def not_found_context(request: HttpRequest) -> dict:
    """The public 404 page: a search box prefilled with words from the address, the contacts page."""
    last = [part for part in request.path.split("/") if part][-1:] or [""]
    guess = " ".join(re.findall(r"[^\W\d_]{3,}", last[0].replace("-", " ")))[:100]
    contacts_url = "/"
    try:
        from ratusha.website.models import ContactsPage

        contacts = ContactsPage.objects.live().public().first()
        if contacts is not None:
            contacts_url = contacts.get_url(request) or "/"
    except (ImportError, LookupError):  # the page types are not installed yet
        pass
    return {"guess": guess, "contacts_url": contacts_url}
