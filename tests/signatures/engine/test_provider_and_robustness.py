"""The provider interface, and ``verify`` never raising on hostile input."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratusha.signatures.engine import (
    PyHankoProvider,
    ReportStatus,
    Services,
    SignatureLevel,
    SignatureProvider,
    get_provider,
    pades_sign,
    verify,
)


def test_default_provider_is_pyhanko(settings):
    provider = get_provider()
    assert provider.name == "pyhanko" and isinstance(provider, SignatureProvider)
    settings.SIGNATURES_PROVIDER = "pyhanko"
    assert isinstance(get_provider(), PyHankoProvider)


class DummyDstuProvider:
    """What a DSTU 4145 provider module would expose (see docs/adr/0001-signature-provider.md)."""

    name = "dstu-test"

    def pades_sign(self, pdf, **kwargs):
        return pdf + b"%signed-by-dstu"

    def cades_sign_detached(self, data, **kwargs):
        return b"dstu-p7s"

    def verify(self, data, **kwargs):
        return PyHankoProvider().verify(data, **kwargs)


def test_additional_provider_from_settings(settings):
    settings.SIGNATURES_PROVIDERS = {"dstu-test": f"{__name__}:DummyDstuProvider"}
    settings.SIGNATURES_PROVIDER = "dstu-test"
    provider = get_provider()
    assert provider.name == "dstu-test"
    assert provider.pades_sign(b"%PDF") == b"%PDF%signed-by-dstu"
    with pytest.raises(LookupError):
        get_provider("nonexistent")


def test_provider_signs_and_verifies(pki, sample_pdf):
    provider = get_provider("pyhanko")
    signed = provider.pades_sign(sample_pdf, key=pki.signing_key("signer"), level=SignatureLevel.B_B,
                                 services=pki.services())
    assert provider.verify(signed, services=pki.services()).status == ReportStatus.VALID


@pytest.fixture(scope="module")
def signed_pdf(pki, sample_pdf):
    return pades_sign(sample_pdf, key=pki.signing_key("signer"), level=SignatureLevel.B_B, services=pki.services())


OFFLINE = Services(allow_fetching=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"\x30\x82\x01\x00", b"-----BEGIN PKCS7-----\n", b""]),
       body=st.binary(max_size=600))
def test_verify_never_raises_on_garbage(prefix, body):
    report = verify(prefix + body, services=OFFLINE)
    assert report.status in (ReportStatus.MALFORMED, ReportStatus.UNSIGNED, ReportStatus.INVALID,
                             ReportStatus.INDETERMINATE)
    assert report.problems or report.signatures


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_verify_never_says_valid_for_a_mutated_signed_range(pki, signed_pdf, data):
    # the signed range before /Contents; (the /Contents padding is unsigned by design)
    match = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", signed_pdf)
    first_end = int(match.group(1))
    position = data.draw(st.integers(min_value=0, max_value=first_end - 1))
    value = data.draw(st.integers(min_value=1, max_value=255))
    mutated = bytearray(signed_pdf)
    mutated[position] ^= value
    report = verify(bytes(mutated), services=pki.services())
    assert report.status != ReportStatus.VALID


def test_the_unmutated_file_is_valid(pki, signed_pdf):
    assert verify(signed_pdf, services=pki.services()).status == ReportStatus.VALID
