"""``ratusha manage acts_sweep``: publish public act cards missing from the site, withdraw stale ones."""

from django.core.management.base import BaseCommand

from ratusha.website.acts.services import act_sweep


class Command(BaseCommand):
    help = "Re-find acts the registration hook missed (idempotent)."

    def handle(self, *args, **options):
        result = act_sweep()
        self.stdout.write(f"published={result['published']} changed={result['changed']}")
