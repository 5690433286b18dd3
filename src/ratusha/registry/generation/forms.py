"""Forms of document generation. They shape and check input; rules live in the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.registry.constants import AccessMark
from ratusha.registry.generation.constants import ADDRESSED_KINDS, TemplateKind
from ratusha.registry.models import Journal

FORMAT_CHOICES = [("pdf", _("PDF")), ("docx", _("DOCX (Word)"))]


class ChooseForm(forms.Form):
    """Which template and which format to download for a card (a GET form)."""

    kind = forms.ChoiceField(label=_("Шаблон"), choices=TemplateKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Оберіть шаблон."),
                                             "invalid_choice": _("Оберіть шаблон зі списку.")})
    format = forms.ChoiceField(label=_("Формат"), choices=FORMAT_CHOICES,
                               error_messages={"required": _("Оберіть формат."),
                                               "invalid_choice": _("Оберіть PDF або DOCX.")})


class FromTemplateForm(forms.Form):
    """A new draft from a template: the fields the template prints."""

    kind = forms.ChoiceField(label=_("Шаблон"), choices=TemplateKind.choices, initial=TemplateKind.LETTER,
                             error_messages={"required": _("Оберіть шаблон."),
                                             "invalid_choice": _("Оберіть шаблон зі списку.")})
    journal = forms.ModelChoiceField(
        label=_("Де зареєструвати після підписання"), queryset=Journal.objects.none(),
        error_messages={"required": _("Оберіть журнал."), "invalid_choice": _("Оберіть журнал зі списку.")},
        help_text=_("Лист — у журналі вихідних, розпорядження — розпорядчих документів, рішення — у журналі "
                    "рішень, службова записка — внутрішніх документів."))
    addressee = forms.CharField(
        label=_("Адресат"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Для листа і службової записки: кому (посада, ім'я), назва організації, адреса — "
                    "кожне з нового рядка."))
    heading = forms.CharField(
        label=_("Заголовок до тексту"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Вкажіть заголовок до тексту.")},
        help_text=_("Про що документ: «Про …». Стане й коротким змістом проєкту."))
    text = forms.CharField(
        label=_("Текст документа"), max_length=100_000, widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("Введіть текст документа.")},
        help_text=_("Абзаци відділяйте порожнім рядком."))
    signer_position = forms.CharField(label=_("Посада того, хто підписує"), max_length=200, required=False)
    signer_name = forms.CharField(label=_("Ім'я та прізвище того, хто підписує"), max_length=200, required=False,
                                  help_text=_("Як у підписі: «Ім'я ПРІЗВИЩЕ»."))
    executor_name = forms.CharField(label=_("Виконавець"), max_length=200,
                                    error_messages={"required": _("Вкажіть виконавця документа.")},
                                    help_text=_("Друкується внизу останньої сторінки: «Ім'я ПРІЗВИЩЕ»."))
    executor_phone = forms.CharField(label=_("Телефон виконавця"), max_length=40, required=False)
    access = forms.ChoiceField(label=_("Гриф доступу"), choices=AccessMark.choices, initial=AccessMark.INTERNAL)

    def __init__(self, *args: Any, journals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["journal"].queryset = journals
        if len({j.organisation_id for j in journals}) > 1:
            self.fields["journal"].label_from_instance = lambda j: f"{j.name} — {j.organisation}"

    def clean_heading(self) -> str:
        value = " ".join(self.cleaned_data.get("heading", "").split())
        if len(value) < 3:
            raise forms.ValidationError(_("Заголовок занадто короткий."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == TemplateKind.LETTER and not (data.get("addressee") or "").strip():
            self.add_error("addressee", _("Вкажіть адресата листа."))
        elif data.get("kind") in ADDRESSED_KINDS and not (data.get("addressee") or "").strip():
            self.add_error("addressee", _("Вкажіть, кому адресовано службову записку."))
        return data
