"""Demo approval routes: route templates and drafts caught at every step, through the real services.

Управління ЖКГ and the executive committee get a route template each (sequential and parallel visas,
then the head's signature) and drafts that wait for a visa, were returned with remarks, or wait for
the head's signature — so each demo login (executor, head) finds something to do on «Погодження».
Signing needs the head's second factor: the demo heads have TOTP with the published demo secret.

The drafts are made from the document templates (``registry.generation``), as an executor would: the
approvers see the draft with blank number and date, and the head's signature produces the final document
(number, date, the signer; no draft markers) with the stamp in the area its layout keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ratusha.registry.constants import DocumentKind, JournalKind
from ratusha.registry.generation.constants import TemplateKind
from ratusha.registry.generation.context import position_of, signature_name
from ratusha.registry.generation.services import draft_create_from_template
from ratusha.workflow.approvals import services as ap
from ratusha.workflow.approvals.constants import Decision, StepKind
from ratusha.workflow.approvals.models import Draft, RouteTask


@dataclass(frozen=True)
class TemplateSpec:
    org: str
    name: str
    kind: str
    stages: tuple[tuple[str, ...], ...]  # visa stages (parallel within), in order
    signer: str


@dataclass(frozen=True)
class DraftSpec:
    org: str
    author: str
    template: str
    summary: str
    addressee: str
    paragraphs: tuple[str, ...]
    stop: str  # "draft" | "visa" (stage 1 done, stage 2 waits) | "returned" | "sign" (waits for signature)


TEMPLATES = (
    TemplateSpec("demo-zhkg", "Вихідний лист управління", DocumentKind.LETTER,
                 (("s.havryliuk",), ("m.vlasenko", "yu.polishchuk")), "i.kovalenko"),
    TemplateSpec("demo-vykonkom", "Розпорядження міського голови", DocumentKind.ORDER,
                 (("h.shevchenko",), ("n.savchuk", "m.vlasenko")), "v.hnatiuk"),
)

DRAFTS = (
    DraftSpec("demo-zhkg", "a.tymoshenko", "Вихідний лист управління",
              "Про графік ремонту внутрішньоквартальних проїздів у 2027 році",
              "КП «Соснівкаводоканал»",
              ("Управління житлово-комунального господарства просить погодити графік ремонту "
               "внутрішньоквартальних проїздів з урахуванням планових робіт на мережах водопостачання.",
               "Просимо надати пропозиції до 15 грудня."), "visa"),
    DraftSpec("demo-zhkg", "yu.polishchuk", "Вихідний лист управління",
              "Про стан зовнішнього освітлення вулиці Лісової",
              "Соснівський міський голова",
              ("За результатами обстеження 12 опор зовнішнього освітлення потребують заміни світильників.",
               "Орієнтовна вартість робіт — 84 тис. грн."), "returned"),
    DraftSpec("demo-zhkg", "a.tymoshenko", "Вихідний лист управління",
              "Про прибирання територій загального користування взимку",
              "Комунальне підприємство «Житлосервіс»",
              ("Нагадуємо про обов'язок своєчасно прибирати сніг і посипати тротуари протиожеледними сумішами.",
               "Графік чергувань техніки просимо надіслати до 1 грудня."), "sign"),
    DraftSpec("demo-vykonkom", "t.boiko", "Розпорядження міського голови",
              "Про організацію контролю за виконанням доручень у грудні",
              "",
              ("Сектору контролю забезпечити щотижневе інформування про стан виконання доручень.",
               "Контроль за виконанням розпорядження залишаю за собою."), "sign"),
    DraftSpec("demo-vykonkom", "t.boiko", "Розпорядження міського голови",
              "Про затвердження плану заходів до Дня місцевого самоврядування",
              "",
              ("Затвердити план заходів (додається).", "Відповідальним виконавцям забезпечити виконання."),
              "draft"),
)

REMARK = "Уточніть кількість опор і додайте кошторисний розрахунок."


def load_approvals(*, users: dict[str, Any], orgs: dict[str, Any], journals: dict[tuple[str, str], Any]) -> int:
    """Create the templates and drafts; returns the number of drafts."""
    templates = {}
    for spec in TEMPLATES:
        org = orgs[spec.org]
        manager = users[spec.signer]
        template = ap.route_template_create(actor=manager, organisation=org, name=spec.name, kind=spec.kind)
        for stage, people in enumerate(spec.stages, start=1):
            for username in people:
                ap.route_template_step_add(actor=manager, template=template, stage=stage, user=users[username])
        ap.route_template_step_add(actor=manager, template=template, stage=len(spec.stages) + 1,
                                   kind=StepKind.SIGN, user=users[spec.signer])
        templates[spec.name] = template
    for spec in DRAFTS:
        template = templates[spec.template]
        kind = template.kind
        journal_kind = JournalKind.ORDERS if kind == DocumentKind.ORDER else JournalKind.OUTGOING
        author = users[spec.author]
        signer = users[next(t.signer for t in TEMPLATES if t.name == spec.template)]
        draft = draft_create_from_template(
            actor=author, journal=journals[(spec.org, journal_kind)],
            kind=TemplateKind.ORDER if kind == DocumentKind.ORDER else TemplateKind.LETTER,
            heading=spec.summary, text="\n\n".join(spec.paragraphs), addressee=spec.addressee,
            signer_position=position_of(signer, orgs[spec.org].pk), signer_name=signature_name(signer),
            executor_name=signature_name(author), executor_phone=getattr(author, "phone", "") or "").draft
        if spec.stop == "draft":
            continue
        ap.route_start(actor=author, draft=draft, template=template,
                       steps=ap.steps_from_template(template=template, draft=draft))
        _decide_until(draft, spec.stop, users)
    return len(DRAFTS)


def _decide_until(draft: Draft, stop: str, users: dict[str, Any]) -> None:
    """Give the visas of the route's stages until the draft is where the demo wants it."""
    while True:
        draft.refresh_from_db()
        pending = list(RouteTask.objects.filter(route__draft=draft, route__status="active",
                                                decision=Decision.PENDING)
                       .select_related("route", "approver").order_by("stage"))
        if not pending:
            return
        stage = pending[0].stage
        current = [t for t in pending if t.stage == stage]
        if current[0].kind == StepKind.SIGN:
            return  # "sign": waits for the head
        sha = draft.current_version.blob_id
        if stop == "returned":
            ap.route_task_decide(actor=current[0].approver, task=current[0], decision=Decision.REJECTED,
                                 comment=REMARK, sha256=sha)
            return
        if stop == "visa" and stage >= 2:
            return
        for task in current:
            decision = Decision.APPROVED_WITH_REMARKS if task.approver.username == "m.vlasenko" \
                else Decision.APPROVED
            comment = "Юридичних зауважень немає; уточнено посилання на рішення." \
                if decision == Decision.APPROVED_WITH_REMARKS else ""
            ap.route_task_decide(actor=task.approver, task=task, decision=decision, comment=comment, sha256=sha)
