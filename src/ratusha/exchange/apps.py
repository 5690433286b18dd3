from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "ratusha.exchange"
    label = "exchange"
    verbose_name = _("Обмін документами")
    default_auto_field = "django.db.models.BigAutoField"
