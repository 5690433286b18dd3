"""Journals and the yearly nomenclature of cases (docs/legal.md §6)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError
from ratusha.orgs.models import Organisation
from ratusha.registry.constants import DEFAULT_INDEX_TEMPLATES, JournalKind
from ratusha.registry.models import CaseFile, Journal
from ratusha.registry.services._common import (
    normalise_spaces,
    require_administrator,
    require_choice,
    require_same_org,
    require_text,
)
from ratusha.registry.services.numbering import validate_index_template

MIN_YEAR, MAX_YEAR = 1990, 2100


def journal_create(*, actor: Any, organisation: Organisation, kind: str, name: str, index_template: str = "",
                   prefix: str = "", default_case_index: str = "") -> Journal:
    require_administrator(actor, organisation.pk)
    kind = require_choice(kind, JournalKind, field="kind")
    name = require_text(name, field="name", message=_("Вкажіть назву журналу."))[:200]
    template = validate_index_template(index_template or DEFAULT_INDEX_TEMPLATES[JournalKind(kind)])
    with transaction.atomic():
        journal = Journal.objects.create(organisation=organisation, kind=kind, name=name,
                                         index_template=template, prefix=(prefix or "").strip()[:20],
                                         default_case_index=(default_case_index or "").strip()[:30])
        audit_log(actor=actor, action="journal.create", obj=journal, params={
            "organisation": str(organisation.pk), "kind": kind, "name": name, "index_template": template,
            "prefix": journal.prefix, "default_case_index": journal.default_case_index})
    return journal


def _check_year(year: Any, field: str = "year") -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ApplicationError(_("Вкажіть рік від %(min)s до %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
                               code="invalid_year", field=field)
    return year


def _index_taken(index: str, year: int) -> ApplicationError:
    return ApplicationError(_("Справа з індексом «%(index)s» уже є в номенклатурі %(year)s року.")
                            % {"index": index, "year": year}, code="casefile_exists", field="index")


def casefile_create(*, actor: Any, organisation: Organisation, year: int, index: str, title: str,
                    retention: str, retention_article: str = "", unit: Any = None, volumes: int = 1,
                    note: str = "") -> CaseFile:
    require_administrator(actor, organisation.pk)
    year = _check_year(year)
    index = normalise_spaces(require_text(index, field="index", message=_("Вкажіть індекс справи.")))[:30]
    title = normalise_spaces(require_text(title, field="title", message=_("Вкажіть заголовок справи.")))[:500]
    retention = require_text(retention, field="retention", message=_("Вкажіть строк зберігання."))[:40]
    require_same_org(unit, organisation.pk, field="unit", message=_("Підрозділ належить іншій організації."))
    try:
        volumes = int(volumes)
    except (TypeError, ValueError):
        volumes = 0
    if volumes < 1:
        raise ApplicationError(_("Кількість томів має бути не менше 1."), code="invalid", field="volumes")
    with transaction.atomic():
        if CaseFile.objects.filter(organisation=organisation, year=year, index=index).exists():
            raise _index_taken(index, year)
        try:
            with transaction.atomic():
                case = CaseFile.objects.create(
                    organisation=organisation, year=year, index=index, title=title, retention=retention,
                    retention_article=(retention_article or "").strip()[:40], unit=unit, volumes=volumes,
                    note=(note or "").strip()[:300])
        except IntegrityError:
            raise _index_taken(index, year) from None
        audit_log(actor=actor, action="casefile.create", obj=case, params={
            "organisation": str(organisation.pk), "year": year, "index": index, "title": title,
            "retention": case.retention, "retention_article": case.retention_article,
            "unit": str(unit.pk) if unit is not None else None, "volumes": volumes})
    return case


def nomenclature_copy_year(*, actor: Any, organisation: Organisation, from_year: int, to_year: int) -> int:
    """Copy the cases of ``from_year`` into ``to_year`` (indexes already there are skipped)."""
    require_administrator(actor, organisation.pk)
    from_year = _check_year(from_year, "from_year")
    to_year = _check_year(to_year, "to_year")
    if from_year == to_year:
        raise ApplicationError(_("Рік, до якого копіюють номенклатуру, має відрізнятися від вихідного."),
                               code="same_year", field="to_year")
    with transaction.atomic():
        existing = set(CaseFile.objects.filter(organisation=organisation, year=to_year)
                       .values_list("index", flat=True))
        source = CaseFile.objects.filter(organisation=organisation, year=from_year).order_by("index")
        copies = [CaseFile(organisation=organisation, year=to_year, index=case.index, title=case.title,
                           unit_id=case.unit_id, retention=case.retention,
                           retention_article=case.retention_article, volumes=1, note=case.note)
                  for case in source if case.index not in existing]
        CaseFile.objects.bulk_create(copies)
        audit_log(actor=actor, action="nomenclature.copy", obj=organisation, params={
            "from_year": from_year, "to_year": to_year, "copied": len(copies),
            "skipped": len(existing & set(source.values_list("index", flat=True))),
            "indexes": [c.index for c in copies]})
    return len(copies)
