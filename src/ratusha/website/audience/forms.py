from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.website.audience.constants import Topic


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Ваша електронна пошта"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             error_messages={"required": _("Вкажіть адресу електронної пошти."),
                                             "invalid": _("Перевірте адресу: вона має бути на кшталт name@example.com.")})
    topics = forms.MultipleChoiceField(label=_("Про що повідомляти"), choices=Topic.choices,
                                       widget=forms.CheckboxSelectMultiple, initial=[Topic.NEWS],
                                       error_messages={"required": _("Оберіть хоча б одну тему розсилки.")})
    consent = forms.BooleanField(
        label=_("Я погоджуюся, щоб міська рада зберігала мою адресу електронної пошти лише для цієї розсилки"),
        error_messages={"required": _("Без згоди ми не можемо надсилати листи: позначте її.")})
    # A honeypot: people leave it empty, simple bots fill every field.
    website = forms.CharField(required=False, label=_("Не заповнюйте це поле"))
