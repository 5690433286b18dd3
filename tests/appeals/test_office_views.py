"""Office appeals pages: status codes, rights, filters and order, registration forms that keep everything typed
and uploaded on errors, the actions on the appeal page, the classifier upload."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ratusha.appeals import services as svc
from ratusha.appeals.constants import AppealSign, AppealStatus, Outcome, TermKind
from ratusha.appeals.models import Appeal, ClassifierVersion
from ratusha.calendar.selectors import deadline
from tests.appeals.office_helpers import (
    SAMPLE_CSV,
    TEXT,
    answer_document,
    pdf_bytes,
    register_written,
    submitted_appeal,
)
from tests.orgs.conftest import login_verified

pytest_plugins = ["tests.appeals.office"]


@pytest.fixture
def officer_client(client, appeals_world):
    client.force_login(appeals_world.officer)
    return client


def _form(world, **overrides):
    data = {"organisation": str(world.org.pk), "received_date": "", "receipt_form": "post", "medium": "letter", "appeal_type": "application",
            "last_name": "Коваленко", "first_name": "Іван", "middle_name": "Петрович",
            "address": "вул. Шевченка, 12", "settlement": "Зеленодольськ", "email": "ivan@example.org",
            "phone": "0671234567", "sex": "m", "social_status": "pensioner", "text": TEXT, "is_signed": "on",
            "cosigners-TOTAL_FORMS": "2", "cosigners-INITIAL_FORMS": "0", "cosigners-MIN_NUM_FORMS": "0",
            "cosigners-MAX_NUM_FORMS": "500", "cosigners-0-full_name": "", "cosigners-0-address": "",
            "cosigners-1-full_name": "", "cosigners-1-address": ""}
    data.update(overrides)
    return data


def test_list_and_pages_for_the_officer(officer_client, appeals_world):
    w = appeals_world
    appeal = register_written(w)
    for url in ("/office/appeals/", "/office/appeals/submitted/", "/office/appeals/register/written/",
                "/office/appeals/register/oral/", "/office/appeals/register/hotline/", f"/office/appeals/{appeal.pk}/"):
        response = officer_client.get(url)
        assert response.status_code == 200, url
        assert 'href="/office/appeals/"' in response.content.decode()  # the sidenav item
    assert officer_client.get("/office/appeals/register/telepathy/").status_code == 404
    assert officer_client.get("/office/appeals/classifier/").status_code == 403


@pytest.mark.parametrize("who", ["executor", "outsider"])
def test_no_appeals_role_no_pages(client, appeals_world, who):
    client.force_login(getattr(appeals_world, who))
    expected = 403 if who == "executor" else 200  # the outsider reads their own council's (empty) list
    assert client.get("/office/appeals/").status_code == expected
    if who == "executor":
        assert 'href="/office/appeals/"' not in client.get("/office/").content.decode()
    client.force_login(appeals_world.controller)
    assert client.get("/office/appeals/register/written/").status_code == 403


def test_list_orders_priority_first_then_deadline_and_filters(officer_client, appeals_world):
    w = appeals_world
    today = timezone.localdate()
    late = register_written(w, received_date=today - dt.timedelta(days=40), text="Прострочене звернення про ліфт")
    soon = register_written(w, received_date=today - dt.timedelta(days=20), text="Звернення про освітлення двору")
    fresh = register_written(w, text="Свіже звернення про сміття")
    vip = register_written(w, categories=["13"], text="Звернення Героя України про пам'ятник")
    closed = register_written(w, text="Повернуте звернення про паркування")
    svc.appeal_return(actor=w.officer, appeal=closed, explanation="Немає підпису.")
    html = officer_client.get("/office/appeals/").content.decode()
    order = [m for m in re.findall(r'id="ap-sum-([0-9a-f-]+)"', html)]
    assert order == [str(a.pk) for a in (vip, late, soon, fresh, closed)]
    overdue = officer_client.get("/office/appeals/?overdue=on").content.decode()
    assert "про ліфт" in overdue and "про сміття" not in overdue and "прострочено на" in overdue
    text = officer_client.get("/office/appeals/?text=ОСВІТЛЕННЯ").content.decode()
    assert "освітлення двору" in text and "про ліфт" not in text
    by_index = officer_client.get(f"/office/appeals/?text={fresh.document.reg_index}").content.decode()
    assert "про сміття" in by_index and "про ліфт" not in by_index
    returned = officer_client.get("/office/appeals/?status=returned").content.decode()
    assert "паркування" in returned and "про ліфт" not in returned
    prio = officer_client.get("/office/appeals/?priority=on").content.decode()
    assert "Героя" in prio and "сміття" not in prio
    bad = officer_client.get("/office/appeals/?due_within=минулого").content.decode()
    assert "Вкажіть ціле число." in bad
    partial = officer_client.get("/office/appeals/?status=registered", headers={"HX-Request": "true",
                                                                               "HX-Target": "appeal-results"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert soon.deadline == deadline("appeal", soon.received_date)


def test_due_within_working_days(officer_client, appeals_world):
    w = appeals_world
    from ratusha.calendar.selectors import add_working_days

    today = timezone.localdate()
    near = register_written(w, text="Близький строк")
    far = register_written(w, text="Далекий строк")
    Appeal.objects.filter(pk=near.pk).update(deadline=add_working_days(today, 2))
    Appeal.objects.filter(pk=far.pk).update(deadline=add_working_days(today, 10))
    html = officer_client.get("/office/appeals/?due_within=3").content.decode()
    assert "Близький строк" in html and "Далекий строк" not in html


def test_register_written_appeal_through_the_form(officer_client, appeals_world, sample_classifier):
    topic = sample_classifier.topics.get(code="002.002")
    pdf = SimpleUploadedFile("Скан.pdf", pdf_bytes(), content_type="application/pdf")
    data = _form(appeals_world, topic=str(topic.pk), categories=["01", "14"], **{
        "cosigners-0-full_name": "Петренко Олег Ігорович", "cosigners-0-address": "вул. Франка, 1"})
    response = officer_client.post("/office/appeals/register/written/", {**data, "files": [pdf]})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert response["Location"] == f"/office/appeals/{appeal.pk}/"
    assert appeal.topic == topic and appeal.categories == ["01", "14"] and appeal.priority
    assert appeal.cosigners.get().full_name == "Петренко Олег Ігорович" and "КО" in appeal.document.note
    assert appeal.attachments.get().name == "Скан.pdf" and appeal.sex == "m"
    page = officer_client.get(response["Location"]).content.decode()
    assert "Звернення зареєстровано" in page and appeal.document.reg_index in page


def test_register_errors_keep_everything_typed_and_uploaded(officer_client, appeals_world):
    pdf = SimpleUploadedFile("Додаток.pdf", pdf_bytes(), content_type="application/pdf")
    data = _form(appeals_world, text="", email="не-пошта", **{"cosigners-1-address": "вул. Без імені, 5"})
    response = officer_client.post("/office/appeals/register/written/", {**data, "files": [pdf]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Перевірте, будь ласка, форму" in html
    assert "Вкажіть зміст звернення" in html and "Перевірте адресу електронної пошти." in html
    assert "Вкажіть прізвище, ім&#x27;я та по батькові співпідписанта." in html
    assert 'value="Коваленко"' in html and 'value="вул. Шевченка, 12"' in html and 'value="вул. Без імені, 5"' in html
    assert 'name="staged"' in html and "Додаток.pdf" in html  # the upload is kept as a staged file
    token = re.search(r'name="staged" value="([^"]+)"', html).group(1)
    fixed = _form(appeals_world, staged=token)
    response = officer_client.post("/office/appeals/register/written/", fixed)
    assert response.status_code == 302
    assert Appeal.objects.get().attachments.get().name == "Додаток.pdf"


def test_service_errors_land_on_their_field(officer_client, appeals_world):
    response = officer_client.post("/office/appeals/register/written/",
                                   _form(appeals_world, received_date=(timezone.localdate() + dt.timedelta(days=2)).strftime("%d.%m.%Y")))
    assert response.status_code == 400
    assert "Дата надходження не може бути пізнішою за сьогоднішню." in response.content.decode()
    response = officer_client.post("/office/appeals/register/written/", _form(appeals_world, files=[
        SimpleUploadedFile("a.exe", b"MZ\x90\x00" + b"\x00" * 100)]))
    assert response.status_code == 400 and "недозволений тип" in response.content.decode()
    assert not Appeal.objects.exists()


def test_add_cosigner_rows_keeps_the_input(officer_client, appeals_world):
    data = _form(appeals_world, **{"cosigners-0-full_name": "Петренко Олег Ігорович", "add_cosigners": "1"})
    response = officer_client.post("/office/appeals/register/oral/", {**data, "receipt_form": "reception",
                                                                     "medium": "oral"})
    assert response.status_code == 200 and not Appeal.objects.exists()
    html = response.content.decode()
    assert 'name="cosigners-4-full_name"' in html and 'value="Петренко Олег Ігорович"' in html


def test_register_oral_and_hotline(officer_client, appeals_world):
    response = officer_client.post("/office/appeals/register/hotline/", _form(appeals_world, receipt_form="hotline", medium="oral"))
    assert response.status_code == 302
    assert Appeal.objects.get().receipt_form == "hotline"
    response = officer_client.post("/office/appeals/register/hotline/", _form(appeals_world, receipt_form="post", medium="letter"))
    assert response.status_code == 400  # the hotline form offers only its own form and medium


def test_submitted_queue_and_registering_from_the_page(officer_client, appeals_world):
    w = appeals_world
    appeal = submitted_appeal(w, files=1)
    queue = officer_client.get("/office/appeals/submitted/").content.decode()
    assert str(appeal.pk) in queue and "з сайту" in queue
    page = officer_client.get(f"/office/appeals/{appeal.pk}/").content.decode()
    assert "Зареєструвати звернення" in page
    response = officer_client.post(f"/office/appeals/{appeal.pk}/register/",
                                   {"version": appeal.version, "no_extra_study": "on"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REGISTERED and appeal.term_kind == TermKind.URGENT
    again = officer_client.post(f"/office/appeals/{appeal.pk}/register/", {"version": appeal.version})
    assert again.status_code == 400 and "вже зареєстровано" in again.content.decode()


def test_actions_keep_input_on_errors(officer_client, appeals_world):
    w = appeals_world
    appeal = register_written(w)
    url = f"/office/appeals/{appeal.pk}"
    response = officer_client.post(f"{url}/return/", {"version": appeal.version, "explanation": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Поясніть заявникові" in html and 'id="return" open' in html
    response = officer_client.post(f"{url}/forward/", {"version": appeal.version, "to_body": "Держгеокадастр",
                                                       "reason": ""})
    assert response.status_code == 400 and 'value="Держгеокадастр"' in response.content.decode()
    response = officer_client.post(f"{url}/close/", {"version": appeal.version})
    assert response.status_code == 400 and "без відповіді заявникові" in response.content.decode()
    response = officer_client.post(f"{url}/not-considered/", {"version": appeal.version, "ground": "anonymous",
                                                              "note": "Без підпису"})
    assert response.status_code == 400 and "не є анонімним" in response.content.decode()
    assert "Без підпису" in response.content.decode()
    stale = officer_client.post(f"{url}/return/", {"version": appeal.version - 1, "explanation": "Немає адреси"})
    assert stale.status_code == 400 and "змінив інший працівник" in stale.content.decode()
    ok = officer_client.post(f"{url}/return/", {"version": appeal.version, "explanation": "Немає адреси"})
    assert ok.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.RETURNED
    assert officer_client.post(f"{url}/close/", {"version": appeal.version}).status_code == 302


def test_extension_page_flow(client, appeals_world):
    w = appeals_world
    appeal = register_written(w, received_date=timezone.localdate() - dt.timedelta(days=2))
    url = f"/office/appeals/{appeal.pk}/extend/"
    limit = deadline("appeal-max", appeal.received_date)
    client.force_login(w.officer)
    assert "Продовжити строк (ст. 20)" not in client.get(f"/office/appeals/{appeal.pk}/").content.decode()
    refused = client.post(url, {"version": appeal.version, "new_deadline": limit.strftime("%d.%m.%Y"), "reason": "x"})
    assert refused.status_code == 400 and "лише керівник" in refused.content.decode()
    client.force_login(w.head)
    too_long = (limit + dt.timedelta(days=1)).strftime("%d.%m.%Y")
    response = client.post(url, {"version": appeal.version, "new_deadline": too_long, "reason": "Комісія"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "не може перевищувати 45 днів" in html and f'value="{too_long}"' in html and "Комісія" in html
    response = client.post(url, {"version": appeal.version, "new_deadline": limit.strftime("%d.%m.%Y"),
                                 "reason": "Комісія"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.deadline == limit


def test_sign_coding_and_take_into_work(officer_client, appeals_world, sample_classifier):
    w = appeals_world
    appeal = register_written(w)
    url = f"/office/appeals/{appeal.pk}"
    assert officer_client.post(f"{url}/sign/", {"version": appeal.version, "sign": "mass"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.sign == AppealSign.MASS
    topic = sample_classifier.topics.get(code="008.006")
    data = {"version": appeal.version, "receipt_form": "post", "medium": "letter", "appeal_type": "complaint",
            "subject": "individual", "sex": "f", "social_status": "worker", "settlement": "Зеленодольськ",
            "categories": ["05"], "topic": str(topic.pk)}
    assert officer_client.post(f"{url}/code/", data).status_code == 302
    appeal.refresh_from_db()
    assert (appeal.appeal_type, appeal.topic, appeal.categories, appeal.priority) == ("complaint", topic, ["05"], True)
    bad = officer_client.post(f"{url}/code/", {**data, "version": appeal.version, "subject": "collective"})
    assert bad.status_code == 400 and "щонайменше одного співпідписанта" in bad.content.decode()
    assert officer_client.post(f"{url}/work/", {"version": appeal.version}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_WORK
    assert officer_client.post(f"{url}/sign/suggest/").status_code == 302


def test_answered_appeal_page_and_close(officer_client, appeals_world):
    w = appeals_world
    appeal = register_written(w)
    answer = answer_document(w)
    svc.appeal_answer(actor=w.officer, appeal=appeal, answer_document=answer, outcome=Outcome.EXPLAINED)
    page = officer_client.get(f"/office/appeals/{appeal.pk}/").content.decode()
    assert answer.reg_index in page and "Роз&#x27;яснено" in page
    response = officer_client.post(f"/office/appeals/{appeal.pk}/close/", {"version": appeal.version,
                                                                          "outcome": "satisfied"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED and appeal.outcome == Outcome.SATISFIED


def test_classifier_upload_check_and_apply(client, appeals_world):
    login_verified(client, appeals_world.admin)
    assert client.get("/office/appeals/classifier/").status_code == 200
    bad = SimpleUploadedFile("bad.csv", "001;Розділ;\n002;;\n".encode("cp1251"))
    response = client.post("/office/appeals/classifier/", {"file": bad, "note": "спроба"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Файл не можна застосувати" in html and "Не вказано назву." in html and 'name="token"' not in html
    good = SimpleUploadedFile("858.csv", SAMPLE_CSV.read_bytes())
    response = client.post("/office/appeals/classifier/", {"file": good, "note": "КМУ № 858"})
    assert response.status_code == 200 and "Файл придатний" in response.content.decode()
    assert not ClassifierVersion.objects.exists()  # a dry run writes nothing
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    response = client.post("/office/appeals/classifier/apply/", {"token": token, "note": "КМУ № 858"})
    assert response.status_code == 302
    version = ClassifierVersion.objects.get()
    assert version.note == "КМУ № 858" and version.source_name == "858.csv" and version.loaded_by == appeals_world.admin
    forged = client.post("/office/appeals/classifier/apply/", {"token": token + "x"})
    assert forged.status_code == 302 and ClassifierVersion.objects.count() == 1
    client.force_login(appeals_world.officer)
    assert client.post("/office/appeals/classifier/apply/", {"token": token}).status_code == 403
