"""Fast PDF generation for the demo: many one-page letters per WeasyPrint call, then split by page.

One WeasyPrint call costs ~40 ms of fixed overhead; a batch of 100 letters renders at ~10 ms a page
and splitting with pypdf adds ~2 ms a page. Batches can be rendered in worker processes (which never
touch the database) while the loader registers the previous batch.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

from ratusha.training.demo_letters import Page, document_html

BATCH = 100


def render_html_pages(html: str, expected: int) -> list[bytes]:
    """Render an HTML document of ``expected`` one-page sections; return one PDF per section.

    ValueError when the page count differs (a section overflowed): the caller renders one by one.
    """
    import pypdf
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    if expected == 1:
        return [pdf]  # nothing to split (a letter that overflows keeps its second page)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    if len(reader.pages) != expected:
        raise ValueError(f"expected {expected} pages, got {len(reader.pages)}")
    out = []
    for page in reader.pages:
        writer = pypdf.PdfWriter()
        writer.add_page(page)
        writer.add_metadata({"/Producer": "Ratusha demo (WeasyPrint)"})
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(buffer.getvalue())
    return out


def _render_batch(htmls: list[str]) -> list[bytes]:
    """Worker entry point: the batch as one document; on overflow, page by page."""
    try:
        return render_html_pages(document_html_from_parts(htmls), len(htmls))
    except ValueError:
        return [render_html_pages(document_html_from_parts([h]), 1)[0] for h in htmls]


def document_html_from_parts(parts: list[str]) -> str:
    from ratusha.training.demo_letters import CSS

    return (f'<!doctype html><html lang="uk"><head><meta charset="utf-8"><style>{CSS}</style></head>'
            f'<body>{"".join(parts)}</body></html>')


def render_pdfs(pages: Sequence[Page]) -> list[bytes]:
    """All pages in this process, batch by batch."""
    out: list[bytes] = []
    for start in range(0, len(pages), BATCH):
        out.extend(_render_batch([p.html() for p in pages[start:start + BATCH]]))
    return out


class PdfPipeline:
    """Render batches ahead in ``workers`` processes; ``results()`` yields them in order."""

    def __init__(self, pages: Sequence[Page], *, workers: int = 1, batch: int = BATCH) -> None:
        self.batches = [[p.html() for p in pages[i:i + batch]] for i in range(0, len(pages), batch)]
        self.executor: Executor | None = None
        self.futures: list[Future] = []
        if workers > 0 and len(self.batches) > 1:
            # fork: the workers never touch the database, and (unlike spawn) nothing re-imports the
            # caller's main module; all workers are started at once, before any helper thread.
            method = "fork" if "fork" in get_all_start_methods() else "spawn"
            self.executor = ProcessPoolExecutor(max_workers=min(workers, len(self.batches)),
                                                mp_context=get_context(method))
            self.futures = [self.executor.submit(_render_batch, b) for b in self.batches]

    def results(self) -> Iterator[bytes]:
        try:
            if self.executor is None:
                for batch in self.batches:
                    yield from _render_batch(batch)
            else:
                for future in self.futures:
                    yield from future.result()
        finally:
            self.close()

    def close(self) -> None:
        if self.executor is not None:
            for future in self.futures:
                future.cancel()
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


__all__ = ["BATCH", "Page", "PdfPipeline", "document_html", "render_pdfs"]
