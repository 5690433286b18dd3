"""Keys, certificates, the trust list, the installation's own CA and the signatures kept with documents.

Private keys are never stored in the clear: a holder's key lives in a PKCS#12 encrypted with their
passphrase (which is never stored); the installation CA's and TSA's keys are encrypted with the secret
``settings.SIGNATURES_KEY`` (generated in the data dir like ``AUDIT_KEY``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel, Blob
from ratusha.orgs.models import Organisation
from ratusha.signatures.constants import CredentialKind, CredentialSource, CredentialStatus, RecordKind

USER = settings.AUTH_USER_MODEL


class InstallationCA(BaseModel):
    """The installation's own CA for internal signatures, with its timestamping (TSA) key."""

    name = models.CharField(_("назва"), max_length=200)
    organisation_name = models.CharField(_("організація"), max_length=300)
    certificate_der = models.BinaryField(_("сертифікат"))
    key_encrypted = models.BinaryField(_("зашифрований ключ"))
    tsa_certificate_der = models.BinaryField(_("сертифікат TSA"))
    tsa_key_encrypted = models.BinaryField(_("зашифрований ключ TSA"))
    fingerprint = models.CharField(_("відбиток SHA-256"), max_length=64, unique=True)
    not_after = models.DateTimeField(_("діє до"))
    is_active = models.BooleanField(_("діє"), default=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("центр сертифікації установи")
        verbose_name_plural = _("центри сертифікації установи")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class TrustedCA(BaseModel):
    """One entry of the trust list: a CA certificate whose signatures the installation accepts."""

    name = models.CharField(_("назва"), max_length=300)
    certificate_der = models.BinaryField(_("сертифікат"))
    subject = models.CharField(_("суб'єкт"), max_length=500)
    fingerprint = models.CharField(_("відбиток SHA-256"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("діє з"))
    not_after = models.DateTimeField(_("діє до"))
    is_active = models.BooleanField(_("у списку довіри"), default=True)
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("додав"))
    removed_at = models.DateTimeField(_("вилучено"), null=True, blank=True)

    class Meta:
        verbose_name = _("довірений центр сертифікації")
        verbose_name_plural = _("список довірених центрів сертифікації")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SigningCredential(BaseModel):
    """A signing key with its certificate: a person's own, or an organisation's seal."""

    kind = models.CharField(_("вид"), max_length=10, choices=CredentialKind.choices, default=CredentialKind.PERSONAL)
    source = models.CharField(_("походження"), max_length=14, choices=CredentialSource.choices)
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials",
                              verbose_name=_("власник"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="seals", verbose_name=_("організація (печатка)"))
    seal_users = models.ManyToManyField(USER, blank=True, related_name="usable_seals",
                                        verbose_name=_("хто може накладати печатку"))
    installation_ca = models.ForeignKey(InstallationCA, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="issued")
    certificate_der = models.BinaryField(_("сертифікат"))
    pkcs12_encrypted = models.BinaryField(_("PKCS#12, зашифрований паролем власника"))
    subject_name = models.CharField(_("власник сертифіката"), max_length=300)
    subject_organisation = models.CharField(_("організація в сертифікаті"), max_length=300, blank=True)
    subject_title = models.CharField(_("посада в сертифікаті"), max_length=200, blank=True)
    serial = models.CharField(_("серійний номер"), max_length=80, db_index=True)
    issuer_name = models.CharField(_("видавець"), max_length=500)
    fingerprint = models.CharField(_("відбиток SHA-256"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("діє з"))
    not_after = models.DateTimeField(_("діє до"))
    status = models.CharField(_("стан"), max_length=10, choices=CredentialStatus.choices,
                              default=CredentialStatus.ACTIVE, db_index=True)
    revoked_at = models.DateTimeField(_("відкликано"), null=True, blank=True)
    revoke_reason = models.CharField(_("причина відкликання"), max_length=30, blank=True)
    revoke_comment = models.CharField(_("коментар до відкликання"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("ключ підпису")
        verbose_name_plural = _("ключі підпису")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="personal", owner__isnull=False)
                           | models.Q(kind="seal", organisation__isnull=False)),
                name="signatures_credential_holder"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.serial})"


class SignatureRecord(BaseModel):
    """A signature kept with a registry document: the signed PDF (PAdES) or a detached .p7s (CAdES)."""

    kind = models.CharField(_("вид підпису"), max_length=8, choices=RecordKind.choices)
    document = models.ForeignKey("registry.Document", on_delete=models.PROTECT, related_name="signature_records")
    document_file = models.ForeignKey("registry.DocumentFile", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="signature_records")
    credential = models.ForeignKey(SigningCredential, on_delete=models.PROTECT, related_name="records")
    signer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("підписав"))
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+",
                             help_text=_("Підписаний PDF або файл підпису .p7s"))
    content_blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     help_text=_("Підписаний вміст (для CAdES)"))
    name = models.CharField(_("назва файлу"), max_length=255)
    level = models.CharField(_("рівень"), max_length=8)
    signed_at = models.DateTimeField(_("час підписання"))
    code = models.CharField(_("код перевірки"), max_length=16, unique=True)
    approval_signature = models.ForeignKey("approvals.Signature", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("електронний підпис документа")
        verbose_name_plural = _("електронні підписи документів")
        ordering = ["signed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"
