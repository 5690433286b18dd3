import io

import pypdf

from ratusha.training.demo_letters import Page
from ratusha.training.demo_pdf import PdfPipeline, render_pdfs


def page(i, paragraphs=None):
    return Page(header="Соснівська міська рада", title=f"Про ремонт доріг № {i}",
                paragraphs=paragraphs or [f"Текст листа номер {i} щодо освітлення вулиць."],
                sign_position="Міський голова", sign_name="Василь ГНАТЮК")


def pages_of(pdf):
    return pypdf.PdfReader(io.BytesIO(pdf)).pages


def test_batch_is_split_into_one_pdf_per_letter_with_text():
    pdfs = render_pdfs([page(i) for i in range(3)])
    assert len(pdfs) == 3
    for i, pdf in enumerate(pdfs):
        reader_pages = pages_of(pdf)
        assert len(reader_pages) == 1
        assert f"Текст листа номер {i}" in reader_pages[0].extract_text()


def test_overflowing_letter_falls_back_to_single_rendering():
    long = page(9, paragraphs=["Дуже довгий абзац про благоустрій. " * 60] * 4)
    pdfs = render_pdfs([page(1), long, page(2)])
    assert [len(pages_of(p)) for p in pdfs][0] == 1
    assert len(pages_of(pdfs[1])) >= 2  # kept whole, not cut
    assert "номер 2" in pages_of(pdfs[2])[0].extract_text()


def test_pipeline_with_worker_processes_keeps_the_order():
    pages = [page(i) for i in range(5)]
    results = list(PdfPipeline(pages, workers=2, batch=2).results())
    assert len(results) == 5
    assert all(f"номер {i}" in pages_of(pdf)[0].extract_text() for i, pdf in enumerate(results))


def test_page_text_is_what_it_prints():
    p = page(7)
    text = p.text()
    assert "СОСНІВСЬКА МІСЬКА РАДА" in text and "Про ремонт доріг № 7" in text and "Василь ГНАТЮК" in text
