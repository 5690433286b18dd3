"""Public pages of decisions: the list with filters and search, an act's page, its PDF, the RSS feed.

A citizen finds any public decision in two clicks: home → «Рішення» (the newest first, with a search box
and filters) → the decision. Unknown addresses answer a helpful 404; a withdrawn act answers 410 with
the date it was taken down — never a 500.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ratusha.core.errors import IntegrityCheckError
from ratusha.core.storage import blob_read
from ratusha.website.acts import selectors
from ratusha.website.acts.constants import DRAFT_SEGMENT, PAGE_SIZE, ActKind, ActStatus
from ratusha.website.acts.models import PublishedAct


def _kind_label(act: PublishedAct) -> str:
    return str(_("Проєкт рішення") if act.segment == DRAFT_SEGMENT else ActKind(act.kind).label)


@require_safe
def act_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.parse_filters(request.GET)
    paginator = Paginator(selectors.act_list(filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    acts = list(page.object_list)
    selectors.attach_pdfs(acts)
    for act in acts:
        act.kind_label = _kind_label(act)
        act.days_left = selectors.days_before_session(act)
    query = {k: v for k, v in (("q", filters.q), ("year", filters.year or ""), ("kind", filters.kind),
                               ("topic", filters.topic), ("status", filters.status)) if v}
    kinds = [(ActKind.COUNCIL_DECISION.value, ActKind.COUNCIL_DECISION.label),
             (ActKind.EXECUTIVE_DECISION.value, ActKind.EXECUTIVE_DECISION.label),
             (ActKind.ORDER.value, ActKind.ORDER.label), (selectors.DRAFTS_FILTER, _("Проєкти рішень"))]
    context = {
        "page": page, "acts": acts, "filters": filters, "years": selectors.act_years(),
        "topics": selectors.topics(), "kinds": kinds, "total": paginator.count,
        "statuses": [(s.value, s.label) for s in (ActStatus.ADOPTED, ActStatus.DRAFT, ActStatus.WITHDRAWN)],
        "querystring": urlencode(query),
    }
    return render(request, "acts/list.html", context)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "acts/not_found.html", {"latest": selectors.latest_acts(5)}, status=404)


def _withdrawn(request: HttpRequest, act: PublishedAct) -> HttpResponse:
    return render(request, "acts/withdrawn.html", {"act": act, "kind_label": _kind_label(act)}, status=410)


@require_safe
def act_detail(request: HttpRequest, segment: str, year: int, slug: str) -> HttpResponse:
    act = selectors.act_get_public(segment=segment, year=year, slug=slug)
    if act is None:
        return _not_found(request)
    if act.is_withdrawn:
        return _withdrawn(request, act)
    selectors.attach_pdfs([act])
    related = selectors.related_acts(act)
    selectors.attach_pdfs(related)
    for other in related:
        other.kind_label = _kind_label(other)
    context = {"act": act, "kind_label": _kind_label(act), "related": related,
               "verify_url": selectors.signature_check_url(act),
               "days_left": selectors.days_before_session(act)}
    return render(request, "acts/detail.html", context)


def pdf_filename(act: PublishedAct) -> str:
    """«Рішення ради № 125-VIII від 12.03.2026.pdf» (a character a file system refuses becomes «-»)."""
    if act.is_draft:
        name = _("Проєкт рішення %(n)s від %(date)s") % {"n": act.slug.upper(), "date": f"{act.date:%d.%m.%Y}"}
    else:
        name = _("%(kind)s № %(number)s від %(date)s") % {"kind": ActKind(act.kind).label, "number": act.number,
                                                           "date": f"{act.date:%d.%m.%Y}"}
    for ch in '/\\:*?"<>|':
        name = name.replace(ch, "-")
    return f"{name}.pdf"


@require_safe
def act_pdf(request: HttpRequest, segment: str, year: int, slug: str) -> HttpResponse:
    act = selectors.act_get_public(segment=segment, year=year, slug=slug)
    if act is None:
        return _not_found(request)
    if act.is_withdrawn:
        return _withdrawn(request, act)
    selectors.attach_pdfs([act])
    if act.pdf is None:
        return _not_found(request)
    try:
        data = blob_read(act.pdf.sha256)
    except IntegrityCheckError:
        return render(request, "acts/file_error.html", {"act": act}, status=503)
    # A FileResponse (streaming): the site's page cache never stores it, so its headers stay whole.
    response = FileResponse(io.BytesIO(data), content_type="application/pdf", as_attachment=True,
                            filename=pdf_filename(act))
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    response["ETag"] = f'"{act.pdf.sha256}"'
    if act.content_updated_at:
        from django.utils.http import http_date

        response["Last-Modified"] = http_date(act.content_updated_at.timestamp())
    return response


def feed(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    from ratusha.website.acts.feeds import ActsFeed

    response = ActsFeed()(request)
    response["Content-Type"] = "application/rss+xml; charset=utf-8"
    return response
