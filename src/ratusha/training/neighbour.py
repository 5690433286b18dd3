"""The neighbour installation for training: «Вишнева сільська рада», another community running its own
Ratusha next to the demo (``ratusha neighbour``, ``make run-neighbour``), to try exchange between
installations end to end on one machine.

It keeps its own data dir (``var/neighbour/``: SQLite, files, secrets, its own installation CA), one
organisation with an incoming and an outgoing journal and a clerk, and takes part in exchange. On start it
adds the main installation's participants (``GET <main>/exchange/v1/``) to its directory, registers its own
card in the main installation's directory (``ratusha manage exchange peer-add`` with the main data dir: on
a training machine both belong to the trainer; a real administrator would add the card on the ops page)
and, on the first start, sends one letter to the executive committee.

Everything is written through the services (orgs, registry, signatures, exchange): numbering, seals and the
audit trail are real. The setup is idempotent: a second start only refreshes the directory.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8001
DEFAULT_MAIN = "http://127.0.0.1:8000"
# Browsers keep cookies per host name, not per port: the neighbour is served as «localhost», the demo as
# «127.0.0.1», so logging in to one does not log the trainer out of the other.
HOST_NAME = "localhost"
CODE = "vyshneva"
EDRPOU = "26350001"
NAME = "Вишнева сільська рада"
SHORT_NAME = "Вишнева сільська рада"
CLERK = "vyshneva"
PASSWORD = "sosnivka-demo"  # noqa: S105 - published on purpose, the training neighbour only
MAIN_RECIPIENT = "04051240"  # ЄДРПОУ of the demo's executive committee (training/demo_data.py)
CARD_FILE = "vyshneva-card.json"
LETTER_SUMMARY = "Про спільний шкільний автобусний маршрут Вишневе — Соснівка"

Log = Callable[[str], None]


def neighbour_env(*, base: dict[str, str], data_dir: Path, port: int) -> dict[str, str]:
    """The environment of the neighbour's processes: its own data dir and SQLite (never the main
    installation's database, even if ``DATABASE_URL`` is set for it), its own address."""
    env = {k: v for k, v in base.items() if k not in ("DATABASE_URL", "RATUSHA_DATABASE_URL", "RATUSHA_DEMO")}
    env.update({"RATUSHA_DATA_DIR": str(data_dir), "RATUSHA_BASE_URL": f"http://{HOST_NAME}:{port}",
                "RATUSHA_EXCHANGE_ALLOW_HTTP": "1", "RATUSHA_SITE_NAME": NAME,
                "RATUSHA_ALLOWED_HOSTS": "localhost,127.0.0.1",
                "DJANGO_SETTINGS_MODULE": base.get("DJANGO_SETTINGS_MODULE", "ratusha.settings")})
    return env


def migrate(*, log: Log) -> None:
    """``migrate`` with progress in Ukrainian (a fresh database takes about half a minute)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    total = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if not total:
        log("База даних актуальна.")
        return
    log(f"Створюю базу даних: {total} міграцій (близько пів хвилини)…")

    class Progress:
        done = 0
        shown = 0

        def write(self, text: str) -> None:
            self.done += text.count("Applying ")
            step = self.done * 10 // total
            if step > self.shown:
                self.shown = step
                log(f"  міграції: {self.done} з {total}")

        def flush(self) -> None:
            pass

    call_command("migrate", "--noinput", verbosity=1, stdout=Progress())


# --- the installation's own data ---------------------------------------------------------------------

def neighbour_setup(*, log: Log) -> Any:
    """The council, its journals and clerk, its installation CA and exchange seal (idempotent)."""
    from django.db import transaction

    from ratusha.exchange.models import Participant
    from ratusha.exchange.services import participant_enable
    from ratusha.orgs import services as org_services
    from ratusha.orgs.constants import OrgKind, Role
    from ratusha.orgs.models import Organisation
    from ratusha.registry import services as reg
    from ratusha.registry.constants import JournalKind
    from ratusha.signatures.services import installation_ca_create
    from ratusha.signatures.services.ca import installation_ca_active

    org = Organisation.objects.filter(code=CODE).first()
    with transaction.atomic():
        if installation_ca_active() is None:
            installation_ca_create(actor=None, name="Вишневе: ЦС установи", organisation_name=SHORT_NAME)
        if org is None:
            org = org_services.organisation_create(
                actor=None, kind=OrgKind.CITY_COUNCIL, name=NAME, short_name=SHORT_NAME, code=CODE, edrpou=EDRPOU,
                address="вул. Центральна, 1, с. Вишневе, 35120", email="rada@vyshneva.example.org",
                phone="+380 (4532) 5-11-01")
            unit = org_services.unit_create(actor=None, organisation=org, name="Загальний відділ", code="01")
            position = org_services.position_create(actor=None, organisation=org, unit=unit,
                                                    title="Діловод загального відділу")
            org_services.employee_hire(actor=None, organisation=org, roles=[Role.REGISTRAR], username=CLERK,
                                       last_name="Вишняк", first_name="Марія", middle_name="Петрівна",
                                       email="vyshneva@vyshneva.example.org", unit=unit, position=position,
                                       password=PASSWORD)
            reg.journal_create(actor=None, organisation=org, kind=JournalKind.INCOMING,
                               name="Журнал реєстрації вхідних документів", index_template="{seq}/01-14")
            reg.journal_create(actor=None, organisation=org, kind=JournalKind.OUTGOING,
                               name="Журнал реєстрації вихідних документів", index_template="01-15/{seq}")
            log(f"Створено {NAME}: журнали вхідних і вихідних, діловод «{CLERK}», ЦС установи.")
        if not Participant.objects.filter(organisation=org, is_active=True).exists():
            participant_enable(actor=None, organisation=org)
            log(f"{SHORT_NAME} — учасник обміну між установками (ЄДРПОУ {EDRPOU}, печатка від ЦС установи).")
    return org


def own_card(org: Any) -> dict[str, Any]:
    from ratusha.exchange.services.directory import participant_card

    return participant_card(org.exchange_participant)


# --- the main installation ---------------------------------------------------------------------------

def main_cards(main: str, *, wait_seconds: float = 0, log: Log = print) -> list[dict[str, Any]]:
    """The participants' cards the main installation publishes at ``GET /exchange/v1/`` (waits for it to
    come up while ``make run`` is still loading the demo)."""
    url = main.rstrip("/") + "/exchange/v1/"
    give_up = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 — the trainer's own URL
                data = json.loads(response.read(1024 * 1024))
            return [c for c in data.get("participants", []) if isinstance(c, dict)]
        except (urllib.error.URLError, OSError, ValueError) as exc:
            if time.monotonic() >= give_up:
                raise ConnectionError(f"Основна установка {url} не відповідає: {getattr(exc, 'reason', exc)}. "
                                      "Запустіть її (`make run`) в іншому терміналі.") from exc
            if not told:
                log(f"Чекаю на основну установку {main} (`make run` в іншому терміналі)…")
                told = True
            time.sleep(3)


def peers_add(cards: list[dict[str, Any]], *, log: Log) -> list[Any]:
    """Add (or refresh) the main installation's participants in this installation's directory."""
    from ratusha.exchange.models import Participant, Peer
    from ratusha.exchange.services import peer_save

    own = set(Participant.objects.values_list("organisation__edrpou", flat=True))
    peers = []
    for card in cards:
        if str(card.get("id")) in own:
            continue
        existing = Peer.objects.filter(participant_id=str(card.get("id"))).first()
        peers.append(peer_save(actor=None, participant_id=str(card.get("id") or ""), name=str(card.get("name") or ""),
                               short_name=str(card.get("short_name") or ""), endpoint=str(card.get("endpoint") or ""),
                               certificate=str(card.get("certificate") or ""), peer=existing))
    if peers:
        log("Довідник учасників: " + ", ".join(f"{p.short_name} ({p.participant_id})" for p in peers))
    return peers


def main_manage(args: list[str], *, main_env: dict[str, str], main_data_dir: Path) -> subprocess.CompletedProcess:
    """``ratusha manage …`` in the main installation (its data dir on this machine)."""
    # The demo (``ratusha run --demo``) takes peers on http://; so does this command in its data dir.
    env = dict(main_env, RATUSHA_DATA_DIR=str(main_data_dir), RATUSHA_EXCHANGE_ALLOW_HTTP="1")
    return subprocess.run([sys.executable, "-m", "ratusha.cli", "manage", *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def main_enable(*, main_env: dict[str, str], main_data_dir: Path, log: Log) -> bool:
    """A demo loaded before exchange between installations existed has no participants: enable the
    committee and the water utility there, as ``ratusha demo`` does now."""
    ok = False
    for code in ("demo-vykonkom", "demo-vodokanal"):
        result = main_manage(["exchange", "enable", "--org", code], main_env=main_env, main_data_dir=main_data_dir)
        ok = ok or result.returncode == 0
        if result.returncode != 0:
            log(f"Не вдалося підключити {code} в основній установці: {result.stderr.strip()[-300:]}")
    return ok


def main_register(card_path: Path, *, main_env: dict[str, str], main_data_dir: Path, log: Log) -> bool:
    """Add this installation's card to the main installation's directory."""
    result = main_manage(["exchange", "peer-add", str(card_path)], main_env=main_env, main_data_dir=main_data_dir)
    if result.returncode != 0:
        log(f"Не вдалося додати картку до довідника основної установки ({main_data_dir}): "
            f"{result.stderr.strip()[-300:]}")
        return False
    log(f"Картку {SHORT_NAME} додано до довідника основної установки ({main_data_dir}).")
    return True


def register_instruction(card_path: Path, main_data_dir: Path) -> str:
    return (f"Адміністратор основної установки має додати картку {SHORT_NAME} до свого довідника учасників:\n"
            f"  RATUSHA_DATA_DIR={main_data_dir} ratusha manage exchange peer-add {card_path}\n"
            "Доки цього не зроблено, основна установка відхилятиме пакети від невідомого відправника.")


# --- the first letter --------------------------------------------------------------------------------

def _letter_pdf(index: str, date: dt.date, recipient: str) -> bytes:
    from ratusha.training.demo_letters import Page, document_html
    from ratusha.training.demo_pdf import render_html_pages

    page = Page(header=NAME, header_sub="вул. Центральна, 1, с. Вишневе, 35120 · rada@vyshneva.example.org · "
                                         f"код ЄДРПОУ {EDRPOU}",
                number_line=f"№ {index} від {date:%d.%m.%Y}", addressee=[recipient], title=LETTER_SUMMARY,
                paragraphs=[
                    "Вишнева сільська рада пропонує організувати спільний шкільний автобусний маршрут "
                    "Вишневе — Соснівка для учнів старших класів, які навчаються в ліцеях міста.",
                    "Просимо розглянути можливість спільного фінансування перевезень у наступному навчальному "
                    "році та визначити відповідальну особу з боку виконавчого комітету для підготовки договору "
                    "про співробітництво територіальних громад.",
                ], sign_position="Сільський голова", sign_name="Петро ГАВРИЛЮК",
                executor_line="Вишняк Марія, +380 (4532) 5-11-01")
    return render_html_pages(document_html([page]), 1)[0]


def first_letter(org: Any, *, log: Log) -> Any | None:
    """On the first start: one letter to the executive committee of the main installation (sent by the
    outbox as soon as the worker runs). ``None`` when a letter was sent before or there is no addressee."""
    from django.db import transaction
    from django.utils import timezone

    from ratusha.exchange.constants import Route
    from ratusha.exchange.models import Delivery, Peer
    from ratusha.exchange.services import delivery_send
    from ratusha.orgs.models import User
    from ratusha.registry import services as reg
    from ratusha.registry.constants import DocumentKind, JournalKind
    from ratusha.registry.models import Journal, JournalCounter
    from ratusha.registry.services.numbering import document_reg_index

    if Delivery.objects.filter(route=Route.OUTBOUND, sender=org).exists():
        return None
    peer = Peer.objects.filter(participant_id=MAIN_RECIPIENT, is_active=True).first()
    if peer is None:
        log("Виконавчого комітету немає в довіднику учасників — перший лист не надіслано.")
        return None
    clerk = User.objects.get(username=CLERK)
    journal = Journal.objects.get(organisation=org, kind=JournalKind.OUTGOING)
    today = timezone.localdate()
    counter = JournalCounter.objects.filter(journal=journal, year=today.year).first()
    index = document_reg_index(journal=journal, seq=(counter.last_number if counter else 0) + 1, year=today.year,
                               case_file=None, unit=None)
    pdf = _letter_pdf(index, today, peer.name)
    with transaction.atomic():
        document = reg.document_register(
            actor=clerk, journal=journal, kind=DocumentKind.LETTER, summary=LETTER_SUMMARY, reg_date=today,
            correspondent=peer.name, signed_by="Петро ГАВРИЛЮК", pages=1,
            files=[reg.FileInput(name=f"Лист {index.replace('/', '-')}.pdf", content=pdf)])
        [delivery] = delivery_send(actor=clerk, document=document, peers=[peer])
    log(f"Надіслано лист № {document.reg_index} «{LETTER_SUMMARY}» до {peer.short_name} "
        "(пакет піде, щойно запуститься обробник завдань).")
    return delivery


def logins_text(port: int) -> str:
    return (f"{NAME}: http://{HOST_NAME}:{port}/office/  (вхідні від інших установок: "
            f"http://{HOST_NAME}:{port}/office/exchange/)\n"
            f"Діловод: логін {CLERK}, пароль {PASSWORD}")


def start(*, main: str, port: int, main_data_dir: Path, main_env: dict[str, str], register: bool = True,
          wait_seconds: float = 900, log: Log = print) -> Any:
    """Everything before serving: setup, the directories of both installations, the first letter."""
    from django.conf import settings

    org = neighbour_setup(log=log)
    card_path = Path(settings.DATA_DIR) / CARD_FILE
    card_path.write_text(json.dumps(own_card(org), ensure_ascii=False, indent=1), encoding="utf-8")
    cards = main_cards(main, wait_seconds=wait_seconds, log=log)
    if not cards and register:
        log("Основна установка ще не має учасників обміну між установками — підключаю виконком і водоканал.")
        if main_enable(main_env=main_env, main_data_dir=main_data_dir, log=log):
            cards = main_cards(main, log=log)
    if not peers_add(cards, log=log):
        log(f"Основна установка {main} не публікує учасників обміну: листи до неї надіслати не вийде.")
    if register and main_register(card_path, main_env=main_env, main_data_dir=main_data_dir, log=log):
        first_letter(org, log=log)
    else:
        # A package from a sender the main installation does not know yet would be refused for good.
        log(register_instruction(card_path, main_data_dir))
        log("Перший лист надішліть з картки вихідного документа, коли картку буде додано.")
    return org
