"""Reads of the appeals app. ``appeals_visible_to`` is THE access filter; every list builds on it.

Who opens an appeal (docs/architecture.md rule 5; docs/legal.md §7, Law 2297-VI):
- staff of the appeal's organisation holding RECEPTION, REGISTRAR, HEAD, ADMIN or CONTROLLER (also as
  an acting deputy under a Delegation);
- the executors (assignees, or their acting deputies) of the workflow assignments on the appeal's card.
Applicants' details (names, address, e-mail, phone, co-signers, attachments) are shown in full only to
``handles_personal_data`` roles of the organisation and to the appeal's executors; everyone else gets
masked values. Every read of the full details writes an ``appeal.personal_read`` audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from ratusha.appeals import permissions as perms
from ratusha.appeals.constants import OPEN_STATUSES, AppealStatus
from ratusha.appeals.models import Appeal, AppealAttachment, AppealEvent, ClassifierTopic, ClassifierVersion
from ratusha.appeals.personal import ApplicantDetails, applicant_details, list_name
from ratusha.core.audit import audit_log
from ratusha.orgs.permissions import handles_personal_data


def _executor_appeal_ids(user: Any) -> QuerySet:
    from ratusha.registry.selectors import acting_user_ids
    from ratusha.workflow.models import Assignment

    return Assignment.objects.filter(assignee_id__in=acting_user_ids(user)).values("document_id")


def appeals_visible_to(user: Any) -> QuerySet[Appeal]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Appeal.objects.none()
    org_ids = perms.reading_organisation_ids(user)
    q = Q(organisation_id__in=org_ids) | Q(document_id__in=_executor_appeal_ids(user))
    return Appeal.objects.filter(q)


def personal_organisation_ids(user: Any) -> set[str]:
    """Organisations whose applicants' details the user reads in full (besides the appeals they execute)."""
    return {org for org in perms.reading_organisation_ids(user) if handles_personal_data(user, org)}


def appeal_get(*, user: Any, pk: Any) -> Appeal:
    """An appeal the user may open (Http404 otherwise — an outsider learns nothing)."""
    try:
        return appeals_visible_to(user).select_related(
            "organisation", "document", "document__journal", "topic", "topic__version", "registered_by",
            "extended_by", "answer_document", "sign_related", "sign_related__document", "sign_set_by",
            "decided_by").get(pk=pk)
    except (Appeal.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("not found") from None


def appeal_applicant(*, user: Any, appeal: Appeal) -> ApplicantDetails:
    """The applicant as ``user`` may see them; a read of the full details is audited."""
    if not perms.sees_personal_data(user, appeal):
        return applicant_details(appeal, masked=True)
    details = applicant_details(appeal, masked=False)
    with transaction.atomic():
        audit_log(actor=user, action="appeal.personal_read", obj=appeal, params={"context": "appeal"})
    return details


def appeal_attachments(*, user: Any, appeal: Appeal) -> list[AppealAttachment]:
    """The applicant's files: only for those who see the details (listing them is not a read of content)."""
    if not perms.sees_personal_data(user, appeal):
        return []
    return list(appeal.attachments.select_related("blob").order_by("created_at"))


def attachment_get(*, user: Any, appeal_pk: Any, pk: Any) -> AppealAttachment:
    """One attachment to download (Http404 unless the user sees the details); the read is audited."""
    appeal = appeal_get(user=user, pk=appeal_pk)
    if not perms.sees_personal_data(user, appeal):
        raise Http404("not found")
    try:
        attachment = appeal.attachments.select_related("blob").get(pk=pk)
    except (AppealAttachment.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("not found") from None
    with transaction.atomic():
        audit_log(actor=user, action="appeal.attachment_read", obj=appeal,
                  params={"attachment": str(attachment.pk), "name": attachment.name, "sha256": attachment.blob_id})
    return attachment


def appeal_timeline(*, appeal: Appeal) -> list[AppealEvent]:
    return list(AppealEvent.objects.filter(appeal=appeal).order_by("created_at"))


# --- Lists --------------------------------------------------------------------------------------


@dataclass
class AppealFilters:
    status: str = ""
    overdue: bool = False
    due_within: int | None = None  # working days
    receipt_form: str = ""
    appeal_type: str = ""
    sign: str = ""
    topic: Any = None
    officer: Any = None
    text: str = ""
    organisation: Any = None
    priority: bool = False


def _icontains_any(field: str, value: str) -> Q:
    """Case-insensitive for Cyrillic on both databases (SQLite's LIKE folds ASCII only)."""
    q = Q()
    for variant in {value, value.lower(), value.upper(), value.capitalize()}:
        q |= Q(**{f"{field}__icontains": variant})
    return q


def appeal_list(*, user: Any, filters: AppealFilters | None = None, today: dt.date | None = None) -> QuerySet[Appeal]:
    """Visible appeals, filtered; priority first, then the nearest deadline, then the oldest receipt."""
    from django.utils import timezone

    from ratusha.calendar.selectors import add_working_days

    f = filters or AppealFilters()
    on = today or timezone.localdate()
    qs = appeals_visible_to(user)
    if f.organisation:
        qs = qs.filter(organisation_id=getattr(f.organisation, "pk", f.organisation))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=on)
    if f.due_within is not None:
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__gte=on,
                       deadline__lte=add_working_days(on, max(0, int(f.due_within))))
    if f.receipt_form:
        qs = qs.filter(receipt_form=f.receipt_form)
    if f.appeal_type:
        qs = qs.filter(appeal_type=f.appeal_type)
    if f.sign:
        qs = qs.filter(sign=f.sign)
    if f.topic:
        topic = f.topic if isinstance(f.topic, ClassifierTopic) else ClassifierTopic.objects.filter(pk=f.topic).first()
        if topic is not None:  # the section and its issues
            qs = qs.filter(Q(topic=topic) | Q(topic__version_id=topic.version_id, topic__parent_code=topic.code))
    if f.officer:
        qs = qs.filter(registered_by_id=getattr(f.officer, "pk", f.officer))
    if f.priority:
        qs = qs.filter(priority=True)
    text = " ".join((f.text or "").split())[:200]
    if text:
        qs = qs.filter(_icontains_any("text", text) | _icontains_any("document__reg_index", text)
                       | Q(tracking_code__iexact=text))
    open_first = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (qs.select_related("organisation", "document", "topic", "registered_by")
            .annotate(open_rank=open_first)
            .order_by("open_rank", "-priority", F("deadline").asc(nulls_last=True), "received_at", "pk"))


def submitted_queue(*, user: Any) -> QuerySet[Appeal]:
    """«Нові з сайту»: e-appeals awaiting registration in the organisations where the user registers."""
    org_ids = perms.registering_organisation_ids(user)
    return (Appeal.objects.filter(organisation_id__in=org_ids, status=AppealStatus.SUBMITTED)
            .select_related("organisation").order_by("-priority", "received_at", "pk"))


def list_rows(*, user: Any, appeals: list[Appeal]) -> list[Appeal]:
    """Annotate a page of appeals with the applicant as the user may see them (``row_name``,
    ``row_masked``); one audit event records the full names shown on the page."""
    personal_orgs = personal_organisation_ids(user)
    executing = set()
    if any(str(a.organisation_id) not in personal_orgs for a in appeals):
        executing = set(str(d) for d in _executor_appeal_ids(user).values_list("document_id", flat=True))
    shown = []
    for appeal in appeals:
        full = str(appeal.organisation_id) in personal_orgs or str(appeal.document_id) in executing
        appeal.row_masked = not full
        appeal.row_name = list_name(appeal, masked=not full)
        if full and (appeal.last_name or appeal.first_name):
            shown.append(str(appeal.pk))
    if shown:
        with transaction.atomic():
            audit_log(actor=user, action="appeal.personal_read", object_type="appeals.appeal",
                      params={"context": "list", "appeals": shown})
    return appeals


def list_counts(*, user: Any, today: dt.date | None = None) -> dict[str, int]:
    """The tiles above the list: open, overdue, due soon, awaiting registration."""
    from django.utils import timezone

    from ratusha.appeals.services._common import setting
    from ratusha.calendar.selectors import add_working_days

    on = today or timezone.localdate()
    visible = appeals_visible_to(user)
    soon = add_working_days(on, int(setting("DUE_SOON_WORKING_DAYS")))
    return {
        "open": visible.filter(status__in=OPEN_STATUSES).count(),
        "overdue": visible.filter(status__in=OPEN_STATUSES, deadline__lt=on).count(),
        "due_soon": visible.filter(status__in=OPEN_STATUSES, deadline__gte=on, deadline__lte=soon).count(),
        "submitted": submitted_queue(user=user).count(),
    }


# --- Classifier ---------------------------------------------------------------------------------


def active_topics() -> QuerySet[ClassifierTopic]:
    version = ClassifierVersion.objects.filter(is_active=True).order_by("-number").first()
    if version is None:
        return ClassifierTopic.objects.none()
    return ClassifierTopic.objects.filter(version=version).order_by("code")


def classifier_versions(limit: int = 20) -> list[ClassifierVersion]:
    from django.db.models import Count

    return list(ClassifierVersion.objects.select_related("loaded_by").annotate(topic_count=Count("topics"))
                .order_by("-number")[:limit])


def officers_for(*, user: Any) -> QuerySet:
    """People who registered appeals the user can see (the «officer» filter)."""
    from ratusha.orgs.models import User

    ids = appeals_visible_to(user).exclude(registered_by__isnull=True).values("registered_by_id")
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name")
