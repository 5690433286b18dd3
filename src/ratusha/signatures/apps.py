from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "ratusha.signatures"
    label = "signatures"
    verbose_name = _("Електронні підписи")
    default_auto_field = "django.db.models.BigAutoField"
