"""Forms of the workflow pages. They shape and check input; the rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from ratusha.orgs.models import Employee, Organisation, Unit, User
from ratusha.registry.forms import DateField
from ratusha.workflow.constants import DEFAULT_SOON_WORKING_DAYS, AssignmentRole, DeadlineKind

# Executor options are "u:<user id>" (a person) or "d:<unit id>" (a unit: its head gets the task).
PERSON, UNIT = "u", "d"


class VersionedForm(forms.Form):
    """Every state change posts the version the page showed (optimistic concurrency)."""

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": _("Оновіть сторінку й повторіть дію."),
            "invalid": _("Оновіть сторінку й повторіть дію."),
        },
    )


def _person_label(emp: Employee) -> str:
    position = f" — {emp.position.title}" if emp.position_id else ""
    return f"{emp.user.short_name}{position}"


def executor_choices(
    organisation_id: Any, unit_ids: list[Any] | None = None, exclude_user: Any = None
) -> list[tuple[str, Any]]:
    """The organisation's staff grouped by unit (optgroups), each unit led by the option «підрозділ: …»."""
    employees = (
        Employee.objects.filter(organisation_id=organisation_id, is_active=True, user__is_active=True)
        .select_related("user", "unit", "position")
        .order_by("unit__code", "-position__is_head", "user__last_name", "user__first_name")
    )
    if unit_ids is not None:
        employees = employees.filter(unit_id__in=unit_ids)
    groups: dict[Any, list[tuple[str, str]]] = {}
    names: dict[Any, str] = {}
    for emp in employees:
        if exclude_user is not None and emp.user_id == getattr(exclude_user, "pk", exclude_user):
            continue
        key = emp.unit_id
        if key not in groups:
            groups[key] = []
            names[key] = emp.unit.name if emp.unit_id else str(_("Без підрозділу"))
            if emp.unit_id:
                groups[key].append(
                    (
                        f"{UNIT}:{emp.unit_id}",
                        _gettext("підрозділ: %(unit)s (керівнику)") % {"unit": emp.unit.name},
                    )
                )
        groups[key].append((f"{PERSON}:{emp.user_id}", _person_label(emp)))
    return [(names[key], options) for key, options in groups.items()]


def parse_executor(value: str, organisation_id: Any) -> User | Unit | None:
    kind, _sep, pk = (value or "").partition(":")
    try:
        if kind == PERSON:
            return User.objects.get(
                pk=pk, employments__organisation_id=organisation_id, employments__is_active=True
            )
        if kind == UNIT:
            return Unit.objects.get(pk=pk, organisation_id=organisation_id)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        return None
    return None


class ResolutionForm(forms.Form):
    text = forms.CharField(
        label=_("Текст резолюції"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Вкажіть текст резолюції.")},
        help_text=_("Наприклад: «Підготувати відповідь заявнику», «Розглянути та вжити заходів»."),
    )
    responsible = forms.ChoiceField(
        label=_("Відповідальний виконавець"),
        error_messages={
            "required": _("Оберіть відповідального виконавця."),
            "invalid_choice": _("Оберіть виконавця зі списку."),
        },
    )
    co_executors = forms.MultipleChoiceField(
        label=_("Співвиконавці"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"invalid_choice": _("Оберіть співвиконавців зі списку.")},
        help_text=_(
            "Кілька — з клавішею Ctrl (на Mac — Cmd). Можна обрати підрозділ: доручення отримає його "
            "керівник."
        ),
    )
    deadline_kind = forms.ChoiceField(
        label=_("Строк виконання"),
        widget=forms.RadioSelect,
        choices=DeadlineKind.choices,
        initial=DeadlineKind.DEFAULT,
        error_messages={"required": _("Оберіть спосіб визначення строку.")},
    )
    deadline_date = DateField(
        label=_("Дата виконання"), required=False, help_text=_("Лише для варіанта «Конкретна дата».")
    )
    on_control = forms.BooleanField(label=_("Поставити на контроль"), required=False)
    controller = forms.ChoiceField(
        label=_("Контролер"),
        required=False,
        error_messages={"invalid_choice": _("Оберіть контролера зі списку.")},
        help_text=_("Порожньо — знімає з контролю автор резолюції."),
    )
    author = forms.ChoiceField(
        label=_("Від імені"),
        required=False,
        error_messages={"invalid_choice": _("Оберіть керівника зі списку.")},
    )

    def __init__(
        self, *args: Any, document: Any, authors: list[User], deadlines: dict[str, dt.date], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        org_id = document.organisation_id
        choices = executor_choices(org_id)
        self.fields["responsible"].choices = [("", _("— оберіть —")), *choices]
        self.fields["co_executors"].choices = choices
        kind_labels = []
        for value, label in DeadlineKind.choices:
            if value in deadlines:
                label = _gettext("%(label)s — до %(date)s") % {
                    "label": label,
                    "date": deadlines[value].strftime("%d.%m.%Y"),
                }
            kind_labels.append((value, label))
        self.fields["deadline_kind"].choices = kind_labels
        controllers = (
            Employee.objects.filter(organisation_id=org_id, is_active=True, user__is_active=True)
            .select_related("user", "position")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["controller"].choices = [("", _("— не призначено —"))] + [
            (str(emp.user_id), _person_label(emp))
            for emp in controllers
            if set(emp.roles) & {"controller", "head"}
        ]
        self.authors = authors
        self.fields["author"].choices = [(str(a.pk), a.full_name) for a in authors]
        if len(authors) < 2:
            del self.fields["author"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        org_id = self.document.organisation_id
        if data.get("responsible"):
            data["responsible_obj"] = parse_executor(data["responsible"], org_id)
            if data["responsible_obj"] is None:
                self.add_error("responsible", _("Оберіть виконавця зі списку."))
        data["co_executor_objs"] = [
            obj
            for obj in (parse_executor(v, org_id) for v in data.get("co_executors", []))
            if obj is not None
        ]
        if (
            data.get("deadline_kind") == DeadlineKind.DATE
            and not data.get("deadline_date")
            and "deadline_date" not in self.errors
        ):
            self.add_error("deadline_date", _("Вкажіть дату виконання."))
        controller = data.get("controller")
        data["controller_obj"] = User.objects.filter(pk=controller).first() if controller else None
        author = data.get("author")
        data["author_obj"] = next((a for a in self.authors if str(a.pk) == author), None) if author else None
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["deadline_kind"]
        return {
            "text": data["text"],
            "responsible": data.get("responsible_obj"),
            "co_executors": data.get("co_executor_objs", []),
            "deadline_kind": kind,
            "deadline_date": data.get("deadline_date") if kind == DeadlineKind.DATE else None,
            "on_control": data.get("on_control", False),
            "controller": data.get("controller_obj"),
            "author": data.get("author_obj"),
        }


class ReportForm(VersionedForm):
    report_text = forms.CharField(
        label=_("Звіт про виконання"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Опишіть, що зроблено, у звіті про виконання.")},
    )
    report_file = forms.FileField(
        label=_("Файл звіту"),
        required=False,
        help_text=_("Необов'язково: PDF, зображення, DOCX, ODT, XLSX або текст."),
    )
    link_query = forms.CharField(
        label=_("Документ-відповідь (реєстраційний індекс)"),
        max_length=80,
        required=False,
        help_text=_("Необов'язково. Почніть вводити номер — з'явиться список."),
    )
    link_target = forms.UUIDField(required=False, widget=forms.HiddenInput)


class AcceptReportForm(VersionedForm):
    accept_note = forms.CharField(
        label=_("Коментар"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(VersionedForm):
    return_reason = forms.CharField(
        label=_("Що доопрацювати"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Вкажіть, що потрібно доопрацювати.")},
    )


class SubAssignForm(VersionedForm):
    sub_assignee = forms.ChoiceField(
        label=_("Виконавець"),
        error_messages={
            "required": _("Оберіть виконавця."),
            "invalid_choice": _("Оберіть виконавця зі списку."),
        },
    )
    sub_role = forms.ChoiceField(
        label=_("Роль"), choices=AssignmentRole.choices, initial=AssignmentRole.RESPONSIBLE
    )
    sub_text = forms.CharField(
        label=_("Зміст доручення"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Вкажіть зміст доручення.")},
    )
    sub_deadline = DateField(label=_("Строк"), required=False)

    def __init__(self, *args: Any, assignment: Any, unit_ids: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["sub_assignee"].choices = [
            ("", _("— оберіть —")),
            *executor_choices(assignment.organisation_id, unit_ids, exclude_user=assignment.assignee_id),
        ]
        self.fields["sub_deadline"].help_text = _("Порожньо — ваш строк, %(date)s; не пізніше за нього.") % {
            "date": assignment.deadline.strftime("%d.%m.%Y")
        }

    def target(self) -> User | Unit | None:
        return parse_executor(self.cleaned_data.get("sub_assignee", ""), self.assignment.organisation_id)


class DeadlineRequestForm(forms.Form):
    proposed_deadline = DateField(
        label=_("Запропонований строк"), error_messages={"required": _("Вкажіть запропонований строк.")}
    )
    deadline_reason = forms.CharField(
        label=_("Обґрунтування"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Поясніть, чому потрібно змінити строк.")},
    )


class DeadlineDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Рішення"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Погодити новий строк")), ("reject", _("Відхилити"))],
        error_messages={"required": _("Оберіть рішення.")},
    )
    decision_note = forms.CharField(
        label=_("Коментар"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Обов'язковий, якщо запит відхилено."),
    )


class CancelForm(VersionedForm):
    cancel_reason = forms.CharField(
        label=_("Причина скасування"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Вкажіть причину скасування.")},
    )


class CloseForm(VersionedForm):
    result = forms.CharField(
        label=_("Результат виконання"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Вкажіть результат виконання.")},
    )
    executed_on = DateField(label=_("Дата виконання"), required=False, help_text=_("Порожньо — сьогодні."))
    answer_index = forms.CharField(label=_("Індекс документа-відповіді"), max_length=80, required=False)
    early_reason = forms.CharField(
        label=_("Причина дострокового зняття з контролю"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Обов'язкова, якщо відповідальний виконавець ще не виконав доручення."),
    )


class RevokeForm(VersionedForm):
    revoke_reason = forms.CharField(
        label=_("Причина скасування резолюції"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Вкажіть причину скасування резолюції.")},
    )


class BoardFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Організація"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Усі"),
        error_messages={"invalid_choice": _("Оберіть організацію зі списку.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Підрозділ"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Усі"),
        error_messages={"invalid_choice": _("Оберіть підрозділ зі списку.")},
    )
    person = forms.ModelChoiceField(
        label=_("Виконавець"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Усі"),
        error_messages={"invalid_choice": _("Оберіть виконавця зі списку.")},
    )
    soon_days = forms.IntegerField(
        label=_("Робочих днів наперед"),
        required=False,
        min_value=1,
        max_value=30,
        initial=DEFAULT_SOON_WORKING_DAYS,
        error_messages={
            "invalid": _("Вкажіть ціле число від 1 до 30."),
            "min_value": _("Вкажіть ціле число від 1 до 30."),
            "max_value": _("Вкажіть ціле число від 1 до 30."),
        },
    )
    on_control = forms.BooleanField(label=_("Лише на контролі"), required=False)

    def __init__(self, *args: Any, organisations: Any, units: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} ({u.organisation})"
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda u: u.full_name
