"""Registration cards (РКК): register, update, status transitions, cancel, links, access grants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.blobs import staged_uploads_consume
from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.orgs.constants import Role
from ratusha.orgs.permissions import can_register, has_role
from ratusha.registry.constants import (
    APPEAL_ANSWER_ACCESS,
    DOCUMENT_TRANSITIONS,
    AccessMark,
    DeliveryMethod,
    DocumentKind,
    DocumentStatus,
    JournalKind,
    LinkKind,
    Urgency,
)
from ratusha.registry.hooks import run_after_registration
from ratusha.registry.models import Document, DocumentAccessGrant, DocumentLink, Journal
from ratusha.registry.services._common import (
    audit_value,
    normalise_spaces,
    queue_index,
    require_choice,
    require_registrar,
    require_same_org,
    require_staff_of,
    require_text,
)
from ratusha.registry.services.files import create_file, file_params, prepare_files
from ratusha.registry.services.numbering import document_reg_index, next_number
from ratusha.registry.services.uploads import FileInput, StagedFile


class DuplicateRegistrationError(ApplicationError):
    """The same incoming letter is already registered; ``original`` is the first card."""

    code = "duplicate_registration"

    def __init__(self, message: str = "", *, original: Document, **kwargs: Any) -> None:
        message = message or _(
            "Цей документ уже зареєстровано: № %(index)s від %(date)s (той самий кореспондент, "
            "його індекс і дата). Перевірте, чи це не повторна реєстрація.") % {
            "index": original.reg_index, "date": original.reg_date.strftime("%d.%m.%Y")}
        extra = kwargs.pop("extra", None) or {}
        extra.setdefault("original_id", str(original.pk))
        super().__init__(message, extra=extra, **kwargs)
        self.original = original


# Card fields ``document_update`` may change. Never: number, journal, year, dates of registration,
# status (``document_transition``), cancellation (``document_cancel``).
UPDATABLE_FIELDS = frozenset({
    "kind", "summary", "correspondent", "correspondent_org", "correspondent_index", "correspondent_date",
    "received_date", "signed_by", "unit", "executor", "urgency", "on_control", "execution_deadline",
    "case_file", "pages", "attachments_note", "access", "delivery_method", "note", "resolution",
    "resolution_author", "resolution_date", "executed_on", "execution_result", "answer_index",
})
# Extra fields a transition may set, per target status.
TRANSITION_FIELDS = {
    DocumentStatus.EXECUTED: frozenset({"executed_on", "execution_result", "answer_index"}),
    DocumentStatus.CANCELLED: frozenset({"reason"}),
}


def _today() -> dt.date:
    return timezone.localdate()


def _clean_card(values: dict[str, Any], organisation_id: Any, year: int | None) -> dict[str, Any]:
    """Validate and normalise card fields (the subset present in ``values``)."""
    out = dict(values)
    if "summary" in out:
        out["summary"] = require_text(out["summary"], field="summary",
                                      message=_("Вкажіть короткий зміст документа."))
    if "kind" in out:
        out["kind"] = require_choice(out["kind"], DocumentKind, field="kind")
    if "urgency" in out:
        out["urgency"] = require_choice(out["urgency"] or Urgency.NORMAL, Urgency, field="urgency")
    if "access" in out:
        out["access"] = require_choice(out["access"] or AccessMark.INTERNAL, AccessMark, field="access")
    if "delivery_method" in out:
        out["delivery_method"] = require_choice(out["delivery_method"], DeliveryMethod,
                                                field="delivery_method", blank=True)
    for name, limit in (("correspondent", 300), ("correspondent_index", 80), ("signed_by", 200),
                        ("attachments_note", 300), ("answer_index", 80)):
        if name in out:
            out[name] = normalise_spaces(out[name] or "")[:limit]
    for name in ("note", "resolution", "execution_result"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if out.get("correspondent_org") is not None and not out.get("correspondent", "x"):
        org = out["correspondent_org"]
        out["correspondent"] = (org.name or org.short_name)[:300]
    if "pages" in out and out["pages"] is not None:
        try:
            out["pages"] = int(out["pages"])
        except (TypeError, ValueError):
            out["pages"] = -1
        if out["pages"] < 0:
            raise ApplicationError(_("Кількість аркушів має бути невід'ємним цілим числом."),
                                   code="invalid", field="pages")
    if "on_control" in out:
        out["on_control"] = bool(out["on_control"])
    require_same_org(out.get("unit"), organisation_id, field="unit",
                     message=_("Підрозділ належить іншій організації."))
    case_file = out.get("case_file")
    require_same_org(case_file, organisation_id, field="case_file",
                     message=_("Справа належить до номенклатури іншої організації."))
    if case_file is not None and year is not None and case_file.year != year:
        raise ApplicationError(_("Справа «%(index)s» належить до номенклатури %(year)s року.")
                               % {"index": case_file.index, "year": case_file.year},
                               code="wrong_year", field="case_file")
    require_staff_of(out.get("executor"), organisation_id, field="executor")
    return out


def _check_links(actor: Any, links: Iterable[tuple[str, Document]]) -> list[tuple[str, Document]]:
    from ratusha.registry.selectors import documents_visible_to

    checked = []
    for kind, target in links or ():
        kind = require_choice(kind, LinkKind, field="links")
        if not documents_visible_to(actor).filter(pk=target.pk).exists():
            raise ApplicationError(_("Пов'язаний документ не знайдено або він вам недоступний."),
                                   code="link_target", field="links")
        checked.append((kind, target))
    return checked


def is_appeal_card(document: Document) -> bool:
    """The registration card of a citizen's appeal (registered in an appeals journal or as an appeal)."""
    return document.kind == DocumentKind.APPEAL or document.journal.kind == JournalKind.APPEALS


def answers_appeal(links: Iterable[tuple[str, Document]]) -> bool:
    return any(kind == LinkKind.ANSWER_TO and is_appeal_card(target) for kind, target in links)


def make_appeal_answer_personal(*, actor: Any, document: Document, appeal_card: Document | None = None) -> bool:
    """Mark the answer to an appeal PERSONAL (APPEAL_ANSWER_ACCESS) if it is not yet, with an audit event;
    runs inside the caller's transaction. True if the card was changed."""
    if document.access == APPEAL_ANSWER_ACCESS:
        return False
    old = document.access
    Document.objects.filter(pk=document.pk).update(access=APPEAL_ANSWER_ACCESS, updated_at=timezone.now())
    document.access = APPEAL_ANSWER_ACCESS
    audit_log(actor=actor, action="document.update", obj=document, params={
        "changes": {"access": [old, APPEAL_ANSWER_ACCESS]}, "reason": "answer_to_appeal",
        "appeal_document": str(appeal_card.pk) if appeal_card is not None else None})
    queue_index(document.pk)
    return True


def _appeal_answer_links(document: Document) -> bool:
    return answers_appeal((link.kind, link.target) for link in document.links_out.select_related(
        "target__journal").filter(kind=LinkKind.ANSWER_TO))


def document_register(
    *, actor: Any, journal: Journal, kind: str, summary: str, reg_date: dt.date | None = None,
    correspondent: str = "", correspondent_org: Any = None, correspondent_index: str = "",
    correspondent_date: dt.date | None = None, received_date: dt.date | None = None,
    signed_by: str = "", unit: Any = None, executor: Any = None, urgency: str = Urgency.NORMAL,
    on_control: bool = False, execution_deadline: dt.date | None = None, case_file: Any = None,
    pages: int | None = None, attachments_note: str = "", access: str = AccessMark.INTERNAL,
    delivery_method: str = "", note: str = "", files: Iterable[FileInput | StagedFile] = (),
    links: Iterable[tuple[str, Document]] = (), allow_duplicate: bool = False,
    reg_index_format: Callable[[int, str], str] | None = None, audit_extra: dict[str, Any] | None = None,
) -> Document:
    """Register a document: one transaction assigns the next number of the journal's year.

    ``reg_index_format(seq, index)`` may reshape the index built from the journal's template once the
    number is taken (the appeals journal: Instruction 348 «К-125», see ``ratusha.appeals``).
    """
    _require_journal_registrar(actor, journal)
    return _register(actor=actor, journal=journal, reg_date=reg_date, files=files, links=links,
                     allow_duplicate=allow_duplicate, reg_index_format=reg_index_format,
                     audit_extra=audit_extra, card={
                         "kind": kind, "summary": summary, "correspondent": correspondent,
                         "correspondent_org": correspondent_org, "correspondent_index": correspondent_index,
                         "correspondent_date": correspondent_date, "received_date": received_date,
                         "signed_by": signed_by, "unit": unit, "executor": executor, "urgency": urgency,
                         "on_control": on_control, "execution_deadline": execution_deadline,
                         "case_file": case_file, "pages": pages, "attachments_note": attachments_note,
                         "access": access, "delivery_method": delivery_method, "note": note})


def _require_journal_registrar(actor: Any, journal: Journal) -> None:
    # Appeals officers register citizens' appeals in the appeals journal (Instruction CMU No. 348;
    # docs/legal.md §3); every other journal is the registrars' and administrators'.
    if journal.kind == JournalKind.APPEALS and getattr(actor, "is_authenticated", False) \
            and has_role(actor, journal.organisation_id, {Role.RECEPTION}):
        return
    require_registrar(actor, journal.organisation_id)


def document_register_signed(
    *, signer: Any, journal: Journal, kind: str, summary: str, signed_by: str, correspondent: str = "",
    unit: Any = None, access: str = AccessMark.INTERNAL, files: Iterable[FileInput | StagedFile] = (),
    audit_extra: dict[str, Any] | None = None, links: Iterable[tuple[str, Document]] = (),
    files_after_number: Callable[[str, dt.date], Iterable[FileInput | StagedFile]] | None = None,
) -> Document:
    """Register a document at the moment it is signed at the end of its approval route.

    docs/legal.md §6: approvals precede signing, and the document is registered once, in the organisation
    that creates it. The signature is the authority here — the signer (usually a head) needs no
    registrar role; everything else is ``document_register``: the same numbering, card, files, audit
    event (plus ``audit_extra``) and indexing. Runs inside the signing service's transaction.

    ``links`` (e.g. ``(LinkKind.ANSWER_TO, card)``) were checked against the draft author's access when
    the draft was created; the signer need not be able to open the linked card.

    ``files_after_number(reg_index, reg_date)`` gives files that can only be made once the number is
    known (the final rendition of a draft with its number, signed): it is called under the journal's
    numbering lock, after the number is taken; if it raises, the number is rolled back with the rest.
    """
    if not getattr(signer, "is_authenticated", False):
        raise PermissionDeniedError(_("Зареєструвати підписаний документ може лише той, хто його підписав."))
    return _register(actor=signer, journal=journal, reg_date=None, files=files, links=links, allow_duplicate=True,
                     audit_extra=audit_extra, links_checked=True, files_after_number=files_after_number, card={"kind": kind, "summary": summary,
                                                    "correspondent": correspondent, "signed_by": signed_by,
                                                    "unit": unit, "access": access})


def _register(*, actor: Any, journal: Journal, card: dict[str, Any], reg_date: dt.date | None,
              files: Iterable[FileInput | StagedFile], links: Iterable[tuple[str, Document]],
              allow_duplicate: bool, audit_extra: dict[str, Any] | None = None,
              reg_index_format: Callable[[int, str], str] | None = None,
              links_checked: bool = False,
              files_after_number: Callable[[str, dt.date], Iterable[FileInput | StagedFile]] | None = None,
              ) -> Document:
    if not journal.is_active:
        raise ApplicationError(_("Журнал «%(name)s» закрито для реєстрації.") % {"name": journal.name},
                               code="journal_closed", field="journal")
    reg_date = reg_date or _today()
    if reg_date > _today():
        raise ApplicationError(_("Дата реєстрації не може бути пізнішою за сьогоднішню."),
                               code="invalid_date", field="reg_date")
    year = reg_date.year
    card = _clean_card(card, journal.organisation_id, year)
    links = ([(require_choice(kind, LinkKind, field="links"), target) for kind, target in links]
             if links_checked else _check_links(actor, links))
    files = list(files or ())
    if answers_appeal(links):
        card["access"] = APPEAL_ANSWER_ACCESS
    prepared = prepare_files(files)  # checked and stored before the numbering lock is taken

    from ratusha.registry.selectors import document_duplicates

    with transaction.atomic():
        # Numbered first: the counter lock serializes registrations in the journal, so the duplicate
        # check below sees every letter committed before it. Raising rolls the number back (no gap).
        seq = next_number(journal=journal, year=year)
        duplicates = document_duplicates(
            organisation=journal.organisation_id, correspondent=card.get("correspondent", ""),
            correspondent_index=card.get("correspondent_index", ""),
            correspondent_date=card.get("correspondent_date"))
        original = duplicates[0] if duplicates else None
        if original is not None and not allow_duplicate:
            raise DuplicateRegistrationError(original=original)
        reg_index = document_reg_index(journal=journal, seq=seq, year=year, case_file=card.get("case_file"),
                                       unit=card.get("unit"))
        if reg_index_format is not None:
            reg_index = reg_index_format(seq, reg_index)[:80]
        if files_after_number is not None:
            prepared = [*prepared, *prepare_files(files_after_number(reg_index, reg_date))]
        doc = Document.objects.create(
            organisation_id=journal.organisation_id, journal=journal, year=year, seq=seq,
            reg_index=reg_index,
            reg_date=reg_date, registered_at=timezone.now(), registered_by=actor,
            status=DocumentStatus.REGISTERED, duplicate_of=original, **card)
        stored = [file_params(create_file(actor=actor, document=doc, blob=blob, name=name, comment=comment))
                  for blob, name, comment in prepared]
        staged_uploads_consume([f.staged_id for f in files if isinstance(f, StagedFile)])
        for link_kind, target in links:
            DocumentLink.objects.create(source=doc, target=target, kind=link_kind, created_by=actor)
        audit_log(actor=actor, action="document.register", obj=doc, params={
            "journal": str(journal.pk), "year": year, "seq": seq, "reg_index": doc.reg_index,
            "reg_date": reg_date, "kind": doc.kind, "access": doc.access, "files": stored,
            "links": [{"kind": k, "target": str(t.pk), "reg_index": t.reg_index} for k, t in links],
            "duplicate_of": str(original.pk) if original is not None else None, **(audit_extra or {}),
        })
        queue_index(doc.pk)
        run_after_registration(doc)  # hooks of other apps (ratusha.registry.hooks), e.g. website publication
    return doc


def document_update(*, actor: Any, document: Document, **fields: Any) -> Document:
    """Change card fields (never its number or journal); the audit event lists each change old→new."""
    unknown = sorted(set(fields) - UPDATABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("Ці поля картки змінювати не можна: %(fields)s.")
                               % {"fields": ", ".join(unknown)}, code="readonly_field")
    require_registrar(actor, document.organisation_id)
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=document.pk)
        if doc.is_cancelled:
            raise ApplicationError(_("Реєстрацію документа скасовано: змінювати його не можна."),
                                   code="document_cancelled")
        values = _clean_card(fields, doc.organisation_id, doc.year)
        if "access" in values and _appeal_answer_links(doc):
            values["access"] = APPEAL_ANSWER_ACCESS
        changes: dict[str, list[Any]] = {}
        for name, new in values.items():
            attname = doc._meta.get_field(name).attname
            old_raw = getattr(doc, attname)
            new_raw = getattr(new, "pk", new)
            if old_raw == new_raw:
                continue
            old = getattr(doc, name)
            changes[name] = [audit_value(old), audit_value(new)]
            setattr(doc, name, new)
        if changes:
            doc.save(update_fields=[*changes, "updated_at"])
            audit_log(actor=actor, action="document.update", obj=doc, params={"changes": changes})
            queue_index(doc.pk)
    document.refresh_from_db()
    return document


def _require_transition_rights(actor: Any, doc: Document, to: str) -> None:
    if to == DocumentStatus.CANCELLED:
        require_registrar(actor, doc.organisation_id)
        return
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDeniedError(_("Змінити стан документа може діловод, керівник або виконавець."))
    # Heads and controllers: the workflow app writes the execution mark when control is taken off.
    if can_register(actor, doc.organisation_id) or has_role(actor, doc.organisation_id,
                                                            {Role.HEAD, Role.CONTROLLER}):
        return
    from ratusha.registry.selectors import acting_user_ids

    if doc.executor_id is not None and doc.executor_id in acting_user_ids(actor):
        return
    raise PermissionDeniedError(_("Змінити стан документа може діловод, керівник або виконавець."))


def document_transition(*, actor: Any, document: Document, to: str, **extra: Any) -> Document:
    """Move the card to status ``to`` if DOCUMENT_TRANSITIONS allows it.

    Extra fields: for EXECUTED ``executed_on`` (default today), ``execution_result``, ``answer_index``;
    for CANCELLED ``reason`` (required).
    """
    to = require_choice(to, DocumentStatus, field="status")
    allowed_extra = TRANSITION_FIELDS.get(to, frozenset())
    if set(extra) - allowed_extra:
        raise ApplicationError(_("Ці поля не належать до цієї зміни стану: %(fields)s.")
                               % {"fields": ", ".join(sorted(set(extra) - allowed_extra))}, code="invalid")
    _require_transition_rights(actor, document, to)
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=document.pk)
        current = doc.status
        if to not in DOCUMENT_TRANSITIONS.get(current, frozenset()):
            raise TransitionError(_("Документ у стані «%(current)s» не можна перевести у стан «%(to)s».")
                                  % {"current": DocumentStatus(current).label, "to": DocumentStatus(to).label},
                                  field="status")
        params: dict[str, Any] = {"from": current, "to": to}
        update = ["status", "updated_at"]
        if to == DocumentStatus.CANCELLED:
            reason = require_text(extra.get("reason", ""), field="reason",
                                  message=_("Вкажіть причину скасування реєстрації."))[:300]
            doc.cancelled_at, doc.cancelled_reason = timezone.now(), reason
            update += ["cancelled_at", "cancelled_reason"]
            params["reason"] = reason
        elif to == DocumentStatus.EXECUTED:
            doc.executed_on = extra.get("executed_on") or _today()
            doc.execution_result = (extra.get("execution_result") or doc.execution_result or "").strip()
            doc.answer_index = normalise_spaces(extra.get("answer_index") or doc.answer_index)[:80]
            update += ["executed_on", "execution_result", "answer_index"]
            params |= {"executed_on": doc.executed_on, "answer_index": doc.answer_index}
        doc.status = to
        doc.save(update_fields=update)
        action = "document.cancel" if to == DocumentStatus.CANCELLED else "document.transition"
        audit_log(actor=actor, action=action, obj=doc, params=params)
        queue_index(doc.pk)
    document.refresh_from_db()
    return document


def document_cancel(*, actor: Any, document: Document, reason: str) -> Document:
    """Cancel a registration; the card keeps its number, marked cancelled (docs/legal.md §6)."""
    return document_transition(actor=actor, document=document, to=DocumentStatus.CANCELLED, reason=reason)


def document_link_add(*, actor: Any, source: Document, target: Document, kind: str) -> DocumentLink:
    kind = require_choice(kind, LinkKind, field="kind")
    require_registrar(actor, source.organisation_id)
    if source.pk == target.pk:
        raise ApplicationError(_("Документ не можна пов'язати із самим собою."), code="link_self",
                               field="target")
    _check_links(actor, [(kind, target)])
    with transaction.atomic():
        if DocumentLink.objects.filter(source=source, target=target, kind=kind).exists():
            raise ApplicationError(_("Такий зв'язок між документами вже є."), code="link_exists",
                                   field="target")
        try:
            with transaction.atomic():
                link = DocumentLink.objects.create(source=source, target=target, kind=kind, created_by=actor)
        except IntegrityError:
            raise ApplicationError(_("Такий зв'язок між документами вже є."), code="link_exists",
                                   field="target") from None
        audit_log(actor=actor, action="document.link_add", obj=source,
                  params={"link": str(link.pk), "kind": kind, "target": str(target.pk),
                          "target_index": target.reg_index})
        if answers_appeal([(kind, target)]):
            make_appeal_answer_personal(actor=actor, document=source, appeal_card=target)
    return link


def document_access_grant(*, actor: Any, document: Document, user: Any = None,
                          unit: Any = None) -> DocumentAccessGrant:
    """Let a user or a whole unit open a restricted card. Registrars, heads and admins may grant."""
    if not getattr(actor, "is_authenticated", False) or not has_role(
            actor, document.organisation_id, {Role.REGISTRAR, Role.HEAD, Role.ADMIN}):
        raise PermissionDeniedError(_("Надавати доступ до документа можуть діловоди, керівники та "
                                      "адміністратори організації."))
    if (user is None) == (unit is None):
        raise ApplicationError(_("Оберіть одного працівника або один підрозділ."), code="required",
                               field="user")
    require_same_org(unit, document.organisation_id, field="unit",
                     message=_("Підрозділ належить іншій організації."))
    with transaction.atomic():
        existing = DocumentAccessGrant.objects.filter(document=document, user=user, unit=unit).first()
        if existing is not None:
            return existing
        grant = DocumentAccessGrant.objects.create(document=document, user=user, unit=unit, granted_by=actor)
        audit_log(actor=actor, action="document.access_grant", obj=document,
                  params={"grant": str(grant.pk), "user": audit_value(user), "unit": audit_value(unit)})
    return grant
