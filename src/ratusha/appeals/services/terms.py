"""Terms of an appeal (Law 393/96-ВР art. 20, art. 5, art. 7); every date comes from ``ratusha.calendar``.

- 1 month from receipt (rule ``appeal``); without extra study no later than 15 days (``appeal-urgent``);
- the head (or the deputy acting for them) may set a longer term when a month is not enough, informing
  the applicant; the total may not exceed 45 days from receipt (``appeal-max``);
- returning a non-compliant appeal: within 10 days of receipt (``appeal-return``, art. 5);
- forwarding to the competent body: within 5 days (``appeal-forward``, art. 7 ⚠).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ratusha.appeals import permissions as perms
from ratusha.appeals.constants import MAX_TERM_RULE, OPEN_STATUSES, AppealStatus, TermKind
from ratusha.appeals.models import Appeal
from ratusha.appeals.services._common import (
    event_add,
    fmt_date,
    lock_appeal,
    require_handler,
    require_text,
    save_appeal,
    today,
)
from ratusha.calendar.selectors import deadline
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError

TERM_OPEN_STATUSES = frozenset({AppealStatus.REGISTERED, AppealStatus.IN_WORK})


def max_deadline(appeal: Appeal) -> dt.date:
    """Art. 20: the longest term a head may set — 45 days from receipt in total."""
    return deadline(MAX_TERM_RULE, appeal.received_date)


def return_deadline(appeal: Appeal) -> dt.date:
    """Art. 5: a non-compliant appeal is returned within 10 days of receipt."""
    return deadline(TermKind.RETURN.value, appeal.received_date)


def forward_deadline(appeal: Appeal) -> dt.date:
    """Art. 7 ⚠: an appeal outside competence is forwarded within 5 days."""
    return deadline(TermKind.FORWARD.value, appeal.received_date)


def days_left(appeal: Appeal, on: dt.date | None = None) -> int | None:
    """Calendar days until the deadline (negative: overdue); None without a running term."""
    if appeal.deadline is None or appeal.status not in OPEN_STATUSES:
        return None
    return (appeal.deadline - (on or today())).days


def appeal_extend(*, actor: Any, appeal: Appeal, new_deadline: dt.date, reason: str,
                  expected_version: Any = None) -> Appeal:
    """Art. 20: the head sets a longer term (≤ 45 days from receipt in total); the applicant is informed."""
    if not perms.can_extend(actor, appeal.organisation_id):
        raise PermissionDeniedError(_("Продовжити строк розгляду може лише керівник органу або його "
                                      "заступник (ст. 20 Закону «Про звернення громадян»)."))
    reason = require_text(reason, field="reason", message=_("Вкажіть, чому звернення не можна розглянути "
                                                            "в місячний строк."), limit=2000)
    if not isinstance(new_deadline, dt.date):
        raise ApplicationError(_("Вкажіть новий термін розгляду."), code="required", field="new_deadline")
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        if locked.status not in TERM_OPEN_STATUSES:
            raise ApplicationError(_("Строк можна продовжити лише для звернення, яке розглядається."),
                                   code="invalid_status", field="new_deadline")
        limit = max_deadline(locked)
        if new_deadline > limit:
            raise ApplicationError(_("Загальний строк розгляду не може перевищувати 45 днів: не пізніше "
                                     "%(date)s (ст. 20).") % {"date": fmt_date(limit)},
                                   code="term_too_long", field="new_deadline")
        if locked.deadline and new_deadline <= locked.deadline:
            raise ApplicationError(_("Новий термін має бути пізнішим за чинний (%(date)s).")
                                   % {"date": fmt_date(locked.deadline)}, code="not_later", field="new_deadline")
        if new_deadline < today():
            raise ApplicationError(_("Новий термін не може бути в минулому."), code="past", field="new_deadline")
        old = locked.deadline
        locked.deadline, locked.term_kind = new_deadline, TermKind.EXTENDED
        locked.extended_by, locked.extension_reason = actor, reason
        save_appeal(locked, ["deadline", "term_kind", "extended_by", "extension_reason"])
        audit_log(actor=actor, action="appeal.extend", obj=locked, params={
            "old_deadline": old, "new_deadline": new_deadline, "max_deadline": limit, "reason": reason})
        event_add(locked, lambda: _("Строк розгляду звернення продовжено до %(date)s. Підстава: %(reason)s")
                  % {"date": fmt_date(new_deadline), "reason": reason})
    appeal.refresh_from_db()
    return appeal


def appeal_term_set(*, actor: Any, appeal: Appeal, no_extra_study: bool, expected_version: Any = None) -> Appeal:
    """Art. 20: switch between the 1-month term and «without extra study — no later than 15 days»."""
    require_handler(actor, appeal.organisation_id)
    kind = TermKind.URGENT if no_extra_study else TermKind.MONTH
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        if locked.status not in TERM_OPEN_STATUSES:
            raise ApplicationError(_("Строк можна змінити лише для звернення, яке розглядається."),
                                   code="invalid_status", field="term_kind")
        if locked.term_kind == TermKind.EXTENDED:
            raise ApplicationError(_("Строк уже продовжено керівником: змінити його так не можна."),
                                   code="extended", field="term_kind")
        if locked.term_kind == kind:
            return locked
        old_kind, old = locked.term_kind, locked.deadline
        locked.term_kind, locked.deadline = kind.value, deadline(kind.value, locked.received_date)
        save_appeal(locked, ["term_kind", "deadline"])
        audit_log(actor=actor, action="appeal.term_set", obj=locked, params={
            "old_term_kind": old_kind, "term_kind": kind.value, "old_deadline": old, "deadline": locked.deadline})
    appeal.refresh_from_db()
    return appeal
