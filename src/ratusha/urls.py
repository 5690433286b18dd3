from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as serve_file
from wagtail import urls as wagtail_urls
from wagtail.documents import urls as wagtaildocs_urls

from ratusha.api import errors as api_errors
from ratusha.api.v1 import api as api_v1
from ratusha.core import views as core_views
from ratusha.website import views as website_views

urlpatterns = [
    path("", website_views.home, name="public-home"),  # the Wagtail home page (website/views.py)
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("office/", include("ratusha.core.urls")),
    path("office/", include("ratusha.registry.urls")),
    path("office/search/", include("ratusha.search.urls")),
    path("office/staff/", include("ratusha.orgs.urls")),
    path("office/calendar/", include("ratusha.calendar.urls")),
    path("office/notifications/", include("ratusha.notifications.urls")),
    path("office/work/", include("ratusha.workflow.urls")),
    path("office/approvals/", include("ratusha.workflow.approvals.urls")),
    path("office/reports/", include("ratusha.reports.urls")),
    path("office/appeals/", include("ratusha.appeals.urls_office")),
    path("appeals/", include("ratusha.appeals.urls_public")),
    path("reception/", include("ratusha.appeals.reception.urls")),
    path("open311/v2/", include("ratusha.appeals.open311.urls")),
    path("django-admin/", admin.site.urls),
    path("office/exchange/", include("ratusha.exchange.urls")),
    path("exchange/v1/", include("ratusha.exchange.protocol_urls")),
    path("office/api/", include("ratusha.api.urls_office")),
    path("api/v1/", api_errors.shaped_urls(api_v1.urls)),
    re_path(r"^api/", api_errors.not_found_json),  # unknown API addresses: 404 in the API's error shape
    path("office/signatures/", include("ratusha.signatures.urls")),
    path("cms/", include("ratusha.website.cms")),  # Wagtail admin with its own CSP (website/cms.py)
    path("documents/", include(wagtaildocs_urls)),
    path("decisions/", include("ratusha.website.acts.urls")),
    path("open-data/", include("ratusha.website.opendata.urls")),
    path("", include("ratusha.signatures.public_urls")),  # /verify/, /pki/ (issue 6)
    path("", include("ratusha.website.urls")),
    # Wagtail serves the page tree last: every other public address above wins.
    path("", include(wagtail_urls)),
]

handler400 = "ratusha.core.error_views.bad_request"
handler403 = "ratusha.core.error_views.permission_denied"
handler404 = "ratusha.core.error_views.not_found"
handler500 = "ratusha.core.error_views.server_error"

if settings.SERVE_MEDIA:  # embedded mode: website images (in scale mode nginx serves MEDIA_ROOT)
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.*)$", serve_file, {"document_root": settings.MEDIA_ROOT}))
