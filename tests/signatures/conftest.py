"""Fixtures of the signatures tests: the real test PKI on loopback (certomancer, session scope) and a
small PDF to sign. See tests/signatures/pki/testpki.py."""

from tests.signatures.pki.fixtures import pki, sample_pdf  # noqa: F401
