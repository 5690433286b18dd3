from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    CITY_COUNCIL = "city_council", _("Міська рада")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Виконавчий комітет")
    EXECUTIVE_BODY = "executive_body", _("Виконавчий орган (управління, відділ)")
    MUNICIPAL_ENTERPRISE = "municipal_enterprise", _("Комунальне підприємство")


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("Діловод (реєстратор)")
    HEAD = "head", _("Керівник")
    EXECUTOR = "executor", _("Виконавець")
    CONTROLLER = "controller", _("Контролер")
    RECEPTION = "reception", _("Працівник приймальні / звернень")
    WEB_EDITOR = "web_editor", _("Редактор вебсайту")
    ADMIN = "admin", _("Адміністратор")


# Roles that handle applicants' personal data (Law 2297-VI; LEGAL.md §7).
PERSONAL_DATA_ROLES = frozenset({Role.REGISTRAR, Role.HEAD, Role.RECEPTION, Role.ADMIN})
# Roles that may register documents in an organisation's journals.
REGISTERING_ROLES = frozenset({Role.REGISTRAR, Role.ADMIN})
