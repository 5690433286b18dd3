"""Forms of the keys pages, the trust list and /verify/ (files are checked again in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ratusha.signatures.constants import PASSPHRASE_MIN_LENGTH, RevocationReason


def _password(label: Any, help_text: Any = "", autocomplete: str = "current-password") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, max_length=200, strip=False,
                           widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
                           error_messages={"required": _("Введіть пароль.")})


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Файл ключа (.p12 або .pfx)"), required=False,
                           help_text=_("Контейнер PKCS#12 з ключем і сертифікатом, виданий центром сертифікації."),
                           error_messages={"empty": _("Файл порожній.")},
                           widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}))
    # After a wrong passphrase the (encrypted) file rides along in the re-rendered form only, so the holder
    # retries with the passphrase alone; nothing is kept on the server.
    file_b64 = forms.CharField(widget=forms.HiddenInput, required=False, max_length=400_000)
    file_name = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)
    passphrase = _password(_("Пароль до файлу ключа"),
                           _("Пароль, який ви отримали разом із ключем. Ми не зберігаємо його."))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("file") and not data.get("file_b64") and "file" not in self.errors:
            self.add_error("file", _("Оберіть файл ключа."))
        return data


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Посада в сертифікаті"), max_length=64, required=False,
                            help_text=_("Якщо залишити порожнім — посада з вашого призначення."))
    passphrase = _password(_("Новий пароль до ключа"),
                           _("Щонайменше %(n)d символів. Запам'ятайте його: ми не зберігаємо пароль і не можемо "
                             "його відновити.") % {"n": PASSPHRASE_MIN_LENGTH}, "new-password")
    passphrase2 = _password(_("Пароль ще раз"), "", "new-password")


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Причина відкликання"), choices=RevocationReason.choices)
    comment = forms.CharField(label=_("Коментар"), max_length=300, required=False)


class CAForm(forms.Form):
    name = forms.CharField(label=_("Назва центру сертифікації"), max_length=64,
                           error_messages={"required": _("Вкажіть назву центру сертифікації.")})
    organisation_name = forms.CharField(label=_("Організація"), max_length=64,
                                        error_messages={"required": _("Вкажіть організацію.")})


class TrustForm(forms.Form):
    certificate = forms.FileField(label=_("Сертифікат центру сертифікації (.cer, .crt, .der, .pem)"), required=False)
    certificate_b64 = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Назва в списку довіри"), max_length=300, required=False,
                           help_text=_("Якщо залишити порожнім — ім'я з сертифіката."))


class SealIssueForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Організація"), queryset=None, empty_label=_("— оберіть —"),
                                          error_messages={"required": _("Оберіть організацію.")})
    users = forms.ModelMultipleChoiceField(label=_("Хто може накладати печатку"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    passphrase = _password(_("Пароль до печатки"), _("Щонайменше %(n)d символів; повідомте його тим, хто "
                                                    "накладатиме печатку.") % {"n": PASSPHRASE_MIN_LENGTH},
                           "new-password")
    passphrase2 = _password(_("Пароль ще раз"), "", "new-password")

    def __init__(self, *args: Any, organisations: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["users"].queryset = users


class SignCardForm(forms.Form):
    credential = forms.ChoiceField(label=_("Чим підписати"), error_messages={"required": _("Оберіть ключ.")})
    passphrase = _password(_("Пароль до ключа"))

    def __init__(self, *args: Any, credentials: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["credential"].choices = [(str(c.pk), _label(c)) for c in credentials]


def _label(credential: Any) -> str:
    if credential.kind == "seal":
        return str(_("Печатка: %(name)s") % {"name": credential.subject_name})
    return str(_("Мій ключ: %(name)s, сертифікат %(serial)s") % {"name": credential.subject_name,
                                                               "serial": credential.serial})


def verify_limit_mb() -> int:
    return int(getattr(settings, "SIGNATURES_VERIFY_MAX_MB", 20))


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Підписаний файл"),
        help_text=_("PDF з підписом, файл підпису .p7s або контейнер .asice / .asics. До %(mb)d МБ."),
        error_messages={"required": _("Оберіть файл, який треба перевірити."), "empty": _("Файл порожній.")})
    content = forms.FileField(
        label=_("Підписаний документ (лише для .p7s)"), required=False,
        help_text=_("Якщо ви перевіряєте окремий файл підпису .p7s, додайте документ, який ним підписано."),
        error_messages={"empty": _("Файл порожній.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {"mb": verify_limit_mb()}

    def _check_size(self, name: str) -> Any:
        upload = self.cleaned_data.get(name)
        if upload is not None and upload.size > verify_limit_mb() * 1024 * 1024:
            raise forms.ValidationError(_("Файл завеликий: найбільший дозволений розмір — %(mb)d МБ.")
                                        % {"mb": verify_limit_mb()})
        return upload

    def clean_file(self) -> Any:
        return self._check_size("file")

    def clean_content(self) -> Any:
        return self._check_size("content")


class VerifyCodeForm(forms.Form):
    code = forms.CharField(label=_("Код перевірки"), max_length=20,
                           help_text=_("10 знаків під QR-кодом на документі, наприклад ABCDE-23456."),
                           error_messages={"required": _("Введіть код перевірки.")},
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                         "autocapitalize": "characters"}))

    def clean_code(self) -> str:
        from ratusha.signatures.services.records import normalise_code

        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Код складається з 10 латинських літер і цифр, наприклад ABCDE-23456 "
                                          "(літер O та I і цифр 0 та 1 у кодах немає)."))
        return code
