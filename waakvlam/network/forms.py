from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import User
from waakvlam.network.models import MAX_NOTE, SupporterKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReportForm(forms.Form):
    note = forms.CharField(
        label=_("Wil je iets toelichten?"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kort, zonder namen of telefoonnummers van anderen."),
    )


class SupporterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class LinkForm(forms.Form):
    supporter = SupporterChoiceField(queryset=User.objects.none(), label=_("Wie"))
    kind = forms.ChoiceField(label=_("Soort steun"), choices=SupporterKind.choices)
    what_to_know = forms.CharField(label=_("Wat moet deze persoon weten?"), max_length=MAX_NOTE, required=False)
    consent_note = forms.CharField(
        label=_("Hoe gaf de bewoner toestemming?"),
        max_length=200,
        help_text=_("Bijvoorbeeld: 'mondeling bij huisbezoek op 3 november'."),
    )
    valid_until = forms.DateField(label=_("Geldig tot en met"), required=False, widget=DateInput())

    def __init__(self, *args: Any, supporters: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supporter"].queryset = supporters  # type: ignore[attr-defined]
