"""Demo of the exchange between organisations (issue 7): the executive committee has sent letters to the
municipal enterprises — most registered by them (the receipt is in the committee's card), one rejected,
some still waiting in the enterprises' queues — and an enterprise has written back to the committee.
КП «Соснівкаводоканал» has a published training API key (``DEMO_API_KEY``) for trying ``/api/v1/``.
The committee and КП «Соснівкаводоканал» also take part in exchange between installations
(``load_installations``): ``ratusha neighbour`` (training/neighbour.py) runs a second installation to
exchange with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ratusha.api.constants import Scope
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee, Organisation
from ratusha.registry.constants import JournalKind
from ratusha.registry.models import Document, Journal

DEMO_API_KEY_ID = "demovodokanal"
DEMO_API_SECRET = "sosnivka-demo-api-key-for-trainers"  # noqa: S105 - published, demo installations only
DEMO_API_KEY = f"rtk_{DEMO_API_KEY_ID}_{DEMO_API_SECRET}"
SENDER = "demo-vykonkom"
ENTERPRISES = ("demo-vodokanal", "demo-elektrotrans", "demo-zhytloservis")
# Organisations of the demo that exchange with other installations (their ЄДРПОУ is their id there).
INSTALLATION_PARTICIPANTS = (SENDER, "demo-vodokanal")


def _person(org: Organisation, role: str) -> Any:
    for employee in Employee.objects.filter(organisation=org, is_active=True).select_related("user"):
        if role in employee.roles:
            return employee.user
    return None


def _incoming(org: Organisation) -> Journal | None:
    return Journal.objects.filter(organisation=org, kind=JournalKind.INCOMING, is_active=True).first()


def _recent_outgoing(org: Organisation, count: int) -> list[Document]:
    return list(Document.objects.filter(organisation=org, journal__kind=JournalKind.OUTGOING, cancelled_at__isnull=True,
                                        files__is_current=True).distinct().order_by("-reg_date", "-seq")[:count])


def load_exchange(*, log: Callable[[str], None]) -> dict[str, int]:
    from ratusha.api.services import api_key_create
    from ratusha.exchange.services import delivery_register, delivery_reject, delivery_send

    orgs = {o.code: o for o in Organisation.objects.filter(code__in=(SENDER, *ENTERPRISES))}
    if SENDER not in orgs or not all(code in orgs for code in ENTERPRISES):
        log("Обмін документами: демонстраційних організацій немає — пропускаю.")
        return {}
    sender = orgs[SENDER]
    clerk = _person(sender, Role.REGISTRAR)
    counts = {"sent": 0, "registered": 0, "rejected": 0, "waiting": 0}
    letters = _recent_outgoing(sender, 8)
    for index, letter in enumerate(letters):
        enterprise = orgs[ENTERPRISES[index % len(ENTERPRISES)]]
        [delivery] = delivery_send(actor=clerk, document=letter, recipients=[enterprise])
        counts["sent"] += 1
        their_clerk, journal = _person(enterprise, Role.REGISTRAR), _incoming(enterprise)
        if index == 3 and their_clerk is not None:
            delivery_reject(actor=their_clerk, delivery=delivery,
                            reason="Питання не належить до компетенції підприємства — надішліть до КП «Житлосервіс».")
            counts["rejected"] += 1
        elif index < 6 and their_clerk is not None and journal is not None:
            delivery_register(actor=their_clerk, delivery=delivery, journal=journal)
            counts["registered"] += 1
        else:
            counts["waiting"] += 1
    vodokanal = orgs["demo-vodokanal"]
    for reply in _recent_outgoing(vodokanal, 2):
        delivery_send(actor=_person(vodokanal, Role.REGISTRAR), document=reply, recipients=[sender])
        counts["waiting"] += 1
    admin = _person(vodokanal, Role.ADMIN)
    if admin is not None:
        api_key_create(actor=admin, organisation=vodokanal, name="СЕД КП «Соснівкаводоканал» (навчальний ключ)",
                       scopes=list(Scope.values), key_id=DEMO_API_KEY_ID, secret=DEMO_API_SECRET)
    log(f"Обмін документами: надіслано {counts['sent']}, зареєстровано адресатами {counts['registered']}, "
        f"відхилено {counts['rejected']}, чекають у чергах {counts['waiting']}; ключ API: {DEMO_API_KEY}")
    return counts


def load_installations(*, log: Callable[[str], None]) -> list[str]:
    """Make the committee and КП «Соснівкаводоканал» participants of exchange between installations
    (a seal from the installation CA each), so the ops page lists them and ``GET /exchange/v1/`` gives
    their cards to the neighbour installation. Idempotent: an active participant is left as it is."""
    from ratusha.exchange.models import Participant
    from ratusha.exchange.services import participant_enable
    from ratusha.signatures.services.ca import installation_ca_active

    if installation_ca_active() is None:
        log("Обмін між установками: ЦС установи немає — учасників не підключено.")
        return []
    enabled = []
    for org in Organisation.objects.filter(code__in=INSTALLATION_PARTICIPANTS, is_active=True).order_by("code"):
        if not Participant.objects.filter(organisation=org, is_active=True).exists():
            participant_enable(actor=None, organisation=org)
        enabled.append(org.short_name)
    if enabled:
        log(f"Обмін між установками: учасники {', '.join(enabled)} (печатки від ЦС установи); "
            "сусідня установка — `ratusha neighbour`.")
    return enabled
