"""Turning the engine's verification report into what the pages show (plain words, Kyiv time)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

VERDICTS = {
    "VALID": ("valid", "check"),
    "INVALID": ("invalid", "ban"),
    "INDETERMINATE": ("unknown", "alert"),
    "UNSIGNED": ("unsigned", "file"),
    "MALFORMED": ("unknown", "alert"),
}


def verdict_text(status: str) -> tuple[str, str]:
    """(headline, explanation) of a report's status."""
    return {
        "VALID": (_("Підпис дійсний"), _("Усі підписи файлу цілі, сертифікати чинні й видані довіреними центрами "
                                         "сертифікації.")),
        "INVALID": (_("Підпис недійсний"), _("Щонайменше один підпис не пройшов перевірку: подробиці нижче.")),
        "INDETERMINATE": (_("Не вдалося перевірити"), _("Підпис не вдалося остаточно перевірити: подробиці нижче.")),
        "UNSIGNED": (_("Файл не підписано"), _("У файлі немає електронного підпису.")),
        "MALFORMED": (_("Не вдалося перевірити"), _("Файл пошкоджено або він має непідтримуваний формат.")),
    }.get(status, (_("Не вдалося перевірити"), ""))


def _time(value: Any) -> str:
    if not value:
        return ""
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M:%S")


def revocation_text(value: str, revoked_at: Any = None) -> str:
    if value == "good":
        return _("не відкликано")
    if value == "revoked":
        when = _time(revoked_at)
        return _("ВІДКЛИКАНО %(when)s") % {"when": when} if when else _("ВІДКЛИКАНО")
    if value == "unknown":
        return _("статус невідомий")
    return _("не перевірявся")


def signature_rows(sig: Any) -> dict[str, Any]:
    css, icon = VERDICTS.get(str(sig.status), ("unknown", "alert"))
    return {
        "status": str(sig.status), "css": css, "icon": icon, "headline": verdict_text(str(sig.status))[0],
        "signer": sig.signer_name, "title": getattr(sig, "signer_title", None), "organisation": sig.organisation,
        "serial": sig.signer_serial, "issuer": sig.issuer_name, "signing_time": _time(sig.signing_time),
        "timestamp_time": _time(sig.timestamp_time), "level": sig.level,
        "integrity": sig.integrity_ok, "chain": sig.chain_ok, "trusted_root": sig.trusted_root,
        "revocation": revocation_text(sig.revocation, sig.revoked_at), "revoked": sig.revocation == "revoked",
        "valid_at_signing": sig.certificate_valid_at_signing, "covers_whole_file": sig.covers_whole_file,
        "problems": list(sig.problems), "notes": list(getattr(sig, "notes", []) or []),
    }


def report_view(report: Any) -> dict[str, Any]:
    status = str(report.status)
    css, icon = VERDICTS.get(status, ("unknown", "alert"))
    headline, explanation = verdict_text(status)
    return {"status": status, "css": css, "icon": icon, "headline": headline, "explanation": explanation,
            "kind": report.kind, "files": list(report.files), "problems": list(report.problems),
            "signatures": [signature_rows(s) for s in report.signatures]}


def failed_report(message: str) -> dict[str, Any]:
    """The page's report when verification itself failed (never a 500, never «valid»)."""
    headline, _explanation = verdict_text("INDETERMINATE")
    return {"status": "INDETERMINATE", "css": "unknown", "icon": "alert", "headline": headline,
            "explanation": message, "kind": "unknown", "files": [], "problems": [], "signatures": []}
