"""``python -m django open311_key_create --organisation CODE --name NAME``: issue an Open311 API key.

Prints the key (only now: the database keeps its SHA-256). The demo loader calls it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ratusha.appeals.open311.services import api_key_create
from ratusha.core.errors import ApplicationError
from ratusha.orgs.models import Organisation


class Command(BaseCommand):
    help = "Issue an Open311 GeoReport v2 API key for a client of an organisation and print it once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation code (Organisation.code)")
        parser.add_argument("--name", required=True, help="client name, e.g. «Мобільний застосунок міста»")

    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {options['organisation']!r}.")
        try:
            key, raw = api_key_create(actor=None, organisation=organisation, name=options["name"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["verbosity"] >= 1:
            self.stderr.write(f"Open311 API key {key.key_id}… for «{key.name}» ({organisation.code}):")
        self.stdout.write(raw)
