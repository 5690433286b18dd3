"""``python -m django appeals_classifier_load FILE [--dry-run] [--note TEXT]``: load Classifier 858 subject and
issue codes from a CSV as a new version (``--sample`` loads the structure sample shipped with Ratusha)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ratusha.appeals.services.classifier import classifier_check, classifier_load
from ratusha.core.errors import ApplicationError

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "classifier_sample.csv"


class Command(BaseCommand):
    help = "Load Classifier 858 subject/issue codes from a CSV (code;title;parent_code) as a new version."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", help="CSV file (UTF-8 or Windows-1251, ';' or ',')")
        parser.add_argument("--sample", action="store_true", help="load the sample shipped with Ratusha")
        parser.add_argument("--dry-run", action="store_true", help="only check the file and print the report")
        parser.add_argument("--note", default="", help="a note stored with the version")

    def handle(self, *args: Any, **options: Any) -> None:
        path = SAMPLE if options["sample"] else Path(options["file"] or "")
        if not options["sample"] and not options["file"]:
            raise CommandError("give a FILE or --sample")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        report = classifier_check(data)
        for problem in report.file_errors:
            self.stderr.write(f"{path.name}: {problem}")
        for line in report.error_lines:
            self.stderr.write(f"{path.name}:{line.number}: {'; '.join(line.errors)}")
        self.stdout.write(f"{report.count} codes, {len(report.error_lines)} lines with errors "
                          f"({report.encoding}, '{report.delimiter}'); new {len(report.added)}, "
                          f"removed {len(report.removed)}, retitled {len(report.retitled)}")
        if not report.ok:
            raise CommandError("the file has errors: nothing loaded")
        if options["dry_run"]:
            return
        try:
            version = classifier_load(actor=None, data=data, source_name=path.name, note=options["note"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"classifier version {version.number} loaded"))
