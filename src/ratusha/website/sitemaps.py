"""The site's sitemaps: each public part registers its Django ``Sitemap`` under a section name; the
site serves them as one sitemap index at ``/sitemap.xml`` (sections paginate when large)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

_sitemaps: dict[str, type[Sitemap] | Sitemap] = {}


def register_sitemap(section: str, sitemap: type[Sitemap] | Sitemap) -> None:
    """Register (or replace) a section; call from an ``AppConfig.ready``."""
    _sitemaps[section] = sitemap


def site_sitemaps() -> dict[str, type[Sitemap] | Sitemap]:
    return dict(_sitemaps)


def _wagtail_sitemap_base() -> type[Sitemap]:
    from wagtail.contrib.sitemaps.sitemap_generator import Sitemap as WagtailSitemap

    return WagtailSitemap


class WagtailPagesSitemap(_wagtail_sitemap_base()):  # type: ignore[misc]
    """Section "pages": every live public page of the Wagtail site (news included), with lastmod."""

    limit = 1000


def sitemap_instances(request) -> dict[str, Sitemap]:
    """The registered sections as instances (Wagtail's sitemap wants the request to find the site)."""
    out: dict[str, Sitemap] = {}
    for section, sitemap in site_sitemaps().items():
        if isinstance(sitemap, type):
            try:
                out[section] = sitemap(request=request)  # type: ignore[call-arg]
            except TypeError:
                out[section] = sitemap()
        else:
            out[section] = sitemap
    return out
