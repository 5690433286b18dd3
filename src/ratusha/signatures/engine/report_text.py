"""A verification report as readable Ukrainian text (``ratusha verify``; also usable in e-mails/logs)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .assess import fmt_date, fmt_dt
from .types import ReportStatus, SignatureReport, VerificationReport


def status_label(status: ReportStatus) -> str:
    return {
        ReportStatus.VALID: _("ПІДПИС ДІЙСНИЙ"),
        ReportStatus.INVALID: _("ПІДПИС НЕДІЙСНИЙ"),
        ReportStatus.INDETERMINATE: _("ДІЙСНІСТЬ НЕ ПІДТВЕРДЖЕНО"),
        ReportStatus.UNSIGNED: _("ФАЙЛ НЕ ПІДПИСАНО"),
        ReportStatus.MALFORMED: _("ФАЙЛ ПОШКОДЖЕНИЙ АБО НЕ ПІДТРИМУЄТЬСЯ"),
    }[ReportStatus(status)]


def kind_label(kind: str) -> str:
    return {"pdf": _("документ PDF (PAdES)"), "cades": _("підпис CAdES (.p7s)"),
            "asice": _("контейнер ASiC-E (.asice)")}.get(kind, _("невідомий формат"))


def revocation_label(sig: SignatureReport) -> str:
    source = {"ocsp": _("відповідь OCSP"), "crl": _("список відкликаних сертифікатів (CRL)"),
              "dss": _("дані, вбудовані в документ")}.get(sig.revocation_source or "", "")
    text = {
        "good": _("не відкликаний"),
        "revoked": _("ВІДКЛИКАНИЙ %(when)s") % {"when": fmt_dt(sig.revoked_at)},
        "unknown": _("невідомий"),
        "not-checked": _("не перевірявся"),
    }.get(sig.revocation, sig.revocation)
    return f"{text} ({source})" if source else text


def yes_no(value: bool | None) -> str:
    return "—" if value is None else (_("так") if value else _("НІ"))


def format_signature(index: int, total: int, sig: SignatureReport) -> list[str]:
    signer = ", ".join(part for part in (sig.signer_name, sig.signer_title) if part) or "—"
    lines = [_("Підпис %(n)s з %(total)s: %(status)s") % {"n": index, "total": total,
                                                          "status": status_label(sig.status)},
             "  " + _("Підписувач: %(signer)s") % {"signer": signer}]
    if sig.organisation:
        lines.append("  " + _("Організація: %(org)s") % {"org": sig.organisation})
    if sig.signer_serial:
        cert = _("серійний номер %(serial)s, видав «%(issuer)s»") % {"serial": sig.signer_serial,
                                                                     "issuer": sig.issuer_name}
        if sig.certificate_not_after:
            cert += ", " + _("чинний до %(date)s") % {"date": fmt_date(sig.certificate_not_after)}
        lines.append("  " + _("Сертифікат: %(cert)s") % {"cert": cert})
    lines += [
        "  " + _("Час підписання (за заявою підписувача): %(t)s") % {"t": fmt_dt(sig.signing_time)},
        "  " + _("Позначка часу: %(t)s") % {"t": fmt_dt(sig.timestamp_time) if sig.timestamp_time else _("немає")},
        "  " + _("Цілісність: %(v)s") % {"v": yes_no(sig.integrity_ok)},
        "  " + _("Ланцюжок до довіреного центру: %(v)s") % {
            "v": yes_no(sig.chain_ok) + (f" ({sig.trusted_root})" if sig.chain_ok and sig.trusted_root else "")},
        "  " + _("Статус сертифіката: %(v)s") % {"v": revocation_label(sig)},
    ]
    if sig.level:
        lines.append("  " + _("Рівень підпису: %(level)s") % {"level": sig.level})
    if sig.covers_whole_file is not None:
        lines.append("  " + _("Охоплює весь документ: %(v)s") % {"v": yes_no(sig.covers_whole_file)})
    if sig.problems:
        lines.append("  " + _("Проблеми:"))
        lines += [f"    - {p}" for p in sig.problems]
    if sig.notes:
        lines.append("  " + _("Примітки:"))
        lines += [f"    - {n}" for n in sig.notes]
    return lines


def format_report(report: VerificationReport, filename: str = "") -> str:
    lines = []
    if filename:
        lines.append(_("Файл: %(name)s") % {"name": filename})
    lines += [_("Формат: %(kind)s") % {"kind": kind_label(report.kind)},
              _("Результат: %(status)s") % {"status": status_label(report.status)}]
    if report.files:
        lines.append(_("Підписані файли: %(files)s") % {"files": ", ".join(report.files)})
    if report.problems:
        lines.append(_("Проблеми:"))
        lines += [f"  - {p}" for p in report.problems]
    for index, sig in enumerate(report.signatures, start=1):
        lines.append("")
        lines += format_signature(index, len(report.signatures), sig)
    return "\n".join(lines) + "\n"
