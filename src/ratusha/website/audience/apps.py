from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AudienceConfig(AppConfig):
    name = "ratusha.website.audience"
    label = "audience"
    verbose_name = _("Відвідувачі й підписки сайту")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ratusha.website.audience import signals
        from ratusha.website.search import pages_provider, register_search_provider
        from ratusha.website.sitemaps import WagtailPagesSitemap, register_sitemap

        signals.connect()
        register_search_provider("pages", pages_provider)
        register_sitemap("pages", WagtailPagesSitemap)
