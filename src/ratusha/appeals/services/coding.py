"""Coding an appeal by every Classifier 858 dimension (CMU No. 858 of 24.09.2008 as amended; docs/legal.md §3).

Dimensions: form of receipt, type, subject (individual / collective / anonymous), medium, the
applicant's sex, categories (numbered codes) and social status, settlement, and the subject/issue
topic from the active classifier version. The sign is coded separately (``signs.appeal_sign_set``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ratusha.appeals.constants import (
    APPLICANT_CATEGORIES,
    AppealStatus,
    AppealSubject,
    AppealType,
    Medium,
    ReceiptForm,
    Sex,
    SocialStatus,
)
from ratusha.appeals.models import Appeal, ClassifierTopic
from ratusha.appeals.services._common import (
    lock_appeal,
    priority_categories,
    require_choice,
    require_handler,
    save_appeal,
)
from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError

CODING_FIELDS = ("receipt_form", "medium", "appeal_type", "subject", "sex", "social_status", "categories",
                 "settlement", "topic")
CATEGORY_CODES = frozenset(code for code, _label in APPLICANT_CATEGORIES)
# Classifier 858: a phone / hotline appeal is oral; an oral appeal comes at reception or by phone;
# an electronic form arrives as an electronic medium.
ORAL_FORMS = frozenset({ReceiptForm.RECEPTION, ReceiptForm.HOTLINE})


def clean_categories(values: Iterable[str] | None) -> list[str]:
    codes = [str(v).strip() for v in (values or ()) if str(v).strip()]
    unknown = sorted(set(codes) - CATEGORY_CODES)
    if unknown:
        raise ApplicationError(_("Невідомий код категорії заявника: %(codes)s.") % {"codes": ", ".join(unknown)},
                               code="invalid_choice", field="categories")
    return sorted(set(codes))


def clean_topic(topic: Any, *, current: ClassifierTopic | None = None) -> ClassifierTopic | None:
    """A topic of the active classifier version (an appeal's earlier topic of an old version may stay)."""
    if topic in (None, ""):
        return None
    pk = getattr(topic, "pk", topic)
    if current is not None and str(current.pk) == str(pk):
        return current
    try:
        found = ClassifierTopic.objects.select_related("version").filter(pk=pk, version__is_active=True).first()
    except (ValueError, TypeError, ValidationError):  # a malformed id is just "not found"
        found = None
    if found is None:
        raise ApplicationError(_("Оберіть питання з чинної версії класифікатора."), code="invalid_choice",
                               field="topic")
    return found


def check_form_and_medium(receipt_form: str, medium: str) -> None:
    if receipt_form == ReceiptForm.HOTLINE and medium != Medium.ORAL:
        raise ApplicationError(_("Звернення телефоном / на «гарячу лінію» є усним: оберіть тип «Усне»."),
                               code="inconsistent", field="medium")
    if medium == Medium.ORAL and receipt_form not in ORAL_FORMS:
        raise ApplicationError(_("Усне звернення надходить на особистому прийомі або телефоном."),
                               code="inconsistent", field="receipt_form")
    if receipt_form == ReceiptForm.ELECTRONIC and medium != Medium.ELECTRONIC:
        raise ApplicationError(_("Звернення, що надійшло електронною поштою або через вебсайт, є "
                                 "електронним: оберіть тип «Електронне»."), code="inconsistent", field="medium")


def check_subject(subject: str, *, has_name: bool, cosigners: int) -> None:
    if subject == AppealSubject.ANONYMOUS and has_name:
        raise ApplicationError(_("Анонімним є звернення без зазначення прізвища та імені заявника."),
                               code="inconsistent", field="subject")
    if subject != AppealSubject.ANONYMOUS and not has_name:
        raise ApplicationError(_("У зверненні не зазначено заявника — це анонімне звернення."),
                               code="inconsistent", field="subject")
    if subject == AppealSubject.COLLECTIVE and cosigners < 1:
        raise ApplicationError(_("Колективне звернення має щонайменше одного співпідписанта."),
                               code="inconsistent", field="subject")


def clean_coding(values: dict[str, Any], *, current_topic: ClassifierTopic | None = None) -> dict[str, Any]:
    """Validate the Classifier 858 values present in ``values``."""
    out = dict(values)
    for name, choices in (("receipt_form", ReceiptForm), ("medium", Medium), ("appeal_type", AppealType),
                          ("subject", AppealSubject)):
        if name in out:
            out[name] = require_choice(out[name], choices, field=name)
    if "sex" in out:
        out["sex"] = require_choice(out["sex"], Sex, field="sex", blank=True)
    if "social_status" in out:
        out["social_status"] = require_choice(out["social_status"], SocialStatus, field="social_status", blank=True)
    if "categories" in out:
        out["categories"] = clean_categories(out["categories"])
    if "settlement" in out:
        out["settlement"] = " ".join((out["settlement"] or "").split())[:200]
    if "topic" in out:
        out["topic"] = clean_topic(out["topic"], current=current_topic)
    return out


def appeal_code(*, actor: Any, appeal: Appeal, expected_version: Any = None, **values: Any) -> Appeal:
    """Set Classifier 858 codes of an appeal (any of ``CODING_FIELDS``); the audit lists each change."""
    unknown = sorted(set(values) - set(CODING_FIELDS))
    if unknown:
        raise ApplicationError(_("Ці поля не належать до кодування: %(fields)s.") % {"fields": ", ".join(unknown)},
                               code="readonly_field")
    require_handler(actor, appeal.organisation_id)
    with transaction.atomic():
        locked = lock_appeal(appeal, expected_version)
        if locked.status == AppealStatus.CLOSED:
            raise ApplicationError(_("Розгляд звернення завершено: кодування змінити не можна."), code="closed")
        cleaned = clean_coding(values, current_topic=locked.topic)
        merged = {name: cleaned.get(name, getattr(locked, name)) for name in CODING_FIELDS}
        check_form_and_medium(merged["receipt_form"], merged["medium"])
        check_subject(merged["subject"], has_name=bool(locked.last_name or locked.first_name),
                      cosigners=locked.cosigners.count())
        changes: dict[str, list[Any]] = {}
        for name, new in cleaned.items():
            old = getattr(locked, name)
            if (getattr(old, "pk", old)) == (getattr(new, "pk", new)):
                continue
            changes[name] = [str(old) if old is not None and name == "topic" else old,
                             str(new) if new is not None and name == "topic" else new]
            setattr(locked, name, new)
        if changes:
            fields = list(changes)
            priority = bool(set(locked.categories) & priority_categories())
            if priority != locked.priority:
                changes["priority"] = [locked.priority, priority]
                locked.priority = priority
                fields.append("priority")
            save_appeal(locked, fields)
            audit_log(actor=actor, action="appeal.code", obj=locked, params={"changes": changes})
    appeal.refresh_from_db()
    return appeal
