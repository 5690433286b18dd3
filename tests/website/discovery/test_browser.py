"""Browser checks (Chromium + axe, WCAG 2.1 A/AA + 2.2 AA) of the discovery pages, with screenshots in
/tmp/shots/discovery/: search (results, no results, bad query), subscribe (form, errors, sent), confirm
and unsubscribe pages (ask, done, bad link), and the public 404."""

from pathlib import Path

from tests.browser import BROWSER_MARKS, WCAG_TAGS, chromium, expect_status, new_page  # noqa: F401
from tests.website.discovery.sitetree import SiteTree, add_news, add_standard, build_home

pytestmark = BROWSER_MARKS
SHOTS = Path("/tmp/shots/discovery")


def check(page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [*WCAG_TAGS, "wcag22aa"]},
                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_discovery_pages_are_accessible(chromium, live_server):  # noqa: F811
    from ratusha.website.audience.models import Subscriber
    from ratusha.website.audience.services.subscriptions import confirm_token, unsubscribe_token

    home, news_index = build_home()
    tree = SiteTree(home=home, news_index=news_index)
    add_news(news_index, title="Сесія ухвалила рішення про бюджет громади",
             summary="Депутати затвердили бюджет на наступний рік: більше коштів на школи й дороги.", slug="budget")
    add_news(news_index, title="Ремонт у школах міста", kind="announcement",
             summary="Влітку відремонтують дахи трьох шкіл і спортивні зали.", slug="schools")
    add_standard(tree.home, title="Бюджет для громадян", intro="Як формується бюджет громади.", slug="budget-info")
    base = live_server.url
    page = new_page(chromium)

    page.goto(f"{base}/search/?q=бюджету")
    assert page.locator(".search-hit").count() == 2
    assert page.locator("mark").first.inner_text().lower().startswith("бюджет")
    check(page, "search-results")

    page.goto(f"{base}/search/?q=космодром+бюджету")
    assert "нічого не знайдено" in page.content()
    check(page, "search-empty")

    page.goto(f"{base}/search/?q=%25%25%25")
    expect_status(page, 400)
    check(page, "search-bad-query")

    page.goto(f"{base}/subscribe/")
    check(page, "subscribe")
    page.fill("#id_email", "wrong")
    page.get_by_role("button", name="Підписатися").click()
    page.wait_for_load_state()
    expect_status(page, 400)
    assert page.input_value("#id_email") == "wrong"
    check(page, "subscribe-errors")
    page.fill("#id_email", "olena@example.org")
    page.check("#id_consent")
    page.get_by_role("button", name="Підписатися").click()
    page.wait_for_url("**/subscribe/sent/")
    check(page, "subscribe-sent")

    subscriber = Subscriber.objects.get(email="olena@example.org")
    page.goto(f"{base}/subscribe/confirm/{confirm_token(subscriber)}/")
    check(page, "confirm-ask")
    page.get_by_role("button", name="Підтвердити підписку").click()
    page.wait_for_load_state()
    assert "Підписку підтверджено" in page.content()
    check(page, "confirm-done")
    page.goto(f"{base}/subscribe/confirm/forged-token/")
    page.get_by_role("button", name="Підтвердити підписку").click()
    page.wait_for_load_state()
    expect_status(page, 400)
    check(page, "confirm-bad-link")

    page.goto(f"{base}/subscribe/unsubscribe/{unsubscribe_token(subscriber)}/")
    check(page, "unsubscribe-ask")
    page.get_by_role("button", name="Відписатися").click()
    page.wait_for_load_state()
    assert "Ви відписалися" in page.content()
    check(page, "unsubscribe-done")

    response = page.goto(f"{base}/news/no-such-news/")
    assert response.status == 404
    page.console_errors.clear()  # Chromium logs the 404 status itself
    check(page, "not-found")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/search/?q=школах")
    check(page, "search-mobile")
