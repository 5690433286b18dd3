"""A real test PKI on loopback: certomancer's Animator (OCSP, CRL, TSA, certificate repository) served by
werkzeug in a thread. Keys are generated into a temporary directory at start (nothing private committed).

Entities: root CA → intermediate CA → signer «Іваненко Олена Петрівна, міський голова», a seal of the
executive committee (ECDSA), a second intermediate CA revoked a day ago with one signer under it, a revoked signer (revoked a day ago), a "revoked later" signer (revoked a day ago but
signing with the «past» TSA two days ago), an expired signer; a TSA; an OCSP responder for the intermediate;
CRLs of both CAs. ``/past/…`` URLs are the same services answering as of two days ago (certomancer's
fake-time header), used to make signatures that predate a revocation.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import CertLabel, CertomancerConfig
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from werkzeug.serving import WSGIRequestHandler, make_server

from ratusha.signatures.engine import Services, SigningKey

ARCH = "ratusha"
FAKE_TIME_HEADER = "HTTP_X_CERTOMANCER_FAKE_TIME"
PAST = timedelta(days=2)
REVOKED_AGO = timedelta(days=1)
CA_VALIDITY = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2050-01-01T00:00:00+0000"}
SIGNER_VALIDITY = {"valid-from": "2024-01-01T00:00:00+0000", "valid-to": "2045-01-01T00:00:00+0000"}
EXPIRED_VALIDITY = {"valid-from": "2020-06-01T00:00:00+0000", "valid-to": "2021-06-01T00:00:00+0000"}
KEYS = ("root", "interm", "interm-ocsp", "tsa", "signer", "seal", "revoked", "revoked-later", "expired",
        "interm-revoked", "under-revoked-ca")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # keep test output clean
        pass


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _signer_cert(subject: str, validity: dict, revoked_since: datetime | None = None,
                 issuer: str = "interm") -> dict:
    spec = {"subject": subject, "issuer": issuer, "validity": validity,
            "profiles": ["digsig-commitment"]}
    if revoked_since is not None:
        spec["revocation"] = {"revoked-since": _iso(revoked_since), "reason": "key_compromise"}
    return spec


def build_config(prefix: str, started: datetime) -> dict:
    revoked_since = started - REVOKED_AGO
    interm_ca = {"id": "simple-ca", "params": {"max-path-len": 0, "crl-repo": "interm", "ocsp-service": "interm"}}
    return {
        "external-url-prefix": prefix,
        "keysets": {ARCH: {"keys": {k: {"path": f"{k}.key.pem"} for k in KEYS}}},
        "pki-architectures": {ARCH: {
            "keyset": ARCH,
            "entity-defaults": {"country-name": "UA", "organization-name": "Тестовий центр сертифікації Ратуші"},
            "entities": {
                "root": {"common-name": "Ratusha Test Root CA"},
                "interm": {"common-name": "Ratusha Test Intermediate CA"},
                "interm-ocsp": {"common-name": "Ratusha Test OCSP Responder"},
                "tsa": {"common-name": "Ratusha Test TSA"},
                "signer": {"common-name": "Іваненко Олена Петрівна", "title": "міський голова",
                           "organization-name": "Виконавчий комітет Тестової міської ради",
                           "email-address": "mayor@example.org", "serial-number": "UA-1234567890"},
                "seal": {"common-name": "Печатка виконавчого комітету",
                         "organization-name": "Виконавчий комітет Тестової міської ради"},
                "revoked": {"common-name": "Петренко Василь Іванович", "title": "секретар ради",
                            "organization-name": "Тестова міська рада"},
                "revoked-later": {"common-name": "Коваленко Ірина Миколаївна", "title": "керуюча справами",
                                  "organization-name": "Тестова міська рада"},
                "expired": {"common-name": "Шевчук Андрій Олегович", "title": "начальник відділу",
                            "organization-name": "Тестова міська рада"},
                "interm-revoked": {"common-name": "Ratusha Test Revoked CA"},
                "under-revoked-ca": {"common-name": "Ткаченко Марія Степанівна", "title": "діловод",
                                     "organization-name": "Тестова міська рада"},
            },
            "certs": {
                "root": {"subject": "root", "issuer": "root", "validity": CA_VALIDITY,
                         "profiles": [{"id": "simple-ca", "params": {"crl-repo": "root"}}]},
                "interm": {"subject": "interm", "issuer": "root", "validity": CA_VALIDITY,
                           "profiles": [interm_ca]},
                "interm-ocsp": {"subject": "interm-ocsp", "issuer": "interm", "validity": CA_VALIDITY,
                                "profiles": ["ocsp-responder"]},
                "tsa": {"subject": "tsa", "issuer": "root", "validity": CA_VALIDITY,
                        "extensions": [
                            {"id": "key_usage", "critical": True,
                             "smart-value": {"schema": "key-usage", "params": ["digital_signature"]}},
                            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]}]},
                "signer": _signer_cert("signer", SIGNER_VALIDITY),
                "seal": _signer_cert("seal", SIGNER_VALIDITY),
                "revoked": _signer_cert("revoked", SIGNER_VALIDITY, revoked_since),
                "revoked-later": _signer_cert("revoked-later", SIGNER_VALIDITY, revoked_since),
                "expired": _signer_cert("expired", EXPIRED_VALIDITY),
                "interm-revoked": {"subject": "interm-revoked", "issuer": "root", "validity": CA_VALIDITY,
                                   "profiles": [{"id": "simple-ca", "params": {"crl-repo": "interm-revoked"}}],
                                   "revocation": {"revoked-since": _iso(revoked_since), "reason": "ca_compromise"}},
                "under-revoked-ca": _signer_cert("under-revoked-ca", SIGNER_VALIDITY, issuer="interm-revoked"),
            },
            "services": {
                "ocsp": {"interm": {"for-issuer": "interm", "responder-cert": "interm-ocsp",
                                    "signing-key": "interm-ocsp"}},
                "crl-repo": {
                    "root": {"for-issuer": "root", "signing-key": "root", "simulated-update-schedule": "PT10M"},
                    "interm": {"for-issuer": "interm", "signing-key": "interm",
                               "simulated-update-schedule": "PT10M"},
                    "interm-revoked": {"for-issuer": "interm-revoked", "signing-key": "interm-revoked",
                                       "simulated-update-schedule": "PT10M"},
                },
                "cert-repo": {"root": {"for-issuer": "root", "publish-issued-certs": True},
                              "interm": {"for-issuer": "interm", "publish-issued-certs": True}},
                "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
            },
        }},
    }


def _write_keys(directory: Path) -> None:
    for label in KEYS:
        # RSA for everything signers use (pdfsig/NSS and openssl handle both; RSA is the common case),
        # one EC key (the seal) to cover ECDSA too.
        key = (ec.generate_private_key(ec.SECP256R1()) if label == "seal"
               else rsa.generate_private_key(public_exponent=65537, key_size=2048))
        (directory / f"{label}.key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


@dataclass
class LoopbackPKI:
    directory: Path
    prefix: str = ""
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    _server: object = None
    _thread: threading.Thread | None = None
    _arch: object = None

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> LoopbackPKI:
        _write_keys(self.directory)
        holder: dict = {}

        def app(environ, start_response):
            path = environ.get("PATH_INFO", "")
            # certomancer stamps responses with microseconds; NSS (pdfsig) and `cryptography` refuse
            # fractional seconds in OCSP GeneralizedTime, so the time is always given, whole seconds
            if path.startswith("/past/"):
                environ = dict(environ, PATH_INFO=path[len("/past"):])
                environ[FAKE_TIME_HEADER] = _iso(self.started - PAST)
            else:
                environ = dict(environ)
                environ[FAKE_TIME_HEADER] = _iso(datetime.now(UTC))
            return holder["app"](environ, start_response)

        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        self.prefix = f"http://127.0.0.1:{self._server.server_port}"
        config = CertomancerConfig(build_config(self.prefix, self.started), key_search_dir=str(self.directory))
        self._arch = config.get_pki_arch(ARCH)
        holder["app"] = Animator(AnimatorArchStore({self._arch.arch_label: self._arch}), with_web_ui=False)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="test-pki")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        shutil.rmtree(self.directory, ignore_errors=True)

    # ---- material ---------------------------------------------------------------------------
    def cert(self, label: str) -> x509.Certificate:
        der = self._arch.get_cert(CertLabel(label)).dump()
        return x509.load_der_x509_certificate(der)

    def private_key(self, label: str):
        return serialization.load_pem_private_key((self.directory / f"{label}.key.pem").read_bytes(), None)

    def signing_key(self, label: str) -> SigningKey:
        ca = "interm-revoked" if label == "under-revoked-ca" else "interm"
        return SigningKey(private_key=self.private_key(label), certificate=self.cert(label), chain=(self.cert(ca),))

    @property
    def root(self) -> x509.Certificate:
        return self.cert("root")

    def pem(self, label: str) -> bytes:
        return self.cert(label).public_bytes(serialization.Encoding.PEM)

    def write_pem(self, label: str) -> Path:
        path = self.directory / f"{label}.cert.pem"
        path.write_bytes(self.pem(label))
        return path

    def write_key_pem(self, label: str) -> Path:
        return self.directory / f"{label}.key.pem"

    # ---- services ---------------------------------------------------------------------------
    @property
    def tsa_url(self) -> str:
        return f"{self.prefix}/{ARCH}/tsa/tsa"

    @property
    def past_tsa_url(self) -> str:
        return f"{self.prefix}/past/{ARCH}/tsa/tsa"

    def services(self, *, tsa: bool = True, past: bool = False, allow_fetching: bool = True,
                 trust: bool = True) -> Services:
        return Services(tsa_url=(self.past_tsa_url if past else self.tsa_url) if tsa else None,
                        trust_roots=(self.root,) if trust else (), allow_fetching=allow_fetching)


def start_test_pki() -> LoopbackPKI:
    return LoopbackPKI(directory=Path(tempfile.mkdtemp(prefix="ratusha-pki-"))).start()


__all__ = ["LoopbackPKI", "start_test_pki"]
