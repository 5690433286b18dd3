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
