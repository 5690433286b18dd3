from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.exchange.constants import REJECT_REASON_MAX
from ratusha.exchange.models import Peer
from ratusha.orgs.models import Organisation
from ratusha.registry.models import Journal


class SendForm(forms.Form):
    recipients = forms.ModelMultipleChoiceField(
        label=_("Адресати"), queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Документ одразу з'явиться в черзі вхідних адресата разом з усіма поточними файлами."))
    peers = forms.ModelMultipleChoiceField(
        label=_("Учасники інших установок"), queryset=Peer.objects.none(), widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Пакет, скріплений печаткою організації, піде до установки адресата; квитанції повернуться в "
                    "цю картку."))

    def __init__(self, *args, recipients=None, peers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if recipients is not None:
            self.fields["recipients"].queryset = recipients
        if peers is not None:
            self.fields["peers"].queryset = peers

    def clean(self):
        data = super().clean()
        if not data.get("recipients") and not data.get("peers") and not self.errors:
            raise forms.ValidationError(_("Оберіть хоча б одного адресата."))
        return data


class RegisterForm(forms.Form):
    journal = forms.ModelChoiceField(label=_("Журнал"), queryset=Journal.objects.none(), empty_label=None,
                                     error_messages={"required": _("Оберіть журнал.")})
    summary = forms.CharField(label=_("Короткий зміст"), widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("Вкажіть короткий зміст.")})
    note = forms.CharField(label=_("Примітка"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, journals=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if journals is not None:
            self.fields["journal"].queryset = journals


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Причина відхилення"), max_length=REJECT_REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Наприклад: «Документ адресовано не нам» — відправник побачить її."),
                             error_messages={"required": _("Вкажіть причину: відправник побачить її.")})
