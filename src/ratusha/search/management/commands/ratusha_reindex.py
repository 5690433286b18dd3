from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from ratusha.search.services import reindex_all


class Command(BaseCommand):
    help = "Rebuild the full-text search index of the registration cards."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="cards per transaction")
        parser.add_argument("--stale", action="store_true",
                            help="only cards that are not indexed or changed since")
        parser.add_argument("--no-extract", action="store_true",
                            help="do not read files whose text was never extracted")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        verbosity = options["verbosity"]

        def progress(done: int) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {done}")

        total = reindex_all(batch=max(1, options["batch"]), extract=not options["no_extract"],
                            stale_only=options["stale"], progress=progress)
        elapsed = time.perf_counter() - started
        rate = total / elapsed if elapsed else 0.0
        self.stdout.write(self.style.SUCCESS(
            f"Indexed {total} documents in {elapsed:.1f} s ({rate:.0f} documents/s)."))
