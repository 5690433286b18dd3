"""The interactive API docs (Swagger UI served from our own static files) render under our strict CSP."""

import pytest  # noqa: F401

from tests.browser import BROWSER_MARKS, chromium, new_page  # noqa: F401 (fixture)

pytestmark = BROWSER_MARKS


def test_docs_render_without_csp_errors(chromium, live_server):  # noqa: F811
    page = new_page(chromium)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.get_by_text("Вхідні від інших організацій").first.wait_for()
    assert page.get_by_text("/api/v1/incoming/{delivery_id}/register").count() >= 1
    assert page.console_errors == [], page.console_errors
