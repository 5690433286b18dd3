from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActsConfig(AppConfig):
    name = "ratusha.website.acts"
    label = "acts"
    verbose_name = _("Рішення та акти на сайті")
    default_auto_field = "django.db.models.BigAutoField"
