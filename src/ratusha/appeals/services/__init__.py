"""Every write of the appeals app (docs/architecture.md rule 1). Office services are re-exported here; the intake
(``intake``, ``codes``, ``timeline``) is imported from its own modules."""

from ratusha.appeals.services._common import ConflictError, appeal_transition
from ratusha.appeals.services.answer import answer_candidates, appeal_answer_send
from ratusha.appeals.services.classifier import ClassifierReport, classifier_check, classifier_load
from ratusha.appeals.services.coding import appeal_code
from ratusha.appeals.services.outcomes import (
    appeal_answer,
    appeal_close,
    appeal_forward,
    appeal_not_consider,
    appeal_return,
    appeal_take_into_work,
)
from ratusha.appeals.services.registration import CosignerInput, appeal_register
from ratusha.appeals.services.routing import appeal_route
from ratusha.appeals.services.signs import appeal_sign_set, appeal_sign_suggest, applicant_key
from ratusha.appeals.services.terms import appeal_extend, appeal_term_set

__all__ = [
    "ClassifierReport",
    "ConflictError",
    "CosignerInput",
    "answer_candidates",
    "appeal_answer",
    "appeal_answer_send",
    "appeal_close",
    "appeal_code",
    "appeal_extend",
    "appeal_forward",
    "appeal_not_consider",
    "appeal_register",
    "appeal_return",
    "appeal_route",
    "appeal_sign_set",
    "appeal_sign_suggest",
    "appeal_take_into_work",
    "appeal_term_set",
    "appeal_transition",
    "applicant_key",
    "classifier_check",
    "classifier_load",
]
