"""Forms of the acts pages: shape input only; the rules are in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.website.acts.constants import ActKind
from ratusha.website.acts.models import Topic

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


class DraftForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Орган, що розглядатиме проєкт"), queryset=None,
                                          empty_label=None)
    kind = forms.ChoiceField(label=_("Вид рішення"), choices=ActKind.choices)
    title = forms.CharField(label=_("Назва проєкту рішення"), max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": _("Вкажіть назву проєкту рішення.")})
    topic = forms.ModelChoiceField(label=_("Тема"), queryset=None, required=False,
                                   empty_label=_("— визначити автоматично —"))
    session_date = forms.DateField(
        label=_("Дата розгляду (засідання)"), input_formats=DATE_FORMATS,
        help_text=_("ДД.ММ.РРРР. Проєкт оприлюднюють не пізніше ніж за 10 робочих днів до цієї дати."),
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Вкажіть дату розгляду (засідання) у форматі ДД.ММ.РРРР."),
                        "invalid": _("Вкажіть дату у форматі ДД.ММ.РРРР, напр. 15.12.2026.")})
    unit = forms.ModelChoiceField(label=_("Відповідальний підрозділ"), queryset=None, required=False,
                                  empty_label=_("— не зазначено —"))
    file = forms.FileField(label=_("PDF-файл проєкту"), required=False,
                           help_text=_("Тип файлу перевіряється за вмістом. Або оберіть проєкт на погодженні."),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))
    file_token = forms.CharField(required=False, widget=forms.HiddenInput)
    approvals_draft = forms.ModelChoiceField(label=_("…або поточна версія проєкту на погодженні"), queryset=None,
                                             required=False, empty_label=_("— не обрано —"))
    publish = forms.TypedChoiceField(
        label=_("Коли оприлюднити"), coerce=lambda v: v == "now", initial="now", widget=forms.RadioSelect,
        choices=[("now", _("Оприлюднити на сайті зараз")),
                 ("later", _("Зберегти як «готується» (система нагадає про строк)"))])
    confirm_late = forms.BooleanField(label=_("Я розумію, що проєкт буде позначено «оприлюднено із запізненням»"),
                                      required=False)

    def __init__(self, *args: Any, organisations: Any, units: Any, approvals_drafts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["unit"].queryset = units
        self.fields["topic"].queryset = Topic.objects.filter(is_active=True)
        self.fields["approvals_draft"].queryset = approvals_drafts
        self.fields["approvals_draft"].label_from_instance = lambda d: f"{d.summary[:110]} — {d.current_version.name}"


class ActEditForm(forms.Form):
    title = forms.CharField(label=_("Назва на сайті"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": _("Вкажіть назву.")})
    topic = forms.ModelChoiceField(label=_("Тема"), queryset=None, required=False, empty_label=_("— без теми —"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(is_active=True)


class LinkForm(forms.Form):
    adopted_act = forms.ModelChoiceField(label=_("Прийняте рішення"), queryset=None,
                                         error_messages={"required": _("Оберіть прийняте рішення.")})

    def __init__(self, *args: Any, acts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adopted_act"].queryset = acts
        self.fields["adopted_act"].label_from_instance = lambda a: f"{a} — {a.title[:90]}"


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Назва теми"), max_length=120, error_messages={"required": _("Вкажіть назву теми.")})
    keywords = forms.CharField(label=_("Ключові слова"), max_length=500, required=False,
                               help_text=_("Початки слів через кому, за якими тема визначається автоматично."))
    position = forms.IntegerField(label=_("Порядок"), min_value=0, max_value=1000, initial=100)
    is_active = forms.BooleanField(label=_("Діє"), required=False, initial=True)
