"""Forms of the approvals pages. They shape and check input; rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ratusha.orgs.models import User
from ratusha.registry.constants import AccessMark, DocumentKind
from ratusha.registry.models import Journal
from ratusha.workflow.approvals.constants import ApproverKind, Decision, StepKind
from ratusha.workflow.approvals.models import RouteTemplate

SHA_FIELD_ERRORS = {"required": _("Оновіть сторінку: не вказано, яку версію ви переглянули.")}
EXTRA_ROWS = 3


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


def _file_help() -> str:
    return str(_("PDF, зображення, DOCX, ODT, XLSX або текст; до %(mb)s МБ.") % {"mb": settings.MAX_UPLOAD_MB})


class DraftCreateForm(forms.Form):
    journal = forms.ModelChoiceField(
        label=_("Де зареєструвати після підписання"), queryset=Journal.objects.none(),
        error_messages={"required": _("Оберіть журнал."), "invalid_choice": _("Оберіть журнал зі списку.")})
    kind = forms.ChoiceField(label=_("Вид документа"), choices=DocumentKind.choices, initial=DocumentKind.LETTER,
                             error_messages={"required": _("Оберіть вид документа.")})
    summary = forms.CharField(
        label=_("Короткий зміст"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        error_messages={"required": _("Вкажіть короткий зміст документа.")},
        help_text=_("Про що документ — одним-двома реченнями."))
    addressee = forms.CharField(label=_("Адресат (для листів)"), max_length=300, required=False)
    access = forms.ChoiceField(label=_("Гриф доступу"), choices=AccessMark.choices, initial=AccessMark.INTERNAL)
    file = forms.FileField(label=_("Файл проєкту"), required=False)
    comment = forms.CharField(label=_("Коментар до версії"), max_length=300, required=False)
    answer_to = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, journals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["journal"].queryset = journals
        orgs = {j.organisation_id for j in journals}
        if len(orgs) > 1:
            self.fields["journal"].label_from_instance = lambda j: f"{j.name} — {j.organisation}"
        first = list(journals[:2])
        if len(first) == 1:
            self.fields["journal"].initial = first[0].pk
            self.fields["journal"].empty_label = None
        self.fields["file"].help_text = _file_help()

    def clean_summary(self) -> str:
        value = self.cleaned_data.get("summary", "").strip()
        if len(" ".join(value.split())) < 3:
            raise forms.ValidationError(_("Короткий зміст занадто короткий."))
        return value


class VersionForm(forms.Form):
    file = forms.FileField(label=_("Новий файл"), error_messages={"required": _("Оберіть файл.")})
    comment = forms.CharField(label=_("Що змінено"), max_length=300, required=False)
    base_number = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Причина (необов'язково)"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    draft_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Рішення"), widget=forms.RadioSelect,
        choices=[(Decision.APPROVED, _("Погодити")),
                 (Decision.APPROVED_WITH_REMARKS, _("Погодити із зауваженнями")),
                 (Decision.REJECTED, _("Не погоджувати й повернути автору"))],
        error_messages={"required": _("Оберіть рішення.")})
    comment = forms.CharField(label=_("Зауваження або причина"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Обов'язково, якщо ви погоджуєте із зауваженнями або не погоджуєте."))
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64, error_messages=SHA_FIELD_ERRORS)

    def __init__(self, *args: Any, signer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signer:  # the signer signs in the sign form; here they may only refuse
            self.fields["decision"].choices = [(Decision.REJECTED, _("Не підписувати й повернути автору"))]
            self.fields["decision"].initial = Decision.REJECTED
            self.fields["comment"].label = _("Причина")
            self.fields["comment"].help_text = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decision, comment = data.get("decision"), (data.get("comment") or "").strip()
        if decision == Decision.APPROVED_WITH_REMARKS and not comment:
            self.add_error("comment", _("Вкажіть зауваження до проєкту."))
        if decision == Decision.REJECTED and not comment:
            self.add_error("comment", _("Вкажіть причину, з якої ви не погоджуєте проєкт."))
        return data


class SignForm(forms.Form):
    token = forms.CharField(
        label=_("Код із застосунку автентифікації"), max_length=12,
        help_text=_("Шість цифр, наприклад 123456. Вводячи код, ви підписуєте саме цю версію документа."),
        error_messages={"required": _("Введіть шестизначний код.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9 ]*", "class": "input-code"}))
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64, error_messages=SHA_FIELD_ERRORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The confirmation field comes from the signature strategy (TOTP code, or a key's passphrase)."""
        super().__init__(*args, **kwargs)
        from ratusha.workflow.approvals.signing import get_signature_strategy

        strategy = get_signature_strategy()
        self.credential_name = getattr(strategy, "credential_name", "token")
        if hasattr(strategy, "credential_field"):
            del self.fields["token"]
            self.fields = {self.credential_name: strategy.credential_field(), **self.fields}

    @property
    def credential(self) -> Any:
        return self[self.credential_name]

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Код складається з шести цифр."))
        return token


class RouteStartForm(forms.Form):
    """The template's steps (visa ones can be left out) plus a few approvers the author adds."""

    template = forms.ModelChoiceField(label=_("Шаблон маршруту"), queryset=RouteTemplate.objects.none(),
                                      error_messages={"required": _("Оберіть шаблон маршруту."),
                                                      "invalid_choice": _("Оберіть шаблон зі списку.")})
    draft_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, templates: list[RouteTemplate], template: RouteTemplate | None,
                 candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.templates = templates
        self.chosen = template
        self.fields["template"].queryset = RouteTemplate.objects.filter(pk__in=[t.pk for t in templates])
        if template is not None:
            self.fields["template"].initial = template.pk
        self.visa_steps = []
        if template is not None:
            for step in template.steps.all():
                if step.kind == StepKind.VISA:
                    name = f"keep_{step.pk.hex}"
                    self.fields[name] = forms.BooleanField(required=False, initial=True)
                    self.visa_steps.append((step, name))
        stages = sorted({s.stage for s, _name in self.visa_steps})
        stage_choices = [(str(n), _("Етап %(n)s — разом з іншими") % {"n": n}) for n in stages]
        stage_choices.append(("new", _("Окремий етап перед підписанням")))
        for row in range(1, EXTRA_ROWS + 1):
            self.fields[f"extra_user_{row}"] = UserChoiceField(
                label=_("Додатковий погоджувач %(n)s") % {"n": row}, queryset=candidates, required=False,
                empty_label="—", error_messages={"invalid_choice": _("Оберіть працівника зі списку.")})
            self.fields[f"extra_stage_{row}"] = forms.ChoiceField(
                label=_("Етап для погоджувача %(n)s") % {"n": row}, choices=stage_choices, required=False,
                initial="new")

    def visa_rows(self) -> list[tuple[Any, Any]]:
        return [(step, self[name]) for step, name in self.visa_steps]

    def sign_step(self) -> Any:
        if self.chosen is None:
            return None
        return next((s for s in self.chosen.steps.all() if s.kind == StepKind.SIGN), None)

    def extra_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"extra_user_{row}"], self[f"extra_stage_{row}"]) for row in range(1, EXTRA_ROWS + 1)]

    def kept_step_ids(self) -> set[Any]:
        return {step.pk for step, name in self.visa_steps if self.cleaned_data.get(name)}

    def extras(self) -> list[tuple[Any, str]]:
        out = []
        for row in range(1, EXTRA_ROWS + 1):
            user = self.cleaned_data.get(f"extra_user_{row}")
            if user is not None:
                out.append((user, self.cleaned_data.get(f"extra_stage_{row}") or "new"))
        return out


class TemplateForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Організація"), queryset=None,
                                          error_messages={"required": _("Оберіть організацію.")})
    name = forms.CharField(label=_("Назва шаблону"), max_length=200,
                           error_messages={"required": _("Вкажіть назву шаблону.")})
    kind = forms.ChoiceField(label=_("Вид документа"), required=False,
                             choices=[("", _("Будь-який вид")), *DocumentKind.choices])
    is_active = forms.BooleanField(label=_("Діє (пропонувати авторам)"), required=False, initial=True)
    template_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organisations: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if editing:
            del self.fields["organisation"]
        else:
            del self.fields["is_active"]
            first = list(organisations[:2])
            if len(first) == 1:
                self.fields["organisation"].initial = first[0].pk
                self.fields["organisation"].empty_label = None


class StepForm(forms.Form):
    stage = forms.IntegerField(label=_("Етап"), min_value=1, max_value=20,
                               help_text=_("Кроки з однаковим номером етапу виконуються паралельно."),
                               error_messages={"required": _("Вкажіть номер етапу."),
                                               "invalid": _("Вкажіть номер етапу цілим числом."),
                                               "min_value": _("Номер етапу — від 1 до 20."),
                                               "max_value": _("Номер етапу — від 1 до 20.")})
    kind = forms.ChoiceField(label=_("Дія"), choices=StepKind.choices, initial=StepKind.VISA)
    approver_kind = forms.ChoiceField(label=_("Хто"), choices=ApproverKind.choices, initial=ApproverKind.USER)
    user = UserChoiceField(label=_("Працівник"), queryset=User.objects.none(), required=False, empty_label="—",
                           error_messages={"invalid_choice": _("Оберіть працівника зі списку.")})

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("approver_kind") == ApproverKind.USER and not data.get("user") and "user" not in self.errors:
            self.add_error("user", _("Оберіть працівника."))
        return data
