"""Route templates: created and edited by the organisation's administrators and heads.

Every edit keeps the template consistent: at most one sign step, and it is the last stage, alone.
A template without its sign step is incomplete and is not offered when a route is started.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee, Organisation
from ratusha.orgs.permissions import has_role
from ratusha.registry.constants import DocumentKind
from ratusha.registry.services._common import normalise_spaces, require_choice, require_text
from ratusha.workflow.approvals.constants import MAX_ROUTE_STEPS, MAX_STAGES, ApproverKind, StepKind
from ratusha.workflow.approvals.models import RouteTemplate, RouteTemplateStep

TEMPLATE_MANAGERS = frozenset({Role.ADMIN, Role.HEAD})


def can_manage_templates(user: Any, organisation: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or has_role(user, getattr(organisation, "pk", organisation), TEMPLATE_MANAGERS)


def _require_manager(actor: Any, organisation: Any) -> None:
    if not can_manage_templates(actor, organisation):
        raise PermissionDeniedError(_("Шаблони маршрутів налаштовують адміністратори та керівники організації."))


def _clean(name: str, kind: str) -> tuple[str, str]:
    name = normalise_spaces(require_text(name, field="name", message=_("Вкажіть назву шаблону.")))[:200]
    kind = require_choice(kind, DocumentKind, field="kind", blank=True)
    return name, kind


def _lock(template: RouteTemplate) -> RouteTemplate:
    return RouteTemplate.objects.select_for_update().get(pk=template.pk)


def _stale(template: RouteTemplate, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != template.version:
        raise ApplicationError(_("Шаблон щойно змінив інший користувач. Перегляньте зміни й повторіть дію."),
                               code="stale_template")


def route_template_create(*, actor: Any, organisation: Organisation, name: str, kind: str = "") -> RouteTemplate:
    _require_manager(actor, organisation)
    name, kind = _clean(name, kind)
    with transaction.atomic():
        template = RouteTemplate.objects.create(organisation=organisation, name=name, kind=kind, created_by=actor)
        audit_log(actor=actor, action="route_template.create", obj=template,
                  params={"organisation": str(organisation.pk), "name": name, "kind": kind})
    return template


def route_template_update(*, actor: Any, template: RouteTemplate, name: str, kind: str, is_active: bool,
                          expected_version: int | None = None) -> RouteTemplate:
    _require_manager(actor, template.organisation_id)
    name, kind = _clean(name, kind)
    with transaction.atomic():
        locked = _lock(template)
        _stale(locked, expected_version)
        changes = {field: [getattr(locked, field), value] for field, value in
                   (("name", name), ("kind", kind), ("is_active", bool(is_active)))
                   if getattr(locked, field) != value}
        if changes:
            for field, (_old, value) in changes.items():
                setattr(locked, field, value)
            locked.version += 1
            locked.save(update_fields=[*changes, "version", "updated_at"])
            audit_log(actor=actor, action="route_template.update", obj=locked, params={"changes": changes})
    template.refresh_from_db()
    return template


def _check_step(*, template: RouteTemplate, stage: int, kind: str, approver_kind: str, user: Any) -> None:
    steps = list(template.steps.all())
    if len(steps) >= MAX_ROUTE_STEPS:
        raise ApplicationError(_("У шаблоні вже найбільша кількість кроків (%(n)d).") % {"n": MAX_ROUTE_STEPS},
                               code="too_many_steps")
    if not 1 <= stage <= MAX_STAGES:
        raise ApplicationError(_("Номер етапу — від 1 до %(n)d.") % {"n": MAX_STAGES}, code="invalid",
                               field="stage")
    if approver_kind == ApproverKind.USER:
        if user is None:
            raise ApplicationError(_("Оберіть працівника."), code="required", field="user")
        staff = Employee.objects.filter(user=user, is_active=True, user__is_active=True)
        if kind == StepKind.SIGN:
            staff = staff.filter(organisation_id=template.organisation_id)
        if not staff.exists():
            message = (_("Підписувач має бути працівником цієї організації.") if kind == StepKind.SIGN
                       else _("Оберіть чинного працівника."))
            raise ApplicationError(message, code="not_staff", field="user")
    sign = next((s for s in steps if s.kind == StepKind.SIGN), None)
    if kind == StepKind.SIGN:
        if sign is not None:
            raise ApplicationError(_("У шаблоні вже є підписувач (етап %(n)d). Спершу вилучіть його.")
                                   % {"n": sign.stage}, code="sign_exists", field="kind")
        last_visa = max((s.stage for s in steps), default=0)
        if stage <= last_visa:
            raise ApplicationError(_("Підписання має бути останнім етапом: вкажіть етап після %(n)d.")
                                   % {"n": last_visa}, code="sign_not_last", field="stage")
    else:
        if sign is not None and stage >= sign.stage:
            raise ApplicationError(_("Візи мають передувати підписанню (етап %(n)d): вкажіть менший номер етапу.")
                                   % {"n": sign.stage}, code="visa_after_sign", field="stage")
        duplicate = any(s.kind == StepKind.VISA and s.approver_kind == approver_kind
                        and (approver_kind == ApproverKind.UNIT_HEAD or s.user_id == user.pk) for s in steps)
        if duplicate:
            raise ApplicationError(_("Цей погоджувач уже є в шаблоні."), code="duplicate", field="user")


def route_template_step_add(*, actor: Any, template: RouteTemplate, stage: int, kind: str = StepKind.VISA,
                            approver_kind: str = ApproverKind.USER, user: Any = None) -> RouteTemplateStep:
    _require_manager(actor, template.organisation_id)
    kind = require_choice(kind, StepKind, field="kind")
    approver_kind = require_choice(approver_kind, ApproverKind, field="approver_kind")
    try:
        stage = int(stage)
    except (TypeError, ValueError):
        raise ApplicationError(_("Вкажіть номер етапу цілим числом."), code="invalid", field="stage") from None
    if approver_kind == ApproverKind.UNIT_HEAD:
        user = None
    with transaction.atomic():
        locked = _lock(template)
        _check_step(template=locked, stage=stage, kind=kind, approver_kind=approver_kind, user=user)
        step = RouteTemplateStep.objects.create(template=locked, stage=stage, kind=kind,
                                                approver_kind=approver_kind, user=user)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        audit_log(actor=actor, action="route_template.step_add", obj=locked, params={
            "step": str(step.pk), "stage": stage, "kind": kind, "approver_kind": approver_kind,
            "user": str(user.pk) if user is not None else None})
    template.refresh_from_db()
    return step


def route_template_step_remove(*, actor: Any, step: RouteTemplateStep) -> None:
    template = step.template
    _require_manager(actor, template.organisation_id)
    with transaction.atomic():
        locked = _lock(template)
        deleted, _rows = RouteTemplateStep.objects.filter(pk=step.pk, template=locked).delete()
        if not deleted:
            return  # removed meanwhile by someone else: the result is what both wanted
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        audit_log(actor=actor, action="route_template.step_remove", obj=locked, params={
            "step": str(step.pk), "stage": step.stage, "kind": step.kind, "approver_kind": step.approver_kind,
            "user": str(step.user_id) if step.user_id else None})
    template.refresh_from_db()


def template_next_stage(template: RouteTemplate) -> int:
    return (template.steps.aggregate(m=Max("stage"))["m"] or 0) + 1
