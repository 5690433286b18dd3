"""The 404 page: public look with search and main sections for the site, office look for the office."""

import pytest

pytestmark = pytest.mark.django_db


def test_public_404_helps(client, site_tree):
    response = client.get("/news/byudzhet-mista-2030/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Сторінку не знайдено" in html
    assert 'action="/search/"' in html and 'name="q"' in html
    assert 'value="byudzhet mista"' in html  # words of the address as a starting query
    for href in ('href="/"', 'href="/appeals/"', 'href="/decisions/"'):
        assert href in html
    assert 'class="site-header"' in html  # the public layout


def test_office_404_keeps_the_office_look(client, db):
    response = client.get("/office/no-such-thing/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' not in html and "До робочого кабінету" in html
