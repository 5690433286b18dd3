"""Office pages of approvals: status codes, permissions (404 for outsiders), forms that keep input."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratusha.core.models import AuditEvent
from ratusha.registry.models import Document
from ratusha.workflow.approvals import services as svc
from ratusha.workflow.approvals.constants import Decision, DraftStatus
from ratusha.workflow.approvals.models import Draft, RouteTask, RouteTemplate
from tests.approvals.conftest import make_pdf, totp_code
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def login(client, user, device=None):
    client.force_login(user)
    if device is not None:  # the second factor was entered at sign-in
        from django_otp import DEVICE_ID_SESSION_KEY

        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def draft_url(draft, name="draft", **extra):
    return reverse(f"approvals:{name}", kwargs={"pk": draft.pk, **extra})


def current_task(draft, user):
    return RouteTask.objects.filter(route__draft=draft, approver=user).order_by("-route__round").first()


def visa_all(world, draft):
    for user in (world.unit_head, world.lawyer, world.finance):
        draft.refresh_from_db()
        svc.route_task_decide(actor=user, task=current_task(draft, user), decision=Decision.APPROVED,
                              sha256=draft.current_sha256)
    draft.refresh_from_db()


# --- Lists and access ---------------------------------------------------------------------------------


def test_index_lists_my_tasks_and_drafts(client, world, started):
    page = login(client, world.unit_head).get(reverse("approvals:index"))
    assert page.status_code == 200
    assert "Про ремонт тротуару" in page.content.decode()
    assert "Зараз нічого не чекає" not in page.content.decode()
    page = login(client, world.lawyer).get(reverse("approvals:index"))
    assert "Зараз нічого не чекає на ваше рішення" in page.content.decode()  # stage 2 is not current yet
    page = login(client, world.author).get(reverse("approvals:index"))
    body = page.content.decode()
    assert "Про ремонт тротуару" in body and "На погодженні" in body


@pytest.mark.parametrize("who, status", [
    ("author", 200), ("unit_head", 200), ("lawyer", 200), ("signer", 200), ("registrar", 200),
    ("outsider", 404), ("colleague", 404)])
def test_draft_page_access(client, world, started, who, status):
    user = EmployeeFactory(organisation=world.org, roles=["executor"]).user if who == "colleague" \
        else getattr(world, who)
    assert login(client, user).get(draft_url(started)).status_code == status
    version = started.current_version
    assert client.get(reverse("approvals:version_download", args=[version.pk])).status_code == status


def test_anonymous_is_sent_to_login(client, started):
    response = client.get(draft_url(started))
    assert response.status_code == 302 and "/office/login/" in response["Location"]


def test_outsider_cannot_post_decisions(client, world, started):
    task = current_task(started, world.unit_head)
    response = login(client, world.outsider).post(
        draft_url(started, "decide", task_pk=task.pk), {"decision": "approved", "sha256": started.current_sha256})
    assert response.status_code == 404
    assert current_task(started, world.unit_head).decision == Decision.PENDING


# --- New draft ------------------------------------------------------------------------------------------


def test_new_draft_form_keeps_input_and_the_file(client, world):
    login(client, world.author)
    assert client.get(reverse("approvals:new")).status_code == 200
    pdf = SimpleUploadedFile("Лист.pdf", make_pdf("new"), content_type="application/pdf")
    response = client.post(reverse("approvals:new"), {
        "journal": world.journal.pk, "kind": "letter", "summary": "Про встановлення лавок у сквері",
        "addressee": "", "access": "internal", "file": pdf})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Вкажіть адресата листа." in body
    assert "Про встановлення лавок у сквері" in body and "Лист.pdf" in body
    token = re.search(r'name="staged" value="([^"]+)"', body).group(1)
    response = client.post(reverse("approvals:new"), {
        "journal": world.journal.pk, "kind": "letter", "summary": "Про встановлення лавок у сквері",
        "addressee": "КП «Зеленбуд»", "access": "internal", "staged": token})
    draft = Draft.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(draft_url(draft))
    assert draft.current_version.name == "Лист.pdf" and draft.addressee == "КП «Зеленбуд»"


def test_new_draft_without_file_and_with_a_bad_file(client, world):
    login(client, world.author)
    data = {"journal": world.journal.pk, "kind": "letter", "summary": "Про щось важливе", "addressee": "ТОВ",
            "access": "internal"}
    response = client.post(reverse("approvals:new"), data)
    assert response.status_code == 400 and "Додайте файл проєкту." in response.content.decode()
    bad = SimpleUploadedFile("virus.pdf", b"\x00\x01\x02binary", content_type="application/pdf")
    response = client.post(reverse("approvals:new"), {**data, "file": bad})
    assert response.status_code == 400 and "недозволений тип" in response.content.decode()
    assert not Draft.objects.exists()


def test_new_draft_sent_empty_is_a_form_with_errors(client, world):
    """Regression: an empty POST left the form unbound and adding the file error crashed (500)."""
    login(client, world.author)
    response = client.post(reverse("approvals:new"), {})
    assert response.status_code == 400
    assert "Додайте файл проєкту." in response.content.decode()
    assert not Draft.objects.exists()


# --- Start, decide, sign --------------------------------------------------------------------------------


def test_start_route_from_the_page(client, world, new_draft):
    draft = new_draft()
    login(client, world.author)
    page = client.get(draft_url(draft))
    assert page.status_code == 200 and "Лист: стандартний" in page.content.decode()
    finance_step = world.template.steps.get(user=world.finance)
    data = {"template": world.template.pk, "draft_version": draft.version,
            "extra_user_1": world.registrar.pk, "extra_stage_1": "new"}
    for step in world.template.steps.filter(kind="visa").exclude(pk=finance_step.pk):
        data[f"keep_{step.pk.hex}"] = "on"
    response = client.post(draft_url(draft, "start"), data)
    assert response.status_code == 302
    tasks = [(t.stage, t.approver.username) for t in RouteTask.objects.filter(route__draft=draft)
             .order_by("stage", "position")]
    assert tasks == [(1, "unithead"), (2, "lawyer"), (3, "clerk"), (4, "mayor")]


def test_start_with_a_stale_page_is_refused(client, world, new_draft):
    draft = new_draft()
    login(client, world.author)
    response = client.post(draft_url(draft, "start"), {"template": world.template.pk,
                                                       "draft_version": draft.version - 1})
    assert response.status_code == 400
    assert "щойно змінив інший користувач" in response.content.decode()


def test_reject_needs_a_reason_and_keeps_what_was_typed(client, world, started):
    login(client, world.unit_head)
    task = current_task(started, world.unit_head)
    response = client.post(draft_url(started, "decide", task_pk=task.pk),
                           {"decision": "rejected", "comment": "", "sha256": started.current_sha256})
    assert response.status_code == 400
    assert "Вкажіть причину, з якої ви не погоджуєте проєкт." in response.content.decode()
    response = client.post(draft_url(started, "decide", task_pk=task.pk),
                           {"decision": "rejected", "comment": "Не той адресат", "sha256": started.current_sha256})
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == DraftStatus.RETURNED
    page = login(client, world.author).get(draft_url(started))
    assert "Не той адресат" in page.content.decode() and "повернуто на доопрацювання" in page.content.decode()


def test_visa_on_a_changed_document_shows_the_message(client, world, started):
    seen = started.current_sha256
    svc.draft_version_add(actor=world.author, draft=started, name="v2.pdf", content=make_pdf("v2"))
    old_task = RouteTask.objects.get(route__draft=started, route__round=1, approver=world.unit_head)
    login(client, world.unit_head)
    response = client.post(draft_url(started, "decide", task_pk=old_task.pk),
                           {"decision": "approved_with_remarks", "comment": "Мої зауваження", "sha256": seen})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Документ змінено після того, як ви його відкрили: перегляньте нову версію." in body
    assert "Мої зауваження" in body
    assert not RouteTask.objects.filter(route__draft=started, decision__in=["approved", "approved_with_remarks"]
                                        ).exists()


def test_sign_page_without_a_device_links_to_setup(client, world, started):
    visa_all(world, started)
    page = login(client, world.signer).get(draft_url(started))
    body = page.content.decode()
    assert page.status_code == 200 and reverse("core:otp_setup") in body
    assert 'name="token"' not in body


def test_sign_from_the_page_registers_and_the_card_shows_visas(client, world, started, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    visa_all(world, started)
    login(client, world.signer, device)
    task = current_task(started, world.signer)
    page = client.get(draft_url(started))
    assert page.status_code == 200 and 'name="token"' in page.content.decode()
    response = client.post(draft_url(started, "sign", task_pk=task.pk),
                           {"token": "000000" if totp_code(device) != "000000" else "111111",
                            "sha256": started.current_sha256})
    assert response.status_code == 400 and "Код не підходить" in response.content.decode()
    response = client.post(draft_url(started, "sign", task_pk=task.pk),
                           {"token": totp_code(device), "sha256": started.current_sha256})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:document", args=[document.pk])
    card = client.get(response["Location"])
    body = card.content.decode()
    assert card.status_code == 200
    assert "05-12/1" in body and "Погодження та підпис" in body
    assert world.finance.full_name in body and world.signer.full_name in body
    assert "Лист Шляхбуду.pdf" in body and started.current_sha256 in body
    # The author sees the card too, with the panel.
    card = login(client, world.author).get(reverse("registry:document", args=[document.pk]))
    assert card.status_code == 200 and "Погодження та підпис" in card.content.decode()


def test_upload_new_version_from_the_page(client, world, started):
    svc.route_task_decide(actor=world.unit_head, task=current_task(started, world.unit_head),
                          decision=Decision.APPROVED, sha256=started.current_sha256)
    login(client, world.author)
    response = client.post(draft_url(started, "version_add"), {
        "file": SimpleUploadedFile("v2.pdf", make_pdf("v2"), content_type="application/pdf"),
        "comment": "Виправлено", "base_number": 1})
    assert response.status_code == 302
    page = client.get(draft_url(started))
    body = page.content.decode()
    assert "Віза недійсна: документ змінено" in body and "Попереднє коло" in body
    response = client.post(draft_url(started, "version_add"), {
        "file": SimpleUploadedFile("v3.pdf", make_pdf("v3"), content_type="application/pdf"), "base_number": 1})
    assert response.status_code == 400 and "з&#x27;явилася версія 2" in response.content.decode()
    response = client.post(draft_url(started, "version_add"), {"comment": "без файлу"})
    assert response.status_code == 400 and "Оберіть файл." in response.content.decode()


def test_only_the_author_sees_author_actions(client, world, started):
    body = login(client, world.registrar).get(draft_url(started)).content.decode()
    assert "Дії автора" not in body
    response = client.post(draft_url(started, "withdraw"), {"reason": "", "draft_version": started.version})
    assert response.status_code == 403
    login(client, world.author)
    response = client.post(draft_url(started, "withdraw"), {"reason": "Не потрібно",
                                                            "draft_version": started.version})
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == DraftStatus.WITHDRAWN


# --- Templates ----------------------------------------------------------------------------------------


def test_templates_pages_for_heads_and_admins(client, world):
    login(client, world.signer)
    assert client.get(reverse("approvals:templates")).status_code == 200
    assert client.get(reverse("approvals:template", args=[world.template.pk])).status_code == 200
    response = client.post(reverse("approvals:template_new"), {"organisation": world.org.pk, "name": "",
                                                               "kind": "order"})
    assert response.status_code == 400 and "Вкажіть назву шаблону." in response.content.decode()
    response = client.post(reverse("approvals:template_new"), {"organisation": world.org.pk,
                                                               "name": "Розпорядження", "kind": "order"})
    template = RouteTemplate.objects.get(name="Розпорядження")
    assert response.status_code == 302
    add = reverse("approvals:template_step_add", args=[template.pk])
    response = client.post(add, {"stage": 1, "kind": "visa", "approver_kind": "user", "user": ""})
    assert response.status_code == 400 and "Оберіть працівника." in response.content.decode()
    assert client.post(add, {"stage": 1, "kind": "visa", "approver_kind": "unit_head"}).status_code == 302
    assert client.post(add, {"stage": 2, "kind": "sign", "approver_kind": "user",
                             "user": world.signer.pk}).status_code == 302
    response = client.post(add, {"stage": 3, "kind": "visa", "approver_kind": "user", "user": world.lawyer.pk})
    assert response.status_code == 400 and "Візи мають передувати підписанню" in response.content.decode()
    step = template.steps.get(kind="visa")
    assert client.post(reverse("approvals:template_step_remove", args=[template.pk, step.pk])).status_code == 302
    assert template.steps.count() == 1
    assert AuditEvent.objects.filter(object_id=str(template.pk), action__startswith="route_template.").count() == 4


def test_templates_closed_to_others(client, world):
    login(client, world.author)
    assert client.get(reverse("approvals:templates")).status_code == 403
    assert client.get(reverse("approvals:template", args=[world.template.pk])).status_code == 404
    login(client, world.outsider)
    assert client.get(reverse("approvals:template", args=[world.template.pk])).status_code == 404
    response = client.post(reverse("approvals:template_step_add", args=[world.template.pk]),
                           {"stage": 1, "kind": "visa", "approver_kind": "unit_head"})
    assert response.status_code == 404


def test_malformed_ids_are_404(client, world):
    login(client, world.author)
    assert client.get("/office/approvals/drafts/not-a-uuid/").status_code == 404
    assert client.get(f"/office/approvals/drafts/{world.org.pk}/").status_code == 404


def test_late_decision_after_the_round_ended_shows_why(client, world, started):
    svc.route_task_decide(actor=world.unit_head, task=current_task(started, world.unit_head),
                          decision=Decision.REJECTED, comment="Ні", sha256=started.current_sha256)
    task = current_task(started, world.lawyer)
    login(client, world.lawyer)
    response = client.post(draft_url(started, "decide", task_pk=task.pk),
                           {"decision": "approved", "sha256": started.current_sha256})
    assert response.status_code == 400
    assert "Погодження цього проєкту вже завершено або перезапущено" in response.content.decode()
