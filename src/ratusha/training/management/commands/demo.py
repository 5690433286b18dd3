"""``ratusha demo`` / ``python -m django demo``: load the demo installation (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ratusha.training.demo import DEFAULT_DOCUMENTS, DemoRefusedError, format_demo_logins, load_demo


class Command(BaseCommand):
    help = "Завантажує демонстраційні дані (вигадана Соснівська міська рада). Повторний запуск нічого не змінює."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--documents", type=int, default=DEFAULT_DOCUMENTS,
                            help="Кількість документів (типово %(default)s).")
        parser.add_argument("--pdf-workers", type=int, default=None,
                            help="Процеси для генерації PDF (типово: за кількістю ядер, до 2).")
        parser.add_argument("--no-logins", action="store_true", help="Не друкувати таблицю входів.")

    def handle(self, *args, **options) -> None:
        if options["documents"] < 0:
            raise CommandError("--documents має бути невід'ємним.")
        try:
            result = load_demo(documents=options["documents"], pdf_workers=options["pdf_workers"],
                               log=lambda msg: self.stdout.write(msg))
        except DemoRefusedError as exc:
            raise CommandError(str(exc)) from exc
        if result.created:
            steps = ", ".join(f"{name} {sec:.1f} с" for name, sec in result.timings.items())
            self.stdout.write(self.style.SUCCESS(
                f"Демонстраційні дані завантажено за {result.seconds:.1f} с: {result.organisations} організацій, "
                f"{result.employees} призначень ({result.users} користувачів), {result.documents} документів, "
                f"{result.files} файлів; PDF-процесів: {result.pdf_workers}."))
            self.stdout.write(f"Етапи: {steps}")
            if result.index_mismatches:
                self.stdout.write(self.style.WARNING(
                    f"Номери {result.index_mismatches} документів відрізняються від надрукованих у PDF."))
        else:
            self.stdout.write(f"Демонстраційні дані вже завантажено ({result.documents} документів); "
                              "нічого не змінено.")
        if not options["no_logins"]:
            self.stdout.write("")
            self.stdout.write(format_demo_logins())
