"""Registry rules and vocabularies (docs/legal.md §6: CMU No. 55 of 17.01.2018, DSTU 4163:2020)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JournalKind(models.TextChoices):
    INCOMING = "incoming", _("Вхідні документи")
    OUTGOING = "outgoing", _("Вихідні документи")
    INTERNAL = "internal", _("Внутрішні документи")
    ORDERS = "orders", _("Розпорядження / накази")
    COUNCIL_DECISIONS = "council_decisions", _("Рішення ради")
    EXECUTIVE_DECISIONS = "executive_decisions", _("Рішення виконавчого комітету")
    APPEALS = "appeals", _("Звернення громадян")


# Default index templates per journal kind (docs/legal.md §6: "incoming `{seq}/{case}`, outgoing
# `{case}/{seq}`"). Placeholders: {seq} number in journal+year, {case} case index from the
# nomenclature, {unit} unit index, {year}, {yy}, {prefix} the journal's own prefix.
DEFAULT_INDEX_TEMPLATES = {
    JournalKind.INCOMING: "{seq}/{case}",
    JournalKind.OUTGOING: "{case}/{seq}",
    JournalKind.INTERNAL: "{seq}/{unit}",
    JournalKind.ORDERS: "{seq}{prefix}",
    JournalKind.COUNCIL_DECISIONS: "{seq}/{prefix}",
    JournalKind.EXECUTIVE_DECISIONS: "{seq}",
    JournalKind.APPEALS: "{seq}",
}
INDEX_PLACEHOLDERS = ("seq", "case", "unit", "year", "yy", "prefix")


class DocumentKind(models.TextChoices):
    LETTER = "letter", _("Лист")
    APPLICATION = "application", _("Заява")
    ORDER = "order", _("Розпорядження")
    DIRECTIVE = "directive", _("Наказ")
    DECISION = "decision", _("Рішення")
    PROTOCOL = "protocol", _("Протокол")
    MEMO = "memo", _("Службова записка")
    CERTIFICATE = "certificate", _("Довідка")
    ACT = "act", _("Акт")
    REPORT = "report", _("Звіт")
    INSTRUCTION = "instruction", _("Доручення")
    APPEAL = "appeal", _("Звернення")
    REQUEST = "request", _("Запит")
    CONTRACT = "contract", _("Договір")
    OTHER = "other", _("Інше")


class AccessMark(models.TextChoices):
    """Who may open a card (enforced in ``registry/selectors.py``)."""

    PUBLIC = "public", _("Відкритий")
    INTERNAL = "internal", _("Для службового користування в організації")
    RESTRICTED = "restricted", _("Обмежений доступ")
    PERSONAL = "personal", _("Містить персональні дані")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("Пошта")
    EMAIL = "email", _("Електронна пошта")
    EDMS = "edms", _("Система електронної взаємодії (СЕВ)")
    COURIER = "courier", _("Кур'єр / нарочно")
    IN_PERSON = "in_person", _("Особисто")
    FAX = "fax", _("Факс")
    WEBSITE = "website", _("Вебсайт / е-сервіс")
    INTERNAL = "internal", _("Внутрішня передача")


class DocumentStatus(models.TextChoices):
    REGISTERED = "registered", _("Зареєстровано")
    IN_WORK = "in_work", _("На виконанні")
    EXECUTED = "executed", _("Виконано")
    FILED = "filed", _("До справи")
    CANCELLED = "cancelled", _("Реєстрацію скасовано")


# Allowed transitions (docs/architecture.md rule 2). A cancelled registration keeps its number (docs/legal.md §6).
DOCUMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    DocumentStatus.REGISTERED: frozenset({DocumentStatus.IN_WORK, DocumentStatus.EXECUTED,
                                          DocumentStatus.FILED, DocumentStatus.CANCELLED}),
    DocumentStatus.IN_WORK: frozenset({DocumentStatus.EXECUTED, DocumentStatus.CANCELLED}),
    DocumentStatus.EXECUTED: frozenset({DocumentStatus.FILED, DocumentStatus.IN_WORK}),
    DocumentStatus.FILED: frozenset(),
    DocumentStatus.CANCELLED: frozenset(),
}


class LinkKind(models.TextChoices):
    ANSWER_TO = "answer_to", _("Відповідь на")
    IN_EXECUTION_OF = "in_execution_of", _("На виконання")
    RELATED = "related", _("Пов'язаний з")


# An answer to a citizen's appeal names the applicant (correspondent, address, the letter itself): Law 2297-VI
# «Про захист персональних даних» and docs/legal.md §7 — applicants' data are shown only to those who handle the
# appeal. So a card linked «Відповідь на» an appeal's card is always PERSONAL, whatever access was asked for.
APPEAL_ANSWER_ACCESS = AccessMark.PERSONAL


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Звичайний")
    URGENT = "urgent", _("Терміново")
    IMMEDIATE = "immediate", _("Невідкладно")


# Uploads are judged by content (docs/architecture.md rule 7). MIME types detected from the bytes.
ALLOWED_UPLOAD_MIME = {
    "application/pdf": _("PDF"),
    "image/png": _("PNG"),
    "image/jpeg": _("JPEG"),
    "image/tiff": _("TIFF"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _("DOCX"),
    "application/vnd.oasis.opendocument.text": _("ODT"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _("XLSX"),
    "text/plain": _("Текст"),
}
PREVIEWABLE_MIME = frozenset({"application/pdf", "image/png", "image/jpeg"})

# Retention periods (Minjust list No. 578/5 of 12.04.2012) — common values for the nomenclature.
RETENTION_CHOICES = [
    ("Пост.", _("Постійно")),
    ("75 р.", _("75 років")),
    ("10 р.", _("10 років")),
    ("5 р.", _("5 років")),
    ("5 р. ЕПК", _("5 років, ЕПК")),
    ("3 р.", _("3 роки")),
    ("3 р. ЕПК", _("3 роки, ЕПК")),
    ("1 р.", _("1 рік")),
    ("До заміни новими", _("До заміни новими")),
]
