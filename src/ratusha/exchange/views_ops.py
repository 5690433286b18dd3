"""«Обмін: операції» — the administrators' page of exchange between installations: the outbox with its
retries, the log of what peers sent us, the directory of peers, and our organisations' participation."""

from __future__ import annotations

import json
import uuid
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.core.formservice import apply_error, form_saved
from ratusha.core.pagination import page_context
from ratusha.exchange import selectors_ops as selectors
from ratusha.exchange import services
from ratusha.exchange.constants import OutboxState, RefusalCode
from ratusha.exchange.forms_ops import ParticipantEnableForm, PeerForm
from ratusha.exchange.services.directory import card_parse, endpoint_url, participant_card, peer_certificate
from ratusha.exchange.services.inbound import unauthenticated_count_today


def _admin(request: HttpRequest) -> None:
    if not selectors.is_ops_admin(request.user):
        raise PermissionDenied(_("Цю сторінку може відкрити лише адміністратор."))


def _installation_admin(request: HttpRequest) -> None:
    """The directory of peers is the whole installation's (docs/architecture.md rule 5)."""
    if not selectors.sees_installation(request.user):
        raise PermissionDenied(_("Довідник учасників інших установок веде адміністратор установки."))


def _ops_url(anchor: str = "", **query: str) -> str:
    url = reverse("exchange:ops")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items() if v)
    return url + (f"#{anchor}" if anchor else "")


def _state(request: HttpRequest) -> str:
    value = request.GET.get("state", "")
    return value if value in OutboxState.values else ""


def fingerprint_groups(value: str) -> str:
    """A SHA-256 fingerprint as administrators read it aloud: «3F2A 91C0 …»."""
    value = (value or "").upper()
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def plain_reason(message: Any) -> str:
    """Why a message is not delivered yet, in words an administrator acts on (the raw error is shown too)."""
    error, status = message.last_error or "", message.last_status
    if message.state == OutboxState.REFUSED:
        code = str((message.ack or {}).get("code") or "")
        label = RefusalCode(code).label if code in RefusalCode.values else ""
        return _("Установка адресата відмовилася прийняти: %(reason)s") % {"reason": label or error or "—"}
    if message.state == OutboxState.SENT or not (error or status):
        return ""
    if status is None:
        # The outbox names network failures in words already («установка адресата не приймає з'єднань…»).
        return capfirst(error) if error else _("Установка адресата недоступна.")
    if status == 404:
        return _("За адресою обміну немає служби обміну (HTTP 404): перевірте адресу.")
    if status >= 500:
        return _("Сервер адресата повернув помилку (HTTP %(status)s): імовірно, збій на його боці.") % {
            "status": status}
    return capfirst(error) or _("Відповідь адресата не є його підписаним підтвердженням (HTTP %(status)s).") % {
        "status": status}


def _ops_page(request: HttpRequest, *, status: int = 200, peer_form: PeerForm | None = None,
              enable_form: ParticipantEnableForm | None = None) -> HttpResponse:
    _admin(request)
    user = request.user
    state = _state(request)
    refused_only = request.GET.get("log") == "refused"
    orgs = list(selectors.admin_organisations(user=user))
    organisations = []
    for org in orgs:
        participant = getattr(org, "exchange_participant", None)  # the reverse one-to-one may be absent
        card = json.dumps(participant_card(participant), ensure_ascii=False, indent=2) if participant else ""
        organisations.append({"org": org, "participant": participant, "card": card})
    counts = selectors.outbox_counts(user=user)
    page = page_context(request, selectors.outbox(user=user, state=state or None))
    page["page_obj"].object_list = list(page["page_obj"].object_list)
    for message in page["page_obj"].object_list:
        message.plain_reason = plain_reason(message)
        error = message.last_error or ""
        message.show_raw = bool(error) and error.lower() != message.plain_reason.lower() and (
            error != f"HTTP {message.last_status}")
    whole = selectors.sees_installation(user)
    peers = selectors.peers(user=user) if whole else []
    for peer in peers:
        peer.fingerprint_groups = fingerprint_groups(peer.fingerprint)
    for row in organisations:
        row["fingerprint"] = fingerprint_groups(row["participant"].fingerprint) if row["participant"] else ""
    return render(request, "exchange/ops.html", {
        **page,
        "state": state, "counts": counts, "filters": [(s, s.label, counts[s.value]) for s in selectors.OUTBOX_FILTERS],
        "total": sum(counts.values()),
        "inbound": selectors.inbound_log(user=user, refused_only=refused_only), "refused_only": refused_only,
        "refused_count": selectors.inbound_refused_count(user=user),
        "sees_installation": whole, "unauthenticated_today": unauthenticated_count_today(),
        "peers": peers, "peers_down": sum(1 for p in peers if p.is_active and p.failing_since),
        "peer_form": peer_form or PeerForm(auto_id="id_peer_%s"),
        "organisations": organisations, "endpoint": endpoint_url(),
        "enable_form": enable_form or ParticipantEnableForm(
            organisations=selectors.admin_organisations(user=user), auto_id="id_enable_%s"),
    }, status=status)


@office_view
@require_GET
def ops(request: HttpRequest) -> HttpResponse:
    return _ops_page(request)


def _service(request: HttpRequest, call: Any) -> bool:
    """Run a one-button action: a refusal becomes an error message (rights: a 403)."""
    try:
        call()
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    return True


# --- the outbox ---------------------------------------------------------------------------------------

def _back_to_outbox(request: HttpRequest) -> HttpResponseRedirect:
    state = request.POST.get("state", "")
    return HttpResponseRedirect(_ops_url("outbox", state=state if state in OutboxState.values else ""))


@office_view
@require_POST
def outbox_retry(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _admin(request)
    message = selectors.outbox_get(user=request.user, pk=pk)
    if _service(request, lambda: services.outbox_retry_now(actor=request.user, message=message)):
        messages.success(request, _("Повідомлення для %(peer)s поставлено на надсилання зараз.") % {
            "peer": message.peer})
    return _back_to_outbox(request)


@office_view
@require_POST
def outbox_resend(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _admin(request)
    message = selectors.outbox_get(user=request.user, pk=pk)
    if _service(request, lambda: services.outbox_resend(actor=request.user, message=message)):
        messages.success(request, _("Повідомлення для %(peer)s надсилається знову (той самий пакет).") % {
            "peer": message.peer})
    return _back_to_outbox(request)


# --- the directory of peers ---------------------------------------------------------------------------

def _peer_form_saved(request: HttpRequest, form: PeerForm, peer: Any = None) -> tuple[PeerForm, Any]:
    """Save a peer from the form (a pasted card first fills the fields); the form keeps its errors."""
    if not form.is_valid():
        return form, None
    if form.cleaned_data["card"].strip():
        try:
            card = card_parse(form.cleaned_data["card"])
        except ApplicationError as exc:
            apply_error(form, exc, "card")
            return form, None
        form = form.with_card(card)
    saved: dict[str, Any] = {}
    if form_saved(form, lambda: saved.setdefault("peer", services.peer_save(
            actor=request.user, peer=peer, **form.peer_values())), default_field="participant_id"):
        return form, saved["peer"]
    return form, None


@office_view
@require_POST
def peer_add(request: HttpRequest) -> HttpResponse:
    _installation_admin(request)
    form, peer = _peer_form_saved(request, PeerForm(request.POST, auto_id="id_peer_%s"))
    if peer is None:
        return _ops_page(request, status=400, peer_form=form)
    messages.success(request, _("Учасника «%(peer)s» додано до довідника. Звірте відбиток сертифіката з його "
                                "адміністратором.") % {"peer": peer})
    return HttpResponseRedirect(_ops_url(f"peer-{peer.pk}"))


@office_view
@require_http_methods(["GET", "POST"])
def peer_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _installation_admin(request)
    peer = selectors.peer_get(user=request.user, pk=pk)
    if request.method == "POST":
        form, saved = _peer_form_saved(request, PeerForm(request.POST, auto_id="id_peer_%s"), peer=peer)
        if saved is not None:
            messages.success(request, _("Дані учасника «%(peer)s» збережено.") % {"peer": saved})
            return HttpResponseRedirect(_ops_url(f"peer-{saved.pk}"))
        peer.refresh_from_db()
        peer.fingerprint_groups = fingerprint_groups(peer.fingerprint)
        return render(request, "exchange/ops_peer.html", {"peer": peer, "form": form}, status=400)
    pem = peer_certificate(peer).public_bytes(serialization.Encoding.PEM).decode()
    form = PeerForm(auto_id="id_peer_%s", initial={
        "participant_id": peer.participant_id, "name": peer.name, "short_name": peer.short_name,
        "endpoint": peer.endpoint, "certificate": pem})
    peer.fingerprint_groups = fingerprint_groups(peer.fingerprint)
    return render(request, "exchange/ops_peer.html", {"peer": peer, "form": form})


@office_view
@require_POST
def peer_active(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _installation_admin(request)
    peer = selectors.peer_get(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    if _service(request, lambda: services.peer_set_active(actor=request.user, peer=peer, active=active)):
        messages.success(request, (_("Учасника «%(peer)s» увімкнено: з ним знову можна обмінюватися.") if active
                                   else _("Учасника «%(peer)s» вимкнено: нові документи йому не надсилаються, його пакети не приймаються.")) % {
            "peer": peer})
    return HttpResponseRedirect(_ops_url(f"peer-{peer.pk}"))


# --- our organisations ----------------------------------------------------------------------------------

@office_view
@require_POST
def participant_enable(request: HttpRequest) -> HttpResponse:
    _admin(request)
    orgs = selectors.admin_organisations(user=request.user)
    form = ParticipantEnableForm(request.POST, request.FILES, organisations=orgs, auto_id="id_enable_%s")
    quick = request.POST.get("quick") == "1"
    if form.is_valid() and form_saved(form, lambda: services.participant_enable(
            actor=request.user, organisation=form.cleaned_data["organisation"],
            pkcs12=form.cleaned_data["pkcs12"], passphrase=form.cleaned_data["passphrase"]),
            default_field="pkcs12" if form.cleaned_data.get("pkcs12") else "organisation"):
        messages.success(request, _("«%(org)s» підключено до обміну з іншими установками. Передайте картку "
                                    "учасника адміністраторам інших установок.") % {
            "org": form.cleaned_data["organisation"].short_name})
        return HttpResponseRedirect(_ops_url("participants"))
    if quick:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return HttpResponseRedirect(_ops_url("participants"))
    return _ops_page(request, status=400, enable_form=form)


@office_view
@require_POST
def participant_disable(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _admin(request)
    participant = selectors.participant_get(user=request.user, pk=pk)
    if _service(request, lambda: services.participant_disable(actor=request.user, participant=participant)):
        messages.success(request, _("«%(org)s» вимкнено з обміну: нові пакети від її імені не надсилаються, "
                                    "вхідні пакети їй не приймаються.") % {
            "org": participant.organisation.short_name})
    return HttpResponseRedirect(_ops_url("participants"))


@office_view
@require_GET
def participant_card_json(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _admin(request)
    participant = selectors.participant_get(user=request.user, pk=pk)
    body = json.dumps(participant_card(participant), ensure_ascii=False, indent=2)
    response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ratusha-participant-{participant.organisation.edrpou}.json"'
    return response
