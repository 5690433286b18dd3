"""URLs of the browser tests: the project's, plus the uploaded files (Wagtail renditions) served from the
data directory — in an installation nginx (scale mode) or the embedded server serves them."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from ratusha.urls import handler404, handler500  # noqa: F401
from ratusha.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.STORAGES["default"]["OPTIONS"]["location"]}),
    *project_urlpatterns,
]
