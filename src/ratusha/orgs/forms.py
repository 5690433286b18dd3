"""Forms of the staff pages. Validation of shapes only; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.orgs.constants import InstallationRole, Role
from ratusha.orgs.importing import MAX_BYTES
from ratusha.orgs.models import Employee, Organisation, Unit, User


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.short_name or obj.name


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Пошук"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Прізвище, логін, посада")}))
    unit = forms.ModelChoiceField(label=_("Підрозділ"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("Усі підрозділи"))
    role = forms.ChoiceField(label=_("Роль"), required=False)
    dismissed = forms.BooleanField(label=_("Показати звільнених"), required=False)

    def __init__(self, *args, organisation: Organisation, can_manage: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation).order_by("code")
        self.fields["unit"].label_from_instance = lambda u: f"{u.code} — {u.name}"
        self.fields["role"].choices = [("", _("Усі ролі")), *Role.choices]
        if not can_manage:
            del self.fields["dismissed"]


class ImportUploadForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("Організація"), queryset=Organisation.objects.none(),
                                           empty_label=None)
    file = forms.FileField(
        label=_("Файл CSV"),
        help_text=_("Колонки: прізвище; ім'я; по батькові; логін; e-mail; телефон; підрозділ (індекс); "
                    "посада; ролі (через кому). Кодування UTF-8 або Windows-1251, роздільник «;» або «,»."))

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Файл завеликий: не більше %(mb)s МБ.") % {"mb": MAX_BYTES // (1024 * 1024)})
        return upload


class DelegationForm(forms.Form):
    principal = forms.ModelChoiceField(label=_("Кого заміщують"), queryset=Employee.objects.none())
    deputy = forms.ModelChoiceField(label=_("Хто виконує обов'язки"), queryset=User.objects.none())
    start = forms.DateField(label=_("З"), widget=forms.DateInput(attrs={"class": "date-input", "placeholder": _("ДД.ММ.РРРР")}))
    end = forms.DateField(label=_("По"), widget=forms.DateInput(attrs={"class": "date-input", "placeholder": _("ДД.ММ.РРРР")}))
    reason = forms.CharField(label=_("Підстава"), required=False, max_length=300,
                             help_text=_("Напр. «Розпорядження від 01.03.2026 № 25-к, відпустка»."))

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        staff = (Employee.objects.filter(organisation=organisation, is_active=True)
                 .select_related("user", "position").order_by("user__last_name", "user__first_name"))
        self.fields["principal"].queryset = staff
        self.fields["principal"].label_from_instance = (
            lambda e: f"{e.user.full_name}{' — ' + e.position.title if e.position else ''}")
        self.fields["deputy"].queryset = (User.objects.filter(
            is_active=True, employments__organisation=organisation, employments__is_active=True)
            .distinct().order_by("last_name", "first_name"))
        self.fields["deputy"].label_from_instance = lambda u: u.full_name


class InstallationRoleGrantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Кому"), queryset=User.objects.none(), empty_label=_("Оберіть людину"))
    role = forms.ChoiceField(label=_("Роль установки"))
    note = forms.CharField(label=_("Підстава"), required=False, max_length=300,
                           help_text=_("Напр. «Розпорядження міського голови від 01.03.2026 № 25»."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name",
                                                                                    "username")
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} ({u.username})"
        self.fields["role"].choices = [("", _("Оберіть роль")), *InstallationRole.choices]
