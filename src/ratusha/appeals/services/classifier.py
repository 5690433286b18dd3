"""The subject/issue codes of Classifier 858 (CMU No. 858 of 24.09.2008 as amended to No. 526/2024).

Administrators load the official table as CSV: ``code;title;parent_code`` (a header line is optional),
UTF-8 with or without BOM or Windows-1251, ``;`` or ``,`` between the columns, quotes as in any CSV.
``classifier_check`` is the dry run: a report line by line; ``classifier_load`` applies a clean file as a
new ``ClassifierVersion`` — earlier versions and their topics stay (old appeals keep their codes), only
the newest active one is offered for coding. The sample shipped in ``appeals/data/classifier_sample.csv``
shows the structure; it is not the official table.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ratusha.appeals import permissions as perms
from ratusha.appeals.models import ClassifierTopic, ClassifierVersion
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20000
MAX_DEPTH = 6
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-/]{0,19}$")
HEADER_WORDS = {"code", "код"}


@dataclass
class CsvLine:
    number: int
    code: str = ""
    title: str = ""
    parent_code: str = ""
    level: int = 1
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ClassifierReport:
    """The dry run: every data line with its problems, and what changes against the active version."""

    encoding: str = ""
    delimiter: str = ""
    lines: list[CsvLine] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    retitled: list[str] = field(default_factory=list)
    sha256: str = ""

    @property
    def error_lines(self) -> list[CsvLine]:
        return [line for line in self.lines if line.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_lines and bool(self.lines)

    @property
    def count(self) -> int:
        return len(self.lines)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace"), "Windows-1251"


def _delimiter(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return ";" if line.count(";") >= line.count(",") and ";" in line else ","
    return ";"


def active_version() -> ClassifierVersion | None:
    return ClassifierVersion.objects.filter(is_active=True).order_by("-number").first()


def classifier_check(data: bytes) -> ClassifierReport:
    """Parse and check a CSV (no writes)."""
    report = ClassifierReport(sha256=hashlib.sha256(data or b"").hexdigest())
    if not data:
        report.file_errors.append(_("Файл порожній."))
        return report
    if len(data) > MAX_BYTES:
        report.file_errors.append(_("Файл завеликий: до %(mb)d МБ.") % {"mb": MAX_BYTES // (1024 * 1024)})
        return report
    if b"\x00" in data[:4096]:
        report.file_errors.append(_("Це не текстовий файл CSV. Збережіть таблицю як «CSV (розділювач — крапка "
                                    "з комою)»."))
        return report
    text, report.encoding = _decode(data)
    report.delimiter = _delimiter(text)
    rows = csv.reader(io.StringIO(text), delimiter=report.delimiter, quotechar='"')
    seen: dict[str, CsvLine] = {}
    try:
        for number, row in enumerate(rows, start=1):
            cells = [" ".join(c.split()) for c in row]
            if not any(cells):
                continue
            if not report.lines and not seen and cells[0].casefold() in HEADER_WORDS:
                continue  # the header line
            if len(report.lines) >= MAX_ROWS:
                report.file_errors.append(_("Забагато рядків: до %(n)d.") % {"n": MAX_ROWS})
                break
            report.lines.append(_check_row(number, cells, seen))
    except csv.Error as exc:
        report.file_errors.append(_("Файл CSV пошкоджено: %(error)s.") % {"error": exc})
    _check_parents(report.lines, seen)
    if not report.lines and not report.file_errors:
        report.file_errors.append(_("У файлі немає жодного коду."))
    _diff(report)
    return report


def _check_row(number: int, cells: list[str], seen: dict[str, CsvLine]) -> CsvLine:
    line = CsvLine(number=number)
    if len(cells) < 2:
        line.code = cells[0] if cells else ""
        line.errors.append(_("Потрібно щонайменше дві колонки: код і назва."))
        return line
    if len(cells) > 3 and any(cells[3:]):
        line.errors.append(_("Забагато колонок: візьміть назву в лапки, якщо вона містить розділювач."))
    line.code, line.title = cells[0], cells[1]
    line.parent_code = cells[2] if len(cells) > 2 else ""
    if not line.code:
        line.errors.append(_("Не вказано код."))
    elif not CODE_RE.match(line.code):
        line.errors.append(_("Код «%(code)s» має бути до 20 символів: цифри, латинські літери, крапка, дефіс.")
                           % {"code": line.code[:40]})
    elif line.code in seen:
        line.errors.append(_("Код «%(code)s» повторюється (уперше — у рядку %(n)d).")
                           % {"code": line.code, "n": seen[line.code].number})
    else:
        seen[line.code] = line
    if not line.title:
        line.errors.append(_("Не вказано назву."))
    elif len(line.title) > 500:
        line.errors.append(_("Назва задовга: до 500 символів."))
    if line.parent_code and line.parent_code == line.code:
        line.errors.append(_("Код не може бути розділом сам для себе."))
    return line


def _check_parents(lines: list[CsvLine], seen: dict[str, CsvLine]) -> None:
    for line in lines:
        if not line.parent_code or line.parent_code == line.code:
            continue
        if line.parent_code not in seen:
            line.errors.append(_("Розділу з кодом «%(code)s» у файлі немає.") % {"code": line.parent_code[:40]})
            continue
        depth, current, visited = 1, line, {line.code}
        while current.parent_code:
            parent = seen.get(current.parent_code)
            if parent is None:
                break
            if parent.code in visited or depth > MAX_DEPTH:
                line.errors.append(_("Розділи утворюють коло або занадто глибоку ієрархію."))
                break
            visited.add(parent.code)
            depth, current = depth + 1, parent
        line.level = depth


def _diff(report: ClassifierReport) -> None:
    current = active_version()
    old = dict(current.topics.values_list("code", "title")) if current is not None else {}
    new = {line.code: line.title for line in report.lines if line.ok}
    report.added = sorted(set(new) - set(old))
    report.removed = sorted(set(old) - set(new))
    report.retitled = sorted(code for code in set(old) & set(new) if old[code] != new[code])


def classifier_load(*, actor: Any, data: bytes, source_name: str = "", note: str = "") -> ClassifierVersion:
    """Apply a clean CSV as a new active version (``actor=None``: the system — CLI, demo loader)."""
    if actor is not None and not perms.can_load_classifier(actor):
        raise PermissionDeniedError(_("Завантажувати класифікатор звернень може лише його хранитель, призначений адміністратором установки."))
    report = classifier_check(data)
    if not report.ok:
        problems = report.file_errors or [
            _("рядок %(n)d: %(errors)s") % {"n": line.number, "errors": "; ".join(line.errors)}
            for line in report.error_lines[:5]]
        raise ApplicationError(_("Класифікатор не завантажено: %(problems)s") % {"problems": " ".join(problems)},
                               code="invalid_csv", field="file", extra={"errors": len(report.error_lines)})
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _create_version(actor=actor, report=report, source_name=source_name, note=note)
        except IntegrityError:  # two administrators loading at once: take the next number
            continue
    raise ApplicationError(_("Не вдалося зберегти нову версію класифікатора. Спробуйте ще раз."), code="conflict")


def _create_version(*, actor: Any, report: ClassifierReport, source_name: str, note: str) -> ClassifierVersion:
    number = (ClassifierVersion.objects.aggregate(m=Max("number"))["m"] or 0) + 1
    previous = list(ClassifierVersion.objects.select_for_update().filter(is_active=True).values_list("number",
                                                                                                    flat=True))
    ClassifierVersion.objects.filter(is_active=True).update(is_active=False)
    version = ClassifierVersion.objects.create(
        number=number, source_name=(source_name or "")[:255], note=(note or "").strip()[:300],
        loaded_by=actor if getattr(actor, "is_authenticated", False) else None, is_active=True)
    ClassifierTopic.objects.bulk_create([
        ClassifierTopic(version=version, code=line.code, title=line.title, parent_code=line.parent_code,
                        level=line.level) for line in report.lines])
    audit_log(actor=actor, action="appeal.classifier_load", obj=version, params={
        "number": number, "source_name": version.source_name, "sha256": report.sha256, "topics": report.count,
        "encoding": report.encoding, "delimiter": report.delimiter, "deactivated": previous,
        "added": len(report.added), "removed": len(report.removed), "retitled": len(report.retitled)})
    return version
