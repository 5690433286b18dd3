"""Human words for a computed deadline: what was counted, which days were skipped, why the last day moved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusha.calendar.terms import KYIV, DayInfo, DayKind, Explanation, Shift, Term, TermUnit


def fmt_day(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def weekday(day: dt.date) -> str:
    return formats.date_format(day, "l").lower()


def fmt_stamp(value: dt.datetime) -> str:
    offset = value.strftime("%z")
    return f"{value.strftime('%d.%m.%Y %H:%M')} (UTC{offset[:3]}:{offset[3:]})"


def describe_day(info: DayInfo) -> str:
    label = info.kind_label
    if info.kind is DayKind.WEEKEND and not info.name:
        label = weekday(info.day)
    return f"{label}: {info.name}" if info.name else label


@dataclass
class Described:
    headline: str
    weekday: str
    iso: str
    steps: list[str] = field(default_factory=list)
    days_title: str = ""
    days: list[str] = field(default_factory=list)
    kyiv_time: str = ""


def describe(expl: Explanation, term: Term | None = None, *, martial_law: str = "") -> Described:
    """``martial_law``: '' (the installation's periods), 'on' or 'off' — as chosen in the calculator."""
    unit, n = expl.unit, expl.amount
    if isinstance(expl.deadline, dt.datetime):
        kyiv = expl.deadline.astimezone(KYIV)
        out = Described(headline=fmt_stamp(expl.deadline), weekday=weekday(kyiv.date()),
                        iso=expl.deadline.isoformat(timespec="seconds"),
                        kyiv_time=kyiv.strftime("%d.%m.%Y %H:%M"))
        start = expl.start
        stamp = fmt_stamp(start) if isinstance(start, dt.datetime) else fmt_day(start) + " 00:00"
        out.steps.append(_("Подія — %(start)s. До неї додано %(n)s год. (реальний час, з урахуванням переходу "
                           "на літній чи зимовий час).") % {"start": stamp, "n": n})
        out.steps.append(_("Строк у годинах не переноситься через вихідні та свята."))
        return out
    deadline: dt.date = expl.deadline
    out = Described(headline=fmt_day(deadline), weekday=weekday(deadline), iso=deadline.isoformat())
    event = expl.event_day
    if unit is TermUnit.WORKING_DAYS_BEFORE:
        out.steps.append(_("Дата засідання (розгляду) — %(day)s; сам цей день не враховано (Закон № 890-IX).")
                         % {"day": fmt_day(event)})
        out.steps.append(ngettext("Відлічено назад %(n)s робочий день.", "Відлічено назад %(n)s робочих днів.", n)
                         % {"n": n})
    elif unit is TermUnit.WORKING_DAYS:
        out.steps.append(_("Подія — %(day)s. Строк починається наступного дня, %(next)s (ЦК України, ст. 253).")
                         % {"day": fmt_day(event), "next": fmt_day(event + dt.timedelta(days=1))})
        out.steps.append(ngettext("Відлічено %(n)s робочий день; останній — %(end)s.",
                                  "Відлічено %(n)s робочих днів; останній — %(end)s.", n)
                         % {"n": n, "end": fmt_day(deadline)})
    else:
        out.steps.append(_("Подія — %(day)s. Строк починається наступного дня, %(next)s (ЦК України, ст. 253).")
                         % {"day": fmt_day(event), "next": fmt_day(event + dt.timedelta(days=1))})
        nominal: dt.date = expl.nominal  # type: ignore[assignment]
        if unit is TermUnit.MONTHS:
            text = ngettext("%(n)s місяць від %(day)s — це %(end)s.", "%(n)s місяців від %(day)s — це %(end)s.", n) % {
                "n": n, "day": fmt_day(event), "end": fmt_day(nominal)}
            if nominal.day != event.day:
                text += " " + _("У цьому місяці немає %(d)s-го числа, тож строк спливає в останній день місяця "
                                "(ЦК України, ст. 254 ч. 2).") % {"d": event.day}
            out.steps.append(text)
        else:
            out.steps.append(ngettext("%(day)s + %(n)s календарний день = %(end)s.",
                                      "%(day)s + %(n)s календарних днів = %(end)s.", n)
                             % {"day": fmt_day(event), "n": n, "end": fmt_day(nominal)})
        if expl.moved_from is not None:
            direction = (_("наступний робочий день") if expl.shift is Shift.NEXT or expl.moved_forward_to_keep_after_event
                         else _("попередній робочий день"))
            out.steps.append(_("Останній день %(day)s — неробочий (%(why)s), тому строк перенесено на %(dir)s — "
                               "%(end)s.") % {"day": fmt_day(nominal), "why": describe_day(expl.moved_from),
                                              "dir": direction, "end": fmt_day(deadline)})
            if expl.moved_forward_to_keep_after_event:
                out.steps.append(_("Попередній робочий день припадає на день події або раніше, тому взято "
                                   "наступний робочий день."))
            elif expl.shift is Shift.NEXT:
                out.steps.append(_("Правило: перший робочий день після неробочого (ЦК України, ст. 254 ч. 5)."))
            else:
                out.steps.append(_("Правило діловодства: документ виконують не пізніше робочого дня, що передує "
                                   "неробочому."))
        else:
            out.steps.append(_("Останній день — робочий, переносити не потрібно."))
    if expl.non_working:
        if expl.skips_non_working:
            out.days_title = ngettext("Пропущено %(n)s неробочий день", "Пропущено %(n)s неробочих днів",
                                      len(expl.non_working)) % {"n": len(expl.non_working)}
        else:
            out.days_title = ngettext("У строку %(n)s неробочий день (строк у календарних днях — їх враховано)",
                                      "У строку %(n)s неробочих днів (строк у календарних днях — їх враховано)",
                                      len(expl.non_working)) % {"n": len(expl.non_working)}
        out.days = [f"{fmt_day(d.day)} — {describe_day(d)}" for d in expl.non_working]
    mode = {"on": _("воєнний стан враховано для всіх дат (свята — робочі дні)"),
            "off": _("воєнний стан не враховано (мирний час: свята і перенесення вихідних)")}.get(
        martial_law, _("воєнний стан — за періодами, внесеними в календар"))
    out.steps.append(_("Календар: %(mode)s.") % {"mode": mode})
    return out


def explanation_context(expl: Explanation, term: Term | None, martial_law: str) -> dict[str, Any]:
    return {"result": describe(expl, term, martial_law=martial_law), "term": term}
