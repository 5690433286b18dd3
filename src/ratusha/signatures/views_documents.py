"""The card's signatures: the verification report of its files, co-signing/seal, .p7s, ASiC-E export."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, IntegrityCheckError, PermissionDeniedError
from ratusha.core.storage import blob_read
from ratusha.registry.selectors import document_files, document_get
from ratusha.signatures import selectors, services
from ratusha.signatures.constants import RecordKind
from ratusha.signatures.forms import SignCardForm
from ratusha.signatures.models import SigningCredential
from ratusha.signatures.reports import failed_report, report_view
from ratusha.signatures.services.records import (
    ASICE_MIME,
    PDF_MIME,
    credentials_usable_for,
    display_code,
    verify_bytes,
    verify_record,
)

logger = logging.getLogger(__name__)


def _safe_report(fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return report_view(fn(*args, **kwargs))
    except IntegrityCheckError as exc:
        return failed_report(exc.message)
    except Exception:  # noqa: BLE001 - never a 500 on the card's report
        logger.exception("verification on the card failed")
        return failed_report(_("Підпис не вдалося перевірити через внутрішню помилку."))


def _page(request: HttpRequest, document: Any, *, status: int = 200, **forms: Any) -> HttpResponse:
    files = document_files(document=document)
    records = selectors.document_records(document=document)
    for record in records:
        record.display_code = display_code(record.code)
    pdf_reports = []
    for file in files:
        if file.blob.mime == PDF_MIME and any(r.document_file_id in {v.pk for v in file.versions} for r in records
                                              if r.kind == RecordKind.PADES):
            pdf_reports.append({"file": file, "report": _safe_report(verify_bytes, blob_read(file.blob_id),
                                                                     filename=file.name)})
    cades_reports = [{"record": r, "report": _safe_report(verify_record, r)} for r in records
                     if r.kind == RecordKind.CADES]
    usable = credentials_usable_for(user=request.user, document=document)
    context = {
        "document": document, "files": files, "records": records, "pdf_reports": pdf_reports,
        "cades_reports": cades_reports, "usable": usable,
        "pdf_files": [f for f in files if f.blob.mime == PDF_MIME],
        "sign_form": forms.get("sign_form") or SignCardForm(credentials=usable, auto_id="id_sign_%s"),
        "cades_form": forms.get("cades_form") or SignCardForm(credentials=usable, auto_id="id_cades_%s"),
        "asice_form": forms.get("asice_form") or SignCardForm(credentials=usable, auto_id="id_asice_%s"),
        "open_panel": forms.get("open_panel", ""),
    }
    return render(request, "signatures/document.html", context, status=status)


@office_view
@require_http_methods(["GET", "HEAD"])
def document_signatures(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _page(request, document_get(user=request.user, pk=pk))


def _file_of(document: Any, file_pk: Any) -> Any:
    for file in document_files(document=document):
        if str(file.pk) == str(file_pk):
            return file
    raise Http404


def _credential_of(request: HttpRequest, form: SignCardForm, document: Any) -> SigningCredential | None:
    wanted = form.cleaned_data["credential"]
    return next((c for c in credentials_usable_for(user=request.user, document=document) if str(c.pk) == wanted),
                None)


def _sign(request: HttpRequest, pk: uuid.UUID, *, file_pk: Any, cades: bool) -> HttpResponse:
    document = document_get(user=request.user, pk=pk)
    usable = credentials_usable_for(user=request.user, document=document)
    prefix = "id_cades_%s" if cades else "id_sign_%s"
    form = SignCardForm(request.POST, credentials=usable, auto_id=prefix)
    if form.is_valid():
        credential = _credential_of(request, form, document)
        file = _file_of(document, file_pk)
        try:
            if credential is None:
                raise ApplicationError(_("Оберіть ключ."), field="credential")
            if cades:
                record = services.document_file_cades_sign(actor=request.user, document=document, file=file,
                                                           credential=credential,
                                                           passphrase=form.cleaned_data["passphrase"])
            else:
                record = services.document_pades_cosign(actor=request.user, document=document, file=file,
                                                        credential=credential,
                                                        passphrase=form.cleaned_data["passphrase"])
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Підпис додано. Код перевірки: %(code)s.") % {"code": display_code(record.code)})
            return HttpResponseRedirect(reverse("signatures:document", args=[document.pk]))
    data = form.data.copy()
    data["passphrase"] = ""
    form.data = data
    key = "cades_form" if cades else "sign_form"
    return _page(request, document, status=400, **{key: form, "open_panel": "cades" if cades else "sign"})


@office_view
@require_POST
def document_sign(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _sign(request, pk, file_pk=request.POST.get("file", ""), cades=False)


@office_view
@require_POST
def file_cades(request: HttpRequest, pk: uuid.UUID, file_pk: uuid.UUID) -> HttpResponse:
    return _sign(request, pk, file_pk=file_pk, cades=True)


@office_view
@require_POST
def document_asice(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    document = document_get(user=request.user, pk=pk)
    usable = credentials_usable_for(user=request.user, document=document)
    form = SignCardForm(request.POST, credentials=usable, auto_id="id_asice_%s")
    if form.is_valid():
        credential = _credential_of(request, form, document)
        try:
            if credential is None:
                raise ApplicationError(_("Оберіть ключ."), field="credential")
            name, data = services.document_asice(actor=request.user, document=document, credential=credential,
                                                 passphrase=form.cleaned_data["passphrase"])
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            response = HttpResponse(data, content_type=ASICE_MIME)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    data = form.data.copy()
    data["passphrase"] = ""
    form.data = data
    return _page(request, document, status=400, asice_form=form, open_panel="asice")


@office_view
@require_http_methods(["GET", "HEAD"])
def record_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    from ratusha.signatures.models import SignatureRecord

    try:
        record = SignatureRecord.objects.select_related("blob").get(pk=pk)
    except SignatureRecord.DoesNotExist:
        raise Http404 from None
    document_get(user=request.user, pk=record.document_id)  # access to the card
    try:
        data = blob_read(record.blob_id)
    except IntegrityCheckError:
        raise Http404 from None
    response = HttpResponse(data, content_type=record.blob.mime or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{record.name or "signature.p7s"}"'
    return response
