"""Helpers of the routing/answer tests (issue 4 item 5): route an appeal to an executor, prepare its
answer through approvals (a draft «у відповідь на» the appeal's card, signed with TOTP by the head)."""

from __future__ import annotations

from typing import Any

from ratusha.appeals import services as svc
from ratusha.registry.constants import AccessMark
from ratusha.registry.models import Journal
from ratusha.workflow.approvals import services as approvals
from ratusha.workflow.approvals.constants import StepKind
from ratusha.workflow.approvals.models import RouteTask
from tests.appeals.office_helpers import AppealsWorld, pdf_bytes
from tests.approvals.conftest import totp_code
from tests.factories import JournalFactory

ANSWER_NAME = "Відповідь на звернення.pdf"


def outgoing_journal(world: AppealsWorld) -> Journal:
    journal = Journal.objects.filter(organisation=world.org, kind="outgoing").first()
    return journal or JournalFactory(organisation=world.org, kind="outgoing", name="Вихідна кореспонденція",
                                     index_template="{seq}/13")


def head_device(world: AppealsWorld) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get_or_create(user=world.head, name="Телефон", defaults={"confirmed": True})[0]


def route(world: AppealsWorld, appeal: Any, executor: Any = None, **kwargs: Any) -> Any:
    return svc.appeal_route(actor=world.head, appeal=appeal, text="Розглянути та підготувати відповідь.",
                            responsible=executor or world.executor, **kwargs)


def answer_draft(world: AppealsWorld, appeal: Any, author: Any = None, content: bytes | None = None) -> Any:
    return approvals.draft_create(
        actor=author or world.executor, journal=outgoing_journal(world), kind="letter",
        summary=f"Відповідь на № {appeal.document.reg_index}", addressee="Коваленко Іван Петрович",
        access=AccessMark.PERSONAL, name=ANSWER_NAME, content=content or pdf_bytes("Відповідь"),
        answer_to=appeal.document)


def sign_draft(world: AppealsWorld, draft: Any) -> Any:
    """Start a one-step route (the head signs) and sign it with the head's TOTP code: the registered card."""
    device = head_device(world)
    approvals.route_start(actor=draft.author, draft=draft,
                          steps=[approvals.RouteStep(stage=1, approver=world.head, kind=StepKind.SIGN)])
    draft.refresh_from_db()
    task = RouteTask.objects.get(route__draft=draft, approver=world.head)
    return approvals.route_task_sign(actor=world.head, task=task, sha256=draft.current_sha256,
                                     credentials={"token": totp_code(device)})


def signed_answer(world: AppealsWorld, appeal: Any, author: Any = None, content: bytes | None = None) -> Any:
    return sign_draft(world, answer_draft(world, appeal, author=author, content=content))
