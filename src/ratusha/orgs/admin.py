"""Django admin for organisations and staff (superusers only; every change is audited)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ratusha.core.admin import AuditedAdmin
from ratusha.orgs.models import Delegation, Employee, Organisation, Position, Unit, User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Особисті дані"), {"fields": ("last_name", "first_name", "middle_name", "email", "phone")}),
        (_("Права"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Дати"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "last_name", "first_name", "middle_name", "email", "is_active", "is_superuser")
    list_filter = ("is_active", "is_superuser")
    search_fields = ("username", "last_name", "first_name", "middle_name", "email")
    ordering = ("last_name", "first_name")
    readonly_fields = ("last_login", "date_joined")


class UnitInline(admin.TabularInline):
    model = Unit
    fk_name = "organisation"
    fields = ("code", "name", "parent", "is_active")
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "kind", "code", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code", "edrpou")
    autocomplete_fields = ("parent",)
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "organisation", "parent", "is_active")
    list_filter = ("organisation", "is_active")
    search_fields = ("name", "code")
    autocomplete_fields = ("organisation", "parent")


@admin.register(Position)
class PositionAdmin(AuditedAdmin):
    list_display = ("title", "organisation", "unit", "is_head")
    list_filter = ("organisation", "is_head")
    search_fields = ("title",)
    autocomplete_fields = ("organisation", "unit")


@admin.register(Employee)
class EmployeeAdmin(AuditedAdmin):
    list_display = ("user", "organisation", "unit", "position", "roles", "is_active")
    list_filter = ("organisation", "is_active")
    search_fields = ("user__username", "user__last_name", "user__first_name")
    autocomplete_fields = ("user", "organisation", "unit", "position")
    list_select_related = ("user", "organisation", "unit", "position")


@admin.register(Delegation)
class DelegationAdmin(AuditedAdmin):
    list_display = ("principal", "deputy", "start", "end", "revoked_at")
    list_filter = ("principal__organisation",)
    search_fields = ("principal__user__last_name", "deputy__last_name", "reason")
    autocomplete_fields = ("principal", "deputy")
    list_select_related = ("principal__user", "principal__organisation", "principal__position", "deputy")
