"""Organisations, their unit trees, positions, employees, roles and acting deputies."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel
from ratusha.orgs.constants import InstallationRole, OrgKind, Role


class User(AbstractUser):
    """A person who logs in (staff). Citizens get their own model later."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    middle_name = models.CharField(_("по батькові"), max_length=150, blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("користувач")
        verbose_name_plural = _("користувачі")
        ordering = ["last_name", "first_name"]

    @property
    def full_name(self) -> str:
        parts = [self.last_name, self.first_name, self.middle_name]
        return " ".join(p for p in parts if p) or self.username

    @property
    def short_name(self) -> str:
        """«Прізвище І. П.» as on Ukrainian documents."""
        initials = "".join(f"{p[0]}. " for p in (self.first_name, self.middle_name) if p).strip()
        return f"{self.last_name} {initials}".strip() or self.username

    def __str__(self) -> str:
        return self.full_name


class Organisation(BaseModel):
    kind = models.CharField(_("вид"), max_length=32, choices=OrgKind.choices)
    name = models.CharField(_("повна назва"), max_length=300)
    short_name = models.CharField(_("скорочена назва"), max_length=120)
    code = models.SlugField(_("код"), max_length=40, unique=True,
                            help_text=_("Латиницею, унікальний: використовується в адресах і обміні."))
    edrpou = models.CharField(_("код ЄДРПОУ"), max_length=10, blank=True)
    parent = models.ForeignKey("self", verbose_name=_("підпорядкована"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    address = models.CharField(_("адреса"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    is_active = models.BooleanField(_("діє"), default=True)

    class Meta:
        verbose_name = _("організація")
        verbose_name_plural = _("організації")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Unit(BaseModel):
    """A structural unit (управління, відділ, сектор); a tree inside one organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units",
                                     verbose_name=_("організація"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("входить до"))
    name = models.CharField(_("назва"), max_length=300)
    code = models.CharField(_("індекс підрозділу"), max_length=20,
                            help_text=_("Використовується в індексах справ, напр. «02»."))
    is_active = models.BooleanField(_("діє"), default=True)

    class Meta:
        verbose_name = _("підрозділ")
        verbose_name_plural = _("підрозділи")
        ordering = ["organisation", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unit_code_unique")]

    def __str__(self) -> str:
        return self.name


class Position(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("посада"), max_length=200)
    is_head = models.BooleanField(_("керівна посада"), default=False)

    class Meta:
        verbose_name = _("посада")
        verbose_name_plural = _("посади")
        ordering = ["organisation", "title"]

    def __str__(self) -> str:
        return self.title


class Employee(BaseModel):
    """A user's appointment in an organisation, with the roles they hold there."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="employments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="employees")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="employees")
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="employees")
    roles = models.JSONField(_("ролі"), default=list, blank=True)
    is_active = models.BooleanField(_("працює"), default=True)

    class Meta:
        verbose_name = _("працівник")
        verbose_name_plural = _("працівники")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="employee_user_org_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.position or ''} ({self.organisation})"

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles if r in Role.values]


class Delegation(BaseModel):
    """Acting (виконувач обов'язків): the deputy holds the principal's rights for a date range."""

    principal = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="delegations_given",
                                  verbose_name=_("кого заміщують"))
    deputy = models.ForeignKey(User, on_delete=models.PROTECT, related_name="delegations_received",
                               verbose_name=_("хто виконує обов'язки"))
    start = models.DateField(_("з"))
    end = models.DateField(_("по"))
    reason = models.CharField(_("підстава"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("виконання обов'язків")
        verbose_name_plural = _("виконання обов'язків")
        ordering = ["-start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")),
                                              name="delegation_range_valid")]

    def __str__(self) -> str:
        return f"{self.deputy} → {self.principal.user} ({self.start:%d.%m.%Y}–{self.end:%d.%m.%Y})"


class InstallationRoleGrant(BaseModel):
    """A person's installation role (not bound to any organisation); revoked grants stay as history."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="installation_role_grants",
                             verbose_name=_("користувач"))
    role = models.CharField(_("роль установки"), max_length=32, choices=InstallationRole.choices)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("хто надав"))
    granted_at = models.DateTimeField(_("надано"), default=timezone.now)
    revoked_at = models.DateTimeField(_("відкликано"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("хто відкликав"))
    note = models.CharField(_("підстава"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("роль установки")
        verbose_name_plural = _("ролі установки")
        ordering = ["role", "-granted_at"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], condition=Q(revoked_at__isnull=True),
                                               name="installation_role_active_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
