"""The Wagtail admin at ``/cms/`` under its own, relaxed Content Security Policy.

Wagtail's admin runs inline scripts and styles (page explorer, StreamField editor, rich-text editor),
which the site's strict policy (``script-src 'self' 'nonce-…'``, ``style-src 'self'``) blocks. Only the
admin's views get ``'unsafe-inline'`` here; the public site keeps the strict policy. Images stay
same-origin (no Gravatar or other third-party requests)."""

from __future__ import annotations

from django.conf import settings
from django.utils.csp import CSP
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from ratusha.core.framing import frame_ancestors_follow_xfo

CMS_CSP = {
    **settings.SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],  # no nonce: a nonce would make browsers ignore unsafe-inline
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
}

urlpatterns = decorate_urlpatterns(list(wagtailadmin_urls.urlpatterns), frame_ancestors_follow_xfo(CMS_CSP))
