"""Classifier 858 subject/issue codes from CSV: the dry-run report line by line, encodings and delimiters,
versions (old topics kept for old appeals), rights, the management command."""

import pytest
from django.core.management import CommandError, call_command

from ratusha.appeals import services as svc
from ratusha.appeals.models import ClassifierTopic, ClassifierVersion
from ratusha.appeals.selectors import active_topics
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from tests.appeals.office_helpers import SAMPLE_CSV, register_written

pytest_plugins = ["tests.appeals.office"]

GOOD = "code;title;parent_code\n001;Аграрна політика і земельні відносини;\n001.001;Оренда землі;001\n"


def test_the_sample_is_a_clean_two_level_file(db):
    report = svc.classifier_check(SAMPLE_CSV.read_bytes())
    assert report.ok and report.file_errors == [] and report.error_lines == []
    assert 40 <= report.count <= 60
    sections = [line for line in report.lines if not line.parent_code]
    assert {line.title for line in sections} >= {"Аграрна політика і земельні відносини", "Житлова політика",
                                                  "Комунальне господарство"}
    assert {line.level for line in report.lines} == {1, 2}
    assert report.encoding == "UTF-8" and report.delimiter == ";"


def test_load_creates_an_active_version_and_audits_it(db, sample_classifier):
    version = sample_classifier
    assert version.number == 1 and version.is_active and version.source_name == "classifier_sample.csv"
    assert version.topics.filter(code="009", level=1, parent_code="").exists()
    assert version.topics.get(code="009.001").parent_code == "009"
    event = AuditEvent.objects.get(action="appeal.classifier_load", object_id=str(version.pk))
    assert event.params["topics"] == version.topics.count() and event.actor is None
    assert list(active_topics()) == list(version.topics.order_by("code"))


@pytest.mark.parametrize(("data", "encoding", "delimiter"), [
    (GOOD.encode("utf-8-sig"), "UTF-8 (BOM)", ";"),
    (GOOD.encode("cp1251"), "Windows-1251", ";"),
    (GOOD.replace(";", ",").encode("cp1251"), "Windows-1251", ","),
    ('001,"Транспорт, зв\'язок і дороги",\r\n001.1,"Маршрути, розклад",001\r\n'.encode(), "UTF-8", ","),
])
def test_encodings_and_delimiters(db, data, encoding, delimiter):
    report = svc.classifier_check(data)
    assert report.ok, [line.errors for line in report.lines]
    assert (report.encoding, report.delimiter, report.count) == (encoding, delimiter, 2)
    assert report.lines[0].title in {"Аграрна політика і земельні відносини", "Транспорт, зв'язок і дороги"}
    assert report.lines[1].level == 2


def test_bad_lines_are_reported_one_by_one_and_nothing_is_loaded(db):
    data = "\n".join([
        "code;title;parent_code",
        "001;Розділ;",            # 2 ok
        "001;Повтор коду;",       # 3 duplicate
        "002;;",                  # 4 no title
        ";Без коду;",             # 5 no code
        "003;Назва;999",          # 6 unknown parent
        "00 4;Пробіл у коді;",    # 7 bad code
        "005;Сам собі розділ;005",  # 8 self parent
        "006;Забагато;001;зайве",   # 9 too many columns
        "007",                    # 10 one column
        "008;Цикл А;009",         # 11 cycle
        "009;Цикл Б;008",         # 12 cycle
    ]).encode()
    report = svc.classifier_check(data)
    assert not report.ok
    errors = {line.number: " ".join(line.errors) for line in report.error_lines}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "повторюється" in errors[3] and "рядку 2" in errors[3]
    assert "назву" in errors[4] and "код" in errors[5]
    assert "«999»" in errors[6] and "до 20 символів" in errors[7]
    assert "сам для себе" in errors[8] and "Забагато колонок" in errors[9] and "дві колонки" in errors[10]
    assert "коло" in errors[11] and "коло" in errors[12]
    with pytest.raises(ApplicationError) as exc:
        svc.classifier_load(actor=None, data=data)
    assert exc.value.code == "invalid_csv" and "рядок 3" in exc.value.message
    assert not ClassifierVersion.objects.exists()


@pytest.mark.parametrize(("data", "needle"), [
    (b"", "порожній"),
    (b"\x00\x01\x02PK binary", "не текстовий"),
    (b"code;title;parent_code\n", "жодного коду"),
])
def test_bad_files(db, data, needle):
    report = svc.classifier_check(data)
    assert not report.ok and needle in " ".join(report.file_errors)


def test_a_new_version_keeps_the_old_topics_for_old_appeals(appeals_world, sample_classifier):
    w = appeals_world
    old_topic = sample_classifier.topics.get(code="008.002")
    appeal = register_written(w, topic=old_topic)
    data = GOOD + "008;Комунальне господарство;\n008.002;Водопостачання і водовідведення;008\n"
    report = svc.classifier_check(data.encode())
    assert report.added == [] and "008.002" in report.retitled and "009" in report.removed
    v2 = svc.classifier_load(actor=w.admin, data=data.encode(), source_name="858-2024.csv", note="КМУ № 526")
    sample_classifier.refresh_from_db()
    assert v2.number == 2 and v2.is_active and not sample_classifier.is_active
    assert v2.loaded_by == w.admin and v2.note == "КМУ № 526"
    assert ClassifierTopic.objects.filter(version=sample_classifier).count() == sample_classifier.topics.count() > 0
    appeal.refresh_from_db()
    assert appeal.topic == old_topic  # an old appeal keeps its code
    svc.appeal_code(actor=w.officer, appeal=appeal, topic=old_topic, appeal_type="complaint")  # stays allowed
    with pytest.raises(ApplicationError) as exc:
        register_written(w, topic=old_topic)  # a new appeal is coded by the active version only
    assert exc.value.field == "topic"
    new_topic = v2.topics.get(code="008.002")
    assert register_written(w, topic=new_topic).topic == new_topic
    assert list(active_topics().values_list("code", flat=True)) == ["001", "001.001", "008", "008.002"]


@pytest.mark.parametrize("who", ["officer", "registrar", "head", "controller", "executor"])
def test_only_administrators_load(appeals_world, who):
    with pytest.raises(PermissionDeniedError):
        svc.classifier_load(actor=getattr(appeals_world, who), data=GOOD.encode())
    assert not ClassifierVersion.objects.exists()


def test_superuser_loads(db):
    from tests.factories import UserFactory

    root = UserFactory(is_superuser=True, is_staff=True)
    assert svc.classifier_load(actor=root, data=GOOD.encode()).loaded_by == root


def test_management_command(db, tmp_path, capsys):
    call_command("appeals_classifier_load", "--sample", "--dry-run")
    assert not ClassifierVersion.objects.exists()
    call_command("appeals_classifier_load", "--sample", "--note", "зразок")
    version = ClassifierVersion.objects.get()
    assert version.note == "зразок" and version.source_name == "classifier_sample.csv"
    bad = tmp_path / "bad.csv"
    bad.write_text("001;;\n", encoding="cp1251")
    with pytest.raises(CommandError):
        call_command("appeals_classifier_load", str(bad))
    assert "bad.csv:1:" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("appeals_classifier_load", str(tmp_path / "missing.csv"))
    assert ClassifierVersion.objects.count() == 1
