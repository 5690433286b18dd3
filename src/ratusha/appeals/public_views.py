"""Public pages of the appeals app: the e-services page, the e-appeal form, its confirmation, tracking.

No login. What a citizen typed and uploaded survives every error (uploads are staged at once and come
back as signed tokens bound to the browser session); a flood from one address gets HTTP 429 with the
form kept; a wrong tracking code says nothing about other appeals.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from types import SimpleNamespace
from typing import Any

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ratusha.appeals.constants import AppealStatus, TermKind
from ratusha.appeals.models import Appeal
from ratusha.appeals.public_forms import (
    AppealForm,
    CosignerFormSet,
    TrackForm,
    with_fresh_start,
)
from ratusha.appeals.services.codes import normalise_tracking_code
from ratusha.appeals.services.intake import (
    PUBLIC_UPLOAD_MIME,
    CosignerInput,
    appeal_submit,
    received_term_dates,
    setting,
)
from ratusha.core.auth import client_ip
from ratusha.core.errors import ApplicationError, IntegrityCheckError
from ratusha.core.ratelimit import RateState, rate_limit_check, rate_limit_hit
from ratusha.core.storage import blob_read
from ratusha.registry.services.uploads import StagedFile, staged_from_token, upload_check, upload_stage

logger = logging.getLogger(__name__)

SENT_SALT = "ratusha.appeals.sent"
SENT_MAX_AGE = 60 * 60 * 24 * 7
UPLOAD_SESSION_KEY = "appeals_upload_key"
ANSWER_STATUSES = frozenset({AppealStatus.ANSWERED, AppealStatus.CLOSED})
OPEN_FOR_DEADLINE = frozenset({AppealStatus.SUBMITTED, AppealStatus.REGISTERED, AppealStatus.IN_WORK})


# --- helpers ------------------------------------------------------------------------------------


def upload_owner(request: HttpRequest) -> Any:
    """Who staged uploads belong to on the public site: this browser session (a random key in it)."""
    key = request.session.get(UPLOAD_SESSION_KEY)
    if not key:
        key = secrets.token_urlsafe(18)
        request.session[UPLOAD_SESSION_KEY] = key
    return SimpleNamespace(pk=f"public:{key}")


def collect_public_files(request: HttpRequest, *, stage_new: bool = True) -> tuple[list[StagedFile], list[str]]:
    """Files kept from the previous attempt + new uploads, each checked by content and staged at once."""
    owner = upload_owner(request)
    staged: list[StagedFile] = []
    errors: list[str] = []
    removed = set(request.POST.getlist("staged_remove"))
    for token in request.POST.getlist("staged"):
        if token in removed:
            continue
        try:
            staged.append(staged_from_token(token, owner))
        except ApplicationError as exc:
            errors.append(exc.message)
    limit_mb = int(setting("PUBLIC_UPLOAD_MB"))
    allowed = ", ".join(PUBLIC_UPLOAD_MIME.values())
    for upload in request.FILES.getlist("files") if stage_new else []:
        if upload.size is not None and upload.size > limit_mb * 1024 * 1024:
            errors.append(_("Файл «%(name)s» завеликий: найбільший дозволений розмір — %(limit)s МБ.")
                          % {"name": upload.name, "limit": limit_mb})
            continue
        try:
            mime = upload_check(name=upload.name, content=upload)
            if mime not in PUBLIC_UPLOAD_MIME:
                raise ApplicationError(_("Файл «%(name)s» має недозволений тип. Дозволено: %(allowed)s.")
                                       % {"name": upload.name, "allowed": allowed}, field="files")
            staged.append(upload_stage(actor=owner, name=upload.name, content=upload, ip=client_ip(request),
                                       public=True))
        except ApplicationError as exc:
            errors.append(exc.message)
    unique: dict[tuple[str, str], StagedFile] = {}
    for item in staged:
        unique.setdefault((item.sha256, item.name), item)
    kept = list(unique.values())
    maximum = int(setting("PUBLIC_MAX_FILES"))
    if len(kept) > maximum:
        errors.append(_("Можна додати не більше %(n)d файлів: зайві не збережено.") % {"n": maximum})
        kept = kept[:maximum]
    return kept, errors


def masked_name(appeal: Appeal) -> str:
    """«Іван П.»: enough for the applicant to recognise their appeal, nothing for anyone else."""
    initial = (appeal.last_name or "")[:1]
    return " ".join(p for p in (appeal.first_name, f"{initial}." if initial else "") if p)


def masked_email(email: str) -> str:
    local, _sep, domain = (email or "").partition("@")
    if not domain:
        return ""
    return f"{local[:1]}{'•' * max(2, min(len(local) - 1, 6))}@{domain}"


def _too_many(request: HttpRequest, template: str, context: dict[str, Any], state: RateState) -> HttpResponse:
    response = render(request, template, {**context, "rate_limited": True,
                                          "retry_minutes": state.retry_minutes}, status=429)
    response["Retry-After"] = str(state.retry_after)
    return response


# --- pages --------------------------------------------------------------------------------------


@require_GET
def services(request: HttpRequest) -> HttpResponse:
    """Електронні послуги: submit an appeal, track it, book a personal reception."""
    return render(request, "appeals/public/services.html", {})


def _submit_limits() -> dict[str, Any]:
    return {"limit": int(setting("PUBLIC_SUBMIT_LIMIT")), "window_minutes": int(setting("PUBLIC_SUBMIT_WINDOW_MINUTES"))}


def _form_context(form: AppealForm, formset: Any, staged: list[StagedFile]) -> dict[str, Any]:
    return {
        "form": form,
        "formset": formset,
        "staged": staged,
        "max_upload_bytes": int(setting("PUBLIC_UPLOAD_MB")) * 1024 * 1024,
        "upload_mb": setting("PUBLIC_UPLOAD_MB"),
        "max_files": setting("PUBLIC_MAX_FILES"),
        "upload_types": ", ".join(PUBLIC_UPLOAD_MIME.values()),
        "text_min": setting("TEXT_MIN_LENGTH"),
    }


def _more_cosigner_rows(data: Any) -> Any:
    data = data.copy()
    key = "cosigners-TOTAL_FORMS"
    try:
        total = int(data.get(key, "1"))
    except ValueError:
        total = 1
    data[key] = str(min(total + 1, 100))
    return data


@never_cache
@require_http_methods(["GET", "POST"])
def new_appeal(request: HttpRequest) -> HttpResponse:
    template = "appeals/public/new.html"
    if request.method == "GET":
        form = AppealForm()
        formset = CosignerFormSet(prefix="cosigners")
        return render(request, template, _form_context(form, formset, []))

    ip = client_ip(request)
    rate = rate_limit_check(scope="appeal-submit", ip=ip, **_submit_limits())
    data = with_fresh_start(request.POST)
    if not rate.allowed:
        staged, _errors = collect_public_files(request, stage_new=False)
        form = AppealForm(data)
        formset = CosignerFormSet(data, prefix="cosigners")
        form.is_valid()
        form.errors.clear()
        context = _form_context(form, formset, staged)
        context["lost_uploads"] = bool(request.FILES.getlist("files"))
        return _too_many(request, template, context, rate)

    staged, file_errors = collect_public_files(request)
    if "add_cosigner" in request.POST:
        # «+ ще один підписант» without JavaScript: the same form, one more row, no error messages yet.
        form = AppealForm(data)
        formset = CosignerFormSet(_more_cosigner_rows(data), prefix="cosigners")
        form.is_valid()
        form.errors.clear()
        return render(request, template, _form_context(form, formset, staged))

    form = AppealForm(request.POST)
    formset = CosignerFormSet(request.POST, prefix="cosigners")
    valid = form.is_valid() & formset.is_valid()
    verdict = form.anti_abuse()
    if verdict == "bot":
        logger.warning("e-appeal refused: honeypot filled (ip %s)", ip)
        rate_limit_hit(scope="appeal-submit", ip=ip, **_submit_limits())
        form = AppealForm(data)
        formset = CosignerFormSet(data, prefix="cosigners")
        form.is_valid()
        form.errors.clear()
        form.add_error(None, _("Не вдалося надіслати звернення. Перевірте дані й надішліть форму ще раз."))
        return render(request, template, _form_context(form, formset, staged), status=400)
    for message in file_errors:
        form.add_error("files", message)
    cosigners = [CosignerInput(full_name=f.cleaned_data.get("full_name", ""), address=f.cleaned_data.get("address", ""))
                 for f in formset.forms if getattr(f, "cleaned_data", None)] if valid else []
    named = [c for c in cosigners if (c.full_name or "").strip()]
    if valid:
        if form.cleaned_data["is_collective"] and not named:
            form.add_error("is_collective", _("Додайте хоча б одного підписанта колективного звернення або "
                                              "зніміть цю позначку."))
        elif named and not form.cleaned_data["is_collective"]:
            form.add_error("is_collective", _("Ви вказали підписантів: позначте, що звернення колективне, або "
                                              "очистіть рядки підписантів."))
    if verdict == "fast" and not form.errors and not file_errors:
        form.add_error(None, _("Форму надіслано надто швидко — перевірте, будь ласка, дані й надішліть її ще "
                               "раз."))
    if form.errors or file_errors or not valid:
        form.data = data  # a fresh timestamp for the next attempt, the honeypot emptied
        return render(request, template, _form_context(form, formset, staged), status=400)

    cd = form.cleaned_data
    try:
        appeal = appeal_submit(
            organisation=cd["organisation"], last_name=cd["last_name"], first_name=cd["first_name"],
            middle_name=cd["middle_name"], settlement=cd["settlement"], address=cd["address"], email=cd["email"],
            phone=cd["phone"], appeal_type=cd["appeal_type"], text=cd["text"], categories=cd["categories"],
            social_status=cd["social_status"], sex=cd["sex"], cosigners=named, files=staged,
            consent=cd["consent"], ip=ip)
    except ApplicationError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        form.data = data
        return render(request, template, _form_context(form, formset, staged), status=400)
    rate_limit_hit(scope="appeal-submit", ip=ip, **_submit_limits())
    token = signing.dumps(str(appeal.pk), salt=SENT_SALT)
    return redirect("appeals_public:sent", token=token)


@never_cache
@require_GET
def sent(request: HttpRequest, token: str) -> HttpResponse:
    try:
        appeal_id = signing.loads(token, salt=SENT_SALT, max_age=SENT_MAX_AGE)
        appeal = Appeal.objects.select_related("organisation").get(pk=uuid.UUID(str(appeal_id)))
    except (signing.BadSignature, ValueError, Appeal.DoesNotExist):
        raise Http404 from None
    context = {
        "appeal": appeal,
        "email": masked_email(appeal.email),
        "terms": received_term_dates(appeal.received_date),
        "track_url": reverse("appeals_public:track") + "?code=" + appeal.tracking_code,
    }
    return render(request, "appeals/public/sent.html", context)


def _track_limits() -> dict[str, Any]:
    return {"limit": int(setting("TRACK_LIMIT")), "window_minutes": int(setting("TRACK_WINDOW_MINUTES"))}


def find_by_code(code: str) -> Appeal | None:
    normalised = normalise_tracking_code(code)
    if not normalised:
        return None
    return (Appeal.objects.select_related("organisation", "document", "answer_document")
            .filter(tracking_code=normalised).first())


def answer_files(appeal: Appeal) -> list[Any]:
    """The answer letter's current files, once the answer was sent (status ANSWERED/CLOSED)."""
    if appeal.status not in ANSWER_STATUSES or appeal.answered_at is None or not appeal.answer_document_id:
        return []
    return list(appeal.answer_document.files.filter(is_current=True).select_related("blob").order_by("name"))


@never_cache
@require_GET
def track(request: HttpRequest) -> HttpResponse:
    template = "appeals/public/track.html"
    if "code" not in request.GET:
        return render(request, template, {"form": TrackForm()})
    form = TrackForm(request.GET)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    rate = rate_limit_hit(scope="track", ip=client_ip(request), **_track_limits())
    if not rate.allowed:
        return _too_many(request, template, {"form": form}, rate)
    appeal = find_by_code(form.cleaned_data["code"])
    if appeal is None:
        return render(request, template, {"form": form, "not_found": True})
    context = {
        "form": TrackForm(initial={"code": appeal.tracking_code}),
        "appeal": appeal,
        "name": masked_name(appeal),
        "events": list(appeal.events.order_by("created_at")),
        "show_deadline": appeal.status in OPEN_FOR_DEADLINE and appeal.deadline is not None,
        "extended": appeal.term_kind == TermKind.EXTENDED,
        "answer_files": answer_files(appeal),
        "status_class": f"appeal-status--{appeal.status}",
    }
    return render(request, template, context)


@never_cache
@require_GET
def answer_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A file of the answer letter, authorised by the tracking code (``?code=``), not by login."""
    rate = rate_limit_hit(scope="track", ip=client_ip(request), **_track_limits())
    if not rate.allowed:
        response = HttpResponse(_("Забагато запитів. Спробуйте пізніше."), status=429,
                                content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(rate.retry_after)
        return response
    appeal = find_by_code(request.GET.get("code", ""))
    file = next((f for f in answer_files(appeal) if f.pk == pk), None) if appeal else None
    if file is None:
        raise Http404
    try:
        data = blob_read(file.blob_id)
    except (IntegrityCheckError, FileNotFoundError):
        logger.error("appeal answer file %s: stored bytes missing or damaged", file.pk)
        raise Http404 from None
    mime = file.blob.mime or "application/octet-stream"
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, file.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
