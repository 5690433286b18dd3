"""Reads of the approvals app. ``drafts_visible_to`` is THE access filter for drafts.

Access rule (docs/architecture.md rule 5): a draft is visible to its author, to everyone on any round of its
route, and to registrars, heads and administrators of its organisation; nobody else (404). Rights
held as an acting deputy (Delegation) count as the principal's. Superusers are not exempt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee, User
from ratusha.orgs.permissions import roles_by_organisation
from ratusha.registry.models import Journal
from ratusha.registry.selectors import acting_user_ids
from ratusha.workflow.approvals.constants import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    POSITIVE_DECISIONS,
    TARGET_JOURNAL_KINDS,
    Decision,
    RouteStatus,
    StepKind,
)
from ratusha.workflow.approvals.models import Draft, DraftVersion, Route, RouteTask, RouteTemplate, Signature
from ratusha.workflow.approvals.services.route_templates import TEMPLATE_MANAGERS, can_manage_templates

ORG_READERS = frozenset({Role.REGISTRAR, Role.HEAD, Role.ADMIN})
RECENT_DAYS = 30


def draft_visibility_q(user: Any) -> Q | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    people = acting_user_ids(user)
    readers = [org for org, held in roles_by_organisation(user).items() if held & ORG_READERS]
    q = Q(author_id__in=people) | Q(pk__in=RouteTask.objects.filter(approver_id__in=people)
                                    .values("route__draft_id"))
    if readers:
        q |= Q(organisation_id__in=readers)
    return q


def drafts_visible_to(user: Any) -> QuerySet[Draft]:
    q = draft_visibility_q(user)
    if q is None:
        return Draft.objects.none()
    return Draft.objects.filter(q)


def _get_or_404(queryset: QuerySet, pk: Any):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("not found") from None


def draft_get(*, user: Any, pk: Any) -> Draft:
    return _get_or_404(drafts_visible_to(user).select_related(
        "organisation", "author", "unit", "journal", "current_version", "current_version__blob", "document"), pk)


def version_get_for_user(*, user: Any, pk: Any) -> DraftVersion:
    return _get_or_404(DraftVersion.objects.filter(draft__in=drafts_visible_to(user))
                       .select_related("blob", "draft"), pk)


def current_tasks_q(user: Any) -> Q:
    """Open tasks of ``user`` (or of those they act for) whose stage is the current one of a running round."""
    return Q(approver_id__in=acting_user_ids(user), decision=Decision.PENDING, route__status=RouteStatus.ACTIVE,
             stage=F("route__current_stage"))


def my_tasks(*, user: Any, limit: int = 100) -> list[RouteTask]:
    """What waits for the user's visa or signature now, oldest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(RouteTask.objects.filter(current_tasks_q(user))
                .select_related("route", "route__draft", "route__draft__author", "approver",
                                "route__draft__current_version")
                .order_by("route__created_at")[:limit])


def my_drafts(*, user: Any, limit: int = 100) -> list[Draft]:
    """The user's own drafts still in progress, the most recently changed first."""
    return list(Draft.objects.filter(author_id__in=acting_user_ids(user), status__in=OPEN_STATUSES)
                .select_related("journal", "current_version").order_by("-updated_at")[:limit])


def finished_recently(*, user: Any, days: int = RECENT_DAYS, limit: int = 20) -> list[Draft]:
    """Drafts the user wrote or decided on that were signed, registered or withdrawn lately."""
    since = timezone.now() - dt.timedelta(days=days)
    people = acting_user_ids(user)
    if not people:
        return []
    involved = Q(author_id__in=people) | Q(pk__in=RouteTask.objects.filter(approver_id__in=people)
                                            .values("route__draft_id"))
    return list(Draft.objects.filter(involved, status__in=FINISHED_STATUSES, finished_at__gte=since)
                .select_related("document", "journal").order_by("-finished_at")[:limit])


def draft_open_task(*, user: Any, draft: Draft) -> RouteTask | None:
    """The user's task on the draft that can be decided now (None when it is not their turn)."""
    return (RouteTask.objects.filter(current_tasks_q(user), route__draft=draft)
            .select_related("approver", "route").order_by("stage", "position").first())


@dataclass
class Stage:
    number: int
    kind: str
    tasks: list[RouteTask] = field(default_factory=list)

    @property
    def parallel(self) -> bool:
        return len(self.tasks) > 1

    @property
    def done(self) -> bool:
        return all(task.decision in POSITIVE_DECISIONS and not task.is_void for task in self.tasks)


@dataclass
class Round:
    route: Route
    stages: list[Stage]

    @property
    def is_current(self) -> bool:
        return self.route.status == RouteStatus.ACTIVE


def draft_rounds(*, draft: Draft) -> list[Round]:
    """Every round of the route, newest first, each as its stages (parallel approvers side by side)."""
    routes = list(Route.objects.filter(draft=draft).select_related("template").order_by("-round"))
    tasks = (RouteTask.objects.filter(route__in=routes)
             .select_related("approver", "decided_by").order_by("stage", "position"))
    by_route: dict[Any, dict[int, Stage]] = {route.pk: {} for route in routes}
    for task in tasks:
        stages = by_route[task.route_id]
        stage = stages.setdefault(task.stage, Stage(number=task.stage, kind=task.kind))
        if task.kind == StepKind.SIGN:
            stage.kind = StepKind.SIGN
        stage.tasks.append(task)
    return [Round(route=route, stages=sorted(by_route[route.pk].values(), key=lambda s: s.number))
            for route in routes]


def draft_versions(*, draft: Draft) -> list[DraftVersion]:
    return list(DraftVersion.objects.filter(draft=draft).select_related("blob", "author").order_by("-number"))


def target_journals(*, user: Any) -> QuerySet[Journal]:
    """Journals a user may aim a new draft at: the ones of their organisations that take created documents."""
    return (Journal.objects.filter(organisation_id__in=list(roles_by_organisation(user)), is_active=True,
                                   kind__in=TARGET_JOURNAL_KINDS)
            .select_related("organisation").order_by("organisation__name", "kind", "name"))


def templates_for_draft(*, draft: Draft) -> list[RouteTemplate]:
    """Active, complete templates of the draft's organisation for its kind (or for any kind)."""
    templates = (RouteTemplate.objects.filter(organisation_id=draft.organisation_id, is_active=True)
                 .filter(Q(kind=draft.kind) | Q(kind="")).prefetch_related("steps", "steps__user")
                 .order_by("-kind", "name"))
    return [t for t in templates if template_is_complete(t)]


def template_is_complete(template: RouteTemplate) -> bool:
    return any(step.kind == StepKind.SIGN for step in template.steps.all())


def templates_manageable(*, user: Any) -> QuerySet[RouteTemplate]:
    """Templates of the organisations where the user is an administrator or a head (all for superusers)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return RouteTemplate.objects.none()
    qs = RouteTemplate.objects.all()
    if not user.is_superuser:
        orgs = [org for org, held in roles_by_organisation(user).items() if held & TEMPLATE_MANAGERS]
        qs = qs.filter(organisation_id__in=orgs)
    return qs.select_related("organisation").prefetch_related("steps").order_by("organisation__name", "kind", "name")


def template_get(*, user: Any, pk: Any) -> RouteTemplate:
    template = _get_or_404(RouteTemplate.objects.select_related("organisation"), pk)
    if not can_manage_templates(user, template.organisation_id):
        raise Http404("not found")
    return template


def staff_users(*, organisation: Any = None) -> QuerySet[User]:
    """Active users with an active appointment (in ``organisation`` when given), by name."""
    staff = Employee.objects.filter(is_active=True, user__is_active=True)
    if organisation is not None:
        staff = staff.filter(organisation_id=getattr(organisation, "pk", organisation))
    return User.objects.filter(pk__in=staff.values("user_id")).order_by("last_name", "first_name", "username")


def document_approvals(*, document: Any) -> dict[str, Any] | None:
    """For the registry card: the draft behind a registered document, its rounds and its signature.

    The card itself is access-checked by the registry; whoever may open it sees how it was approved.
    """
    draft = Draft.objects.filter(document=document).select_related("author").first()
    if draft is None:
        return None
    signature = Signature.objects.filter(draft=draft).select_related("signer", "on_behalf_of", "version").first()
    return {"draft": draft, "rounds": draft_rounds(draft=draft), "signature": signature}
