"""The Classifier 858 subject/issue codes page: versions, a CSV upload with a dry-run report, then apply.

The uploaded bytes are stored as a blob at once; the report page carries a signed token of them, so
«Застосувати» loads exactly the file that was checked without uploading it again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ratusha.appeals import forms as appeal_forms
from ratusha.appeals import permissions as perms
from ratusha.appeals import selectors
from ratusha.appeals import services as svc
from ratusha.appeals.services.classifier import MAX_BYTES
from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError
from ratusha.core.storage import blob_put, blob_read

TOKEN_SALT = "ratusha.appeals.classifier-upload"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 60 * 60 * 4


def _require_admin(request: HttpRequest) -> None:
    if not perms.can_load_classifier(request.user):
        raise PermissionDenied(_("Завантажувати класифікатор звернень може лише його хранитель, призначений адміністратором установки."))


def _page(request: HttpRequest, *, form: Any = None, report: Any = None, apply_form: Any = None,
          name: str = "", status: int = 200) -> HttpResponse:
    return render(request, "appeals/classifier.html", {
        "form": form or appeal_forms.ClassifierUploadForm(),
        "report": report,
        "apply_form": apply_form,
        "file_name": name,
        "versions": selectors.classifier_versions(),
        "topics": list(selectors.active_topics()[:500]),
    }, status=status)


@office_view
@require_http_methods(["GET", "POST"])
def classifier(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    if request.method == "GET":
        return _page(request)
    form = appeal_forms.ClassifierUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read(MAX_BYTES + 1)
    report = svc.classifier_check(data)
    apply_form = None
    if report.ok:
        blob = blob_put(data, mime="text/csv")
        token = signing.dumps({"s": blob.sha256, "n": upload.name[:255], "u": str(request.user.pk)},
                              salt=TOKEN_SALT, compress=True)
        apply_form = appeal_forms.ClassifierApplyForm(initial={"token": token, "note": form.cleaned_data["note"]})
    return _page(request, form=form, report=report, apply_form=apply_form, name=upload.name,
                 status=200 if report.ok else 400)


@office_view
@require_POST
def classifier_apply(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = appeal_forms.ClassifierApplyForm(request.POST)
    lost = _("Перевірений файл не знайдено або минув строк його зберігання. Завантажте файл ще раз.")
    if not form.is_valid():
        messages.error(request, lost)
        return redirect("appeals:classifier")
    try:
        payload = signing.loads(form.cleaned_data["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        if payload.get("u") != str(request.user.pk):
            raise signing.BadSignature
        data = blob_read(payload["s"])
    except (signing.BadSignature, KeyError, FileNotFoundError, ApplicationError, TypeError, AttributeError):
        messages.error(request, lost)
        return redirect("appeals:classifier")
    try:
        version = svc.classifier_load(actor=request.user, data=data, source_name=payload.get("n", ""),
                                      note=form.cleaned_data.get("note", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("appeals:classifier")
    messages.success(request, _("Завантажено класифікатор, версія %(n)d: %(count)d кодів.")
                     % {"n": version.number, "count": version.topics.count()})
    return redirect("appeals:classifier")
