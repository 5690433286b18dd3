"""The final rendition of a draft made from a template: what is signed and registered.

The approvers saw and visaed the draft's PDF (unregistered: blank number and date). At the final signature
the signing service takes the registration number and asks for this rendition: the same template and the
same stored inputs (``generated_inputs``) the approved PDF was rendered from, plus the registration index
and date, the signer who actually signs, and the area kept free for the visible e-signature stamp
(DSTU 4163:2020 п. 5.11, 5.12: registration date and index; п. 5.23: signature — position, name).

It is offered only while the draft's current version IS the generated PDF: a version uploaded by hand
afterwards may say something else than the stored inputs, so such a draft is signed as uploaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from ratusha.registry.generation.context import context_from_draft, position_of, signature_name
from ratusha.registry.generation.render import DOCUMENT_LANGUAGE, StampPlacement, file_stem, render_pdf_placed


@dataclass(frozen=True)
class FinalRendition:
    pdf: bytes
    name: str
    stamp: StampPlacement | None
    provenance: dict[str, Any]  # what it was rendered from, for the audit log and the card's history


def acting_position(position: str) -> str:
    """«В. о. міського голови» for a deputy signing for the head (lower-cased first letter of the position)."""
    if not position:
        return ""
    with translation.override(DOCUMENT_LANGUAGE):
        return _("В. о. %(position)s") % {"position": position[:1].lower() + position[1:]}


def final_rendition(
    draft: Any, *, reg_index: str, reg_date: dt.date, signer: Any, on_behalf_of: Any = None
) -> FinalRendition | None:
    """The registered, signed form of a template draft, or None when it was not rendered from one."""
    from ratusha.registry.generation.selectors import generated_for_draft, generated_inputs

    generated = generated_for_draft(draft=draft) or {}
    version = draft.current_version
    if (
        not generated.get("inputs_sha256")
        or version is None
        or generated.get("pdf_sha256") != version.blob_id
    ):
        return None
    inputs = generated_inputs(draft=draft)
    if not inputs.get("paragraphs"):  # the stored inputs are unreadable: sign what was approved, as it is
        return None
    organisation_id = draft.organisation_id
    principal = on_behalf_of if on_behalf_of is not None and on_behalf_of.pk != signer.pk else None
    position = position_of(principal or signer, organisation_id)
    if not position and principal is None and inputs.get("signer_name") == signature_name(signer):
        position = str(inputs.get("signer_position") or "")  # the position the author typed for this signer
    context = replace(
        context_from_draft(draft),
        reg_index=reg_index,
        reg_date=reg_date,
        stamp_area=True,
        heading=" ".join(str(inputs.get("heading") or draft.summary).split()),
        signer_position=acting_position(position) if principal is not None else position,
        signer_name=signature_name(signer),
    )
    placed = render_pdf_placed(context)
    return FinalRendition(
        pdf=placed.pdf,
        name=f"{file_stem(context)}.pdf",
        stamp=placed.stamp,
        provenance={
            "template": generated.get("template", context.kind),
            "inputs_sha256": generated["inputs_sha256"],
            "approved_version": version.number,
            "approved_sha256": version.blob_id,
            "reg_index": reg_index,
            "reg_date": reg_date.isoformat(),
            "signer_position": context.signer_position,
            "signer_name": context.signer_name,
            "stamp": {"page": placed.stamp.page, "box": list(placed.stamp.box)} if placed.stamp else None,
        },
    )
