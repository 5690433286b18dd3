"""Routing an appeal to executors through the workflow engine (issue 4 item 5).

A head of the organisation (or the deputy acting for one) writes a resolution on the appeal's card:
the executors get access to the PERSONAL card first (audited grants — the workflow refuses an executor
who cannot open it), the resolution's deadline is the appeal's own statutory deadline (Law 393/96-ВР
art. 20, computed by ``ratusha.calendar`` at registration / extension), and a REGISTERED appeal goes
IN_WORK. Control stays with the resolution's controller (``workflow``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ratusha.appeals.constants import AppealStatus
from ratusha.appeals.models import Appeal
from ratusha.appeals.services._common import lock_appeal, require_text
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError

# Statuses in which an appeal may be (re)routed: registered, or already being considered.
ROUTABLE_STATUSES = frozenset({AppealStatus.REGISTERED, AppealStatus.IN_WORK})


def can_route(user: Any, appeal: Appeal) -> bool:
    """Heads of the appeal's organisation and their acting deputies (they write resolutions)."""
    from ratusha.workflow.permissions import resolution_authors

    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and resolution_authors(user, appeal.organisation_id))


def is_responsible_executor(user: Any, appeal: Appeal) -> bool:
    """The responsible executor (or their acting deputy) of an active resolution on the appeal's card."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not appeal.document_id:
        return False
    from ratusha.registry.selectors import acting_user_ids
    from ratusha.workflow.constants import AssignmentRole, ResolutionStatus
    from ratusha.workflow.models import Assignment

    return Assignment.objects.filter(
        document_id=appeal.document_id, parent__isnull=True, role=AssignmentRole.RESPONSIBLE,
        resolution__status=ResolutionStatus.ACTIVE, assignee_id__in=acting_user_ids(user)).exists()


def _grant_card_access(*, actor: Any, card: Any, people: list[Any]) -> list[str]:
    """Let each executor open the appeal's card (``document_access_grant`` audits each grant)."""
    from ratusha.registry.selectors import documents_visible_to
    from ratusha.registry.services import document_access_grant

    granted = []
    for person in people:
        if not documents_visible_to(person).filter(pk=card.pk).exists():
            document_access_grant(actor=actor, document=card, user=person)
            granted.append(str(person.pk))
    return granted


def appeal_route(*, actor: Any, appeal: Appeal, text: str, responsible: Any,
                 co_executors: Sequence[Any] = (), on_control: bool = True, controller: Any = None,
                 expected_version: Any = None) -> Any:
    """Send a registered appeal to executors: a resolution on its card with the appeal's deadline
    (``DeadlineKind.DATE`` = ``appeal.deadline``). ``responsible``/``co_executors`` are users or units
    (a unit's head gets the assignment). Returns the workflow ``Resolution``."""
    from ratusha.appeals.services.outcomes import appeal_take_into_work
    from ratusha.workflow.constants import DeadlineKind
    from ratusha.workflow.services import resolution_create
    from ratusha.workflow.services.resolutions import resolve_executor

    if not can_route(actor, appeal):
        raise PermissionDeniedError(_("Направляти звернення виконавцям можуть лише керівники органу або "
                                      "працівники, які виконують їхні обов'язки."))
    text = require_text(text, field="text", limit=4000, message=_("Вкажіть текст резолюції."))
    if responsible is None:
        raise ApplicationError(_("Оберіть відповідального виконавця."), code="required", field="responsible")
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        if locked.status not in ROUTABLE_STATUSES or not locked.document_id:
            raise ApplicationError(_("Направити виконавцям можна лише зареєстроване звернення, яке ще "
                                     "розглядається (стан «%(status)s»).")
                                   % {"status": AppealStatus(locked.status).label}, code="not_routable")
        if locked.deadline is None:
            raise ApplicationError(_("У звернення не визначено термін розгляду."), code="no_deadline")
        card = locked.document
        people = [resolve_executor(responsible, card, field="responsible")[0]]
        people += [resolve_executor(target, card, field="co_executors")[0] for target in co_executors or ()]
        granted = _grant_card_access(actor=actor, card=card, people=list({p.pk: p for p in people}.values()))
        resolution = resolution_create(
            actor=actor, document=card, text=text, responsible=responsible, co_executors=list(co_executors or ()),
            deadline_kind=DeadlineKind.DATE, deadline_date=locked.deadline, on_control=bool(on_control),
            controller=controller if on_control else None)
        audit_log(actor=actor, action="appeal.route", obj=locked, params={
            "resolution": str(resolution.pk), "deadline": locked.deadline, "granted": granted,
            "responsible": str(people[0].pk), "on_control": bool(on_control),
            "controller": str(controller.pk) if on_control and controller is not None else None})
        if locked.status == AppealStatus.REGISTERED:
            appeal_take_into_work(actor=actor, appeal=locked)
    appeal.refresh_from_db()
    return resolution
