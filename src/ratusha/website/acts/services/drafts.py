"""Draft decisions published for discussion before the session (Law 2939-VI art. 15, Law 890-IX).

The latest day to publish is ``calendar.selectors.deadline("draft-publication", session_date)``: the
10th working day before the session. A draft published after it is marked «оприлюднено із
запізненням» and the editor must confirm that knowingly (``LatePublicationError`` first). A daily job
reminds web editors and the draft's author of drafts not yet published whose day is near or past.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.core.models import Blob
from ratusha.registry.services.uploads import FileInput, StagedFile, store_upload
from ratusha.website.acts.constants import (
    DRAFT_LAW,
    DRAFT_PUBLICATION_RULE,
    DRAFT_SEGMENT,
    REMIND_WORKING_DAYS,
    ActKind,
    ActStatus,
    WithdrawReason,
)
from ratusha.website.acts.models import PublishedAct, Topic
from ratusha.website.acts.services._common import (
    guess_topic,
    now,
    on_published_changed,
    require_transition,
    search_tokens,
)

PDF = "application/pdf"


class LatePublicationError(ApplicationError):
    """Publishing now is after the latest day of the clock: the editor must confirm."""

    code = "late_publication"

    def __init__(self, *, latest: dt.date, session: dt.date, today: dt.date) -> None:
        super().__init__(
            _("Проєкт рішення мав бути оприлюднений не пізніше %(latest)s — за 10 робочих днів до розгляду "
              "%(session)s (%(law)s). Сьогодні %(today)s: якщо оприлюднити зараз, проєкт буде позначено "
              "«оприлюднено із запізненням». Підтвердьте, якщо все одно оприлюднюєте.")
            % {"latest": f"{latest:%d.%m.%Y}", "session": f"{session:%d.%m.%Y}", "law": DRAFT_LAW,
               "today": f"{today:%d.%m.%Y}"},
            field="confirm_late")
        self.latest, self.session, self.today = latest, session, today


def latest_publication_date(session_date: dt.date) -> dt.date:
    from ratusha.calendar.selectors import deadline

    return deadline(DRAFT_PUBLICATION_RULE, session_date)


def _today() -> dt.date:
    return timezone.localdate()


def _draft_file(*, file: FileInput | StagedFile | None, approvals_draft: Any, actor: Any,
                organisation_id: Any) -> tuple[Blob, str]:
    if approvals_draft is not None:
        from ratusha.website.acts.selectors import approvals_drafts_for

        if not approvals_drafts_for(user=actor).filter(pk=approvals_draft.pk).exists():
            raise ApplicationError(_("Проєкт на погодженні не знайдено або він вам недоступний."),
                                   code="not_found", field="approvals_draft")
        version = approvals_draft.current_version
        if version is None or version.blob.mime != PDF:
            raise ApplicationError(_("Поточна версія цього проєкту — не PDF. Завантажте PDF-файл проєкту."),
                                   code="upload_type", field="approvals_draft")
        return version.blob, version.name
    if file is None:
        raise ApplicationError(_("Додайте PDF-файл проєкту рішення або оберіть проєкт на погодженні."),
                               code="required", field="file")
    if isinstance(file, StagedFile):
        blob = Blob.objects.filter(sha256=file.sha256).first()
        if blob is None:
            raise ApplicationError(_("Завантажений раніше файл не знайдено. Додайте файл ще раз."),
                                   code="upload_token", field="file")
        name = file.name
    else:
        blob, name = store_upload(name=file.name, content=file.content)
    if blob.mime != PDF:
        raise ApplicationError(_("Файл «%(name)s» — не PDF. Проєкти рішень оприлюднюються у форматі PDF.")
                               % {"name": name}, code="upload_type", field="file")
    return blob, name


def act_draft_create(*, actor: Any, organisation: Any, kind: str, title: str, session_date: dt.date | None,
                     topic: Topic | None = None, unit: Any = None, file: FileInput | StagedFile | None = None,
                     approvals_draft: Any = None, publish: bool = True, confirm_late: bool = False) -> PublishedAct:
    """A draft decision: published now (``publish``) or kept «готується» until ``act_draft_publish``."""
    from ratusha.website.acts.selectors import require_publication_rights

    require_publication_rights(actor, organisation.pk)
    title = " ".join((title or "").split())
    if not title:
        raise ApplicationError(_("Вкажіть назву проєкту рішення."), code="required", field="title")
    if kind not in ActKind.values:
        raise ApplicationError(_("Оберіть значення зі списку."), code="invalid_choice", field="kind")
    if session_date is None:
        raise ApplicationError(_("Вкажіть дату розгляду (засідання) у форматі ДД.ММ.РРРР."), code="required",
                               field="session_date")
    today = _today()
    if session_date < today:
        raise ApplicationError(_("Дата розгляду вже минула."), code="invalid_date", field="session_date")
    if topic is not None and not topic.is_active:
        raise ApplicationError(_("Оберіть тему зі списку."), code="invalid_choice", field="topic")
    if unit is not None and str(unit.organisation_id) != str(organisation.pk):
        raise ApplicationError(_("Підрозділ належить іншій організації."), code="wrong_organisation",
                               field="unit")
    latest = latest_publication_date(session_date)
    if publish and today > latest and not confirm_late:
        raise LatePublicationError(latest=latest, session=session_date, today=today)
    blob, name = _draft_file(file=file, approvals_draft=approvals_draft, actor=actor,
                             organisation_id=organisation.pk)
    with transaction.atomic():
        seq = PublishedAct.objects.filter(segment=DRAFT_SEGMENT, year=today.year).count() + 1
        while PublishedAct.objects.filter(segment=DRAFT_SEGMENT, year=today.year, slug=f"p{seq}").exists():
            seq += 1
        moment = now()
        act = PublishedAct.objects.create(
            organisation=organisation, kind=kind, status=ActStatus.DRAFT if publish else ActStatus.PREPARING,
            date=today, year=today.year, title=title, topic=topic or guess_topic(title),
            segment=DRAFT_SEGMENT, slug=f"p{seq}", blob=blob, file_name=name, approvals_draft=approvals_draft,
            session_date=session_date, latest_publication_date=latest,
            published_late=publish and today > latest, unit=unit,
            author=approvals_draft.author if approvals_draft is not None else actor,
            published_at=moment if publish else None, content_updated_at=moment if publish else None,
            search_tokens=search_tokens(title))
        audit_log(actor=actor, action="act.draft_create", obj=act, params={
            "title": title, "kind": kind, "session_date": session_date, "latest": latest, "publish": publish,
            "late": act.published_late, "file": {"sha256": blob.sha256, "name": name},
            "approvals_draft": str(approvals_draft.pk) if approvals_draft is not None else None})
        if publish:
            on_published_changed(act, newly_published=True)
    return act


def act_draft_publish(*, actor: Any, act: PublishedAct, confirm_late: bool = False) -> PublishedAct:
    """Publish a draft kept «готується»; after the latest day only with ``confirm_late``."""
    from ratusha.website.acts.selectors import require_publication_rights

    require_publication_rights(actor, act.organisation_id)
    today = _today()
    with transaction.atomic():
        act = PublishedAct.objects.select_for_update().get(pk=act.pk)
        require_transition(act, ActStatus.DRAFT)
        latest = act.latest_publication_date or latest_publication_date(act.session_date)
        if today > latest and not confirm_late:
            raise LatePublicationError(latest=latest, session=act.session_date, today=today)
        moment = now()
        act.status, act.date, act.published_at, act.content_updated_at = ActStatus.DRAFT, today, moment, moment
        act.published_late = today > latest
        act.save(update_fields=["status", "date", "published_at", "content_updated_at", "published_late",
                                "updated_at"])
        audit_log(actor=actor, action="act.draft_publish", obj=act,
                  params={"latest": latest, "late": act.published_late})
        on_published_changed(act, newly_published=True)
    return act


def act_draft_link(*, actor: Any, draft: PublishedAct, adopted_act: PublishedAct) -> PublishedAct:
    """Link a published draft to the act adopted from it; the draft shows «Прийнято»."""
    from ratusha.website.acts.selectors import require_publication_rights

    require_publication_rights(actor, draft.organisation_id)
    if not draft.is_draft or adopted_act.is_draft or adopted_act.status != ActStatus.ADOPTED:
        raise ApplicationError(_("Оберіть прийняте рішення, оприлюднене на сайті."), code="invalid",
                               field="adopted_act")
    with transaction.atomic():
        draft = PublishedAct.objects.select_for_update().get(pk=draft.pk)
        if draft.status != ActStatus.ADOPTED:
            require_transition(draft, ActStatus.ADOPTED)
        draft.adopted_act, draft.status, draft.content_updated_at = adopted_act, ActStatus.ADOPTED, now()
        draft.save(update_fields=["adopted_act", "status", "content_updated_at", "updated_at"])
        audit_log(actor=actor, action="act.draft_adopted", obj=draft, params={"adopted_act": str(adopted_act.pk)})
        on_published_changed(draft, newly_published=False)
    return draft


def act_draft_withdraw(*, actor: Any, act: PublishedAct) -> PublishedAct:
    from ratusha.website.acts.selectors import require_publication_rights

    require_publication_rights(actor, act.organisation_id)
    with transaction.atomic():
        act = PublishedAct.objects.select_for_update().get(pk=act.pk)
        require_transition(act, ActStatus.WITHDRAWN)
        previous = act.status
        act.status, act.withdrawn_at, act.withdraw_reason = ActStatus.WITHDRAWN, now(), WithdrawReason.EDITOR
        act.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
        audit_log(actor=actor, action="act.withdraw", obj=act, params={"from": previous,
                                                                       "reason": WithdrawReason.EDITOR})
        on_published_changed(act, newly_published=False)
    return act


def draft_reminders(*, on: dt.date | None = None) -> int:
    """Remind web editors of the organisation and the draft's author about drafts not yet published
    whose latest publication day is within ``REMIND_WORKING_DAYS`` working days, or already past (the
    session still ahead). Once a day per draft."""
    from ratusha.calendar.selectors import add_working_days
    from ratusha.notifications.constants import NotificationKind
    from ratusha.notifications.services import notify_many
    from ratusha.website.acts.selectors import web_editors_of

    today = on or _today()
    horizon = add_working_days(today, REMIND_WORKING_DAYS)
    drafts = (PublishedAct.objects.filter(status=ActStatus.PREPARING, session_date__gte=today,
                                          latest_publication_date__lte=horizon)
              .exclude(reminded_on=today).select_related("author"))
    sent = 0
    for draft in drafts:
        late = today > draft.latest_publication_date
        title = (_("Проєкт рішення не оприлюднено вчасно: %(title)s") if late else
                 _("Оприлюдніть проєкт рішення до %(latest)s: %(title)s")) % {
            "title": draft.title[:150], "latest": f"{draft.latest_publication_date:%d.%m.%Y}"}
        body = _("Розгляд — %(session)s. Останній день оприлюднення — %(latest)s (%(law)s).") % {
            "session": f"{draft.session_date:%d.%m.%Y}", "latest": f"{draft.latest_publication_date:%d.%m.%Y}",
            "law": DRAFT_LAW}
        with transaction.atomic():
            recipients = [*web_editors_of(draft.organisation_id), draft.author]
            notify_many(recipients=recipients, kind=NotificationKind.DRAFT_PUBLICATION, title=title, body=body,
                        url=f"/decisions/office/#draft-{draft.pk}", obj=draft)
            PublishedAct.objects.filter(pk=draft.pk).update(reminded_on=today)
            audit_log(actor=None, action="act.draft_remind", obj=draft,
                      params={"on": today, "late": late, "recipients": len({r.pk for r in recipients if r})})
        sent += 1
    return sent
