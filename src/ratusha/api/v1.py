"""The API v1 for the municipal enterprises' own systems (``/api/v1/``, OpenAPI 3.1 at ``openapi.json``).

Every request acts as the key's service account through the same services, rights and audit as the office.
Every error has one shape (``schemas.Error``) and every operation declares it.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router

from ratusha.api import schemas as s
from ratusha.api.auth import KeyAuth, api_key_of
from ratusha.api.constants import Scope
from ratusha.api.errors import JsonParser, install_error_handlers
from ratusha.core.errors import ApplicationError
from ratusha.exchange import selectors as exchange_selectors

ERRORS = {400: s.Error, 401: s.Error, 403: s.Error, 404: s.Error, 409: s.Error, 422: s.Error}
BODY_ERRORS = {**ERRORS, 413: s.Error, 415: s.Error}  # operations that take a JSON body

api = NinjaAPI(
    title="Ratusha API", version="1.0", urls_namespace="api-v1", auth=KeyAuth(), parser=JsonParser(),
    description=("API для власних систем комунальних підприємств і органів громади: вхідні документи від інших "
                 "організацій, їх реєстрація, надсилання вихідних і квитанції. Помилки мають одну форму "
                 "`{\"error\": {\"code\", \"message\", \"fields\"}}`."),
)


install_error_handlers(api)


# --- shapes --------------------------------------------------------------------------------------------


def _org(org: Any) -> dict:
    """An organisation of this installation, or a participant of another one (``edrpou`` is its id)."""
    return {"id": org.pk, "name": org.name, "short_name": org.short_name,
            "edrpou": getattr(org, "edrpou", None) or getattr(org, "participant_id", "")}


def _files(document: Any) -> list[dict]:
    return _file_rows(document.files.filter(is_current=True).select_related("blob").order_by("created_at"))


def _file_rows(files: Any) -> list[dict]:
    return [{"id": f.pk, "name": f.name, "size": f.blob.size, "mime": f.blob.mime, "sha256": f.blob_id}
            for f in files]


def _receipts(delivery: Any) -> list[dict]:
    return [{"kind": r.kind, "at": r.at, "reg_index": r.reg_index, "reg_date": r.reg_date, "reason": r.reason}
            for r in delivery.receipts.all()]


def _incoming(d: Any) -> dict:
    doc = d.card
    return {"id": d.pk, "message_id": d.message_id, "status": d.status, "delivered_at": d.delivered_at,
            "sender": _org(d.sender_party), "files": _file_rows(exchange_selectors.delivery_files(delivery=d)),
            "registered_document_id": d.registered_document_id,
            "reject_reason": d.reject_reason,
            "document": {"reg_index": doc.reg_index, "reg_date": doc.reg_date, "kind": doc.kind,
                         "summary": doc.summary, "signed_by": doc.signed_by}}


def _document(doc: Any) -> dict:
    return {"id": doc.pk, "journal_id": doc.journal_id, "reg_index": doc.reg_index, "reg_date": doc.reg_date,
            "kind": doc.kind, "status": doc.status, "summary": doc.summary, "correspondent": doc.correspondent,
            "correspondent_index": doc.correspondent_index, "correspondent_date": doc.correspondent_date,
            "access": doc.access, "files": _files(doc)}


def _delivery(d: Any) -> dict:
    return {"id": d.pk, "message_id": d.message_id, "recipient": _org(d.addressee), "route": d.route,
            "status": d.status,
            "delivered_at": d.delivered_at, "receipts": _receipts(d)}


class Paging(s.Schema):
    limit: int = s.Field(default=50, ge=1, le=100)
    offset: int = s.Field(default=0, ge=0, le=1_000_000)


# --- directory -----------------------------------------------------------------------------------------

directory = Router(tags=["Довідники"])


@directory.get("/organisations", response={200: list[s.OrganisationOut], **ERRORS},
               summary="Організації громади, яким можна надсилати документи")
def organisations(request: HttpRequest):
    from ratusha.orgs.models import Organisation

    return 200, [_org(o) for o in Organisation.objects.filter(is_active=True).order_by("name")]


@directory.get("/peers", response={200: list[s.OrganisationOut], **ERRORS},
               summary="Учасники інших установок, яким ваша організація може надсилати документи")
def peers(request: HttpRequest):
    from ratusha.exchange.models import Participant, Peer

    key = api_key_of(request)
    if not Participant.objects.filter(organisation=key.organisation, is_active=True).exists():
        return 200, []
    return 200, [_org(p) for p in Peer.objects.filter(is_active=True).order_by("name")]


@directory.get("/journals", response={200: list[s.JournalOut], **ERRORS}, summary="Журнали вашої організації")
def journals(request: HttpRequest):
    from ratusha.registry.models import Journal

    key = api_key_of(request)  # any key: clients need the ids of their own journals to register into
    rows = Journal.objects.filter(organisation=key.organisation).order_by("kind", "name")
    return 200, [{"id": j.pk, "kind": j.kind, "name": j.name, "index_template": j.index_template,
                  "is_active": j.is_active} for j in rows]


class DocumentsQuery(Paging):
    year: int | None = s.Field(default=None, ge=1990, le=2100)


@directory.get("/journals/{journal_id}/documents", response={200: s.DocumentPage, **ERRORS},
               auth=KeyAuth(Scope.JOURNALS_READ), summary="Документи журналу (за роком)")
def journal_documents(request: HttpRequest, journal_id: str, q: Query[DocumentsQuery]):
    from ratusha.registry.selectors import documents_visible_to

    key = api_key_of(request)
    qs = documents_visible_to(request.user).filter(journal_id=_uuid(journal_id), organisation=key.organisation)
    if q.year:
        qs = qs.filter(year=q.year)
    qs = qs.order_by("-year", "-seq")
    return 200, {"count": qs.count(), "items": [_document(d) for d in qs[q.offset:q.offset + q.limit]]}


# --- incoming ------------------------------------------------------------------------------------------

incoming = Router(tags=["Вхідні від інших організацій"])


class IncomingQuery(Paging):
    status: str | None = s.Field(default="delivered", pattern="^(delivered|registered|rejected)$")


@incoming.get("/incoming", response={200: s.IncomingPage, **ERRORS}, auth=KeyAuth(Scope.INCOMING_READ),
              summary="Документи, надіслані вашій організації")
def incoming_list(request: HttpRequest, q: Query[IncomingQuery]):
    from ratusha.exchange import selectors

    qs = selectors.inbox(user=request.user, status=q.status).filter(recipient=api_key_of(request).organisation)
    return 200, {"count": qs.count(), "items": [_incoming(d) for d in qs[q.offset:q.offset + q.limit]]}


def _uuid(value: str) -> uuid.UUID:
    """Ids in paths are plain strings in the schema: a malformed one is «not found», in the API's shape."""
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def _own_delivery(request: HttpRequest, delivery_id: str) -> Any:
    from ratusha.exchange import selectors

    delivery = selectors.inbox_item(user=request.user, pk=_uuid(delivery_id))
    if delivery.recipient_id != api_key_of(request).organisation_id:
        raise Http404
    return delivery


@incoming.get("/incoming/{delivery_id}", response={200: s.IncomingOut, **ERRORS}, auth=KeyAuth(Scope.INCOMING_READ),
              summary="Один вхідний документ")
def incoming_get(request: HttpRequest, delivery_id: str):
    return 200, _incoming(_own_delivery(request, delivery_id))


@incoming.get("/incoming/{delivery_id}/files/{file_id}", response=ERRORS,
              auth=KeyAuth(Scope.INCOMING_READ), summary="Вміст файлу вхідного документа",
              openapi_extra={"responses": {"200": {"description": "Вміст файлу", "content": {
                  "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})
def incoming_file(request: HttpRequest, delivery_id: str, file_id: str):
    from ratusha.core.storage import blob_read

    delivery = _own_delivery(request, delivery_id)
    file = exchange_selectors.delivery_sent_file(delivery=delivery, file_pk=_uuid(file_id))
    response = HttpResponse(blob_read(file.blob_id), content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(file.name)}"
    response["X-Content-SHA256"] = file.blob_id
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@incoming.post("/incoming/{delivery_id}/register", response={201: s.DocumentOut, **BODY_ERRORS},
               auth=KeyAuth(Scope.INCOMING_REGISTER), summary="Зареєструвати вхідний документ у своєму журналі")
def incoming_register(request: HttpRequest, delivery_id: str, body: s.RegisterIn):
    from ratusha.exchange.services import delivery_register
    from ratusha.registry.models import Journal

    delivery = _own_delivery(request, delivery_id)
    journal = Journal.objects.filter(pk=body.journal_id).first()
    if journal is None:
        raise ApplicationError(_("Журнал не знайдено."), code="invalid_journal", field="journal_id")
    doc = delivery_register(actor=request.user, delivery=delivery, journal=journal, summary=body.summary or "",
                            note=body.note)
    return 201, _document(doc)


@incoming.post("/incoming/{delivery_id}/reject", response={200: s.IncomingOut, **BODY_ERRORS},
               auth=KeyAuth(Scope.INCOMING_REGISTER), summary="Відхилити вхідний документ із причиною")
def incoming_reject(request: HttpRequest, delivery_id: str, body: s.RejectIn):
    from ratusha.exchange.services import delivery_reject

    delivery = delivery_reject(actor=request.user, delivery=_own_delivery(request, delivery_id), reason=body.reason)
    return 200, _incoming(delivery)


# --- outgoing ------------------------------------------------------------------------------------------

outgoing = Router(tags=["Вихідні та квитанції"])


@outgoing.post("/outgoing", response={201: s.OutgoingOut, **BODY_ERRORS},
               auth=KeyAuth(Scope.OUTGOING_SEND),
               summary="Зареєструвати вихідний документ і (за потреби) надіслати адресатам у системі")
def outgoing_create(request: HttpRequest, body: s.OutgoingIn):
    from ratusha.exchange.models import Peer
    from ratusha.exchange.services import delivery_send
    from ratusha.orgs.models import Organisation
    from ratusha.registry.constants import DocumentKind, JournalKind
    from ratusha.registry.models import Journal
    from ratusha.registry.services import FileInput, document_register

    key = api_key_of(request)
    journal = Journal.objects.filter(pk=body.journal_id, organisation=key.organisation).first()
    if journal is None or journal.kind not in (JournalKind.OUTGOING, JournalKind.ORDERS):
        raise ApplicationError(_("Оберіть журнал вихідних вашої організації."), code="invalid_journal",
                               field="journal_id")
    if body.kind not in DocumentKind.values:
        raise ApplicationError(_("Невідомий вид документа."), code="invalid_kind", field="kind")
    files = []
    for index, item in enumerate(body.files):
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ApplicationError(_("Файл «%(name)s»: вміст не є коректним base64.") % {"name": item.name},
                                   code="invalid_base64", field=f"files.{index}") from exc
        files.append(FileInput(name=item.name, content=content))
    recipients = list(Organisation.objects.filter(pk__in=body.send_to))
    if len(recipients) != len(set(body.send_to)):
        raise ApplicationError(_("Серед адресатів є невідома організація."), code="unknown_recipient",
                               field="send_to")
    peers = list(Peer.objects.filter(pk__in=body.send_to_peers, is_active=True))
    if len(peers) != len(set(body.send_to_peers)):
        raise ApplicationError(_("Серед адресатів є невідомий учасник іншої установки."), code="unknown_recipient",
                               field="send_to_peers")
    with transaction.atomic():
        doc = document_register(actor=request.user, journal=journal, kind=body.kind, summary=body.summary,
                                signed_by=body.signed_by, correspondent=body.correspondent, files=files)
        deliveries = (delivery_send(actor=request.user, document=doc, recipients=recipients, peers=peers)
                      if recipients or peers else [])
    return 201, {"document": _document(doc), "deliveries": [_delivery(d) for d in deliveries]}


@outgoing.get("/outgoing/{document_id}/receipts", response={200: list[s.DeliveryOut], **ERRORS},
              auth=KeyAuth(Scope.OUTGOING_SEND), summary="Адресати документа та їхні квитанції")
def outgoing_receipts(request: HttpRequest, document_id: str):
    from ratusha.exchange import selectors
    from ratusha.registry import selectors as registry_selectors

    key = api_key_of(request)
    document = registry_selectors.document_get(user=request.user, pk=_uuid(document_id))
    if document.organisation_id != key.organisation_id:
        raise Http404
    return 200, [_delivery(d) for d in selectors.document_deliveries(user=request.user, document=document)]


api.add_router("/", directory)
api.add_router("/", incoming)
api.add_router("/", outgoing)
