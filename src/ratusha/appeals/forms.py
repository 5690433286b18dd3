"""Forms of the office appeals pages. They shape and check input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusha.appeals import permissions as perms
from ratusha.appeals.constants import (
    APPLICANT_CATEGORIES,
    AppealSign,
    AppealStatus,
    AppealSubject,
    AppealType,
    Medium,
    NotConsideredGround,
    Outcome,
    ReceiptForm,
    Sex,
    SocialStatus,
)
from ratusha.appeals.models import ClassifierTopic
from ratusha.orgs.models import Organisation, User
from ratusha.registry.forms import DateField, MultipleFileField, UserChoiceField

BLANK = [("", "—")]

# The register form per URL kind: which forms of receipt and media it offers (Classifier 858).
REGISTER_KINDS: dict[str, dict[str, Any]] = {
    "written": {
        "title": _("Реєстрація письмового звернення"),
        "label": _("Письмове"),
        "forms": (ReceiptForm.POST, ReceiptForm.RECEPTION, ReceiptForm.REPRESENTATIVE, ReceiptForm.AUTHORITIES,
                  ReceiptForm.OTHER_BODIES, ReceiptForm.MEDIA, ReceiptForm.ELECTRONIC),
        "media": (Medium.LETTER, Medium.TELEGRAM, Medium.ELECTRONIC),
    },
    "oral": {
        "title": _("Реєстрація усного звернення на особистому прийомі"),
        "label": _("Усне (особистий прийом)"),
        "forms": (ReceiptForm.RECEPTION,),
        "media": (Medium.ORAL,),
    },
    "hotline": {
        "title": _("Реєстрація звернення телефоном / на «гарячу лінію»"),
        "label": _("Телефоном / «гаряча лінія»"),
        "forms": (ReceiptForm.HOTLINE,),
        "media": (Medium.ORAL,),
    },
}


def _choices(enum: Any, values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v.value, v.label) for v in enum if v.value in values]


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ClassifierTopic) -> str:
        indent = "— " * max(0, obj.level - 1)
        return f"{indent}{obj.code} {obj.title}"


def _topic_field(required: bool = False) -> TopicChoiceField:
    from ratusha.appeals.selectors import active_topics

    return TopicChoiceField(label=_("Тематика / питання (класифікатор)"), queryset=active_topics(),
                            required=required, empty_label="—",
                            error_messages={"invalid_choice": _("Оберіть питання з чинної версії класифікатора.")})


class CategoriesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Категорія заявника"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("choices", [(code, f"{code} {label}") for code, label in APPLICANT_CATEGORIES])
        kwargs.setdefault("error_messages", {"invalid_choice": _("Оберіть категорію зі списку.")})
        super().__init__(**kwargs)


class VersionForm(forms.Form):
    """Every action form carries the appeal's ``version`` it was opened with (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RegisterForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Орган, до якого надійшло звернення"),
                                          queryset=Organisation.objects.none(),
                                          error_messages={"required": _("Оберіть орган."),
                                                          "invalid_choice": _("Оберіть орган зі списку.")})
    received_date = DateField(label=_("Дата надходження"), required=False,
                              help_text=_("Порожньо — сьогоднішня дата. Від неї рахується строк розгляду."))
    receipt_form = forms.ChoiceField(label=_("Форма надходження"),
                                     error_messages={"required": _("Оберіть форму надходження.")})
    medium = forms.ChoiceField(label=_("Тип за носієм"), error_messages={"required": _("Оберіть тип звернення.")})
    appeal_type = forms.ChoiceField(label=_("Вид звернення"), choices=AppealType.choices,
                                    initial=AppealType.APPLICATION)
    last_name = forms.CharField(label=_("Прізвище"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Ім'я"), max_length=150, required=False)
    middle_name = forms.CharField(label=_("По батькові"), max_length=150, required=False)
    address = forms.CharField(label=_("Місце проживання (адреса)"), max_length=500, required=False)
    settlement = forms.CharField(label=_("Населений пункт"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail для відповіді"), required=False,
                             error_messages={"invalid": _("Перевірте адресу електронної пошти.")})
    phone = forms.CharField(label=_("Телефон"), max_length=40, required=False)
    sex = forms.ChoiceField(label=_("Стать"), choices=Sex.choices, required=False)
    social_status = forms.ChoiceField(label=_("Соціальний стан"), choices=BLANK + list(SocialStatus.choices),
                                      required=False)
    categories = CategoriesField()
    text = forms.CharField(label=_("Зміст звернення"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000,
                           error_messages={"required": _("Вкажіть зміст звернення (суть порушеного питання).")})
    topic = forms.ModelChoiceField(queryset=ClassifierTopic.objects.none(), required=False)
    is_signed = forms.BooleanField(label=_("Звернення підписане заявником"), required=False, initial=True,
                                   help_text=_("Письмове звернення без підпису отримує позначку «БП»."))
    no_extra_study = forms.BooleanField(
        label=_("Не потребує додаткового вивчення — строк до 15 днів"), required=False,
        help_text=_("Інакше строк розгляду — 1 місяць від дня надходження (ст. 20)."))
    files = MultipleFileField(label=_("Файли звернення (скан, додатки)"))

    def __init__(self, *args: Any, user: Any, register_kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register_kind = register_kind
        spec = REGISTER_KINDS[register_kind]
        orgs = Organisation.objects.filter(pk__in=perms.registering_organisation_ids(user)).order_by("name")
        self.fields["organisation"].queryset = orgs
        org_list = list(orgs[:2])
        if len(org_list) == 1:
            self.fields["organisation"].initial = org_list[0].pk
            self.fields["organisation"].empty_label = None
        self.single_org = len(org_list) == 1
        self.fields["receipt_form"].choices = _choices(ReceiptForm, spec["forms"])
        self.fields["medium"].choices = _choices(Medium, spec["media"])
        self.fields["receipt_form"].initial = spec["forms"][0]
        self.fields["medium"].initial = spec["media"][0]
        self.fields["topic"] = _topic_field()
        self.fields["received_date"].initial = timezone.localdate()
        self.fields["files"].help_text = _("PDF, зображення, DOCX, ODT, XLSX або текст; до %(mb)s МБ кожен.") % {
            "mb": settings.MAX_UPLOAD_MB}
        if register_kind != "written":
            self.fields.pop("is_signed")
        if register_kind == "hotline":
            self.fields["received_date"].help_text = _("День дзвінка. Від нього рахується строк розгляду.")

    def clean_received_date(self) -> Any:
        value = self.cleaned_data.get("received_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Дата надходження не може бути пізнішою за сьогоднішню."))
        return value

    def clean_text(self) -> str:
        value = (self.cleaned_data.get("text") or "").strip()
        if len(" ".join(value.split())) < 5:
            raise forms.ValidationError(_("Зміст звернення занадто короткий."))
        return value

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ["organisation", "received_date", "receipt_form", "medium", "appeal_type", "last_name", "first_name",
                 "middle_name", "address", "settlement", "email", "phone", "sex", "social_status", "categories",
                 "text", "topic", "no_extra_study"]
        out = {name: data.get(name) for name in names}
        out["categories"] = list(data.get("categories") or [])
        out["is_signed"] = bool(data.get("is_signed", True)) if "is_signed" in self.fields else True
        for name in ("last_name", "first_name", "middle_name", "address", "settlement", "email", "phone", "sex",
                     "social_status"):
            out[name] = out[name] or ""
        return out


class CosignerForm(forms.Form):
    full_name = forms.CharField(label=_("Прізвище, ім'я, по батькові"), max_length=300, required=False)
    address = forms.CharField(label=_("Місце проживання"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("address") and not data.get("full_name"):
            self.add_error("full_name", _("Вкажіть прізвище, ім'я та по батькові співпідписанта."))
        return data


CosignerFormSet = forms.formset_factory(CosignerForm, extra=2, max_num=500, validate_max=True)
COSIGNER_ROWS_STEP = 3


class RegisterSubmittedForm(VersionForm):
    no_extra_study = forms.BooleanField(label=_("Не потребує додаткового вивчення — строк до 15 днів"),
                                        required=False)


class CodingForm(VersionForm):
    receipt_form = forms.ChoiceField(label=_("Форма надходження"), choices=ReceiptForm.choices)
    medium = forms.ChoiceField(label=_("Тип за носієм"), choices=Medium.choices)
    appeal_type = forms.ChoiceField(label=_("Вид звернення"), choices=AppealType.choices)
    subject = forms.ChoiceField(label=_("Суб'єкт звернення"), choices=AppealSubject.choices)
    sex = forms.ChoiceField(label=_("Стать заявника"), choices=Sex.choices, required=False)
    social_status = forms.ChoiceField(label=_("Соціальний стан"), choices=BLANK + list(SocialStatus.choices),
                                      required=False)
    settlement = forms.CharField(label=_("Населений пункт"), max_length=200, required=False)
    categories = CategoriesField()
    topic = forms.ModelChoiceField(queryset=ClassifierTopic.objects.none(), required=False)

    def __init__(self, *args: Any, appeal: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = _topic_field()
        if appeal is not None and appeal.topic_id:  # an old version's topic stays selectable for this appeal
            field.queryset = field.queryset | ClassifierTopic.objects.filter(pk=appeal.topic_id)
        self.fields["topic"] = field


class SignForm(VersionForm):
    sign = forms.ChoiceField(label=_("Ознака надходження"), choices=AppealSign.choices,
                             error_messages={"required": _("Оберіть ознаку.")})


class TermForm(VersionForm):
    no_extra_study = forms.BooleanField(label=_("Не потребує додаткового вивчення — строк до 15 днів"),
                                        required=False)


class ReturnForm(VersionForm):
    explanation = forms.CharField(
        label=_("Пояснення заявникові"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        help_text=_("Яких відомостей, що вимагає ст. 5, бракує: прізвище, ім'я, по батькові, місце проживання, "
                    "суть питання, підпис і дата."),
        error_messages={"required": _("Поясніть заявникові, чому звернення повертається.")})


class ForwardForm(VersionForm):
    to_body = forms.CharField(label=_("Кому надіслано (орган)"), max_length=300,
                              error_messages={"required": _("Вкажіть орган, до якого надсилається звернення.")})
    reason = forms.CharField(label=_("Чому питання не належить до повноважень"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Вкажіть причину пересилання.")})


class NotConsideredForm(VersionForm):
    ground = forms.ChoiceField(label=_("Підстава (ст. 8)"), choices=BLANK + list(NotConsideredGround.choices),
                               error_messages={"required": _("Оберіть підставу.")})
    note = forms.CharField(label=_("Рішення та обставини"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Опишіть рішення та його обставини.")})


class ExtendForm(VersionForm):
    new_deadline = DateField(label=_("Новий термін розгляду"),
                             error_messages={"required": _("Вкажіть новий термін розгляду.")})
    reason = forms.CharField(label=_("Підстава продовження"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Вкажіть, чому звернення не можна розглянути в місячний "
                                                           "строк.")})


CLOSE_OUTCOMES = (Outcome.SATISFIED, Outcome.EXPLAINED, Outcome.REFUSED, Outcome.PARTLY, Outcome.OTHER)


class CloseForm(VersionForm):
    outcome = forms.ChoiceField(label=_("Результат розгляду"), required=False,
                                choices=BLANK + [(o.value, o.label) for o in CLOSE_OUTCOMES])
    note = forms.CharField(label=_("Примітка"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RouteForm(VersionForm):
    """«Направити виконавцям»: a resolution on the appeal's card with the appeal's own deadline."""

    text = forms.CharField(label=_("Текст резолюції"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                           initial=_("Розглянути звернення та підготувати відповідь заявникові."),
                           error_messages={"required": _("Вкажіть текст резолюції.")})
    responsible = forms.ChoiceField(label=_("Відповідальний виконавець"),
                                    error_messages={"required": _("Оберіть відповідального виконавця."),
                                                    "invalid_choice": _("Оберіть виконавця зі списку.")})
    co_executors = forms.MultipleChoiceField(
        label=_("Співвиконавці"), required=False, widget=forms.SelectMultiple(attrs={"size": 5}),
        error_messages={"invalid_choice": _("Оберіть співвиконавців зі списку.")},
        help_text=_("Кілька — з клавішею Ctrl (на Mac — Cmd). Виконавці отримають доступ до звернення."))
    on_control = forms.BooleanField(label=_("Поставити на контроль"), required=False, initial=True)
    controller = forms.ChoiceField(label=_("Контролер"), required=False,
                                   error_messages={"invalid_choice": _("Оберіть контролера зі списку.")},
                                   help_text=_("Порожньо — знімає з контролю автор резолюції."))

    def __init__(self, *args: Any, appeal: Any, **kwargs: Any) -> None:
        from ratusha.orgs.models import Employee
        from ratusha.workflow.forms import executor_choices

        super().__init__(*args, **kwargs)
        self.appeal = appeal
        choices = executor_choices(appeal.organisation_id)
        self.fields["responsible"].choices = [("", _("— оберіть —")), *choices]
        self.fields["co_executors"].choices = choices
        people = (Employee.objects.filter(organisation_id=appeal.organisation_id, is_active=True,
                                          user__is_active=True)
                  .select_related("user").order_by("user__last_name", "user__first_name"))
        self.fields["controller"].choices = [("", _("— не призначено —"))] + [
            (str(e.user_id), e.user.short_name) for e in people if set(e.roles) & {"controller", "head"}]

    def clean(self) -> dict[str, Any]:
        from ratusha.workflow.forms import parse_executor

        data = super().clean()
        org = self.appeal.organisation_id
        if data.get("responsible"):
            data["responsible_obj"] = parse_executor(data["responsible"], org)
            if data["responsible_obj"] is None:
                self.add_error("responsible", _("Оберіть виконавця зі списку."))
        data["co_executor_objs"] = [o for o in (parse_executor(v, org) for v in data.get("co_executors", []))
                                    if o is not None]
        controller = data.get("controller")
        data["controller_obj"] = User.objects.filter(pk=controller).first() if controller else None
        return data


class AnswerForm(VersionForm):
    """«Надіслати відповідь»: the registered answer card linked to the appeal, the outcome, the channel."""

    answer_document = forms.ModelChoiceField(
        label=_("Відповідь (зареєстрований лист)"), queryset=None, empty_label=_("— оберіть —"),
        error_messages={"required": _("Оберіть зареєстровану відповідь."),
                        "invalid_choice": _("Оберіть відповідь зі списку.")})
    outcome = forms.ChoiceField(label=_("Результат розгляду"), choices=BLANK + [(o.value, o.label) for o in
                                                                             (Outcome.SATISFIED, Outcome.EXPLAINED,
                                                                              Outcome.REFUSED, Outcome.PARTLY,
                                                                              Outcome.OTHER)],
                                error_messages={"required": _("Оберіть результат розгляду.")})
    channel = forms.ChoiceField(label=_("Як надіслати"), widget=forms.RadioSelect,
                                error_messages={"required": _("Оберіть спосіб надсилання відповіді.")})
    note = forms.CharField(label=_("Примітка"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, candidates: Any, has_email: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["answer_document"]
        field.queryset = candidates
        field.label_from_instance = lambda d: _("№ %(index)s від %(date)s — %(summary)s") % {
            "index": d.reg_index, "date": d.reg_date.strftime("%d.%m.%Y"), "summary": d.summary[:80]}
        channels = [("email", _("Електронною поштою (лист-відповідь у PDF додається)"))] if has_email else []
        channels.append(("post", _("Позначити для надсилання поштою")))
        self.fields["channel"].choices = channels
        if has_email:
            self.fields["channel"].initial = "email"
        else:
            self.fields["channel"].initial = "post"
            self.fields["channel"].help_text = _("Заявник не зазначив e-mail.")


class FilterForm(forms.Form):
    text = forms.CharField(label=_("Пошук у змісті, за номером або кодом"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Стан"), required=False, choices=[("", _("Усі стани")), *AppealStatus.choices])
    receipt_form = forms.ChoiceField(label=_("Форма надходження"), required=False,
                                     choices=[("", _("Усі форми")), *ReceiptForm.choices])
    appeal_type = forms.ChoiceField(label=_("Вид"), required=False, choices=[("", _("Усі види")), *AppealType.choices])
    sign = forms.ChoiceField(label=_("Ознака"), required=False, choices=[("", _("Усі ознаки")), *AppealSign.choices])
    topic = forms.ModelChoiceField(queryset=ClassifierTopic.objects.none(), required=False)
    officer = UserChoiceField(label=_("Зареєстрував"), queryset=User.objects.none(), required=False,
                              empty_label=_("Усі працівники"))
    due_within = forms.IntegerField(label=_("Строк спливає за (робочих днів)"), required=False, min_value=0,
                                    max_value=60, error_messages={"invalid": _("Вкажіть ціле число."),
                                                                  "min_value": _("Не менше 0."),
                                                                  "max_value": _("Не більше 60.")})
    overdue = forms.BooleanField(label=_("Лише прострочені"), required=False)
    priority = forms.BooleanField(label=_("Лише пріоритетні"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ratusha.appeals.selectors import officers_for

        field = _topic_field()
        field.label = _("Тематика / питання")
        field.empty_label = _("Усі питання")
        self.fields["topic"] = field
        self.fields["officer"].queryset = officers_for(user=user)


class ClassifierUploadForm(forms.Form):
    file = forms.FileField(label=_("Файл CSV"), error_messages={"required": _("Оберіть файл CSV."),
                                                                "empty": _("Файл порожній.")},
                           help_text=_("Колонки: код; назва; код розділу. UTF-8 або Windows-1251, розділювач «;» "
                                       "або «,»."))
    note = forms.CharField(label=_("Примітка до версії"), max_length=300, required=False,
                           help_text=_("Напр. «Постанова КМУ № 526 від 2024 р.»"))


class ClassifierApplyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)
