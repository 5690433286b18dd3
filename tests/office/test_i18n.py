"""Translations: Ukrainian is the source language of every msgid; English must be complete.

* the English catalog has no untranslated or fuzzy entries and keeps every placeholder;
* both catalogs are current with the code (``makemessages`` on a copy of the sources) and compiled;
* Ukrainian plural entries carry the three Ukrainian forms (1 документ, 2 документи, 5 документів);
* pages come out in English after the language switch.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext, ngettext

import ratusha

SRC = Path(ratusha.__file__).parent
LOCALE = SRC / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
UK_PO = LOCALE / "uk" / "LC_MESSAGES" / "django.po"
UK_PLURAL_FORMS = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                   "(n%100<10 || n%100>=20) ? 1 : 2);")
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]|\{[A-Za-z_]\w*\}")
HAS_GETTEXT = all(shutil.which(tool) for tool in ("msgfmt", "xgettext", "msgmerge", "msguniq"))
needs_gettext = pytest.mark.skipif(not HAS_GETTEXT, reason="GNU gettext tools are not installed")


# --- a small .po reader (polib is not a dependency) --------------------------------------------

@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return self.msgctxt, self.msgid, self.msgid_plural

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]


def read_po(path: Path) -> tuple[dict[str, str | bool], list[Entry]]:
    """The header and the live entries of a .po file written by the gettext tools.

    Those tools always separate entries with a blank line; obsolete (``#~``) entries are skipped.
    """
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, keyword, obsolete = Entry(), None, False
        for line in block.strip().splitlines():
            if line.startswith("#~"):
                obsolete, line = True, line[2:].strip()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if not line or line.startswith("#"):
                continue
            if not line.startswith('"'):
                keyword, _, line = line.partition(" ")
                if keyword == "msgctxt":
                    entry.msgctxt = ""
                elif keyword == "msgid_plural":
                    entry.msgid_plural = ""
                elif keyword.startswith("msgstr["):
                    entry.msgstr_plural[int(keyword[7:-1])] = ""
            value = ast.literal_eval(line)
            if keyword.startswith("msgstr["):
                entry.msgstr_plural[int(keyword[7:-1])] += value
            else:
                setattr(entry, keyword, getattr(entry, keyword) + value)
        if keyword is not None and not obsolete:
            entries.append(entry)

    head = entries.pop(0)
    assert head.msgid == "" and head.msgctxt is None, f"{path}: the header must come first"
    header: dict[str, str | bool] = dict(line.split(": ", 1) for line in head.msgstr.splitlines() if ": " in line)
    header["fuzzy"] = "fuzzy" in head.flags
    return header, entries


# --- English: complete ----------------------------------------------------------------------------

def test_the_po_reader_reads_the_catalog_like_msgfmt():
    """Guard for the reader itself: its counts equal ``msgfmt --statistics``."""
    _, entries = read_po(EN_PO)
    assert len(entries) > 500
    assert any(e.msgid_plural for e in entries) and any("\n" not in e.msgid and len(e.msgid) > 80
                                                        for e in entries)
    if shutil.which("msgfmt"):
        stats = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(EN_PO)],
                               capture_output=True, text=True, check=True).stderr
        assert stats.startswith(f"{len(entries)} translated messages."), stats


def test_english_catalog_has_no_untranslated_or_fuzzy_entries():
    header, entries = read_po(EN_PO)
    assert header["Language"] == "en" and not header["fuzzy"]
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in entries if not all(e.translations)]
    wrong_plurals = [e.msgid for e in entries if e.msgid_plural is not None and sorted(e.msgstr_plural) != [0, 1]]
    assert fuzzy == [], f"{len(fuzzy)} fuzzy entries: {fuzzy[:5]}"
    assert untranslated == [], f"{len(untranslated)} untranslated entries: {untranslated[:5]}"
    assert wrong_plurals == []


def test_english_translations_keep_every_placeholder():
    _, entries = read_po(EN_PO)
    broken = []
    for e in entries:
        if e.msgid_plural is None:
            if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr)):
                broken.append((e.msgid, e.msgstr))
            continue
        source = set(PLACEHOLDER.findall(e.msgid)) | set(PLACEHOLDER.findall(e.msgid_plural))
        if not set(PLACEHOLDER.findall(e.msgstr_plural[0])) <= source:  # "one" may be spelled out
            broken.append((e.msgid, e.msgstr_plural[0]))
        if set(PLACEHOLDER.findall(e.msgstr_plural[1])) != source:  # the plural must show the number
            broken.append((e.msgid, e.msgstr_plural[1]))
    assert broken == []


def test_english_keeps_the_official_terms():
    translations = {e.msgid: e.msgstr for e in read_po(EN_PO)[1] if e.msgid_plural is None}
    assert translations["Реєстраційно-контрольна картка"] == "Registration and control card"
    assert translations["Журнали"] == "Registers"
    assert translations["Вхідний"] == "Incoming"
    assert translations["Гриф доступу"] == "Access mark"
    assert translations["номенклатура справ"] == "nomenclature of cases"
    assert "acting" in translations["Хто виконує обов'язки"].lower()
    # Only the language's own name and the Ukrainian search examples may stay in Cyrillic.
    allowed = {"Українська", "Слова в будь-якій формі: «звернення міської ради», «доріг», «01-10/245»."}
    leftovers = [k for k, v in translations.items() if re.search("[а-яєіїґ]", v, re.I) and k not in allowed]
    assert leftovers == [], f"Cyrillic left in English translations: {leftovers}"


# --- Ukrainian: plural forms --------------------------------------------------------------------

def test_ukrainian_catalog_header_and_plural_entries():
    header, entries = read_po(UK_PO)
    assert header["Language"] == "uk" and not header["fuzzy"], "a fuzzy header is dropped by msgfmt"
    assert header["Plural-Forms"] == UK_PLURAL_FORMS
    plurals = [e for e in entries if e.msgid_plural is not None]
    assert len(plurals) >= 5
    incomplete = [e.msgid for e in plurals if sorted(e.msgstr_plural) != [0, 1, 2] or not all(e.translations)]
    assert incomplete == [], f"Ukrainian plural entries without three forms: {incomplete}"
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []
    # Singular entries stay empty (the source text is used) or repeat it; nothing else.
    assert [e.msgid for e in entries if e.msgid_plural is None and e.msgstr not in ("", e.msgid)] == []
    # Placeholders survive in every form.
    assert [e.msgid for e in plurals
            if any(set(PLACEHOLDER.findall(f)) != set(PLACEHOLDER.findall(e.msgid)) for f in e.translations)] == []


@pytest.mark.parametrize(("n", "word"), [(1, "документ"), (2, "документи"), (4, "документи"), (5, "документів"),
                                         (11, "документів"), (12, "документів"), (21, "документ"),
                                         (22, "документи"), (25, "документів"), (101, "документ"),
                                         (111, "документів")])
def test_ukrainian_plurals_via_ngettext(n, word):
    with translation.override("uk"):
        text = ngettext("Знайдено %(counter)s документ", "Знайдено %(counter)s документів", n) % {"counter": n}
    assert text == f"Знайдено {n} {word}"


def test_every_ukrainian_plural_entry_picks_the_right_form():
    _, entries = read_po(UK_PO)
    with translation.override("uk"):
        for e in (e for e in entries if e.msgid_plural is not None):
            for n, form in ((1, 0), (21, 0), (2, 1), (3, 1), (24, 1), (5, 2), (11, 2), (14, 2), (100, 2)):
                assert ngettext(e.msgid, e.msgid_plural, n) == e.msgstr_plural[form], (e.msgid, n)


def test_lockout_message_in_ukrainian_uses_the_genitive_for_several_minutes():
    singular = ("Забагато невдалих спроб входу. Вхід тимчасово заблоковано — спробуйте через %(n)d хвилину "
                "або зверніться до адміністратора.")
    plural = ("Забагато невдалих спроб входу. Вхід тимчасово заблоковано — спробуйте через %(n)d хвилин "
              "або зверніться до адміністратора.")
    with translation.override("uk"):
        assert "через 3 хвилини " in ngettext(singular, plural, 3) % {"n": 3}
        assert "через 15 хвилин " in ngettext(singular, plural, 15) % {"n": 15}
    with translation.override("en"):
        assert "in 3 minutes " in ngettext(singular, plural, 3) % {"n": 3}


def _search_count_fragment() -> str:
    """The exact result-count block of the search page (so the test follows the template)."""
    text = (SRC / "search" / "templates" / "search" / "search.html").read_text(encoding="utf-8")
    match = re.search(r"\{% if results\.total and not results\.exact %\}.*?\{% endif %\}", text, re.S)
    assert match, "the result count block of search.html has moved"
    return "{% load i18n %}" + match.group()


@pytest.mark.parametrize(("language", "total", "exact", "expected"), [
    ("uk", 1, True, "Знайдено 1 документ"),
    ("uk", 2, True, "Знайдено 2 документи"),
    ("uk", 5, True, "Знайдено 5 документів"),
    ("uk", 21, True, "Знайдено 21 документ"),
    ("uk", 1000, False, "Знайдено понад 1000 документів; показано найновіші"),
    ("uk", 1002, False, "Знайдено понад 1002 документи; показано найновіші"),
    ("en", 1, True, "1 document found"),
    ("en", 2, True, "2 documents found"),
    ("en", 1000, False, "More than 1000 documents found; showing the most recent"),
])
def test_search_result_count_fragment(language, total, exact, expected):
    template = Template(_search_count_fragment())
    results = type("Results", (), {"total": total, "exact": exact})
    with translation.override(language):
        html = template.render(Context({"results": results}))
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip() == expected


@pytest.mark.django_db
def test_search_page_says_dva_dokumenty(client, registrar, register_doc):
    from ratusha.search.services import index_document

    for summary in ("Про ремонт дороги на вулиці Шевченка", "Про ремонт дороги на вулиці Франка"):
        index_document(document_id=register_doc(summary=summary).pk)
    client.force_login(registrar)
    html = client.get("/office/search/", {"q": "дорога"}).content.decode()
    assert "Знайдено 2 документи" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/office/"})
    html = client.get("/office/search/", {"q": "дорога"}).content.decode()
    assert "2 documents found" in html and "Document search" in html


# --- English pages ------------------------------------------------------------------------------

def test_direct_gettext_in_english():
    with translation.override("en"):
        assert gettext("Реєстраційно-контрольна картка") == "Registration and control card"
        assert gettext("Журнали") == "Registers"
        assert gettext("Змінено картку") == "Card edited"
    with translation.override("uk"):
        assert gettext("Журнали") == "Журнали"


@pytest.mark.django_db
def test_office_renders_in_english(client, registrar):
    client.force_login(registrar)
    client.post("/i18n/setlang/", {"language": "en", "next": "/office/"})
    body = client.get("/office/").content.decode()
    assert '<html lang="en">' in body
    assert "<title>My documents" in body
    for text in ("My documents", "Registers", "Sign out", "Incoming", "Search", "Staff"):
        assert text in body, text
    for text in ("Мої документи", "Журнали", "Вийти", "Вхідний"):
        assert text not in body, text


@pytest.mark.django_db
def test_document_card_renders_in_english(client, registrar, register_doc):
    doc = register_doc()
    client.force_login(registrar)
    client.post("/i18n/setlang/", {"language": "en", "next": "/office/"})
    body = client.get(f"/office/documents/{doc.pk}/").content.decode()
    assert "Registration and control card" in body and "Access mark" in body
    assert f"No. {doc.reg_index}" in body and "№" not in body
    assert "Registration cancelled" not in body and "Cancel registration" in body


def test_browser_language_does_not_override_ukrainian(client, db):
    body = client.get("/office/login/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="uk">' in body and "Вхід до робочого кабінету" in body


# --- catalogs are current -----------------------------------------------------------------------

@needs_gettext
@pytest.mark.parametrize("po", [EN_PO, UK_PO], ids=["en", "uk"])
def test_catalog_compiles_and_the_committed_mo_is_current(po, tmp_path):
    out = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(out), str(po)], check=True)
    assert out.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        "django.mo is stale: run `make messages` (makemessages + compilemessages)")


@needs_gettext
def test_catalogs_are_up_to_date_with_the_code(tmp_path):
    """Extract the messages of a copy of the sources; every one must be in both committed catalogs."""
    copy = tmp_path / "ratusha"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "static"))
    (copy / "locale").mkdir()  # without it makemessages would write into LOCALE_PATHS (the real catalog)
    before = EN_PO.read_bytes(), UK_PO.read_bytes()
    (tmp_path / "data").mkdir()
    env = {**os.environ, "RATUSHA_DATA_DIR": str(tmp_path / "data")}
    # -P: the copy's directory is not put on sys.path, so its ``calendar`` app cannot shadow the stdlib module.
    subprocess.run([sys.executable, "-P", "-m", "django", "makemessages", "-l", "en", "--no-obsolete",
                    "--settings=ratusha.test_settings"], cwd=copy, env=env, check=True, capture_output=True)
    assert (EN_PO.read_bytes(), UK_PO.read_bytes()) == before, "makemessages touched the real catalogs"

    _, extracted = read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(extracted) > 500
    extracted_keys = {e.key for e in extracted}
    for po in (EN_PO, UK_PO):
        committed = {e.key: e for e in read_po(po)[1]}
        missing = sorted(k[1] for k in extracted_keys - committed.keys())
        obsolete = sorted(k[1] for k in committed.keys() - extracted_keys)
        assert missing == [], f"{po.parent.parent.name}: not in the catalog, run `make messages`: {missing[:5]}"
        assert obsolete == [], f"{po.parent.parent.name}: no longer in the code: {obsolete[:5]}"
    english = {e.key: e for e in read_po(EN_PO)[1]}
    assert [k[1] for k in extracted_keys if not all(english[k].translations)] == []
