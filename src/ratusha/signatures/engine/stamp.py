"""The visible stamp: a small one-page PDF (WeasyPrint, DejaVu Sans for Cyrillic, vector QR code)
placed as the appearance of the signature field by pyHanko's ``StaticStampStyle``."""

from __future__ import annotations

import html
import io
import os
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import SignatureEngineError
from .types import Stamp

STAMP_WIDTH = 260  # points (two per row on A4 with 28 pt margins)
STAMP_HEIGHT = 82
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FONT_PACKAGE = "fonts-dejavu-core"  # Debian package that ships the fonts


def font_dir() -> Path:
    for directory in FONT_DIRS:
        if all((directory / name).is_file() for name in FONT_FILES):
            return directory
    raise SignatureEngineError(
        _("Не знайдено шрифт DejaVu Sans для штампа підпису. Встановіть пакет %(package)s.")
        % {"package": FONT_PACKAGE}
    )


def _qr_svg(url: str) -> str:
    import qrcode
    from qrcode.image.svg import SvgPathImage

    qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, image_factory=SvgPathImage)
    qr.add_data(url)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image().save(buf)
    svg = buf.getvalue().decode("utf-8")
    return svg[svg.index("<svg"):]


def stamp_pdf(stamp: Stamp) -> bytes:
    """Render the stamp as a PDF page of STAMP_WIDTH × STAMP_HEIGHT points."""
    from weasyprint import HTML

    fonts = font_dir()
    lines = [html.escape(line) for line in stamp.lines if line]
    first, rest = (lines[0], lines[1:]) if lines else ("", [])
    qr = f'<div class="qr">{_qr_svg(stamp.qr_url)}</div>' if stamp.qr_url else ""
    document = f"""<!doctype html><html lang="uk"><head><meta charset="utf-8"><style>
@font-face {{ font-family: StampSans; src: url("{(fonts / FONT_FILES[0]).as_uri()}"); }}
@font-face {{ font-family: StampSans; font-weight: bold; src: url("{(fonts / FONT_FILES[1]).as_uri()}"); }}
@page {{ size: {STAMP_WIDTH}pt {STAMP_HEIGHT}pt; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: StampSans; color: #123a6b; }}
.box {{ box-sizing: border-box; width: {STAMP_WIDTH}pt; height: {STAMP_HEIGHT}pt; border: 1.2pt solid #1f5fa8;
        border-radius: 5pt; padding: 4pt 5pt; display: flex; gap: 5pt; background: #ffffff; }}
.qr {{ flex: 0 0 {STAMP_HEIGHT - 12}pt; height: {STAMP_HEIGHT - 12}pt; }}
.qr svg {{ width: 100%; height: 100%; }}
.text {{ flex: 1; overflow: hidden; font-size: 6.6pt; line-height: 1.25; }}
.text .title {{ font-weight: bold; font-size: 7.2pt; margin-bottom: 1.5pt; }}
</style></head><body><div class="box">{qr}<div class="text"><div class="title">{first}</div>
{"".join(f"<div>{line}</div>" for line in rest)}</div></div></body></html>"""
    return HTML(string=document).write_pdf()


class StampFile:
    """The stamp PDF in a temporary file (pyHanko imports pages by file name); removed on exit."""

    def __init__(self, stamp: Stamp) -> None:
        self.data = stamp_pdf(stamp)
        self.path = ""

    def __enter__(self) -> str:
        fd, self.path = tempfile.mkstemp(suffix=".pdf", prefix="ratusha-stamp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(self.data)
        return self.path

    def __exit__(self, *exc) -> None:
        if self.path:
            Path(self.path).unlink(missing_ok=True)
