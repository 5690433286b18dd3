"""Citizens' appeals (звернення громадян): the appeal with its applicant, co-signers, attachments,
public timeline, and the Classifier 858 subject/issue reference data (docs/legal.md §3).

An appeal is submitted (online, not yet registered) or registered directly by an officer; registration
creates its card (``registry.Document``) in the organisation's appeals journal. Applicants' details
are personal data (Law 2297-VI): only appeals-handling roles see them, every read is audited
(``appeals.selectors``). Every change goes through ``appeals.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel, Blob
from ratusha.orgs.models import Organisation
from ratusha.registry.models import Document

from .constants import (
    AnswerChannel,
    AppealSign,
    AppealStatus,
    AppealSubject,
    AppealType,
    Medium,
    NotConsideredGround,
    Outcome,
    ReceiptForm,
    Sex,
    SocialStatus,
    TermKind,
)

USER = settings.AUTH_USER_MODEL


class ClassifierVersion(BaseModel):
    """One load of the subject/issue codes (CSV by an administrator); the newest active one is used."""

    number = models.PositiveIntegerField(_("версія"), unique=True)
    source_name = models.CharField(_("файл"), max_length=255, blank=True)
    note = models.CharField(_("примітка"), max_length=300, blank=True)
    loaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("чинна"), default=True)

    class Meta:
        verbose_name = _("версія класифікатора питань")
        verbose_name_plural = _("версії класифікатора питань")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}"


class ClassifierTopic(BaseModel):
    """A subject (тематика) or issue (питання) code of Classifier 858, e.g. «010.001»."""

    version = models.ForeignKey(ClassifierVersion, on_delete=models.PROTECT, related_name="topics")
    code = models.CharField(_("код"), max_length=20)
    title = models.CharField(_("назва"), max_length=500)
    parent_code = models.CharField(_("код розділу"), max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(_("рівень"), default=1)

    class Meta:
        verbose_name = _("питання класифікатора")
        verbose_name_plural = _("питання класифікатора")
        ordering = ["version", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="topic_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Appeal(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="appeals",
                                     verbose_name=_("орган"))
    document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="appeal", verbose_name=_("реєстраційна картка"))
    status = models.CharField(_("стан"), max_length=16, choices=AppealStatus.choices,
                              default=AppealStatus.SUBMITTED, db_index=True)
    tracking_code = models.CharField(_("код відстеження"), max_length=24, unique=True)
    # receipt
    received_at = models.DateTimeField(_("надійшло"))
    received_date = models.DateField(_("дата надходження"), db_index=True)
    receipt_form = models.CharField(_("форма надходження"), max_length=16, choices=ReceiptForm.choices)
    medium = models.CharField(_("тип за носієм"), max_length=12, choices=Medium.choices)
    appeal_type = models.CharField(_("вид звернення"), max_length=12, choices=AppealType.choices,
                                   default=AppealType.APPLICATION)
    subject = models.CharField(_("суб'єкт звернення"), max_length=12, choices=AppealSubject.choices,
                               default=AppealSubject.INDIVIDUAL)
    sign = models.CharField(_("ознака надходження"), max_length=12, choices=AppealSign.choices,
                            default=AppealSign.PRIMARY)
    sign_suggested = models.CharField(_("запропонована ознака"), max_length=12, choices=AppealSign.choices,
                                      blank=True)
    sign_related = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("пов'язане звернення"))
    # Who confirmed or overrode the suggested sign, and when (appeal_sign_set; empty = not decided yet).
    sign_set_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sign_set_at = models.DateTimeField(_("ознаку встановлено"), null=True, blank=True)
    is_signed = models.BooleanField(_("підписане"), default=True)  # Instruction 348: unsigned → «БП»
    # applicant (personal data)
    last_name = models.CharField(_("прізвище"), max_length=150, blank=True)
    first_name = models.CharField(_("ім'я"), max_length=150, blank=True)
    middle_name = models.CharField(_("по батькові"), max_length=150, blank=True)
    address = models.CharField(_("місце проживання"), max_length=500, blank=True)
    settlement = models.CharField(_("населений пункт"), max_length=200, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    sex = models.CharField(_("стать"), max_length=1, choices=Sex.choices, blank=True)
    social_status = models.CharField(_("соціальний стан"), max_length=16, choices=SocialStatus.choices,
                                     blank=True)
    categories = models.JSONField(_("категорії заявника"), default=list, blank=True)
    applicant_key = models.CharField(max_length=64, blank=True, db_index=True)  # normalised name+contact
    consent_at = models.DateTimeField(_("ознайомлено з повідомленням про персональні дані"), null=True,
                                      blank=True)
    # substance
    text = models.TextField(_("зміст звернення"))
    topic = models.ForeignKey(ClassifierTopic, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="appeals", verbose_name=_("питання (класифікатор)"))
    priority = models.BooleanField(_("пріоритетне"), default=False, db_index=True)
    # terms (Law 393/96-ВР art. 20; clocks in ratusha.calendar)
    term_kind = models.CharField(_("строк"), max_length=16, choices=TermKind.choices, default=TermKind.MONTH)
    deadline = models.DateField(_("термін розгляду"), null=True, blank=True, db_index=True)
    extended_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    extension_reason = models.TextField(_("підстава продовження"), blank=True)
    # outcome
    outcome = models.CharField(_("результат розгляду"), max_length=16, choices=Outcome.choices, blank=True)
    not_considered_ground = models.CharField(_("підстава (ст. 8)"), max_length=16,
                                             choices=NotConsideredGround.choices, blank=True)
    outcome_note = models.TextField(_("пояснення"), blank=True)
    forwarded_to = models.CharField(_("надіслано до"), max_length=300, blank=True)
    answer_channel = models.CharField(_("спосіб надсилання відповіді"), max_length=12,
                                      choices=AnswerChannel.choices, blank=True)
    answer_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("відповідь"))
    answered_at = models.DateTimeField(_("відповідь надіслано"), null=True, blank=True)
    # When the legal outcome was recorded: answered, returned (art. 5), forwarded (art. 7), not considered
    # (art. 8) — compared with ``deadline`` for «on time» in reports.
    decided_at = models.DateTimeField(_("рішення ухвалено"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("закрито"), null=True, blank=True)
    registered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("звернення громадянина")
        verbose_name_plural = _("звернення громадян")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "deadline"], name="appeal_org_status_idx"),
            models.Index(fields=["organisation", "-received_date"], name="appeal_org_date_idx"),
        ]

    def __str__(self) -> str:
        return self.document.reg_index if self.document_id else self.tracking_code

    @property
    def is_collective(self) -> bool:
        return self.subject == AppealSubject.COLLECTIVE

    @property
    def applicant_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class AppealCosigner(BaseModel):
    """A co-signer of a collective appeal («КО»)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="cosigners")
    full_name = models.CharField(_("прізвище, ім'я, по батькові"), max_length=300)
    address = models.CharField(_("місце проживання"), max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]


class AppealAttachment(BaseModel):
    """A file the applicant attached (stored before registration; copied to the card on registering)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("назва файлу"), max_length=255)

    class Meta:
        ordering = ["created_at"]


class AppealEvent(BaseModel):
    """The appeal's public timeline: what the applicant sees on the tracking page and gets by e-mail."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("стан"), max_length=16, choices=AppealStatus.choices)
    message = models.TextField(_("повідомлення заявникові"), blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
