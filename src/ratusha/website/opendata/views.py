"""Open data at /open-data/: the register of datasets, each set's passport (page and JSON), its data in
CSV and JSON (streamed, with ``Last-Modified``; a conditional GET answers 304), and ``catalog.json``
(a DCAT-like list of the sets)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import condition, require_safe

from ratusha.core import csvsafe
from ratusha.website.opendata.datasets import CSV_FORMULA_NOTE, CSV_NOTE, DATASETS, LICENCE, Dataset


def _dataset(identifier: str) -> Dataset:
    dataset = DATASETS.get(identifier)
    if dataset is None:
        raise Http404
    return dataset


def _last_modified(request: HttpRequest, identifier: str, *args: Any, **kwargs: Any) -> Any:
    dataset = DATASETS.get(identifier)
    return dataset.last_modified() if dataset else None


def _council() -> Any:
    try:
        from ratusha.website.structure import council
    except ImportError:
        return None
    return council()


def passport(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    council = _council()
    modified = dataset.last_modified()
    base = request.build_absolute_uri("/")[:-1]
    return {
        "identifier": dataset.identifier,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "publisher": council.name if council else "",
        "responsible": council.name if council else "",
        "contact_email": council.email if council else "",
        "frequency": str(dataset.frequency),
        "keywords": [str(k) for k in dataset.keywords],
        "language": "uk",
        "licence": LICENCE,
        "last_modified": timezone.localtime(modified).isoformat() if modified else None,
        "landing_page": base + reverse("opendata:passport", args=[dataset.identifier]),
        "passport_json": base + reverse("opendata:passport_json", args=[dataset.identifier]),
        "format_note": f"{CSV_NOTE} {CSV_FORMULA_NOTE}",
        "distributions": [
            {"format": "CSV", "media_type": "text/csv", "encoding": "UTF-8",
             "url": base + reverse("opendata:data", args=[dataset.identifier, "csv"])},
            {"format": "JSON", "media_type": "application/json", "encoding": "UTF-8",
             "url": base + reverse("opendata:data", args=[dataset.identifier, "json"])},
        ],
        "structure": [{"name": f.name, "type": f.type, "description": str(f.description)} for f in dataset.fields],
    }


@require_safe
def register(request: HttpRequest) -> HttpResponse:
    sets = [{**passport(request, d), "modified": d.last_modified()} for d in DATASETS.values()]
    return render(request, "opendata/register.html", {"datasets": sets, "licence": LICENCE})


@require_safe
def passport_page(request: HttpRequest, identifier: str) -> HttpResponse:
    dataset = _dataset(identifier)
    info = {**passport(request, dataset), "modified": dataset.last_modified()}
    return render(request, "opendata/passport.html", {"d": info, "licence": LICENCE})


@require_safe
def passport_json(request: HttpRequest, identifier: str) -> HttpResponse:
    return JsonResponse(passport(request, _dataset(identifier)), json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    council = _council()
    base = request.build_absolute_uri("/")[:-1]
    body = {
        "@context": "https://www.w3.org/ns/dcat.jsonld",
        "@type": "dcat:Catalog",
        "title": f"Відкриті дані — {council.name}" if council else "Відкриті дані",
        "publisher": council.name if council else "",
        "homepage": base + reverse("opendata:register"),
        "licence": LICENCE,
        "datasets": [passport(request, d) for d in DATASETS.values()],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(dataset: Dataset, base: str) -> Iterator[str]:
    writer = csvsafe.writer(_Echo(), lineterminator="\r\n")
    names = [f.name for f in dataset.fields]
    yield writer.writerow(names)
    for row in dataset.rows(base_url=base):
        yield writer.writerow([row.get(n, "") for n in names])


def _json_stream(dataset: Dataset, base: str) -> Iterator[str]:
    yield "["
    first = True
    for row in dataset.rows(base_url=base):
        yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]\n"


@require_safe
@condition(last_modified_func=_last_modified)
def data(request: HttpRequest, identifier: str, fmt: str) -> HttpResponse:
    dataset = _dataset(identifier)
    base = request.build_absolute_uri("/")[:-1]
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(dataset, base), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = StreamingHttpResponse(_json_stream(dataset, base), content_type="application/json; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = content_disposition_header(False, f"{dataset.identifier}.{fmt}")
    response["Cache-Control"] = "public, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
