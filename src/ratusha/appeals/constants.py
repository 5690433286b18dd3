"""Citizens' appeals: the rules of Law No. 393/96-ВР «Про звернення громадян», Instruction CMU No. 348
of 14.04.1997 and Classifier CMU No. 858 of 24.09.2008 (as amended to No. 526/2024). docs/legal.md §3, §7.

Every legal rule of the appeals app lives here or in ``ratusha.calendar`` (the clocks). Rules marked
⚠ in docs/legal.md are settings with these defaults (``settings.APPEALS``, see docs/appeals.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Classifier 858: dimensions ------------------------------------------------------------------

class ReceiptForm(models.TextChoices):
    """Форма надходження (Classifier 858)."""

    POST = "post", _("Поштою")
    RECEPTION = "reception", _("На особистому прийомі")
    REPRESENTATIVE = "representative", _("Через уповноважену особу")
    AUTHORITIES = "authorities", _("Через органи влади")
    MEDIA = "media", _("Через засоби масової інформації")
    OTHER_BODIES = "other_bodies", _("Від інших органів, установ, організацій")
    HOTLINE = "hotline", _("Телефоном / «гаряча лінія»")
    ELECTRONIC = "electronic", _("Електронною поштою / через вебсайт")


class AppealSign(models.TextChoices):
    """Ознака надходження (Classifier 858)."""

    PRIMARY = "primary", _("Первинне")
    REPEATED = "repeated", _("Повторне")         # art. 8: same person, same issue, already decided on merits
    DUPLICATE = "duplicate", _("Дублетне")       # the same appeal again before the answer
    RECURRENT = "recurrent", _("Неодноразове")   # the same person again, on a different or the same issue
    MASS = "mass", _("Масове")                   # many near-identical appeals from different people


class AppealType(models.TextChoices):
    """Вид звернення (Law 393/96-ВР art. 3)."""

    PROPOSAL = "proposal", _("Пропозиція (зауваження)")
    APPLICATION = "application", _("Заява (клопотання)")
    COMPLAINT = "complaint", _("Скарга")


class AppealSubject(models.TextChoices):
    """Суб'єкт звернення (Classifier 858)."""

    INDIVIDUAL = "individual", _("Індивідуальне")
    COLLECTIVE = "collective", _("Колективне")
    ANONYMOUS = "anonymous", _("Анонімне")


class Medium(models.TextChoices):
    """Тип звернення за носієм (Classifier 858)."""

    LETTER = "letter", _("Лист")
    TELEGRAM = "telegram", _("Телеграма")
    ORAL = "oral", _("Усне")
    ELECTRONIC = "electronic", _("Електронне")


class Sex(models.TextChoices):
    MALE = "m", _("Чоловіча")
    FEMALE = "f", _("Жіноча")
    UNKNOWN = "", _("Не зазначено")


class SocialStatus(models.TextChoices):
    """Соціальний стан заявника (Classifier 858)."""

    PENSIONER = "pensioner", _("Пенсіонер")
    WORKER = "worker", _("Робітник")
    PEASANT = "peasant", _("Селянин")
    CIVIL_SERVANT = "civil_servant", _("Державний службовець")
    MILITARY = "military", _("Військовослужбовець")
    UNEMPLOYED = "unemployed", _("Безробітний")
    ENTREPRENEUR = "entrepreneur", _("Підприємець")
    STUDENT = "student", _("Учень, студент")
    PUBLIC_SECTOR = "public_sector", _("Працівник бюджетної сфери")
    OTHER = "other", _("Інші")


# Категорія заявника (Classifier 858, numbered codes). ⚠ The official numbering is loaded with the
# reference data; these codes are the defaults shipped with the sample.
APPLICANT_CATEGORIES: list[tuple[str, str]] = [
    ("01", _("Учасник бойових дій")),
    ("02", _("Учасник війни")),
    ("03", _("Особа з інвалідністю внаслідок війни")),
    ("04", _("Член сім'ї загиблого (померлого) ветерана війни")),
    ("05", _("Особа з інвалідністю I групи")),
    ("06", _("Особа з інвалідністю II групи")),
    ("07", _("Особа з інвалідністю III групи")),
    ("08", _("Дитина з інвалідністю")),
    ("09", _("Постраждалий внаслідок Чорнобильської катастрофи")),
    ("10", _("Одинока мати")),
    ("11", _("Мати-героїня")),
    ("12", _("Багатодітна сім'я")),
    ("13", _("Герой України, Герой Радянського Союзу, Герой Соціалістичної Праці")),
    ("14", _("Внутрішньо переміщена особа")),
    ("15", _("Ветеран праці")),
    ("16", _("Дитина-сирота")),
    ("17", _("Інші категорії")),
]
# Priority at personal reception and in handling (art. 22 ⚠ — a configurable list; default below).
PRIORITY_CATEGORIES = frozenset({"01", "02", "03", "04", "05", "08", "13"})


# --- Legal outcomes, statuses -------------------------------------------------------------------

class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Подано, очікує реєстрації")
    REGISTERED = "registered", _("Зареєстровано")
    IN_WORK = "in_work", _("Розглядається")
    ANSWERED = "answered", _("Надано відповідь")
    RETURNED = "returned", _("Повернуто заявникові")              # art. 5: not compliant
    FORWARDED = "forwarded", _("Надіслано за належністю")          # art. 7: outside competence
    NOT_CONSIDERED = "not_considered", _("Залишено без розгляду")  # art. 8
    CLOSED = "closed", _("Розгляд завершено")


APPEAL_TRANSITIONS: dict[str, frozenset[str]] = {
    AppealStatus.SUBMITTED: frozenset({AppealStatus.REGISTERED}),
    AppealStatus.REGISTERED: frozenset({AppealStatus.IN_WORK, AppealStatus.RETURNED, AppealStatus.FORWARDED,
                                        AppealStatus.NOT_CONSIDERED, AppealStatus.ANSWERED}),
    AppealStatus.IN_WORK: frozenset({AppealStatus.ANSWERED, AppealStatus.FORWARDED,
                                     AppealStatus.NOT_CONSIDERED, AppealStatus.RETURNED}),
    AppealStatus.ANSWERED: frozenset({AppealStatus.CLOSED, AppealStatus.IN_WORK}),
    AppealStatus.RETURNED: frozenset({AppealStatus.CLOSED}),
    AppealStatus.FORWARDED: frozenset({AppealStatus.CLOSED}),
    AppealStatus.NOT_CONSIDERED: frozenset({AppealStatus.CLOSED}),
    AppealStatus.CLOSED: frozenset(),
}
OPEN_STATUSES = frozenset({AppealStatus.SUBMITTED, AppealStatus.REGISTERED, AppealStatus.IN_WORK})


class Outcome(models.TextChoices):
    """Результат розгляду (Classifier 858 / reporting)."""

    SATISFIED = "satisfied", _("Задоволено")
    EXPLAINED = "explained", _("Роз'яснено")
    REFUSED = "refused", _("Відмовлено")
    PARTLY = "partly", _("Задоволено частково")
    FORWARDED = "forwarded", _("Надіслано за належністю")
    RETURNED = "returned", _("Повернуто заявникові")
    NOT_CONSIDERED = "not_considered", _("Не розглядалося (ст. 8)")
    OTHER = "other", _("Інше")


class NotConsideredGround(models.TextChoices):
    """Grounds of Law 393/96-ВР art. 8 for not considering an appeal."""

    ANONYMOUS = "anonymous", _("Анонімне звернення (ст. 8)")
    REPEATED = "repeated", _("Повторне звернення з питання, вже вирішеного по суті (ст. 8)")
    COMPLAINT_LATE = "complaint_late", _("Скаргу подано з порушенням строків ст. 17 (ст. 8)")
    INCAPABLE = "incapable", _("Від особи, визнаної судом недієздатною (ст. 8)")


class AnswerChannel(models.TextChoices):
    EMAIL = "email", _("Електронною поштою")
    POST = "post", _("Поштою")
    IN_PERSON = "in_person", _("Особисто")


class TermKind(models.TextChoices):
    """Which statutory term runs (art. 20); the clocks are ``ratusha.calendar`` rules."""

    MONTH = "appeal", _("1 місяць (ст. 20)")
    URGENT = "appeal-urgent", _("Без вивчення — до 15 днів (ст. 20)")
    EXTENDED = "extended", _("Продовжено керівником (до 45 днів загалом, ст. 20)")
    RETURN = "appeal-return", _("Повернення — 10 днів (ст. 5)")
    FORWARD = "appeal-forward", _("Пересилання — 5 днів (ст. 7)")


# Law 393/96-ВР art. 20: the total term with an extension may not exceed 45 days (calendar rule
# ``appeal-max``); the applicant is informed of the extension.
MAX_TERM_RULE = "appeal-max"
# Art. 17 ⚠: a complaint within 1 year of the decision, no later than 1 month after learning of it.
COMPLAINT_YEARS = 1
COMPLAINT_MONTHS_AFTER_LEARNING = 1

# Instruction 348: collective «КО», unsigned «БП»; index = first letter of the surname + number, or a
# plain number (setting ``APPEALS["INDEX_STYLE"]``: "letter" | "plain").
MARK_COLLECTIVE = "КО"
MARK_UNSIGNED = "БП"
INDEX_STYLE_LETTER = "letter"
INDEX_STYLE_PLAIN = "plain"

# Tracking codes: unguessable (≈ 80 bits), grouped for reading aloud, no look-alike characters.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 16
