"""Reads of published acts and drafts (docs/architecture.md rule 5: access is checked here).

The public reads return only what is on the site (never a draft entry «готується»); the office reads
are for registrars, heads, website editors and administrators of the organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.errors import PermissionDeniedError
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Organisation, User
from ratusha.orgs.permissions import organisation_ids
from ratusha.search.analysis import Query, parse_query
from ratusha.website.acts.constants import (
    DRAFT_SEGMENT,
    LISTED_STATUSES,
    PUBLIC_STATUSES,
    REMIND_WORKING_DAYS,
    SEGMENT_KINDS,
    ActKind,
    ActStatus,
)
from ratusha.website.acts.models import PublishedAct, Topic

PUBLICATION_ROLES = frozenset({Role.REGISTRAR, Role.HEAD, Role.WEB_EDITOR, Role.ADMIN})
DRAFTS_FILTER = "drafts"  # the «kind» filter value for draft decisions


# --- Access -------------------------------------------------------------------------------------


def publication_organisation_ids(user: Any) -> list[Any]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return list(Organisation.objects.values_list("pk", flat=True))
    return organisation_ids(user, PUBLICATION_ROLES)


def can_manage_publications(user: Any) -> bool:
    return bool(publication_organisation_ids(user))


def require_publication_rights(actor: Any, organisation_id: Any) -> None:
    if str(organisation_id) not in {str(pk) for pk in publication_organisation_ids(actor)}:
        raise PermissionDeniedError(_("Оприлюднювати рішення та проєкти рішень можуть діловоди, керівники, "
                                      "редактори вебсайту та адміністратори організації."))


def require_any_publication_rights(actor: Any) -> None:
    if not can_manage_publications(actor):
        raise PermissionDeniedError(_("Оприлюднювати рішення та проєкти рішень можуть діловоди, керівники, "
                                      "редактори вебсайту та адміністратори організації."))


def web_editors_of(organisation_id: Any) -> list[User]:
    """Active website editors of the organisation (roles are a JSON list; the quoted code matches exactly)."""
    return list(User.objects.filter(is_active=True, employments__organisation_id=organisation_id,
                                    employments__is_active=True,
                                    employments__roles__icontains=f'"{Role.WEB_EDITOR}"').distinct())


def approvals_drafts_for(*, user: Any) -> QuerySet[Any]:
    """Decision and order drafts on approval in the user's organisations, with a current version."""
    from ratusha.registry.constants import DocumentKind
    from ratusha.workflow.approvals.constants import DraftStatus
    from ratusha.workflow.approvals.models import Draft

    return (Draft.objects.filter(organisation_id__in=publication_organisation_ids(user),
                                 kind__in=(DocumentKind.DECISION, DocumentKind.ORDER),
                                 current_version__isnull=False)
            .exclude(status=DraftStatus.WITHDRAWN).select_related("current_version__blob", "author")
            .order_by("-created_at"))


# --- Public reads -------------------------------------------------------------------------------


def public_acts() -> QuerySet[PublishedAct]:
    return PublishedAct.objects.filter(status__in=PUBLIC_STATUSES).select_related("topic", "organisation")


def listed_acts() -> QuerySet[PublishedAct]:
    return public_acts().filter(status__in=LISTED_STATUSES)


def query_q(query: Query) -> Q | None:
    """Every word of the query (any of its readings) among the act's tokens — the site search's analysis."""
    if not query:
        return None
    out = Q()
    for word in query.words:
        alternatives = Q(pk__in=[])
        for token in word.any_of:
            alternatives |= Q(search_tokens__contains=f" {token} ")
        if word.all_parts:
            parts = Q()
            for part in word.all_parts:
                any_part = Q(pk__in=[])
                for token in part:
                    any_part |= Q(search_tokens__contains=f" {token} ")
                parts &= any_part
            alternatives |= parts
        out &= alternatives
    return out


@dataclass
class ActFilters:
    year: int | None = None
    kind: str = ""
    topic: str = ""
    status: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.year or self.kind or self.topic or self.status or self.q.strip())


def parse_filters(params: Any) -> ActFilters:
    """Filters from the query string; values outside the lists are ignored (never an error page)."""
    year: int | None
    try:
        year = int(params.get("year") or 0) or None
    except (TypeError, ValueError):
        year = None
    if year is not None and not 1990 <= year <= 2100:
        year = None
    kind = params.get("kind") or ""
    if kind not in (*ActKind.values, DRAFTS_FILTER):
        kind = ""
    status = params.get("status") or ""
    if status not in PUBLIC_STATUSES:
        status = ""
    topic = (params.get("topic") or "")[:40]
    return ActFilters(year=year, kind=kind, topic=topic, status=status, q=(params.get("q") or "")[:200])


def act_list(filters: ActFilters) -> QuerySet[PublishedAct]:
    qs = public_acts() if filters.status == ActStatus.WITHDRAWN else listed_acts()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.kind == DRAFTS_FILTER:
        qs = qs.filter(segment=DRAFT_SEGMENT)
    elif filters.kind:
        qs = qs.filter(kind=filters.kind).exclude(segment=DRAFT_SEGMENT)
    if filters.topic:
        qs = qs.filter(topic__slug=filters.topic)
    condition = query_q(parse_query(filters.q))
    if condition is not None:
        qs = qs.filter(condition)
    return qs.order_by("-date", "-published_at", "-number")


def act_years() -> list[int]:
    return sorted(set(listed_acts().values_list("year", flat=True)), reverse=True)


def topics() -> list[Topic]:
    return list(Topic.objects.filter(is_active=True))


def act_get_public(*, segment: str, year: int, slug: str) -> PublishedAct | None:
    if segment not in SEGMENT_KINDS and segment != DRAFT_SEGMENT:
        return None
    return public_acts().select_related("adopted_act", "unit").filter(segment=segment, year=year,
                                                                      slug=slug).first()


def latest_acts(limit: int = 5) -> list[PublishedAct]:
    """The newest adopted acts and drafts on the site (the home page shows them)."""
    acts = list(listed_acts().order_by("-published_at", "-date")[:limit])
    attach_pdfs(acts)
    return acts


def related_acts(act: PublishedAct) -> list[PublishedAct]:
    """Draft ↔ adopted: the act adopted from this draft, or the drafts of this act (public ones)."""
    out: list[PublishedAct] = []
    if act.adopted_act_id and act.adopted_act.status in PUBLIC_STATUSES:
        out.append(act.adopted_act)
    out.extend(public_acts().filter(adopted_act=act).order_by("-published_at"))
    return out


@dataclass(frozen=True)
class PdfInfo:
    url: str
    name: str
    size: int
    sha256: str
    file_pk: Any = None


def attach_pdfs(acts: list[PublishedAct]) -> None:
    """Set ``act.pdf`` (a ``PdfInfo`` or None) on each act with one query: a draft's own file, an
    adopted act's card's current PDF file."""
    from ratusha.registry.models import DocumentFile

    doc_ids = [a.document_id for a in acts if a.document_id]
    current: dict[Any, Any] = {}
    if doc_ids:
        for f in (DocumentFile.objects.filter(document_id__in=doc_ids, is_current=True,
                                              blob__mime="application/pdf")
                  .select_related("blob").order_by("document_id", "created_at")):
            current.setdefault(f.document_id, f)
    for act in acts:
        file = current.get(act.document_id) if act.document_id else None
        if file is not None:
            act.pdf = PdfInfo(act.get_pdf_url(), file.name, file.blob.size, file.blob_id, file.pk)
        elif act.blob_id:
            act.pdf = PdfInfo(act.get_pdf_url(), act.file_name, act.blob.size, act.blob_id)
        else:
            act.pdf = None


def signature_check_url(act: PublishedAct) -> str:
    """«Перевірити підпис» → /verify/?code=… when the signing part knows a code for the card."""
    if act.document_id is None:
        return ""
    from ratusha.signatures.selectors import verification_code_for_document

    try:
        code = verification_code_for_document(act.document)
    except Exception:  # noqa: BLE001 - a signature lookup must never break the public page
        return ""
    return f"/verify/?code={code}" if code else ""


def days_before_session(act: PublishedAct, today: dt.date | None = None) -> int | None:
    if act.session_date is None:
        return None
    return (act.session_date - (today or timezone.localdate())).days


def search_provider(query: Query, limit: int) -> list[Any]:
    """The site search's provider «decisions» (``ratusha.website.search``): public acts and drafts only."""
    from ratusha.website.search import SiteHit

    condition = query_q(query)
    if condition is None:
        return []
    hits = []
    for act in listed_acts().filter(condition).order_by("-date")[:limit]:
        label = _("Проєкт рішення") if act.is_draft else ActKind(act.kind).label
        hits.append(SiteHit(kind=str(label), title=act.title, url=act.get_absolute_url(),
                            summary=str(act) if act.number else "", date=act.date, score=0.5))
    return hits


# --- Office -------------------------------------------------------------------------------------


@dataclass
class DraftRow:
    act: PublishedAct
    state: str  # on_time / at_risk / late / published / published_late
    working_days_left: int | None


def office_drafts(*, user: Any, today: dt.date | None = None) -> list[DraftRow]:
    """Drafts of the user's organisations with their clock state, the ones needing action first."""
    from ratusha.calendar.selectors import add_working_days, working_days_between

    require_any_publication_rights(user)
    today = today or timezone.localdate()
    horizon = add_working_days(today, REMIND_WORKING_DAYS)
    rows = []
    qs = (PublishedAct.objects.filter(segment=DRAFT_SEGMENT, organisation_id__in=publication_organisation_ids(user))
          .select_related("topic", "unit", "author", "adopted_act").order_by("session_date", "-created_at"))
    for act in qs:
        left = None
        if act.status == ActStatus.PREPARING:
            latest = act.latest_publication_date
            if today > latest:
                state = "late"
            else:
                left = working_days_between(today, latest)
                state = "at_risk" if latest <= horizon else "on_time"
        else:
            state = "published_late" if act.published_late else "published"
        rows.append(DraftRow(act=act, state=state, working_days_left=left))
    order = {"late": 0, "at_risk": 1, "on_time": 2, "published_late": 3, "published": 4}
    rows.sort(key=lambda r: (order[r.state], r.act.session_date or today))
    return rows


def office_draft_get(*, user: Any, pk: Any) -> PublishedAct | None:
    return (PublishedAct.objects.filter(pk=pk, segment=DRAFT_SEGMENT,
                                        organisation_id__in=publication_organisation_ids(user)).first())


def office_act_get(*, user: Any, pk: Any) -> PublishedAct | None:
    return PublishedAct.objects.filter(pk=pk, organisation_id__in=publication_organisation_ids(user)).first()


def adoptable_acts(*, user: Any) -> QuerySet[PublishedAct]:
    return (PublishedAct.objects.filter(organisation_id__in=publication_organisation_ids(user),
                                        status=ActStatus.ADOPTED).exclude(segment=DRAFT_SEGMENT)
            .order_by("-date"))
