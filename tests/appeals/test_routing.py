"""Routing an appeal through the workflow engine (issue 4 item 5): a head sends a registered appeal to
executors; they get access to its PERSONAL card; the resolution's deadline is the appeal's own statutory
deadline; the appeal goes IN_WORK; only heads (and acting deputies) may route."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ratusha.appeals import services as svc
from ratusha.appeals.constants import AppealStatus
from ratusha.appeals.permissions import sees_personal_data
from ratusha.appeals.selectors import appeals_visible_to
from ratusha.appeals.services import ConflictError
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.models import AuditEvent
from ratusha.orgs.models import Delegation
from ratusha.registry.constants import AccessMark
from ratusha.registry.models import DocumentAccessGrant
from ratusha.registry.selectors import documents_visible_to
from ratusha.workflow.constants import AssignmentRole, DeadlineKind
from ratusha.workflow.models import Assignment
from tests.appeals.glue_helpers import route
from tests.appeals.office_helpers import register_written, submitted_appeal
from tests.factories import EmployeeFactory
from tests.orgs.conftest import login_verified

pytest_plugins = ["tests.appeals.office"]


@pytest.fixture
def helper(appeals_world):
    return EmployeeFactory(organisation=appeals_world.org, roles=["executor"], user__username="helper",
                           user__first_name="Олег", user__last_name="Гнатюк").user


def test_head_routes_an_appeal_to_executors(appeals_world, helper):
    w = appeals_world
    appeal = register_written(w)
    card = appeal.document
    assert card.access == AccessMark.PERSONAL
    assert not documents_visible_to(w.executor).filter(pk=card.pk).exists()
    assert not appeals_visible_to(w.executor).filter(pk=appeal.pk).exists()

    resolution = route(w, appeal, co_executors=[helper], controller=w.controller)

    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_WORK
    assert resolution.document == card and resolution.author == w.head
    assert resolution.deadline_kind == DeadlineKind.DATE and resolution.deadline == appeal.deadline
    assert resolution.on_control and resolution.controller == w.controller
    roles = {(a.assignee, a.role, a.deadline) for a in Assignment.objects.filter(resolution=resolution)}
    assert roles == {(w.executor, AssignmentRole.RESPONSIBLE, appeal.deadline),
                     (helper, AssignmentRole.CO_EXECUTOR, appeal.deadline)}
    # Access was granted (audited) — the executors open the card, the appeal and the applicant's details.
    assert set(DocumentAccessGrant.objects.filter(document=card).values_list("user", flat=True)) == {
        w.executor.pk, helper.pk}
    assert AuditEvent.objects.filter(action="document.access_grant", object_id=str(card.pk)).count() == 2
    for person in (w.executor, helper):
        assert documents_visible_to(person).filter(pk=card.pk).exists()
        assert appeals_visible_to(person).filter(pk=appeal.pk).exists()
        assert sees_personal_data(person, appeal)
    event = AuditEvent.objects.get(action="appeal.route", object_id=str(appeal.pk))
    assert event.params["resolution"] == str(resolution.pk) and event.actor == w.head
    assert sorted(event.params["granted"]) == sorted([str(w.executor.pk), str(helper.pk)])
    assert list(appeal.events.values_list("status", flat=True))[-1] == AppealStatus.IN_WORK


def test_routing_again_while_in_work_adds_a_resolution(appeals_world, helper):
    w = appeals_world
    appeal = register_written(w)
    route(w, appeal)
    appeal.refresh_from_db()
    second = route(w, appeal, executor=helper, on_control=False)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_WORK and not second.on_control and second.controller is None
    assert appeal.document.resolutions.count() == 2


@pytest.mark.parametrize("who", ["officer", "registrar", "controller", "executor", "admin", "outsider"])
def test_only_heads_route(appeals_world, who):
    w = appeals_world
    appeal = register_written(w)
    with pytest.raises(PermissionDeniedError):
        svc.appeal_route(actor=getattr(w, who), appeal=appeal, text="Розглянути.", responsible=w.executor)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REGISTERED
    assert not DocumentAccessGrant.objects.filter(document=appeal.document).exists()
    assert not Assignment.objects.filter(document=appeal.document).exists()


def test_an_acting_deputy_of_the_head_routes(appeals_world):
    w = appeals_world
    deputy = EmployeeFactory(organisation=w.org, roles=["executor"], user__username="deputy").user
    from django.utils import timezone

    head_employee = w.head.employments.get(organisation=w.org)
    Delegation.objects.create(principal=head_employee, deputy=deputy, start=timezone.localdate(),
                              end=timezone.localdate())
    appeal = register_written(w)
    resolution = svc.appeal_route(actor=deputy, appeal=appeal, text="Розглянути.", responsible=w.executor)
    assert resolution.author == w.head and resolution.written_by == deputy


def test_refused_for_an_unregistered_or_finished_appeal(appeals_world):
    w = appeals_world
    submitted = submitted_appeal(w)
    with pytest.raises(ApplicationError) as exc:
        route(w, submitted)
    assert exc.value.code == "not_routable"
    returned = register_written(w)
    svc.appeal_return(actor=w.officer, appeal=returned, explanation="Немає підпису.")
    with pytest.raises(ApplicationError) as exc:
        route(w, returned)
    assert exc.value.code == "not_routable"


def test_bad_input_and_a_stale_version(appeals_world):
    w = appeals_world
    appeal = register_written(w)
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_route(actor=w.head, appeal=appeal, text="  ", responsible=w.executor)
    assert exc.value.field == "text"
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_route(actor=w.head, appeal=appeal, text="Розглянути.", responsible=None)
    assert exc.value.field == "responsible"
    with pytest.raises(ApplicationError) as exc:  # someone of another council
        svc.appeal_route(actor=w.head, appeal=appeal, text="Розглянути.", responsible=w.outsider)
    assert exc.value.field == "responsible"
    with pytest.raises(ConflictError):
        route(w, appeal, expected_version=appeal.version - 1)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REGISTERED
    assert not DocumentAccessGrant.objects.filter(document=appeal.document).exists()


# --- The appeal page ------------------------------------------------------------------------------------


def test_the_head_routes_from_the_appeal_page(client, appeals_world, helper):
    w = appeals_world
    appeal = register_written(w)
    login_verified(client, w.head)
    url = reverse("appeals:detail", args=[appeal.pk])
    page = client.get(url).content.decode()
    assert 'id="route"' in page and "Направити виконавцям" in page
    assert appeal.deadline.strftime("%d.%m.%Y") in page

    # Bad input: no responsible executor — a message, the text kept, status 400.
    response = client.post(reverse("appeals:route", args=[appeal.pk]), {
        "version": appeal.version, "text": "Підготувати відповідь до п'ятниці.", "responsible": "",
        "on_control": "on"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Оберіть відповідального виконавця." in body and "Підготувати відповідь до п&#x27;ятниці." in body

    response = client.post(reverse("appeals:route", args=[appeal.pk]), {
        "version": appeal.version, "text": "Підготувати відповідь.", "responsible": f"u:{w.executor.pk}",
        "co_executors": [f"u:{helper.pk}"], "on_control": "on", "controller": str(w.controller.pk)})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_WORK
    page = client.get(url).content.decode()
    resolution = appeal.document.resolutions.get()
    assert reverse("workflow:resolution", args=[resolution.pk]) in page
    assignment = resolution.assignments.get(assignee=w.executor)
    assert reverse("workflow:assignment", args=[assignment.pk]) in page
    assert f"/office/approvals/new/?answer_to={appeal.document_id}" in page

    # The executor opens the appeal (the core selectors allow it) and may prepare the answer, not route.
    client.logout()
    login_verified(client, w.executor)
    page = client.get(url).content.decode()
    assert "Підготувати відповідь" in page and 'id="route"' not in page
    assert "Коваленко Іван Петрович" in page


def test_outsiders_and_non_heads_cannot_route_through_the_page(client, appeals_world):
    w = appeals_world
    appeal = register_written(w)
    data = {"version": appeal.version, "text": "Розглянути.", "responsible": f"u:{w.executor.pk}"}
    login_verified(client, w.outsider)
    assert client.post(reverse("appeals:route", args=[appeal.pk]), data).status_code == 404
    client.logout()
    login_verified(client, w.officer)
    assert 'id="route"' not in client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    response = client.post(reverse("appeals:route", args=[appeal.pk]), data)
    assert response.status_code == 400
    assert "керівники органу" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REGISTERED
