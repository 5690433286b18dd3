from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ratusha.website.audience.services.site_index import site_index_rebuild
from ratusha.website.cache import site_cache_clear


class Command(BaseCommand):
    help = _("Перебудувати пошуковий індекс сторінок сайту (усі опубліковані публічні сторінки).")

    def handle(self, *args, **options) -> None:
        count = site_index_rebuild()
        site_cache_clear()
        self.stdout.write(_("Проіндексовано сторінок: %(n)d") % {"n": count})
