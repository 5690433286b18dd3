"""Notification kinds, e-mail delivery modes and e-mail states (docs/architecture.md rule 2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ASSIGNMENT_ISSUED = "assignment_issued", _("Нове доручення")
    ASSIGNMENT_RETURNED = "assignment_returned", _("Доручення повернуто на доопрацювання")
    REPORT_SUBMITTED = "report_submitted", _("Подано звіт про виконання")
    ASSIGNMENT_DONE = "assignment_done", _("Доручення виконано")
    DEADLINE_CHANGE_REQUESTED = "deadline_change_requested", _("Запит на зміну строку")
    DEADLINE_CHANGE_DECIDED = "deadline_change_decided", _("Рішення щодо зміни строку")
    DUE_REMINDER = "due_reminder", _("Нагадування про строки")
    OVERDUE_ESCALATION = "overdue_escalation", _("Прострочене виконання")
    CONTROL_CLOSED = "control_closed", _("Знято з контролю")
    APPROVAL_REQUESTED = "approval_requested", _("Проєкт на погодження")
    APPROVAL_REJECTED = "approval_rejected", _("Проєкт не погоджено")
    APPROVAL_COMPLETED = "approval_completed", _("Погодження завершено")
    SIGN_REQUESTED = "sign_requested", _("Документ на підпис")
    DOCUMENT_DELIVERED = "document_delivered", _("Надійшов документ від іншої організації")
    DELIVERY_RECEIPT = "delivery_receipt", _("Квитанція від адресата")
    DRAFT_PUBLICATION = "draft_publication", _("Оприлюднення проєкту рішення")
    EXCHANGE_PEER_DOWN = "exchange_peer_down", _("Учасник обміну недоступний")


# The phrase after «Ратуша: » in the subject of an immediate e-mail («Ратуша: нове доручення — № 12/01-05»).
EMAIL_SUBJECT_PHRASES = {
    NotificationKind.ASSIGNMENT_ISSUED: _("нове доручення"),
    NotificationKind.ASSIGNMENT_RETURNED: _("доручення повернуто на доопрацювання"),
    NotificationKind.REPORT_SUBMITTED: _("подано звіт про виконання"),
    NotificationKind.ASSIGNMENT_DONE: _("доручення виконано"),
    NotificationKind.DEADLINE_CHANGE_REQUESTED: _("запит на зміну строку"),
    NotificationKind.DEADLINE_CHANGE_DECIDED: _("рішення щодо зміни строку"),
    NotificationKind.DUE_REMINDER: _("нагадування про строк"),
    NotificationKind.OVERDUE_ESCALATION: _("прострочене виконання"),
    NotificationKind.CONTROL_CLOSED: _("знято з контролю"),
    NotificationKind.APPROVAL_REQUESTED: _("проєкт на погодження"),
    NotificationKind.APPROVAL_REJECTED: _("проєкт не погоджено"),
    NotificationKind.APPROVAL_COMPLETED: _("погодження завершено"),
    NotificationKind.SIGN_REQUESTED: _("документ на підпис"),
    NotificationKind.DOCUMENT_DELIVERED: _("надійшов документ"),
    NotificationKind.DELIVERY_RECEIPT: _("квитанція від адресата"),
    NotificationKind.DRAFT_PUBLICATION: _("оприлюднення проєкту рішення"),
    NotificationKind.EXCHANGE_PEER_DOWN: _("учасник обміну недоступний"),
}


class Delivery(models.TextChoices):
    """How a person wants e-mail for one kind of notification (the in-app one always exists)."""

    IMMEDIATE = "immediate", _("Одразу")
    DIGEST = "digest", _("У щоденному зведенні")
    OFF = "off", _("Не надсилати e-mail")


# Defaults when a person has not chosen: what needs action now comes at once; informational and
# periodic items wait for the morning digest.
DEFAULT_DELIVERY: dict[str, str] = {
    NotificationKind.ASSIGNMENT_ISSUED: Delivery.IMMEDIATE,
    NotificationKind.ASSIGNMENT_RETURNED: Delivery.IMMEDIATE,
    NotificationKind.REPORT_SUBMITTED: Delivery.IMMEDIATE,
    NotificationKind.ASSIGNMENT_DONE: Delivery.DIGEST,
    NotificationKind.DEADLINE_CHANGE_REQUESTED: Delivery.IMMEDIATE,
    NotificationKind.DEADLINE_CHANGE_DECIDED: Delivery.IMMEDIATE,
    NotificationKind.DUE_REMINDER: Delivery.DIGEST,
    NotificationKind.OVERDUE_ESCALATION: Delivery.DIGEST,
    NotificationKind.CONTROL_CLOSED: Delivery.DIGEST,
    NotificationKind.APPROVAL_REQUESTED: Delivery.IMMEDIATE,
    NotificationKind.APPROVAL_REJECTED: Delivery.IMMEDIATE,
    NotificationKind.APPROVAL_COMPLETED: Delivery.DIGEST,
    NotificationKind.SIGN_REQUESTED: Delivery.IMMEDIATE,
    NotificationKind.DOCUMENT_DELIVERED: Delivery.IMMEDIATE,
    NotificationKind.DELIVERY_RECEIPT: Delivery.DIGEST,
    NotificationKind.DRAFT_PUBLICATION: Delivery.IMMEDIATE,
    NotificationKind.EXCHANGE_PEER_DOWN: Delivery.IMMEDIATE,
}

# The daily digest's own sections (due lists from other apps' providers) follow this kind's preference:
# «Не надсилати e-mail» for reminders switches them off.
DIGEST_PROVIDER_KIND = NotificationKind.DUE_REMINDER


class EmailState(models.TextChoices):
    PENDING = "pending", _("Очікує надсилання")
    SENDING = "sending", _("Надсилається")
    SENT = "sent", _("Надіслано")
    SKIPPED = "skipped", _("Не надсилається")
    FAILED = "failed", _("Помилка надсилання")


class DigestState(models.TextChoices):
    SENDING = "sending", _("Надсилається")
    SENT = "sent", _("Надіслано")
    FAILED = "failed", _("Помилка надсилання")


# A notification whose immediate e-mail is still pending/sending after this many minutes was lost
# (crashed worker); the next digest picks it up.
LOST_EMAIL_MINUTES = 60
# A digest claimed by a worker that died mid-send may be retried after this many minutes.
STALE_DIGEST_MINUTES = 60
