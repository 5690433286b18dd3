"""Office pages for route templates (administrators and heads of an organisation)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.models import Organisation
from ratusha.orgs.permissions import roles_by_organisation
from ratusha.workflow.approvals import selectors
from ratusha.workflow.approvals import services as svc
from ratusha.workflow.approvals.forms import StepForm, TemplateForm
from ratusha.workflow.approvals.models import RouteTemplate, RouteTemplateStep
from ratusha.workflow.approvals.services.route_templates import TEMPLATE_MANAGERS, template_next_stage


def _managed_orgs(user: Any) -> Any:
    qs = Organisation.objects.filter(is_active=True)
    if not user.is_superuser:
        qs = qs.filter(pk__in=[org for org, held in roles_by_organisation(user).items() if held & TEMPLATE_MANAGERS])
    return qs.order_by("name")


def _add_error(form: Any, exc: ApplicationError) -> None:
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message)
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@office_view
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    orgs = _managed_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied(_("Шаблони маршрутів налаштовують адміністратори та керівники організації."))
    templates = list(selectors.templates_manageable(user=request.user))
    for template in templates:
        template.complete = selectors.template_is_complete(template)
        template.stage_count = len({s.stage for s in template.steps.all()})
    return render(request, "approvals/templates.html", {"templates": templates})


@office_view
@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest) -> HttpResponse:
    orgs = _managed_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied(_("Шаблони маршрутів налаштовують адміністратори та керівники організації."))
    form = TemplateForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = svc.route_template_create(actor=request.user, organisation=data["organisation"],
                                                 name=data["name"], kind=data["kind"])
        except ApplicationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Шаблон створено. Додайте етапи: візи, а останнім — підписання."))
            return redirect("approvals:template", pk=template.pk)
    return render(request, "approvals/template_new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _template_page(request: HttpRequest, template: RouteTemplate, status: int = 200, **forms: Any) -> HttpResponse:
    steps = list(template.steps.select_related("user").order_by("stage", "created_at"))
    stages: dict[int, list[RouteTemplateStep]] = {}
    for step in steps:
        stages.setdefault(step.stage, []).append(step)
    candidates = selectors.staff_users()
    context = {
        "template": template,
        "stages": sorted(stages.items()),
        "complete": any(step.kind == "sign" for step in steps),
        "edit_form": forms.get("edit_form") or TemplateForm(
            organisations=Organisation.objects.none(), editing=True, auto_id="id_edit_%s",
            initial={"name": template.name, "kind": template.kind, "is_active": template.is_active,
                     "template_version": template.version}),
        "step_form": forms.get("step_form") or StepForm(candidates=candidates, auto_id="id_step_%s",
                                                        initial={"stage": template_next_stage(template)}),
    }
    return render(request, "approvals/template.html", context, status=status)


@office_view
@require_GET
def template_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _template_page(request, selectors.template_get(user=request.user, pk=pk))


@office_view
@require_POST
def template_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    template = selectors.template_get(user=request.user, pk=pk)
    form = TemplateForm(request.POST, organisations=Organisation.objects.none(), editing=True, auto_id="id_edit_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            svc.route_template_update(actor=request.user, template=template, name=data["name"], kind=data["kind"],
                                      is_active=data["is_active"], expected_version=data.get("template_version"))
        except ApplicationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Шаблон збережено."))
            return redirect("approvals:template", pk=template.pk)
    template.refresh_from_db()
    return _template_page(request, template, status=400, edit_form=form)


@office_view
@require_POST
def template_step_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    template = selectors.template_get(user=request.user, pk=pk)
    form = StepForm(request.POST, candidates=selectors.staff_users(), auto_id="id_step_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            svc.route_template_step_add(actor=request.user, template=template, stage=data["stage"],
                                        kind=data["kind"], approver_kind=data["approver_kind"], user=data["user"])
        except ApplicationError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Крок додано."))
            return redirect("approvals:template", pk=template.pk)
    template.refresh_from_db()
    return _template_page(request, template, status=400, step_form=form)


@office_view
@require_POST
def template_step_remove(request: HttpRequest, pk: uuid.UUID, step_pk: uuid.UUID) -> HttpResponse:
    template = selectors.template_get(user=request.user, pk=pk)
    step = RouteTemplateStep.objects.filter(pk=step_pk, template=template).first()
    if step is None:
        raise Http404
    svc.route_template_step_remove(actor=request.user, step=step)
    messages.success(request, _("Крок вилучено."))
    return redirect("approvals:template", pk=template.pk)
