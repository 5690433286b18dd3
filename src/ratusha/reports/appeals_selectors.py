"""Reads of the appeals statistics (issue 4 item 9), access-checked (docs/architecture.md rule 5).

For one organisation and a period [date_from, date_to] the cohort is the appeals received in the period
(``received_date``) and registered (an e-appeal still waiting for registration is not in the journal yet).
It is counted by every Classifier 858 dimension (CMU No. 858 of 24.09.2008; docs/legal.md §3): receipt form,
sign, type, subject, medium, the applicant's sex, categories (a person may belong to several: counted in
each), social status, settlement, the subject/issue topic grouped by its section (``parent_code``) — and by
outcome, plus the totals of ``appeals_constants.Total``. Every count is a database aggregate
(``values(...).annotate(Count)`` / ``Count(filter=Q(...))``), never a loop over appeals.

The overdue and at-risk lists are today's: open appeals of the organisation past their deadline, or due
within N working days (the calendar's working days), priority first. They come from
``appeals.selectors.appeals_visible_to`` and carry no personal data: registration number, received
date, topic, deadline, status.

Who sees it: the appeals roles of the organisation (``appeals.permissions.READER_ROLES``: reception and
registry officers, heads, administrators, controllers — own appointment or acting deputy). Others: 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.appeals import permissions as appeal_perms
from ratusha.appeals.constants import (
    APPLICANT_CATEGORIES,
    OPEN_STATUSES,
    AppealSign,
    AppealStatus,
    AppealSubject,
    AppealType,
    Medium,
    Outcome,
    ReceiptForm,
    Sex,
    SocialStatus,
)
from ratusha.appeals.models import Appeal, ClassifierTopic
from ratusha.appeals.selectors import appeals_visible_to
from ratusha.calendar.selectors import add_working_days, working_days_between
from ratusha.orgs.models import Organisation
from ratusha.reports.appeals_constants import CATEGORY_NOTE, LIST_LIMIT, Total
from ratusha.reports.selectors import uk_sort_key

NOT_GIVEN = "__none__"  # the key of «не зазначено» rows


# --- Result types -------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    count: int
    depth: int = 0  # topics: 0 = a section, 1 = an issue within it
    # topics: the state of the row's appeals today — considered / in work (not overdue) / overdue
    states: dict[str, int] = field(default_factory=dict)
    percent: str = "—"  # share of the appeals received, «12,5»

    def set_share(self, total: int) -> None:
        self.percent = f"{self.count * 100 / total:.1f}".replace(".", ",") if total else "—"


@dataclass
class Dimension:
    key: str
    title: str
    rows: list[Row]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows if r.depth == 0)

    @property
    def states_total(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            if row.depth == 0:
                _add(out, {name: row.states.get(name, 0) for name in STATES})
        return out


@dataclass
class ListItem:
    """An open appeal on the overdue / at-risk list: no applicant's data."""

    pk: Any
    number: str  # registration index, "" while not registered
    received_date: dt.date
    topic: str
    deadline: dt.date
    status: str
    priority: bool
    days: int  # overdue: calendar days past the deadline; at risk: working days left


@dataclass
class AppealsReport:
    organisation: Organisation
    date_from: dt.date
    date_to: dt.date
    today: dt.date
    horizon: int
    horizon_until: dt.date
    totals: dict[str, int]
    dimensions: list[Dimension]
    overdue: list[ListItem] = field(default_factory=list)
    overdue_count: int = 0
    at_risk: list[ListItem] = field(default_factory=list)
    at_risk_count: int = 0

    @property
    def received(self) -> int:
        return self.totals[Total.RECEIVED]

    @property
    def is_empty(self) -> bool:
        return self.received == 0

    def dimension(self, key: str) -> Dimension:
        return next(d for d in self.dimensions if d.key == key)

    @property
    def total_rows(self) -> list[tuple[str, str, int]]:
        return [(t.value, str(t.label), self.totals[t.value]) for t in Total]


# --- Access -------------------------------------------------------------------------------------


def appeals_report_organisations(*, user: Any) -> QuerySet[Organisation]:
    """Organisations whose appeals statistics the user may open."""
    ids = appeal_perms.reading_organisation_ids(user)
    return Organisation.objects.filter(pk__in=ids, is_active=True).order_by("kind", "name")


def appeals_report_organisation_get(*, user: Any, pk: Any) -> Organisation:
    try:
        return appeals_report_organisations(user=user).get(pk=pk)
    except (Organisation.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


# --- The report ---------------------------------------------------------------------------------


def cohort(organisation: Organisation, date_from: dt.date, date_to: dt.date) -> QuerySet[Appeal]:
    """Registered appeals of the organisation received in the period."""
    return (Appeal.objects.filter(organisation=organisation, received_date__gte=date_from,
                                  received_date__lte=date_to)
            .exclude(status=AppealStatus.SUBMITTED))


def _totals(qs: QuerySet[Appeal], today: dt.date) -> dict[str, int]:
    is_open = Q(status__in=OPEN_STATUSES)
    figures = {
        Total.RECEIVED: Count("pk"),
        Total.CONSIDERED: Count("pk", filter=~is_open),
        Total.LATE: Count("pk", filter=~is_open & Q(decided_at__isnull=False, deadline__isnull=False,
                                                     decided_at__date__gt=F("deadline"))),
        Total.IN_WORK: Count("pk", filter=is_open),
        Total.OVERDUE: Count("pk", filter=is_open & Q(deadline__lt=today)),
        Total.PRIORITY: Count("pk", filter=Q(priority=True)),
    }
    result = qs.order_by().aggregate(**{str(k.value): v for k, v in figures.items()})
    return {k: int(v or 0) for k, v in result.items()}


def _by_choices(qs: QuerySet[Appeal], field_name: str, key: str, title: str, choices: Any, *,
                blank_label: str | None = None) -> Dimension:
    """Every choice (zeros too, in the vocabulary's order); «не зазначено» for blanks when it may be blank."""
    counts = {row[field_name] or "": row["n"] for row in qs.order_by().values(field_name).annotate(n=Count("pk"))}
    rows = [Row(value, str(label), counts.pop(value, 0)) for value, label in choices.choices if value != ""]
    blank = counts.pop("", 0)
    if blank_label is not None or blank:
        rows.append(Row(NOT_GIVEN, blank_label or _("Не зазначено"), blank))
    # Values outside the vocabulary (old data) are kept, never dropped from the sum.
    rows.extend(Row(value, value, n) for value, n in sorted(counts.items()))
    return Dimension(key, title, rows)


def _categories(qs: QuerySet[Appeal]) -> Dimension:
    """One conditional count per category code. ``categories`` is a JSON list of codes; the match on the
    quoted code (``"05"``) in its text is exact on SQLite and PostgreSQL alike."""
    aggregates = {f"c{code}": Count("pk", filter=Q(categories__icontains=f'"{code}"'))
                  for code, _label in APPLICANT_CATEGORIES}
    aggregates["none"] = Count("pk", filter=Q(categories=[]) | Q(categories__isnull=True))
    counts = qs.order_by().aggregate(**aggregates)
    rows = [Row(code, f"{code} {label}", int(counts[f"c{code}"] or 0)) for code, label in APPLICANT_CATEGORIES]
    rows.append(Row(NOT_GIVEN, _("Без категорії"), int(counts["none"] or 0)))
    return Dimension("categories", _("Категорія заявника"), rows, note=str(CATEGORY_NOTE))


def _settlements(qs: QuerySet[Appeal]) -> Dimension:
    rows_db = qs.order_by().values("settlement").annotate(n=Count("pk"))
    rows = [Row(r["settlement"] or NOT_GIVEN, r["settlement"] or _("Не зазначено"), r["n"]) for r in rows_db]
    rows.sort(key=lambda r: (r.key == NOT_GIVEN, -r.count, uk_sort_key(r.label)))
    return Dimension("settlement", _("Населений пункт"), rows)


def _titles(codes: set[str]) -> dict[str, str]:
    """The title of each topic code, from the newest classifier version that has it."""
    titles: dict[str, str] = {}
    for code, title in (ClassifierTopic.objects.filter(code__in=codes)
                        .order_by("code", "-version__number").values_list("code", "title")):
        titles.setdefault(code, title)
    return titles


STATES = ("considered", "in_work", "overdue")


def _state_counts(today: dt.date) -> dict[str, Count]:
    is_open = Q(status__in=OPEN_STATUSES)
    return {"considered": Count("pk", filter=~is_open),
            "in_work": Count("pk", filter=is_open & (Q(deadline__gte=today) | Q(deadline__isnull=True))),
            "overdue": Count("pk", filter=is_open & Q(deadline__lt=today))}


def _add(target: dict[str, int], source: dict[str, Any]) -> None:
    for name in STATES:
        target[name] = target.get(name, 0) + int(source[name] or 0)


def _topics(qs: QuerySet[Appeal], today: dt.date) -> Dimension:
    """Sections (``parent_code``; a section-level topic is its own section) with their issues below."""
    rows_db = (qs.order_by().values("topic__code", "topic__parent_code")
               .annotate(n=Count("pk"), **_state_counts(today)))
    sections: dict[str, dict[str, dict[str, int]]] = {}
    untopiced: dict[str, int] = {}
    for row in rows_db:
        code = row["topic__code"]
        if code is None:
            _add(untopiced, row)
            continue
        section = row["topic__parent_code"] or code
        _add(sections.setdefault(section, {}).setdefault(code, {}), row)
    titles = _titles(set(sections) | {c for issues in sections.values() for c in issues})
    rows: list[Row] = []
    for section in sorted(sections):
        issues = sections[section]
        states: dict[str, int] = {}
        for issue_states in issues.values():
            _add(states, issue_states)
        rows.append(Row(section, f"{section} {titles.get(section, '')}".strip(), sum(states.values()),
                        states=states))
        rows.extend(Row(code, f"{code} {titles.get(code, '')}".strip(), sum(st.values()), depth=1, states=st)
                    for code, st in sorted(issues.items()) if code != section)
    rows.append(Row(NOT_GIVEN, _("Питання не визначено"), sum(untopiced.values()),
                    states=untopiced or dict.fromkeys(STATES, 0)))
    return Dimension("topic", _("Тематика (питання класифікатора)"), rows)


def _dimensions(qs: QuerySet[Appeal], today: dt.date) -> list[Dimension]:
    return [
        _by_choices(qs, "receipt_form", "receipt_form", _("Форма надходження"), ReceiptForm),
        _by_choices(qs, "sign", "sign", _("Ознака надходження"), AppealSign),
        _by_choices(qs, "appeal_type", "appeal_type", _("Вид звернення"), AppealType),
        _by_choices(qs, "subject", "subject", _("Суб'єкт звернення"), AppealSubject),
        _by_choices(qs, "medium", "medium", _("Тип за носієм"), Medium),
        _by_choices(qs, "sex", "sex", _("Стать заявника"), Sex, blank_label=str(Sex.UNKNOWN.label)),
        _categories(qs),
        _by_choices(qs, "social_status", "social_status", _("Соціальний стан заявника"), SocialStatus,
                    blank_label=_("Не зазначено")),
        _settlements(qs),
        _topics(qs, today),
        _by_choices(qs, "outcome", "outcome", _("Результат розгляду"), Outcome,
                    blank_label=_("Ще не розглянуто / результат не зазначено")),
    ]


def _list(qs: QuerySet[Appeal], today: dt.date, *, overdue: bool) -> tuple[list[ListItem], int]:
    count = qs.count()
    rows = (qs.select_related("document", "topic")
            .annotate(priority_first=Case(When(priority=True, then=Value(0)), default=Value(1),
                                          output_field=IntegerField()))
            .order_by("priority_first", "deadline", "received_at")[:LIST_LIMIT])
    items = []
    for appeal in rows:
        days = (today - appeal.deadline).days if overdue else working_days_between(today, appeal.deadline)
        items.append(ListItem(
            pk=appeal.pk, number=appeal.document.reg_index if appeal.document_id else "",
            received_date=appeal.received_date,
            topic=f"{appeal.topic.code} {appeal.topic.title}" if appeal.topic_id else "",
            deadline=appeal.deadline, status=str(AppealStatus(appeal.status).label), priority=appeal.priority,
            days=days))
    return items, count


def appeals_report(*, user: Any, organisation: Organisation, date_from: dt.date, date_to: dt.date,
                   horizon: int = 3, today: dt.date | None = None) -> AppealsReport:
    """The statistics of ``organisation`` for the period, with today's overdue and at-risk lists."""
    appeals_report_organisation_get(user=user, pk=organisation.pk)
    today = today or timezone.localdate()
    qs = cohort(organisation, date_from, date_to)
    horizon_until = add_working_days(today, horizon)
    open_now = (appeals_visible_to(user).filter(organisation=organisation, status__in=OPEN_STATUSES,
                                                deadline__isnull=False))
    overdue, overdue_count = _list(open_now.filter(deadline__lt=today), today, overdue=True)
    at_risk, at_risk_count = _list(open_now.filter(deadline__gte=today, deadline__lte=horizon_until), today,
                                   overdue=False)
    totals = _totals(qs, today)
    dimensions = _dimensions(qs, today)
    for dimension in dimensions:
        for row in dimension.rows:
            row.set_share(totals[Total.RECEIVED])
    return AppealsReport(organisation=organisation, date_from=date_from, date_to=date_to, today=today,
                         horizon=horizon, horizon_until=horizon_until, totals=totals,
                         dimensions=dimensions, overdue=overdue, overdue_count=overdue_count,
                         at_risk=at_risk, at_risk_count=at_risk_count)


def appeals_public_counts(*, organisation: Organisation, date_from: dt.date, date_to: dt.date,
                          today: dt.date | None = None) -> tuple[dict[str, int], list[Dimension]]:
    """Counts only (totals and dimensions) of the appeals received in the period, for publication as open
    data. No appeal, name or text leaves here, so no user is asked for; the caller picks the dimensions it
    may publish (the open-data dataset leaves out sex, category, social status and settlement)."""
    today = today or timezone.localdate()
    qs = cohort(organisation, date_from, date_to)
    return _totals(qs, today), _dimensions(qs, today)
