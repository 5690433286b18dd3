"""Django admin for Open311: services with their definitions (attributes, values) and API keys.

A key is created through ``api_key_create`` and shown once, in the confirmation message; afterwards only
its identifier is visible. Keys are revoked (an action), never deleted: requests keep referring to them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ratusha.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import ApiKey, Open311Attribute, Open311AttributeValue, Open311Service, ServiceRequest
from .services import api_key_create, api_key_revoke


class AttributeInline(admin.TabularInline):
    model = Open311Attribute
    fields = ("order", "code", "description", "datatype", "required", "variable", "datatype_description")
    extra = 0
    show_change_link = True


@admin.register(Open311Service)
class Open311ServiceAdmin(AuditedAdmin):
    list_display = ("service_code", "name", "group", "type", "organisation", "topic", "is_active", "order")
    list_filter = ("is_active", "type", "group", "organisation")
    search_fields = ("service_code", "name", "keywords", "group")
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("topic",)
    inlines = [AttributeInline]


class ValueInline(admin.TabularInline):
    model = Open311AttributeValue
    fields = ("order", "key", "name")
    extra = 0


@admin.register(Open311Attribute)
class Open311AttributeAdmin(AuditedAdmin):
    list_display = ("service", "order", "code", "datatype", "required", "variable")
    list_filter = ("datatype", "required", "service")
    search_fields = ("code", "description", "service__service_code")
    inlines = [ValueInline]


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["organisation", "name"]

    def clean_organisation(self) -> Any:
        organisation = self.cleaned_data["organisation"]
        if organisation is not None and not organisation.is_active:
            raise forms.ValidationError(_("Організація не діє: ключ для неї не видається."))
        return organisation


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedAdmin):
    form = ApiKeyForm
    list_display = ("name", "organisation", "key_id", "created_at", "last_used_at", "revoked_at")
    list_filter = ("organisation",)
    search_fields = ("name", "key_id")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("key_id", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["organisation", "name"] if obj is None else ["organisation", "name", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.readonly_fields + (("organisation",) if obj is not None else ())

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = api_key_create(actor=request.user, organisation=obj.organisation, name=obj.name)
        obj.pk, obj.key_id, obj.key_hash, obj.created_at = key.pk, key.key_id, key.key_hash, key.created_at
        obj._state.adding = False
        self.message_user(request, gettext("Ключ для «%(name)s»: %(key)s — скопіюйте його зараз, більше він "
                                           "показаний не буде.") % {"name": key.name, "key": raw},
                          messages.WARNING)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Відкликати вибрані ключі"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for key in queryset:
            api_key_revoke(actor=request.user, api_key=key)
        self.message_user(request, gettext("Ключі відкликано."), messages.SUCCESS)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    list_display = ("number", "service", "address_string", "created_at", "api_key")
    list_filter = ("service",)
    search_fields = ("=number", "address_string")
    fields = ("number", "service", "appeal", "api_key", "description", "address_string", "address_id", "lat",
              "long", "media_url", "attributes", "created_at")
    readonly_fields = fields
