"""Reads of document generation. Access is the registry's and the approvals' own (docs/architecture.md rule 5):
a card only for who may open it (``registry.selectors.document_get``), a draft only for who may see it
(``approvals.selectors.draft_get``); anything else is a 404."""

from __future__ import annotations

from typing import Any

from ratusha.core.models import AuditEvent
from ratusha.registry.generation.constants import JOURNAL_KINDS, TemplateKind

GENERATE_ACTION = "draft.generate"
INPUTS_MIME = "application/json"


def document_for_generation(*, user: Any, pk: Any) -> Any:
    from ratusha.registry.selectors import document_get

    return document_get(user=user, pk=pk)


def draft_for_generation(*, user: Any, pk: Any) -> Any:
    from ratusha.workflow.approvals.selectors import draft_get

    return draft_get(user=user, pk=pk)


def journals_for_template(*, user: Any, kind: str | None = None) -> Any:
    """Journals a user may aim a draft of ``kind`` at (the approvals' target journals of that kind)."""
    from ratusha.workflow.approvals.selectors import target_journals

    journals = target_journals(user=user)
    if kind:
        journals = journals.filter(kind__in=JOURNAL_KINDS[TemplateKind(kind)])
    return journals


def generated_for_draft(*, draft: Any) -> dict[str, Any] | None:
    """What ``draft_create_from_template`` recorded for the draft (kind, DOCX SHA-256), or None."""
    event = (AuditEvent.objects.filter(object_type=draft._meta.label_lower, object_id=str(draft.pk),
                                       action=GENERATE_ACTION).order_by("-seq").first())
    return dict(event.params or {}) if event is not None else None


def generated_inputs(*, draft: Any) -> dict[str, Any]:
    """The form values a generated draft was rendered from (heading, paragraphs, addressee lines, signer,
    executor), or {} when the draft was not generated or the stored copy is unreadable."""
    import json

    from ratusha.core.errors import IntegrityCheckError
    from ratusha.core.storage import blob_read

    generated = generated_for_draft(draft=draft)
    sha = (generated or {}).get("inputs_sha256")
    if not sha:
        return {}
    try:
        value = json.loads(blob_read(sha).decode("utf-8"))
    except (IntegrityCheckError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def signer_guess(*, organisation: Any) -> tuple[str, str]:
    """(position, «Ім'я ПРІЗВИЩЕ») of the organisation's head, to prefill the signature block."""
    from ratusha.orgs.constants import Role
    from ratusha.orgs.models import Employee
    from ratusha.registry.generation.context import signature_name

    heads = (Employee.objects.filter(organisation=organisation, is_active=True, user__is_active=True)
             .select_related("user", "position").order_by("-position__is_head", "created_at"))
    for employment in heads:
        if Role.HEAD in (employment.roles or []):
            return (employment.position.title if employment.position_id else ""), signature_name(employment.user)
    return "", ""
