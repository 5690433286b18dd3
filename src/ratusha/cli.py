"""The `ratusha` command (interface names fixed by docs/architecture.md).

    ratusha run [--demo] [--host H] [--port P]   migrate, (demo), serve with gunicorn + tasks worker
    ratusha worker                                the background tasks worker alone
    ratusha scheduler                             enqueues the periodic tasks (django-crontask)
    ratusha demo                                  load the demo data (idempotent)
    ratusha neighbour [--port 8001] [--main URL]  a second installation to exchange with (training)
    ratusha createadmin                           the first administrator of a real installation
    ratusha audit-verify                          check the audit log's hash chain
    ratusha deadline RULE START [--martial-law on|off] [--shift previous|next]   a statutory deadline
    ratusha backup DIR / restore DIR              database + stored files + keys
    ratusha verify FILE [--content F] [--json] [--trust PEM …]   check an e-signature (exit 0 only if valid)
    ratusha manage ...                            any Django management command
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SETTINGS = "ratusha.settings"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _manage(*args: str, **options: object) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


def _print_logins() -> None:
    from ratusha.training.demo import format_demo_logins

    print("\nДемонстраційні облікові записи:\n" + format_demo_logins() + "\n", flush=True)


def cmd_run(args: argparse.Namespace) -> int:
    if args.demo:
        os.environ["RATUSHA_DEMO"] = "1"
    # Links in e-mails and the exchange endpoint given to peers follow the address served.
    if args.host not in ("0.0.0.0", "::"):  # noqa: S104 - a wildcard is no address to give out
        os.environ.setdefault("RATUSHA_BASE_URL", f"http://{args.host}:{args.port}")
    _setup()
    from django.conf import settings

    print(f"Дані: {settings.DATA_DIR}")
    _manage("migrate", "--noinput", verbosity=0)
    _manage("collectstatic", "--noinput", verbosity=0)
    if args.demo:
        from ratusha.training.demo import demo_loaded

        if demo_loaded():
            print("Демонстраційні дані вже завантажено — використовую наявні.")
        else:
            print("Завантажую демонстраційні дані (перший запуск)…")
            started = time.monotonic()
            _manage("demo", "--no-logins")
            print(f"Готово за {time.monotonic() - started:.0f} с.")
        _print_logins()
    return _serve(f"{args.host}:{args.port}", workers=args.workers)


def _serve(bind: str, *, workers: int, banner: str = "") -> int:
    """gunicorn + the tasks worker + the scheduler, with the current environment, until Ctrl-C."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=os.environ["DJANGO_SETTINGS_MODULE"])
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ratusha.wsgi:application", "--bind", bind,
         "--workers", str(workers), "--threads", "4", "--access-logfile", "-",
         "--graceful-timeout", "5", "--timeout", "60",
         # Not used by Ratusha; one shared ~/.gunicorn/gunicorn.ctl would clash between installations.
         "--no-control-socket"],
        env=env, start_new_session=True,
    )
    worker = subprocess.Popen([sys.executable, "-m", "ratusha.cli", "worker"], env=env, start_new_session=True)
    scheduler = subprocess.Popen([sys.executable, "-m", "ratusha.cli", "scheduler"], env=env,
                                 start_new_session=True)
    print(banner or f"Сайт:    http://{bind}/\nКабінет: http://{bind}/office/", flush=True)
    print("Ctrl-C — зупинити.\n", flush=True)
    children = [web, worker, scheduler]
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for child in children:
            if child.poll() is not None:
                print(f"Процес {child.args[2:4]} завершився з кодом {child.returncode}; зупиняю.", file=sys.stderr)
                stopping, code = True, child.returncode or 1
        time.sleep(0.3)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    print("Зупинено.")
    return code


def cmd_neighbour(args: argparse.Namespace) -> int:
    """The training neighbour «Вишнева сільська рада» (training/neighbour.py): its own data dir and SQLite,
    exchanging documents with the demo served by ``make run``."""
    from ratusha.training import neighbour

    base = dict(os.environ)
    main_data = Path(args.main_data or base.get("RATUSHA_DATA_DIR") or Path(__file__).resolve().parents[2] / "var")
    data_dir = Path(args.data_dir or main_data / "neighbour").resolve()
    os.environ.clear()
    os.environ.update(neighbour.neighbour_env(base=base, data_dir=data_dir, port=args.port))
    _setup()
    print(f"{neighbour.NAME} — сусідня установка для навчання. Дані: {data_dir}", flush=True)
    neighbour.migrate(log=lambda msg: print(msg, flush=True))
    print("Збираю статичні файли…", flush=True)
    _manage("collectstatic", "--noinput", verbosity=0)
    try:
        neighbour.start(main=args.main, port=args.port, main_data_dir=main_data.resolve(), main_env=base,
                        register=not args.no_register, log=lambda msg: print(msg, flush=True))
    except ConnectionError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C while waiting for the main installation
        print("Зупинено.")
        return 130
    return _serve(f"{args.host}:{args.port}", workers=1, banner=neighbour.logins_text(args.port))


def cmd_worker(_args: argparse.Namespace) -> int:
    _setup()
    _manage("db_worker", "--interval", "1", verbosity=1)
    return 0


def cmd_scheduler(_args: argparse.Namespace) -> int:
    """Periodic tasks (daily digests, escalations, index sweep) are enqueued for the worker by
    django-crontask from the ``@cron`` schedules in each app's ``tasks.py``. Run exactly one per
    installation (or give ``CRONTASK = {"REDIS_URL": ...}`` a lock); the daily tasks are idempotent."""
    _setup()
    _manage("crontask", "--no-heartbeat", verbosity=1)
    return 0


def cmd_demo(_args: argparse.Namespace) -> int:
    _setup()
    _manage("demo")  # prints the logins table itself
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    _setup()
    import getpass

    from django.core.exceptions import ValidationError

    from ratusha.orgs.bootstrap import administrator_create

    password = os.environ.get("RATUSHA_ADMIN_PASSWORD") or args.password
    if not password:
        password = getpass.getpass("Пароль: ")
        if password != getpass.getpass("Пароль ще раз: "):
            print("Паролі не збігаються.", file=sys.stderr)
            return 2
    try:
        user = administrator_create(username=args.username, email=args.email or "", password=password,
                                    organisation_name=args.organisation or "")
    except (ValidationError, ValueError) as exc:
        print(f"Помилка: {'; '.join(getattr(exc, 'messages', [str(exc)]))}", file=sys.stderr)
        return 2
    print(f"Адміністратора «{user.username}» створено. Під час першого входу налаштуйте другий фактор (TOTP).")
    return 0


def cmd_audit_verify(_args: argparse.Namespace) -> int:
    _setup()
    from ratusha.core.audit import audit_verify
    from ratusha.core.models import AuditEvent

    problem = audit_verify()
    if problem is None:
        print(f"OK: журнал аудиту цілісний ({AuditEvent.objects.count()} подій).")
        return 0
    print(f"ПОРУШЕННЯ: перший пошкоджений запис — {problem}", file=sys.stderr)
    return 1


def cmd_deadline(args: argparse.Namespace) -> int:
    _setup()
    from ratusha.calendar.cli import run_deadline

    return run_deadline(args.rule, args.start, martial_law=args.martial_law, shift=args.shift)


def cmd_backup(args: argparse.Namespace) -> int:
    _setup()
    from ratusha.core.backup import backup

    path = backup(Path(args.dir))
    print(f"Резервну копію збережено: {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _setup()
    from ratusha.core.backup import restore

    restore(Path(args.dir))
    print("Відновлено з резервної копії.")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    _setup()
    from ratusha.signatures.engine.cli import run_verify

    return run_verify(args)


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ratusha manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ratusha", description="Ратуша — СЕД і вебсайт громади")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="сервер + обробник фонових завдань")
    run.add_argument("--demo", action="store_true", help="демонстраційна інсталяція")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", default=os.environ.get("PORT", "8000"))
    run.add_argument("--workers", type=int, default=int(os.environ.get("RATUSHA_WEB_WORKERS", "2")))
    run.set_defaults(func=cmd_run)
    nb = sub.add_parser("neighbour", help="сусідня установка для навчання обміну (Вишнева сільська рада)")
    nb.add_argument("--port", type=int, default=8001)
    nb.add_argument("--host", default="127.0.0.1")
    nb.add_argument("--main", default="http://127.0.0.1:8000", help="адреса основної установки (make run)")
    nb.add_argument("--main-data", help="каталог даних основної установки (типово var/)")
    nb.add_argument("--data-dir", help="каталог даних сусідньої установки (типово var/neighbour/)")
    nb.add_argument("--no-register", action="store_true",
                    help="не додавати картку до довідника основної установки, лише надрукувати інструкцію")
    nb.set_defaults(func=cmd_neighbour)
    sub.add_parser("worker", help="обробник фонових завдань").set_defaults(func=cmd_worker)
    sub.add_parser("scheduler", help="планувальник періодичних завдань").set_defaults(func=cmd_scheduler)
    sub.add_parser("demo", help="завантажити демонстраційні дані").set_defaults(func=cmd_demo)
    ca = sub.add_parser("createadmin", help="створити першого адміністратора")
    ca.add_argument("--username", required=True)
    ca.add_argument("--email")
    ca.add_argument("--password", help="краще через RATUSHA_ADMIN_PASSWORD або запит")
    ca.add_argument("--organisation", help="назва організації (створюється, якщо її ще немає)")
    ca.set_defaults(func=cmd_createadmin)
    sub.add_parser("audit-verify", help="перевірити журнал аудиту").set_defaults(func=cmd_audit_verify)
    dl = sub.add_parser("deadline", help="кінцевий строк за правилом (docs/legal.md §8)")
    dl.add_argument("rule", metavar="RULE")
    dl.add_argument("start", metavar="START", help="РРРР-ММ-ДД або РРРР-ММ-ДДTГГ:ХХ[:СС][±ГГ:ХХ]")
    dl.add_argument("--martial-law", choices=["on", "off"], help="типово — як у календарі інсталяції")
    dl.add_argument("--shift", choices=["previous", "next"], help="типово — як у календарі інсталяції")
    dl.set_defaults(func=cmd_deadline)
    b = sub.add_parser("backup", help="резервна копія")
    b.add_argument("dir")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="відновлення з резервної копії")
    r.add_argument("dir")
    r.set_defaults(func=cmd_restore)
    v = sub.add_parser("verify", help="перевірити електронний підпис (PDF, .p7s, .asice)")
    v.add_argument("file", metavar="FILE", help="підписаний PDF, підпис .p7s або контейнер .asice")
    v.add_argument("--content", metavar="FILE", help="підписаний файл для відокремленого підпису .p7s")
    v.add_argument("--json", action="store_true", help="звіт у форматі JSON")
    v.add_argument("--trust", action="append", default=[], metavar="PEM", help="довірений кореневий сертифікат")
    v.add_argument("--offline", action="store_true", help="не звертатися до OCSP/CRL мережею")
    v.set_defaults(func=cmd_verify)
    m = sub.add_parser("manage", help="будь-яка команда Django", add_help=False)
    m.add_argument("rest", nargs=argparse.REMAINDER)
    m.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
