from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusha.orgs.models import Organisation
from ratusha.orgs.permissions import organisation_ids
from ratusha.registry.forms import JournalFilterForm
from ratusha.registry.models import Journal
from ratusha.registry.selectors import journals_for_user
from ratusha.search.analysis import MAX_QUERY_CHARS


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(JournalFilterForm):
    """The query and the filters of the search page (dates, correspondent, kind, status inherited)."""

    q = forms.CharField(label=_("Що шукати"), required=False, max_length=MAX_QUERY_CHARS,
                        widget=SearchInput(attrs={"autocomplete": "off"}),
                        help_text=_("Слова в будь-якій формі: «звернення міської ради», «доріг», «01-10/245»."))
    organisation = forms.ModelChoiceField(label=_("Організація"), required=False,
                                          queryset=Organisation.objects.none(), empty_label=_("Усі організації"))
    journal = forms.ModelChoiceField(label=_("Журнал"), required=False, queryset=Journal.objects.none(),
                                     empty_label=_("Усі журнали"))

    field_order = ["q", "organisation", "journal", "date_from", "date_to", "correspondent", "kind", "status"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=organisation_ids(user)).order_by("name")
        journals = journals_for_user(user=user)
        self.fields["journal"].queryset = journals
        self.fields["journal"].label_from_instance = (
            lambda j: f"{j.name} — {j.organisation}" if len(self.fields["organisation"].queryset) > 1
            else j.name)
