"""Who may do what with citizens' appeals (the selectors and services call these; templates only mirror them).

- Officers (Role.RECEPTION — the appeals/reception officer — and Role.REGISTRAR) register, code and
  record legal outcomes; heads (Role.HEAD, also an acting deputy under a Delegation) may do the same and
  alone extend a term (Law 393/96-ВР art. 20).
- Reading: the organisation's officers, heads and administrators; controllers (who watch the terms)
  see appeals with the applicant's details masked; executors of an appeal's assignments see that
  appeal (unmasked: they prepare the answer).
- Applicants' details (Law 2297-VI; docs/legal.md §7): ``handles_personal_data`` roles of the organisation
  or an executor of the appeal.
"""

from __future__ import annotations

from typing import Any

from ratusha.orgs.constants import InstallationRole, Role
from ratusha.orgs.permissions import handles_personal_data, has_installation_role, has_role, organisation_ids

# Register appeals, code them, confirm the sign, record the legal outcomes.
OFFICER_ROLES = frozenset({Role.RECEPTION, Role.REGISTRAR})
HANDLING_ROLES = OFFICER_ROLES | {Role.HEAD}
# Open the appeals of the organisation (list, page).
READER_ROLES = HANDLING_ROLES | {Role.ADMIN, Role.CONTROLLER}
# Extend a term (art. 20: «керівник або його заступник»).
EXTENDING_ROLES = frozenset({Role.HEAD})
# Load the Classifier 858 subject/issue codes: one classifier for the whole installation, so an installation
# role (docs/architecture.md rule 5) — not an organisation's administrator.
CLASSIFIER_ROLE = InstallationRole.CLASSIFIER_KEEPER


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_register(user: Any, organisation: Any) -> bool:
    return _signed_in(user) and has_role(user, organisation, OFFICER_ROLES)


def can_handle(user: Any, organisation: Any) -> bool:
    return _signed_in(user) and has_role(user, organisation, HANDLING_ROLES)


def can_extend(user: Any, organisation: Any) -> bool:
    return _signed_in(user) and has_role(user, organisation, EXTENDING_ROLES)


def can_load_classifier(user: Any) -> bool:
    return _signed_in(user) and has_installation_role(user, CLASSIFIER_ROLE)


def registering_organisation_ids(user: Any) -> list[str]:
    return organisation_ids(user, OFFICER_ROLES) if _signed_in(user) else []


def reading_organisation_ids(user: Any) -> list[str]:
    return organisation_ids(user, READER_ROLES) if _signed_in(user) else []


def is_appeal_executor(user: Any, appeal: Any) -> bool:
    """An assignee (or their acting deputy) of an assignment on the appeal's card."""
    if not _signed_in(user) or not appeal.document_id:
        return False
    from ratusha.registry.selectors import acting_user_ids
    from ratusha.workflow.models import Assignment

    return Assignment.objects.filter(document_id=appeal.document_id,
                                     assignee_id__in=acting_user_ids(user)).exists()


def sees_personal_data(user: Any, appeal: Any) -> bool:
    """The applicant's details unmasked (every such read is audited by the selectors)."""
    if not _signed_in(user):
        return False
    return handles_personal_data(user, appeal.organisation_id) or is_appeal_executor(user, appeal)
