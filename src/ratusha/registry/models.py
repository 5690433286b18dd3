"""The СЕД core: nomenclature of cases, journals, registration cards (РКК), files, links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel, Blob
from ratusha.orgs.models import Organisation, Unit
from ratusha.registry.constants import (
    AccessMark,
    DeliveryMethod,
    DocumentKind,
    DocumentStatus,
    JournalKind,
    LinkKind,
    Urgency,
)


class CaseFile(BaseModel):
    """A case (справа) in the yearly nomenclature of an organisation (docs/legal.md §6)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="case_files")
    year = models.PositiveSmallIntegerField(_("рік"))
    index = models.CharField(_("індекс справи"), max_length=30, help_text=_("Напр. «02-14»"))
    title = models.CharField(_("заголовок справи"), max_length=500)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="case_files",
                             verbose_name=_("підрозділ"))
    retention = models.CharField(_("строк зберігання"), max_length=40)
    retention_article = models.CharField(_("стаття переліку"), max_length=40, blank=True,
                                         help_text=_("Стаття Переліку типових документів (наказ Мін'юсту № 578/5)"))
    volumes = models.PositiveSmallIntegerField(_("томів"), default=1)
    note = models.CharField(_("примітка"), max_length=300, blank=True)
    opened_on = models.DateField(_("заведено"), null=True, blank=True)
    closed_on = models.DateField(_("закрито"), null=True, blank=True)

    class Meta:
        verbose_name = _("справа номенклатури")
        verbose_name_plural = _("номенклатура справ")
        ordering = ["organisation", "year", "index"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "index"],
                                               name="casefile_index_unique")]

    def __str__(self) -> str:
        return f"{self.index} {self.title}"


class Journal(BaseModel):
    """A registration journal of an organisation, with its index template and yearly numbering."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="journals",
                                     verbose_name=_("організація"))
    kind = models.CharField(_("вид журналу"), max_length=32, choices=JournalKind.choices)
    name = models.CharField(_("назва"), max_length=200)
    prefix = models.CharField(_("префікс / суфікс"), max_length=20, blank=True)
    index_template = models.CharField(_("шаблон індексу"), max_length=60)
    default_case_index = models.CharField(_("індекс справи за замовчуванням"), max_length=30, blank=True)
    is_active = models.BooleanField(_("діє"), default=True)

    class Meta:
        verbose_name = _("журнал реєстрації")
        verbose_name_plural = _("журнали реєстрації")
        ordering = ["organisation", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class JournalCounter(models.Model):
    """Last number used in a journal for a year. Locked while numbering (gapless, docs/legal.md §6)."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["journal", "year"], name="counter_journal_year_unique")]


class Document(BaseModel):
    """The registration-control card (РКК), fields of docs/legal.md §6."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="documents",
                                     verbose_name=_("організація"))
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="documents",
                                verbose_name=_("журнал"))
    year = models.PositiveSmallIntegerField(_("рік"))
    seq = models.PositiveIntegerField(_("порядковий номер"))
    reg_index = models.CharField(_("реєстраційний індекс"), max_length=80, db_index=True)
    reg_date = models.DateField(_("дата реєстрації"), db_index=True)
    registered_at = models.DateTimeField(_("час реєстрації"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("зареєстрував"))
    kind = models.CharField(_("вид документа"), max_length=20, choices=DocumentKind.choices)
    status = models.CharField(_("стан"), max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.REGISTERED, db_index=True)
    summary = models.TextField(_("короткий зміст"))
    # Correspondent (incoming: sender; outgoing: addressee).
    correspondent = models.CharField(_("кореспондент"), max_length=300, blank=True, db_index=True)
    correspondent_org = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("кореспондент (організація системи)"))
    correspondent_index = models.CharField(_("вихідний індекс кореспондента"), max_length=80, blank=True)
    correspondent_date = models.DateField(_("дата документа кореспондента"), null=True, blank=True)
    received_date = models.DateField(_("дата надходження"), null=True, blank=True)
    signed_by = models.CharField(_("підписав"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
                             verbose_name=_("підрозділ"))
    # Resolution and execution (workflow writes the detailed items; the card keeps the summary).
    resolution = models.TextField(_("резолюція"), blank=True)
    resolution_author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("автор резолюції"))
    resolution_date = models.DateField(_("дата резолюції"), null=True, blank=True)
    executor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="documents_to_execute", verbose_name=_("виконавець"))
    urgency = models.CharField(_("терміновість"), max_length=12, choices=Urgency.choices,
                               default=Urgency.NORMAL)
    on_control = models.BooleanField(_("на контролі"), default=False)
    execution_deadline = models.DateField(_("термін виконання"), null=True, blank=True, db_index=True)
    executed_on = models.DateField(_("дата виконання"), null=True, blank=True)
    execution_result = models.TextField(_("відмітка про виконання"), blank=True)
    answer_index = models.CharField(_("індекс документа-відповіді"), max_length=80, blank=True)
    case_file = models.ForeignKey(CaseFile, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="documents", verbose_name=_("справа"))
    pages = models.PositiveIntegerField(_("аркушів"), null=True, blank=True)
    attachments_note = models.CharField(_("додатки"), max_length=300, blank=True)
    access = models.CharField(_("гриф доступу"), max_length=12, choices=AccessMark.choices,
                              default=AccessMark.INTERNAL)
    delivery_method = models.CharField(_("спосіб доставки"), max_length=12, choices=DeliveryMethod.choices,
                                       blank=True)
    note = models.TextField(_("примітка"), blank=True)
    cancelled_at = models.DateTimeField(_("скасовано"), null=True, blank=True)
    cancelled_reason = models.CharField(_("причина скасування"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("можливий дублікат"))

    class Meta:
        verbose_name = _("реєстраційно-контрольна картка")
        verbose_name_plural = _("реєстраційно-контрольні картки")
        ordering = ["-reg_date", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["journal", "year", "seq"], name="document_number_unique"),
        ]
        indexes = [
            # The lists are ordered newest first (-reg_date, -registered_at, -seq, see
            # registry/selectors.py): these indexes give that order without sorting, so a page of 25 is
            # read from the top of an index even in a million-card registry.
            models.Index(fields=["-reg_date", "-registered_at", "-seq"], name="doc_newest_idx"),
            models.Index(fields=["organisation", "-reg_date", "-registered_at", "-seq"], name="doc_org_date_idx"),
            models.Index(fields=["journal", "-reg_date", "-registered_at", "-seq"], name="doc_journal_date_idx"),
            models.Index(fields=["organisation", "correspondent_index", "correspondent_date"],
                         name="doc_dup_idx", condition=~Q(correspondent_index="")),
            models.Index(fields=["executor", "status"], name="doc_executor_idx"),
        ]

    def __str__(self) -> str:
        return f"№ {self.reg_index} від {self.reg_date:%d.%m.%Y}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == DocumentStatus.CANCELLED


class DocumentFile(BaseModel):
    """A file of a card. A new version adds a row with the same ``key``; nothing is overwritten."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="files")
    key = models.UUIDField(_("логічний файл"), db_index=True)
    version = models.PositiveSmallIntegerField(_("версія"), default=1)
    name = models.CharField(_("назва файлу"), max_length=255)
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(_("коментар"), max_length=300, blank=True)
    is_current = models.BooleanField(default=True)
    text = models.TextField(_("текст для пошуку"), blank=True)

    class Meta:
        verbose_name = _("файл документа")
        verbose_name_plural = _("файли документів")
        ordering = ["document", "name", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="file_key_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class DocumentLink(BaseModel):
    source = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links_out")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(_("зв'язок"), max_length=20, choices=LinkKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("зв'язок документів")
        verbose_name_plural = _("зв'язки документів")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="link_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="link_not_self"),
        ]


class DocumentAccessGrant(BaseModel):
    """Explicit access to a restricted card for a user or a whole unit."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(user__isnull=False) | Q(unit__isnull=False),
                                              name="grant_has_subject")]
