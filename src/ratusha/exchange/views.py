"""Office pages of the exchange: the addressee's queue, one delivered document, the sender's list."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusha.core.auth import office_view
from ratusha.core.formservice import form_saved
from ratusha.core.pagination import page_context
from ratusha.core.storage import blob_read
from ratusha.exchange import selectors, services
from ratusha.exchange.constants import CONTAINER_MIME, DeliveryStatus
from ratusha.exchange.forms import RegisterForm, RejectForm, SendForm
from ratusha.registry import selectors as registry_selectors
from ratusha.registry.views import file_response


def _status(request: HttpRequest, default: str | None) -> str | None:
    value = request.GET.get("status", default or "")
    return value if value in DeliveryStatus.values else None


@office_view
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    status = _status(request, DeliveryStatus.DELIVERED)
    return render(request, "exchange/inbox.html", {
        **page_context(request, selectors.inbox(user=request.user, status=status)), "status": status or "", "counts": selectors.inbox_counts(user=request.user),
        "statuses": list(DeliveryStatus)})


def _item_page(request: HttpRequest, delivery, *, register_form=None, reject_form=None, status=200):
    journals = selectors.incoming_journals(delivery=delivery)
    return render(request, "exchange/item.html", {
        "delivery": delivery, "files": selectors.delivery_files(delivery=delivery),
        "register_form": register_form or RegisterForm(journals=journals, initial={
            "summary": delivery.card.summary, "journal": journals.first()}),
        "reject_form": reject_form or RejectForm(), "may_handle": delivery.status == DeliveryStatus.DELIVERED,
        "receipts": list(delivery.receipts.all()), "outbox": list(delivery.outbox.order_by("created_at"))},
        status=status)


@office_view
@require_http_methods(["GET", "POST"])
def inbox_item(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    delivery = selectors.inbox_item(user=request.user, pk=pk)
    if request.method == "GET":
        return _item_page(request, delivery)
    action = request.POST.get("action")
    if action == "reject":
        form = RejectForm(request.POST)
        if form.is_valid() and form_saved(form, lambda: services.delivery_reject(
                actor=request.user, delivery=delivery, reason=form.cleaned_data["reason"])):
            messages.success(request, _("Документ відхилено. Відправник отримав повідомлення з причиною."))
            return HttpResponseRedirect(reverse("exchange:inbox"))
        return _item_page(request, delivery, reject_form=form, status=400)
    form = RegisterForm(request.POST, journals=selectors.incoming_journals(delivery=delivery))
    result = {}
    if form.is_valid() and form_saved(form, lambda: result.setdefault("doc", services.delivery_register(
            actor=request.user, delivery=delivery, journal=form.cleaned_data["journal"],
            summary=form.cleaned_data["summary"], note=form.cleaned_data["note"])), default_field="journal"):
        doc = result["doc"]
        messages.success(request, _("Зареєстровано: вх. № %(index)s. Відправник отримав квитанцію.")
                         % {"index": doc.reg_index})
        return HttpResponseRedirect(reverse("registry:document", args=[doc.pk]))
    delivery.refresh_from_db()
    return _item_page(request, delivery, register_form=form, status=400)


@office_view
@require_GET
def inbox_file(request: HttpRequest, pk: uuid.UUID, file_pk: uuid.UUID) -> HttpResponse:
    file = selectors.delivery_file(user=request.user, delivery_pk=pk, file_pk=file_pk)
    return file_response(request, file, inline=request.GET.get("inline") == "1")


@office_view
@require_GET
def inbox_package(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The sealed package as it came from another installation (to check it at /verify/ or keep it)."""
    card = selectors.inbox_item(user=request.user, pk=pk).remote_card
    if card is None:
        raise Http404
    response = HttpResponse(blob_read(card.package_id), content_type=CONTAINER_MIME)
    response["Content-Disposition"] = content_disposition_header(True, f"{card.reg_index}.asice".replace("/", "-"))
    response["Cache-Control"] = "private, no-store"
    return response


@office_view
@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    status = _status(request, None)
    return render(request, "exchange/sent.html", {
        **page_context(request, selectors.sent(user=request.user, status=status)), "status": status or "",
                                                  "statuses": list(DeliveryStatus)})


@office_view
@require_POST
def send(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    document = registry_selectors.document_get(user=request.user, pk=pk)
    form = SendForm(request.POST, recipients=selectors.possible_recipients(document=document),
                    peers=selectors.possible_peers(document=document))
    if form.is_valid() and form_saved(form, lambda: services.delivery_send(
            actor=request.user, document=document, recipients=form.cleaned_data["recipients"],
            peers=form.cleaned_data["peers"]), default_field="recipients"):
        messages.success(request, _("Документ надіслано адресатам. Квитанції з'являться в цій картці."))
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, errors or _("Документ не надіслано."))
    return HttpResponseRedirect(reverse("registry:document", args=[document.pk]) + "#addressees")
