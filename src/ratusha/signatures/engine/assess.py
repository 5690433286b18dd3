"""Turn the facts about one signature into a ``SignatureReport`` with a status and translated problems.

Rules (docs/signatures.md «Правила перевірки»):
* integrity broken, document changed after signing beyond what PAdES allows, certificate not valid at the
  time of signing, or revoked before the time of signing → INVALID;
* the time of signing is the signature timestamp's time (B-T and up); without a timestamp the time the
  signer claims cannot be trusted for revocation, so any revocation makes the signature INVALID;
* revoked after a trustworthy timestamp → VALID with a note (the signature was made before revocation);
* chain not reaching a trusted root, or revocation status unavailable → INDETERMINATE.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext as _

from ._util import display_name, name_attr, now, serial_hex, valid_at
from .revocation import RevocationResult, check_revocation, find_issuer
from .types import ReportStatus, Services, SignatureReport


def fmt_dt(value: datetime | None) -> str:
    if value is None:
        return "—"
    try:
        from django.utils import timezone

        value = timezone.localtime(value)
    except Exception:  # noqa: BLE001, S110 — without Django settings keep UTC
        pass
    return value.strftime("%d.%m.%Y %H:%M:%S %Z").strip()


def fmt_date(value: datetime) -> str:
    return value.strftime("%d.%m.%Y")


@dataclass
class Facts:
    cert: x509.Certificate | None
    other_certs: Sequence[x509.Certificate] = ()
    integrity_ok: bool = False
    chain_ok: bool = False
    trusted_root: str | None = None
    chain_problem: str | None = None
    signing_time: datetime | None = None
    timestamp_time: datetime | None = None
    timestamp_problem: str | None = None
    timestamp_fatal: bool = False
    level: str | None = None
    covers_whole_file: bool | None = None
    modification_problem: str | None = None
    embedded_ocsps: Sequence[bytes] = ()
    embedded_crls: Sequence[bytes] = ()
    extra_problems: list[str] = field(default_factory=list)


def describe_certificate(report: SignatureReport, cert: x509.Certificate) -> None:
    report.signer_name = display_name(cert.subject)
    report.signer_serial = serial_hex(cert)
    report.issuer_name = display_name(cert.issuer)
    report.organisation = name_attr(cert.subject, NameOID.ORGANIZATION_NAME)
    report.signer_title = name_attr(cert.subject, NameOID.TITLE)
    report.certificate_not_after = cert.not_valid_after_utc
    report.certificate_sha256 = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def assess(facts: Facts, services: Services) -> SignatureReport:
    report = SignatureReport()
    problems, notes = report.problems, report.notes
    report.signing_time, report.timestamp_time = facts.signing_time, facts.timestamp_time
    report.level, report.covers_whole_file = facts.level, facts.covers_whole_file
    report.integrity_ok, report.chain_ok, report.trusted_root = facts.integrity_ok, facts.chain_ok, facts.trusted_root
    invalid = indeterminate = False
    if facts.cert is None:
        problems.append(_("У підписі немає сертифіката підписувача."))
        report.status = ReportStatus.INVALID
        return report
    cert = facts.cert
    describe_certificate(report, cert)

    if not facts.integrity_ok:
        invalid = True
        problems.append(_("Цілісність порушено: підписані дані змінено після підписання або підпис пошкоджено."))
    if facts.modification_problem:
        invalid = True
        problems.append(facts.modification_problem)
    if facts.timestamp_problem:
        invalid = invalid or facts.timestamp_fatal
        indeterminate = True
        problems.append(facts.timestamp_problem)
    problems.extend(facts.extra_problems)
    invalid = invalid or bool(facts.extra_problems)

    # the time of signing: a valid timestamp, else the time the signer claims, else now
    trusted_time = facts.timestamp_time if not facts.timestamp_problem else None
    reference = trusted_time or facts.signing_time or now()
    report.certificate_valid_at_signing = valid_at(cert, reference)
    if not report.certificate_valid_at_signing:
        invalid = True
        if reference > cert.not_valid_after_utc:
            problems.append(_("Сертифікат підписувача прострочено: він був чинний до %(end)s, а підпис створено "
                              "%(when)s.") % {"end": fmt_date(cert.not_valid_after_utc), "when": fmt_dt(reference)})
        else:
            problems.append(_("Сертифікат підписувача ще не був чинним на момент підписання (чинний з %(start)s).")
                            % {"start": fmt_date(cert.not_valid_before_utc)})
    elif now() > cert.not_valid_after_utc:
        if trusted_time:
            notes.append(_("Строк дії сертифіката минув %(end)s, але позначка часу доводить, що підпис створено "
                           "раніше, коли сертифікат був чинним.") % {"end": fmt_date(cert.not_valid_after_utc)})
        else:
            indeterminate = True
            problems.append(_("Строк дії сертифіката минув %(end)s, а позначки часу, яка доводила б час "
                              "підписання, немає.") % {"end": fmt_date(cert.not_valid_after_utc)})

    if not facts.chain_ok and facts.integrity_ok:  # a broken signature has no chain worth reporting
        indeterminate = True
        problems.append(facts.chain_problem or _("Ланцюжок сертифікатів не веде до довіреного центру "
                                                 "сертифікації."))

    issuer = find_issuer(cert, facts.other_certs) or find_issuer(cert, services.trust_roots)
    # only certificates that chain to a trusted root get their OCSP/CRL URLs fetched: an uploaded file
    # must not make the server send requests to addresses chosen by whoever made the certificate (SSRF)
    revocation: RevocationResult = check_revocation(
        cert, issuer, allow_fetching=services.allow_fetching and facts.chain_ok,
        embedded_ocsps=facts.embedded_ocsps, embedded_crls=facts.embedded_crls)
    report.revocation, report.revoked_at, report.revocation_source = (
        revocation.status, revocation.revoked_at, revocation.source)
    if revocation.status == "revoked":
        revoked_at = revocation.revoked_at
        if trusted_time and revoked_at and revoked_at > trusted_time:
            notes.append(_("Сертифікат відкликано %(revoked)s — після підписання (позначка часу %(ts)s); "
                           "підпис, створений до відкликання, чинний.")
                         % {"revoked": fmt_dt(revoked_at), "ts": fmt_dt(trusted_time)})
        else:
            invalid = True
            problems.append(_("Сертифікат підписувача відкликано %(revoked)s — до підписання або без позначки "
                              "часу, яка доводила б протилежне.") % {"revoked": fmt_dt(revoked_at)})
    elif revocation.status in ("unknown", "not-checked"):
        indeterminate = True
        problems.append(_("Не вдалося перевірити, чи сертифікат підписувача не відкликано (немає відповіді "
                          "OCSP чи списку відкликаних сертифікатів)."))
    if facts.chain_ok and issuer is not None:
        invalid = _check_ca_chain(issuer, facts, services, trusted_time, problems) or invalid
    if revocation.source == "dss":
        notes.append(_("Статус сертифіката взято з даних, вбудованих у документ під час підписання (B-LT)."))

    report.status = (ReportStatus.INVALID if invalid else
                     ReportStatus.INDETERMINATE if indeterminate else ReportStatus.VALID)
    return report


def _check_ca_chain(issuer: x509.Certificate, facts: Facts, services: Services, trusted_time: datetime | None,
                    problems: list[str]) -> bool:
    """Revocation of the intermediate CAs (the leaf is checked above); a trust anchor ends the walk.
    Returns True when a CA was revoked before the time of signing."""
    pool = [*facts.other_certs, *services.trust_roots]
    anchors = set(services.trust_roots)
    current, spoiled = issuer, False
    for _depth in range(8):
        if current in anchors or current.issuer == current.subject:
            break
        parent = find_issuer(current, pool)
        if parent is None:
            break
        result = check_revocation(current, parent, allow_fetching=services.allow_fetching,
                                  embedded_ocsps=facts.embedded_ocsps, embedded_crls=facts.embedded_crls)
        if result.status == "revoked" and not (trusted_time and result.revoked_at
                                               and result.revoked_at > trusted_time):
            spoiled = True
            problems.append(_("Сертифікат центру сертифікації «%(ca)s», через який видано сертифікат "
                              "підписувача, відкликано %(revoked)s.")
                            % {"ca": display_name(current.subject), "revoked": fmt_dt(result.revoked_at)})
        current = parent
    return spoiled
