"""Every write of the signatures app (keys, trust list, installation CA, signature records)."""

from ratusha.signatures.services.ca import installation_ca_create
from ratusha.signatures.services.credentials import (
    credential_import,
    credential_issue,
    credential_revoke,
    credential_unlock,
    credentials_expire,
    machine_seal_issue,
    seal_issue,
    seal_users_set,
)
from ratusha.signatures.services.records import (
    document_asice,
    document_file_cades_sign,
    document_pades_cosign,
    record_for_approval,
    verify_bytes,
    verify_record,
)
from ratusha.signatures.services.trust import certificate_preview, trusted_ca_add, trusted_ca_remove

__all__ = [
    "certificate_preview",
    "credential_import",
    "credential_issue",
    "credential_revoke",
    "credential_unlock",
    "credentials_expire",
    "machine_seal_issue",
    "document_asice",
    "document_file_cades_sign",
    "document_pades_cosign",
    "installation_ca_create",
    "record_for_approval",
    "seal_issue",
    "seal_users_set",
    "trusted_ca_add",
    "trusted_ca_remove",
    "verify_bytes",
    "verify_record",
]
