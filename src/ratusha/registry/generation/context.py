"""What a template is filled with (``DocumentContext``) and how it is built from a card or a draft.

The builders read; they never write and check no access: callers pass objects they obtained through
the selectors (``registry.selectors.document_get``, ``approvals.selectors.draft_get``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from ratusha.orgs.constants import OrgKind
from ratusha.registry.generation.constants import (
    ADDRESSED_KINDS,
    BLANK_DATE,
    BLANK_INDEX,
    BLANK_KINDS,
    DOCX_MIME,
    KIND_TITLES,
    STAMP_AREA_ID,
    TemplateKind,
    template_kind_for,
)

TEXT_LIMIT = 200_000  # characters of text taken from a version file


@dataclass(frozen=True)
class Requisites:
    """The organisation's requisites printed on the blank (DSTU 4163:2020 п. 5.4–5.8)."""

    name: str
    address: str = ""
    edrpou: str = ""
    phone: str = ""
    email: str = ""
    subordinate_to: str = ""  # the body it belongs to, printed above its name (п. 5.4)

    @property
    def details_line(self) -> str:
        """«адреса, тел. …, e-mail: …» — the reference data line under the name (п. 5.8)."""
        parts = [self.address]
        if self.phone:
            parts.append(_("тел. %(phone)s") % {"phone": self.phone})
        if self.email:
            parts.append(_("e-mail: %(email)s") % {"email": self.email})
        return ", ".join(p for p in parts if p)

    @property
    def edrpou_line(self) -> str:
        return _("Код ЄДРПОУ %(code)s") % {"code": self.edrpou} if self.edrpou else ""

    @property
    def place(self) -> str:
        """«м. Луцьк» taken from the address (place of issue, п. 5.10), or empty."""
        match = re.search(r"(?:^|[\s,])(м\.|смт|с\.|селище|місто)\s*([^\s,]+(?:[- ][А-ЯІЇЄҐ][^\s,]*)?)",
                          self.address)
        if not match:
            return ""
        prefix = "м." if match.group(1) == "місто" else match.group(1)
        return f"{prefix} {match.group(2)}"


@dataclass(frozen=True)
class DocumentContext:
    """Everything a template prints, in the order of the requisites of DSTU 4163:2020."""

    kind: str
    organisation: Requisites
    heading: str
    paragraphs: tuple[str, ...] = ()
    blank_lines: tuple[str, ...] = ()  # the names printed on the blank, upper case
    unit: str = ""  # the author's unit (memos)
    reg_index: str = ""
    reg_date: dt.date | None = None
    answer_index: str = ""  # «На № … від …» of a letter answering another one
    answer_date: dt.date | None = None
    addressee: tuple[str, ...] = ()
    signer_position: str = ""
    signer_name: str = ""
    executor_name: str = ""
    executor_phone: str = ""
    language: str = "uk"
    stamp_area: bool = False  # keep the area for the visible e-signature stamp (the final, signed rendition)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return str(TemplateKind(self.kind).label)

    @property
    def kind_title(self) -> str:
        return str(KIND_TITLES[TemplateKind(self.kind)])

    @property
    def is_registered(self) -> bool:
        return bool(self.reg_index and self.reg_date)

    @property
    def date_text(self) -> str:
        return self.reg_date.strftime("%d.%m.%Y") if self.reg_date else BLANK_DATE

    @property
    def index_text(self) -> str:
        return self.reg_index or BLANK_INDEX

    @property
    def answer_date_text(self) -> str:
        return self.answer_date.strftime("%d.%m.%Y") if self.answer_date else BLANK_DATE

    @property
    def answer_index_text(self) -> str:
        return self.answer_index or BLANK_INDEX

    @property
    def has_blank(self) -> bool:
        return self.kind in BLANK_KINDS

    @property
    def is_addressed(self) -> bool:
        return self.kind in ADDRESSED_KINDS

    @property
    def title(self) -> str:
        """The PDF's title: «Лист № 01-11/5 від 12.03.2026: Про ремонт …»."""
        head = self.kind_label
        if self.is_registered:
            head += " " + _("№ %(index)s від %(date)s") % {"index": self.reg_index, "date": self.date_text}
        return f"{head}: {self.heading}" if self.heading else head

    def as_template_dict(self) -> dict[str, Any]:
        """Plain values for docxtpl (Jinja) and the HTML templates."""
        org = self.organisation
        return {
            "kind": self.kind, "kind_label": self.kind_label, "kind_title": self.kind_title,
            "has_blank": self.has_blank, "is_addressed": self.is_addressed, "is_registered": self.is_registered,
            "org_name": org.name, "org_name_upper": org.name.upper(), "org_details": org.details_line,
            "org_edrpou": org.edrpou_line, "subordinate_to": org.subordinate_to.upper(), "place": org.place,
            "blank_lines": list(self.blank_lines), "unit": self.unit,
            "date_text": self.date_text, "index_text": self.index_text,
            "answer_date_text": self.answer_date_text, "answer_index_text": self.answer_index_text,
            # a registered letter that answers nothing has no «На № … від …» line (DSTU 4163:2020 п. 5.12)
            "has_answer": bool(self.answer_index or self.answer_date),
            "addressee": list(self.addressee), "heading": self.heading, "paragraphs": list(self.paragraphs),
            "signer_position": self.signer_position, "signer_name": self.signer_name,
            "executor_name": self.executor_name, "executor_phone": self.executor_phone,
            "title": self.title, "language": self.language, "stamp_area": self.stamp_area,
            "stamp_area_id": STAMP_AREA_ID,
        }


# --- helpers -----------------------------------------------------------------------------------


def signature_name(user: Any) -> str:
    """«Ім'я ПРІЗВИЩЕ» — the order DSTU 4163:2020 п. 5.23 wants in the signature and executor lines."""
    if user is None:
        return ""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not (first or last):
        return user.get_username()
    return " ".join(p for p in (first, last.upper()) if p)


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs separated by blank lines (or by single newlines), spaces tidied."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ()
    chunks = re.split(r"\n\s*\n", text) if "\n\n" in text or re.search(r"\n\s+\n", text) else text.split("\n")
    return tuple(" ".join(chunk.split()) for chunk in chunks if chunk.strip())


def split_lines(text: str) -> tuple[str, ...]:
    return tuple(" ".join(line.split()) for line in (text or "").splitlines() if line.strip())


def requisites_of(organisation: Any) -> Requisites:
    parent = organisation.parent if organisation.parent_id else None
    return Requisites(name=organisation.name, address=organisation.address, edrpou=organisation.edrpou,
                      phone=organisation.phone, email=organisation.email,
                      subordinate_to=parent.name if parent is not None else "")


def blank_lines_for(kind: str, organisation: Any) -> tuple[str, ...]:
    """The names on the blank: the council, and its executive committee for its decisions (п. 5.4)."""
    name = organisation.name.upper()
    if kind == TemplateKind.EXECUTIVE_DECISION and organisation.kind == OrgKind.CITY_COUNCIL:
        return (name, _("ВИКОНАВЧИЙ КОМІТЕТ"))
    if kind == TemplateKind.EXECUTIVE_DECISION and organisation.kind == OrgKind.EXECUTIVE_COMMITTEE \
            and organisation.parent_id:
        return (organisation.parent.name.upper(), name)
    return (name,)


def position_of(user: Any, organisation_id: Any) -> str:
    from ratusha.orgs.models import Employee

    if user is None:
        return ""
    employment = (Employee.objects.filter(user=user, organisation_id=organisation_id, is_active=True)
                  .select_related("position", "unit").first())
    if employment is None or employment.position is None:
        return ""
    return employment.position.title


def unit_of(user: Any, organisation_id: Any) -> str:
    from ratusha.orgs.models import Employee

    if user is None:
        return ""
    employment = (Employee.objects.filter(user=user, organisation_id=organisation_id, is_active=True)
                  .select_related("unit").first())
    return employment.unit.name if employment is not None and employment.unit_id else ""


def _phone(user: Any, organisation: Any) -> str:
    return ((getattr(user, "phone", "") or "") if user is not None else "") or organisation.phone


def text_of_blob(blob_id: str, mime: str) -> str:
    """The text of a version file when it is plain text or DOCX; else empty."""
    from ratusha.core.storage import blob_read

    if mime.startswith("text/plain"):
        return blob_read(blob_id).decode("utf-8", errors="replace")[:TEXT_LIMIT]
    if mime == DOCX_MIME:
        import docx

        try:
            document = docx.Document(io.BytesIO(blob_read(blob_id)))
        except Exception:  # noqa: BLE001 - a damaged DOCX gives no text, the rest still renders
            return ""
        return "\n\n".join(p.text for p in document.paragraphs if p.text.strip())[:TEXT_LIMIT]
    return ""


def _route_signer(draft: Any) -> Any:
    from ratusha.workflow.approvals.constants import StepKind
    from ratusha.workflow.approvals.models import RouteTask

    task = (RouteTask.objects.filter(route__draft=draft, kind=StepKind.SIGN).select_related("approver")
            .order_by("-route__round").first())
    return task.approver if task is not None else None


# --- builders ----------------------------------------------------------------------------------


def context_from_draft(draft: Any, *, kind: str | None = None) -> DocumentContext:
    """A draft (approvals ``Draft``): summary as heading, its addressee, author, the signer of its route,
    the text of its current version when that is text (plain or DOCX); registration lines left blank.

    A draft made from a template (``draft_create_from_template``) keeps the values it was rendered from:
    they fill what a PDF version cannot give back (its text, addressee lines, signer, executor)."""
    from ratusha.registry.generation.selectors import generated_for_draft, generated_inputs
    from ratusha.workflow.approvals.models import Signature

    organisation = draft.organisation
    journal_kind = draft.journal.kind if draft.journal_id else ""
    generated = generated_for_draft(draft=draft) or {}
    kind = kind or generated.get("template") or template_kind_for(draft.kind, journal_kind)
    signature = Signature.objects.filter(draft=draft).select_related("signer").first()
    signer = signature.signer if signature is not None else _route_signer(draft)
    text = ""
    version = draft.current_version
    if version is not None:
        text = text_of_blob(version.blob_id, version.blob.mime or "")
    inputs = generated_inputs(draft=draft) if generated else {}
    document = draft.document if draft.document_id else None
    answer = draft.answer_to if draft.answer_to_id else None
    context = DocumentContext(
        kind=kind, organisation=requisites_of(organisation), blank_lines=blank_lines_for(kind, organisation),
        unit=draft.unit.name if draft.unit_id else unit_of(draft.author, organisation.pk),
        heading=" ".join(draft.summary.split()), paragraphs=split_paragraphs(text),
        reg_index=document.reg_index if document is not None else "",
        reg_date=document.reg_date if document is not None else None,
        answer_index=(answer.correspondent_index or answer.reg_index) if answer is not None else "",
        answer_date=(answer.correspondent_date or answer.reg_date) if answer is not None else None,
        addressee=split_lines(draft.addressee),
        signer_position=position_of(signer, organisation.pk), signer_name=signature_name(signer),
        executor_name=signature_name(draft.author), executor_phone=_phone(draft.author, organisation),
    )
    if inputs:
        stored = {
            "paragraphs": tuple(inputs.get("paragraphs") or ()) if not context.paragraphs else context.paragraphs,
            "addressee": tuple(inputs.get("addressee") or ()) or context.addressee,
            "executor_name": inputs.get("executor_name") or context.executor_name,
            "executor_phone": inputs.get("executor_phone") or context.executor_phone,
        }
        if signature is None:  # who actually signed wins over what the form said
            stored["signer_position"] = inputs.get("signer_position") or context.signer_position
            stored["signer_name"] = inputs.get("signer_name") or context.signer_name
        context = replace(context, **stored)
    return context


def context_from_document(document: Any, *, kind: str | None = None) -> DocumentContext:
    """A registration card (РКК): its index and date, correspondent as addressee, summary as heading.

    A card registered from a draft takes the draft's text, author and signer; otherwise the text is
    the extracted text of the card's first text file (if any) and the signer is the card's «Підписав»."""
    from ratusha.registry.constants import LinkKind
    from ratusha.workflow.approvals.models import Draft

    journal_kind = document.journal.kind if document.journal_id else ""
    kind = kind or template_kind_for(document.kind, journal_kind)
    draft = Draft.objects.filter(document=document).select_related(
        "organisation", "journal", "author", "unit", "current_version__blob", "answer_to").first()
    if draft is not None:
        base = context_from_draft(draft, kind=kind)
        return replace(base, reg_index=document.reg_index, reg_date=document.reg_date,
                       heading=" ".join(document.summary.split()),
                       addressee=base.addressee or split_lines(document.correspondent))
    organisation = document.organisation
    addressee = document.correspondent or (document.correspondent_org.name if document.correspondent_org_id else "")
    text = ""
    first_text = (document.files.filter(is_current=True).exclude(text="").order_by("created_at")
                  .values_list("text", flat=True).first())
    if first_text:
        text = first_text[:TEXT_LIMIT]
    answer = (document.links_out.filter(kind=LinkKind.ANSWER_TO).select_related("target").first())
    target = answer.target if answer is not None else None
    executor = document.executor
    return DocumentContext(
        kind=kind, organisation=requisites_of(organisation), blank_lines=blank_lines_for(kind, organisation),
        unit=document.unit.name if document.unit_id else "",
        heading=" ".join(document.summary.split()), paragraphs=split_paragraphs(text),
        reg_index=document.reg_index, reg_date=document.reg_date,
        answer_index=(target.correspondent_index or target.reg_index) if target is not None else "",
        answer_date=(target.correspondent_date or target.reg_date) if target is not None else None,
        addressee=split_lines(addressee), signer_name=document.signed_by,
        executor_name=signature_name(executor), executor_phone=_phone(executor, organisation) if executor else "",
    )
