"""Office pages: «Мої ключі», «Мої підписи», the administrator's keys page, office verification."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.models import Organisation, User
from ratusha.signatures import selectors, services
from ratusha.signatures.constants import CredentialKind, CredentialStatus
from ratusha.signatures.forms import CAForm, ImportForm, IssueForm, RevokeForm, SealIssueForm, TrustForm
from ratusha.signatures.services._common import is_signatures_admin

MAX_KEY_FILE = 256 * 1024
MAX_CERT_FILE = 64 * 1024


def _add_error(form: Any, exc: ApplicationError) -> None:
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message)
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _read(upload: Any, limit: int) -> bytes | None:
    if upload is None or upload.size > limit:
        return None
    return upload.read()


# --- «Мої ключі» ---------------------------------------------------------------------------------


def _keys_page(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    credentials = list(selectors.my_credentials(user=user))
    context = {
        "credentials": credentials,
        "active": [c for c in credentials if c.status == CredentialStatus.ACTIVE],
        "seals": list(selectors.usable_seals(user=user)),
        "ca": selectors.installation_ca(),
        "import_form": forms.get("import_form") or ImportForm(auto_id="id_import_%s"),
        "issue_form": forms.get("issue_form") or IssueForm(auto_id="id_issue_%s"),
        "open_panel": forms.get("open_panel", ""),
        "kept_file": forms.get("kept_file", ""),
        "is_admin": is_signatures_admin(user),
    }
    return render(request, "signatures/keys.html", context, status=status)


@office_view
@require_http_methods(["GET", "HEAD"])
def keys(request: HttpRequest) -> HttpResponse:
    return _keys_page(request)


@office_view
@require_POST
def key_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES, auto_id="id_import_%s")
    keep: tuple[str, str] | None = None
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        name = (upload.name if upload else form.cleaned_data.get("file_name")) or "key.p12"
        if upload is not None:
            data = _read(upload, MAX_KEY_FILE)
        else:
            try:
                data = base64.b64decode(form.cleaned_data["file_b64"], validate=True)
            except (binascii.Error, ValueError):
                data = None
        if data is None or len(data) > MAX_KEY_FILE:
            form.add_error("file", _("Файл завеликий для ключа PKCS#12 (до 256 КБ)."))
        else:
            try:
                credential = services.credential_import(actor=request.user, data=data,
                                                        passphrase=form.cleaned_data["passphrase"])
            except ApplicationError as exc:
                _add_error(form, exc)
                if exc.code == "wrong_passphrase":
                    keep = (base64.b64encode(data).decode(), name[:255])
            else:
                messages.success(request, _("Ключ додано: сертифікат %(serial)s, чинний до %(date)s.") % {
                    "serial": credential.serial, "date": credential.not_after.strftime("%d.%m.%Y")})
                return HttpResponseRedirect(reverse("signatures:keys"))
    data = form.data.copy()
    data["passphrase"] = ""
    data["file_b64"], data["file_name"] = keep or ("", "")
    form.data = data
    return _keys_page(request, status=400, import_form=form, open_panel="import", kept_file=keep[1] if keep else "")


@office_view
@require_POST
def key_issue(request: HttpRequest) -> HttpResponse:
    form = IssueForm(request.POST, auto_id="id_issue_%s")
    if form.is_valid():
        try:
            credential = services.credential_issue(
                actor=request.user, passphrase=form.cleaned_data["passphrase"],
                passphrase2=form.cleaned_data["passphrase2"], title=form.cleaned_data["title"])
        except ApplicationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Ключ створено й сертифікат видано: %(serial)s, чинний до %(date)s.") % {
                "serial": credential.serial, "date": credential.not_after.strftime("%d.%m.%Y")})
            return HttpResponseRedirect(reverse("signatures:keys"))
    data = form.data.copy()
    data["passphrase"] = data["passphrase2"] = ""
    form.data = data
    return _keys_page(request, status=400, issue_form=form, open_panel="issue")


@office_view
@require_http_methods(["GET", "HEAD"])
def certificate(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    credential = selectors.credential_get(user=request.user, pk=pk)
    response = HttpResponse(bytes(credential.certificate_der), content_type="application/pkix-cert")
    response["Content-Disposition"] = f'attachment; filename="certificate-{credential.serial[:16]}.cer"'
    return response


@office_view
@require_POST
def revoke(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    credential = selectors.credential_get(user=request.user, pk=pk)
    form = RevokeForm(request.POST)
    target = request.POST.get("next") == "admin" and reverse("signatures:admin") or reverse("signatures:keys")
    if not form.is_valid():
        messages.error(request, _("Оберіть причину відкликання."))
        return HttpResponseRedirect(target)
    try:
        services.credential_revoke(actor=request.user, credential=credential, reason=form.cleaned_data["reason"],
                                   comment=form.cleaned_data["comment"])
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Сертифікат %(serial)s відкликано. Списки відкликаних сертифікатів і OCSP "
                                    "уже показують це.") % {"serial": credential.serial})
    return HttpResponseRedirect(target)


@office_view
@require_http_methods(["GET", "HEAD"])
def my_signatures(request: HttpRequest) -> HttpResponse:
    from ratusha.signatures.services.records import display_code

    records = selectors.my_records(user=request.user)
    for record in records:
        record.display_code = display_code(record.code)
    return render(request, "signatures/my_signatures.html", {"records": records})


@office_view
@require_http_methods(["GET", "HEAD", "POST"])
def office_verify(request: HttpRequest) -> HttpResponse:
    from ratusha.signatures.views_public import verify_page

    return verify_page(request, template="signatures/verify_office.html")


# --- administrators --------------------------------------------------------------------------------


def _admin_orgs(user: Any) -> Any:
    """The signatures administrator serves every organisation of the installation."""
    if not is_signatures_admin(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=True).order_by("name")


def _admin_page(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    if not is_signatures_admin(user):
        raise PermissionDenied(_("Цю сторінку може відкрити лише адміністратор підписів установки."))
    orgs = _admin_orgs(user)
    staff = User.objects.filter(is_active=True, employments__organisation__in=orgs,
                                employments__is_active=True).distinct().order_by("last_name", "first_name")
    all_credentials = list(selectors.admin_credentials(user=user))
    context = {
        "ca": selectors.installation_ca(),
        "ca_form": forms.get("ca_form") or CAForm(auto_id="id_ca_%s"),
        "trust": list(selectors.admin_trust_list(user=user)),
        "trust_form": forms.get("trust_form") or TrustForm(auto_id="id_trust_%s"),
        "preview": forms.get("preview"),
        "seal_form": forms.get("seal_form") or SealIssueForm(organisations=orgs, users=staff, auto_id="id_seal_%s"),
        "seals": [c for c in all_credentials if c.kind == CredentialKind.SEAL],
        "personal": [c for c in all_credentials if c.kind == CredentialKind.PERSONAL],
        "revoke_form": RevokeForm(auto_id="id_revoke_%s"),
        "open_panel": forms.get("open_panel", ""),
    }
    return render(request, "signatures/admin.html", context, status=status)


@office_view
@require_http_methods(["GET", "HEAD"])
def admin(request: HttpRequest) -> HttpResponse:
    return _admin_page(request)


@office_view
@require_POST
def ca_create(request: HttpRequest) -> HttpResponse:
    form = CAForm(request.POST, auto_id="id_ca_%s")
    if form.is_valid():
        try:
            services.installation_ca_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Центр сертифікації установи створено."))
            return HttpResponseRedirect(reverse("signatures:admin"))
    return _admin_page(request, status=400, ca_form=form, open_panel="ca")


@office_view
@require_POST
def trust_add(request: HttpRequest) -> HttpResponse:
    """Two steps: the upload shows a preview (subject, validity, fingerprint); «Додати» confirms it."""
    if not is_signatures_admin(request.user):
        raise PermissionDenied
    form = TrustForm(request.POST, request.FILES, auto_id="id_trust_%s")
    preview = None
    if form.is_valid():
        data = _read(form.cleaned_data.get("certificate"), MAX_CERT_FILE)
        if data is None and form.cleaned_data.get("certificate_b64"):
            try:
                data = base64.b64decode(form.cleaned_data["certificate_b64"], validate=True)
            except (binascii.Error, ValueError):
                data = None
        if data is None:
            form.add_error("certificate", _("Оберіть файл сертифіката (до 64 КБ)."))
        else:
            try:
                if request.POST.get("confirm") == "1":
                    trusted = services.trusted_ca_add(actor=request.user, data=data, name=form.cleaned_data["name"])
                    messages.success(request, _("«%(name)s» додано до списку довіри.") % {"name": trusted.name})
                    return HttpResponseRedirect(reverse("signatures:admin") + "#trust")
                preview = services.certificate_preview(data)
                form = TrustForm(initial={"certificate_b64": base64.b64encode(data).decode(),
                                          "name": form.cleaned_data["name"] or preview["subject_name"]},
                                 auto_id="id_trust_%s")
            except ApplicationError as exc:
                _add_error(form, exc)
    return _admin_page(request, status=200 if preview else 400, trust_form=form, preview=preview,
                       open_panel="trust")


@office_view
@require_POST
def trust_remove(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    try:
        trusted = selectors.trusted_get(user=request.user, pk=pk)
        services.trusted_ca_remove(actor=request.user, trusted=trusted)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("«%(name)s» вилучено зі списку довіри.") % {"name": trusted.name})
    return HttpResponseRedirect(reverse("signatures:admin") + "#trust")


@office_view
@require_POST
def seal_issue(request: HttpRequest) -> HttpResponse:
    if not is_signatures_admin(request.user):
        raise PermissionDenied
    orgs = _admin_orgs(request.user)
    staff = User.objects.filter(is_active=True, employments__organisation__in=orgs).distinct()
    form = SealIssueForm(request.POST, organisations=orgs, users=staff, auto_id="id_seal_%s")
    if form.is_valid():
        try:
            services.seal_issue(actor=request.user, organisation=form.cleaned_data["organisation"],
                                passphrase=form.cleaned_data["passphrase"],
                                passphrase2=form.cleaned_data["passphrase2"], seal_users=form.cleaned_data["users"])
        except ApplicationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Печатку створено."))
            return HttpResponseRedirect(reverse("signatures:admin") + "#seals")
    data = form.data.copy()
    data["passphrase"] = data["passphrase2"] = ""
    form.data = data
    return _admin_page(request, status=400, seal_form=form, open_panel="seal")
