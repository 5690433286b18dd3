"""Applicants' details as a reader may see them: in full, or masked (Law 2297-VI; docs/legal.md §7).

Masked forms keep just enough to tell appeals apart on a list: «К***о І. П.», «***@gmail.com»,
«+380 ** *** ** 67». ``appeals.selectors.appeal_applicant`` decides which form a user gets and audits
every read of the full one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MASK = "***"


def mask_surname(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + MASK
    return f"{value[0]}{MASK}{value[-1]}"


def _initial(value: str) -> str:
    value = (value or "").strip()
    return f"{value[0]}." if value else ""


def mask_name(last_name: str, first_name: str = "", middle_name: str = "") -> str:
    """«Коваленко Іван Петрович» → «К***о І. П.»."""
    initials = " ".join(p for p in (_initial(first_name), _initial(middle_name)) if p)
    return " ".join(p for p in (mask_surname(last_name), initials) if p)


def mask_full_name(full_name: str) -> str:
    """A co-signer's «Прізвище Ім'я По батькові» in one string."""
    parts = (full_name or "").split()
    if not parts:
        return ""
    return mask_name(parts[0], *(parts[1:3]))


def mask_email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    _local, at, domain = value.rpartition("@")
    return f"{MASK}@{domain}" if at else MASK


def mask_phone(value: str) -> str:
    """Any phone → «+380 ** *** ** 67» (the last two digits kept)."""
    digits = re.sub(r"\D", "", value or "")
    if not digits:
        return ""
    tail = digits[-2:]
    if (len(digits) >= 12 and digits.startswith("380")) or (len(digits) == 10 and digits.startswith("0")):
        return f"+380 ** *** ** {tail}"
    return f"{MASK} {tail}"


def mask_address(value: str) -> str:
    return MASK if (value or "").strip() else ""


@dataclass
class ApplicantDetails:
    """What a page shows about the applicant; ``masked`` tells which form it is."""

    masked: bool
    name: str
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    cosigners: list[dict[str, str]] = field(default_factory=list)
    anonymous: bool = False


def applicant_details(appeal: Any, *, masked: bool, cosigners: list[Any] | None = None) -> ApplicantDetails:
    """Build the details of ``appeal`` (no access check here: the selectors decide ``masked``)."""
    anonymous = not (appeal.last_name or appeal.first_name)
    rows = cosigners if cosigners is not None else list(appeal.cosigners.all())
    if masked:
        return ApplicantDetails(
            masked=True, anonymous=anonymous,
            name=_("Анонімний заявник") if anonymous else mask_name(appeal.last_name, appeal.first_name,
                                                                    appeal.middle_name),
            address=mask_address(appeal.address), email=mask_email(appeal.email), phone=mask_phone(appeal.phone),
            cosigners=[{"full_name": mask_full_name(c.full_name), "address": mask_address(c.address)}
                       for c in rows])
    return ApplicantDetails(
        masked=False, anonymous=anonymous,
        name=_("Анонімний заявник") if anonymous else appeal.applicant_name,
        last_name=appeal.last_name, first_name=appeal.first_name, middle_name=appeal.middle_name,
        address=appeal.address, email=appeal.email, phone=appeal.phone,
        cosigners=[{"full_name": c.full_name, "address": c.address} for c in rows])


def list_name(appeal: Any, *, masked: bool) -> str:
    """The applicant as a list row shows them."""
    if not (appeal.last_name or appeal.first_name):
        return _("Анонімний заявник")
    if masked:
        return mask_name(appeal.last_name, appeal.first_name, appeal.middle_name)
    return appeal.applicant_name
