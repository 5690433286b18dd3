"""Reads of the registry. ``documents_visible_to`` is THE access filter; everything builds on it.

Access rule (docs/architecture.md rule 5; docs/legal.md §7):
- PUBLIC: any active staff user of the installation;
- INTERNAL: staff of the owning organisation;
- RESTRICTED / PERSONAL: in the owning organisation its registrars, heads and administrators
  (+ reception officers for PERSONAL), the registering user, the executor and the resolution author;
  plus users and units named in a DocumentAccessGrant.
Rights held as an acting deputy (Delegation) count as the principal's. Superusers are not exempt.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from ratusha.core.audit import audit_log
from ratusha.core.models import AuditEvent
from ratusha.orgs.constants import REGISTERING_ROLES, Role
from ratusha.orgs.models import Employee
from ratusha.orgs.permissions import active_delegations, roles_by_organisation
from ratusha.registry.constants import AccessMark, DocumentStatus
from ratusha.registry.models import Document, DocumentAccessGrant, DocumentFile, Journal

RESTRICTED_READERS = frozenset({Role.REGISTRAR, Role.HEAD, Role.ADMIN})
PERSONAL_READERS = RESTRICTED_READERS | {Role.RECEPTION}
OPEN_STATUSES = (DocumentStatus.REGISTERED, DocumentStatus.IN_WORK)


def acting_user_ids(user: Any) -> list[Any]:
    """The user plus everyone whose rights the user holds today as acting deputy."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = [user.pk]
    ids.extend(d.principal.user_id for d in active_delegations(user))
    return ids


_acting_for_user_ids = acting_user_ids  # the old private name, still used by office views


def visibility_q(user: Any) -> Q | None:
    """The Q over Document that the user may open, or None for nobody."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    roles = roles_by_organisation(user)
    if not roles:
        return None
    org_ids = list(roles)
    restricted_orgs = [org for org, held in roles.items() if held & RESTRICTED_READERS]
    personal_orgs = [org for org, held in roles.items() if held & PERSONAL_READERS]
    people = acting_user_ids(user)
    unit_ids = list(Employee.objects.filter(user_id__in=people, is_active=True, unit__isnull=False)
                    .values_list("unit_id", flat=True))
    closed = (AccessMark.RESTRICTED, AccessMark.PERSONAL)

    q = Q(access=AccessMark.PUBLIC) | Q(access=AccessMark.INTERNAL, organisation_id__in=org_ids)
    if restricted_orgs:
        q |= Q(access=AccessMark.RESTRICTED, organisation_id__in=restricted_orgs)
    if personal_orgs:
        q |= Q(access=AccessMark.PERSONAL, organisation_id__in=personal_orgs)
    involved = (Q(registered_by_id__in=people) | Q(executor_id__in=people)
                | Q(resolution_author_id__in=people))
    q |= Q(access__in=closed, organisation_id__in=org_ids) & involved
    grants = DocumentAccessGrant.objects.filter(Q(user_id__in=people) | Q(unit_id__in=unit_ids))
    q |= Q(access__in=closed, pk__in=grants.values("document_id"))
    return q


def documents_visible_to(user: Any) -> QuerySet[Document]:
    q = visibility_q(user)
    if q is None:
        return Document.objects.none()
    return Document.objects.filter(q)


def _get_or_404(queryset: QuerySet, pk: Any):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("not found") from None


def document_get(*, user: Any, pk: Any) -> Document:
    """A card the user may open (Http404 otherwise). Reading a PERSONAL card is audited."""
    document = _get_or_404(
        documents_visible_to(user).select_related(
            "organisation", "journal", "registered_by", "executor", "unit", "case_file",
            "resolution_author", "correspondent_org", "duplicate_of"), pk)
    if document.access == AccessMark.PERSONAL:
        with transaction.atomic():
            audit_log(actor=user, action="document.read_personal", obj=document)
    return document


def document_list(*, user: Any, organisation: Any = None, journal: Any = None,
                  date_from: dt.date | None = None, date_to: dt.date | None = None,
                  correspondent: str = "", kind: str = "", status: str = "",
                  mine: bool = False) -> QuerySet[Document]:
    qs = documents_visible_to(user)
    if organisation is not None and organisation != "":
        qs = qs.filter(organisation_id=getattr(organisation, "pk", organisation))
    if journal is not None and journal != "":
        qs = qs.filter(journal_id=getattr(journal, "pk", journal))
    if date_from:
        qs = qs.filter(reg_date__gte=date_from)
    if date_to:
        qs = qs.filter(reg_date__lte=date_to)
    correspondent = " ".join((correspondent or "").split())
    if correspondent:
        qs = qs.filter(_icontains_any("correspondent", correspondent))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(Q(registered_by=user) | Q(executor=user))
    return qs.select_related("organisation", "journal", "executor", "registered_by").order_by(
        "-reg_date", "-registered_at", "-seq")


def _icontains_any(field: str, value: str) -> Q:
    """Case-insensitive for Cyrillic on both databases (SQLite's LIKE folds ASCII only)."""
    variants = {value, value.lower(), value.upper(), value.capitalize(), value.title()}
    q = Q()
    for variant in variants:
        q |= Q(**{f"{field}__icontains": variant})
    return q


def my_documents(*, user: Any, limit: int = 20) -> dict[str, Any]:
    """The start page: ``to_register``, ``to_execute``, ``registered_by_me``, ``unassigned``.

    ``to_register`` holds documents received from other organisations that await registration; it is
    empty until document exchange delivers some (nothing in the registry creates such cards).
    ``unassigned`` is the registrar's queue: registered cards of their organisations with no executor.
    """
    visible = documents_visible_to(user).select_related("journal", "organisation", "executor")
    registering_orgs = [org for org, held in roles_by_organisation(user).items() if held & REGISTERING_ROLES]
    people = acting_user_ids(user)
    return {
        "to_register": Document.objects.none(),
        "to_execute": visible.filter(executor_id__in=people, status__in=OPEN_STATUSES)
                             .order_by("execution_deadline", "-reg_date")[:limit],
        "registered_by_me": visible.filter(registered_by=user).order_by("-registered_at")[:limit]
                            if people else Document.objects.none(),
        "unassigned": visible.filter(organisation_id__in=registering_orgs, executor__isnull=True,
                                     status=DocumentStatus.REGISTERED).order_by("-registered_at")[:limit],
    }


def journals_for_user(*, user: Any, registering: bool = False) -> QuerySet[Journal]:
    roles = roles_by_organisation(user)
    org_ids = [org for org, held in roles.items() if not registering or held & REGISTERING_ROLES]
    return (Journal.objects.filter(organisation_id__in=org_ids, is_active=True)
            .select_related("organisation").order_by("organisation__name", "kind", "name"))


def document_history(*, user: Any, document: Document) -> list[AuditEvent]:
    """Audit events of the card and of its files, newest first."""
    if not documents_visible_to(user).filter(pk=document.pk).exists():
        raise Http404("not found")
    ids = [str(document.pk)]
    ids.extend(str(pk) for pk in DocumentFile.objects.filter(document=document).values_list("pk", flat=True))
    return list(AuditEvent.objects.filter(object_id__in=ids).select_related("actor").order_by("-seq"))


def document_files(*, document: Document) -> list[DocumentFile]:
    """Current files of a card; each carries ``.versions`` (all its versions, newest first)."""
    rows = list(DocumentFile.objects.filter(document=document).select_related("blob", "uploaded_by")
                .order_by("name", "key", "-version"))
    by_key: dict[Any, list[DocumentFile]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    current = []
    for versions in by_key.values():
        head = next((v for v in versions if v.is_current), versions[0])
        head.versions = versions
        current.append(head)
    current.sort(key=lambda f: (f.versions[-1].created_at, f.name))  # in the order files were added
    return current


def normalise_correspondent(value: str) -> str:
    return " ".join((value or "").split()).casefold()


def document_duplicates(*, organisation: Any, correspondent: str, correspondent_index: str,
                        correspondent_date: dt.date | None, exclude: Any = None) -> list[Document]:
    """Non-cancelled cards of the organisation for the same letter, the first registered first."""
    index = " ".join((correspondent_index or "").split())
    if not index or not correspondent_date:
        return []
    wanted = normalise_correspondent(correspondent)
    variants = {index, index.lower(), index.upper()}
    qs = (Document.objects.filter(organisation_id=getattr(organisation, "pk", organisation),
                                  correspondent_index__in=variants, correspondent_date=correspondent_date)
          .exclude(status=DocumentStatus.CANCELLED)
          .select_related("journal").order_by("registered_at", "seq"))
    if exclude is not None:
        qs = qs.exclude(pk=getattr(exclude, "pk", exclude))
    index_key = index.casefold()
    return [doc for doc in qs
            if " ".join(doc.correspondent_index.split()).casefold() == index_key
            and normalise_correspondent(doc.correspondent) == wanted]


def file_get_for_user(*, user: Any, pk: Any) -> DocumentFile:
    """A file of a card the user may open (Http404 otherwise); files of PERSONAL cards are audited."""
    file = _get_or_404(DocumentFile.objects.filter(document__in=documents_visible_to(user))
                       .select_related("blob", "document"), pk)
    if file.document.access == AccessMark.PERSONAL:
        with transaction.atomic():
            audit_log(actor=user, action="document.file_read_personal", obj=file,
                      params={"document": str(file.document_id)})
    return file
