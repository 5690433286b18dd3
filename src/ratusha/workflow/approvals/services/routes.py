"""Routes: start (from a template, adjusted by the author), visas and rejections, stage by stage.

Every decision locks the draft row and then the route row (the same order in every service), so
two approvers of a parallel stage are both recorded and the stage completes exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee
from ratusha.workflow.approvals.constants import (
    MAX_ROUTE_STEPS,
    STARTABLE_STATUSES,
    VISA_DECISIONS,
    Decision,
    DraftStatus,
    RouteStatus,
    StepKind,
)
from ratusha.workflow.approvals.models import Draft, Route, RouteTask, RouteTemplate
from ratusha.workflow.approvals.services._common import (
    acting_ids,
    check_expected_version,
    check_sha,
    draft_transition,
    latest_route,
    lock_draft,
    next_round,
    notify_users,
    require_active_user,
    require_author,
    route_transition,
    summary_short,
)


@dataclass(frozen=True)
class RouteStep:
    """One approver of a route being started: stage (parallel within, in order across), who, visa|sign."""

    stage: int
    approver: Any
    kind: str = StepKind.VISA


# --- Who approves -------------------------------------------------------------------------------


def unit_head_for(*, author: Any, organisation: Any) -> Any | None:
    """The head of the author's unit (a head position, else the ``head`` role there), going up the unit
    tree when the author heads their own unit. None when there is nobody."""
    org_id = getattr(organisation, "pk", organisation)
    own = (Employee.objects.filter(user=author, organisation_id=org_id, is_active=True)
           .select_related("unit").first())
    unit = own.unit if own is not None else None
    seen: set[Any] = set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        staff = list(Employee.objects.filter(organisation_id=org_id, unit=unit, is_active=True,
                                             user__is_active=True)
                     .exclude(user=author).select_related("user", "position").order_by("created_at"))
        for emp in staff:
            if emp.position is not None and emp.position.is_head:
                return emp.user
        for emp in staff:
            if Role.HEAD in (emp.roles or []):
                return emp.user
        unit = unit.parent
    return None


def _template_steps(*, template: RouteTemplate, draft: Draft) -> list[tuple[Any, RouteStep]]:
    from ratusha.workflow.approvals.constants import ApproverKind

    out = []
    for step in template.steps.select_related("user").order_by("stage", "created_at"):
        if step.approver_kind == ApproverKind.UNIT_HEAD:
            user = unit_head_for(author=draft.author, organisation=draft.organisation_id)
            if user is None:
                raise ApplicationError(
                    _("Не вдалося визначити керівника підрозділу автора: у підрозділі немає керівної посади "
                      "або працівника з роллю «Керівник». Оберіть інший шаблон або зверніться до адміністратора."),
                    code="no_unit_head", field="template")
        else:
            user = step.user
        out.append((step.pk, RouteStep(stage=step.stage, approver=user, kind=step.kind)))
    return out


def steps_from_template(*, template: RouteTemplate, draft: Draft) -> list[RouteStep]:
    """The template's steps with «head of the author's unit» resolved to a person now."""
    return [step for _pk, step in _template_steps(template=template, draft=draft)]


NEW_STAGE = "new"


def steps_for_start(*, template: RouteTemplate, draft: Draft, keep: set[Any] | None = None,
                    extras: Sequence[tuple[Any, str]] = ()) -> list[RouteStep]:
    """The route the author starts: the template's steps (visa steps only if their id is in ``keep``;
    the sign step always) plus ``extras`` — (user, stage number of the template or ``"new"`` for a stage
    of its own just before signing). ``normalise_steps`` renumbers the stages afterwards."""
    steps = []
    for pk, step in _template_steps(template=template, draft=draft):
        if step.kind == StepKind.SIGN:
            steps.append(RouteStep(stage=10_001, approver=step.approver, kind=StepKind.SIGN))
        elif keep is None or pk in keep:
            steps.append(step)
    for user, stage in extras:
        try:
            number = 10_000 if stage == NEW_STAGE else int(stage)
        except (TypeError, ValueError):
            number = 10_000
        steps.append(RouteStep(stage=number, approver=user, kind=StepKind.VISA))
    return steps


def _is_staff(user: Any, organisation_id: Any = None) -> bool:
    qs = Employee.objects.filter(user=user, is_active=True)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return bool(user is not None and user.is_active and qs.exists())


def normalise_steps(steps: Sequence[RouteStep], organisation_id: Any) -> list[RouteStep]:
    """Check a route and number its stages 1..N: visa stages first, then exactly one signer, alone.

    A visa approver listed twice keeps the earlier place. Approvers may come from any organisation of
    the installation (a decision is visaed across executive bodies); the signer works in the draft's one.
    """
    signers = [s for s in steps if s.kind == StepKind.SIGN]
    visas = [s for s in steps if s.kind == StepKind.VISA]
    if len(signers) != 1 or len(signers) + len(visas) != len(steps):
        raise ApplicationError(_("Маршрут має закінчуватися підписанням: рівно один підписувач на "
                                 "останньому етапі."), code="route_sign_step", field="steps")
    signer = signers[0]
    if any(v.stage >= signer.stage for v in visas):
        raise ApplicationError(_("Підписання має бути останнім етапом маршруту, після всіх віз."),
                               code="route_sign_last", field="steps")
    if len(steps) > MAX_ROUTE_STEPS:
        raise ApplicationError(_("Забагато погоджувачів у маршруті (найбільше %(n)d).") % {"n": MAX_ROUTE_STEPS},
                               code="route_too_long", field="steps")
    if signer.approver is None or not _is_staff(signer.approver, organisation_id):
        raise ApplicationError(_("Підписувач має бути чинним працівником організації, що створює документ."),
                               code="route_signer", field="steps")
    ordered = sorted(visas, key=lambda s: s.stage)
    seen: set[Any] = set()
    kept: list[RouteStep] = []
    for step in ordered:
        if step.approver is None or step.approver.pk in seen:
            continue
        if not _is_staff(step.approver):
            raise ApplicationError(_("%(name)s не працює в жодній організації системи — оберіть іншого "
                                     "погоджувача.") % {"name": step.approver.full_name},
                                   code="route_approver", field="steps")
        seen.add(step.approver.pk)
        kept.append(step)
    numbers = {stage: index for index, stage in enumerate(sorted({s.stage for s in kept}), start=1)}
    result = [RouteStep(stage=numbers[s.stage], approver=s.approver, kind=StepKind.VISA) for s in kept]
    result.append(RouteStep(stage=len(numbers) + 1, approver=signer.approver, kind=StepKind.SIGN))
    return result


# --- Starting and restarting ---------------------------------------------------------------------


def _create_route(*, draft: Draft, steps: Sequence[RouteStep], actor: Any,
                  template: RouteTemplate | None) -> Route:
    route = Route.objects.create(draft=draft, round=next_round(draft), template=template,
                                 sha256=draft.current_sha256, current_stage=1, started_by=actor)
    positions: dict[int, int] = {}
    tasks = []
    for step in steps:
        positions[step.stage] = positions.get(step.stage, 0) + 1
        tasks.append(RouteTask(route=route, stage=step.stage, position=positions[step.stage], kind=step.kind,
                               approver=step.approver))
    RouteTask.objects.bulk_create(tasks)
    return route


def _stage_kind(route: Route) -> str:
    kinds = set(route.tasks.filter(stage=route.current_stage).values_list("kind", flat=True))
    return StepKind.SIGN if StepKind.SIGN in kinds else StepKind.VISA


def _enter_route(*, draft: Draft, route: Route) -> None:
    """The (locked) draft goes on approval — or straight to signing when the route has no visas."""
    draft_transition(draft, DraftStatus.ON_APPROVAL)
    if _stage_kind(route) == StepKind.SIGN:
        draft_transition(draft, DraftStatus.APPROVED)


def _notify_current_stage(*, route: Route, draft: Draft, actor: Any) -> None:
    from ratusha.notifications.constants import NotificationKind

    tasks = list(route.tasks.filter(stage=route.current_stage, decision=Decision.PENDING)
                 .select_related("approver"))
    visas = [t.approver for t in tasks if t.kind == StepKind.VISA]
    signers = [t.approver for t in tasks if t.kind == StepKind.SIGN]
    if visas:
        notify_users(visas, kind=NotificationKind.APPROVAL_REQUESTED, draft=draft, actor=actor,
                     title=_("Проєкт на погодження: %(summary)s") % {"summary": summary_short(draft)},
                     body=_("Автор: %(author)s. Перегляньте проєкт і поставте візу або поверніть його з "
                            "причиною.") % {"author": draft.author.full_name})
    if signers:
        notify_users(signers, kind=NotificationKind.SIGN_REQUESTED, draft=draft, actor=actor,
                     title=_("Документ на підпис: %(summary)s") % {"summary": summary_short(draft)},
                     body=_("Усі візи отримано. Автор: %(author)s.") % {"author": draft.author.full_name})


def _steps_params(route: Route) -> list[dict[str, Any]]:
    return [{"stage": t.stage, "kind": t.kind, "approver": str(t.approver_id)}
            for t in route.tasks.order_by("stage", "position")]


def route_start(*, actor: Any, draft: Draft, steps: Sequence[RouteStep], template: RouteTemplate | None = None,
                expected_version: int | None = None) -> Route:
    """Send the current version on approval along ``steps`` (see ``normalise_steps``)."""
    require_author(actor, draft)
    if template is not None and template.organisation_id != draft.organisation_id:
        raise ApplicationError(_("Шаблон маршруту належить іншій організації."), code="wrong_organisation",
                               field="template")
    steps = normalise_steps(steps, draft.organisation_id)
    with transaction.atomic():
        locked = lock_draft(draft)
        check_expected_version(locked, expected_version)
        if locked.status not in STARTABLE_STATUSES:
            raise TransitionError(_("Маршрут уже запущено або проєкт завершено (стан «%(status)s»).")
                                  % {"status": locked.get_status_display()})
        if locked.current_version_id is None:
            raise ApplicationError(_("Спершу завантажте файл проєкту."), code="no_version")
        previous = latest_route(locked, lock=True)
        if previous is not None and previous.status == RouteStatus.REJECTED:
            route_transition(previous, RouteStatus.SUPERSEDED)
            previous.save(update_fields=["status", "updated_at"])
        route = _create_route(draft=locked, steps=steps, actor=actor, template=template)
        old_status = locked.status
        _enter_route(draft=locked, route=route)
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        audit_log(actor=actor, action="route.start", obj=locked, params={
            "route": str(route.pk), "round": route.round, "sha256": route.sha256,
            "template": str(template.pk) if template is not None else None, "from": old_status,
            "to": locked.status, "steps": _steps_params(route)})
        _notify_current_stage(route=route, draft=locked, actor=actor)
    draft.refresh_from_db()
    return route


def route_restart_after_new_version(*, draft: Draft, actor: Any) -> tuple[int, Route | None]:
    """Inside ``draft_version_add``'s transaction (draft locked, new version current): void the visas
    given for earlier versions and run the same approvers again from stage 1 in a new round.

    Returns (number of visas voided, the new route or None when the draft was never sent).
    """
    now = timezone.now()
    voided = (RouteTask.objects.filter(route__draft=draft, voided_at__isnull=True,
                                       decision__in=[Decision.APPROVED, Decision.APPROVED_WITH_REMARKS])
              .exclude(sha256=draft.current_sha256).update(voided_at=now, updated_at=now))
    previous = latest_route(draft, lock=True)
    if previous is None or previous.status not in (RouteStatus.ACTIVE, RouteStatus.REJECTED):
        return voided, None
    previous.tasks.filter(decision=Decision.PENDING).update(decision=Decision.CANCELLED, updated_at=now)
    route_transition(previous, RouteStatus.SUPERSEDED)
    previous.finished_at = previous.finished_at or now
    previous.save(update_fields=["status", "finished_at", "updated_at"])
    steps = [RouteStep(stage=t.stage, approver=t.approver, kind=t.kind)
             for t in previous.tasks.select_related("approver").order_by("stage", "position")]
    route = _create_route(draft=draft, steps=steps, actor=actor, template=previous.template)
    _enter_route(draft=draft, route=route)
    _notify_current_stage(route=route, draft=draft, actor=actor)
    return voided, route


def route_cancel_active(*, draft: Draft) -> Route | None:
    """Inside a withdrawal: the running round ends, its open tasks are no longer needed."""
    route = latest_route(draft, lock=True)
    if route is None or route.status != RouteStatus.ACTIVE:
        return None
    now = timezone.now()
    route.tasks.filter(decision=Decision.PENDING).update(decision=Decision.CANCELLED, updated_at=now)
    route_transition(route, RouteStatus.CANCELLED)
    route.finished_at = now
    route.save(update_fields=["status", "finished_at", "updated_at"])
    return route


# --- Decisions -----------------------------------------------------------------------------------


def require_task_turn(*, route: Route, task: RouteTask, draft: Draft, kind: str) -> None:
    """The (locked) task may be decided now: its round runs, it is still open, its stage is current."""
    if route.status != RouteStatus.ACTIVE or draft.status not in (DraftStatus.ON_APPROVAL, DraftStatus.APPROVED):
        raise ApplicationError(_("Погодження цього проєкту вже завершено або перезапущено — оновіть сторінку."),
                               code="route_closed")
    if task.decision != Decision.PENDING:
        raise ApplicationError(_("Рішення щодо цього проєкту вже ухвалено: %(decision)s.")
                               % {"decision": task.get_decision_display()}, code="already_decided")
    if task.stage != route.current_stage:
        raise ApplicationError(_("Ще не ваша черга: проєкт погоджують на попередньому етапі маршруту."),
                               code="not_current")
    if task.kind != kind:
        message = (_("Це завдання — підписання документа, а не віза.") if task.kind == StepKind.SIGN
                   else _("Це завдання — віза, а не підписання."))
        raise ApplicationError(message, code="wrong_task_kind")


def require_task_owner(actor: Any, task: RouteTask) -> None:
    require_active_user(actor)
    if task.approver_id not in acting_ids(actor):
        raise PermissionDeniedError(_("Це завдання призначено іншому працівникові."))


def lock_task(task: RouteTask) -> tuple[Draft, Route, RouteTask]:
    """Lock in the house order: draft, route, task."""
    route_id = task.route_id
    draft_id = Route.objects.filter(pk=route_id).values_list("draft_id", flat=True).get()
    draft = lock_draft(Draft(pk=draft_id))
    route = Route.objects.select_for_update().get(pk=route_id)
    locked = RouteTask.objects.select_for_update().get(pk=task.pk)
    return draft, route, locked


def _reject(*, route: Route, draft: Draft, task: RouteTask, actor: Any) -> None:
    from ratusha.notifications.constants import NotificationKind

    now = timezone.now()
    route.tasks.filter(decision=Decision.PENDING).update(decision=Decision.CANCELLED, updated_at=now)
    route_transition(route, RouteStatus.REJECTED)
    route.finished_at = now
    route.save(update_fields=["status", "finished_at", "updated_at"])
    draft_transition(draft, DraftStatus.RETURNED)
    draft.version += 1
    draft.save(update_fields=["status", "version", "updated_at"])
    notify_users([draft.author], kind=NotificationKind.APPROVAL_REJECTED, draft=draft, actor=actor,
                 title=_("Проєкт не погоджено: %(summary)s") % {"summary": summary_short(draft)},
                 body=_("%(who)s: %(reason)s") % {"who": actor.full_name, "reason": task.comment})


def _advance_if_stage_done(*, route: Route, draft: Draft, actor: Any) -> int | None:
    """Move to the next stage when the current one has no open task; returns the new stage or None."""
    from ratusha.notifications.constants import NotificationKind

    if route.tasks.filter(stage=route.current_stage, decision=Decision.PENDING).exists():
        return None
    next_stage = route.tasks.filter(stage__gt=route.current_stage).aggregate(m=Min("stage"))["m"]
    if next_stage is None:
        return None
    finished = route.current_stage
    route.current_stage = next_stage
    route.save(update_fields=["current_stage", "updated_at"])
    if _stage_kind(route) == StepKind.SIGN:
        draft_transition(draft, DraftStatus.APPROVED)
        draft.version += 1
        draft.save(update_fields=["status", "version", "updated_at"])
        notify_users([draft.author], kind=NotificationKind.APPROVAL_COMPLETED, draft=draft, actor=actor,
                     title=_("Проєкт погоджено й передано на підпис: %(summary)s")
                     % {"summary": summary_short(draft)})
    audit_log(actor=actor, action="route.stage_complete", obj=draft, params={
        "route": str(route.pk), "round": route.round, "stage": finished, "next_stage": next_stage})
    _notify_current_stage(route=route, draft=draft, actor=actor)
    return next_stage


def route_task_decide(*, actor: Any, task: RouteTask, decision: str, comment: str = "", sha256: str) -> RouteTask:
    """A visa, a visa with remarks, or a rejection (reason required) of the version with ``sha256``;
    the signer may reject too.

    ``sha256`` is what the approver looked at: when the draft has a newer version, nothing is recorded.
    A rejection ends the round and returns the draft to its author.
    """
    require_task_owner(actor, task)
    if decision not in VISA_DECISIONS:
        raise ApplicationError(_("Оберіть рішення: погодити, погодити із зауваженнями або не погодити."),
                               code="invalid_choice", field="decision")
    comment = (comment or "").strip()[:4000]
    if decision == Decision.APPROVED_WITH_REMARKS and not comment:
        raise ApplicationError(_("Вкажіть зауваження до проєкту."), code="required", field="comment")
    if decision == Decision.REJECTED and not comment:
        raise ApplicationError(_("Вкажіть причину, з якої ви не погоджуєте проєкт."), code="required",
                               field="comment")
    with transaction.atomic():
        draft, route, locked = lock_task(task)
        check_sha(draft, sha256)
        # The signer may refuse to sign (a rejection with a reason), but signs only through the sign step.
        refusing_to_sign = decision == Decision.REJECTED and locked.kind == StepKind.SIGN
        require_task_turn(route=route, task=locked, draft=draft,
                          kind=StepKind.SIGN if refusing_to_sign else StepKind.VISA)
        locked.decision = decision
        locked.comment = comment
        locked.sha256 = draft.current_sha256
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["decision", "comment", "sha256", "decided_at", "decided_by", "updated_at"])
        audit_log(actor=actor, action="route_task.decide", obj=draft, params={
            "task": str(locked.pk), "route": str(route.pk), "round": route.round, "stage": locked.stage,
            "approver": str(locked.approver_id), "decision": decision, "comment": comment,
            "sha256": locked.sha256})
        if decision == Decision.REJECTED:
            _reject(route=route, draft=draft, task=locked, actor=actor)
        else:
            _advance_if_stage_done(route=route, draft=draft, actor=actor)
    task.refresh_from_db()
    return task
