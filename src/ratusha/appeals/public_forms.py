"""Forms of the public site: the e-appeal (Law 393/96-ВР art. 5), its co-signers, the tracking code.

The forms only shape the input; the rules are in ``appeals.services.intake``. ``PublicFormMixin`` adds
the anti-abuse fields every public form carries (the reception booking form uses it too): a honeypot
input hidden from people (off-screen, ``aria-hidden``, out of the tab order) and a signed timestamp
of when the form was shown (a form sent faster than a person can fill it is asked again).
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ratusha.appeals.constants import APPLICANT_CATEGORIES, AppealType, Sex, SocialStatus
from ratusha.appeals.services._common import priority_categories
from ratusha.appeals.services.intake import public_organisations, setting
from ratusha.registry.forms import MultipleFileField

STARTED_SALT = "ratusha.public-form.started"
STARTED_MAX_AGE = 60 * 60 * 24  # a form may stay open for a day
HONEYPOT = "homepage"

# Law 393/96-ВР art. 3: what each type of appeal is, in one line for the citizen.
APPEAL_TYPE_HINTS = {
    AppealType.PROPOSAL: _("Порада чи рекомендація щодо діяльності органу влади, поліпшення його роботи, "
                           "розв'язання питань життя громади."),
    AppealType.APPLICATION: _("Прохання посприяти у реалізації ваших прав та інтересів або повідомлення "
                              "про порушення закону чи недоліки в роботі."),
    AppealType.COMPLAINT: _("Вимога поновити ваші права і захистити інтереси, порушені рішеннями, діями "
                            "або бездіяльністю органу чи посадової особи."),
}


def started_token() -> str:
    return signing.dumps(int(time.time()), salt=STARTED_SALT)


def started_age(token: str) -> float | None:
    """Seconds since the form was shown, or None for a missing, forged or expired token."""
    try:
        started = signing.loads(str(token or ""), salt=STARTED_SALT, max_age=STARTED_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(started, int):
        return None
    return time.time() - started


class PublicFormMixin(forms.Form):
    """Honeypot + fill time. ``anti_abuse()`` → "" (fine), "bot" (honeypot filled) or "fast"."""

    homepage = forms.CharField(label=_("Не заповнюйте це поле"), required=False, max_length=200,
                               widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def anti_abuse(self) -> str:
        if (self.data.get(self.add_prefix(HONEYPOT)) or "").strip():
            return "bot"
        age = started_age(self.data.get(self.add_prefix("started"), ""))
        if age is None or age < float(setting("FORM_MIN_SECONDS")):
            return "fast"
        return ""

    def honeypot_fields(self) -> list[Any]:
        return [self[HONEYPOT]]


def with_fresh_start(data: Any, prefix: str = "") -> Any:
    """A copy of posted data with a new form timestamp and an empty honeypot (for a re-rendered form)."""
    data = data.copy()
    data[f"{prefix}started"] = started_token()
    data[f"{prefix}{HONEYPOT}"] = ""
    return data


def _text(label: Any, *, required: bool = True, max_length: int = 150, autocomplete: str = "",
          message: Any = None, **attrs: Any) -> forms.CharField:
    widget_attrs = {"autocomplete": autocomplete} if autocomplete else {}
    widget_attrs.update(attrs)
    errors = {"required": message} if message else {}
    errors["max_length"] = _("Не більше %(limit_value)d символів (зараз %(show_value)d).")
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.TextInput(attrs=widget_attrs), error_messages=errors)


class AppealForm(PublicFormMixin):
    organisation = forms.ModelChoiceField(
        label=_("Орган, до якого ви звертаєтеся"), queryset=public_organisations(), empty_label=None,
        error_messages={"required": _("Оберіть орган, до якого звертаєтеся."),
                        "invalid_choice": _("Оберіть орган зі списку.")})
    last_name = _text(_("Прізвище"), autocomplete="family-name", message=_("Вкажіть прізвище."))
    first_name = _text(_("Ім'я"), autocomplete="given-name", message=_("Вкажіть ім'я."))
    middle_name = _text(_("По батькові"), required=False, autocomplete="additional-name")
    settlement = _text(_("Населений пункт"), max_length=200, autocomplete="address-level2",
                       message=_("Вкажіть населений пункт."))
    address = _text(_("Вулиця, будинок, квартира"), max_length=290, autocomplete="street-address",
                    message=_("Вкажіть адресу місця проживання (вулиця, будинок, квартира)."))
    email = forms.EmailField(
        label=_("Електронна пошта"), max_length=254,
        help_text=_("Сюди надійде код відстеження і відповідь."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("Вкажіть адресу електронної пошти: на неї надійде відповідь."),
                        "invalid": _("Перевірте адресу електронної пошти: вона має бути у вигляді "
                                     "name@example.com.")})
    phone = forms.RegexField(
        label=_("Телефон"), required=False, max_length=40, regex=r"^\+?[\d\s\-()]{7,25}$",
        help_text=_("Необов'язково. Наприклад, +380 50 123 45 67."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        error_messages={"invalid": _("Перевірте номер телефону: лише цифри, пробіли, дужки, дефіси і «+».")})
    appeal_type = forms.ChoiceField(
        label=_("Вид звернення"), choices=AppealType.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Оберіть вид звернення."), "invalid_choice": _("Оберіть вид звернення.")})
    text = forms.CharField(
        label=_("Суть звернення"), max_length=20000,
        help_text=_("Опишіть питання, яке потрібно вирішити, і чого ви просите. Вкажіть адреси, дати, номери "
                    "документів, якщо вони стосуються справи."),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Опишіть суть звернення."),
                        "max_length": _("Текст задовгий: не більше %(limit_value)d символів. Решту можна "
                                        "додати файлом.")})
    files = MultipleFileField(label=_("Додатки"))
    categories = forms.MultipleChoiceField(
        label=_("Пільгова категорія"), required=False, choices=APPLICANT_CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Оберіть категорію зі списку.")})
    social_status = forms.ChoiceField(
        label=_("Соціальний стан"), required=False, choices=[("", _("Не зазначати")), *SocialStatus.choices],
        error_messages={"invalid_choice": _("Оберіть значення зі списку.")})
    sex = forms.ChoiceField(
        label=_("Стать"), required=False, widget=forms.RadioSelect,
        choices=[(Sex.FEMALE.value, Sex.FEMALE.label), (Sex.MALE.value, Sex.MALE.label),
                 ("", _("Не зазначати"))],
        error_messages={"invalid_choice": _("Оберіть значення зі списку.")})
    is_collective = forms.BooleanField(
        label=_("Колективне звернення — його підписали кілька осіб"), required=False)
    consent = forms.BooleanField(
        label=_("Я ознайомився(-лася) з повідомленням про обробку персональних даних"),
        error_messages={"required": _("Підтвердьте, що ви ознайомилися з повідомленням про обробку "
                                      "персональних даних.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = public_organisations()
        self.fields["organisation"].label_from_instance = lambda org: org.name
        self.fields["text"].widget.attrs["minlength"] = str(setting("TEXT_MIN_LENGTH"))
        if not self.is_bound:
            from ratusha.appeals.services.intake import default_organisation

            default = default_organisation()
            if default is not None:
                self.initial.setdefault("organisation", default.pk)
            self.initial.setdefault("appeal_type", AppealType.APPLICATION)
            self.initial.setdefault("started", started_token())

    def clean_text(self) -> str:
        text = (self.cleaned_data.get("text") or "").strip()
        minimum = int(setting("TEXT_MIN_LENGTH"))
        if len(text) < minimum:
            raise forms.ValidationError(
                _("Опишіть суть звернення докладніше: щонайменше %(n)d символів (зараз %(count)d).")
                % {"n": minimum, "count": len(text)}, code="too_short")
        return text

    def appeal_type_options(self) -> list[dict[str, Any]]:
        """The radio buttons with their one-line explanations (rendered by the template)."""
        return [{"widget": radio, "hint": APPEAL_TYPE_HINTS.get(radio.data["value"], "")}
                for radio in self["appeal_type"]]

    def category_options(self) -> list[dict[str, Any]]:
        return [{"widget": box, "priority": box.data["value"] in priority_categories()} for box in self["categories"]]

    def categories_open(self) -> bool:
        return bool(self["categories"].value()) or bool(self["categories"].errors)


class CosignerForm(forms.Form):
    full_name = forms.CharField(label=_("Прізвище, ім'я, по батькові"), required=False, max_length=300,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    address = forms.CharField(label=_("Місце проживання"), required=False, max_length=500,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("address") or "").strip() and not (data.get("full_name") or "").strip():
            self.add_error("full_name", _("Вкажіть прізвище, ім'я та по батькові підписанта."))
        return data


CosignerFormSet = forms.formset_factory(CosignerForm, extra=1, max_num=100, absolute_max=200)


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Код відстеження"), max_length=40,
        help_text=_("16 знаків з листа-підтвердження, наприклад ABCD-EFGH-JKMN-PQRS. Регістр і дефіси не "
                    "мають значення."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters",
                                      "class": "input-track"}),
        error_messages={"required": _("Введіть код відстеження.")})
