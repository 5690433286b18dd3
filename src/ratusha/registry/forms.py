"""Forms of the office registry pages. They shape and check input; rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusha.orgs.constants import REGISTERING_ROLES
from ratusha.orgs.models import Employee, Unit, User
from ratusha.orgs.permissions import organisation_ids
from ratusha.registry.constants import (
    AccessMark,
    DeliveryMethod,
    DocumentKind,
    DocumentStatus,
    JournalKind,
    LinkKind,
    Urgency,
)
from ratusha.registry.models import CaseFile, Journal

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATE_ERROR = _("Введіть дату у форматі ДД.ММ.РРРР, наприклад 05.03.2026.")

# The register form per URL kind: which journals and which fields apply.
REGISTER_KINDS: dict[str, dict[str, Any]] = {
    "incoming": {
        "journals": (JournalKind.INCOMING,),
        "title": _("Реєстрація вхідного документа"),
        "label": _("Вхідний"),
        "default_kind": DocumentKind.LETTER,
        "default_delivery": DeliveryMethod.POST,
        "exclude": (),
    },
    "outgoing": {
        "journals": (JournalKind.OUTGOING,),
        "title": _("Реєстрація вихідного документа"),
        "label": _("Вихідний"),
        "default_kind": DocumentKind.LETTER,
        "default_delivery": DeliveryMethod.POST,
        "exclude": ("correspondent_index", "correspondent_date", "received_date", "on_control",
                    "execution_deadline"),
    },
    "internal": {
        "journals": (JournalKind.INTERNAL, JournalKind.ORDERS),
        "title": _("Реєстрація внутрішнього документа"),
        "label": _("Внутрішній"),
        "default_kind": DocumentKind.MEMO,
        "default_delivery": "",
        "exclude": ("correspondent", "correspondent_index", "correspondent_date", "received_date",
                    "delivery_method"),
    },
}


class DateInput(forms.TextInput):
    """ДД.ММ.РРРР as text (what clerks type); app.js adds a calendar button that fills it."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": _("ДД.ММ.РРРР"), "inputmode": "numeric", "autocomplete": "off",
                "class": "date-input", "data-date": "", "maxlength": "10", "size": "10"}
        super().__init__(attrs={**base, **(attrs or {})}, )

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return value.strftime("%d.%m.%Y")
        return super().format_value(value)


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": DATE_ERROR}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dt.date | None:
        result = super().clean(value)
        if result is not None and not (1900 <= result.year <= 2100):
            raise forms.ValidationError(_("Перевірте рік: дата %(date)s виглядає помилковою.")
                                        % {"date": result.strftime("%d.%m.%Y")}, code="invalid")
        return result


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one ``<input type=file multiple>``; the view checks each by content."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, (list, tuple)) else [data]
        return [item for item in items if item]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


def _future_date_error(value: dt.date | None, label: str) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("%(label)s не може бути пізнішою за сьогоднішню.") % {"label": label})


class RegisterForm(forms.Form):
    journal = forms.ModelChoiceField(
        label=_("Журнал реєстрації"), queryset=Journal.objects.none(),
        error_messages={"required": _("Оберіть журнал."),
                        "invalid_choice": _("Оберіть журнал зі списку.")})
    reg_date = DateField(label=_("Дата реєстрації"), required=False,
                         help_text=_("Порожньо — сьогоднішня дата."))
    kind = forms.ChoiceField(label=_("Вид документа"), choices=DocumentKind.choices,
                             error_messages={"required": _("Оберіть вид документа.")})
    summary = forms.CharField(
        label=_("Короткий зміст"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        error_messages={"required": _("Вкажіть короткий зміст документа.")},
        help_text=_("Про що документ — одним-двома реченнями, як у заголовку до тексту."))
    correspondent = forms.CharField(label=_("Кореспондент"), max_length=300, required=False)
    correspondent_index = forms.CharField(label=_("Вихідний індекс кореспондента"), max_length=80,
                                          required=False)
    correspondent_date = DateField(label=_("Дата документа кореспондента"), required=False)
    received_date = DateField(label=_("Дата надходження"), required=False)
    delivery_method = forms.ChoiceField(label=_("Спосіб доставки"), required=False,
                                        choices=[("", "—"), *DeliveryMethod.choices])
    signed_by = forms.CharField(label=_("Підписав"), max_length=200, required=False)
    access = forms.ChoiceField(label=_("Гриф доступу"), choices=AccessMark.choices,
                               initial=AccessMark.INTERNAL)
    unit = forms.ModelChoiceField(label=_("Підрозділ"), queryset=Unit.objects.none(), required=False,
                                  empty_label="—")
    executor = UserChoiceField(label=_("Виконавець"), queryset=User.objects.none(), required=False,
                               empty_label="—")
    urgency = forms.ChoiceField(label=_("Терміновість"), choices=Urgency.choices, initial=Urgency.NORMAL)
    on_control = forms.BooleanField(label=_("Поставити на контроль"), required=False)
    execution_deadline = DateField(label=_("Термін виконання"), required=False)
    case_file = forms.ModelChoiceField(label=_("Справа (номенклатура)"), queryset=CaseFile.objects.none(),
                                       required=False, empty_label=_("За замовчуванням журналу"))
    pages = forms.IntegerField(label=_("Аркушів"), required=False, min_value=0, max_value=100000,
                               error_messages={"invalid": _("Вкажіть ціле число."),
                                               "min_value": _("Кількість аркушів не може бути від'ємною."),
                                               "max_value": _("Перевірте кількість аркушів.")})
    attachments_note = forms.CharField(label=_("Додатки"), max_length=300, required=False,
                                       help_text=_("Наприклад: «на 5 арк. в 1 прим.»"))
    note = forms.CharField(label=_("Примітка"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("Файли документа"))
    link_kind = forms.ChoiceField(label=_("Зв'язок"), choices=LinkKind.choices, required=False,
                                  initial=LinkKind.ANSWER_TO)
    link_query = forms.CharField(label=_("Пов'язаний документ (реєстраційний індекс)"), max_length=80,
                                 required=False, help_text=_("Почніть вводити номер — з'явиться список."))
    link_target = forms.UUIDField(required=False, widget=forms.HiddenInput)
    allow_duplicate = forms.BooleanField(label=_("Все одно зареєструвати (це інший документ)"),
                                         required=False)

    def __init__(self, *args: Any, user: Any, register_kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.register_kind = register_kind
        spec = REGISTER_KINDS[register_kind]
        for name in spec["exclude"]:
            self.fields.pop(name, None)
        from ratusha.registry.selectors import journals_for_user

        journals = journals_for_user(user=user, registering=True).filter(kind__in=spec["journals"])
        self.fields["journal"].queryset = journals
        org_ids = organisation_ids(user, REGISTERING_ROLES)
        self.many_orgs = len(org_ids) > 1
        if self.many_orgs:
            self.fields["journal"].label_from_instance = lambda j: f"{j.name} — {j.organisation}"
        journal_list = list(journals[:2])
        if len(journal_list) == 1:
            self.fields["journal"].initial = journal_list[0].pk
            self.fields["journal"].empty_label = None
        self.fields["unit"].queryset = Unit.objects.filter(organisation_id__in=org_ids, is_active=True) \
            .order_by("organisation__name", "code")
        staff = Employee.objects.filter(organisation_id__in=org_ids, is_active=True,
                                        user__is_active=True).values("user_id")
        self.fields["executor"].queryset = User.objects.filter(pk__in=staff).order_by("last_name", "first_name")
        year = timezone.localdate().year
        self.fields["case_file"].queryset = CaseFile.objects.filter(
            organisation_id__in=org_ids, year__in=(year, year - 1)).order_by("-year", "index")
        self.fields["case_file"].label_from_instance = lambda c: f"{c.index} — {c.title} ({c.year})"
        self.fields["kind"].initial = spec["default_kind"]
        self.fields["files"].help_text = _(
            "PDF, зображення, DOCX, ODT, XLSX або текст; до %(mb)s МБ кожен.") % {"mb": settings.MAX_UPLOAD_MB}
        if "delivery_method" in self.fields:
            self.fields["delivery_method"].initial = spec["default_delivery"]
        if register_kind == "incoming":
            self.fields["correspondent"].label = _("Кореспондент (від кого надійшов)")
            self.fields["correspondent"].required = True
            self.fields["correspondent"].error_messages["required"] = _("Вкажіть, від кого надійшов документ.")
            self.fields["signed_by"].label = _("Хто підписав документ")
            self.fields["received_date"].initial = timezone.localdate()
        elif register_kind == "outgoing":
            self.fields["correspondent"].label = _("Адресат (кому)")
            self.fields["correspondent"].required = True
            self.fields["correspondent"].error_messages["required"] = _("Вкажіть адресата документа.")
            self.fields["unit"].label = _("Підрозділ-виконавець")
            self.fields["executor"].label = _("Виконавець (підготував)")
        else:
            self.fields["executor"].label = _("Виконавець")
            self.fields["unit"].label = _("Підрозділ-автор")

    def clean_summary(self) -> str:
        value = " ".join(self.cleaned_data.get("summary", "").split())
        if len(value) < 3:
            raise forms.ValidationError(_("Короткий зміст занадто короткий."))
        return self.cleaned_data["summary"].strip()

    def clean_reg_date(self) -> dt.date | None:
        value = self.cleaned_data.get("reg_date")
        _future_date_error(value, str(_("Дата реєстрації")))
        return value

    def clean_correspondent_date(self) -> dt.date | None:
        value = self.cleaned_data.get("correspondent_date")
        _future_date_error(value, str(_("Дата документа кореспондента")))
        return value

    def clean_received_date(self) -> dt.date | None:
        value = self.cleaned_data.get("received_date")
        _future_date_error(value, str(_("Дата надходження")))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        received, sent = data.get("received_date"), data.get("correspondent_date")
        if received and sent and received < sent:
            self.add_error("received_date", _("Документ не міг надійти раніше, ніж його складено (%(date)s).")
                           % {"date": sent.strftime("%d.%m.%Y")})
        deadline, reg_date = data.get("execution_deadline"), data.get("reg_date") or timezone.localdate()
        if deadline and deadline < reg_date:
            self.add_error("execution_deadline", _("Термін виконання не може бути раніше дати реєстрації."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """Card fields for ``document_register`` (only those the form has)."""
        data = self.cleaned_data
        names = ["kind", "summary", "reg_date", "correspondent", "correspondent_index", "correspondent_date",
                 "received_date", "signed_by", "unit", "executor", "urgency", "on_control",
                 "execution_deadline", "case_file", "pages", "attachments_note", "access",
                 "delivery_method", "note"]
        return {name: data.get(name) if data.get(name) is not None else self._blank(name)
                for name in names if name in self.fields}

    def _blank(self, name: str) -> Any:
        field = self.fields[name]
        if isinstance(field, (forms.CharField, forms.ChoiceField)) and not isinstance(
                field, forms.ModelChoiceField):
            return ""
        return None


class JournalFilterForm(forms.Form):
    date_from = DateField(label=_("Дата з"), required=False)
    date_to = DateField(label=_("Дата по"), required=False)
    correspondent = forms.CharField(label=_("Кореспондент"), required=False, max_length=300)
    kind = forms.ChoiceField(label=_("Вид документа"), required=False,
                             choices=[("", _("Усі види")), *DocumentKind.choices])
    status = forms.ChoiceField(label=_("Стан"), required=False,
                               choices=[("", _("Усі стани")), *DocumentStatus.choices])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Кінцева дата раніша за початкову."))
        return data


class FileAddForm(forms.Form):
    file = forms.FileField(label=_("Файл"), error_messages={"required": _("Оберіть файл.")})
    comment = forms.CharField(label=_("Коментар"), required=False, max_length=300)


class LinkAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид зв'язку"), choices=LinkKind.choices, initial=LinkKind.ANSWER_TO)
    link_query = forms.CharField(label=_("Реєстраційний індекс документа"), max_length=80, required=False,
                                 help_text=_("Почніть вводити номер — з'явиться список."))
    link_target = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("link_target") and not (data.get("link_query") or "").strip():
            self.add_error("link_query", _("Вкажіть реєстраційний індекс документа."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Причина скасування"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Вкажіть причину скасування реєстрації.")})
