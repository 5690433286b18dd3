import warnings

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ratusha.core"
    label = "core"
    verbose_name = _("Ядро")

    def ready(self) -> None:
        limit_image_decoding()


def limit_image_decoding() -> None:
    """Pillow refuses (not merely warns about) images over ``MAX_IMAGE_PIXELS`` before decoding them."""
    from django.conf import settings
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = int(settings.MAX_IMAGE_PIXELS)
    warnings.simplefilter("error", Image.DecompressionBombWarning)
