"""Helpers shared by PDF and CAdES verification: pyHanko validation contexts, timestamp and chain facts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from asn1crypto import cms
from cryptography import x509
from django.utils.translation import gettext as _
from pyhanko_certvalidator import ValidationContext

from ._util import aware, display_name, now, to_asn1_cert, to_crypto_cert


def reference_moment(cert: x509.Certificate, when: datetime | None) -> datetime:
    """The moment to validate the chain at: the time of signing, clamped into the certificate's validity
    (validity itself is judged separately, with a clear message, in ``assess``)."""
    moment = when or now()
    return min(max(moment, cert.not_valid_before_utc), cert.not_valid_after_utc)


def validation_context(trust_roots: Sequence[x509.Certificate], other_certs: Sequence[x509.Certificate],
                       moment: datetime | None) -> ValidationContext:
    # revocation is checked by .revocation (so that the rule "revoked before signing" can be applied)
    return ValidationContext(trust_roots=[to_asn1_cert(c) for c in trust_roots],
                             other_certs=[to_asn1_cert(c) for c in other_certs],
                             moment=moment, allow_fetching=False, revocation_mode="soft-fail",
                             best_signature_time=moment)


def embedded_certs(signed_data: cms.SignedData) -> list[x509.Certificate]:
    result = []
    for choice in signed_data["certificates"] or ():
        if choice.name == "certificate":
            try:
                result.append(to_crypto_cert(choice.chosen))
            except ValueError:
                continue
    return result


def signature_timestamp(signer_info: cms.SignerInfo) -> cms.SignedData | None:
    attrs = signer_info["unsigned_attrs"]
    if not attrs or attrs.native is None:
        return None
    for attr in attrs:
        if attr["type"].native == "signature_time_stamp_token":
            return attr["values"][0]["content"]
    return None


def timestamp_gen_time(tst: cms.SignedData | None) -> datetime | None:
    if tst is None:
        return None
    try:
        return aware(tst["encap_content_info"]["content"].parsed["gen_time"].native)
    except Exception:  # noqa: BLE001
        return None


def claimed_signing_time(signer_info: cms.SignerInfo) -> datetime | None:
    attrs = signer_info["signed_attrs"]
    if not attrs or attrs.native is None:
        return None
    for attr in attrs:
        if attr["type"].native == "signing_time":
            return aware(attr["values"][0].native)
    return None


def chain_facts(status) -> tuple[bool, str | None, str | None]:
    """(chain_ok, trusted root name, problem) from a pyHanko status."""
    path = getattr(status, "validation_path", None)
    root = None
    if path is not None:
        try:
            root = display_name(to_crypto_cert(path.trust_anchor.certificate).subject)  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001
            try:
                root = path.trust_anchor.name.human_friendly
            except Exception:  # noqa: BLE001
                root = None
    if status.trusted:
        return True, root, None
    indic = getattr(status, "trust_problem_indic", None)
    name = getattr(indic, "name", "") or ""
    if "REVOKED" in name:
        return False, root, None  # reported by the revocation check
    if "CHAIN_CONSTRAINTS" in name:
        return False, root, _("Ланцюжок сертифікатів не відповідає обмеженням (використання ключа, "
                              "повноваження центру).")
    return False, root, _("Ланцюжок сертифікатів не веде до довіреного центру сертифікації.")


def timestamp_problem(status) -> tuple[str | None, bool]:
    """(problem, fatal): a broken timestamp spoils the signature; an untrusted one leaves it undetermined."""
    ts = getattr(status, "timestamp_validity", None)
    if ts is None:
        return None, False
    if not (ts.intact and ts.valid):
        return _("Позначка часу підпису недійсна (не відповідає підпису або пошкоджена)."), True
    if not ts.trusted:
        return _("Позначку часу видала служба, якій немає довіри (її ланцюжок не веде до довіреного "
                 "центру)."), False
    return None, False
