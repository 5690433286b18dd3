"""Staff pages of the office: staff list, structure, acting deputies, CSV import, installation roles.

Views only translate requests into selector/service calls; the rules live in services.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError
from ratusha.orgs import selectors, services
from ratusha.orgs.constants import InstallationRole
from ratusha.orgs.forms import DelegationForm, ImportUploadForm, InstallationRoleGrantForm, StaffFilterForm
from ratusha.orgs.importing import parse_staff_csv
from ratusha.orgs.models import Organisation

IMPORT_SESSION_KEY = "orgs_staff_import"
PAGE_SIZE = 50


def _current_organisation(request: HttpRequest) -> Organisation:
    """The organisation chosen with ``?org=`` (must be one the user works in), else the first one."""
    org_id = request.GET.get("org") or request.POST.get("org")
    if org_id:
        return selectors.organisation_get(user=request.user, pk=org_id)
    organisation = selectors.organisations_for_user(user=request.user).first()
    if organisation is None:
        raise Http404
    return organisation


def _org_context(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "organisations": selectors.organisations_for_user(user=request.user),
        "can_manage": selectors.can_manage_organisation(request.user, organisation),
        "can_import": selectors.organisations_administered(user=request.user).exists(),
    }


@office_view
@require_http_methods(["GET"])
def staff_list(request: HttpRequest) -> HttpResponse:
    organisation = _current_organisation(request)
    context = _org_context(request, organisation)
    form = StaffFilterForm(request.GET or None, organisation=organisation, can_manage=context["can_manage"])
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {"q": form.cleaned_data["q"], "unit": form.cleaned_data["unit"],
                   "role": form.cleaned_data["role"],
                   "include_dismissed": form.cleaned_data.get("dismissed", False)}
    staff = selectors.staff_list(user=request.user, organisation=organisation, **filters)
    page_obj = Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(form=form, page_obj=page_obj,
                   page_range=page_obj.paginator.get_elided_page_range(page_obj.number))
    return render(request, "orgs/staff_list.html", context)


@office_view
@require_http_methods(["GET"])
def structure(request: HttpRequest) -> HttpResponse:
    organisation = _current_organisation(request)
    context = _org_context(request, organisation)
    context.update(
        org_nodes=selectors.organisation_tree(user=request.user),
        unit_nodes=selectors.units_tree(user=request.user, organisation=organisation),
    )
    return render(request, "orgs/structure.html", context)


@office_view
@require_http_methods(["GET", "POST"])
def delegations(request: HttpRequest) -> HttpResponse:
    organisation = _current_organisation(request)
    context = _org_context(request, organisation)
    form = None
    if context["can_manage"]:
        form = DelegationForm(request.POST or None, organisation=organisation)
        if request.method == "POST" and form.is_valid():
            try:
                services.delegation_create(actor=request.user, principal=form.cleaned_data["principal"],
                                           deputy=form.cleaned_data["deputy"], start=form.cleaned_data["start"],
                                           end=form.cleaned_data["end"], reason=form.cleaned_data["reason"])
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Виконання обов'язків призначено."))
                return redirect(f"{reverse('orgs:delegations')}?org={organisation.pk}")
    elif request.method == "POST":
        raise PermissionDenied
    context.update(form=form, delegations=selectors.delegations_list(user=request.user,
                                                                     organisation=organisation))
    return render(request, "orgs/delegations.html", context)


@office_view
@require_http_methods(["POST"])
def delegation_revoke(request: HttpRequest, pk: str) -> HttpResponse:
    delegation = selectors.delegation_get(user=request.user, pk=pk)
    organisation = delegation.principal.organisation
    try:
        services.delegation_revoke(actor=request.user, delegation=delegation)
    except ApplicationError as exc:
        if exc.code == "permission_denied":
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Заміщення скасовано."))
    return redirect(f"{reverse('orgs:delegations')}?org={organisation.pk}")


@office_view
@require_http_methods(["GET", "POST"])
def staff_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload → dry-run report. Step 2: «Імпортувати» applies the same file, all or nothing."""
    administered = selectors.organisations_administered(user=request.user)
    if not administered.exists():
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("action") == "apply":
        return _import_apply(request, administered)
    initial = {}
    if _is_uuid(request.GET.get("org", "")):
        initial["organisation"] = administered.filter(pk=request.GET["org"]).first()
    form = ImportUploadForm(request.POST or None, request.FILES or None, organisations=administered,
                            initial=initial)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        upload = form.cleaned_data["file"]
        content = upload.read()
        report = parse_staff_csv(organisation=organisation, content=content)
        token = secrets.token_urlsafe(16)
        if report.ok:
            request.session[IMPORT_SESSION_KEY] = {
                "token": token, "org": str(organisation.pk), "name": upload.name[:200],
                "content": base64.b64encode(content).decode()}
        context.update(report=report, token=token, organisation=organisation, filename=upload.name)
    return render(request, "orgs/import.html", context)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _import_apply(request: HttpRequest, administered) -> HttpResponse:
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not isinstance(stored, dict) or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("Дані перевірки застаріли. Завантажте файл ще раз."))
        return redirect("orgs:import")
    organisation = administered.filter(pk=stored["org"]).first()
    if organisation is None:
        raise PermissionDenied
    content = base64.b64decode(stored["content"])
    try:
        report = services.staff_import(actor=request.user, organisation=organisation, content=content,
                                       filename=stored.get("name", ""))
    except ApplicationError as exc:
        form = ImportUploadForm(organisations=administered, initial={"organisation": organisation})
        messages.error(request, exc.message)
        return render(request, "orgs/import.html", {
            "form": form, "report": exc.extra.get("report"), "organisation": organisation,
            "filename": stored.get("name", "")})
    request.session.pop(IMPORT_SESSION_KEY, None)
    summary = report.summary
    messages.success(request, _("Імпорт виконано: нових працівників — %(create)s, оновлено — %(update)s, "
                                "повторно прийнято — %(rehire)s, без змін — %(unchanged)s.") % summary)
    return redirect(f"{reverse('orgs:staff')}?org={organisation.pk}")


# --- installation roles (docs/architecture.md rule 5) ----------------------------------------------------------------

ROLE_SCOPES = {
    InstallationRole.INSTALLATION_ADMIN: _lazy("Надає ролі установки; робочий календар; довідник учасників обміну "
                                               "з іншими установками; має й усі інші ролі установки."),
    InstallationRole.WEBSITE_EDITOR: _lazy("Редагує й публікує сайт ради в /cms/."),
    InstallationRole.SIGNATURES_ADMIN: _lazy("Центр сертифікації установи, список довіри, печатки, ключі всіх "
                                             "працівників."),
    InstallationRole.CLASSIFIER_KEEPER: _lazy("Завантажує класифікатор звернень громадян для всієї установки."),
}


def _installation_roles_page(request: HttpRequest, form: InstallationRoleGrantForm | None = None,
                             status: int = 200) -> HttpResponse:
    grants = selectors.installation_role_grants(user=request.user)
    return render(request, "orgs/installation_roles.html", {
        "form": form or InstallationRoleGrantForm(),
        "grants": grants,
        "history": selectors.installation_role_grants(user=request.user, active=False, limit=50),
        "scopes": [(role.label, ROLE_SCOPES[role]) for role in InstallationRole],
    }, status=status)


@office_view
@require_http_methods(["GET", "POST"])
def installation_roles(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _installation_roles_page(request)
    selectors.installation_role_grants(user=request.user)  # the access check before reading the form
    form = InstallationRoleGrantForm(request.POST)
    if form.is_valid():
        try:
            grant = services.installation_role_grant(actor=request.user, user=form.cleaned_data["user"],
                                                     role=form.cleaned_data["role"], note=form.cleaned_data["note"])
        except ApplicationError as exc:
            if exc.code == "permission_denied":
                raise PermissionDenied from exc
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(user)s: надано роль «%(role)s».") % {
                "user": grant.user.full_name, "role": grant.get_role_display()})
            return redirect("orgs:installation-roles")
    return _installation_roles_page(request, form=form, status=400)


@office_view
@require_http_methods(["POST"])
def installation_role_revoke(request: HttpRequest, pk: str) -> HttpResponse:
    grant = selectors.installation_role_grant_get(user=request.user, pk=pk)
    try:
        services.installation_role_revoke(actor=request.user, grant=grant)
    except ApplicationError as exc:
        if exc.code == "permission_denied":
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(user)s: роль «%(role)s» відкликано.") % {
            "user": grant.user.full_name, "role": grant.get_role_display()})
    return redirect("orgs:installation-roles")
