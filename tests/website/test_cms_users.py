"""Deleting a person at /cms/users/: one the office's records point at is kept with a clear message (it used to
be a server error — ProtectedError — found by the access matrix); one without records is deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.factories import EmployeeFactory, UserFactory
from tests.orgs.conftest import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    return login_verified(client, UserFactory(username="cms-root", is_superuser=True, is_staff=True))


def test_a_person_with_records_is_not_deleted_and_the_reason_is_given(superuser_client):
    person = EmployeeFactory(roles=["executor"]).user  # the employment protects the user
    response = superuser_client.post(f"/cms/users/delete/{person.pk}/", follow=True)
    assert response.status_code == 200
    assert "Цю особу не можна видалити" in response.content.decode()
    assert get_user_model().objects.filter(pk=person.pk).exists()


def test_a_person_without_records_is_deleted(superuser_client):
    person = UserFactory(username="cms-nobody")
    response = superuser_client.post(f"/cms/users/delete/{person.pk}/")
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=person.pk).exists()


def test_a_copy_or_edit_form_sent_incomplete_is_a_bad_request_not_a_server_error(superuser_client):
    """Regression (access matrix): Wagtail read ``new_parent_page`` / ``body-count`` unguarded → 500."""
    from wagtail.models import Page

    page = Page.objects.filter(depth=2).first()
    for path in (f"/cms/pages/{page.pk}/copy/", f"/cms/pages/{page.pk}/edit/"):
        response = superuser_client.post(path, {})
        assert response.status_code == 400, path
        assert "Форму надіслано не повністю" in response.content.decode()
