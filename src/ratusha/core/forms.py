"""Forms of the sign-in pages. Rules live in ``core/auth.py``; these only shape the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Ім'я користувача"), max_length=150,
        error_messages={"required": _("Введіть ім'я користувача.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Пароль"), strip=False, max_length=256,
        error_messages={"required": _("Введіть пароль.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Код з застосунку"), max_length=12,
        help_text=_("Шість цифр, наприклад 123456."),
        error_messages={"required": _("Введіть шестизначний код.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9 ]*", "class": "input-code", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Код складається з шести цифр."))
        return token
