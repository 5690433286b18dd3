"""Drafts: create with the first version, add a version (voids visas, restarts the route), withdraw."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.orgs.models import Employee
from ratusha.orgs.permissions import roles_by_organisation
from ratusha.registry.constants import AccessMark, DocumentKind, DocumentStatus, JournalKind
from ratusha.registry.models import Document, Journal
from ratusha.registry.services._common import normalise_spaces, require_choice, require_text
from ratusha.registry.services.files import prepare_file
from ratusha.registry.services.uploads import StagedFile
from ratusha.workflow.approvals.constants import (
    OPEN_STATUSES,
    RESTARTING_STATUSES,
    TARGET_JOURNAL_KINDS,
    VERSIONABLE_STATUSES,
    DraftStatus,
)
from ratusha.workflow.approvals.models import Draft, DraftVersion
from ratusha.workflow.approvals.services._common import (
    check_expected_version,
    draft_transition,
    lock_draft,
    require_active_user,
    require_author,
)
from ratusha.workflow.approvals.services.routes import route_cancel_active, route_restart_after_new_version

Content = bytes | IO[bytes] | StagedFile


def _version_params(version: DraftVersion) -> dict[str, Any]:
    return {"version": str(version.pk), "number": version.number, "name": version.name,
            "sha256": version.blob_id, "size": version.blob.size, "mime": version.blob.mime,
            "comment": version.comment}


def _check_journal(actor: Any, journal: Journal) -> None:
    if str(journal.organisation_id) not in roles_by_organisation(actor):
        raise PermissionDeniedError(_("Створювати проєкти можна лише в організації, де ви працюєте."),
                                    field="journal")
    if journal.kind not in TARGET_JOURNAL_KINDS:
        raise ApplicationError(_("У журналі «%(name)s» реєструють документи, що надійшли, а не створені "
                                 "організацією. Оберіть журнал вихідних, внутрішніх документів або "
                                 "розпорядчих документів.") % {"name": journal.name},
                               code="wrong_journal", field="journal")
    if not journal.is_active:
        raise ApplicationError(_("Журнал «%(name)s» закрито для реєстрації.") % {"name": journal.name},
                               code="journal_closed", field="journal")


def _check_answer_to(actor: Any, answer_to: Document | None) -> None:
    """The card answered must be one the author may open (docs/architecture.md rule 5) and still registered."""
    from ratusha.registry.selectors import documents_visible_to

    if answer_to is None:
        return
    if not documents_visible_to(actor).filter(pk=answer_to.pk).exists():
        raise PermissionDeniedError(_("Документ, на який ви відповідаєте, не знайдено або він вам недоступний."),
                                    field="answer_to")
    if answer_to.status == DocumentStatus.CANCELLED:
        raise ApplicationError(_("Реєстрацію документа № %(index)s скасовано: відповідати на нього не можна.")
                               % {"index": answer_to.reg_index}, code="answer_to_cancelled", field="answer_to")


def draft_create(*, actor: Any, journal: Journal, kind: str, summary: str, name: str, content: Content,
                 addressee: str = "", access: str = AccessMark.INTERNAL, comment: str = "",
                 answer_to: Document | None = None) -> Draft:
    """A new draft of the journal's organisation (docs/legal.md §6: registered once, where it is created),
    with its first version. The author is ``actor``; their unit there becomes the draft's unit.

    ``answer_to``: the card this draft answers (checked: the author may open it); the document registered
    at signing is linked to it «Відповідь на»."""
    require_active_user(actor)
    _check_journal(actor, journal)
    _check_answer_to(actor, answer_to)
    kind = require_choice(kind, DocumentKind, field="kind")
    access = require_choice(access or AccessMark.INTERNAL, AccessMark, field="access")
    summary = require_text(summary, field="summary", message=_("Вкажіть короткий зміст документа."))[:4000]
    addressee = normalise_spaces(addressee)[:300]
    if journal.kind == JournalKind.OUTGOING and not addressee:
        raise ApplicationError(_("Вкажіть адресата листа."), code="required", field="addressee")
    blob, name, comment = prepare_file(name=name, content=content, comment=comment)
    employment = Employee.objects.filter(user=actor, organisation_id=journal.organisation_id,
                                         is_active=True).first()
    with transaction.atomic():
        draft = Draft.objects.create(
            organisation_id=journal.organisation_id, author=actor,
            unit_id=employment.unit_id if employment is not None else None, kind=kind, summary=summary,
            journal=journal, addressee=addressee, access=access, status=DraftStatus.DRAFT, answer_to=answer_to)
        version = DraftVersion.objects.create(draft=draft, number=1, blob=blob, name=name, comment=comment,
                                              author=actor)
        draft.current_version = version
        draft.save(update_fields=["current_version", "updated_at"])
        audit_log(actor=actor, action="draft.create", obj=draft, params={
            "organisation": str(journal.organisation_id), "journal": str(journal.pk), "kind": kind,
            "summary": summary, "addressee": addressee, "access": access,
            "answer_to": str(answer_to.pk) if answer_to is not None else None, **_version_params(version)})
    return draft


def draft_version_add(*, actor: Any, draft: Draft, name: str, content: Content, comment: str = "",
                      base_number: int | None = None) -> DraftVersion:
    """Version N+1 of the draft's file. While on approval, returned or awaiting the signature, the visas
    given for earlier versions become void and the route restarts from stage 1 (a new round).

    ``base_number`` is the version the author saw; when someone uploaded another meanwhile, nothing
    is stored and the author is asked to look at it first.
    """
    require_author(actor, draft)
    blob, name, comment = prepare_file(name=name, content=content, comment=comment)
    with transaction.atomic():
        locked = lock_draft(draft)
        if locked.status not in VERSIONABLE_STATUSES:
            raise TransitionError(_("Проєкт у стані «%(status)s»: нові версії вже не додають.")
                                  % {"status": locked.get_status_display()}, field="file")
        current = locked.current_version
        if base_number is not None and current is not None and int(base_number) != current.number:
            raise ApplicationError(
                _("Поки ви готували файл, з'явилася версія %(n)s. Перегляньте її і, якщо потрібно, "
                  "завантажте свій файл ще раз.") % {"n": current.number}, code="stale_version", field="file")
        if current is not None and current.blob_id == blob.sha256:
            raise ApplicationError(_("Цей файл не відрізняється від поточної версії %(n)s.")
                                   % {"n": current.number}, code="same_content", field="file")
        number = (current.number if current is not None else 0) + 1
        version = DraftVersion.objects.create(draft=locked, number=number, blob=blob, name=name,
                                              comment=comment, author=actor)
        old_status = locked.status
        locked.current_version = version
        voided, route = 0, None
        if old_status in RESTARTING_STATUSES:
            voided, route = route_restart_after_new_version(draft=locked, actor=actor)
        locked.version += 1
        locked.save(update_fields=["current_version", "status", "version", "updated_at"])
        audit_log(actor=actor, action="draft.version_add", obj=locked, params={
            **_version_params(version), "previous_sha256": current.blob_id if current is not None else None,
            "visas_voided": voided, "restarted_round": route.round if route is not None else None,
            "from": old_status, "to": locked.status})
    draft.refresh_from_db()
    return version


def draft_withdraw(*, actor: Any, draft: Draft, reason: str = "", expected_version: int | None = None) -> Draft:
    """The author takes the draft back for good; a running round ends."""
    require_author(actor, draft)
    reason = normalise_spaces(reason)[:300]
    with transaction.atomic():
        locked = lock_draft(draft)
        check_expected_version(locked, expected_version)
        if locked.status not in OPEN_STATUSES:
            raise TransitionError(_("Проєкт у стані «%(status)s» відкликати не можна.")
                                  % {"status": locked.get_status_display()})
        route = route_cancel_active(draft=locked)
        old = draft_transition(locked, DraftStatus.WITHDRAWN)
        locked.withdraw_reason = reason
        locked.finished_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "withdraw_reason", "finished_at", "version", "updated_at"])
        audit_log(actor=actor, action="draft.withdraw", obj=locked, params={
            "from": old, "reason": reason, "route": str(route.pk) if route is not None else None})
    draft.refresh_from_db()
    return draft
