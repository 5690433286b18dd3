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


# Roles that handle applicants' personal data (Law 2297-VI; docs/legal.md §7).
PERSONAL_DATA_ROLES = frozenset({Role.REGISTRAR, Role.HEAD, Role.RECEPTION, Role.ADMIN})
# Roles that may register documents in an organisation's journals.
REGISTERING_ROLES = frozenset({Role.REGISTRAR, Role.ADMIN})


class InstallationRole(models.TextChoices):
    """Authority over the whole installation, granted to a person explicitly (docs/architecture.md rule 5).

    Distinct from ``Role``: an administrator of one organisation — a municipal enterprise's included —
    holds nothing installation-wide unless granted one of these. The installation administrator holds
    the other three as well (they may grant them to themselves anyway; the grant would add only a row).
    """

    INSTALLATION_ADMIN = "installation_admin", _("Адміністратор установки")
    WEBSITE_EDITOR = "website_editor", _("Редактор сайту ради")
    SIGNATURES_ADMIN = "signatures_admin", _("Адміністратор підписів")
    CLASSIFIER_KEEPER = "classifier_keeper", _("Хранитель класифікатора звернень")


# Organisations of the council itself whose administrators became installation roles' holders when
# installation roles were introduced (migration orgs 0002); nobody of an enterprise or executive body.
COUNCIL_CORE_KINDS = frozenset({OrgKind.CITY_COUNCIL, OrgKind.EXECUTIVE_COMMITTEE})
