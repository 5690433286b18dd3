"""Django admin for the core: the audit log and blobs are read-only; an ``AuditedAdmin`` base class
makes every change made through the admin land in the audit chain too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms.models import model_to_dict
from django.http import HttpRequest

from ratusha.core.audit import audit_log
from ratusha.core.models import AuditEvent, Blob, LoginFailure


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never added, changed or deleted through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits are writes too (docs/architecture.md rule 3): each save and delete appends an audit event
    in the same transaction as the change (admin views run inside ``transaction.atomic``)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = list(form.changed_data) if change else []
        params: dict[str, Any] = {"via": "django-admin", "changed": changed}
        if not change:
            params["values"] = {k: str(v)[:200] for k, v in model_to_dict(obj).items()
                                if k not in {"password"}}
        audit_log(actor=request.user, action=f"admin.{'change' if change else 'add'}", obj=obj, params=params)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_log(actor=request.user, action="admin.delete", obj=obj, params={"via": "django-admin"})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit_log(actor=request.user, action="admin.delete", obj=obj, params={"via": "django-admin"})
        super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "actor_repr", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("actor_repr", "action", "object_id", "object_repr")
    date_hierarchy = "at"
    ordering = ("-seq",)
    list_select_related = False
    show_full_result_count = False  # COUNT(*) over millions of rows is slow


@admin.register(Blob)
class BlobAdmin(ReadOnlyAdmin):
    list_display = ("sha256", "mime", "size", "created_at")
    list_filter = ("mime",)
    search_fields = ("sha256",)


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    list_display = ("username", "ip", "at")
    search_fields = ("username", "ip")
    date_hierarchy = "at"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Unlocking an account early is a legitimate admin action; it is audited.
        return bool(request.user.is_superuser)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_log(actor=request.user, action="admin.unlock_login", object_type="core.loginfailure",
                  object_repr=obj.username, params={"username": obj.username, "ip": obj.ip})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        names = sorted(set(queryset.values_list("username", flat=True)))
        audit_log(actor=request.user, action="admin.unlock_login", object_type="core.loginfailure",
                  object_repr=", ".join(names)[:300], params={"usernames": names[:100]})
        super().delete_queryset(request, queryset)

