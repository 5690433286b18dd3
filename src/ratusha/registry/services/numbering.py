"""Registration numbers: gapless and unique per journal + calendar year (docs/legal.md §6).

``next_number`` must run inside the registering transaction: it locks the journal's counter row for
the year, so the increment and the insert of the card commit (or roll back) together — a failed
registration leaves no gap. On SQLite the settings open transactions with BEGIN IMMEDIATE, so the
whole registration is serialized by the database write lock.
"""

from __future__ import annotations

import string

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from ratusha.core.errors import ApplicationError
from ratusha.registry.constants import INDEX_PLACEHOLDERS
from ratusha.registry.models import Journal, JournalCounter

REG_INDEX_MAX = 80
_SEPARATORS = "/-. _"


def validate_index_template(template: str) -> str:
    """Return the template, or raise ApplicationError (field ``index_template``)."""
    template = (template or "").strip()
    error = None
    try:
        fields = [f for _lit, f, _spec, _conv in string.Formatter().parse(template) if f is not None]
    except ValueError:
        fields, error = [], _("Шаблон індексу містить незакриту фігурну дужку.")
    unknown = sorted({f for f in fields if f not in INDEX_PLACEHOLDERS})
    if error is None and unknown:
        error = _("Невідомі поля в шаблоні індексу: %(fields)s. Дозволено: %(allowed)s.") % {
            "fields": ", ".join("{" + f + "}" for f in unknown),
            "allowed": ", ".join("{" + f + "}" for f in INDEX_PLACEHOLDERS)}
    if error is None and "seq" not in fields:
        error = _("Шаблон індексу має містити порядковий номер {seq}.")
    if error is None:
        try:
            sample = render_index(template, seq=99999, case="01-01", unit="01", year=2026, prefix="x")
        except (ValueError, TypeError, IndexError, KeyError):
            error = _("Шаблон індексу записано неправильно.")
        else:
            if len(sample) > REG_INDEX_MAX - 20:
                error = _("Шаблон індексу задовгий.")
    if error is not None:
        raise ApplicationError(error, code="index_template", field="index_template")
    return template


def render_index(template: str, *, seq: int, case: str = "", unit: str = "", year: int, prefix: str = "") -> str:
    """Fill the template. Separators left dangling by an empty part (``12/`` with no case) are trimmed."""
    text = template.format_map({"seq": seq, "case": case or "", "unit": unit or "", "year": year,
                                "yy": f"{year % 100:02d}", "prefix": prefix or ""})
    return text.strip(_SEPARATORS)[:REG_INDEX_MAX]


def document_reg_index(*, journal: Journal, seq: int, year: int, case_file=None, unit=None) -> str:
    case = case_file.index if case_file is not None else journal.default_case_index
    return render_index(journal.index_template, seq=seq, case=case, unit=unit.code if unit is not None else "",
                        year=year, prefix=journal.prefix)


def _increment(*, journal: Journal, year: int) -> int | None:
    """One round trip: bump the counter row (taking its lock) and read the new value; None if absent.

    ``UPDATE … RETURNING`` works on PostgreSQL and SQLite ≥ 3.35. It replaced a savepoint +
    SELECT FOR UPDATE + RELEASE + UPDATE sequence inside the serialized section: +20 % registrations/s
    into one journal (docs/benchmarks.md §1, the what-if run).
    """
    table = connection.ops.quote_name(JournalCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last_number = last_number + 1 "  # noqa: S608 - fixed names
                       "WHERE journal_id = %s AND year = %s RETURNING last_number",
                       [Journal._meta.pk.get_db_prep_value(journal.pk, connection), year])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_number(*, journal: Journal, year: int, attempts: int = 5) -> int:
    """Take the next number of ``journal`` in ``year``. Call inside ``transaction.atomic()``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the registering transaction")
    number = _increment(journal=journal, year=year)
    if number is not None:
        return number
    # The first number of the year: create the counter row; a lost race is retried.
    for attempt in range(attempts):
        try:
            # The savepoint lets a lost race on the first counter of a year be retried.
            with transaction.atomic():
                counter, _created = JournalCounter.objects.select_for_update().get_or_create(
                    journal=journal, year=year)
            break
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
