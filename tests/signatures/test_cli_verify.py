"""``ratusha verify``: readable Ukrainian report, JSON, exit codes (0 valid, 1 not valid, 2 malformed/usage)."""

import json

import pytest

from ratusha.cli import main
from ratusha.signatures.engine import SignatureLevel, cades_sign_detached, pades_sign


@pytest.fixture(scope="module")
def files(pki, sample_pdf, tmp_path_factory):
    directory = tmp_path_factory.mktemp("cli")
    services = pki.services()
    signed = pades_sign(sample_pdf, key=pki.signing_key("signer"), level=SignatureLevel.B_T, services=services)
    paths = {"signed": directory / "рішення.pdf", "unsigned": directory / "unsigned.pdf",
             "tampered": directory / "tampered.pdf", "garbage": directory / "garbage.bin",
             "data": directory / "data.txt", "p7s": directory / "data.txt.p7s",
             "revoked": directory / "revoked.pdf", "root": pki.write_pem("root")}
    paths["signed"].write_bytes(signed)
    paths["unsigned"].write_bytes(sample_pdf)
    tampered = bytearray(signed)
    tampered[signed.index(b"stream", 200) + 20] ^= 0x20
    paths["tampered"].write_bytes(bytes(tampered))
    paths["garbage"].write_bytes(b"\x00garbage")
    paths["data"].write_bytes("Лист".encode())
    paths["p7s"].write_bytes(cades_sign_detached(b"\xd0\x9b\xd0\xb8\xd1\x81\xd1\x82", key=pki.signing_key("seal"),
                                                 services=services))
    paths["revoked"].write_bytes(pades_sign(sample_pdf, key=pki.signing_key("revoked"), level=SignatureLevel.B_B,
                                            services=services))
    return paths


def run(capsys, *args):
    code = main(["verify", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_valid_pdf_exits_0_with_a_readable_report(files, capsys):
    code, out, _err = run(capsys, files["signed"], "--trust", files["root"])
    assert code == 0
    assert "Результат: ПІДПИС ДІЙСНИЙ" in out
    assert "Підписувач: Іваненко Олена Петрівна, міський голова" in out
    assert "Ланцюжок до довіреного центру: так (Ratusha Test Root CA)" in out
    assert "Статус сертифіката: не відкликаний (відповідь OCSP)" in out
    assert "Рівень підпису: PAdES-B-T" in out


def test_json_output(files, capsys):
    code, out, _err = run(capsys, files["signed"], "--trust", files["root"], "--json")
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "VALID" and data["kind"] == "pdf"
    assert data["signatures"][0]["signer_name"] == "Іваненко Олена Петрівна"


@pytest.mark.parametrize(("name", "code", "text"), [
    ("tampered", 1, "Цілісність порушено"),
    ("unsigned", 1, "ФАЙЛ НЕ ПІДПИСАНО"),
    ("revoked", 1, "ВІДКЛИКАНИЙ"),
    ("garbage", 2, "Формат файлу не розпізнано"),
])
def test_not_valid_exit_codes(files, capsys, name, code, text):
    got, out, _err = run(capsys, files[name], "--trust", files["root"])
    assert got == code
    assert text in out


def test_unknown_ca_without_trust_is_indeterminate(files, capsys):
    code, out, err = run(capsys, files["signed"])
    assert code == 1
    assert "ДІЙСНІСТЬ НЕ ПІДТВЕРДЖЕНО" in out
    assert "не веде до довіреного центру" in out
    assert "--trust" in err


def test_detached_p7s_needs_content(files, capsys):
    code, out, _err = run(capsys, files["p7s"], "--content", files["data"], "--trust", files["root"])
    assert code == 0, out
    assert "підпис CAdES" in out
    code, out, _err = run(capsys, files["p7s"], "--trust", files["root"])
    assert code == 2 and "потрібен ще й сам підписаний файл" in out


def test_usage_errors_exit_2(files, capsys, tmp_path):
    code, _out, err = run(capsys, tmp_path / "missing.pdf")
    assert code == 2 and "Не вдалося прочитати файл" in err
    bad_pem = tmp_path / "bad.pem"
    bad_pem.write_text("-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n")
    code, _out, err = run(capsys, files["signed"], "--trust", bad_pem)
    assert code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["verify"])
    assert exit_info.value.code == 2
