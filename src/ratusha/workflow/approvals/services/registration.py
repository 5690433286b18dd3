"""Registration of a signed draft, inside the signing transaction.

``registry.services.document_register_signed`` does the registration itself (the same numbering, card,
audit event and indexing as ``document_register``, without the registrar role: the signature is the
authority). Here: the draft's journal is checked, the final (or signed) version becomes the card's
file, and on closed documents the author and the route's approvers keep access to the card. A draft
that answers a card (``Draft.answer_to``) gives the new document the link «Відповідь на» to it.

LEGAL.md §6: a document is registered once, in the organisation that creates it — the journal is
the draft's organisation's own (checked at creation and again here).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ratusha.core.errors import ApplicationError
from ratusha.registry.constants import AccessMark, LinkKind
from ratusha.registry.models import Document, DocumentAccessGrant, Journal
from ratusha.registry.services import StagedFile
from ratusha.registry.services.documents import document_register_signed
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
    version = signature.version
    blob = signature.signed_blob or version.blob
    comment = _("Версія %(n)s проєкту, SHA-256 %(sha)s…") % {"n": version.number, "sha": version.blob_id[:12]}
    doc = document_register_signed(
        signer=signer, journal=journal, kind=draft.kind, summary=draft.summary, correspondent=draft.addressee,
        signed_by=signed_by_text(signer=signer, on_behalf_of=signature.on_behalf_of), unit=draft.unit,
        access=draft.access,
        files=[StagedFile(sha256=blob.pk, name=signature.details.get("signed_name") or version.name,
                          mime=blob.mime, size=blob.size, comment=comment[:300])],
        audit_extra={"via": "approvals", "draft": str(draft.pk), "signature": str(signature.pk),
                     "sha256": signature.sha256},
        links=[(LinkKind.ANSWER_TO, draft.answer_to)] if draft.answer_to_id else ())
    if doc.access in CLOSED_ACCESS:  # asked for, or an answer to an appeal (always PERSONAL)
        # The author and everyone on the route keep access to the card they prepared and visaed.
        people = {draft.author_id, *route.tasks.values_list("approver_id", flat=True)} - {signer.pk}
        DocumentAccessGrant.objects.bulk_create([
            DocumentAccessGrant(document=doc, user_id=user_id, granted_by=signer) for user_id in people])
    return doc
