import pytest
from django.urls import reverse
from django.utils import timezone

from ratusha.orgs.models import Delegation, Employee, User
from tests.factories import EmployeeFactory, UnitFactory
from tests.orgs.conftest import login_verified

pytestmark = pytest.mark.django_db

IMPORT_URL = "/office/staff/import/"
CSV = ("прізвище;ім'я;по батькові;логін;e-mail;телефон;підрозділ;посада;ролі\n"
       "Коваленко;Олена;Іванівна;o.kovalenko;o.k@example.org;;02;Головний спеціаліст;виконавець\n")


def upload(client, org, content, name="staff.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(IMPORT_URL, {"action": "check", "organisation": str(org.pk),
                                    "file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_urls_resolve():
    assert reverse("orgs:import") == IMPORT_URL
    assert reverse("orgs:staff") == "/office/staff/"


def test_import_page_dry_run_then_apply(admin_client, org):
    UnitFactory(organisation=org, code="02")
    assert admin_client.get(IMPORT_URL).status_code == 200
    response = upload(admin_client, org, CSV.encode("cp1251"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "o.kovalenko" in page and "Новий працівник" in page and "cp1251" in page
    assert not User.objects.filter(username="o.kovalenko").exists()
    token = response.context["token"]
    response = admin_client.post(IMPORT_URL, {"action": "apply", "token": token})
    assert response.status_code == 302
    assert Employee.objects.get(user__username="o.kovalenko").organisation == org
    # The same token cannot be applied twice.
    response = admin_client.post(IMPORT_URL, {"action": "apply", "token": token})
    assert response.status_code == 302
    assert User.objects.filter(username="o.kovalenko").count() == 1


def test_import_page_shows_errors_per_line_and_no_apply_button(admin_client, org):
    content = (CSV + "Шевчук;;;p.s;bad@;;77;;космонавт\n").encode()
    response = upload(admin_client, org, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Не вказано ім&#x27;я" in page or "Не вказано ім'я" in page
    assert "Невідомий код підрозділу «77»" in page and "Невідома роль «космонавт»" in page
    assert 'value="apply"' not in page
    report = response.context["report"]
    assert {e.line for e in report.errors} == {2, 3}  # unit 02 does not exist here either


def test_import_garbage_file_is_not_500(admin_client, org):
    response = upload(admin_client, org, bytes(range(256)) * 50, name="photo.jpg")
    assert response.status_code == 200
    assert "не схожий на текстовий CSV" in response.content.decode()


def test_import_apply_with_stale_token(admin_client):
    response = admin_client.post(IMPORT_URL, {"action": "apply", "token": "forged"})
    assert response.status_code == 302 and response.url == IMPORT_URL


def test_import_forbidden_for_non_admin(client, registrar):
    client.force_login(registrar)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"action": "apply", "token": "x"}).status_code == 403


def test_import_into_foreign_org_refused(admin_client, outsider):
    foreign = outsider.employments.get().organisation
    response = upload(admin_client, foreign, CSV.encode())
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not User.objects.filter(username="o.kovalenko").exists()


def test_import_needs_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/office/login/" in response.url


def test_admin_without_second_factor_is_sent_to_otp(client, org_admin):
    client.force_login(org_admin)
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/office/otp/" in response.url


def test_staff_list(client, org, registrar, executor, outsider):
    client.force_login(registrar)
    response = client.get("/office/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert executor.username in page and outsider.username not in page
    response = client.get("/office/staff/", {"org": str(outsider.employments.get().organisation_id)})
    assert response.status_code == 404
    response = client.get("/office/staff/", {"org": "garbage"})
    assert response.status_code == 404
    response = client.get("/office/staff/", {"role": "executor", "q": executor.last_name})
    assert [e.user for e in response.context["page_obj"]] == [executor]


def test_structure_page(client, org, registrar):
    UnitFactory(organisation=org, code="01", name="Загальний відділ")
    client.force_login(registrar)
    response = client.get("/office/staff/structure/")
    assert response.status_code == 200 and "Загальний відділ" in response.content.decode()


def test_delegation_pages(admin_client, org, registrar, executor):
    from django.test import Client

    principal = Employee.objects.get(user=registrar)
    today = timezone.localdate().strftime("%d.%m.%Y")
    response = admin_client.post(f"/office/staff/delegations/?org={org.pk}", {
        "principal": str(principal.pk), "deputy": str(executor.pk), "start": today, "end": today,
        "reason": "Відпустка"})
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    # Overlap: the form is re-rendered with the message.
    response = admin_client.post(f"/office/staff/delegations/?org={org.pk}", {
        "principal": str(principal.pk), "deputy": str(executor.pk), "start": today, "end": today})
    assert response.status_code == 200 and "уже призначено" in response.content.decode()
    other = Client()
    other.force_login(EmployeeFactory(organisation=org, roles=["executor"]).user)
    page = other.get(f"/office/staff/delegations/?org={org.pk}")
    assert page.status_code == 200 and page.context["form"] is None  # no form for non-admins
    assert other.post(f"/office/staff/delegations/{delegation.pk}/revoke/").status_code == 403
    response = admin_client.post(f"/office/staff/delegations/{delegation.pk}/revoke/")
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_revoke_foreign_delegation_is_404(client, outsider, org, registrar):
    from ratusha.orgs import services

    delegation = services.delegation_create(actor=None, principal=Employee.objects.get(user=registrar),
                                            deputy=EmployeeFactory(organisation=org).user,
                                            start=timezone.localdate(), end=timezone.localdate())
    login_verified(client, outsider)
    assert client.post(f"/office/staff/delegations/{delegation.pk}/revoke/").status_code == 404
