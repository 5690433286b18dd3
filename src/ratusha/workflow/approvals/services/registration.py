"""Registration of a signed draft, inside the signing transaction.

``registry.services.document_register_signed`` does the registration itself (the same numbering, card,
audit event and indexing as ``document_register``, without the registrar role: the signature is the
authority). Here: the draft's journal is checked, the final (or signed) version becomes the card's
file, and on closed documents the author and the route's approvers keep access to the card. A draft
that answers a card (``Draft.answer_to``) gives the new document the link «Відповідь на» to it.

The registered file is made under the journal's numbering lock, once the number is known
(``final_file``): a draft made from a template is rendered again from the same template inputs the
approved version was rendered from, with the registration index and date and the signer, and the area
its layout keeps for the stamp (``registry.generation.final``); the signature strategy's ``sign_pdf``
signs that (or the draft's own PDF). The approved version stays in the draft's history, bound to the
visas by its SHA-256; ``document.final_rendition`` on the card records what the final PDF came from.

docs/legal.md §6: a document is registered once, in the organisation that creates it — the journal is
the draft's organisation's own (checked at creation and again here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ratusha.core.errors import ApplicationError
from ratusha.core.storage import blob_put
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


@dataclass
class FinalFile:
    """What ``final_file`` made: the registered blob and name, and the rendition's provenance (or None)."""

    blob: Any = None
    name: str = ""
    provenance: dict[str, Any] | None = None
    signed: bool = False


def _pdf_name(name: str) -> str:
    return name if name.lower().endswith(".pdf") else f"{name.rsplit('.', 1)[0]}.pdf"


def final_file(*, draft: Draft, signature: Signature, signer: Any, result: Any, reg_index: str,
               reg_date: dt.date, made: FinalFile) -> StagedFile:
    """The file the card is registered with (called under the numbering lock, the number known)."""
    from ratusha.registry.generation.final import final_rendition

    version = signature.version
    rendition = final_rendition(draft, reg_index=reg_index, reg_date=reg_date, signer=signer,
                                on_behalf_of=signature.on_behalf_of)
    sign_pdf = getattr(result, "sign_pdf", None)
    if sign_pdf is not None:
        blob = sign_pdf(rendition.pdf if rendition else None, rendition.stamp if rendition else None)
        made.signed = True
        name = rendition.name if rendition else (result.signed_name or _pdf_name(version.name))
    elif rendition is not None:  # a confirmation without signed bytes: the final rendition, as rendered
        blob = blob_put(rendition.pdf, mime="application/pdf")
        name = rendition.name
    else:
        blob = signature.signed_blob or version.blob
        name = signature.details.get("signed_name") or version.name
    made.blob, made.name = blob, name
    made.provenance = dict(rendition.provenance, final_sha256=blob.pk) if rendition else None
    if rendition is not None:
        comment = _("Остаточна редакція з реєстраційним номером: з версії %(n)s проєкту (SHA-256 %(sha)s…) "
                    "і тих самих даних шаблону") % {"n": version.number, "sha": version.blob_id[:12]}
    else:
        comment = _("Версія %(n)s проєкту, SHA-256 %(sha)s…") % {"n": version.number, "sha": version.blob_id[:12]}
    return StagedFile(sha256=blob.pk, name=name, mime=blob.mime, size=blob.size, comment=comment[:300])


def register_signed_draft(*, draft: Draft, route: Route, signature: Signature, signer: Any,
                          result: Any = None, made: FinalFile | None = None) -> Document:
    """Number and create the card. Runs inside the signing transaction (draft and route locked).

    ``result`` is the signature strategy's ``SignatureResult``; ``made`` receives what was registered."""
    journal = Journal.objects.get(pk=draft.journal_id)
    if journal.organisation_id != draft.organisation_id:
        raise ApplicationError(_("Журнал реєстрації належить іншій організації."), code="wrong_organisation")
    if not journal.is_active:
        raise ApplicationError(_("Журнал «%(name)s» закрито для реєстрації: зверніться до діловода, щоб його "
                                 "відкрили, і підпишіть ще раз.") % {"name": journal.name},
                               code="journal_closed")
    made = made if made is not None else FinalFile()

    def files_after_number(reg_index: str, reg_date: dt.date) -> list[StagedFile]:
        return [final_file(draft=draft, signature=signature, signer=signer, result=result, reg_index=reg_index,
                           reg_date=reg_date, made=made)]

    doc = document_register_signed(
        signer=signer, journal=journal, kind=draft.kind, summary=draft.summary, correspondent=draft.addressee,
        signed_by=signed_by_text(signer=signer, on_behalf_of=signature.on_behalf_of), unit=draft.unit,
        access=draft.access, files_after_number=files_after_number,
        audit_extra={"via": "approvals", "draft": str(draft.pk), "signature": str(signature.pk),
                     "sha256": signature.sha256},
        links=[(LinkKind.ANSWER_TO, draft.answer_to)] if draft.answer_to_id else ())
    if doc.access in CLOSED_ACCESS:  # asked for, or an answer to an appeal (always PERSONAL)
        # The author and everyone on the route keep access to the card they prepared and visaed.
        people = {draft.author_id, *route.tasks.values_list("approver_id", flat=True)} - {signer.pk}
        DocumentAccessGrant.objects.bulk_create([
            DocumentAccessGrant(document=doc, user_id=user_id, granted_by=signer) for user_id in people])
    return doc
