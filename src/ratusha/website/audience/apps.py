from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AudienceConfig(AppConfig):
    name = "ratusha.website.audience"
    label = "audience"
    verbose_name = _("Відвідувачі й підписки сайту")
    default_auto_field = "django.db.models.BigAutoField"
