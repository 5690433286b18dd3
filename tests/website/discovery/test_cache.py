"""The anonymous page cache: hits, what is never cached, invalidation, ETag, the CSP nonce."""

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from ratusha.website.cache import (
    AnonymousPageCacheMiddleware,
    request_is_cacheable,
    response_is_storable,
    site_cache_clear,
)
from tests.website.discovery.sitetree import add_news

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_a_hit_without_queries(client, site_tree, django_assert_num_queries):
    first = client.get("/news/schools/")
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    assert first["Cache-Control"] == "public, max-age=60"
    with django_assert_num_queries(0):
        second = client.get("/news/schools/")
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second and "'nonce-" not in second["Content-Security-Policy"]
    assert not second.cookies


def test_conditional_get_answers_304(client, site_tree):
    etag = client.get("/").headers["ETag"]
    response = client.get("/", headers={"if-none-match": etag})
    assert response.status_code == 304 and response["ETag"] == etag
    assert client.get("/", headers={"if-none-match": '"other"'}).status_code == 200


def test_head_is_served_from_the_cache(client, site_tree):
    client.get("/news/")
    response = client.head("/news/")
    assert response["X-Cache"] == "HIT" and response.content == b""


def test_signed_in_users_never_get_cached_pages(client, site_tree, user):
    client.get("/news/schools/")
    client.force_login(user)
    response = client.get("/news/schools/")
    assert "X-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_publication_invalidates(client, site_tree):
    assert "Велопарк" not in client.get("/news/").content.decode()
    assert client.get("/news/")["X-Cache"] == "HIT"
    add_news(site_tree.news_index, title="Велопарк відкрито", summary="Новий велопарк.", slug="velo")
    response = client.get("/news/")
    assert response["X-Cache"] == "MISS" and "Велопарк відкрито" in response.content.decode()
    site_tree.pages["schools"].unpublish()
    assert client.get("/news/schools/").status_code == 404


def test_site_cache_clear_bumps_the_version(client, site_tree):
    client.get("/transport/")
    assert client.get("/transport/")["X-Cache"] == "HIT"
    site_cache_clear()
    assert client.get("/transport/")["X-Cache"] == "MISS"


@pytest.mark.parametrize("path", ["/office/login/", "/appeals/track/", "/appeals/new/", "/search/?q=бюджет",
                                  "/subscribe/", "/cms/"])
def test_forms_staff_and_search_are_never_cached(client, site_tree, path):
    client.get(path)
    response = client.get(path)
    assert response.get("X-Cache") is None


def test_404_is_not_cached(client, site_tree):
    client.get("/no-such-page/")
    assert client.get("/no-such-page/").get("X-Cache") is None


def _response(html: str, request, **headers) -> HttpResponse:
    response = HttpResponse(html)
    for name, value in headers.items():
        response[name] = value
    return response


def test_storable_rules():
    rf = RequestFactory()
    request = rf.get("/news/")
    assert request_is_cacheable(request)
    assert response_is_storable(request, _response("ok", request))
    assert not response_is_storable(request, _response("ok", request, **{"Cache-Control": "private"}))
    assert not response_is_storable(request, _response("ok", request, **{"Cache-Control": "no-store"}))
    assert not response_is_storable(request, _response("ok", request, Vary="User-Agent"))
    assert response_is_storable(request, _response("ok", request, Vary="Cookie, Accept-Encoding"))
    with_cookie = _response("ok", request)
    with_cookie.set_cookie("csrftoken", "x")
    assert not response_is_storable(request, with_cookie)
    assert not request_is_cacheable(rf.post("/news/"))
    assert not request_is_cacheable(rf.get("/news/", headers={"cookie": "sessionid=abc"}))
    assert not request_is_cacheable(rf.get("/news/", headers={"cookie": "messages=abc"}))
    assert request_is_cacheable(rf.get("/news/", headers={"cookie": "django_language=en"}))
    # A request that already had a CSRF cookie may have rendered its token without Set-Cookie.
    csrf_request = rf.get("/news/", headers={"cookie": "csrftoken=abc"})
    assert request_is_cacheable(csrf_request)
    assert not response_is_storable(csrf_request, _response("ok", csrf_request))


def test_a_page_that_used_the_csp_nonce_is_not_cached(client, settings):
    """A nonce is a per-response secret: a cached page would give every visitor the same one, and anyone
    who read it could run an injected script. Pages that used the nonce are therefore never stored;
    pages that did not have no nonce in their policy and load scripts as static files."""
    from django.middleware.csp import ContentSecurityPolicyMiddleware, get_nonce

    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">1</script>')
    plain = engines["django"].from_string('<script src="/static/x.js"></script>')
    rf = RequestFactory()

    def view_with(tpl):
        def view(request):
            return HttpResponse(tpl.render({"csp_nonce": get_nonce(request)}))
        return ContentSecurityPolicyMiddleware(view)

    for tpl, expect_cached in ((template, False), (plain, True)):
        site_cache_clear()
        middleware = AnonymousPageCacheMiddleware(view_with(tpl))
        first = middleware(rf.get("/x/"))
        second = middleware(rf.get("/x/"))
        if expect_cached:
            assert "'nonce-" not in first["Content-Security-Policy"]
            assert second["X-Cache"] == "HIT"
        else:
            assert "'nonce-" in first["Content-Security-Policy"]
            assert second.get("X-Cache") is None
            nonce1 = first["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
            nonce2 = second["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
            assert nonce1 != nonce2 and nonce2 in second.content.decode()


def test_language_cookie_is_part_of_the_key(client, site_tree):
    client.get("/transport/")
    client.cookies["django_language"] = "en"
    assert client.get("/transport/")["X-Cache"] == "MISS"
    assert client.get("/transport/")["X-Cache"] == "HIT"


def test_a_publication_in_another_process_is_seen_through_the_version_file(client, site_tree):
    """The embedded default has a memory cache per gunicorn worker: another worker's publication reaches
    this one through the version file's modification time."""
    from ratusha.website import cache as site_cache

    client.get("/transport/")
    assert client.get("/transport/")["X-Cache"] == "HIT"
    site_cache._touch_version_file()  # what site_cache_clear() in another process does to this machine
    assert client.get("/transport/")["X-Cache"] == "MISS"
    assert client.get("/transport/")["X-Cache"] == "HIT"
