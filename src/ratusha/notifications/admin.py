"""Django admin for notifications: read-only, to see e-mail failures and sent digests. Notifications
change only through the services (a person marks their own read in the office)."""

from __future__ import annotations

from django.contrib import admin

from ratusha.core.admin import ReadOnlyAdmin
from ratusha.notifications.models import DigestRun, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at", "delivery", "email_state", "email_error")
    list_filter = ("kind", "email_state", "delivery")
    search_fields = ("title", "recipient__username", "recipient__last_name")
    list_select_related = ("recipient",)


@admin.register(DigestRun)
class DigestRunAdmin(ReadOnlyAdmin):
    list_display = ("date", "user", "state", "items", "sent_at", "error")
    list_filter = ("state", "date")
    list_select_related = ("user",)
