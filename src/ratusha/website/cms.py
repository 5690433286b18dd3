"""The Wagtail admin at ``/cms/`` under its own, relaxed Content Security Policy.

Wagtail's admin runs inline scripts and styles (page explorer, StreamField editor, rich-text editor),
which the site's strict policy (``script-src 'self' 'nonce-…'``, ``style-src 'self'``) blocks. Only the
admin's views get ``'unsafe-inline'`` here; the public site keeps the strict policy. Images stay
same-origin (no Gravatar or other third-party requests)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.csp import CSP
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from ratusha.core.framing import frame_ancestors_follow_xfo

CMS_CSP = {
    **settings.SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],  # no nonce: a nonce would make browsers ignore unsafe-inline
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
}



def _administrators(user: Any) -> list[Any]:
    """Who can make someone a website editor: the installation's administrators (the role «Редактор
    сайту ради» is an installation role; an organisation's administrator cannot give it)."""
    from ratusha.orgs.constants import InstallationRole
    from ratusha.orgs.permissions import installation_role_holders

    holders = installation_role_holders(InstallationRole.INSTALLATION_ADMIN).exclude(pk=user.pk)
    return list(holders.order_by("last_name", "first_name")[:10])


def editors_only(view: Callable) -> Callable:
    """A signed-in person who is not a website editor gets a clear 403 page, not Wagtail's redirect to the
    login page (which, for someone already signed in, sent them straight back here: a loop)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.has_perm("wagtailadmin.access_admin"):
            response = render(request, "website/cms_forbidden.html", {"administrators": _administrators(user)},
                              status=403)
            add_never_cache_headers(response)
            return response
        return view(request, *args, **kwargs)

    return wrapped


def incomplete_form_is_400(view: Callable) -> Callable:
    """A POST that lacks a field Wagtail's own forms always send (e.g. ``new_parent_page`` of the copy form,
    ``body-count`` of a StreamField) is a malformed request: answer 400 with a message, not a server error."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except MultiValueDictKeyError:
            if request.method != "POST":
                raise
            response = HttpResponseBadRequest(_("Форму надіслано не повністю. Оновіть сторінку й спробуйте ще раз."),
                                              content_type="text/plain; charset=utf-8")
            add_never_cache_headers(response)
            return response

    return wrapped


urlpatterns = decorate_urlpatterns(list(wagtailadmin_urls.urlpatterns), incomplete_form_is_400)
urlpatterns = decorate_urlpatterns(urlpatterns, frame_ancestors_follow_xfo(CMS_CSP))
urlpatterns = decorate_urlpatterns(urlpatterns, editors_only)
