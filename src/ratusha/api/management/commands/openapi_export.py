"""Write the API's OpenAPI schema to ``docs/api/openapi.json`` (committed; a test fails when the code
drifts from it): ``ratusha manage openapi_export`` (or ``--check`` to only compare)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SCHEMA_PATH = Path(settings.REPO_DIR) / "docs" / "api" / "openapi.json"


def current_schema_text() -> str:
    from ratusha.api.v1 import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    plain = json.loads(json.dumps(schema))  # int status keys become strings, as in any JSON file
    return json.dumps(plain, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write (or --check) the committed OpenAPI schema of /api/v1/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="only compare; exit 1 when it differs")

    def handle(self, *args, check: bool = False, **options) -> None:
        text = current_schema_text()
        if check:
            if not SCHEMA_PATH.exists() or SCHEMA_PATH.read_text(encoding="utf-8") != text:
                raise CommandError(f"{SCHEMA_PATH} is out of date: run `ratusha manage openapi_export`.")
            self.stdout.write("OpenAPI schema is up to date.")
            return
        SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {SCHEMA_PATH}")
