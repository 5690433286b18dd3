"""The office search page."""

import pytest
from django.urls import reverse

from ratusha.registry.constants import AccessMark

pytestmark = pytest.mark.django_db

URL = "/office/search/"


def test_url_name():
    assert reverse("search:search") == URL


def test_login_required(client):
    response = client.get(URL, {"q": "рада"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_form_without_query(client, registrar):
    client.force_login(registrar)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert '<label for="id_q"' in html
    assert 'type="search"' in html and 'type="text" name="q"' not in html
    assert 'aria-live="polite"' in html
    assert "<mark>" not in html


def test_results_with_snippets_and_count(client, registrar, make_doc):
    doc = make_doc("Звернення <щодо> ремонту доріг", correspondent="Іван Петренко")
    make_doc("Секретне звернення щодо доріг", access=AccessMark.RESTRICTED, actor=registrar)
    client.force_login(registrar)
    response = client.get(URL, {"q": "дорога"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Знайдено 2 документи" in html or "Знайдено 2 документів" in html
    assert f'href="/office/documents/{doc.pk}/"' in html
    assert "<mark>доріг</mark>" in html
    assert "&lt;щодо&gt;" in html
    assert doc.reg_date.strftime("%d.%m.%Y") in html


def test_permissions_apply_on_the_page(client, executor, make_doc):
    make_doc("Секретне звернення щодо доріг", access=AccessMark.RESTRICTED)
    client.force_login(executor)
    html = client.get(URL, {"q": "доріг"}).content.decode()
    assert "Секретне" not in html
    assert "Нічого не знайдено" in html


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "*", "-", "рада:(", "%", "<script>", "x" * 999])
def test_junk_never_500(client, registrar, query):
    client.force_login(registrar)
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_bad_filters_show_errors(client, registrar):
    client.force_login(registrar)
    response = client.get(URL, {"q": "рада", "date_from": "32.13.2024", "journal": "nope",
                                "kind": "bogus"})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"date_from", "journal", "kind"} <= set(form.errors)
    assert response.context["results"] is None


def test_filters_and_pagination(client, registrar, make_doc, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        make_doc(f"Протокол № {i}", correspondent="Комісія з питань освіти" if i % 2 else "Інша")
    client.force_login(registrar)
    response = client.get(URL, {"q": "протоколи", "page": "2"})
    assert response.context["results"].total == 5
    assert response.context["page_obj"].number == 2
    assert len(response.context["results"].hits) == 2
    html = response.content.decode()
    assert 'class="pagination"' in html
    assert "page=3" in html and "q=" in html
    last = client.get(URL, {"q": "протоколи", "page": "99"})
    assert last.context["page_obj"].number == 3
    assert len(last.context["results"].hits) == 1
    filtered = client.get(URL, {"q": "протоколи", "correspondent": "освіти"})
    assert filtered.context["results"].total == 2


def test_more_than_the_count_limit_is_announced(client, registrar, make_doc, monkeypatch):
    from ratusha.search import selectors

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    for i in range(3):
        make_doc(f"Довідка № {i}")
    client.force_login(registrar)
    html = client.get(URL, {"q": "довідки"}).content.decode()
    assert "Знайдено понад 2" in html
