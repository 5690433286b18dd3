"""/django-admin/login/: sign-in happens in the office; a superuser who has already passed the code goes straight
on (found by the access matrix: they were sent to the office login again), and only to this site."""

from __future__ import annotations

import pytest

from tests.factories import EmployeeFactory, UserFactory
from tests.orgs.conftest import login_verified

pytestmark = pytest.mark.django_db


def test_verified_superuser_goes_straight_to_the_admin(client):
    login_verified(client, UserFactory(username="adm-root", is_superuser=True, is_staff=True))
    response = client.get("/django-admin/login/?next=/django-admin/orgs/user/")
    assert response.status_code == 302 and response["Location"] == "/django-admin/orgs/user/"
    response = client.get("/django-admin/login/?next=https://evil.example/")
    assert response["Location"] == "/django-admin/"


def test_anonymous_and_non_superusers_are_sent_on_as_before(client):
    response = client.get("/django-admin/login/")
    assert response["Location"].startswith("/office/login/?next=")
    login_verified(client, EmployeeFactory(roles=["admin"]).user)
    assert client.get("/django-admin/login/")["Location"] == "/office/"
