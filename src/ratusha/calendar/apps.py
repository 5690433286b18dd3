from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalendarConfig(AppConfig):
    name = "ratusha.calendar"
    label = "workcalendar"
    verbose_name = _("Робочий календар і строки")
