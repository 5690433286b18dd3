"""Office pages: status codes, who may open what, forms that keep the input, conflicts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ratusha.workflow.constants import AssignmentStatus, ResolutionStatus
from ratusha.workflow.models import Assignment, Resolution
from ratusha.workflow.services import assignment_accept, assignment_report, assignment_subassign
from tests.registry.conftest import make_pdf
from tests.workflow.conftest import fresh, top


def _login(client, user):
    client.force_login(user)
    return client


def _resolve_url(doc):
    return reverse("workflow:resolve", args=[doc.pk])


# --- The resolution form -----------------------------------------------------------------------------


def test_resolution_form_for_the_head(client, council, doc):
    page = _login(client, council.head).get(_resolve_url(doc))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Накласти резолюцію" in html and doc.summary in html
    assert (
        "підрозділ: Відділ благоустрою (керівнику)" in html
        and "Бондар П. — Начальник відділу благоустрою" in html
    )
    expected = timezone.localdate()
    assert "Терміново (3 робочі дні) — до" in html and 'name="deadline_kind"' in html
    assert expected.strftime("%Y") in html


@pytest.mark.parametrize("who,status", [("worker_a", 403), ("controller", 403), ("outsider", 404)])
def test_resolution_form_is_refused(client, council, doc, who, status):
    assert _login(client, getattr(council, who)).get(_resolve_url(doc)).status_code == status


def test_post_a_resolution(client, council, doc):
    response = _login(client, council.deputy).post(
        _resolve_url(doc),
        {
            "text": "Підготувати відповідь до 10 грудня",
            "responsible": f"d:{council.units['02'].pk}",
            "co_executors": [f"u:{council.chief_b.pk}"],
            "deadline_kind": "control-urgent",
            "on_control": "on",
            "controller": str(council.controller.pk),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("registry:document", args=[doc.pk])
    res = Resolution.objects.get()
    assert (
        res.author == council.head
        and res.written_by == council.deputy
        and res.controller == council.controller
    )
    assert [a.assignee for a in res.assignments.order_by("created_at")] == [council.chief_a, council.chief_b]
    card = client.get(reverse("registry:document", args=[doc.pk]))
    html = card.content.decode()
    assert "Резолюції та доручення" in html and "Підготувати відповідь до 10 грудня" in html
    assert "Бондар П." in html and "Савчук О." in html and "workflow/workflow.css" in html


def test_bad_resolution_input_keeps_what_was_typed(client, council):
    doc = council.register(reg_date=timezone.localdate() - dt.timedelta(days=3))
    response = _login(client, council.head).post(
        _resolve_url(doc),
        {
            "text": "Розглянути й доповісти",
            "responsible": f"u:{council.chief_a.pk}",
            "deadline_kind": "date",
            "deadline_date": (doc.reg_date - dt.timedelta(days=1)).strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "не може бути раніше дати реєстрації" in html and "Розглянути й доповісти" in html
    assert f'value="u:{council.chief_a.pk}" selected' in html
    response = client.post(
        _resolve_url(doc), {"text": "", "responsible": "", "deadline_kind": "control-default"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Вкажіть текст резолюції." in html
    assert "Оберіть відповідального виконавця." in html
    response = client.post(
        _resolve_url(doc),
        {"text": "x", "responsible": f"d:{council.units['05'].pk}", "deadline_kind": "control-default"},
    )
    assert response.status_code == 400 and "немає керівника" in response.content.decode()
    response = client.post(
        _resolve_url(doc),
        {
            "text": "x",
            "responsible": "u:not-a-uuid",
            "deadline_kind": "nonsense",
            "deadline_date": "32.13.2026",
        },
    )
    assert response.status_code == 400
    assert not Resolution.objects.exists()


def test_restricted_card_executor_without_access(client, council):
    doc = council.register(access="restricted")
    response = _login(client, council.head).post(
        _resolve_url(doc),
        {"text": "Опрацювати", "responsible": f"u:{council.worker_b.pk}", "deadline_kind": "control-default"},
    )
    assert response.status_code == 400 and "не має доступу до документа" in response.content.decode()


def test_card_panel_button_only_for_heads(client, council, doc):
    url = reverse("registry:document", args=[doc.pk])
    assert _resolve_url(doc) in _login(client, council.head).get(url).content.decode()
    assert _resolve_url(doc) not in _login(client, council.worker_a).get(url).content.decode()


# --- Assignments ---------------------------------------------------------------------------------------


@pytest.fixture
def assignment(council, resolve):
    return top(resolve(on_control=True, controller=council.controller))


def _page(assignment):
    return reverse("workflow:assignment", args=[assignment.pk])


@pytest.mark.parametrize(
    "who,status",
    [
        ("chief_a", 200),
        ("head", 200),
        ("deputy", 200),
        ("controller", 200),
        ("worker_a", 404),
        ("chief_b", 404),
        ("outsider", 404),
    ],
)
def test_who_opens_the_assignment_page(client, council, assignment, who, status):
    assert _login(client, getattr(council, who)).get(_page(assignment)).status_code == status


def test_actions_accept_report_done(client, council, assignment):
    c = _login(client, council.chief_a)
    html = c.get(_page(assignment)).content.decode()
    assert "Прийняти до виконання" in html and 'name="expected_version" value="1"' in html
    response = c.post(reverse("workflow:accept", args=[assignment.pk]), {"expected_version": "1"})
    assert response.status_code == 302 and fresh(assignment).status == AssignmentStatus.ACCEPTED
    response = c.post(
        reverse("workflow:report", args=[assignment.pk]),
        {
            "expected_version": "2",
            "report_text": "Відповідь надіслано",
            "link_query": "",
            "report_file": _upload("звіт.pdf", make_pdf()),
        },
    )
    assert response.status_code == 302
    a = fresh(assignment)
    assert a.status == AssignmentStatus.REPORTED and a.report_file_name == "звіт.pdf"
    download = c.get(reverse("workflow:report_file", args=[a.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert (
        _login(client, council.outsider).get(reverse("workflow:report_file", args=[a.pk])).status_code == 404
    )
    c = _login(client, council.controller)
    response = c.post(
        reverse("workflow:accept_report", args=[a.pk]), {"expected_version": "3", "accept_note": ""}
    )
    assert response.status_code == 302 and fresh(a).status == AssignmentStatus.DONE
    history = c.get(_page(a)).content.decode()
    assert "Звіт прийнято, доручення виконано" in history and "Подано звіт" in history


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_stale_form_shows_the_current_state_and_keeps_the_text(client, council, assignment):
    assignment_accept(actor=council.chief_a, assignment=assignment, expected_version=1)
    c = _login(client, council.chief_a)
    response = c.post(
        reverse("workflow:report", args=[assignment.pk]),
        {"expected_version": "1", "report_text": "Мій довгий звіт про виконання", "link_query": ""},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Доручення щойно змінив інший користувач" in html and "Мій довгий звіт про виконання" in html
    assert 'name="expected_version" value="2"' in html and "Прийнято до виконання" in html
    assert fresh(assignment).status == AssignmentStatus.ACCEPTED
    response = c.post(
        reverse("workflow:report", args=[assignment.pk]),
        {"expected_version": "2", "report_text": "Мій довгий звіт про виконання", "link_query": ""},
    )
    assert response.status_code == 302 and fresh(assignment).status == AssignmentStatus.REPORTED


def test_bad_report_input(client, council, assignment):
    assignment_accept(actor=council.chief_a, assignment=assignment, expected_version=1)
    c = _login(client, council.chief_a)
    response = c.post(
        reverse("workflow:report", args=[assignment.pk]),
        {
            "expected_version": "2",
            "report_text": "Ось звіт",
            "link_query": "nonexistent-999",
            "report_file": _upload("звіт.pdf", b"MZ\x90\x00not a pdf"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and "не знайдено серед доступних вам" in html and "Ось звіт" in html
    response = c.post(
        reverse("workflow:report", args=[assignment.pk]),
        {
            "expected_version": "2",
            "report_text": "Ось звіт",
            "link_query": "",
            "report_file": _upload("звіт.pdf", b"MZ\x90\x00not a pdf"),
        },
    )
    assert response.status_code == 400 and "недозволений тип" in response.content.decode()
    response = c.post(
        reverse("workflow:report", args=[assignment.pk]), {"expected_version": "2", "report_text": ""}
    )
    assert response.status_code == 400 and "Опишіть, що зроблено" in response.content.decode()
    assert fresh(assignment).status == AssignmentStatus.ACCEPTED


def test_outsiders_cannot_act(client, council, assignment):
    for who, status in (("outsider", 404), ("worker_a", 404)):
        response = _login(client, getattr(council, who)).post(
            reverse("workflow:accept", args=[assignment.pk]), {"expected_version": "1"}
        )
        assert response.status_code == status
    # The controller may open the page but is not the executor.
    response = _login(client, council.controller).post(
        reverse("workflow:accept", args=[assignment.pk]), {"expected_version": "1"}
    )
    assert response.status_code == 403
    assert fresh(assignment).status == AssignmentStatus.ISSUED


def test_subassign_and_deadline_request_pages(client, council, assignment):
    c = _login(client, council.chief_a)
    html = c.get(_page(assignment)).content.decode()
    assert "Доручити працівнику" in html and "Ткачук М." in html and "Левчук" not in html
    response = c.post(
        reverse("workflow:subassign", args=[assignment.pk]),
        {
            "expected_version": "1",
            "sub_assignee": f"u:{council.worker_a.pk}",
            "sub_role": "responsible",
            "sub_text": "Підготуйте довідку",
            "sub_deadline": (assignment.deadline + dt.timedelta(days=3)).strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 400 and "не може бути пізнішим" in response.content.decode()
    assert "Підготуйте довідку" in response.content.decode()
    response = c.post(
        reverse("workflow:subassign", args=[assignment.pk]),
        {
            "expected_version": "1",
            "sub_assignee": f"u:{council.worker_a.pk}",
            "sub_role": "responsible",
            "sub_text": "Підготуйте довідку",
            "sub_deadline": "",
        },
    )
    assert response.status_code == 302
    child = Assignment.objects.get(parent=assignment)
    assert child.assignee == council.worker_a and child.deadline == assignment.deadline
    response = c.post(
        reverse("workflow:deadline_request", args=[assignment.pk]),
        {
            "proposed_deadline": (assignment.deadline + dt.timedelta(days=7)).strftime("%d.%m.%Y"),
            "deadline_reason": "Чекаємо відповідь з області",
        },
    )
    assert response.status_code == 302
    request = assignment.deadline_requests.get()
    c = _login(client, council.head)
    html = c.get(_page(assignment)).content.decode()
    assert "Чекаємо відповідь з області" in html and "Зберегти рішення" in html
    response = c.post(
        reverse("workflow:deadline_decide", args=[request.pk]), {"decision": "reject", "decision_note": ""}
    )
    assert response.status_code == 400 and "Поясніть, чому строк не змінюється." in response.content.decode()
    response = c.post(reverse("workflow:deadline_decide", args=[request.pk]), {"decision": "approve"})
    assert response.status_code == 302 and fresh(assignment).deadline == request.proposed_deadline
    assert (
        _login(client, council.chief_a)
        .post(reverse("workflow:deadline_decide", args=[request.pk]), {"decision": "approve"})
        .status_code
        == 403
    )


def test_my_assignments_page(client, council, assignment):
    html = _login(client, council.chief_a).get(reverse("workflow:home")).content.decode()
    assert "Мої доручення" in html and "Нові — прийняти до виконання" in html
    assert _page(assignment) in html
    html = _login(client, council.worker_b).get(reverse("workflow:home")).content.decode()
    assert _page(assignment) not in html and "Нових доручень немає." in html


def test_resolution_page_close_and_revoke(client, council, doc, assignment):
    res = assignment.resolution
    url = reverse("workflow:resolution", args=[res.pk])
    assert _login(client, council.outsider).get(url).status_code == 404
    html = _login(client, council.chief_a).get(url).content.decode()
    assert "Зняти з контролю" not in html
    c = _login(client, council.controller)
    assert "Зняти з контролю" in c.get(url).content.decode()
    response = c.post(
        reverse("workflow:resolution_close", args=[res.pk]),
        {
            "expected_version": "1",
            "result": "Вирішено",
            "executed_on": "",
            "answer_index": "",
            "early_reason": "",
        },
    )
    assert response.status_code == 400 and "вкажіть причину" in response.content.decode()
    response = c.post(
        reverse("workflow:resolution_close", args=[res.pk]),
        {
            "expected_version": "1",
            "result": "Вирішено",
            "executed_on": "",
            "answer_index": "12/3",
            "early_reason": "Питання знято заявником",
        },
    )
    assert response.status_code == 302 and fresh(res).status == ResolutionStatus.CLOSED
    doc = fresh(doc)
    assert doc.status == "executed" and doc.answer_index == "12/3"
    assert (
        _login(client, council.chief_a)
        .post(
            reverse("workflow:resolution_revoke", args=[res.pk]),
            {"expected_version": "2", "revoke_reason": "x"},
        )
        .status_code
        == 403
    )


def test_resolution_close_conflict_keeps_the_text(client, council, assignment):
    res = assignment.resolution
    c = _login(client, council.controller)
    response = c.post(
        reverse("workflow:resolution_close", args=[res.pk]),
        {"expected_version": "7", "result": "Мій результат", "early_reason": "Причина"},
    )
    assert response.status_code == 409
    assert "Мій результат" in response.content.decode() and "щойно змінив" in response.content.decode()


# --- The board ---------------------------------------------------------------------------------------


def test_board_page_and_filters(client, council, assignment):
    assignment_subassign(
        actor=council.chief_a,
        assignment=assignment,
        expected_version=1,
        assignee=council.worker_a,
        text="Опрацюйте",
    )
    c = _login(client, council.controller)
    url = reverse("workflow:control")
    html = c.get(url).content.decode()
    assert "Контроль виконання" in html and "За підрозділами" in html and "Ткачук М." in html
    html = c.get(url, {"unit": str(council.units["04"].pk)}).content.decode()
    assert "Ткачук М." not in html
    html = c.get(url, {"person": str(council.worker_a.pk)}).content.decode()
    assert _page(assignment) not in html and "Ткачук М." in html
    partial = c.get(url, {"soon_days": "5"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board-results")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    bad = c.get(url, {"unit": "not-a-uuid", "soon_days": "0"})
    assert bad.status_code == 400
    assert "Оберіть підрозділ зі списку." in bad.content.decode()
    assert "Вкажіть ціле число від 1 до 30." in bad.content.decode()
    outsider = _login(client, council.outsider).get(url).content.decode()
    # Not by name: factory names are random, and the outsider may share the executor's surname.
    assert _page(assignment) not in outsider and str(council.worker_a.pk) not in outsider


def test_report_by_someone_reported_assignment_appears_for_decision(client, council, assignment):
    a = assignment_accept(actor=council.chief_a, assignment=assignment, expected_version=1)
    assignment_report(actor=council.chief_a, assignment=a, expected_version=a.version, text="Готово")
    html = _login(client, council.controller).get(reverse("workflow:home")).content.decode()
    assert "Звіти, що чекають мого рішення" in html and _page(assignment) in html


def test_login_required(client, assignment):
    assert client.get(reverse("workflow:home")).status_code == 302
    assert client.get(_page(assignment)).status_code == 302


def test_resolution_form_on_a_cancelled_card(client, council, doc):
    from ratusha.registry.services import document_cancel

    document_cancel(actor=council.registrar, document=doc, reason="Помилкова реєстрація")
    c = _login(client, council.head)
    page = c.get(_resolve_url(doc))
    assert page.status_code == 200 and "Реєстрацію документа скасовано." in page.content.decode()
    assert 'id="resolution-form"' not in page.content.decode()
    response = c.post(
        _resolve_url(doc),
        {"text": "x", "responsible": f"u:{council.chief_a.pk}", "deadline_kind": "control-default"},
    )
    assert response.status_code == 400 and not Resolution.objects.exists()
    assert _resolve_url(doc) not in c.get(reverse("registry:document", args=[doc.pk])).content.decode()


def test_a_head_acting_for_another_head_chooses_in_whose_name(client, council, doc):
    from ratusha.orgs.models import Delegation

    second = council.chief_b
    second.employments.update(roles=["head"])
    Delegation.objects.create(
        principal=council.head.employments.get(),
        deputy=second,
        start=timezone.localdate(),
        end=timezone.localdate(),
    )
    c = _login(client, second)
    html = c.get(_resolve_url(doc)).content.decode()
    assert 'name="author"' in html and "Ви виконуєте обов'язки: Гнатюк Василь" in html
    response = c.post(
        _resolve_url(doc),
        {
            "text": "Розглянути",
            "responsible": f"u:{council.worker_b.pk}",
            "deadline_kind": "control-default",
            "author": str(council.head.pk),
        },
    )
    assert response.status_code == 302
    res = Resolution.objects.get()
    assert res.author == council.head and res.written_by == second
