"""The calendar page: month grid, calculator (with and without htmx), administrators' forms, permissions."""

import datetime as dt

import pytest
from django.urls import reverse

from ratusha.calendar import services as svc
from ratusha.calendar.models import CalendarState, DayOverride, MartialLawPeriod
from ratusha.calendar.recompute import register_recomputer, unregister_recomputer
from ratusha.core.models import AuditEvent

URL = "/office/calendar/"
D = dt.date.fromisoformat


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/office/login/" in response.url


def test_staff_see_the_month_grid_without_admin_forms(staff_client):
    response = staff_client.get(URL, {"m": "2025-08"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Серпень 2025" in html
    assert '<abbr title="понеділок">Пн</abbr>' in html
    assert "Свято — робочий день (воєнний стан)" in html and "День незалежності України" in html
    assert "діє досі" in html and "2136-IX" in html          # the default period
    assert "Калькулятор строків" in html and "Історія змін календаря" in html
    for admin_only in ("Додати період", "Змінити день", "Перерахувати відкриті строки", "Зберегти строки"):
        assert admin_only not in html
    assert 'href="?m=2025-07#month-title"' in html and 'href="?m=2025-09#month-title"' in html


def test_month_grid_marks_every_kind_with_text(admin_client, calendar_admin):
    svc.martial_law_period_update(actor=calendar_admin, period=MartialLawPeriod.objects.get(), start=D("2022-03-15"),
                                  end=D("2025-06-30"), basis="Указ", version=1)
    svc.day_override_add(actor=calendar_admin, day=D("2025-08-22"), working=False, reason="Рішення № 7")
    svc.day_override_add(actor=calendar_admin, day=D("2025-08-30"), working=True, reason="Рішення № 8")
    html = admin_client.get(URL, {"m": "2025-08"}).content.decode()
    assert "cal__day--holiday" in html and "Святковий день: День незалежності України" in html
    assert "cal__day--transferred" in html and "Перенесений вихідний" in html
    assert "Неробочий за місцевим рішенням: Рішення № 7" in html
    assert "Робочий за місцевим рішенням: Рішення № 8" in html
    # 21 weekdays in August 2025, −25.08 (transferred), −22.08 (override), +30.08 (a Saturday made working).
    assert "Серпень 2025: 20 робочих днів" in html


def test_bad_month_falls_back_to_this_month(staff_client):
    for bad in ("2025-13", "abc", "1800-01", "2025"):
        response = staff_client.get(URL, {"m": bad})
        assert response.status_code == 200


@pytest.mark.parametrize(("params", "expected"), [
    ({"rule": "appeal-urgent", "start": "09.08.2025", "martial_law": "off", "shift": ""}, "22.08.2025"),
    ({"rule": "appeal-urgent", "start": "2025-08-09", "martial_law": "off", "shift": "next"}, "26.08.2025"),
    ({"rule": "appeal", "start": "31.01.2025", "martial_law": "", "shift": ""}, "28.02.2025"),
    ({"rule": "draft-publication", "start": "15.05.2025", "martial_law": "on", "shift": ""}, "01.05.2025"),
    ({"rule": "info-request-urgent", "start": "29.03.2025 10:00", "martial_law": "", "shift": ""},
     "31.03.2025 10:00 (UTC+02:00)"),
])
def test_calculator_without_javascript(staff_client, params, expected):
    response = staff_client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Кінцевий строк" in html and expected in html
    assert "<html" in html                                     # the whole page


def test_calculator_explains_the_move_and_the_skipped_days(staff_client):
    html = staff_client.get(URL, {"rule": "appeal-urgent", "start": "09.08.2025", "martial_law": "off"}).content.decode()
    assert "Останній день 24.08.2025 — неробочий (Святковий день: День незалежності України)" in html
    assert "попередній робочий день — 22.08.2025" in html
    assert "У строку 5 неробочих днів" in html
    html = staff_client.get(URL, {"rule": "info-request", "start": "21.08.2025", "martial_law": "off"}).content.decode()
    assert "29.08.2025" in html and "Пропущено 3 неробочі дні" in html
    assert "25.08.2025 — Перенесений вихідний" in html


def test_calculator_with_htmx_returns_only_the_card(staff_client):
    response = staff_client.get(URL, {"rule": "appeal", "start": "31.01.2025"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="calculator"') and "28.02.2025" in html
    assert "<html" not in html


@pytest.mark.parametrize(("params", "message"), [
    ({"rule": "appeal", "start": "31.02.2025"}, "Неправильна дата. Введіть ДД.ММ.РРРР"),
    ({"rule": "appeal", "start": "1.2.25"}, "Неправильна дата. Введіть ДД.ММ.РРРР"),
    ({"rule": "appeal", "start": ""}, "Вкажіть дату події."),
    ({"rule": "", "start": "01.02.2025"}, "Оберіть правило."),
    ({"rule": "bogus", "start": "01.02.2025"}, "Оберіть правило зі списку."),
    ({"rule": "appeal", "start": "01.02.2025", "martial_law": "sometimes"}, "Оберіть значення зі списку."),
])
def test_calculator_bad_input_keeps_what_was_typed(staff_client, params, message):
    response = staff_client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'id="error-summary"' in html
    if params["start"]:
        assert f'value="{params["start"]}"' in html
    assert "Кінцевий строк" not in html


def test_outsiders_cannot_change_the_calendar(staff_client, enterprise_admin, client):
    posts = [
        (reverse("workcalendar:override-add"), {"override-day": "02.05.2025", "override-working": "0",
                                                "override-reason": "x"}),
        (reverse("workcalendar:period-add"), {"period-start": "01.01.2030", "period-basis": "x"}),
        (reverse("workcalendar:shift"), {"shift-shift": "next", "shift-expected_version": "1"}),
        (reverse("workcalendar:terms"), {"terms-expected_version": "1", "terms-control-default": "5"}),
        (reverse("workcalendar:recompute"), {}),
        (reverse("workcalendar:period-remove", args=[MartialLawPeriod.objects.get().pk]), {}),
    ]
    from tests.orgs.conftest import login_verified

    for http in (staff_client, login_verified(client, enterprise_admin)):
        for url, data in posts:
            assert http.post(url, data).status_code == 403, url
    assert not DayOverride.objects.exists() and MartialLawPeriod.objects.count() == 1
    assert CalendarState.objects.get().version == 1
    assert staff_client.get(reverse("workcalendar:override-add")).status_code == 405


def test_admin_adds_and_removes_an_override(admin_client):
    response = admin_client.post(reverse("workcalendar:override-add"), {
        "m": "2025-05", "override-day": "02.05.2025", "override-working": "0",
        "override-reason": "Рішення виконкому № 12 від 10.04.2025"})
    assert response.status_code == 302 and response.url.endswith("?m=2025-05#overrides")
    override = DayOverride.objects.get()
    assert override.day == D("2025-05-02") and not override.working
    html = admin_client.get(response.url).content.decode()
    assert "Зміну дня внесено." in html and "Рішення виконкому № 12 від 10.04.2025" in html
    assert "Неробочий за місцевим рішенням" in html
    response = admin_client.post(reverse("workcalendar:override-remove", args=[override.pk]), {"m": "2025-05"})
    assert response.status_code == 302 and not DayOverride.objects.exists()
    # Removing it again (a second tab): a clear message, not a 500.
    response = admin_client.post(reverse("workcalendar:override-remove", args=[override.pk]), {"m": "2025-05"})
    assert response.status_code == 409 and "Цю зміну вже вилучено." in response.content.decode()


def test_admin_override_form_errors_rerender_with_input(admin_client):
    response = admin_client.post(reverse("workcalendar:override-add"), {
        "override-day": "32.05.2025", "override-working": "", "override-reason": "Моє рішення"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Введіть дату у форматі ДД.ММ.РРРР" in html
    assert "Оберіть, робочий це день чи неробочий." in html
    assert 'value="32.05.2025"' in html and 'value="Моє рішення"' in html
    assert "<details class=\"disclosure cal-add\" open>" in html
    # A service rule (a second change of the same day) lands at the field too.
    admin_client.post(reverse("workcalendar:override-add"), {
        "override-day": "02.05.2025", "override-working": "0", "override-reason": "Рішення № 1"})
    response = admin_client.post(reverse("workcalendar:override-add"), {
        "override-day": "02.05.2025", "override-working": "1", "override-reason": "Рішення № 2"})
    assert response.status_code == 400 and "уже є зміна" in response.content.decode()


def test_admin_edits_martial_law(admin_client):
    period = MartialLawPeriod.objects.get()
    url = reverse("workcalendar:period-edit", args=[period.pk])
    data = {"edit-start": "15.03.2022", "edit-end": "30.06.2025", "edit-basis": period.basis,
            "edit-version": str(period.version)}
    assert admin_client.post(url, data).status_code == 302
    period.refresh_from_db()
    assert period.end == D("2025-06-30")
    # The same stale form again: refused, nothing overwritten.
    response = admin_client.post(url, {**data, "edit-end": "31.12.2025"})
    assert response.status_code == 400 and "щойно змінив інший користувач" in response.content.decode()
    period.refresh_from_db()
    assert period.end == D("2025-06-30")
    # End before start.
    response = admin_client.post(url, {**data, "edit-version": str(period.version), "edit-end": "01.01.2022"})
    assert response.status_code == 400 and "Кінець не може бути раніше за початок." in response.content.decode()
    # A new period.
    response = admin_client.post(reverse("workcalendar:period-add"), {
        "period-start": "01.09.2025", "period-end": "", "period-basis": "Указ № 2"})
    assert response.status_code == 302 and MartialLawPeriod.objects.count() == 2
    response = admin_client.post(reverse("workcalendar:period-add"), {
        "period-start": "01.10.2025", "period-basis": "Указ № 3"})
    assert response.status_code == 400 and "перетинається" in response.content.decode()


def test_admin_settings_and_terms(admin_client):
    version = CalendarState.objects.get().version
    response = admin_client.post(reverse("workcalendar:shift"), {"shift-shift": "next",
                                                                 "shift-expected_version": version})
    assert response.status_code == 302 and CalendarState.objects.get().shift == "next"
    response = admin_client.post(reverse("workcalendar:shift"), {"shift-shift": "previous",
                                                                 "shift-expected_version": version})
    assert response.status_code == 400 and "щойно змінив інший користувач" in response.content.decode()
    version = CalendarState.objects.get().version
    data = {"terms-expected_version": version, "terms-appeal-forward": "5", "terms-control-default": "25",
            "terms-control-urgent": "3", "terms-control-immediate": "1"}
    response = admin_client.post(reverse("workcalendar:terms"), data)
    assert response.status_code == 302
    assert CalendarState.objects.get().term_amounts == {"control-default": 25}
    html = admin_client.get(URL).content.decode()
    assert "25 календарних днів" in html
    response = admin_client.post(reverse("workcalendar:terms"), {**data, "terms-control-urgent": "0",
                                                                 "terms-expected_version": version + 1})
    assert response.status_code == 400 and "Не менше ніж 1." in response.content.decode()


def test_admin_recompute_button(admin_client, calendar_admin):
    register_recomputer("test-views", lambda *, actor: 7)
    try:
        response = admin_client.post(reverse("workcalendar:recompute"), {"m": "2025-05"}, follow=True)
    finally:
        unregister_recomputer("test-views")
    html = response.content.decode()
    assert "test-views — 7" in html
    assert AuditEvent.objects.filter(action="calendar.recompute", actor=calendar_admin).exists()


def test_version_history_lists_changes(admin_client, calendar_admin):
    svc.day_override_add(actor=calendar_admin, day=D("2025-05-02"), working=False, reason="Рішення № 3")
    html = admin_client.get(URL).content.decode()
    assert "Початкове налаштування" in html and "Зміна дня" in html and "02.05.2025 — неробочий день" in html
    assert calendar_admin.full_name in html
