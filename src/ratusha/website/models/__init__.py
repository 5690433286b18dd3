"""The website's page types (Wagtail) and site settings. Model names are a contract other parts use.
The editors' group follows the installation role grants: a grant saved → ``website_editor_sync``."""

from django.db.models.signals import post_save

from ratusha.orgs.models import Employee, InstallationRoleGrant
from ratusha.website.editors import on_employee_saved
from ratusha.website.models.pages import (  # noqa: F401
    AccessibilityPage,
    ContactsPage,
    HomePage,
    NewsIndexPage,
    NewsKind,
    NewsPage,
    ServicesPage,
    StandardPage,
    StructurePage,
)
from ratusha.website.models.site_settings import SiteSettings  # noqa: F401

post_save.connect(on_employee_saved, sender=Employee, dispatch_uid="ratusha.website.editor_sync")
post_save.connect(on_employee_saved, sender=InstallationRoleGrant, dispatch_uid="ratusha.website.editor_grant_sync")


def _settings_saved(sender, instance, **kwargs):  # noqa: ANN001, ANN202 - a signal receiver
    """The footer is on every cached page: a change of the site settings clears the page cache."""
    try:
        from ratusha.website.cache import site_cache_clear
    except ImportError:
        return
    site_cache_clear()


post_save.connect(_settings_saved, sender=SiteSettings, dispatch_uid="ratusha.website.settings_cache")
