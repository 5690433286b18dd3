"""The e-mail preferences form: one radio group per notification kind."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.notifications.constants import Delivery, NotificationKind


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, initial_values: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, widget=forms.RadioSelect,
                initial=(initial_values or {}).get(kind.value),
                error_messages={
                    "required": _("Оберіть, як надсилати e-mail про «%(kind)s».") % {"kind": kind.label},
                    "invalid_choice": _("Оберіть один із варіантів: одразу, у щоденному зведенні або "
                                        "не надсилати."),
                },
            )

    def rows(self) -> list[forms.BoundField]:
        return [self[kind.value] for kind in NotificationKind]
