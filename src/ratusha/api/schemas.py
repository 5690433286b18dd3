"""Shapes of the API's requests and responses (pydantic via django-ninja; they make the OpenAPI 3.1 schema)."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class ErrorDetail(Schema):
    code: str = Field(description="Машинний код помилки, напр. `not_found`, `invalid`, `forbidden_scope`.")
    message: str = Field(description="Пояснення українською.")
    fields: dict[str, list[str]] = Field(default_factory=dict, description="Помилки окремих полів запиту.")


class Error(Schema):
    """Every error of the API has this one shape."""

    error: ErrorDetail


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str
    short_name: str
    edrpou: str


class FileOut(Schema):
    id: uuid.UUID
    name: str
    size: int
    mime: str
    sha256: str


class ReceiptOut(Schema):
    kind: str = Field(description="`delivered`, `registered` або `rejected`.")
    at: dt.datetime
    reg_index: str = ""
    reg_date: dt.date | None = None
    reason: str = ""


class SenderDocumentOut(Schema):
    reg_index: str
    reg_date: dt.date
    kind: str
    summary: str
    signed_by: str


class IncomingOut(Schema):
    id: uuid.UUID
    message_id: uuid.UUID
    status: str = Field(description="`delivered` (чекає реєстрації), `registered` або `rejected`.")
    delivered_at: dt.datetime
    sender: OrganisationOut
    document: SenderDocumentOut
    files: list[FileOut]
    registered_document_id: uuid.UUID | None = None
    reject_reason: str = ""


class IncomingPage(Schema):
    count: int
    items: list[IncomingOut]


class RegisterIn(Schema):
    journal_id: uuid.UUID = Field(description="Журнал вхідних вашої організації (див. `GET /journals`).")
    summary: str | None = Field(default=None, max_length=4000, description="Короткий зміст; типово — відправника.")
    note: str = Field(default="", max_length=1000)


class RejectIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class JournalOut(Schema):
    id: uuid.UUID
    kind: str
    name: str
    index_template: str
    is_active: bool


class DocumentOut(Schema):
    id: uuid.UUID
    journal_id: uuid.UUID
    reg_index: str
    reg_date: dt.date
    kind: str
    status: str
    summary: str
    correspondent: str
    correspondent_index: str
    correspondent_date: dt.date | None = None
    access: str
    files: list[FileOut]


class DocumentPage(Schema):
    count: int
    items: list[DocumentOut]


class FileIn(Schema):
    name: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(min_length=1, description="Вміст файлу в base64 (перевіряється за вмістом).")


class OutgoingIn(Schema):
    journal_id: uuid.UUID = Field(description="Журнал вихідних вашої організації.")
    kind: str = Field(default="letter", description="Вид документа, напр. `letter`.")
    summary: str = Field(min_length=1, max_length=4000)
    signed_by: str = Field(default="", max_length=200)
    correspondent: str = Field(default="", max_length=300)
    files: list[FileIn] = Field(min_length=1, max_length=20)
    send_to: list[uuid.UUID] = Field(default_factory=list, description="Організації-адресати в системі.")
    send_to_peers: list[uuid.UUID] = Field(
        default_factory=list, description="Учасники інших установок (`GET /peers`): пакет піде через обмін між "
                                          "установками, квитанції надійдуть пізніше.")


class DeliveryOut(Schema):
    id: uuid.UUID
    message_id: uuid.UUID
    recipient: OrganisationOut
    route: str = Field(description="`local` (у цій установці) або `outbound` (до іншої установки).")
    status: str = Field(description="`queued` (пакет у черзі до іншої установки), `delivered`, `registered` "
                                    "або `rejected`.")
    delivered_at: dt.datetime
    receipts: list[ReceiptOut]


class OutgoingOut(Schema):
    document: DocumentOut
    deliveries: list[DeliveryOut]
