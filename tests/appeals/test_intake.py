"""The public e-appeal form /appeals/new/: every art. 5 field, bad input kept, uploads kept across errors,
collective appeals, honeypot, fill time, rate limit; the submission and its confirmation e-mail."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ratusha.appeals.constants import AppealStatus, AppealSubject, Medium, ReceiptForm, TermKind
from ratusha.appeals.models import Appeal, AppealEvent
from ratusha.calendar.selectors import deadline
from ratusha.core.models import AuditEvent
from tests.appeals.test_intake_support import PDF, PNG, TEXT, form_data, past_started, xlsx_bytes
from tests.smtp import SMTPServer

pytest_plugins = ["tests.appeals.test_intake_support"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

URL = "/appeals/new/"
CODE_RE = re.compile(r"^[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){3}$")


def submit(client, data, files=None):
    payload = dict(data)
    if files:
        payload["files"] = files
    return client.post(URL, payload)


# --- the page ------------------------------------------------------------------------------------


def test_services_page_links_the_three_e_services(client, council):
    response = client.get("/appeals/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/appeals/new/"' in html and 'href="/appeals/track/"' in html and 'href="/reception/"' in html
    assert "Луцька міська рада" in html  # the header carries the council's name
    assert '<html lang="uk">' in html and 'class="skip-link"' in html


def test_form_offers_bodies_that_take_appeals_council_first(client, council, exec_body, enterprise):
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    offered = list(form.fields["organisation"].queryset)
    assert offered == [council, exec_body]  # a municipal enterprise does not consider appeals under 393/96
    assert form.initial["organisation"] == council.pk
    html = response.content.decode()
    for name in ("last_name", "first_name", "middle_name", "settlement", "address", "email", "phone", "text",
                 "appeal_type", "categories", "social_status", "sex", "is_collective", "consent", "files"):
        assert f'name="{name}"' in html, name
    assert "Повідомлення про обробку персональних даних" in html
    assert "Порада чи рекомендація" in html  # a one-line explanation per type
    # the honeypot: off-screen, hidden from assistive technology, out of the tab order
    assert re.search(r'<div class="hp-field" aria-hidden="true">\s*<label for="id_homepage">', html)
    assert re.search(r'<input[^>]*name="homepage"[^>]*tabindex="-1"', html)


# --- a good submission --------------------------------------------------------------------------


def test_submission_creates_submitted_appeal_and_redirects_to_confirmation(client, council,
                                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, form_data(council, categories=["01"], social_status="pensioner", sex="m"),
                          files=[SimpleUploadedFile("довідка.pdf", PDF, "application/pdf")])
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert response["Location"].startswith("/appeals/sent/")
    assert appeal.status == AppealStatus.SUBMITTED
    assert CODE_RE.match(appeal.tracking_code)
    assert (appeal.last_name, appeal.first_name, appeal.middle_name) == ("Петренко", "Іван", "Васильович")
    assert appeal.address == "м. Луцьк, вул. Лесі Українки, 5, кв. 12" and appeal.settlement == "м. Луцьк"
    assert appeal.email == "ivan.petrenko@example.com" and appeal.phone == "+380 50 123 45 67"
    assert appeal.receipt_form == ReceiptForm.ELECTRONIC and appeal.medium == Medium.ELECTRONIC
    assert appeal.subject == AppealSubject.INDIVIDUAL and appeal.appeal_type == "application"
    assert appeal.categories == ["01"] and appeal.priority is True  # «01» is a priority category
    assert appeal.social_status == "pensioner" and appeal.sex == "m"
    assert appeal.consent_at is not None and appeal.text == TEXT
    assert appeal.received_date == timezone.localdate()
    assert appeal.term_kind == TermKind.MONTH and appeal.deadline == deadline("appeal", appeal.received_date)
    [attachment] = appeal.attachments.all()
    assert attachment.name == "довідка.pdf" and attachment.blob.mime == "application/pdf"
    [event] = AppealEvent.objects.filter(appeal=appeal)
    assert event.status == AppealStatus.SUBMITTED and event.emailed_at is not None
    audit = AuditEvent.objects.get(action="appeal.submitted")
    assert audit.object_id == str(appeal.pk) and audit.params["files"] == 1
    assert appeal.tracking_code not in audit.object_repr  # the code is a credential, not for the log


def test_confirmation_page_shows_code_terms_and_masked_email(client, council):
    response = submit(client, form_data(council))
    page = client.get(response["Location"])
    assert page.status_code == 200
    appeal = Appeal.objects.get()
    html = page.content.decode()
    assert appeal.tracking_code in html
    assert "i••••••@example.com" in html and "ivan.petrenko@example.com" not in html
    assert deadline("appeal-urgent", appeal.received_date).strftime("%d.%m.%Y") in html
    assert deadline("appeal", appeal.received_date).strftime("%d.%m.%Y") in html
    assert f'/appeals/track/?code={appeal.tracking_code}' in html
    assert client.get("/appeals/sent/forged-token/").status_code == 404


def test_confirmation_email_with_tracking_code_through_real_smtp(client, council, smtp_server,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, form_data(council))
    appeal = Appeal.objects.get()
    [message] = smtp_server.messages
    assert message["Subject"] == f"Ратуша: ваше звернення отримано — код {appeal.tracking_code}"
    assert message["To"] == "ivan.petrenko@example.com"
    date = timezone.localdate().strftime("%d.%m.%Y")
    assert SMTPServer.text(message) == (
        "Добрий день!\n\n"
        f"Ваше електронне звернення до органу «Луцька міська рада» отримано {date}.\n\n"
        f"Код відстеження: {appeal.tracking_code}\n"
        "Збережіть цей код: за ним ви можете дізнатися стан розгляду і отримати відповідь.\n\n"
        "Звернення отримано. Його буде зареєстровано, після чого почнеться строк розгляду.\n\n"
        "Строк розгляду — не більше одного місяця від дня надходження, а звернення, які не потребують "
        "додаткового вивчення, розглядаються невідкладно, але не пізніше 15 днів (ст. 20 Закону України «Про "
        "звернення громадян»). Відповідь буде надіслано на цю адресу електронної пошти.\n\n"
        f"Стан розгляду: http://127.0.0.1:8000/appeals/track/?code={appeal.tracking_code}\n\n"
        "—\nЛуцька міська рада\n"
        "Цей лист надіслано автоматично, відповідати на нього не потрібно.\n")
    html = SMTPServer.html(message)
    assert '<html lang="uk">' in html and appeal.tracking_code in html and "Переглянути стан розгляду" in html


# --- bad input: per-field messages, everything kept -----------------------------------------------


@pytest.mark.parametrize(("field", "message"), [
    ("last_name", "Вкажіть прізвище."),
    ("first_name", "Вкажіть ім&#x27;я."),
    ("settlement", "Вкажіть населений пункт."),
    ("address", "Вкажіть адресу місця проживання (вулиця, будинок, квартира)."),
    ("email", "Вкажіть адресу електронної пошти: на неї надійде відповідь."),
    ("text", "Опишіть суть звернення."),
    ("appeal_type", "Оберіть вид звернення."),
    ("consent", "Підтвердьте, що ви ознайомилися з повідомленням про обробку персональних даних."),
])
def test_every_required_field_has_its_own_message_and_the_rest_is_kept(client, council, field, message):
    data = form_data(council, **{field: None if field == "consent" else ""})
    response = submit(client, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert response.context["form"].errors.keys() == {field}
    if field != "text":
        assert TEXT in html  # what was typed comes back
    if field != "last_name":
        assert 'value="Петренко"' in html
    assert Appeal.objects.count() == 0


def test_bad_email_short_text_and_bad_phone(client, council):
    response = submit(client, form_data(council, email="ivan@", text="Коротко", phone="дзвоніть"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["email"] == ["Перевірте адресу електронної пошти: вона має бути у вигляді name@example.com."]
    assert errors["text"] == ["Опишіть суть звернення докладніше: щонайменше 30 символів (зараз 7)."]
    assert errors["phone"] == ["Перевірте номер телефону: лише цифри, пробіли, дужки, дефіси і «+»."]
    html = response.content.decode()
    assert 'value="ivan@"' in html and ">\nКоротко</textarea>" in html
    assert 'id="error-summary"' in html and 'href="#id_email"' in html


def test_organisation_that_does_not_take_appeals_is_refused(client, council, enterprise):
    response = submit(client, form_data(council, organisation=str(enterprise.pk)))
    assert response.status_code == 400
    assert response.context["form"].errors["organisation"] == ["Оберіть орган зі списку."]


# --- attachments ---------------------------------------------------------------------------------


def test_uploads_survive_a_form_error_and_are_attached_on_resubmit(client, council):
    first = submit(client, form_data(council, last_name=""),
                   files=[SimpleUploadedFile("скан.pdf", PDF, "application/pdf"),
                          SimpleUploadedFile("фото.png", PNG, "image/png")])
    assert first.status_code == 400
    staged = first.context["staged"]
    assert sorted(f.name for f in staged) == ["скан.pdf", "фото.png"]
    html = first.content.decode()
    tokens = re.findall(r'<input type="hidden" name="staged" value="([^"]+)">', html)
    assert len(tokens) == 2 and "Вже завантажено" in html
    # second attempt: only the tokens come back, no files chosen again
    second = client.post(URL, {**form_data(council), "staged": tokens})
    assert second.status_code == 302
    appeal = Appeal.objects.get()
    assert sorted(a.name for a in appeal.attachments.all()) == ["скан.pdf", "фото.png"]


def test_staged_file_can_be_removed_before_sending(client, council):
    first = submit(client, form_data(council, last_name=""),
                   files=[SimpleUploadedFile("скан.pdf", PDF, "application/pdf"),
                          SimpleUploadedFile("фото.png", PNG, "image/png")])
    tokens = {f.name: f.token for f in first.context["staged"]}
    client.post(URL, {**form_data(council), "staged": list(tokens.values()), "staged_remove": [tokens["фото.png"]]})
    assert [a.name for a in Appeal.objects.get().attachments.all()] == ["скан.pdf"]


def test_wrong_type_is_refused_by_content_not_name(client, council):
    response = submit(client, form_data(council),
                      files=[SimpleUploadedFile("таблиця.pdf", xlsx_bytes(), "application/pdf")])
    assert response.status_code == 400
    assert response.context["form"].errors["files"] == [
        "Файл «таблиця.pdf» має недозволений тип. Дозволено: PDF, JPEG, PNG, DOCX, ODT."]
    assert response.context["staged"] == [] and Appeal.objects.count() == 0


def test_too_large_file_is_refused(client, council, settings):
    settings.APPEALS = {"PUBLIC_UPLOAD_MB": 1}
    big = PDF + b"0" * (1024 * 1024)
    response = submit(client, form_data(council), files=[SimpleUploadedFile("великий.pdf", big, "application/pdf")])
    assert response.status_code == 400
    assert response.context["form"].errors["files"] == [
        "Файл «великий.pdf» завеликий: найбільший дозволений розмір — 1 МБ."]


def test_staged_token_from_another_browser_is_not_accepted(client, council, django_user_model):
    from django.test import Client

    first = submit(client, form_data(council, last_name=""),
                   files=[SimpleUploadedFile("скан.pdf", PDF, "application/pdf")])
    [token] = [f.token for f in first.context["staged"]]
    other = Client()
    response = other.post(URL, {**form_data(council), "staged": [token]})
    assert response.status_code == 400
    assert "Завантажений раніше файл не знайдено" in response.content.decode()
    assert Appeal.objects.count() == 0


# --- collective appeals ---------------------------------------------------------------------------


def test_add_cosigner_row_without_javascript_keeps_everything_and_shows_no_errors(client, council):
    data = form_data(council, last_name="", is_collective="on", **{"cosigners-0-full_name": "Марченко Ольга Петрівна",
                                                                   "add_cosigner": "1"})
    response = client.post(URL, data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == 2
    html = response.content.decode()
    assert 'value="Марченко Ольга Петрівна"' in html and 'name="cosigners-1-full_name"' in html
    assert 'id="error-summary"' not in html and Appeal.objects.count() == 0


def test_collective_appeal_stores_cosigners(client, council):
    data = form_data(council, is_collective="on", **{
        "cosigners-TOTAL_FORMS": "3",
        "cosigners-0-full_name": "Марченко Ольга Петрівна", "cosigners-0-address": "вул. Лесі Українки, 5, кв. 3",
        "cosigners-1-full_name": "Гнатюк Степан Ілліч", "cosigners-1-address": "",
        "cosigners-2-full_name": "", "cosigners-2-address": ""})
    assert client.post(URL, data).status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.subject == AppealSubject.COLLECTIVE and appeal.is_collective
    assert [(c.full_name, c.address) for c in appeal.cosigners.all()] == [
        ("Марченко Ольга Петрівна", "вул. Лесі Українки, 5, кв. 3"), ("Гнатюк Степан Ілліч", "")]


def test_collective_flag_and_cosigners_must_agree(client, council):
    no_signers = client.post(URL, form_data(council, is_collective="on"))
    assert no_signers.status_code == 400
    assert no_signers.context["form"].errors["is_collective"] == [
        "Додайте хоча б одного підписанта колективного звернення або зніміть цю позначку."]
    no_flag = client.post(URL, form_data(council, **{"cosigners-0-full_name": "Гнатюк Степан Ілліч"}))
    assert no_flag.status_code == 400
    assert "позначте, що звернення колективне" in no_flag.context["form"].errors["is_collective"][0]
    address_only = client.post(URL, form_data(council, is_collective="on", **{"cosigners-0-address": "вул. Ковельська, 1"}))
    assert address_only.status_code == 400
    assert address_only.context["formset"].errors[0]["full_name"] == [
        "Вкажіть прізвище, ім'я та по батькові підписанта."]
    assert Appeal.objects.count() == 0


# --- anti-abuse ---------------------------------------------------------------------------------


def test_honeypot_is_refused_with_a_neutral_message_and_logged(client, council, caplog):
    response = submit(client, form_data(council, homepage="http://spam.example"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Не вдалося надіслати звернення. Перевірте дані й надішліть форму ще раз." in html
    assert "spam.example" not in html and TEXT in html
    assert Appeal.objects.count() == 0
    assert any("honeypot" in r.getMessage() for r in caplog.records)


def test_form_sent_too_fast_is_asked_again_with_everything_kept(client, council):
    response = submit(client, form_data(council, started=past_started(0)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Форму надіслано надто швидко" in html and TEXT in html
    # the re-rendered form carries a fresh stamp; a forged stamp counts as «too fast»
    assert response.context["form"].data["started"] != form_data(council)["started"]
    assert submit(client, form_data(council, started="forged")).status_code == 400
    assert Appeal.objects.count() == 0


def test_flood_from_one_address_gets_429_with_the_text_kept(client, council, settings):
    settings.APPEALS = {"PUBLIC_SUBMIT_LIMIT": 2, "PUBLIC_SUBMIT_WINDOW_MINUTES": 10}
    assert submit(client, form_data(council)).status_code == 302
    assert submit(client, form_data(council)).status_code == 302
    response = submit(client, form_data(council, text=TEXT + " Третє звернення."),
                      files=[SimpleUploadedFile("скан.pdf", PDF, "application/pdf")])
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    html = response.content.decode()
    assert "Забагато звернень з вашої адреси" in html
    assert TEXT + " Третє звернення." in html and 'value="Петренко"' in html
    assert "потрібно буде додати ще раз" in html
    assert Appeal.objects.count() == 2
    # another address is not affected
    assert client.post(URL, form_data(council), REMOTE_ADDR="10.0.0.7").status_code == 302
