"""Forms of the calendar page. They shape and check input; the rules live in the services and the engine."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.calendar.constants import TERM_AMOUNT_MAX, TERM_AMOUNT_MIN
from ratusha.calendar.parsing import StartError, parse_start
from ratusha.calendar.terms import RULES, Shift, Term, TermUnit
from ratusha.registry.forms import DateField

CHOICE_ERROR = _("Оберіть значення зі списку.")
MARTIAL_CHOICES = [
    ("", _("як у календарі інсталяції")),
    ("on", _("діє (свята — робочі дні)")),
    ("off", _("не діє (мирний час)")),
]
SHIFT_CHOICES = [
    (Shift.PREVIOUS.value, _("на попередній робочий день")),
    (Shift.NEXT.value, _("на наступний робочий день")),
]


class CalculatorForm(forms.Form):
    rule = forms.ChoiceField(label=_("Правило"), choices=())
    start = forms.CharField(
        label=_("Дата події"), max_length=40,
        help_text=_("ДД.ММ.РРРР — день реєстрації, надходження або засідання; для строку в годинах також "
                    "час: ДД.ММ.РРРР ГГ:ХХ."),
        error_messages={"required": _("Вкажіть дату події.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "size": "16"}))
    martial_law = forms.ChoiceField(label=_("Воєнний стан"), choices=MARTIAL_CHOICES, required=False,
                                    error_messages={"invalid_choice": CHOICE_ERROR})
    shift = forms.ChoiceField(label=_("Якщо останній день неробочий"), required=False,
                              choices=[("", _("як у налаштуваннях"))] + SHIFT_CHOICES,
                              error_messages={"invalid_choice": CHOICE_ERROR})

    def __init__(self, *args: Any, terms: list[Term] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.terms = {t.rule: t for t in (terms or RULES.values())}
        self.fields["rule"].choices = [("", _("— оберіть правило —"))] + [
            (t.rule, f"{t.label} ({t.rule})") for t in self.terms.values()]
        self.fields["rule"].error_messages = {"required": _("Оберіть правило."),
                                              "invalid_choice": _("Оберіть правило зі списку.")}

    def clean_start(self) -> Any:
        text = self.cleaned_data["start"]
        try:
            return parse_start(text, local_formats=True)
        except StartError:
            raise forms.ValidationError(
                _("Неправильна дата. Введіть ДД.ММ.РРРР (рік 1991–2100), для строку в годинах — ДД.ММ.РРРР ГГ:ХХ."),
                code="invalid") from None

    @property
    def term(self) -> Term | None:
        return self.terms.get(self.cleaned_data.get("rule", "")) if hasattr(self, "cleaned_data") else None

    @property
    def hours_rules(self) -> list[str]:
        return [t.rule for t in self.terms.values() if t.unit is TermUnit.HOURS]


class PeriodForm(forms.Form):
    start = DateField(label=_("Початок"), error_messages={"required": _("Вкажіть дату початку.")})
    end = DateField(label=_("Кінець"), required=False, help_text=_("Порожньо — діє досі."))
    basis = forms.CharField(label=_("Підстава"), max_length=500,
                            help_text=_("Указ, закон про його затвердження, продовження."),
                            error_messages={"required": _("Вкажіть підставу: указ, закон або рішення.")})


class PeriodEditForm(PeriodForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class OverrideForm(forms.Form):
    day = DateField(label=_("Дата"), error_messages={"required": _("Вкажіть дату.")})
    working = forms.TypedChoiceField(
        label=_("Цей день"), widget=forms.RadioSelect, coerce=lambda v: v == "1",
        choices=[("0", _("неробочий")), ("1", _("робочий"))],
        error_messages={"required": _("Оберіть, робочий це день чи неробочий."), "invalid_choice": CHOICE_ERROR})
    reason = forms.CharField(label=_("Підстава"), max_length=500,
                             help_text=_("Рішення або розпорядження: номер і дата."),
                             error_messages={"required": _("Вкажіть підставу — рішення або розпорядження.")})


class ShiftForm(forms.Form):
    shift = forms.ChoiceField(label=_("Якщо останній день строку в календарних днях або місяцях неробочий, "
                                      "строк закінчується"), choices=SHIFT_CHOICES, widget=forms.RadioSelect,
                              error_messages={"required": _("Оберіть одне зі значень."),
                                              "invalid_choice": CHOICE_ERROR})
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class TermsForm(forms.Form):
    """One field per ⚠ term of docs/legal.md (administrators may change them)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, terms: list[Term], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for term in terms:
            if not term.configurable:
                continue
            default = RULES[term.rule]
            self.fields[term.rule] = forms.IntegerField(
                label=term.label, min_value=TERM_AMOUNT_MIN, max_value=TERM_AMOUNT_MAX, initial=term.amount,
                help_text=_("%(unit)s; типово %(default)s (%(article)s)") % {
                    "unit": _("робочих днів") if default.unit is TermUnit.WORKING_DAYS else _("календарних днів"),
                    "default": default.amount, "article": default.article},
                error_messages={"required": _("Вкажіть кількість днів."),
                                "invalid": _("Введіть ціле число."),
                                "min_value": _("Не менше ніж %(limit_value)s."),
                                "max_value": _("Не більше ніж %(limit_value)s.")},
                widget=forms.NumberInput(attrs={"class": "input-narrow"}))

    def amounts(self) -> dict[str, int]:
        return {name: value for name, value in self.cleaned_data.items() if name in RULES}
