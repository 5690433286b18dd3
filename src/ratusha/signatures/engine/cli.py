"""``ratusha verify FILE [--content FILE] [--json] [--trust PEM …]`` — exit 0 only for a valid signature,
1 for invalid / indeterminate / unsigned, 2 for a malformed file or a usage error."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from cryptography import x509

logger = logging.getLogger(__name__)
EXIT_VALID, EXIT_NOT_VALID, EXIT_USAGE = 0, 1, 2


def load_pem_roots(paths: list[str]) -> tuple[x509.Certificate, ...]:
    roots: list[x509.Certificate] = []
    for path in paths:
        data = Path(path).read_bytes()
        if b"-----BEGIN" in data:
            roots += x509.load_pem_x509_certificates(data)
        else:
            roots.append(x509.load_der_x509_certificate(data))
    return tuple(roots)


def installation_trust_roots() -> tuple[x509.Certificate, ...] | None:
    """The installation's trust list (the Django side's selector), or None when it is not available."""
    try:
        from ratusha.signatures.selectors import trust_roots
    except ImportError:
        return None
    try:
        return tuple(trust_roots())
    except Exception as exc:  # noqa: BLE001 — no database etc.: fall back to --trust
        logger.info("trust list unavailable: %s", exc)
        return None


def run_verify(args) -> int:
    from django.utils import translation
    from django.utils.translation import gettext as _

    from . import Services, verify
    from .report_text import format_report
    from .types import ReportStatus

    translation.activate("uk")
    try:
        data = Path(args.file).read_bytes()
        content = Path(args.content).read_bytes() if args.content else None
    except OSError as exc:
        print(_("Не вдалося прочитати файл: %(error)s") % {"error": exc}, file=sys.stderr)
        return EXIT_USAGE
    try:
        roots = load_pem_roots(args.trust) if args.trust else None
    except (OSError, ValueError) as exc:
        print(_("Не вдалося прочитати сертифікат довіреного центру: %(error)s") % {"error": exc}, file=sys.stderr)
        return EXIT_USAGE
    if roots is None:
        roots = installation_trust_roots()
        if roots is None:
            roots = ()
            print(_("Увага: перелік довірених центрів недоступний; вкажіть --trust ФАЙЛ.pem."), file=sys.stderr)
    report = verify(data, content=content, filename=Path(args.file).name,
                    services=Services(trust_roots=roots, allow_fetching=not args.offline))
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report, Path(args.file).name), end="")
    if report.status == ReportStatus.VALID:
        return EXIT_VALID
    return EXIT_USAGE if report.status == ReportStatus.MALFORMED else EXIT_NOT_VALID


