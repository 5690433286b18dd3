"""Forms of the personal reception: the citizen's booking (public) and the staff forms (schedule, the oral
appeal registered from a booking). They shape input only; rules are in ``reception.services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ratusha.appeals.constants import APPLICANT_CATEGORIES, AppealType, Sex, SocialStatus
from ratusha.appeals.public_forms import PublicFormMixin, started_token
from ratusha.appeals.reception.constants import WEEKDAYS, WEEKS_OF_MONTH
from ratusha.appeals.reception.selectors import DaySlots
from ratusha.appeals.services._common import priority_categories
from ratusha.orgs.models import Organisation, User

SLOT_FORMAT = "%Y-%m-%dT%H:%M"
DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


def slot_value(day: dt.date, time: dt.time) -> str:
    return dt.datetime.combine(day, time).strftime(SLOT_FORMAT)


def parse_slot(value: str) -> tuple[dt.date, dt.time] | None:
    try:
        moment = dt.datetime.strptime(str(value or ""), SLOT_FORMAT)
    except ValueError:
        return None
    return moment.date(), moment.time()


def day_heading(day: dt.date) -> str:
    """«четвер, 26.11.2026»."""
    return f"{formats.date_format(day, 'l').lower()}, {day.strftime('%d.%m.%Y')}"


def _text(label: Any, *, required: bool = True, max_length: int = 150, autocomplete: str = "",
          message: Any = None) -> forms.CharField:
    attrs = {"autocomplete": autocomplete} if autocomplete else {}
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.TextInput(attrs=attrs),
                           error_messages={"required": message} if message else {})


class BookingForm(PublicFormMixin):
    slot = forms.ChoiceField(label=_("Дата і час прийому"),
                             error_messages={"required": _("Оберіть дату і час прийому."),
                                             "invalid_choice": _("Цей час уже недоступний — оберіть інший.")})
    last_name = _text(_("Прізвище"), autocomplete="family-name", message=_("Вкажіть прізвище."))
    first_name = _text(_("Ім'я"), autocomplete="given-name", message=_("Вкажіть ім'я."))
    middle_name = _text(_("По батькові"), required=False, autocomplete="additional-name")
    address = _text(_("Місце проживання"), max_length=500, autocomplete="street-address",
                    message=_("Вкажіть місце проживання."))
    email = forms.EmailField(
        label=_("Електронна пошта"), max_length=254, help_text=_("Сюди надійде підтвердження запису."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("Вкажіть електронну пошту: на неї надійде підтвердження запису."),
                        "invalid": _("Перевірте адресу електронної пошти: вона має бути у вигляді "
                                     "name@example.com.")})
    phone = forms.RegexField(
        label=_("Телефон"), required=False, max_length=40, regex=r"^\+?[\d\s\-()]{7,25}$",
        help_text=_("Необов'язково: щоб вас могли попередити про зміни."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        error_messages={"invalid": _("Перевірте номер телефону: лише цифри, пробіли, дужки, дефіси і «+».")})
    topic = forms.CharField(
        label=_("З яким питанням ви звертаєтеся"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Кілька речень: це допоможе посадовій особі підготуватися до прийому."),
        error_messages={"required": _("Коротко опишіть питання, з яким ви йдете на прийом.")})
    category = forms.ChoiceField(
        label=_("Пільгова категорія"), required=False,
        choices=[("", _("Не належу до пільгових категорій")), *APPLICANT_CATEGORIES],
        help_text=_("Особи пільгових категорій приймаються першочергово (ст. 22 Закону)."),
        error_messages={"invalid_choice": _("Оберіть категорію зі списку.")})
    consent = forms.BooleanField(
        label=_("Я ознайомився(-лася) з повідомленням про обробку персональних даних"),
        error_messages={"required": _("Підтвердьте, що ви ознайомилися з повідомленням про обробку "
                                      "персональних даних.")})

    def __init__(self, *args: Any, days: list[DaySlots], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the option repeats the day: a closed select shows only the chosen option
        groups = [(day_heading(d.date), [(slot_value(d.date, t), f"{t:%H:%M} — {day_heading(d.date)}") for t in d.free])
                  for d in days if d.free]
        self.fields["slot"].choices = [("", _("— оберіть час —")), *groups]
        self.fields["topic"].widget.attrs["minlength"] = "10"
        if not self.is_bound:
            self.initial.setdefault("started", started_token())

    def clean_slot(self) -> tuple[dt.date, dt.time]:
        parsed = parse_slot(self.cleaned_data.get("slot", ""))
        if parsed is None:
            raise forms.ValidationError(_("Оберіть дату і час прийому."), code="invalid")
        return parsed

    def clean_topic(self) -> str:
        topic = (self.cleaned_data.get("topic") or "").strip()
        if len(topic) < 10:
            raise forms.ValidationError(_("Коротко опишіть питання, з яким ви йдете на прийом."), code="too_short")
        return topic

    def is_priority(self) -> bool:
        return self["category"].value() in priority_categories()


# --- staff ---------------------------------------------------------------------------------------


class DatesField(forms.CharField):
    """Dates typed as «05.06.2026, 12.06.2026» (or ISO), one list."""

    def clean(self, value: Any) -> list[dt.date]:
        text = super().clean(value) or ""
        out = []
        for part in [p.strip() for p in text.replace(";", ",").replace("\n", ",").split(",") if p.strip()]:
            for fmt in DATE_FORMATS:
                try:
                    out.append(dt.datetime.strptime(part, fmt).date())
                    break
                except ValueError:
                    continue
            else:
                raise forms.ValidationError(_("Перевірте дату «%(value)s»: формат ДД.ММ.РРРР.") % {"value": part},
                                            code="invalid")
        return sorted(set(out))


class ScheduleForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Орган"), queryset=Organisation.objects.none(), empty_label=None)
    official = forms.ModelChoiceField(label=_("Посадова особа"), queryset=User.objects.none(),
                                      error_messages={"required": _("Оберіть посадову особу.")})
    position = forms.CharField(label=_("Посада"), max_length=300, required=False,
                               help_text=_("Порожньо — посада з картки працівника."))
    weekdays = forms.TypedMultipleChoiceField(label=_("Дні тижня"), choices=WEEKDAYS, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    weeks_of_month = forms.TypedMultipleChoiceField(
        label=_("Лише в такі тижні місяця"), choices=WEEKS_OF_MONTH, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Нічого не позначено — щотижня."))
    dates = DatesField(label=_("Окремі дати"), required=False,
                       help_text=_("Через кому, ДД.ММ.РРРР — додаткові дні прийому (виїзні прийоми тощо)."))
    start_time = forms.TimeField(label=_("Початок"), help_text=_("ГГ:ХХ"), widget=forms.TimeInput(
                                     format="%H:%M", attrs={"inputmode": "numeric", "class": "time-input"}),
                                 error_messages={"required": _("Вкажіть час початку."),
                                                 "invalid": _("Час у форматі ГГ:ХХ.")})
    end_time = forms.TimeField(label=_("Кінець"), help_text=_("ГГ:ХХ"), widget=forms.TimeInput(
                                   format="%H:%M", attrs={"inputmode": "numeric", "class": "time-input"}),
                               error_messages={"required": _("Вкажіть час закінчення."),
                                               "invalid": _("Час у форматі ГГ:ХХ.")})
    slot_minutes = forms.IntegerField(label=_("Тривалість запису, хв"), min_value=5, max_value=240, initial=15)
    place = forms.CharField(label=_("Місце прийому"), max_length=300,
                            error_messages={"required": _("Вкажіть місце прийому (адреса, кабінет).")})
    note = forms.CharField(label=_("Примітка для відвідувачів"), max_length=500, required=False)
    valid_from = forms.DateField(label=_("Діє з"), required=False, input_formats=DATE_FORMATS,
                                 widget=forms.DateInput(format="%d.%m.%Y", attrs={"class": "date-input"}))
    valid_to = forms.DateField(label=_("Діє до"), required=False, input_formats=DATE_FORMATS,
                               widget=forms.DateInput(format="%d.%m.%Y", attrs={"class": "date-input"}))
    is_published = forms.BooleanField(label=_("Оприлюднити на сайті (громадяни зможуть записуватися)"),
                                      required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label_from_instance = lambda org: org.name
        self.fields["official"].queryset = (User.objects.filter(employments__organisation__in=organisations,
                                                                employments__is_active=True, is_active=True)
                                            .distinct().order_by("last_name", "first_name"))
        self.fields["official"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class RegisterAppealForm(forms.Form):
    """The oral appeal made at the reception, prefilled from the booking; the officer writes its substance."""

    last_name = _text(_("Прізвище"), message=_("Вкажіть прізвище."))
    first_name = _text(_("Ім'я"), message=_("Вкажіть ім'я."))
    middle_name = _text(_("По батькові"), required=False)
    settlement = _text(_("Населений пункт"), required=False, max_length=200)
    address = _text(_("Місце проживання"), max_length=500, message=_("Вкажіть місце проживання."))
    email = forms.EmailField(label=_("Електронна пошта"), required=False,
                             error_messages={"invalid": _("Перевірте адресу електронної пошти.")})
    phone = forms.CharField(label=_("Телефон"), required=False, max_length=40)
    appeal_type = forms.ChoiceField(label=_("Вид звернення"), choices=AppealType.choices)
    text = forms.CharField(label=_("Зміст усного звернення"), widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": _("Запишіть зміст звернення.")})
    categories = forms.MultipleChoiceField(label=_("Пільгова категорія"), required=False,
                                           choices=APPLICANT_CATEGORIES, widget=forms.CheckboxSelectMultiple)
    social_status = forms.ChoiceField(label=_("Соціальний стан"), required=False,
                                      choices=[("", "—"), *SocialStatus.choices])
    sex = forms.ChoiceField(label=_("Стать"), required=False,
                            choices=[("", _("Не зазначено")), (Sex.FEMALE.value, Sex.FEMALE.label),
                                     (Sex.MALE.value, Sex.MALE.label)])
    no_extra_study = forms.BooleanField(label=_("Не потребує додаткового вивчення (строк — до 15 днів)"),
                                        required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def service_kwargs(self) -> dict[str, Any]:
        cd = self.cleaned_data
        keys = ("last_name", "first_name", "middle_name", "settlement", "address", "email", "phone", "appeal_type",
                "text", "categories", "social_status", "sex", "no_extra_study")
        return {key: cd[key] for key in keys}
