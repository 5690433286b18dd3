"""The installation CA functions, end to end: our own CA + CRL + OCSP + TSA served on loopback (a tiny WSGI
app around ``crl_build``/``ocsp_respond``/``timestamp_respond``), a PAdES B-LT signature made with them,
verified by us and by OpenSSL's OCSP/TS clients."""

import subprocess
import threading
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from ratusha.signatures.engine import ReportStatus, Services, SignatureLevel, SigningKey, pades_sign, verify
from ratusha.signatures.engine._util import now
from ratusha.signatures.engine.ca import (
    ca_create,
    certificate_issue,
    crl_build,
    ocsp_respond,
    timestamp_respond,
)


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    ca_key, ca_cert = ca_create(common_name="Тестова міська рада — внутрішній ЦС", organisation="Тестова міська рада")
    revoked: dict[int, object] = {}
    state = {}

    @Request.application
    def app(request):
        if request.path == "/crl":
            return Response(crl_build(ca_key=ca_key, ca_cert=ca_cert, revoked=list(revoked.items())),
                            mimetype="application/pkix-crl")
        if request.path == "/ocsp":
            body = ocsp_respond(request.get_data(), ca_key=ca_key, ca_cert=ca_cert,
                                status_of=lambda serial: ("revoked", revoked[serial]) if serial in revoked
                                else ("good", None))
            return Response(body, mimetype="application/ocsp-response")
        if request.path == "/tsa":
            return Response(timestamp_respond(request.get_data(), tsa_key=state["tsa_key"],
                                              tsa_cert=state["tsa_cert"]), mimetype="application/timestamp-reply")
        return Response(status=404)

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    base = f"http://127.0.0.1:{server.server_port}"
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    state["tsa_key"], state["tsa_cert"] = tsa_key, certificate_issue(
        ca_key=ca_key, ca_cert=ca_cert, subject_name="Служба позначок часу", organisation="Тестова міська рада",
        title=None, email=None, public_key=tsa_key.public_key(), tsa=True, crl_url=None, ocsp_url=None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def issue(name, title, *, seal=False):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = certificate_issue(ca_key=ca_key, ca_cert=ca_cert, subject_name=name, organisation="Тестова міська рада",
                                 title=title, email="clerk@example.org", public_key=key.public_key(), seal=seal,
                                 crl_url=f"{base}/crl", ocsp_url=f"{base}/ocsp")
        return SigningKey(private_key=key, certificate=cert, chain=())

    directory = tmp_path_factory.mktemp("ca")
    (directory / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    yield {"ca_cert": ca_cert, "issue": issue, "revoked": revoked, "base": base, "dir": directory,
           "services": Services(tsa_url=f"{base}/tsa", trust_roots=(ca_cert,)), "state": state}
    server.shutdown()
    server.server_close()


def test_ca_certificate_is_a_root(installation):
    cert = installation["ca_cert"]
    assert cert.issuer == cert.subject
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.not_valid_after_utc - cert.not_valid_before_utc > timedelta(days=3650)


def test_issued_certificate_fields(installation):
    key = installation["issue"]("Мельник Оксана Петрівна", "секретар ради")
    cert = key.certificate
    assert cert.subject.get_attributes_for_oid(x509.NameOID.TITLE)[0].value == "секретар ради"
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment
    cert.verify_directly_issued_by(installation["ca_cert"])
    seal = installation["issue"]("Печатка ради", "ignored", seal=True).certificate
    assert not seal.subject.get_attributes_for_oid(x509.NameOID.TITLE)


def test_sign_b_lt_with_installation_services_and_revoke(installation, sample_pdf):
    key = installation["issue"]("Мельник Оксана Петрівна", "секретар ради")
    services = installation["services"]
    signed = pades_sign(sample_pdf, key=key, level=SignatureLevel.B_LT, services=services)
    report = verify(signed, services=services)
    assert report.status == ReportStatus.VALID, report.as_dict()
    assert report.signatures[0].revocation_source == "ocsp"
    assert report.signatures[0].level == "PAdES-B-LT"
    nss = installation["dir"] / "nss"
    if not nss.exists():
        nss.mkdir()
        subprocess.run(["certutil", "-N", "--empty-password", "-d", f"sql:{nss}"], check=True, capture_output=True)
        subprocess.run(["certutil", "-A", "-n", "ca", "-t", "CT,C,C", "-i", str(installation["dir"] / "ca.pem"),
                        "-d", f"sql:{nss}"], check=True, capture_output=True)
    (installation["dir"] / "signed.pdf").write_bytes(signed)
    out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(installation["dir"] / "signed.pdf")],
                         capture_output=True, text=True, timeout=60).stdout
    assert "Signature is Valid." in out and "Certificate is Trusted." in out, out
    # revoked after the signature's timestamp (a second later; times are whole seconds): it stays valid,
    # with a note
    stamped = report.signatures[0].timestamp_time
    assert stamped is not None
    installation["revoked"][key.certificate.serial_number] = stamped.replace(microsecond=0) + timedelta(seconds=1)
    later = verify(signed, services=services)
    sig = later.signatures[0]
    assert sig.revocation == "revoked" and sig.revoked_at is not None
    assert later.status == ReportStatus.VALID and sig.notes
    # a B-B signature (no timestamp) by a revoked certificate is invalid
    revoked_key = installation["issue"]("Бондар Ігор Васильович", "заступник")
    installation["revoked"][revoked_key.certificate.serial_number] = now() - timedelta(hours=1)
    bb = pades_sign(sample_pdf, key=revoked_key, level=SignatureLevel.B_B, services=services)
    bad = verify(bb, services=services)
    assert bad.status == ReportStatus.INVALID
    assert any("відкликано" in p for p in bad.signatures[0].problems)


def test_crl_and_ocsp_pass_openssl(installation, tmp_path):
    key = installation["issue"]("Кравчук Олег Іванович", "начальник відділу")
    directory = installation["dir"]
    cert_pem = tmp_path / "cert.pem"
    cert_pem.write_bytes(key.certificate.public_bytes(serialization.Encoding.PEM))
    crl = tmp_path / "crl.der"
    import urllib.request

    crl.write_bytes(urllib.request.urlopen(f"{installation['base']}/crl", timeout=5).read())  # noqa: S310
    out = subprocess.run(["openssl", "crl", "-inform", "DER", "-in", str(crl), "-noout", "-CAfile",
                          str(directory / "ca.pem")], capture_output=True, text=True)
    assert out.returncode == 0 and "verify OK" in out.stderr + out.stdout
    out = subprocess.run(["openssl", "ocsp", "-issuer", str(directory / "ca.pem"), "-cert", str(cert_pem),
                          "-url", f"{installation['base']}/ocsp", "-CAfile", str(directory / "ca.pem")],
                         capture_output=True, text=True, timeout=30)
    assert "Response verify OK" in out.stderr + out.stdout, out.stderr
    assert f"{cert_pem}: good" in out.stdout


def test_timestamp_response_passes_openssl_ts(installation, tmp_path):
    data = tmp_path / "data.txt"
    data.write_bytes("Рішення".encode())
    query = tmp_path / "q.tsq"
    subprocess.run(["openssl", "ts", "-query", "-data", str(data), "-sha256", "-cert", "-out", str(query)],
                   check=True, capture_output=True)
    state = installation["state"]
    reply = tmp_path / "r.tsr"
    reply.write_bytes(timestamp_respond(query.read_bytes(), tsa_key=state["tsa_key"], tsa_cert=state["tsa_cert"]))
    out = subprocess.run(["openssl", "ts", "-verify", "-data", str(data), "-in", str(reply), "-CAfile",
                          str(installation["dir"] / "ca.pem")], capture_output=True, text=True)
    assert "Verification: OK" in out.stdout, out.stderr
    garbage = timestamp_respond(b"garbage", tsa_key=state["tsa_key"], tsa_cert=state["tsa_cert"])
    from asn1crypto import core, tsp

    status = tsp.PKIStatusInfo.load(core.Sequence.load(garbage).contents)
    assert status["status"].native == "rejection"
