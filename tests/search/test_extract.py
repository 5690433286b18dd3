"""Text of attached files: PDF text layer, DOCX, ODT, TXT; broken files give "" and never raise."""

import io
import logging
import zipfile

from ratusha.search.extract import DOCX, ODT, PDF, extract_text
from tests.search.conftest import make_docx, make_pdf


def test_pdf_text_layer():
    pdf = make_pdf("Звернення мешканців щодо ремонту доріг у мікрорайоні Вишків")
    text = extract_text(pdf, PDF)
    assert "Звернення мешканців" in text
    assert "доріг" in text


def test_pdf_words_hyphenated_across_lines_are_joined():
    # Two PDF lines «звер-» / «нення» (a narrow box forces the break).
    import weasyprint

    html = "<p style='width:3cm;font-size:20pt'>звер-<br>нення</p>"
    text = extract_text(weasyprint.HTML(string=html).write_pdf(), PDF)
    assert "звернення" in text


def test_docx_paragraphs_and_tables():
    data = make_docx("Розпорядження міського голови", "про скликання сесії",
                     table=[["Доповідач", "Коваленко Олена"]])
    text = extract_text(data, DOCX)
    assert "Розпорядження міського голови" in text
    assert "Коваленко Олена" in text


def test_odt():
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
               '<text:p>Протокол засідання</text:p><text:p>комісії &amp; ради</text:p>'
               '</office:text></office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", ODT)
        archive.writestr("content.xml", content)
    text = extract_text(out.getvalue(), ODT)
    assert "Протокол засідання" in text
    assert "комісії & ради" in text


def test_plain_text_encodings():
    assert extract_text("Відповідь на запит".encode(), "text/plain") == "Відповідь на запит"
    assert extract_text("Відповідь на запит".encode("cp1251"), "text/plain") == "Відповідь на запит"
    assert extract_text(b"\xef\xbb\xbf" + "Лист".encode(), "text/plain; charset=utf-8") == "Лист"
    assert extract_text("Лист".encode("utf-16"), "text/plain") == "Лист"


def test_broken_files_give_empty_text_and_a_log_line(caplog):
    with caplog.at_level(logging.WARNING, logger="ratusha.search.extract"):
        assert extract_text(b"%PDF-1.7\n this is not a pdf at all", PDF) == ""
        assert extract_text(b"PK\x03\x04 broken zip", DOCX) == ""
        assert extract_text(b"", PDF) == ""
    assert "could not extract text" in caplog.text


def test_unsupported_types_have_no_text():
    assert extract_text(b"\x89PNG\r\n\x1a\n", "image/png") == ""
    assert extract_text(b"anything", "") == ""


def test_line_break_hyphen_joins_only_dictionary_words():
    from ratusha.search.extract import _tidy

    assert "звернення" in _tidy("наше звер-\nнення до ради")
    assert "житлово-комунальні" in _tidy("житлово-\nкомунальні послуги")
