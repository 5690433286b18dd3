"""Writes on the website outside the Wagtail admin (the demo loader, installation): the home page as the
site root, publishing a page with given dates, the site settings. Each audited (docs/architecture.md rule 1).
Editors' writes in ``/cms/`` go through Wagtail itself (revisions, its own log of actions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.website.models import HomePage, SiteSettings

SETTINGS_FIELDS = ("official_name", "edrpou", "address", "phone", "email", "working_hours", "head_name",
                   "head_position", "facebook_url", "telegram_url", "youtube_url", "instagram_url", "x_url")


def _ensure_tree_base() -> None:
    """Wagtail's base rows (content locale, root page, root collection, the editors' group): created by
    migrations, re-created here when a database was emptied (``flush``) since."""
    from django.apps import apps
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale

    from ratusha.website.editors import ensure_editors_group

    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    ensure_editors_group(apps)


@transaction.atomic
def website_home_install(*, actor: Any | None, title: str, intro: str = "") -> HomePage:
    """Make a HomePage the root of the default site (once): Wagtail's placeholder welcome page is
    removed when it is a plain, childless page. Returns the existing home page when there is one."""
    _ensure_tree_base()
    home = HomePage.objects.first()
    site = Site.objects.filter(is_default_site=True).first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(title=title, slug="home", intro=intro, show_in_menus=False)
        slug_taken = root.get_children().filter(slug="home").exists()
        if slug_taken:
            home.slug = "holovna"
        root.add_child(instance=home)
        home.save_revision().publish()
    elif home.title != title or (intro and home.intro != intro):
        home.title, home.draft_title = title, title
        home.intro = intro or home.intro
        home.save_revision().publish()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                                   site_name=title)
    previous = site.root_page_id
    if previous != home.pk:
        site.root_page = home
        site.site_name = title
        site.save()
        old = Page.objects.filter(pk=previous).first()
        if old is not None and old.specific_class is Page and old.depth == 2 and old.numchild == 0:
            old.delete()
    audit_log(actor=actor, action="website.home_install", obj=home, params={"site": site.pk})
    return home


@transaction.atomic
def website_page_publish(*, actor: Any | None, parent: Page, page: Page,
                         published_at: dt.datetime | None = None,
                         updated_at: dt.datetime | None = None) -> Page:
    """Add ``page`` under ``parent`` and publish it; ``published_at``/``updated_at`` back-date it (the
    demo's history, an import of older news). Dates shown on the page are these (art. 15)."""
    if page.first_published_at is None and published_at is not None:
        page.first_published_at = published_at
    parent.add_child(instance=page)
    revision = page.save_revision()
    revision.publish()
    if published_at is not None:
        updated = updated_at or published_at
        type(page).objects.filter(pk=page.pk).update(first_published_at=published_at, last_published_at=updated,
                                                     latest_revision_created_at=updated)
        type(revision).objects.filter(pk=revision.pk).update(created_at=updated)
        page.first_published_at, page.last_published_at = published_at, updated
    audit_log(actor=actor, action="website.page_publish", obj=page,
              params={"parent": parent.pk, "type": page._meta.label_lower})
    return page


@transaction.atomic
def website_settings_update(*, actor: Any | None, site: Site, **fields: Any) -> SiteSettings:
    """Change the site settings (footer information, social links)."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ApplicationError(_("Ці поля не можна змінювати: %(f)s.") % {"f": ", ".join(sorted(unknown))},
                               code="bad_field")
    settings_obj = SiteSettings.for_site(site)
    for name, value in fields.items():
        setattr(settings_obj, name, (value or "").strip())
    settings_obj.full_clean()
    settings_obj.save()
    audit_log(actor=actor, action="website.settings_update", obj=settings_obj, params={"fields": sorted(fields)})
    return settings_obj


@transaction.atomic
def website_page_update(*, actor: Any | None, page: Page, **fields: Any) -> Page:
    """Change a page's fields and publish the change as a new revision."""
    for name, value in fields.items():
        setattr(page, name, value)
    page.full_clean()
    page.save_revision().publish()
    audit_log(actor=actor, action="website.page_update", obj=page, params={"fields": sorted(fields)})
    return page
