"""Open311 GeoReport v2: the services offered to client apps, their attributes (service definitions),
API keys of the clients, and the service requests they post — each one an appeal (заява) of the
receiving organisation, with the location kept here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.appeals.constants import AppealType
from ratusha.appeals.models import Appeal, ClassifierTopic
from ratusha.core.models import BaseModel
from ratusha.orgs.models import Organisation

from .constants import Datatype, ServiceType


class Open311Service(BaseModel):
    """A service request type («яма на дорозі», «не вивезено сміття») administrators offer through Open311."""

    service_code = models.CharField(_("код послуги"), max_length=40, unique=True,
                                    validators=[RegexValidator(r"^[A-Za-z0-9_.-]+$", _(
                                        "Лише латинські літери, цифри, «-», «_» і «.»."))],
                                    help_text=_("Латиницею, цифрами, «-», «_» або «.»; незмінний для клієнтів."))
    name = models.CharField(_("назва"), max_length=200)
    description = models.TextField(_("опис"), blank=True)
    group = models.CharField(_("група"), max_length=100, blank=True)
    keywords = models.CharField(_("ключові слова"), max_length=300, blank=True,
                                help_text=_("Через кому."))
    type = models.CharField(_("тип"), max_length=10, choices=ServiceType.choices, default=ServiceType.REALTIME)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="open311_services",
                                     verbose_name=_("орган, що розглядає"))
    topic = models.ForeignKey(ClassifierTopic, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("питання класифікатора"))
    appeal_type = models.CharField(_("вид звернення"), max_length=12, choices=AppealType.choices,
                                   default=AppealType.APPLICATION)
    service_notice = models.TextField(_("повідомлення клієнтові"), blank=True,
                                      help_text=_("Повертається у service_notice: що буде далі із запитом."))
    is_active = models.BooleanField(_("діє"), default=True)
    order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("послуга Open311")
        verbose_name_plural = _("послуги Open311")
        ordering = ["order", "service_code"]

    def __str__(self) -> str:
        return f"{self.service_code} {self.name}"


class Open311Attribute(BaseModel):
    """One attribute of a service definition (extra fields a client asks for)."""

    service = models.ForeignKey(Open311Service, on_delete=models.CASCADE, related_name="attributes",
                                verbose_name=_("послуга"))
    code = models.CharField(_("код"), max_length=60,
                            validators=[RegexValidator(r"^[A-Za-z0-9_.-]+$", _(
                                "Лише латинські літери, цифри, «-», «_» і «.»."))])
    variable = models.BooleanField(_("вводить користувач"), default=True,
                                   help_text=_("Ні — поле лише пояснює щось користувачеві."))
    datatype = models.CharField(_("тип даних"), max_length=16, choices=Datatype.choices, default=Datatype.STRING)
    required = models.BooleanField(_("обов'язковий"), default=False)
    datatype_description = models.CharField(_("підказка щодо формату"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("порядок"), default=1)
    description = models.CharField(_("питання до користувача"), max_length=500)

    class Meta:
        verbose_name = _("атрибут послуги Open311")
        verbose_name_plural = _("атрибути послуги Open311")
        ordering = ["service", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="open311_attribute_code_unique"),
            models.UniqueConstraint(fields=["service", "order"], name="open311_attribute_order_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class Open311AttributeValue(BaseModel):
    """An option of a singlevaluelist/multivaluelist attribute."""

    attribute = models.ForeignKey(Open311Attribute, on_delete=models.CASCADE, related_name="values",
                                  verbose_name=_("атрибут"))
    key = models.CharField(_("ключ"), max_length=60)
    name = models.CharField(_("назва"), max_length=200)
    order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("значення атрибута")
        verbose_name_plural = _("значення атрибута")
        ordering = ["attribute", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="open311_value_key_unique")]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class ApiKey(BaseModel):
    """A client's key for POST requests. Only its SHA-256 is stored; the key is shown once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="open311_keys",
                                     verbose_name=_("організація, що видала ключ"))
    name = models.CharField(_("клієнт"), max_length=200, help_text=_("Напр. «Мобільний застосунок міста»."))
    key_id = models.CharField(_("ідентифікатор"), max_length=20, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    revoked_at = models.DateTimeField(_("відкликано"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("востаннє використано"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-ключ Open311")
        verbose_name_plural = _("API-ключі Open311")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ServiceRequest(BaseModel):
    """A request posted by a client: the appeal it became plus what GeoReport v2 shows publicly.

    ``number`` is the public ``service_request_id``; the appeal's tracking code stays secret (it opens the
    citizen's tracking page). Names, e-mail and phone go to the appeal only (personal data).
    """

    number = models.PositiveBigIntegerField(_("номер запиту"), unique=True)
    token = models.CharField(_("токен"), max_length=40, unique=True)
    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="open311_request",
                                  verbose_name=_("звернення"))
    service = models.ForeignKey(Open311Service, on_delete=models.PROTECT, related_name="requests",
                                verbose_name=_("послуга"))
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="requests",
                                verbose_name=_("API-ключ"))
    description = models.TextField(_("опис"), blank=True)
    lat = models.DecimalField(_("широта"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("довгота"), max_digits=10, decimal_places=6, null=True, blank=True)
    address_string = models.CharField(_("адреса або опис місця"), max_length=500, blank=True)
    address_id = models.CharField(_("ідентифікатор адреси"), max_length=100, blank=True)
    media_url = models.URLField(_("посилання на фото"), max_length=1000, blank=True)
    attributes = models.JSONField(_("атрибути"), default=dict, blank=True)
    device_id = models.CharField(_("пристрій"), max_length=255, blank=True)
    account_id = models.CharField(_("обліковий запис у клієнта"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("запит Open311")
        verbose_name_plural = _("запити Open311")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def location_text(self) -> str:
        """The location as one line for people: the address, the address id, the coordinates."""
        parts = [self.address_string]
        if self.address_id:
            parts.append(f"ID {self.address_id}")
        if self.lat is not None and self.long is not None:
            parts.append(f"{self.lat}, {self.long}")
        return "; ".join(p for p in parts if p)
