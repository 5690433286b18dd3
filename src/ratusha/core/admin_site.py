"""/django-admin/ for superusers who have passed the second factor (TOTP) in the office login.

Installed as the default admin site through ``RatushaAdminConfig`` (in INSTALLED_APPS instead of
``django.contrib.admin``), so every ``admin.site.register`` of every app lands here.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _


class RatushaAdminSite(AdminSite):
    site_header = _("Ратуша — адміністрування")
    site_title = _("Ратуша")
    index_title = _("Адміністрування системи")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        return bool(user.is_active and user.is_superuser and verified)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """Sign-in happens in the office (password + code); come back here afterwards."""
        target = request.GET.get("next") or reverse("admin:index")
        if request.user.is_authenticated and not self.has_permission(request):
            # Signed in but not a verified superuser: no admin for them.
            return HttpResponseRedirect(reverse("registry:home"))
        if self.has_permission(request):  # already signed in with the code: straight on (same site only)
            safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure())
            return HttpResponseRedirect(target if safe else reverse("admin:index"))
        return HttpResponseRedirect(f"{reverse('core:login')}?{urlencode({'next': target})}")


class RatushaAdminConfig(AdminConfig):
    default_site = "ratusha.core.admin_site.RatushaAdminSite"
