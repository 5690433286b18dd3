"""Django admin for the registry. Registration cards, files and numbering are read-only here: they
change only through the registry services (numbering, audit). Journals and the nomenclature are
editable, and every change is audited."""

from __future__ import annotations

from django.contrib import admin

from ratusha.core.admin import AuditedAdmin, ReadOnlyAdmin
from ratusha.registry.models import (
    CaseFile,
    Document,
    DocumentAccessGrant,
    DocumentLink,
    Journal,
    JournalCounter,
)


@admin.register(Journal)
class JournalAdmin(AuditedAdmin):
    list_display = ("name", "organisation", "kind", "index_template", "prefix", "default_case_index", "is_active")
    list_filter = ("organisation", "kind", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("organisation",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # close a journal (is_active) instead: its numbers must stay


@admin.register(CaseFile)
class CaseFileAdmin(AuditedAdmin):
    list_display = ("index", "title", "year", "organisation", "retention", "retention_article", "volumes")
    list_filter = ("year", "organisation")
    search_fields = ("index", "title")
    autocomplete_fields = ("organisation", "unit")


@admin.register(JournalCounter)
class JournalCounterAdmin(ReadOnlyAdmin):
    list_display = ("journal", "year", "last_number")
    list_filter = ("year",)


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Numbering metadata only. Superusers administer, they do not read cards (registry selectors):
    no summary, correspondent or files here — those are opened in the office under the access rules."""

    list_display = ("reg_index", "reg_date", "journal", "kind", "status", "access")
    list_filter = ("organisation", "status", "access", "kind")
    search_fields = ("reg_index",)
    date_hierarchy = "reg_date"
    list_select_related = ("journal",)
    show_full_result_count = False
    fields = ("organisation", "journal", "year", "seq", "reg_index", "reg_date", "registered_at",
              "registered_by", "kind", "status", "access", "cancelled_at", "cancelled_reason")


@admin.register(DocumentLink)
class DocumentLinkAdmin(ReadOnlyAdmin):
    list_display = ("source", "kind", "target", "created_by", "created_at")
    list_filter = ("kind",)


@admin.register(DocumentAccessGrant)
class DocumentAccessGrantAdmin(ReadOnlyAdmin):
    list_display = ("document", "user", "unit", "granted_by", "created_at")
