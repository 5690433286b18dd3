"""Forms of the exchange operations page: a peer of another installation, our organisation's seal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.orgs.models import Organisation

MAX_CARD_CHARS = 20_000
MAX_CERT_CHARS = 20_000
MAX_PKCS12_BYTES = 64 * 1024
PEER_FIELDS = ("participant_id", "name", "short_name", "endpoint", "certificate")


class PeerForm(forms.Form):
    """A participant of another installation: its card pasted whole, or the fields one by one.

    The rules (id format, endpoint, certificate) are the service's (``peer_save``); the form only carries
    the text, so a refusal lands next to its field with everything the administrator typed kept."""

    card = forms.CharField(
        label=_("Картка учасника (JSON)"), required=False, max_length=MAX_CARD_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "class": "ops-mono"}),
        help_text=_("Скопіюйте картку зі сторінки «Обмін: операції» установи учасника або з її адреси "
                    "…/exchange/v1/. Якщо картку вставлено, поля нижче заповнюються з неї."))
    participant_id = forms.CharField(label=_("Ідентифікатор учасника (ЄДРПОУ)"), required=False, max_length=20,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_("Повна назва"), required=False, max_length=300)
    short_name = forms.CharField(label=_("Скорочена назва"), required=False, max_length=120,
                                 help_text=_("Як назву показувати в списках; якщо порожньо — повна назва."))
    endpoint = forms.CharField(label=_("Адреса обміну"), required=False, max_length=300,
                               widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off",
                                                             "placeholder": "https://…/exchange/v1/"}))
    certificate = forms.CharField(
        label=_("Сертифікат печатки (PEM)"), required=False, max_length=MAX_CERT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "ops-mono",
                                     "placeholder": "-----BEGIN CERTIFICATE-----"}),
        help_text=_("Після збереження звірте відбиток SHA-256 з адміністратором учасника (телефоном)."))

    def with_card(self, card: dict[str, str]) -> PeerForm:
        """The same form with the fields filled from a parsed card (so a refusal shows what was read)."""
        data = self.data.copy()
        mapping = {"participant_id": "id", "name": "name", "short_name": "short_name", "endpoint": "endpoint",
                   "certificate": "certificate"}
        for field, key in mapping.items():
            data[self.add_prefix(field)] = card.get(key, "")
        form = PeerForm(data, prefix=self.prefix, auto_id=self.auto_id)
        form.is_valid()
        return form

    def peer_values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in PEER_FIELDS}


class ParticipantEnableForm(forms.Form):
    """Connect an organisation: a seal from the installation CA, or an imported PKCS#12 seal."""

    organisation = forms.ModelChoiceField(label=_("Організація"), queryset=Organisation.objects.none(),
                                          error_messages={"required": _("Оберіть організацію."),
                                                          "invalid_choice": _("Оберіть організацію зі списку.")})
    pkcs12 = forms.FileField(label=_("Файл печатки (PKCS#12: .p12, .pfx)"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
                             help_text=_("Необов'язково: без файлу печатку видасть центр сертифікації установи."))
    passphrase = forms.CharField(label=_("Пароль до файлу печатки"), required=False, strip=False,
                                 widget=forms.PasswordInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations

    def clean_pkcs12(self) -> bytes | None:
        upload = self.cleaned_data.get("pkcs12")
        if not upload:
            return None
        if upload.size > MAX_PKCS12_BYTES:
            raise forms.ValidationError(_("Файл печатки завеликий (до 64 КБ)."))
        return upload.read()
