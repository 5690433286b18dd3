from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "ratusha.website"
    label = "website"
    verbose_name = _("Вебсайт")
    default_auto_field = "django.db.models.BigAutoField"
