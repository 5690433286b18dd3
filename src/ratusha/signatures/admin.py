"""Read-only views for superusers in /django-admin/ (every change goes through the office pages' services)."""

from __future__ import annotations

from django.contrib import admin

from ratusha.signatures.models import InstallationCA, SignatureRecord, SigningCredential, TrustedCA


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SigningCredential)
class SigningCredentialAdmin(ReadOnlyAdmin):
    list_display = ("subject_name", "kind", "serial", "issuer_name", "not_after", "status")
    list_filter = ("kind", "status", "source")
    search_fields = ("subject_name", "serial")
    exclude = ("pkcs12_encrypted", "certificate_der")


@admin.register(TrustedCA)
class TrustedCAAdmin(ReadOnlyAdmin):
    list_display = ("name", "subject", "not_after", "is_active")
    exclude = ("certificate_der",)


@admin.register(InstallationCA)
class InstallationCAAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation_name", "not_after", "is_active")
    exclude = ("certificate_der", "key_encrypted", "tsa_certificate_der", "tsa_key_encrypted")


@admin.register(SignatureRecord)
class SignatureRecordAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "level", "signed_at", "document", "signer")
    list_filter = ("kind", "level")
    search_fields = ("code",)
    raw_id_fields = ("document", "document_file", "credential", "signer", "blob", "content_blob",
                     "approval_signature")
