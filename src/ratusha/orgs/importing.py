"""Staff import from CSV: decoding, parsing and the dry-run report (no writes here).

``parse_staff_csv`` reads the bytes of a file and returns an ``ImportReport``: per line, what would
be created or updated, and every error with its line number, column and a Ukrainian message.
``ratusha.orgs.services.staff_import`` applies a clean report in one transaction.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM, Windows-1251; ``;``, ``,`` or tab as the
delimiter; column names in Ukrainian or English. A login that already exists in this
organisation updates that employee (an empty cell keeps the current value); a login used by anyone
else is refused.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusha.core.errors import ApplicationError
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee, Organisation, Position, Unit, User
from ratusha.orgs.services import check_email, check_phone, normalize_username

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# field -> (label shown in the report, accepted header names after ``_norm``)
COLUMNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "last_name": (gettext_lazy("прізвище"), ("прізвище", "lastname", "surname", "familyname")),
    "first_name": (gettext_lazy("ім'я"), ("ім'я", "імя", "firstname", "name", "givenname")),
    "middle_name": (gettext_lazy("по батькові"), ("побатькові", "middlename", "patronymic")),
    "username": (gettext_lazy("логін"), ("логін", "login", "username", "user")),
    "email": (gettext_lazy("e-mail"), ("email", "e-mail", "електроннапошта", "ел.пошта", "пошта", "mail")),
    "phone": (gettext_lazy("телефон"), ("телефон", "тел.", "тел", "phone", "telephone")),
    "unit": (gettext_lazy("підрозділ"), ("підрозділ", "кодпідрозділу", "індекспідрозділу", "unit",
                                         "unitcode", "department")),
    "position": (gettext_lazy("посада"), ("посада", "position", "title", "jobtitle")),
    "roles": (gettext_lazy("ролі"), ("ролі", "роль", "roles", "role")),
}
REQUIRED_COLUMNS = ("last_name", "first_name", "username")

ROLE_ALIASES = {
    "діловод": Role.REGISTRAR, "реєстратор": Role.REGISTRAR, "registrar": Role.REGISTRAR,
    "керівник": Role.HEAD, "head": Role.HEAD,
    "виконавець": Role.EXECUTOR, "executor": Role.EXECUTOR,
    "контролер": Role.CONTROLLER, "controller": Role.CONTROLLER,
    "приймальня": Role.RECEPTION, "працівник приймальні": Role.RECEPTION, "звернення": Role.RECEPTION,
    "reception": Role.RECEPTION, "reception officer": Role.RECEPTION,
    "редактор": Role.WEB_EDITOR, "редактор вебсайту": Role.WEB_EDITOR, "редактор сайту": Role.WEB_EDITOR,
    "web_editor": Role.WEB_EDITOR, "website editor": Role.WEB_EDITOR, "web editor": Role.WEB_EDITOR,
    "адміністратор": Role.ADMIN, "адмін": Role.ADMIN, "admin": Role.ADMIN, "administrator": Role.ADMIN,
}
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'", "´": "'"})


def _norm(header: str) -> str:
    value = header.translate(APOSTROPHES).strip().strip('"').lower()
    return re.sub(r"[\s_\-]+", "", value) if value not in {"e-mail"} else value


_HEADER_INDEX = {_norm(alias): name for name, (_label, aliases) in COLUMNS.items() for alias in aliases}


def _role_lookup() -> dict[str, str]:
    table = {code: code for code in Role.values}
    with translation.override("uk"):
        table.update({str(label).casefold(): code for code, label in Role.choices})
    table.update({k.casefold(): str(v) for k, v in ROLE_ALIASES.items()})
    return table


@dataclass
class Issue:
    line: int
    column: str
    message: str


@dataclass
class RowPlan:
    line: int
    username: str
    data: dict[str, Any]
    action: str = "create"  # create | update | rehire | unchanged
    changes: list[str] = field(default_factory=list)
    employee: Employee | None = None
    new_position: bool = False
    invalid: bool = False

    @property
    def full_name(self) -> str:
        parts = (self.data.get("last_name"), self.data.get("first_name"), self.data.get("middle_name"))
        return " ".join(p for p in parts if p)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.data.get("roles", [])]

    @property
    def action_label(self) -> str:
        return {"create": _("Новий працівник"), "update": _("Оновлення"),
                "rehire": _("Повторне прийняття"), "unchanged": _("Без змін")}[self.action]


@dataclass
class ImportReport:
    encoding: str = ""
    delimiter: str = ""
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(Issue(line, str(column), message))

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def summary(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("create", "update", "rehire", "unchanged")}


def decode(content: bytes) -> tuple[str, str]:
    """Text and the encoding name; ApplicationError for anything that is not a text file."""
    if not content or not content.strip():
        raise ApplicationError(_("Файл порожній."), code="empty_file", field="file")
    if len(content) > MAX_BYTES:
        raise ApplicationError(_("Файл завеликий: не більше %(mb)s МБ.") % {"mb": MAX_BYTES // (1024 * 1024)},
                               code="file_too_large", field="file")
    if content.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif b"\x00" in content:
        candidates = []
    else:
        candidates = ["utf-8", "cp1251"]
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
        if controls == 0 and "\x00" not in text:
            return text, encoding
    raise ApplicationError(
        _("Файл не схожий на текстовий CSV. Збережіть таблицю як «CSV (розділювачі — крапка з комою)» "
          "у кодуванні UTF-8 або Windows-1251."), code="not_csv", field="file")


def sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _split_roles(value: str) -> list[str]:
    return [t.strip() for t in re.split(r"[,;/|]", value) if t.strip()]


def parse_staff_csv(*, organisation: Organisation, content: bytes) -> ImportReport:
    """The dry run: a full report, never an exception for a bad file (file errors are line 0/1)."""
    report = ImportReport()
    try:
        text, report.encoding = decode(content)
    except ApplicationError as exc:
        report.error(0, "", exc.message)
        return report
    report.delimiter = sniff_delimiter(text)
    try:
        records = list(_records(text, report.delimiter))
    except csv.Error as exc:
        report.error(0, "", _("Не вдалося прочитати CSV: %(err)s.") % {"err": exc})
        return report
    if not records:
        report.error(1, "", _("У файлі немає рядка заголовків."))
        return report
    header_line, header = records[0]
    columns = _map_header(header, header_line, report)
    if report.errors:
        return report
    data_rows = [(line, cells) for line, cells in records[1:] if any(c.strip() for c in cells)]
    if not data_rows:
        report.error(header_line, "", _("У файлі немає жодного рядка з працівниками."))
        return report
    if len(data_rows) > MAX_ROWS:
        report.error(0, "", _("Забагато рядків: не більше %(n)s за один раз.") % {"n": MAX_ROWS})
        return report
    units = {u.code.strip().casefold(): u for u in Unit.objects.filter(organisation=organisation)}
    roles_table = _role_lookup()
    seen: dict[str, int] = {}
    for line, cells in data_rows:
        plan = _parse_row(line, cells, columns, len(header), units, roles_table, report)
        if plan.username:
            first = seen.get(plan.username)
            if first is not None:
                report.error(line, COLUMNS["username"][0],
                             _("Логін «%(login)s» повторюється: він уже є в рядку %(first)s.")
                             % {"login": plan.username, "first": first})
                continue
            seen[plan.username] = line
            report.rows.append(plan)
    _resolve_existing(organisation, report)
    report.rows = [row for row in report.rows if not row.invalid]
    report.errors.sort(key=lambda issue: issue.line)
    return report


def _records(text: str, delimiter: str):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for cells in reader:
        yield reader.line_num, cells


def _map_header(header: list[str], line: int, report: ImportReport) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        if not cell.strip():
            continue
        name = _HEADER_INDEX.get(_norm(cell))
        if name is None:
            report.warnings.append(Issue(line, cell.strip(), _("Невідома колонка — її пропущено.")))
        elif name in columns:
            report.error(line, cell.strip(), _("Колонка повторюється."))
        else:
            columns[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            report.error(line, COLUMNS[name][0],
                         _("У заголовку немає обов'язкової колонки «%(col)s». Очікувані колонки: %(all)s.")
                         % {"col": COLUMNS[name][0], "all": ", ".join(str(c[0]) for c in COLUMNS.values())})
    return columns


def _parse_row(line: int, cells: list[str], columns: dict[str, int], header_width: int,
               units: dict[str, Unit], roles_table: dict[str, str], report: ImportReport) -> RowPlan:
    errors_before = len(report.errors)

    def cell(name: str) -> str | None:
        index = columns.get(name)
        if index is None:
            return None
        return cells[index].strip() if index < len(cells) else ""

    def err(name: str, message: str) -> None:
        report.error(line, COLUMNS[name][0] if name else "", message)

    if any(c.strip() for c in cells[header_width:]):
        report.error(line, "", _("У рядку більше значень, ніж колонок у заголовку "
                                 "(перевірте роздільник і лапки)."))
    data: dict[str, Any] = {}
    for name in ("last_name", "first_name", "middle_name"):
        value = cell(name)
        if value is not None:
            if len(value) > 150:
                err(name, _("Занадто довге значення (понад 150 символів)."))
            data[name] = value
    if not data.get("last_name"):
        err("last_name", _("Не вказано прізвище."))
    if not data.get("first_name"):
        err("first_name", _("Не вказано ім'я."))
    username = ""
    raw_login = cell("username") or ""
    if not raw_login:
        err("username", _("Не вказано логін."))
    else:
        try:
            username = normalize_username(raw_login)
        except ApplicationError as exc:
            err("username", exc.message)
    for name, check in (("email", check_email), ("phone", check_phone)):
        value = cell(name)
        if value:
            try:
                data[name] = check(value)
            except ApplicationError as exc:
                err(name, exc.message)
    unit_code = cell("unit")
    if unit_code:
        unit = units.get(unit_code.casefold())
        if unit is None:
            err("unit", _("Невідомий код підрозділу «%(code)s».") % {"code": unit_code})
        elif not unit.is_active:
            err("unit", _("Підрозділ «%(code)s» ліквідовано.") % {"code": unit_code})
        else:
            data["unit"] = unit
    position = cell("position")
    if position:
        if len(position) > 200:
            err("position", _("Занадто довга назва посади (понад 200 символів)."))
        data["position_title"] = position
    raw_roles = cell("roles")
    if raw_roles is not None:
        codes: list[str] = []
        for token in _split_roles(raw_roles):
            code = roles_table.get(token.casefold().translate(APOSTROPHES))
            if code is None:
                err("roles", _("Невідома роль «%(role)s». Допустимі: %(codes)s.")
                    % {"role": token, "codes": ", ".join(Role.values)})
            elif code not in codes:
                codes.append(code)
        if not _split_roles(raw_roles):
            err("roles", _("Не вказано жодної ролі."))
        data["roles"] = [r for r in Role.values if r in codes]
    return RowPlan(line=line, username=username, data=data, invalid=len(report.errors) > errors_before)


def _resolve_existing(organisation: Organisation, report: ImportReport) -> None:
    """Decide create / update / rehire per row; refuse logins of people outside the organisation."""
    usernames = [row.username for row in report.rows]
    users = {u.login: u for u in User.objects.annotate(login=Lower("username")).filter(login__in=usernames)}
    employments: dict[Any, list[Employee]] = {}
    for emp in Employee.objects.filter(user__in=list(users.values())).select_related("unit", "position"):
        employments.setdefault(emp.user_id, []).append(emp)
    positions = list(Position.objects.filter(organisation=organisation))
    for row in report.rows:
        user = users.get(row.username)
        if user is not None:
            own = next((e for e in employments.get(user.pk, []) if e.organisation_id == organisation.pk), None)
            if own is None:
                message = (_("Логін «%(login)s» уже зайнятий працівником іншої організації.")
                           if employments.get(user.pk) else
                           _("Логін «%(login)s» уже зайнятий іншим обліковим записом."))
                report.error(row.line, COLUMNS["username"][0], message % {"login": row.username})
                row.invalid = True
                continue
            row.employee = own
            row.action = "update" if own.is_active else "rehire"
        elif "roles" not in row.data:
            report.error(row.line, COLUMNS["roles"][0], _("Для нового працівника вкажіть хоча б одну роль."))
            row.invalid = True
        if row.invalid:
            continue
        _plan_position(row, positions)
        if row.employee is not None:
            _describe_changes(row, user)


def _plan_position(row: RowPlan, positions: list[Position]) -> None:
    title = row.data.get("position_title")
    if not title:
        return
    unit = row.data.get("unit") or (row.employee.unit if row.employee else None)
    same_title = [p for p in positions if p.title.casefold() == title.casefold()]
    match = next((p for p in same_title if p.unit_id == (unit.pk if unit else None)), None)
    match = match or next((p for p in same_title if p.unit_id is None), None)
    if match is not None:
        row.data["position"] = match
    else:
        row.new_position = True


def _describe_changes(row: RowPlan, user: User) -> None:
    employee = row.employee
    assert employee is not None
    changes = []
    labels = {name: str(label) for name, (label, _aliases) in COLUMNS.items()}
    for name in ("last_name", "first_name", "middle_name", "email", "phone"):
        value = row.data.get(name)
        if value and value != getattr(user, name):
            changes.append(f"{labels[name]}: «{getattr(user, name)}» → «{value}»")
    unit = row.data.get("unit")
    if unit is not None and unit.pk != employee.unit_id:
        changes.append(f"{labels['unit']}: «{employee.unit or '—'}» → «{unit}»")
    if row.new_position or ("position" in row.data and row.data["position"].pk != employee.position_id):
        changes.append(f"{labels['position']}: «{employee.position or '—'}» → «{row.data['position_title']}»")
    if "roles" in row.data and row.data["roles"] != [r for r in Role.values if r in employee.roles]:
        def names(codes: list[str]) -> str:
            return ", ".join(str(Role(c).label) for c in codes if c in Role.values) or "—"

        changes.append(f"{labels['roles']}: {names(employee.roles)} → {names(row.data['roles'])}")
    row.changes = changes
    if row.action == "update" and not changes:
        row.action = "unchanged"
