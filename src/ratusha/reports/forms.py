"""The report filter form (GET). It shapes and checks input; what the user may see is the selectors' job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.registry.forms import DateField
from ratusha.reports.constants import DEFAULT_PERIOD, MAX_PERIOD_DAYS, Levels, PeriodPreset
from ratusha.reports.periods import period_range
from ratusha.reports.selectors import ReportScope, report_people, report_units


def resolve_period(form: forms.Form, data: dict[str, Any], *, default: str,
                   ranges: Callable[[str, dt.date], tuple[dt.date, dt.date]]) -> bool:
    """Shared by the report filter forms: ``period`` + ``date_from``/``date_to`` → the period's dates.

    A preset gives its range (``ranges(preset, form.today)``); dates typed over a preset's dates make the
    period custom. Adds the errors to ``form`` and puts ``period``, ``date_from``, ``date_to`` into ``data``;
    False when the period is not usable.
    """
    if form.errors.get("date_from") or form.errors.get("date_to"):
        return False
    preset = data.get("period") or default
    start, end = data.get("date_from"), data.get("date_to")
    if preset != PeriodPreset.CUSTOM:
        preset_start, preset_end = ranges(preset, form.today)
        # Dates typed over a preset's dates make the period custom.
        if (start and start != preset_start) or (end and end != preset_end):
            preset = PeriodPreset.CUSTOM
        else:
            start, end = preset_start, preset_end
    if preset == PeriodPreset.CUSTOM:
        if not start:
            form.add_error("date_from", _("Вкажіть початок періоду."))
        if not end:
            form.add_error("date_to", _("Вкажіть кінець періоду."))
        if not (start and end):
            return False
    assert start is not None and end is not None
    if start > end:
        form.add_error("date_to", _("Кінцева дата раніша за початкову."))
    elif start > form.today:
        form.add_error("date_from", _("Період ще не розпочався: початок не може бути пізніше за сьогодні."))
    elif (end - start).days > MAX_PERIOD_DAYS:
        form.add_error("date_to", _("Період задовгий: не більше п'яти років."))
    data.update(period=preset, date_from=start, date_to=end)
    return True


def period_query(data: dict[str, Any]) -> dict[str, str]:
    """The period as GET parameters with its dates filled in."""
    return {"period": data["period"], "date_from": data["date_from"].strftime("%d.%m.%Y"),
            "date_to": data["date_to"].strftime("%d.%m.%Y")}


class ExecutionFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Період"), choices=PeriodPreset.choices, required=False)
    # Typing dates over a preset's dates switches the period to «Довільний період» (see clean()).
    date_from = DateField(label=_("Дата з"), required=False)
    date_to = DateField(label=_("Дата по"), required=False)
    unit = forms.ChoiceField(label=_("Підрозділ"), required=False,
                             error_messages={"invalid_choice": _("Оберіть підрозділ зі списку.")})
    person = forms.ChoiceField(label=_("Виконавець"), required=False,
                               error_messages={"invalid_choice": _("Оберіть виконавця зі списку.")})
    levels = forms.ChoiceField(label=_("Рівні доручень"), choices=Levels.choices, required=False)
    responsible_only = forms.BooleanField(label=_("Лише відповідальні виконавці (без співвиконавців)"),
                                          required=False)

    def __init__(self, *args: Any, scope: ReportScope, today: dt.date, tree: list | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["period"].error_messages["invalid_choice"] = _("Оберіть період зі списку.")
        self.fields["levels"].error_messages["invalid_choice"] = _("Оберіть рівні доручень зі списку.")
        units = report_units(scope=scope, tree=tree)
        self.units = {str(u.pk): u for u, _depth in units}
        # Sub-units indented with no-break spaces (a <select> shows the tree).
        self.fields["unit"].choices = [("", _("Усі підрозділи")), *[
            (str(u.pk), "\u00a0\u00a0" * depth + f"{u.code} — {u.name}") for u, depth in units]]
        self.people = {str(p.pk): p for p in report_people(scope=scope)}
        self.fields["person"].choices = [("", _("Усі виконавці")),
                                         *[(key, p.full_name) for key, p in self.people.items()]]
        if not self.units:
            del self.fields["unit"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not resolve_period(self, data, default=DEFAULT_PERIOD, ranges=period_range):
            return data
        data.update(unit=self.units.get(data.get("unit") or ""),
                    person=self.people.get(data.get("person") or ""),
                    top_level_only=data.get("levels") == Levels.TOP)
        return data

    def resolved_query(self) -> dict[str, str]:
        """The filter as GET parameters with the period's dates filled in (for the form and the exports)."""
        data = self.cleaned_data
        query = period_query(data)
        if data.get("unit"):
            query["unit"] = str(data["unit"].pk)
        if data.get("person"):
            query["person"] = str(data["person"].pk)
        if data.get("levels"):
            query["levels"] = data["levels"]
        if data.get("responsible_only"):
            query["responsible_only"] = "on"
        return query
