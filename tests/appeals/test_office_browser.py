"""In Debian's Chromium: an officer registers a written appeal (an error first — the input and the file stay),
confirms the suggested sign, codes it, the head extends the term; axe (WCAG 2.1 A/AA) on the list, the
register form, the appeal page, the «new from the site» queue and the classifier page.

Screenshots of each page are written when RATUSHA_SCREENSHOTS=<dir> is set.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ratusha.appeals import services as svc
from ratusha.appeals.constants import AppealSign, AppealStatus, TermKind
from ratusha.appeals.models import Appeal
from ratusha.calendar.selectors import deadline
from tests.appeals.office_helpers import (
    SAMPLE_CSV,
    build_world,
    pdf_bytes,
    register_written,
    submitted_appeal,
)
from tests.office.test_browser import CHROMIUM, check_page
from tests.orgs.conftest import login_verified

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
pytest_plugins = ["tests.appeals.office"]


def _sign_in(page, live_server, user) -> None:
    page.context.clear_cookies()
    client = login_verified(Client(), user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def test_officer_registers_codes_and_the_head_extends(browser_page, live_server, tmp_path):
    page = browser_page
    w = build_world()
    version = svc.classifier_load(actor=None, data=SAMPLE_CSV.read_bytes(), source_name="classifier_sample.csv")
    earlier = register_written(w, received_date=timezone.localdate() - dt.timedelta(days=40),
                               text="Прошу відремонтувати ліфт у будинку на вулиці Шевченка, 12.")
    register_written(w, categories=["13"], text="Прошу встановити лавки у сквері біля пам'ятника.")
    from_site = submitted_appeal(w, files=1, categories=["03"])
    scan = tmp_path / "Скан звернення.pdf"
    scan.write_bytes(pdf_bytes("скан"))

    _sign_in(page, live_server, w.officer)
    page.goto(f"{live_server.url}/office/appeals/")
    assert page.locator("h1").inner_text() == "Звернення громадян"
    check_page(page, "appeals-list")
    page.goto(f"{live_server.url}/office/appeals/submitted/")
    check_page(page, "appeals-submitted")
    page.get_by_role("link", name="з сайту").click()
    page.wait_for_url(f"**/office/appeals/{from_site.pk}/")
    check_page(page, "appeals-appeal-submitted")
    page.check("#id_reg_no_extra_study")
    page.get_by_role("button", name="Зареєструвати звернення").click()
    page.wait_for_load_state()
    from_site.refresh_from_db()
    assert from_site.status == AppealStatus.REGISTERED and from_site.term_kind == TermKind.URGENT
    assert f"№ {from_site.document.reg_index}" in page.locator("h1").inner_text()

    page.goto(f"{live_server.url}/office/appeals/register/written/")
    check_page(page, "appeals-register")
    page.fill("#id_last_name", "Коваленко")
    page.fill("#id_first_name", "Іван")
    page.fill("#id_middle_name", "Петрович")
    page.fill("#id_address", "м. Зеленодольськ, вул. Шевченка, буд. 12, кв. 5")
    page.fill("#id_email", "ivan.kovalenko@example.org")
    page.fill("#id_phone", "+380 67 123 45 67")
    page.fill("#id_cosigners-0-full_name", "Петренко Олег Ігорович")
    page.check("#id_categories_0")
    page.select_option("#id_topic", str(version.topics.get(code="008.007").pk))
    page.set_input_files("#id_files", str(scan))
    page.get_by_role("button", name="Зареєструвати").click()  # no text yet
    page.wait_for_load_state()
    assert "Вкажіть зміст звернення" in page.locator("#error-summary").inner_text()
    assert page.input_value("#id_last_name") == "Коваленко"
    assert page.input_value("#id_cosigners-0-full_name") == "Петренко Олег Ігорович"
    assert "Скан звернення.pdf" in page.locator(".staged").inner_text()
    page.console_errors.clear()  # Chromium logs the form's status 400 as a console error
    check_page(page, "appeals-register-error")
    page.fill("#id_text", "Прошу відремонтувати ліфт у будинку на вулиці Шевченка, 12: він не працює місяць.")
    page.get_by_role("button", name="Зареєструвати").click()
    page.wait_for_url("**/office/appeals/*-*/")
    appeal = Appeal.objects.exclude(pk=earlier.pk).get(last_name="Коваленко", cosigners__isnull=False)
    assert appeal.status == AppealStatus.REGISTERED and appeal.priority
    assert page.locator("h1").inner_text().startswith(f"Звернення № {appeal.document.reg_index}")
    assert "КО" in page.locator(".page-header").inner_text()
    assert "Скан звернення.pdf" in page.locator("#applicant").inner_text()
    assert appeal.sign_suggested == AppealSign.DUPLICATE  # the earlier lift appeal is still open
    assert "Система пропонує: Дублетне" in page.locator("#sign").inner_text()
    check_page(page, "appeals-appeal")
    page.locator("#sign").get_by_role("button", name="Підтвердити ознаку").click()
    page.wait_for_load_state()
    assert "Ознаку надходження встановлено: Дублетне." in page.locator(".alert--success").inner_text()
    page.locator("#code summary").click()
    page.select_option("#id_code_appeal_type", "complaint")
    page.get_by_role("button", name="Зберегти кодування").click()
    page.wait_for_load_state()
    appeal.refresh_from_db()
    assert appeal.sign == AppealSign.DUPLICATE and appeal.appeal_type == "complaint"

    _sign_in(page, live_server, w.head)
    page.goto(f"{live_server.url}/office/appeals/{appeal.pk}/")
    page.locator("#extend summary").click()
    limit = deadline("appeal-max", appeal.received_date)
    page.fill("#id_ext_new_deadline", (limit + dt.timedelta(days=1)).strftime("%d.%m.%Y"))
    page.fill("#id_ext_reason", "Потрібне обстеження ліфта спеціалізованою організацією.")
    page.get_by_role("button", name="Продовжити строк").click()
    page.wait_for_load_state()
    assert "45 днів" in page.locator("#extend").inner_text()
    assert page.input_value("#id_ext_reason").startswith("Потрібне обстеження")
    page.console_errors.clear()
    check_page(page, "appeals-extend-error")
    page.fill("#id_ext_new_deadline", limit.strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Продовжити строк").click()
    page.wait_for_load_state()
    appeal.refresh_from_db()
    assert appeal.term_kind == TermKind.EXTENDED and appeal.deadline == limit

    _sign_in(page, live_server, w.controller)
    page.goto(f"{live_server.url}/office/appeals/{appeal.pk}/")
    assert "К***о І. П." in page.locator("#applicant").inner_text()
    assert "Коваленко" not in page.content()
    check_page(page, "appeals-appeal-masked")

    _sign_in(page, live_server, w.admin)
    page.goto(f"{live_server.url}/office/appeals/classifier/")
    page.set_input_files("#id_file", str(SAMPLE_CSV))
    page.get_by_role("button", name="Перевірити файл").click()
    page.wait_for_load_state()
    assert "Файл придатний" in page.locator("#report").inner_text()
    check_page(page, "appeals-classifier")
