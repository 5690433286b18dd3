"""The filter form of the appeals statistics (GET): period and the at-risk horizon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.registry.forms import DateField
from ratusha.reports.appeals_constants import (
    DEFAULT_APPEALS_PERIOD,
    DEFAULT_HORIZON,
    MAX_HORIZON,
    AppealsPeriod,
    appeals_period_range,
)
from ratusha.reports.forms import period_query, resolve_period


class AppealsFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Період"), choices=AppealsPeriod.choices, required=False)
    date_from = DateField(label=_("Дата з"), required=False)
    date_to = DateField(label=_("Дата по"), required=False)
    horizon = forms.IntegerField(
        label=_("Строк спливає за, роб. дн."), required=False, min_value=1,
        max_value=MAX_HORIZON,
        error_messages={"invalid": _("Вкажіть ціле число робочих днів."),
                        "min_value": _("Щонайменше 1 робочий день."),
                        "max_value": _("Не більше %(limit_value)s робочих днів.")})

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["period"].error_messages["invalid_choice"] = _("Оберіть період зі списку.")
        self.fields["horizon"].widget.attrs.update(min=1, max=MAX_HORIZON, inputmode="numeric")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not resolve_period(self, data, default=DEFAULT_APPEALS_PERIOD, ranges=appeals_period_range):
            return data
        if not self.errors.get("horizon"):
            data["horizon"] = data.get("horizon") or DEFAULT_HORIZON
        return data

    def resolved_query(self) -> dict[str, str]:
        query = period_query(self.cleaned_data)
        query["horizon"] = str(self.cleaned_data["horizon"])
        return query
