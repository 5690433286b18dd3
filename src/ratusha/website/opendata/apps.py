from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "ratusha.website.opendata"
    label = "opendata"
    verbose_name = _("Відкриті дані")
    default_auto_field = "django.db.models.BigAutoField"
