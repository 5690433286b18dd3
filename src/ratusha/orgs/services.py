"""Writes on organisations, units, positions, staff and acting deputies (docs/architecture.md rule 1).

Every function here is keyword-only, runs in one ``transaction.atomic()`` and appends its audit
event in the same transaction. ``actor=None`` means the system itself (CLI, demo loader); a user
actor must be a superuser or an administrator of the organisation concerned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs import permissions
from ratusha.orgs.constants import OrgKind, Role
from ratusha.orgs.models import Delegation, Employee, Organisation, Position, Unit, User
from ratusha.orgs.services_installation import installation_role_grant, installation_role_revoke

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9.@+_-]{0,149}$")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{5,30}$")

__all__ = ["installation_role_grant", "installation_role_revoke"]  # re-exported: installation roles


# --- checks shared by the services -------------------------------------------------------------

def _require_admin(actor: Any | None, organisation: Organisation | None) -> None:
    """System (None), a superuser, or an administrator of ``organisation`` (incl. acting)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return
    if organisation is not None and permissions.is_org_admin(actor, organisation):
        return
    raise PermissionDeniedError(_("Цю дію може виконати лише адміністратор організації."))


def normalize_roles(roles: Iterable[str]) -> list[str]:
    """Validate role codes against ``Role``; return them unique, in the order of ``Role``."""
    wanted = {str(r).strip() for r in roles if str(r).strip()}
    unknown = sorted(wanted - set(Role.values))
    if unknown:
        raise ApplicationError(_("Невідома роль: %(roles)s.") % {"roles": ", ".join(unknown)},
                               code="unknown_role", field="roles")
    return [r for r in Role.values if r in wanted]


def normalize_username(username: str) -> str:
    value = (username or "").strip().lower()
    if not value:
        raise ApplicationError(_("Вкажіть логін."), code="required", field="username")
    if not USERNAME_RE.match(value):
        raise ApplicationError(
            _("Логін може містити лише латинські літери, цифри та символи . @ + - _ (до 150)."),
            code="bad_username", field="username")
    return value


def check_email(email: str) -> str:
    value = (email or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ApplicationError(_("Некоректна адреса e-mail: «%(value)s».") % {"value": value},
                                   code="bad_email", field="email") from None
    return value


def check_phone(phone: str) -> str:
    value = (phone or "").strip()
    if value and (not PHONE_RE.match(value) or not 5 <= sum(c.isdigit() for c in value) <= 15):
        raise ApplicationError(_("Некоректний номер телефону: «%(value)s».") % {"value": value},
                               code="bad_phone", field="phone")
    return value


def _check_unit_position(organisation: Organisation, unit: Unit | None, position: Position | None) -> None:
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ApplicationError(_("Підрозділ належить іншій організації."), code="foreign_unit", field="unit")
    if position is not None and position.organisation_id != organisation.pk:
        raise ApplicationError(_("Посада належить іншій організації."), code="foreign_position",
                               field="position")


# --- organisations, units, positions ---------------------------------------------------------

@transaction.atomic
def organisation_create(*, actor: Any | None, kind: str, name: str, short_name: str, code: str,
                        parent: Organisation | None = None, edrpou: str = "", address: str = "",
                        email: str = "", phone: str = "") -> Organisation:
    if actor is not None and not getattr(actor, "is_superuser", False):
        _require_admin(actor, parent)  # an administrator may add a subordinate organisation
    if kind not in OrgKind.values:
        raise ApplicationError(_("Невідомий вид організації."), code="bad_kind", field="kind")
    name, short_name, code = (name or "").strip(), (short_name or "").strip(), (code or "").strip()
    if not name:
        raise ApplicationError(_("Вкажіть повну назву організації."), code="required", field="name")
    if not CODE_RE.match(code):
        raise ApplicationError(_("Код організації: латинські малі літери, цифри та дефіс (до 40)."),
                               code="bad_code", field="code")
    if Organisation.objects.filter(code=code).exists():
        raise ApplicationError(_("Організація з кодом «%(code)s» уже існує.") % {"code": code},
                               code="duplicate_code", field="code")
    edrpou = (edrpou or "").strip()
    if edrpou and not re.fullmatch(r"\d{8}", edrpou):
        raise ApplicationError(_("Код ЄДРПОУ складається з 8 цифр."), code="bad_edrpou", field="edrpou")
    organisation = Organisation.objects.create(
        kind=kind, name=name, short_name=short_name or name[:120], code=code, parent=parent,
        edrpou=edrpou, address=address.strip(), email=check_email(email), phone=check_phone(phone))
    audit_log(actor=actor, action="organisation.create", obj=organisation,
              params={"kind": kind, "code": code, "parent": str(parent.pk) if parent else None})
    return organisation


@transaction.atomic
def unit_create(*, actor: Any | None, organisation: Organisation, name: str, code: str,
                parent: Unit | None = None) -> Unit:
    _require_admin(actor, organisation)
    name, code = (name or "").strip(), (code or "").strip()
    if not name:
        raise ApplicationError(_("Вкажіть назву підрозділу."), code="required", field="name")
    if not code or len(code) > 20:
        raise ApplicationError(_("Вкажіть індекс підрозділу (до 20 символів)."), code="required", field="code")
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ApplicationError(_("Батьківський підрозділ має належати тій самій організації."),
                               code="foreign_parent", field="parent")
    if Unit.objects.filter(organisation=organisation, code=code).exists():
        raise ApplicationError(_("Підрозділ з індексом «%(code)s» уже є в цій організації.") % {"code": code},
                               code="duplicate_code", field="code")
    unit = Unit.objects.create(organisation=organisation, parent=parent, name=name, code=code)
    audit_log(actor=actor, action="unit.create", obj=unit,
              params={"organisation": str(organisation.pk), "code": code,
                      "parent": str(parent.pk) if parent else None})
    return unit


@transaction.atomic
def position_create(*, actor: Any | None, organisation: Organisation, title: str,
                    unit: Unit | None = None, is_head: bool = False) -> Position:
    _require_admin(actor, organisation)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ApplicationError(_("Вкажіть назву посади (до 200 символів)."), code="required", field="title")
    _check_unit_position(organisation, unit, None)
    position = Position.objects.create(organisation=organisation, unit=unit, title=title, is_head=is_head)
    audit_log(actor=actor, action="position.create", obj=position,
              params={"organisation": str(organisation.pk), "unit": str(unit.pk) if unit else None,
                      "is_head": is_head})
    return position


# --- employees --------------------------------------------------------------------------------

@transaction.atomic
def employee_hire(*, actor: Any | None, organisation: Organisation, roles: Iterable[str],
                  user: User | None = None, username: str = "", last_name: str = "",
                  first_name: str = "", middle_name: str = "", email: str = "", phone: str = "",
                  unit: Unit | None = None, position: Position | None = None,
                  password: str | None = None, password_hash: str | None = None) -> Employee:
    """Appoint a person in ``organisation``, creating their User unless ``user`` is given.

    A dismissed appointment in the same organisation is re-activated with the new data.
    Without ``password``/``password_hash`` a new user gets an unusable password (set by an admin).
    """
    _require_admin(actor, organisation)
    role_list = normalize_roles(roles)
    _check_unit_position(organisation, unit, position)
    created_user = False
    if user is None:
        username = normalize_username(username)
        last_name, first_name = (last_name or "").strip(), (first_name or "").strip()
        if not last_name:
            raise ApplicationError(_("Вкажіть прізвище."), code="required", field="last_name")
        if not first_name:
            raise ApplicationError(_("Вкажіть ім'я."), code="required", field="first_name")
        if User.objects.filter(username__iexact=username).exists():
            raise ApplicationError(_("Логін «%(login)s» уже зайнятий.") % {"login": username},
                                   code="username_taken", field="username")
        user = User(username=username, last_name=last_name, first_name=first_name,
                    middle_name=(middle_name or "").strip(), email=check_email(email),
                    phone=check_phone(phone))
        if password_hash:
            user.password = password_hash
        elif password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        created_user = True
    elif not user.is_active:
        raise ApplicationError(_("Обліковий запис вимкнено."), code="inactive_user", field="user")

    employee = Employee.objects.select_for_update().filter(user=user, organisation=organisation).first()
    if employee is not None and employee.is_active:
        raise ApplicationError(_("%(name)s уже працює в цій організації.") % {"name": user.full_name},
                               code="already_employed", field="username")
    if employee is None:
        employee = Employee.objects.create(user=user, organisation=organisation, unit=unit,
                                           position=position, roles=role_list)
        action = "employee.hire"
    else:
        employee.unit, employee.position, employee.roles, employee.is_active = unit, position, role_list, True
        employee.save(update_fields=["unit", "position", "roles", "is_active", "updated_at"])
        action = "employee.rehire"
    audit_log(actor=actor, action=action, obj=employee,
              params={"organisation": str(organisation.pk), "user": str(user.pk), "username": user.username,
                      "created_user": created_user, "roles": role_list,
                      "unit": str(unit.pk) if unit else None,
                      "position": str(position.pk) if position else None})
    return employee


USER_FIELDS = ("last_name", "first_name", "middle_name", "email", "phone")
EMPLOYEE_FIELDS = ("unit", "position", "roles")


@transaction.atomic
def employee_update(*, actor: Any | None, employee: Employee, **fields: Any) -> Employee:
    """Change an appointment (unit, position, roles) and the person's names/contacts."""
    _require_admin(actor, employee.organisation)
    unknown = set(fields) - set(USER_FIELDS) - set(EMPLOYEE_FIELDS)
    if unknown:
        raise ApplicationError(_("Ці поля не можна змінювати: %(f)s.") % {"f": ", ".join(sorted(unknown))},
                               code="bad_field")
    employee = Employee.objects.select_for_update().select_related("user", "organisation").get(pk=employee.pk)
    user = employee.user
    if "roles" in fields:
        fields["roles"] = normalize_roles(fields["roles"])
    if "email" in fields:
        fields["email"] = check_email(fields["email"])
    if "phone" in fields:
        fields["phone"] = check_phone(fields["phone"])
    for required in ("last_name", "first_name"):
        if required in fields and not (fields[required] or "").strip():
            raise ApplicationError(_("Поле не може бути порожнім."), code="required", field=required)
    _check_unit_position(employee.organisation, fields.get("unit"), fields.get("position"))
    changes: dict[str, Any] = {}
    for name in USER_FIELDS:
        if name in fields:
            value = (fields[name] or "").strip()
            if getattr(user, name) != value:
                changes[name] = value
                setattr(user, name, value)
    for name in EMPLOYEE_FIELDS:
        if name in fields:
            value = fields[name]
            current = getattr(employee, name)
            if current != value:
                changes[name] = str(value.pk) if hasattr(value, "pk") else value
                setattr(employee, name, value)
    if not changes:
        return employee
    user.save()
    employee.save()
    audit_log(actor=actor, action="employee.update", obj=employee, params={"changes": changes})
    return employee


@transaction.atomic
def employee_set_roles(*, actor: Any | None, employee: Employee, roles: Iterable[str]) -> Employee:
    """Replace the roles of an appointment (validated against ``Role``)."""
    _require_admin(actor, employee.organisation)
    role_list = normalize_roles(roles)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before = list(employee.roles)
    employee.roles = role_list
    employee.save(update_fields=["roles", "updated_at"])
    audit_log(actor=actor, action="employee.set_roles", obj=employee,
              params={"before": before, "after": role_list})
    return employee


@transaction.atomic
def employee_dismiss(*, actor: Any | None, employee: Employee, reason: str = "") -> Employee:
    """End an appointment. Its delegations (given or received in that organisation) end too."""
    _require_admin(actor, employee.organisation)
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    if not employee.is_active:
        raise ApplicationError(_("Працівника вже звільнено."), code="already_dismissed")
    if actor is not None and employee.user_id == actor.pk:
        raise ApplicationError(_("Не можна звільнити самого себе."), code="self_dismiss")
    employee.is_active = False
    employee.save(update_fields=["is_active", "updated_at"])
    current = Delegation.objects.filter(revoked_at__isnull=True, end__gte=timezone.localdate()).filter(
        Q(principal=employee) | Q(deputy=employee.user, principal__organisation=employee.organisation))
    revoked_ids = [str(pk) for pk in current.values_list("pk", flat=True)]
    Delegation.objects.filter(pk__in=revoked_ids).update(revoked_at=timezone.now())
    audit_log(actor=actor, action="employee.dismiss", obj=employee,
              params={"reason": reason.strip(), "revoked_delegations": revoked_ids})
    return employee


# --- acting deputies (виконання обов'язків) ---------------------------------------------------

@transaction.atomic
def delegation_create(*, actor: Any | None, principal: Employee, deputy: User, start: dt.date,
                      end: dt.date, reason: str = "") -> Delegation:
    """The deputy holds the principal's rights in the principal's organisation from start to end.

    Allowed for an administrator of the organisation, or for the principal themselves when the
    deputy also works in that organisation.
    """
    organisation = principal.organisation
    is_self = actor is not None and principal.user_id == actor.pk
    if not is_self:
        _require_admin(actor, organisation)
    if start is None:
        raise ApplicationError(_("Вкажіть дату початку."), code="required", field="start")
    if end is None:
        raise ApplicationError(_("Вкажіть дату закінчення."), code="required", field="end")
    if end < start:
        raise ApplicationError(_("Дата закінчення раніша за дату початку."), code="bad_range", field="end")
    if deputy.pk == principal.user_id:
        raise ApplicationError(_("Працівник не може виконувати обов'язки самого себе."),
                               code="self_delegation", field="deputy")
    if not deputy.is_active:
        raise ApplicationError(_("Обліковий запис заступника вимкнено."), code="inactive_user", field="deputy")
    # Lock the principal: two concurrent requests cannot both pass the overlap check.
    principal = Employee.objects.select_for_update().select_related("user").get(pk=principal.pk)
    if not principal.is_active:
        raise ApplicationError(_("Не можна призначити заміщення звільненого працівника."),
                               code="inactive_principal", field="principal")
    if is_self and not (permissions.is_org_admin(actor, organisation) or Employee.objects.filter(
            user=deputy, organisation=organisation, is_active=True).exists()):
        raise PermissionDeniedError(
            _("Заступником можна призначити лише працівника вашої організації."), field="deputy")
    overlap = (Delegation.objects.filter(principal=principal, revoked_at__isnull=True,
                                         start__lte=end, end__gte=start)
               .select_related("deputy").order_by("start").first())
    if overlap is not None:
        raise ApplicationError(
            _("На цей період уже призначено виконувача обов'язків: %(who)s з %(start)s по %(end)s.") % {
                "who": overlap.deputy.full_name, "start": f"{overlap.start:%d.%m.%Y}",
                "end": f"{overlap.end:%d.%m.%Y}"},
            code="delegation_overlap", field="start")
    delegation = Delegation.objects.create(principal=principal, deputy=deputy, start=start, end=end,
                                           reason=(reason or "").strip()[:300])
    audit_log(actor=actor, action="delegation.create", obj=delegation,
              params={"principal": str(principal.pk), "deputy": str(deputy.pk),
                      "organisation": str(organisation.pk), "start": start, "end": end,
                      "roles": list(principal.roles)})
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Any | None, delegation: Delegation, reason: str = "") -> Delegation:
    delegation = (Delegation.objects.select_for_update().select_related("principal__organisation")
                  .get(pk=delegation.pk))
    if not (actor is not None and delegation.principal.user_id == actor.pk):
        _require_admin(actor, delegation.principal.organisation)
    if delegation.revoked_at is not None:
        raise ApplicationError(_("Заміщення вже скасовано."), code="already_revoked")
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at", "updated_at"])
    audit_log(actor=actor, action="delegation.revoke", obj=delegation, params={"reason": reason.strip()})
    return delegation


# --- staff import (the parsing and the dry run live in orgs/importing.py) ----------------------

@transaction.atomic
def staff_import(*, actor: Any | None, organisation: Organisation, content: bytes, filename: str = ""):
    """Apply a CSV of staff in one transaction: everything or nothing.

    The file is parsed again (the data may have changed since the dry run); any error refuses the
    whole import with ``ApplicationError`` whose ``extra["report"]`` holds the fresh report.
    """
    import hashlib

    from ratusha.orgs import importing

    _require_admin(actor, organisation)
    report = importing.parse_staff_csv(organisation=organisation, content=content)
    if not report.ok:
        raise ApplicationError(_("Файл містить помилки, нічого не імпортовано."), code="import_invalid",
                               extra={"report": report}, field="file")
    new_positions: dict[tuple[str, Any], Position] = {}
    for row in report.rows:
        data = row.data
        unit = data.get("unit")
        position = data.get("position")
        try:
            if row.new_position:
                pos_unit = unit or (row.employee.unit if row.employee else None)
                key = (data["position_title"].casefold(), pos_unit.pk if pos_unit else None)
                if key not in new_positions:
                    new_positions[key] = position_create(actor=actor, organisation=organisation,
                                                         title=data["position_title"], unit=pos_unit)
                position = new_positions[key]
            if row.action == "create":
                employee_hire(actor=actor, organisation=organisation, roles=data["roles"],
                              username=row.username, last_name=data["last_name"],
                              first_name=data["first_name"], middle_name=data.get("middle_name", ""),
                              email=data.get("email", ""), phone=data.get("phone", ""), unit=unit,
                              position=position)
                continue
            employee = row.employee
            assert employee is not None
            if row.action == "rehire":
                employee = employee_hire(actor=actor, organisation=organisation, user=employee.user,
                                         roles=data.get("roles", employee.roles),
                                         unit=unit or employee.unit, position=position or employee.position)
            fields = {name: data[name] for name in USER_FIELDS if data.get(name)}
            if unit is not None:
                fields["unit"] = unit
            if position is not None:
                fields["position"] = position
            if "roles" in data:
                fields["roles"] = data["roles"]
            employee_update(actor=actor, employee=employee, **fields)
        except ApplicationError as exc:
            raise ApplicationError(_("Рядок %(line)s: %(msg)s") % {"line": row.line, "msg": exc.message},
                                   code=exc.code, extra={"line": row.line}, field="file") from exc
    summary = report.summary
    audit_log(actor=actor, action="staff.import", obj=organisation,
              params={"file": filename[:200], "sha256": hashlib.sha256(content).hexdigest(),
                      "encoding": report.encoding, "rows": len(report.rows), **summary,
                      "positions_created": len(new_positions)})
    return report
