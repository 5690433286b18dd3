"""The address ``/``: the site's home page (Wagtail) — or, while no HomePage is the site's root yet
(a fresh installation, an emptied database), a plain home with the e-services, never an error."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Site
from wagtail.views import serve

from ratusha.website.models import HomePage


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    site = Site.find_for_request(request)
    if site is not None and HomePage.objects.live().filter(pk=site.root_page_id).exists():
        return serve(request, "")
    return render(request, "website/home_fallback.html")
