"""Every write of the website's acts (docs/architecture.md rule 1). Import from here: ``ratusha.website.acts.services``."""

from ratusha.website.acts.services.drafts import (
    LatePublicationError,
    act_draft_create,
    act_draft_link,
    act_draft_publish,
    act_draft_withdraw,
    draft_reminders,
    latest_publication_date,
)
from ratusha.website.acts.services.publication import (
    act_file_changed,
    act_sweep,
    act_sync_document,
    act_update,
    on_document_registered,
    on_document_saved,
    on_file_saved,
)
from ratusha.website.acts.services.topics import topic_save

__all__ = [
    "LatePublicationError",
    "act_draft_create",
    "act_draft_link",
    "act_draft_publish",
    "act_draft_withdraw",
    "act_file_changed",
    "act_sweep",
    "act_sync_document",
    "act_update",
    "draft_reminders",
    "latest_publication_date",
    "on_document_registered",
    "on_document_saved",
    "on_file_saved",
    "topic_save",
]
