"""The world of the access matrix: three organisations, one person per role in each, a superuser, the
installation-role people, and objects of the owning organisation O for every URL parameter.

Built once per test module (``matrix_world`` in conftest.py) inside a transaction that is rolled back at
the module's end; every request of a test runs in a savepoint of it (pytest-django's ``db``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from ratusha.orgs.constants import OrgKind, Role
from ratusha.orgs.models import InstallationRoleGrant
from tests.factories import (
    EmployeeFactory,
    JournalFactory,
    OrganisationFactory,
    UnitFactory,
    UserFactory,
    grant_installation_role,
)
from tests.registry.conftest import file_input, make_pdf

INSTALLATION_ROLES = ("installation_admin", "website_editor", "signatures_admin", "classifier_keeper")
OTHER_ROLES = ("admin", "registrar", "head")


def actor_names() -> list[str]:
    return ["anon", *(f"own:{r}" for r in Role.values), *(f"other:{r}" for r in OTHER_ROLES),
            *(f"ent:{r}" for r in OTHER_ROLES), "super", *(f"inst:{r}" for r in INSTALLATION_ROLES)]


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # object name -> why it could not be built

    def make(self, name: str, build) -> Any:
        """Build one object; a failure is kept (the URLs that need it fail, naming it), not raised."""
        try:
            self.objects[name] = build()
        except Exception as exc:  # noqa: BLE001 - reported by every test that needs the object
            self.errors[name] = f"{type(exc).__name__}: {exc}"
        return self.objects.get(name)


def _people(world: World, org: Any, prefix: str, roles) -> None:
    for role in roles:
        user = UserFactory(username=f"mx-{prefix}-{role}")
        EmployeeFactory(user=user, organisation=org, roles=[role])
        world.users[f"{prefix}:{role}"] = user


def build_world() -> World:
    w = World()
    o = OrganisationFactory(kind=OrgKind.EXECUTIVE_COMMITTEE, name="Виконавчий комітет Матрицької міської ради",
                            short_name="Виконком", code="mx-o", edrpou="04059991")
    b = OrganisationFactory(kind=OrgKind.EXECUTIVE_BODY, name="Управління освіти", short_name="Освіта",
                            code="mx-b", edrpou="04059992", parent=o)
    e = OrganisationFactory(kind=OrgKind.MUNICIPAL_ENTERPRISE, name="КП «Матрицяводоканал»",
                            short_name="Водоканал", code="mx-e", edrpou="04059993")
    w.objects.update(o=o, b=b, e=e)
    _people(w, o, "own", Role.values)
    _people(w, b, "other", OTHER_ROLES)
    _people(w, e, "ent", OTHER_ROLES)
    w.users["super"] = UserFactory(username="mx-super", is_superuser=True, is_staff=True)
    for role in INSTALLATION_ROLES:
        user = UserFactory(username=f"mx-inst-{role}")
        EmployeeFactory(user=user, organisation=e, roles=[])
        grant_installation_role(user, role)
        w.users[f"inst:{role}"] = user
    w.objects["installation_grant"] = InstallationRoleGrant.objects.get(
        user=w.users["inst:classifier_keeper"], role="classifier_keeper")
    _objects(w)
    return w


def _objects(w: World) -> None:  # noqa: PLR0915 - one list of objects, in dependency order
    u = w.users
    o, b = w.objects["o"], w.objects["b"]
    today = timezone.localdate()
    registrar, head, executor, admin = u["own:registrar"], u["own:head"], u["own:executor"], u["own:admin"]
    UnitFactory(organisation=o, code="01", name="Керівництво")
    incoming = w.make("journal", lambda: JournalFactory(organisation=o, kind="incoming", index_template="{seq}",
                                                        name="Вхідні"))
    outgoing = JournalFactory(organisation=o, kind="outgoing", index_template="{seq}", name="Вихідні")
    JournalFactory(organisation=o, kind="appeals", index_template="{seq}", name="Звернення")
    JournalFactory(organisation=b, kind="incoming", index_template="{seq}", name="Вхідні")

    from ratusha.registry.services import document_register

    doc = w.make("document", lambda: document_register(
        actor=registrar, journal=incoming, kind="letter", summary="Про ремонт дороги", correspondent="ТОВ «Шлях»",
        files=[file_input("лист.pdf", make_pdf("Лист"))]))
    if doc is not None:
        w.objects["file"] = doc.files.first()
    letter = w.make("letter", lambda: document_register(
        actor=registrar, journal=outgoing, kind="letter", summary="Про підготовку до зими", signed_by="Олена ІВАНЕНКО",
        files=[file_input("вих.pdf", make_pdf("Вих"))]))

    from ratusha.workflow.services import resolution_create

    res = w.make("resolution", lambda: resolution_create(actor=head, document=doc, text="Підготувати відповідь",
                                                         responsible=executor))
    if res is not None:
        assignment = w.objects["assignment"] = res.assignments.get(parent=None, role="responsible")
        from ratusha.workflow.services.deadlines import deadline_change_request

        w.make("deadline_request", lambda: deadline_change_request(
            actor=executor, assignment=assignment, proposed_deadline=today + dt.timedelta(days=45),
            reason="Потрібен висновок іншого управління"))

    from ratusha.workflow.approvals import services as approvals
    from ratusha.workflow.approvals.constants import StepKind

    template = w.make("route_template", lambda: approvals.route_template_create(actor=head, organisation=o,
                                                                               name="Лист", kind="letter"))
    w.make("route_step", lambda: approvals.route_template_step_add(actor=head, template=template, stage=1,
                                                                   kind=StepKind.SIGN, user=head))

    def draft_on_route():
        draft = approvals.draft_create(actor=executor, journal=outgoing, kind="letter", summary="Про тротуар",
                                       addressee="ТОВ «Шлях»", name="Лист.pdf", content=make_pdf("v1"))
        approvals.route_start(actor=executor, draft=draft, template=template,
                              steps=approvals.steps_from_template(template=template, draft=draft))
        draft.refresh_from_db()
        return draft

    draft = w.make("draft", draft_on_route)
    if draft is not None:
        w.objects["draft_version"] = draft.current_version
        w.make("route_task", lambda: draft.routes.latest("created_at").tasks.get())

    from ratusha.registry.generation import services as generation

    w.make("generated_draft", lambda: generation.draft_create_from_template(
        actor=executor, journal=outgoing, kind="letter", heading="Про сквер", text="Текст листа",
        addressee="ТОВ «Шлях»").draft)

    from ratusha.appeals.services.registration import appeal_register

    appeal = w.make("appeal", lambda: appeal_register(
        actor=registrar, organisation=o, last_name="Коваль", first_name="Марія", address="вул. Ковельська, 10",
        settlement="Матриця", email="maria@example.com", receipt_form="post", medium="letter", text="Прошу відремонтувати дах.",
        files=[file_input("фото.pdf", make_pdf("Фото"))]))
    if appeal is not None:
        w.make("appeal_attachment", lambda: appeal.attachments.get())

    from ratusha.appeals.reception.models import ReceptionBooking, ReceptionSchedule

    schedule = w.make("schedule", lambda: ReceptionSchedule.objects.create(
        organisation=o, official=head, official_name="Голова", position="Міський голова",
        weekdays=[0, 1, 2, 3, 4, 5, 6], start_time=dt.time(9), end_time=dt.time(12), slot_minutes=30,
        place="каб. 101", is_published=True))
    w.make("booking", lambda: ReceptionBooking.objects.create(
        schedule=schedule, **_booking_fields(ReceptionBooking, today)))

    from ratusha.signatures.services.ca import installation_ca_create
    from ratusha.signatures.services.credentials import credential_issue

    ca = w.make("ca", lambda: installation_ca_create(actor=u["super"], name="ЦС Матриці", organisation_name="Виконком"))
    if ca is not None:
        credential = w.make("credential", lambda: credential_issue(
            actor=head, passphrase="довгий пароль 123", passphrase2="довгий пароль 123"))
        if credential is not None and "file" in w.objects:
            from django.test import override_settings

            from ratusha.signatures.services.records import document_file_cades_sign

            with override_settings(SIGNATURES_LEVEL="B-B"):  # no time-stamping service in the tests
                w.make("signature_record", lambda: document_file_cades_sign(
                    actor=head, document=doc, file=w.objects["file"], credential=credential,
                    passphrase="довгий пароль 123"))
    w.make("trusted_ca", lambda: _trusted_ca(u["super"]))

    from ratusha.exchange.services.local import delivery_send

    w.make("delivery", lambda: delivery_send(actor=registrar, document=letter, recipients=[b])[0])
    _exchange_objects(w, letter)
    if "delivery" in w.objects:
        w.make("delivery_file", lambda: w.objects["delivery"].document.files.first())

    from ratusha.api.services import api_key_create, webhook_create

    w.make("api_key", lambda: api_key_create(actor=admin, organisation=o, name="СЕД", scopes=["journals:read"])[0])
    w.make("webhook", lambda: webhook_create(actor=admin, organisation=o, url="https://example.org/hook",
                                             events=["document.delivered"]))

    from ratusha.orgs.services import delegation_create

    # The deputy is a person of O who is none of the actors: an acting deputy holds the head's powers, and
    # an actor made deputy would stop being a plain holder of its one role.
    deputy = UserFactory(username="mx-own-deputy")
    EmployeeFactory(user=deputy, organisation=o, roles=["executor"])
    w.make("delegation", lambda: delegation_create(
        actor=admin, principal=head.employments.get(), deputy=deputy, start=today,
        end=today + dt.timedelta(days=7), reason="Відпустка"))

    from ratusha.calendar import services as calendar
    from ratusha.calendar.models import MartialLawPeriod

    # The installation starts with the martial-law period already in place (a data migration); a new one
    # would overlap it.
    w.make("period", lambda: MartialLawPeriod.objects.order_by("start").first() or calendar.martial_law_period_add(
        actor=u["super"], start=dt.date(2022, 2, 24), basis="Указ Президента № 64/2022"))
    w.make("override", lambda: calendar.day_override_add(actor=u["super"], day=dt.date(2031, 3, 3), working=False,
                                                         reason="Перевірка"))

    from ratusha.notifications.services import notify

    w.make("notification", lambda: notify(recipient=executor, kind="assignment_issued", title="Нове доручення"))

    from ratusha.website.acts.models import Topic
    from ratusha.website.acts.services.drafts import act_draft_create

    w.make("topic", lambda: Topic.objects.create(name="Благоустрій", slug="mx-blagoustrii"))
    w.make("act", lambda: act_draft_create(actor=u["super"], organisation=o, kind="executive",
                                           title="Про благоустрій", session_date=today + dt.timedelta(days=30),
                                           file=file_input("проєкт.pdf", make_pdf("Проєкт")), publish=True))

    from wagtail.models import Page

    page = w.make("page", lambda: Page.objects.filter(depth=2).first() or Page.objects.get(depth=1))
    if page is not None:
        w.make("revision", lambda: page.specific.save_revision(user=u["super"]))

    from wagtail.models import Site

    from ratusha.website.models import SiteSettings

    w.make("site_settings", lambda: SiteSettings.for_site(Site.objects.get(is_default_site=True)))


def _booking_fields(model, today) -> dict:
    names = {f.name for f in model._meta.get_fields()}
    values = {"date": today + dt.timedelta(days=1), "time": dt.time(9), "last_name": "Коваль",
              "first_name": "Марія", "email": "maria@example.com", "phone": "+380671112233",
              "address": "вул. Ковельська, 10", "topic": "Ремонт даху"}
    return {k: v for k, v in values.items() if k in names}


def _trusted_ca(actor):
    from cryptography.hazmat.primitives import serialization

    from ratusha.signatures import engine
    from ratusha.signatures.services.trust import trusted_ca_add

    _key, cert = engine.ca_create(common_name="Сусідній ЦС", organisation="Сусідня рада")
    return trusted_ca_add(actor=actor, data=cert.public_bytes(serialization.Encoding.PEM))


def _exchange_objects(w: World, letter) -> None:
    """O exchanging with another installation: its participant, a peer, a package in the outbox."""
    from ratusha.exchange.models import OutboxMessage
    from ratusha.exchange.services import delivery_send, participant_enable, peer_save
    from tests.exchange.fixtures import certificate_pem, other_key_make

    participant = w.make("participant", lambda: participant_enable(actor=None, organisation=w.objects["o"]))
    if participant is None:
        return
    peer = w.make("peer", lambda: peer_save(
        actor=None, participant_id="26350001", name="Вишнева сільська рада", short_name="Вишнева СР",
        endpoint="http://127.0.0.1:9/exchange/v1/", certificate=certificate_pem(other_key_make())))
    if peer is not None and letter is not None:
        w.make("outbox", lambda: OutboxMessage.objects.get(delivery=delivery_send(
            actor=w.users["own:registrar"], document=letter, peers=[peer])[0]))
