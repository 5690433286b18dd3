"""Demo of the website's decisions (issue 5): every public council decision, executive-committee decision
and order the demo registered is published on the site (the registry hook, then the sweep for anything
registered before the hook could run), and a few draft decisions around the publication clock: two
published in time, one published late (the warning shows), one kept «готується» whose day is near.
Idempotent: a second call publishes nothing new and adds no drafts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

DRAFTS = [
    # (title, kind, working days from today to the session, publish now)
    ("Про внесення змін до бюджету Соснівської міської територіальної громади на 2026 рік", "council", 22, True),
    ("Про затвердження Програми розвитку освіти Соснівської громади на 2027–2029 роки", "council", 16, True),
    ("Про встановлення тарифів на послуги з вивезення побутових відходів", "executive", 6, True),  # late
    ("Про затвердження детального плану території в районі вулиці Садової", "council", 12, False),  # due soon
]


def _author() -> tuple[Any, Any] | None:
    from ratusha.orgs.constants import Role
    from ratusha.orgs.models import Employee

    demo = Employee.objects.filter(organisation__code__startswith="demo-", is_active=True).select_related(
        "user", "organisation")
    for role in (Role.WEB_EDITOR, Role.REGISTRAR):
        employee = demo.filter(roles__icontains=f'"{role}"').order_by("organisation__code", "user__username").first()
        if employee is not None:
            return employee.user, employee.organisation
    return None


def _pdf(title: str, council: bool) -> bytes:
    from ratusha.training.demo_letters import Page
    from ratusha.training.demo_pdf import render_pdfs

    page = Page(header="СОСНІВСЬКА МІСЬКА РАДА" if council else "ВИКОНАВЧИЙ КОМІТЕТ СОСНІВСЬКОЇ МІСЬКОЇ РАДИ",
                header_sub="восьме скликання" if council else "", doc_title="ПРОЄКТ РІШЕННЯ", title=title,
                paragraphs=["Відповідно до статей 25, 26 Закону України «Про місцеве самоврядування в Україні», "
                            "враховуючи пропозиції постійних комісій, міська рада ВИРІШИЛА:",
                            "1. Затвердити додане.", "2. Контроль за виконанням рішення покласти на постійну "
                            "комісію з питань бюджету."],
                sign_position="Міський голова", sign_name="Проєкт")
    return render_pdfs([page])[0]


def load_acts(*, log: Callable[[str], None] | None = None) -> dict[str, int]:
    from ratusha.calendar.selectors import add_working_days
    from ratusha.registry.services import FileInput
    from ratusha.website.acts.constants import DRAFT_SEGMENT, ActStatus
    from ratusha.website.acts.models import PublishedAct
    from ratusha.website.acts.services import act_draft_create, act_sweep

    log = log or (lambda _msg: None)
    swept = act_sweep()
    acts = PublishedAct.objects.filter(status=ActStatus.ADOPTED).exclude(segment=DRAFT_SEGMENT).count()
    drafts = 0
    found = _author()
    if found is not None and not PublishedAct.objects.filter(segment=DRAFT_SEGMENT).exists():
        actor, organisation = found
        today = timezone.localdate()
        for title, kind, days, publish in DRAFTS:
            session = add_working_days(today, days)
            act_draft_create(actor=actor, organisation=organisation, kind=kind, title=title, session_date=session,
                             file=FileInput(name="Проєкт рішення.pdf", content=_pdf(title, kind == "council")),
                             publish=publish, confirm_late=True)
            drafts += 1
    log(f"Рішення на сайті: {acts} (з них опубліковано пошуком пропущених: {swept['published']}), "
        f"проєктів рішень: {drafts}")
    return {"acts": acts, "drafts": drafts, **swept}
