"""Every write of the registry (docs/architecture.md rule 1). Import from here: ``ratusha.registry.services``."""

from ratusha.registry.services._common import search_indexing_suspended
from ratusha.registry.services.documents import (
    DuplicateRegistrationError,
    document_access_grant,
    document_cancel,
    document_link_add,
    document_register,
    document_transition,
    document_update,
    make_appeal_answer_personal,
)
from ratusha.registry.services.files import document_file_add, document_file_new_version
from ratusha.registry.services.nomenclature import casefile_create, journal_create, nomenclature_copy_year
from ratusha.registry.services.numbering import render_index, validate_index_template
from ratusha.registry.services.uploads import (
    FileInput,
    StagedFile,
    detect_mime,
    staged_from_token,
    upload_check,
    upload_stage,
)

__all__ = [
    "DuplicateRegistrationError",
    "FileInput",
    "StagedFile",
    "casefile_create",
    "detect_mime",
    "document_access_grant",
    "document_cancel",
    "document_file_add",
    "document_file_new_version",
    "document_link_add",
    "document_register",
    "document_transition",
    "document_update",
    "make_appeal_answer_personal",
    "journal_create",
    "nomenclature_copy_year",
    "render_index",
    "search_indexing_suspended",
    "staged_from_token",
    "upload_check",
    "upload_stage",
    "validate_index_template",
]
