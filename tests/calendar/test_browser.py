"""The calendar page and the calculator in Debian's Chromium, checked by axe (WCAG 2.1 A/AA).

Screenshots are written when RATUSHA_SCREENSHOTS=<dir> is set.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from ratusha.calendar import services as svc
from tests.factories import EmployeeFactory, OrganisationFactory, grant_installation_role
from tests.office.test_browser import CHROMIUM, check_page
from tests.orgs.conftest import login_verified

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def _sign_in(page, live_server, user) -> None:
    client = login_verified(Client(), user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def test_calendar_page_and_calculator(browser_page, live_server):
    page = browser_page
    admin = grant_installation_role(EmployeeFactory(organisation=OrganisationFactory(kind="city_council"),
                                                    roles=["admin"], user__username="caladmin").user,
                                    "installation_admin")
    import datetime as dt

    svc.day_override_add(actor=admin, day=dt.date(2025, 5, 2), working=False,
                         reason="Рішення виконкому № 12 від 10.04.2025")
    _sign_in(page, live_server, admin)

    # The calculator with htmx: the result replaces the calculator card without a page load.
    # (htmx swaps run before axe: axe leaves style attributes that htmx's settle step would copy.)
    page.goto(f"{live_server.url}/office/calendar/?m=2025-05")
    assert page.get_by_role("heading", name="Робочий календар і строки").is_visible()
    assert "Травень 2025" in page.locator("#month-title").inner_text()
    page.select_option("#id_rule", "appeal-urgent")
    page.fill("#id_start", "09.08.2025")
    page.select_option("#id_martial_law", "off")
    page.click("#calc-submit")
    page.wait_for_selector(".cal-result")
    result = page.locator(".cal-result").inner_text()
    assert "22.08.2025" in result and "День незалежності України" in result
    assert "rule=appeal-urgent" in page.url  # the address can be shared
    page.wait_for_function("document.activeElement.classList.contains('cal-result')")  # focus moved to it
    page.locator(".cal-result summary").click()
    check_page(page, "calendar-calculator")

    # Without htmx (a plain GET): a bad date gives a message at the field and keeps what was typed.
    page.goto(f"{live_server.url}/office/calendar/?m=2025-05&rule=appeal&start=31.02.2025")
    assert page.locator("#error-summary").is_visible()
    assert page.input_value("#id_start") == "31.02.2025"
    check_page(page, "calendar-calculator-error")

    # The month grid with an override; previous month; the administrator's forms open.
    page.goto(f"{live_server.url}/office/calendar/?m=2025-05")
    assert "Неробочий за місцевим рішенням" in page.locator(".cal").inner_text()
    check_page(page, "calendar-month")
    page.get_by_role("link", name="‹ Квітень 2025").click()
    assert "Квітень 2025" in page.locator("#month-title").inner_text()
    page.locator("#overrides summary").first.click()
    page.locator("#martial-law .cal-add summary").click()
    check_page(page, "calendar-admin-forms")
