"""Approval routes (погодження, візування, підписання): statuses, transitions and rules.

Legal source: docs/legal.md §6 (CMU No. 55 of 17.01.2018, Minjust rules 1000/5): approvals (візи) precede
signing; a document is registered once, in the organisation that creates it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.registry.constants import JournalKind


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Чернетка")
    ON_APPROVAL = "on_approval", _("На погодженні")
    RETURNED = "returned", _("Повернуто на доопрацювання")
    APPROVED = "approved", _("Погоджено, на підписі")
    SIGNED = "signed", _("Підписано")
    REGISTERED = "registered", _("Зареєстровано")
    WITHDRAWN = "withdrawn", _("Відкликано")


# Allowed transitions (docs/architecture.md rule 2). ON_APPROVAL → ON_APPROVAL and APPROVED → ON_APPROVAL are the
# restart of the route after a new version; SIGNED → REGISTERED happens in the signing transaction.
DRAFT_TRANSITIONS: dict[str, frozenset[str]] = {
    DraftStatus.DRAFT: frozenset({DraftStatus.ON_APPROVAL, DraftStatus.WITHDRAWN}),
    DraftStatus.ON_APPROVAL: frozenset({DraftStatus.ON_APPROVAL, DraftStatus.RETURNED, DraftStatus.APPROVED,
                                        DraftStatus.WITHDRAWN}),
    DraftStatus.RETURNED: frozenset({DraftStatus.ON_APPROVAL, DraftStatus.WITHDRAWN}),
    DraftStatus.APPROVED: frozenset({DraftStatus.ON_APPROVAL, DraftStatus.RETURNED, DraftStatus.SIGNED,
                                     DraftStatus.WITHDRAWN}),
    DraftStatus.SIGNED: frozenset({DraftStatus.REGISTERED}),
    DraftStatus.REGISTERED: frozenset(),
    DraftStatus.WITHDRAWN: frozenset(),
}
# While the route runs (or is about to), the author may upload a new version.
VERSIONABLE_STATUSES = frozenset({DraftStatus.DRAFT, DraftStatus.ON_APPROVAL, DraftStatus.RETURNED,
                                  DraftStatus.APPROVED})
# A new version in these statuses voids the visas given so far and restarts the route (new round).
RESTARTING_STATUSES = frozenset({DraftStatus.ON_APPROVAL, DraftStatus.RETURNED, DraftStatus.APPROVED})
# The route can be started (first round, or again by hand after a return).
STARTABLE_STATUSES = frozenset({DraftStatus.DRAFT, DraftStatus.RETURNED})
EDITABLE_STATUSES = frozenset({DraftStatus.DRAFT, DraftStatus.RETURNED})
OPEN_STATUSES = frozenset({DraftStatus.DRAFT, DraftStatus.ON_APPROVAL, DraftStatus.RETURNED,
                           DraftStatus.APPROVED})
FINISHED_STATUSES = frozenset({DraftStatus.SIGNED, DraftStatus.REGISTERED, DraftStatus.WITHDRAWN})

# Journals a draft may be registered in after signing (docs/legal.md §6: documents the organisation creates).
TARGET_JOURNAL_KINDS = (JournalKind.OUTGOING, JournalKind.INTERNAL, JournalKind.ORDERS,
                        JournalKind.COUNCIL_DECISIONS, JournalKind.EXECUTIVE_DECISIONS)


class StepKind(models.TextChoices):
    VISA = "visa", _("Віза")
    SIGN = "sign", _("Підпис")


class ApproverKind(models.TextChoices):
    USER = "user", _("Конкретний працівник")
    UNIT_HEAD = "unit_head", _("Керівник підрозділу автора")


class RouteStatus(models.TextChoices):
    ACTIVE = "active", _("Триває")
    COMPLETED = "completed", _("Завершено підписом")
    REJECTED = "rejected", _("Не погоджено")
    SUPERSEDED = "superseded", _("Перезапущено після нової версії")
    CANCELLED = "cancelled", _("Скасовано")


ROUTE_TRANSITIONS: dict[str, frozenset[str]] = {
    RouteStatus.ACTIVE: frozenset({RouteStatus.COMPLETED, RouteStatus.REJECTED, RouteStatus.SUPERSEDED,
                                   RouteStatus.CANCELLED}),
    RouteStatus.REJECTED: frozenset({RouteStatus.SUPERSEDED}),
    RouteStatus.COMPLETED: frozenset(),
    RouteStatus.SUPERSEDED: frozenset(),
    RouteStatus.CANCELLED: frozenset(),
}


class Decision(models.TextChoices):
    PENDING = "pending", _("Очікує")
    APPROVED = "approved", _("Погоджено")
    APPROVED_WITH_REMARKS = "approved_with_remarks", _("Погоджено із зауваженнями")
    REJECTED = "rejected", _("Не погоджено")
    SIGNED = "signed", _("Підписано")
    CANCELLED = "cancelled", _("Не знадобилося")  # the round ended before this approver's turn


VISA_DECISIONS = frozenset({Decision.APPROVED, Decision.APPROVED_WITH_REMARKS, Decision.REJECTED})
POSITIVE_DECISIONS = frozenset({Decision.APPROVED, Decision.APPROVED_WITH_REMARKS, Decision.SIGNED})

# Until qualified e-signatures land (issue 6), signing is the signer's confirmation with their second
# factor; ``approvals/signing.py`` holds the strategy that issue 6 replaces with a PAdES signature.
SIGN_METHOD_OTP = "otp-confirmation"
# Failed sign codes: after SIGN_MAX_FAILURES within SIGN_LOCK_MINUTES further attempts are refused.
SIGN_MAX_FAILURES = 5
SIGN_LOCK_MINUTES = 15

# Limits of a route (a long list is a mistake, not a route).
MAX_ROUTE_STEPS = 40
MAX_STAGES = 20
