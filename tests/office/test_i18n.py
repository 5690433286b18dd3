"""The English translation of the UI is complete (Ukrainian is the source language)."""

import re
import subprocess
from pathlib import Path

import pytest

import ratusha

PO = Path(ratusha.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid" in block and not block.lstrip().startswith("#~")]


def test_english_po_has_no_untranslated_or_fuzzy_entries():
    text = PO.read_text(encoding="utf-8")
    untranslated, fuzzy = [], []
    for block in _entries(text):
        if re.search(r"^#,.*\bfuzzy\b", block, re.M):
            fuzzy.append(block)
        msgid = re.search(r'^msgid "(.*)"', block, re.M)
        if msgid and msgid.group(1) == "" and not re.search(r'^msgid ""\n"', block, re.M):
            continue  # the header
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M)
        if not strings or any(not "".join(re.findall(r'"(.*)"', s)) for s in strings):
            untranslated.append(block)
    assert fuzzy == [], f"{len(fuzzy)} fuzzy entries, first: {fuzzy[:1]}"
    assert untranslated == [], f"{len(untranslated)} untranslated entries, first: {untranslated[:1]}"


@pytest.mark.skipif(subprocess.run(["which", "msgfmt"], capture_output=True).returncode != 0,
                    reason="gettext's msgfmt is not installed")
def test_english_po_compiles_and_the_mo_is_current(tmp_path):
    out = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(out), str(PO)], check=True)
    assert out.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run msgfmt: django.mo is stale"


def test_office_renders_in_english(client, registrar, db):
    client.force_login(registrar)
    client.post("/i18n/setlang/", {"language": "en", "next": "/office/"})
    body = client.get("/office/").content.decode()
    assert "My documents" in body and "Journals" in body and "Sign out" in body
    assert "Мої документи" not in body


def test_browser_language_does_not_override_ukrainian(client, db):
    body = client.get("/office/login/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="uk">' in body and "Вхід до робочого кабінету" in body
