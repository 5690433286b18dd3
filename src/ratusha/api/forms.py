from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.api.constants import Scope, WebhookEvent


class KeyForm(forms.Form):
    name = forms.CharField(label=_("Назва системи"), max_length=120,
                           help_text=_("Наприклад: «СЕД КП Водоканал» — щоб знати, чий це ключ."),
                           error_messages={"required": _("Вкажіть назву системи.")})
    scopes = forms.MultipleChoiceField(label=_("Дозволи"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("Оберіть хоча б один дозвіл.")})


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("Адреса (https://…)"), max_length=500, assume_scheme="https",
                         error_messages={"required": _("Вкажіть адресу."), "invalid": _("Вкажіть повну адресу.")})
    events = forms.MultipleChoiceField(label=_("Події"), choices=WebhookEvent.choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("Оберіть хоча б одну подію.")})
