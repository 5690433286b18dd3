import pytest

from ratusha.core.errors import ApplicationError
from ratusha.core.models import AuditEvent
from ratusha.orgs import services
from ratusha.orgs.importing import decode, parse_staff_csv
from ratusha.orgs.models import Employee, Position, User
from tests.factories import EmployeeFactory, PositionFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = "прізвище;ім'я;по батькові;логін;e-mail;телефон;підрозділ;посада;ролі\n"


def csv_bytes(*rows, header=HEADER, encoding="utf-8"):
    return (header + "".join(r + "\n" for r in rows)).encode(encoding)


@pytest.fixture
def units(org):
    return UnitFactory(organisation=org, code="02", name="Фінансовий відділ")


def errors_of(report):
    return [(e.line, str(e.column), e.message) for e in report.errors]


def test_clean_file_plans_creates(org, units):
    content = csv_bytes(
        "Коваленко;Олена;Іванівна;o.kovalenko;o.k@example.org;+380 44 123-45-67;02;Головний спеціаліст;виконавець, контролер",
        "Шевчук;Петро;;p.shevchuk;;;;;registrar",
    )
    report = parse_staff_csv(organisation=org, content=content)
    assert report.errors == []
    assert report.ok and report.encoding == "utf-8" and report.delimiter == ";"
    assert [(r.line, r.username, r.action) for r in report.rows] == [(2, "o.kovalenko", "create"),
                                                                     (3, "p.shevchuk", "create")]
    assert report.rows[0].data["roles"] == ["executor", "controller"]
    assert report.rows[0].data["unit"] == units and report.rows[0].new_position
    assert User.objects.filter(username="o.kovalenko").count() == 0  # a dry run writes nothing


@pytest.mark.parametrize(("row", "column", "needle"), [
    (";Олена;;o.k;;;;;executor", "прізвище", "Не вказано прізвище"),
    ("Коваленко;;;o.k;;;;;executor", "ім'я", "Не вказано ім'я"),
    ("Коваленко;Олена;;;;;;;executor", "логін", "Не вказано логін"),
    ("Коваленко;Олена;;о.к;;;;;executor", "логін", "латинські"),
    ("Коваленко;Олена;;o.k;olena@;;;;executor", "e-mail", "Некоректна адреса e-mail"),
    ("Коваленко;Олена;;o.k;;дзвоніть;;;executor", "телефон", "Некоректний номер телефону"),
    ("Коваленко;Олена;;o.k;;;99;;executor", "підрозділ", "Невідомий код підрозділу «99»"),
    ("Коваленко;Олена;;o.k;;;;;космонавт", "ролі", "Невідома роль «космонавт»"),
    ("Коваленко;Олена;;o.k;;;;;", "ролі", "Не вказано жодної ролі"),
    ("Коваленко;Олена;;o.k;;;;;executor;зайве", "", "більше значень"),
])
def test_each_error_kind_is_reported_with_line_and_column(org, units, row, column, needle):
    report = parse_staff_csv(organisation=org, content=csv_bytes("Шевчук;Петро;;p.s;;;;;registrar", row))
    assert not report.ok
    assert len(report.errors) == 1, errors_of(report)
    error = report.errors[0]
    assert (error.line, str(error.column)) == (3, column)
    assert needle in error.message
    assert [r.line for r in report.rows] == [2]  # the good line is still shown


def test_duplicate_login_in_file(org):
    report = parse_staff_csv(organisation=org, content=csv_bytes(
        "Шевчук;Петро;;p.s;;;;;registrar", "Мельник;Ірина;;x.y;;;;;executor", "Шевчук;Павло;;P.S;;;;;executor"))
    assert errors_of(report) == [(4, "логін", "Логін «p.s» повторюється: він уже є в рядку 2.")]


def test_login_taken_in_other_organisation(org, outsider):
    report = parse_staff_csv(organisation=org, content=csv_bytes(
        f"Шевчук;Петро;;{outsider.username};;;;;registrar"))
    assert errors_of(report) == [(2, "логін", f"Логін «{outsider.username}» уже зайнятий працівником "
                                              "іншої організації.")]


def test_login_of_user_without_appointment_is_taken(org, user):
    report = parse_staff_csv(organisation=org, content=csv_bytes(f"Шевчук;Петро;;{user.username};;;;;head"))
    assert "уже зайнятий іншим обліковим записом" in report.errors[0].message


def test_existing_employee_is_updated_empty_cells_keep_values(org, units, executor):
    employee = Employee.objects.get(user=executor)
    content = csv_bytes(f"{executor.last_name};{executor.first_name};;{executor.username};;;02;;виконавець, діловод")
    report = parse_staff_csv(organisation=org, content=content)
    assert report.ok, errors_of(report)
    row = report.rows[0]
    assert row.action == "update" and row.employee == employee
    assert any("підрозділ" in c for c in row.changes) and any("ролі" in c for c in row.changes)
    services.staff_import(actor=None, organisation=org, content=content)
    employee.refresh_from_db()
    assert employee.unit == units and employee.roles == ["registrar", "executor"]
    assert employee.user.email == executor.email  # empty cell: unchanged
    again = parse_staff_csv(organisation=org, content=content)
    assert again.rows[0].action == "unchanged"


def test_missing_required_header_column(org):
    report = parse_staff_csv(organisation=org, content="прізвище;ім'я;ролі\nШевчук;Петро;head\n".encode())
    assert [(e.line, str(e.column)) for e in report.errors] == [(1, "логін")]
    assert not report.rows


def test_new_employee_needs_roles_column(org):
    report = parse_staff_csv(organisation=org, content=b"surname,first name,login\nShevchuk,Petro,p.s\n")
    assert errors_of(report) == [(2, "ролі", "Для нового працівника вкажіть хоча б одну роль.")]


def test_english_header_comma_delimiter_quoted_roles(org, units):
    content = (b'last_name,first_name,middle_name,login,email,phone,unit,position,roles\n'
               b'Shevchuk,Petro,,p.s,p@example.org,,02,Chief,"registrar, head"\n')
    report = parse_staff_csv(organisation=org, content=content)
    assert report.ok, errors_of(report)
    assert report.delimiter == "," and report.rows[0].data["roles"] == ["registrar", "head"]


@pytest.mark.parametrize(("encoding", "prefix", "expected"), [
    ("cp1251", b"", "cp1251"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-8", b"", "utf-8"),
    ("utf-16", b"", "utf-16"),  # Python writes the BOM
])
def test_encodings(org, units, encoding, prefix, expected):
    content = prefix + csv_bytes("Мельник;Ірина;Олегівна;i.melnyk;;;02;Начальник відділу;Керівник",
                                 encoding=encoding)
    report = parse_staff_csv(organisation=org, content=content)
    assert report.encoding == expected
    assert report.ok, errors_of(report)
    assert report.rows[0].data["last_name"] == "Мельник"
    assert report.rows[0].data["roles"] == ["head"]


@pytest.mark.parametrize("content", [
    b"",
    b"   \n  ",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    bytes(range(256)) * 10,
    b"PK\x03\x04" + b"\x00" * 100,
    "просто текст без колонок".encode(),
    b'"unterminated;quote\n' + b"x" * 10,
    b"\xff\xfe\x00",
])
def test_garbage_never_raises(org, content):
    report = parse_staff_csv(organisation=org, content=content)
    assert not report.ok
    assert report.errors and all(e.message for e in report.errors)


def test_decode_rejects_nul_bytes():
    with pytest.raises(ApplicationError):
        decode(b"a;b\x00;c")


def test_apply_is_all_or_nothing(org, units, monkeypatch):
    content = csv_bytes("Шевчук;Петро;;p.s;;;02;Спеціаліст;registrar", "Мельник;Ірина;;i.m;;;;;executor")
    real_hire = services.employee_hire

    def failing_hire(**kwargs):
        if kwargs.get("username") == "i.m":
            raise services.ApplicationError("Збій на другому рядку")
        return real_hire(**kwargs)

    monkeypatch.setattr(services, "employee_hire", failing_hire)
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as err:
        services.staff_import(actor=None, organisation=org, content=content)
    assert "Рядок 3" in err.value.message
    assert not User.objects.filter(username__in=["p.s", "i.m"]).exists()
    assert not Position.objects.filter(title="Спеціаліст").exists()
    assert AuditEvent.objects.count() == events


def test_apply_refuses_file_with_errors(org):
    with pytest.raises(ApplicationError) as err:
        services.staff_import(actor=None, organisation=org,
                              content=csv_bytes("Шевчук;Петро;;p.s;;;;;registrar", ";;;x;;;;;head"))
    assert err.value.code == "import_invalid"
    assert err.value.extra["report"].errors
    assert not User.objects.filter(username="p.s").exists()


def test_apply_creates_positions_once_and_audits(org, units, org_admin):
    position = PositionFactory(organisation=org, unit=units, title="Головний спеціаліст")
    content = csv_bytes("Шевчук;Петро;;p.s;;;02;головний спеціаліст;registrar",
                        "Мельник;Ірина;;i.m;;;02;Начальник відділу;head",
                        "Бондар;Олег;;o.b;;;02;Начальник відділу;head")
    report = services.staff_import(actor=org_admin, organisation=org, content=content, filename="staff.csv")
    assert report.summary["create"] == 3
    assert Employee.objects.get(user__username="p.s").position == position  # matched case-insensitively
    assert Position.objects.filter(organisation=org, title="Начальник відділу").count() == 1
    event = AuditEvent.objects.filter(action="staff.import").get()
    assert event.params["create"] == 3 and event.params["positions_created"] == 1
    assert event.actor_id == org_admin.pk
    assert AuditEvent.objects.filter(action="employee.hire").count() == 3


def test_rehire_dismissed(org, org_admin):
    employee = EmployeeFactory(organisation=org, roles=["executor"])
    services.employee_dismiss(actor=org_admin, employee=employee)
    u = employee.user
    content = csv_bytes(f"{u.last_name};{u.first_name};;{u.username};;;;;")
    report = parse_staff_csv(organisation=org, content=content)
    assert "ролі" in {str(e.column) for e in report.errors}  # an empty roles cell is an error
    content = f"прізвище;ім'я;логін\n{u.last_name};{u.first_name};{u.username}\n".encode()
    report = services.staff_import(actor=org_admin, organisation=org, content=content)
    assert report.rows[0].action == "rehire"
    employee.refresh_from_db()
    assert employee.is_active and employee.roles == ["executor"]
