"""Acts published automatically from the registry (art. 15 of Law 2939-VI: acts adopted are published).

A card of a council-decisions, executive-decisions or orders journal whose access mark is «Відкритий»
appears on the site when it is registered (registry hook → ``act_sync_document`` after commit). A
cancelled card, or one whose mark is no longer public, is withdrawn: its address then answers 410 with
the date. ``act_sweep`` (nightly and hourly) re-finds anything a hook missed; both are idempotent.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.registry.constants import AccessMark, DocumentStatus
from ratusha.registry.models import Document
from ratusha.website.acts.constants import (
    ACT_JOURNAL_KINDS,
    JOURNAL_ACT_KINDS,
    KIND_SEGMENTS,
    ActStatus,
    WithdrawReason,
)
from ratusha.website.acts.models import PublishedAct, Topic
from ratusha.website.acts.services._common import (
    guess_topic,
    now,
    number_slug,
    on_published_changed,
    require_transition,
    search_tokens,
    unique_slug,
)


def is_publishable(document: Document) -> bool:
    return (document.journal.kind in ACT_JOURNAL_KINDS and document.access == AccessMark.PUBLIC
            and document.status != DocumentStatus.CANCELLED)


def on_document_registered(document: Document) -> None:
    """Registry hook (``ratusha.registry.hooks``): runs inside the registration; the work is after commit."""
    if document.journal.kind not in ACT_JOURNAL_KINDS or document.access != AccessMark.PUBLIC:
        return
    document_id = str(document.pk)
    transaction.on_commit(lambda: act_sync_document(document_id=document_id), robust=True)


def on_document_saved(document: Document) -> None:
    """A card changed (access mark, cancellation): re-check its publication after commit."""
    if document.journal_id is None:
        return
    document_id = str(document.pk)
    transaction.on_commit(lambda: act_sync_document(document_id=document_id), robust=True)


def act_sync_document(*, document_id: Any) -> PublishedAct | None:
    """Make the site agree with the card: publish, withdraw or restore. Idempotent."""
    with transaction.atomic():
        document = (Document.objects.select_related("journal").select_for_update(of=("self",))
                    .filter(pk=document_id).first())
        if document is None or document.journal.kind not in ACT_JOURNAL_KINDS:
            return None
        act = PublishedAct.objects.select_for_update().filter(document=document).first()
        publishable = is_publishable(document)
        if act is None:
            return _publish(document) if publishable else None
        if publishable and act.status == ActStatus.WITHDRAWN:
            return _set_status(act, ActStatus.ADOPTED, action="act.restore", params={})
        if not publishable and act.status != ActStatus.WITHDRAWN:
            reason = (WithdrawReason.CANCELLED if document.status == DocumentStatus.CANCELLED
                      else WithdrawReason.ACCESS)
            return _withdraw(act, reason=reason)
        return act


def _publish(document: Document) -> PublishedAct:
    kind = JOURNAL_ACT_KINDS[document.journal.kind]
    segment = KIND_SEGMENTS[kind]
    slug = unique_slug(segment, document.year, number_slug(document.reg_index))
    moment = now()
    title = " ".join(document.summary.split())
    act = PublishedAct.objects.create(
        organisation_id=document.organisation_id, kind=kind, status=ActStatus.ADOPTED,
        number=document.reg_index, date=document.reg_date, year=document.year, title=title,
        topic=guess_topic(title), segment=segment, slug=slug, document=document, unit_id=document.unit_id,
        published_at=moment, content_updated_at=moment,
        search_tokens=search_tokens(document.reg_index, title))
    audit_log(actor=None, action="act.publish", obj=act, params={
        "document": str(document.pk), "reg_index": document.reg_index, "kind": kind,
        "url": act.get_absolute_url()})
    _link_drafts(act)
    on_published_changed(act, newly_published=True)
    return act


def _link_drafts(act: PublishedAct) -> None:
    """The published draft of this decision (picked from the approvals draft that became this card)
    now points to the adopted act and shows status «Прийнято»."""
    drafts = PublishedAct.objects.select_for_update().filter(
        approvals_draft__document=act.document, adopted_act__isnull=True)
    for draft in drafts:
        draft.adopted_act = act
        fields = ["adopted_act", "updated_at"]
        if draft.status == ActStatus.DRAFT:
            draft.status = ActStatus.ADOPTED
            fields.append("status")
        draft.save(update_fields=fields)
        audit_log(actor=None, action="act.draft_adopted", obj=draft, params={"adopted_act": str(act.pk)})


def _set_status(act: PublishedAct, to: str, *, action: str, params: dict[str, Any],
                actor: Any = None) -> PublishedAct:
    require_transition(act, to)
    previous = act.status
    act.status = to
    fields = ["status", "updated_at"]
    if to != ActStatus.WITHDRAWN:
        act.withdrawn_at, act.withdraw_reason = None, ""
        act.content_updated_at = now()
        fields += ["withdrawn_at", "withdraw_reason", "content_updated_at"]
    act.save(update_fields=fields)
    audit_log(actor=actor, action=action, obj=act, params={"from": previous, "to": to, **params})
    on_published_changed(act, newly_published=False)
    return act


def _withdraw(act: PublishedAct, *, reason: str, actor: Any = None) -> PublishedAct:
    require_transition(act, ActStatus.WITHDRAWN)
    previous = act.status
    act.status, act.withdrawn_at, act.withdraw_reason = ActStatus.WITHDRAWN, now(), reason
    act.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
    audit_log(actor=actor, action="act.withdraw", obj=act, params={"from": previous, "reason": reason})
    on_published_changed(act, newly_published=False)
    return act


def act_file_changed(*, document_id: Any) -> PublishedAct | None:
    """A card's file changed (a new version, e.g. the signed PDF): the act's «оновлено» date moves."""
    with transaction.atomic():
        act = PublishedAct.objects.select_for_update().filter(document_id=document_id).first()
        if act is None or act.status == ActStatus.WITHDRAWN:
            return act
        act.content_updated_at = now()
        act.save(update_fields=["content_updated_at", "updated_at"])
        audit_log(actor=None, action="act.file_update", obj=act, params={"document": str(document_id)})
        on_published_changed(act, newly_published=False)
    return act


def on_file_saved(document_id: Any) -> None:
    document_id = str(document_id)
    transaction.on_commit(lambda: act_file_changed(document_id=document_id), robust=True)


def act_sweep() -> dict[str, int]:
    """Re-find what the hooks missed: public act cards not on the site, and published acts whose card
    is no longer public (or is public again). Safe to run any number of times."""
    missing = (Document.objects.filter(journal__kind__in=ACT_JOURNAL_KINDS, access=AccessMark.PUBLIC)
               .exclude(status=DocumentStatus.CANCELLED).filter(published_act__isnull=True)
               .values_list("pk", flat=True))
    stale = (PublishedAct.objects.filter(document__isnull=False)
             .filter((~Q(status=ActStatus.WITHDRAWN) & (~Q(document__access=AccessMark.PUBLIC)
                                                        | Q(document__status=DocumentStatus.CANCELLED)))
                     | (Q(status=ActStatus.WITHDRAWN) & Q(document__access=AccessMark.PUBLIC)
                        & ~Q(document__status=DocumentStatus.CANCELLED)))
             .values_list("document_id", flat=True))
    published = changed = 0
    for document_id in list(missing):
        if act_sync_document(document_id=document_id) is not None:
            published += 1
    for document_id in list(stale):
        act_sync_document(document_id=document_id)
        changed += 1
    return {"published": published, "changed": changed}


# --- Editors ------------------------------------------------------------------------------------


def act_update(*, actor: Any, act: PublishedAct, title: str | None = None, topic: Topic | None = None,
               clear_topic: bool = False) -> PublishedAct:
    """An editor corrects the title shown on the site or the topic. The address never changes."""
    from ratusha.website.acts.selectors import require_publication_rights

    require_publication_rights(actor, act.organisation_id)
    with transaction.atomic():
        act = PublishedAct.objects.select_for_update().get(pk=act.pk)
        changes: dict[str, list[Any]] = {}
        if title is not None:
            title = " ".join(title.split())
            if not title:
                raise ApplicationError(_("Вкажіть назву."), code="required", field="title")
            if title != act.title:
                changes["title"] = [act.title, title]
                act.title = title
                act.search_tokens = search_tokens(act.number, title)
        if topic is not None or clear_topic:
            if topic is not None and not topic.is_active:
                raise ApplicationError(_("Оберіть тему зі списку."), code="invalid_choice", field="topic")
            if (topic.pk if topic else None) != act.topic_id:
                changes["topic"] = [str(act.topic) if act.topic else "", str(topic) if topic else ""]
                act.topic = topic
        if changes:
            act.content_updated_at = now()
            act.save()
            audit_log(actor=actor, action="act.update", obj=act, params={"changes": changes})
            on_published_changed(act, newly_published=False)
    return act
