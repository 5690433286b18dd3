"""Public: /verify/ (upload or the QR code) and the installation CA's CRL, OCSP and TSA on /pki/."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusha.core.auth import client_ip
from ratusha.core.errors import ApplicationError, IntegrityCheckError
from ratusha.core.ratelimit import rate_limit_hit
from ratusha.registry.constants import AccessMark
from ratusha.signatures import selectors
from ratusha.signatures.forms import VerifyCodeForm, VerifyUploadForm
from ratusha.signatures.reports import failed_report, report_view
from ratusha.signatures.services.ca import crl_der, ocsp_response, tsa_response
from ratusha.signatures.services.records import display_code, verify_bytes, verify_record

logger = logging.getLogger(__name__)

MAX_PKI_REQUEST = 64 * 1024
SIGNED_SIGNATURES = (b"%PDF", b"PK\x03\x04")


def _limits() -> dict[str, Any]:
    return {"limit": int(settings.SIGNATURES_VERIFY_LIMIT),
            "window_minutes": int(settings.SIGNATURES_VERIFY_WINDOW_MINUTES)}


def _looks_supported(data: bytes) -> bool:
    head = data[:1024].lstrip()
    return data.startswith(SIGNED_SIGNATURES) or data[:1] == b"\x30" or head.startswith(b"-----BEGIN")


def _verify_upload(form: VerifyUploadForm) -> dict[str, Any]:
    upload = form.cleaned_data["file"]
    data = upload.read()
    content_upload = form.cleaned_data.get("content")
    content = content_upload.read() if content_upload is not None else None
    if not _looks_supported(data):
        return failed_report(_("Цей файл не є підписаним PDF, файлом підпису .p7s чи контейнером ASiC. "
                               "Перевірте, чи ви обрали правильний файл."))
    try:
        report = verify_bytes(data, content=content, filename=upload.name or "")
    except Exception:  # noqa: BLE001 - the engine promises not to raise; if it does, say so plainly
        logger.exception("verification of an uploaded file failed")
        return failed_report(_("Файл не вдалося перевірити: він пошкоджений або має непідтримуваний формат."))
    return report_view(report)


def _document_view(record: Any) -> dict[str, Any]:
    doc = record.document
    public = doc.access == AccessMark.PUBLIC and not doc.is_cancelled
    return {"reg_index": doc.reg_index, "reg_date": doc.reg_date, "public": public,
            "summary": doc.summary if public else "", "organisation": doc.organisation.name,
            "cancelled": doc.is_cancelled, "code": display_code(record.code)}


def _verify_code(record: Any) -> dict[str, Any]:
    try:
        return report_view(verify_record(record))
    except IntegrityCheckError:
        logger.error("signature record %s: stored bytes missing or damaged", record.pk)
        return failed_report(_("Файл документа в сховищі пошкоджено. Повідомте про це установу."))
    except Exception:  # noqa: BLE001
        logger.exception("verification of record %s failed", record.pk)
        return failed_report(_("Підпис не вдалося перевірити через внутрішню помилку. Спробуйте пізніше."))


def verify_page(request: HttpRequest, *, template: str, extra: dict[str, Any] | None = None) -> HttpResponse:
    """The /verify/ logic, shared by the public page and the office one."""
    context: dict[str, Any] = {"upload_form": VerifyUploadForm(), "code_form": VerifyCodeForm(), **(extra or {})}
    status = 200
    if request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES)
        context["upload_form"] = form
        context["mode"] = "upload"
        rate = rate_limit_hit(scope="verify", ip=client_ip(request), **_limits())
        if not rate.allowed:
            return _too_many(request, template, context, rate)
        if form.is_valid():
            context["report"] = _verify_upload(form)
            context["file_name"] = form.cleaned_data["file"].name
        else:
            status = 400
    elif "code" in request.GET:
        form = VerifyCodeForm(request.GET)
        context["code_form"] = form
        context["mode"] = "code"
        if form.is_valid():
            rate = rate_limit_hit(scope="verify", ip=client_ip(request), **_limits())
            if not rate.allowed:
                return _too_many(request, template, context, rate)
            record = selectors.record_by_code(form.cleaned_data["code"])
            if record is None:
                context["not_found"] = True
                status = 404
            else:
                context["document"] = _document_view(record)
                context["report"] = _verify_code(record)
        else:
            status = 400
    return render(request, template, context, status=status)


def _too_many(request: HttpRequest, template: str, context: dict[str, Any], rate: Any) -> HttpResponse:
    response = render(request, template, {**context, "rate_limited": True, "retry_minutes": rate.retry_minutes},
                      status=429)
    response["Retry-After"] = str(rate.retry_after)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    return verify_page(request, template="signatures/public/verify.html")


# --- /pki/: the installation CA's services -------------------------------------------------------------


def _pki_body(request: HttpRequest, content_type: str) -> bytes | HttpResponse:
    if request.content_type != content_type:
        return HttpResponse(_("Очікується %(type)s.") % {"type": content_type}, status=415,
                            content_type="text/plain; charset=utf-8")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0 or length > MAX_PKI_REQUEST:
        return HttpResponse(_("Запит порожній або завеликий."), status=400, content_type="text/plain; charset=utf-8")
    return request.body


@require_GET
def crl(request: HttpRequest, ca_id: uuid.UUID) -> HttpResponse:
    ca = selectors.installation_ca_get(ca_id)
    response = HttpResponse(crl_der(ca), content_type="application/pkix-crl")
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


@require_GET
def ca_certificate(request: HttpRequest, ca_id: uuid.UUID) -> HttpResponse:
    ca = selectors.installation_ca_get(ca_id)
    response = HttpResponse(bytes(ca.certificate_der), content_type="application/pkix-cert")
    response["Content-Disposition"] = f'attachment; filename="ratusha-ca-{str(ca.pk)[:8]}.cer"'
    return response


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def ocsp(request: HttpRequest, ca_id: uuid.UUID) -> HttpResponse:
    ca = selectors.installation_ca_get(ca_id)
    body = _pki_body(request, "application/ocsp-request")
    if isinstance(body, HttpResponse):
        return body
    try:
        answer = ocsp_response(ca, body)
    except (ApplicationError, ValueError) as exc:
        return _bad_request(getattr(exc, "message", _("Некоректний запит OCSP.")))
    response = HttpResponse(answer, content_type="application/ocsp-response")
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


@csrf_exempt
@require_POST
def tsa(request: HttpRequest) -> HttpResponse:
    body = _pki_body(request, "application/timestamp-query")
    if isinstance(body, HttpResponse):
        return body
    try:
        answer = tsa_response(body)
    except (ApplicationError, ValueError) as exc:
        return _bad_request(getattr(exc, "message", _("Некоректний запит позначки часу.")))
    if answer is None:
        return HttpResponse(_("Центр сертифікації установи ще не створено."), status=503,
                            content_type="text/plain; charset=utf-8")
    return HttpResponse(answer, content_type="application/timestamp-reply")
