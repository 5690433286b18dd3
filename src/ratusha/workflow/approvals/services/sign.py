"""The sign step: the signer's confirmation (``approvals/signing.py`` strategy), then registration.

docs/legal.md §6: approvals (візи) precede signing — the sign task is open only when every visa stage is
done; signing records who, when, which SHA-256 and how, and registers the draft in its journal in the
same transaction. The registered card keeps the visas and the signature (``Draft.document``,
``Signature.document``).

The number is taken, the final PDF rendered (a template draft: with the number, date and signer, no draft
markers) and signed, and the card registered in that one transaction: when signing fails, everything —
the number included — rolls back, so the journal's numbering stays gapless (``registration.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.registry.models import Document
from ratusha.workflow.approvals.constants import Decision, DraftStatus, RouteStatus, StepKind
from ratusha.workflow.approvals.models import Draft, Route, RouteTask, Signature
from ratusha.workflow.approvals.services._common import (
    check_sha,
    draft_transition,
    notify_users,
    route_transition,
    summary_short,
)
from ratusha.workflow.approvals.services.registration import FinalFile, register_signed_draft
from ratusha.workflow.approvals.services.routes import lock_task, require_task_owner, require_task_turn
from ratusha.workflow.approvals.signing import confirm_signature, signature_registered


def _check_before_confirming(task: RouteTask, sha256: str) -> tuple[Draft, Route, RouteTask]:
    """The same checks as under the lock, done first so a code is not spent on a sign that cannot happen."""
    task = RouteTask.objects.select_related("route", "route__draft").get(pk=task.pk)
    route, draft = task.route, task.route.draft
    check_sha(draft, sha256)
    require_task_turn(route=route, task=task, draft=draft, kind=StepKind.SIGN)
    if draft.status != DraftStatus.APPROVED:
        raise ApplicationError(_("Документ ще не погоджено всіма погоджувачами."), code="not_approved")
    return draft, route, task


def route_task_sign(*, actor: Any, task: RouteTask, sha256: str, credentials: Mapping[str, str]) -> Document:
    """Sign the current version (``sha256`` is the one the signer looked at) and register the document.

    ``credentials`` go to the signature strategy (for the TOTP confirmation: ``{"token": "123456"}``).
    Returns the registered card.
    """
    require_task_owner(actor, task)
    draft, _route, _task = _check_before_confirming(task, sha256)
    result = confirm_signature(signer=actor, draft=draft, version=draft.current_version, credentials=credentials)
    with transaction.atomic():
        draft, route, locked = lock_task(task)
        check_sha(draft, sha256)
        require_task_turn(route=route, task=locked, draft=draft, kind=StepKind.SIGN)
        now = timezone.now()
        version = draft.current_version
        locked.decision = Decision.SIGNED
        locked.sha256 = version.blob_id
        locked.decided_at = now
        locked.decided_by = actor
        locked.save(update_fields=["decision", "sha256", "decided_at", "decided_by", "updated_at"])
        route_transition(route, RouteStatus.COMPLETED)
        route.finished_at = now
        route.save(update_fields=["status", "finished_at", "updated_at"])
        draft_transition(draft, DraftStatus.SIGNED)
        details = dict(result.details)
        if result.signed_name:
            details["signed_name"] = result.signed_name
        signature = Signature.objects.create(
            draft=draft, version=version, task=locked, signer=actor, on_behalf_of=locked.approver,
            signed_at=now, sha256=version.blob_id, method=result.method, signed_blob=result.signed_blob,
            details=details)
        made = FinalFile()
        document = register_signed_draft(draft=draft, route=route, signature=signature, signer=actor,
                                         result=result, made=made)
        signature.document = document
        if made.signed:
            signature.signed_blob = made.blob
            signature.details = {**signature.details, "signed_name": made.name, "signed_sha256": made.blob.pk}
        if made.provenance is not None:
            signature.details = {**signature.details, "final": made.provenance}
        signature.save(update_fields=["document", "signed_blob", "details", "updated_at"])
        audit_log(actor=actor, action="signature.sign", obj=draft, params={
            "signature": str(signature.pk), "task": str(locked.pk), "route": str(route.pk), "round": route.round,
            "version": version.number, "sha256": signature.sha256, "method": signature.method,
            "on_behalf_of": str(locked.approver_id),
            "signed_sha256": signature.signed_blob.sha256 if signature.signed_blob is not None else None,
            "final_sha256": made.blob.pk if made.blob is not None else None})
        if made.provenance is not None:
            # The card's history: the final PDF came from the approved version's template inputs + registration.
            audit_log(actor=actor, action="document.final_rendition", obj=document,
                      params={**made.provenance, "draft": str(draft.pk), "signature": str(signature.pk),
                              "signed_sha256": signature.signed_blob.sha256 if made.signed else None})
        signature_registered(signature=signature, document=document)
        draft_transition(draft, DraftStatus.REGISTERED)
        draft.document = document
        draft.finished_at = now
        draft.version += 1
        draft.save(update_fields=["status", "document", "finished_at", "version", "updated_at"])
        audit_log(actor=actor, action="draft.register", obj=draft, params={
            "document": str(document.pk), "reg_index": document.reg_index, "reg_date": document.reg_date,
            "journal": str(document.journal_id), "signature": str(signature.pk)})
        from ratusha.notifications.constants import NotificationKind

        notify_users([draft.author], kind=NotificationKind.APPROVAL_COMPLETED, draft=draft, actor=actor,
                     title=_("Документ підписано й зареєстровано: № %(index)s від %(date)s")
                     % {"index": document.reg_index, "date": document.reg_date.strftime("%d.%m.%Y")},
                     body=summary_short(draft))
    return document
