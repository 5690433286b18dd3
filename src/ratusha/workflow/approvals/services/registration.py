"""Registration of a signed draft: the internal path of the signing transaction.

``registry.services.document_register`` requires a registrar (діловод) as the actor. A signed draft
is registered by the system at the moment of signing — the signer usually is a head, not a registrar
— so this path skips the registrar check and nothing else: the same gapless numbering under the
journal's counter lock (``next_number``), the same index template, the same card fields, the file
stored as the card's first file, the same ``document.register`` audit event (with ``via`` and the
draft/signature ids), the same re-indexing. ``registered_by`` is the signer (the act that caused the
registration); ``signed_by`` names them as on the paper document.

LEGAL.md §6: a document is registered once, in the organisation that creates it — the journal is
the draft's organisation's own (checked at creation and again here).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.registry.constants import AccessMark, DocumentStatus
from ratusha.registry.models import Document, DocumentAccessGrant, Journal
from ratusha.registry.services._common import queue_index
from ratusha.registry.services.files import create_file, file_params
from ratusha.registry.services.numbering import document_reg_index, next_number
from ratusha.workflow.approvals.models import Draft, Route, Signature

CLOSED_ACCESS = (AccessMark.RESTRICTED, AccessMark.PERSONAL)


def signed_by_text(*, signer: Any, on_behalf_of: Any) -> str:
    if on_behalf_of is not None and on_behalf_of.pk != signer.pk:
        return (_("%(signer)s (в. о. %(principal)s)") % {"signer": signer.short_name,
                                                         "principal": on_behalf_of.short_name})[:200]
    return signer.short_name[:200]


def register_signed_draft(*, draft: Draft, route: Route, signature: Signature, signer: Any) -> Document:
    """Number and create the card. Runs inside the signing transaction (draft and route locked)."""
    journal = Journal.objects.get(pk=draft.journal_id)
    if journal.organisation_id != draft.organisation_id:
        raise ApplicationError(_("Журнал реєстрації належить іншій організації."), code="wrong_organisation")
    if not journal.is_active:
        raise ApplicationError(_("Журнал «%(name)s» закрито для реєстрації: зверніться до діловода, щоб його "
                                 "відкрили, і підпишіть ще раз.") % {"name": journal.name},
                               code="journal_closed")
    now = timezone.now()
    reg_date = timezone.localdate()
    seq = next_number(journal=journal, year=reg_date.year)
    doc = Document.objects.create(
        organisation_id=draft.organisation_id, journal=journal, year=reg_date.year, seq=seq,
        reg_index=document_reg_index(journal=journal, seq=seq, year=reg_date.year, case_file=None,
                                     unit=draft.unit),
        reg_date=reg_date, registered_at=now, registered_by=signer, kind=draft.kind,
        status=DocumentStatus.REGISTERED, summary=draft.summary, correspondent=draft.addressee,
        signed_by=signed_by_text(signer=signer, on_behalf_of=signature.on_behalf_of), unit=draft.unit,
        access=draft.access)
    version = signature.version
    blob = signature.signed_blob or version.blob
    name = signature.details.get("signed_name") or version.name
    comment = _("Версія %(n)s проєкту, SHA-256 %(sha)s…") % {"n": version.number, "sha": version.blob_id[:12]}
    file = create_file(actor=signer, document=doc, blob=blob, name=name, comment=comment[:300])
    if draft.access in CLOSED_ACCESS:
        # The author and everyone on the route keep access to the card they prepared and visaed.
        people = {draft.author_id, *route.tasks.values_list("approver_id", flat=True)} - {signer.pk}
        DocumentAccessGrant.objects.bulk_create([
            DocumentAccessGrant(document=doc, user_id=user_id, granted_by=signer) for user_id in people])
    audit_log(actor=signer, action="document.register", obj=doc, params={
        "journal": str(journal.pk), "year": reg_date.year, "seq": seq, "reg_index": doc.reg_index,
        "reg_date": reg_date, "kind": doc.kind, "access": doc.access, "files": [file_params(file)],
        "links": [], "duplicate_of": None, "via": "approvals", "draft": str(draft.pk),
        "signature": str(signature.pk), "sha256": signature.sha256})
    queue_index(doc.pk)
    return doc
