"""The approvals sign step as a PAdES signature (setting ``APPROVALS_SIGNATURE_STRATEGY``).

Readiness: the signer has an active personal key. Confirmation: the passphrase unlocks the key (a wrong
one is counted with the approvals' failure lock), the draft's current version (or its PDF rendition) is
signed with PAdES at ``settings.SIGNATURES_LEVEL`` with the visible stamp and QR code — by ``sign_pdf``,
which the approvals service calls once the registration number is taken, with the final rendition of a
template draft (number, date, signer; the stamp in the area its layout keeps) — and the signed PDF is
registered. ``after_registration`` then keeps the
``SignatureRecord`` with the new card, inside the registration's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusha.core.errors import ApplicationError
from ratusha.core.storage import blob_put
from ratusha.workflow.approvals.signing import (
    SignatureResult,
    SignLockedError,
    _locked_message,
    sign_failure_record,
    sign_is_locked,
)

METHOD_PADES = "pades"


class PadesSignature:
    method = METHOD_PADES
    credential_name = "passphrase"

    def credential_field(self) -> forms.Field:
        return forms.CharField(
            label=gettext_lazy("Пароль до вашого ключа підпису"), max_length=200, strip=False,
            help_text=gettext_lazy("Вводячи пароль, ви підписуєте саме цю версію документа електронним підписом."),
            error_messages={"required": gettext_lazy("Введіть пароль до ключа підпису.")},
            widget=forms.PasswordInput(attrs={"autocomplete": "off"}))

    def readiness(self, signer: Any) -> str:
        from ratusha.signatures.selectors import active_personal_credential

        if active_personal_credential(signer) is None:
            return _("Щоб підписувати документи, потрібен чинний ключ електронного підпису. Отримайте або додайте "
                     "його на сторінці «Мої ключі».")
        return ""

    def confirm(self, *, signer: Any, draft: Any, version: Any, credentials: Mapping[str, str]) -> SignatureResult:
        from ratusha.signatures.selectors import active_personal_credential
        from ratusha.signatures.services._common import engine
        from ratusha.signatures.services.credentials import credential_unlock
        from ratusha.signatures.services.records import (
            PDF_MIME,
            new_code,
            pades_bytes,
            pdf_bytes_of_version,
            signing_level,
        )

        credential = active_personal_credential(signer)
        if credential is None:
            raise ApplicationError(self.readiness(signer), code="no_credential", field="passphrase")
        if sign_is_locked(signer):
            raise SignLockedError(_locked_message(), field="passphrase")
        try:
            key = credential_unlock(credential=credential, passphrase=str(credentials.get("passphrase") or ""))
        except ApplicationError as exc:
            if exc.code == "wrong_passphrase" and sign_failure_record(user=signer, draft=draft):
                raise SignLockedError(_locked_message(), field="passphrase") from exc
            raise
        from ratusha.workflow.approvals.models import SignFailure

        SignFailure.objects.filter(user=signer).delete()
        code, signed_at, level = new_code(), timezone.now(), signing_level()

        def sign_pdf(pdf: bytes | None, placement: Any) -> Any:
            """Called by the signing service once the number is taken (inside its transaction)."""
            source = pdf if pdf is not None else pdf_bytes_of_version(version, draft)
            where = engine().Placement(page=placement.page, box=tuple(placement.box)) if placement else None
            signed = pades_bytes(pdf=source, key=key, credential=credential, signer=signer, code=code,
                                 signed_at=signed_at, level=level, placement=where)
            return blob_put(signed, mime=PDF_MIME)

        name = version.name if version.name.lower().endswith(".pdf") else f"{version.name.rsplit('.', 1)[0]}.pdf"
        return SignatureResult(method=self.method, signed_name=name, sign_pdf=sign_pdf, details={
            "credential": str(credential.pk), "serial": credential.serial, "issuer": credential.issuer_name,
            "level": str(level), "code": code, "signed_at": signed_at.isoformat()})

    def after_registration(self, *, signature: Any, document: Any) -> None:
        from ratusha.signatures.services.records import record_for_approval

        record_for_approval(signature=signature, document=document)
