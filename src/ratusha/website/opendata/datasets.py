"""The open-data sets (Law 2939-VI art. 10-1; CMU No. 835 of 21.10.2015), generated from live data.

Each set has a passport (title, identifier, description, responsible body, update frequency, formats,
last update, licence, keywords, structure) and its rows as dicts in the order of ``fields``. Only public
information: all-002 names heads (public officials) with their positions and the bodies' work contacts;
all-009 lists what the site publishes; the appeals statistics are aggregate counts — no applicant data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LICENCE = {"title": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
           "url": "https://creativecommons.org/licenses/by/4.0/"}
# How CSV cells that a spreadsheet would run as a formula are written (``ratusha.core.csvsafe``).
CSV_FORMULA_NOTE = _("Текст, що починається з «=», «+», «-», «@», табуляції чи повернення каретки, має на початку "
                     "апостроф «'»: так табличні редактори не виконують його як формулу.")
CSV_NOTE = _("CSV: кодування UTF-8 без BOM, роздільник — кома, перший рядок — назви полів, текст із комами "
             "чи лапками — у подвійних лапках (RFC 4180). JSON: масив об'єктів з тими самими полями.")


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string / integer / date / datetime / url
    description: Any


@dataclass(frozen=True)
class Dataset:
    identifier: str
    title: Any
    description: Any
    frequency: Any
    keywords: tuple[Any, ...]
    fields: tuple[Field, ...]
    rows: Callable[..., Iterator[dict[str, Any]]]  # rows(base_url="https://…")
    last_modified: Callable[[], dt.datetime | None]

    @property
    def slug(self) -> str:
        return self.identifier


def _latest(*values: dt.datetime | None) -> dt.datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


# --- all-002: organisational structure ----------------------------------------------------------

STRUCTURE_FIELDS = (
    Field("organisation_code", "string", _("Код організації в системі")),
    Field("organisation", "string", _("Повна назва органу / організації")),
    Field("organisation_kind", "string", _("Вид: міська рада, виконавчий комітет, виконавчий орган, комунальне підприємство")),
    Field("edrpou", "string", _("Код ЄДРПОУ")),
    Field("parent_organisation", "string", _("Назва органу, якому підпорядкована")),
    Field("unit_code", "string", _("Індекс структурного підрозділу (порожньо — рядок про саму організацію)")),
    Field("unit", "string", _("Назва структурного підрозділу")),
    Field("parent_unit", "string", _("Назва підрозділу вищого рівня")),
    Field("head_position", "string", _("Посада керівника")),
    Field("head_name", "string", _("Прізвище, ім'я, по батькові керівника (посадова особа)")),
    Field("address", "string", _("Адреса")),
    Field("phone", "string", _("Службовий телефон")),
    Field("email", "string", _("Службова електронна пошта")),
)


def structure_rows(base_url: str = "") -> Iterator[dict[str, Any]]:
    from ratusha.website.structure import council_structure

    for node in council_structure():
        org = node.organisation
        base = {"organisation_code": org.code, "organisation": org.name, "organisation_kind": str(org.get_kind_display()),
                "edrpou": org.edrpou, "parent_organisation": org.parent.name if org.parent_id else "",
                "address": org.address, "phone": org.phone, "email": org.email}
        heads = node.heads or [None]
        for head in heads:
            yield {**base, "unit_code": "", "unit": "", "parent_unit": "",
                   "head_position": head.position if head else "", "head_name": head.name if head else ""}
        units = {u.unit.pk: u.unit for u in node.units}
        for unit_node in node.units:
            unit = unit_node.unit
            parent = units.get(unit.parent_id)
            for head in unit_node.heads or [None]:
                yield {**base, "unit_code": unit.code, "unit": unit.name, "parent_unit": parent.name if parent else "",
                       "head_position": head.position if head else "", "head_name": head.name if head else ""}


def structure_modified() -> dt.datetime | None:
    from ratusha.orgs.models import Employee, Organisation, Position, Unit

    return _latest(*(m.objects.aggregate(m=Max("updated_at"))["m"] for m in (Organisation, Unit, Position, Employee)))


# --- all-009: acts and drafts -------------------------------------------------------------------

ACTS_FIELDS = (
    Field("kind", "string", _("Вид: рішення ради, рішення виконавчого комітету, розпорядження, проєкт рішення")),
    Field("number", "string", _("Реєстраційний номер (для проєктів — порожньо)")),
    Field("date", "date", _("Дата прийняття (для проєкту — дата оприлюднення), РРРР-ММ-ДД")),
    Field("title", "string", _("Назва")),
    Field("status", "string", _("Стан: прийнято / проєкт")),
    Field("topic", "string", _("Тема")),
    Field("organisation", "string", _("Орган, що прийняв (розглядає)")),
    Field("session_date", "date", _("Для проєктів: дата розгляду (засідання)")),
    Field("published_at", "datetime", _("Дата і час оприлюднення, ISO 8601")),
    Field("updated_at", "datetime", _("Дата і час останнього оновлення, ISO 8601")),
    Field("url", "url", _("Постійна адреса сторінки документа")),
    Field("pdf_url", "url", _("Адреса тексту документа у PDF")),
)


def acts_rows(base_url: str = "") -> Iterator[dict[str, Any]]:
    from ratusha.website.acts.constants import ActKind
    from ratusha.website.acts.selectors import attach_pdfs, listed_acts

    qs = listed_acts().order_by("-date", "pk")
    batch = 500
    start = 0
    while True:
        acts = list(qs[start:start + batch])
        if not acts:
            return
        attach_pdfs(acts)
        for act in acts:
            yield {
                "kind": str(_("Проєкт рішення") if act.is_draft else ActKind(act.kind).label),
                "number": act.number, "date": act.date.isoformat(), "title": act.title,
                "status": str(act.get_status_display()), "topic": act.topic.name if act.topic_id else "",
                "organisation": act.organisation.name,
                "session_date": act.session_date.isoformat() if act.session_date else "",
                "published_at": timezone.localtime(act.published_at).isoformat() if act.published_at else "",
                "updated_at": timezone.localtime(act.content_updated_at).isoformat() if act.content_updated_at else "",
                "url": base_url + act.get_absolute_url(),
                "pdf_url": base_url + act.pdf.url if act.pdf else "",
            }
        start += batch


def acts_modified() -> dt.datetime | None:
    from ratusha.website.acts.models import PublishedAct

    return PublishedAct.objects.aggregate(m=Max("updated_at"))["m"]


# --- appeals statistics (aggregate counts) ------------------------------------------------------

APPEALS_FIELDS = (
    Field("quarter", "string", _("Квартал, напр. 2026-Q3")),
    Field("period_start", "date", _("Перший день кварталу")),
    Field("period_end", "date", _("Останній день кварталу")),
    Field("organisation", "string", _("Орган, що розглядає звернення")),
    Field("dimension", "string", _("Код показника: total, receipt_form, appeal_type, subject, topic, outcome")),
    Field("dimension_title", "string", _("Назва показника (Класифікатор звернень, постанова КМУ № 858)")),
    Field("value_code", "string", _("Код значення")),
    Field("value", "string", _("Значення")),
    Field("count", "integer", _("Кількість звернень, що надійшли у кварталі (стан розгляду — на дату формування)")),
)
# Only dimensions with no risk of pointing at a person (no sex, category, social status or settlement).
APPEALS_DIMENSIONS = ("receipt_form", "appeal_type", "subject", "topic", "outcome")


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = (dt.date(day.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1) - dt.timedelta(days=1))
    return start, end


def appeals_rows(base_url: str = "") -> Iterator[dict[str, Any]]:
    from ratusha.appeals.constants import AppealStatus
    from ratusha.appeals.models import Appeal
    from ratusha.orgs.models import Organisation
    from ratusha.reports import appeals_selectors as report
    from ratusha.reports.appeals_constants import Total

    today = timezone.localdate()
    registered = Appeal.objects.exclude(status=AppealStatus.SUBMITTED)
    first = registered.aggregate(n=Min("received_date"))
    if first["n"] is None:
        return
    org_ids = set(registered.values_list("organisation_id", flat=True).distinct())
    organisations = sorted(Organisation.objects.filter(pk__in=org_ids), key=lambda o: o.name)
    quarters: list[tuple[dt.date, dt.date]] = []
    start, end = quarter_of(first["n"])
    while start <= today:
        quarters.append((start, end))
        start, end = quarter_of(end + dt.timedelta(days=1))
    for q_start, q_end in reversed(quarters):
        label = f"{q_start.year}-Q{(q_start.month - 1) // 3 + 1}"
        for org in organisations:
            totals, dimensions = report.appeals_public_counts(organisation=org, date_from=q_start, date_to=q_end,
                                                              today=today)
            base = {"quarter": label, "period_start": q_start.isoformat(), "period_end": q_end.isoformat(),
                    "organisation": org.name}
            if not totals[Total.RECEIVED]:
                continue
            for total in Total:
                yield {**base, "dimension": "total", "dimension_title": str(_("Підсумки")),
                       "value_code": total.value, "value": str(total.label), "count": totals[total.value]}
            for dimension in dimensions:
                if dimension.key not in APPEALS_DIMENSIONS:
                    continue
                for row in dimension.rows:
                    if row.depth:
                        continue
                    yield {**base, "dimension": dimension.key, "dimension_title": str(dimension.title),
                           "value_code": row.key, "value": row.label, "count": row.count}


def appeals_modified() -> dt.datetime | None:
    from ratusha.appeals.models import Appeal

    return Appeal.objects.aggregate(m=Max("updated_at"))["m"]


DATASETS: dict[str, Dataset] = {d.identifier: d for d in (
    Dataset("all-002", _("Організаційна структура"),
            _("Структура міської ради, виконавчого комітету, виконавчих органів і комунальних підприємств: "
              "підрозділи, посади та імена керівників, службові контакти."),
            _("Щомісяця та в разі змін"), (_("структура"), _("керівники"), _("контакти"), _("підрозділи")),
            STRUCTURE_FIELDS, structure_rows, structure_modified),
    Dataset("all-009", _("Рішення та проєкти рішень"),
            _("Рішення ради, виконавчого комітету, розпорядження та проєкти рішень, оприлюднені на офіційному "
              "вебсайті: номер, дата, назва, стан, тема, дати оприлюднення й оновлення, посилання на текст."),
            _("Щодня (формується з актуальних даних під час кожного звернення)"),
            (_("рішення"), _("розпорядження"), _("проєкти рішень"), _("нормативні акти")),
            ACTS_FIELDS, acts_rows, acts_modified),
    Dataset("appeals-statistics", _("Статистика звернень громадян"),
            _("Кількість звернень громадян за кварталами: форма надходження, вид, суб'єкт, тематика (розділи "
              "класифікатора) та результат розгляду. Лише агреговані показники, без персональних даних."),
            _("Щокварталу (формується з актуальних даних)"),
            (_("звернення громадян"), _("статистика"), _("класифікатор звернень")),
            APPEALS_FIELDS, appeals_rows, appeals_modified),
)}
