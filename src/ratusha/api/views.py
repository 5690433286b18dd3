"""Office page of an organisation's API keys and webhooks (its administrators only)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ratusha.api import services
from ratusha.api.forms import KeyForm, WebhookForm
from ratusha.api.models import ApiKey, Webhook, WebhookDelivery
from ratusha.core.auth import office_view
from ratusha.core.formservice import form_saved
from ratusha.orgs.selectors import organisations_administered


def _organisation(request: HttpRequest):
    orgs = list(organisations_administered(user=request.user))
    if not orgs:
        raise PermissionDenied
    wanted = request.GET.get("org") or request.POST.get("org")
    return next((o for o in orgs if str(o.pk) == wanted), orgs[0]), orgs


@office_view
@require_http_methods(["GET", "POST"])
def keys(request: HttpRequest) -> HttpResponse:
    org, orgs = _organisation(request)
    key_form, hook_form, new_secret, status = KeyForm(), WebhookForm(), "", 200
    if request.method == "POST" and request.POST.get("action") == "key":
        key_form = KeyForm(request.POST)
        made: list = []
        if key_form.is_valid() and form_saved(key_form, lambda: made.extend(services.api_key_create(
                actor=request.user, organisation=org, **key_form.cleaned_data))):
            new_secret, key_form = made[1], KeyForm()
        else:
            status = 400
    elif request.method == "POST" and request.POST.get("action") == "webhook":
        hook_form = WebhookForm(request.POST)
        if hook_form.is_valid() and form_saved(hook_form, lambda: services.webhook_create(
                actor=request.user, organisation=org, **hook_form.cleaned_data)):
            messages.success(request, _("Вебхук додано."))
            return HttpResponseRedirect(f"{reverse('api_office:keys')}?org={org.pk}")
        status = 400
    hooks = list(Webhook.objects.filter(organisation=org, is_active=True))
    return render(request, "api/keys.html", {
        "org": org, "orgs": orgs, "keys": ApiKey.objects.filter(organisation=org).order_by("revoked_at", "name"),
        "hooks": hooks, "key_form": key_form, "hook_form": hook_form, "new_secret": new_secret,
        "recent": WebhookDelivery.objects.filter(webhook__organisation=org).select_related("webhook")[:20],
    }, status=status)


@office_view
@require_POST
def key_revoke(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    org, _orgs = _organisation(request)
    key = ApiKey.objects.filter(pk=pk, organisation=org).first()
    if key is None:
        raise Http404
    services.api_key_revoke(actor=request.user, key=key)
    messages.success(request, _("Ключ «%(name)s» відкликано.") % {"name": key.name})
    return HttpResponseRedirect(f"{reverse('api_office:keys')}?org={org.pk}")


@office_view
@require_POST
def webhook_disable(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    org, _orgs = _organisation(request)
    hook = Webhook.objects.filter(pk=pk, organisation=org).first()
    if hook is None:
        raise Http404
    services.webhook_disable(actor=request.user, webhook=hook)
    messages.success(request, _("Вебхук вимкнено."))
    return HttpResponseRedirect(f"{reverse('api_office:keys')}?org={org.pk}")
