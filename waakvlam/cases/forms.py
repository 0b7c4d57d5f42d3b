"""Forms of case conferences, tasks and area meetings: only the shape of the values; the services decide
what is allowed and their errors are shown on the fields (core.errors.form_errors_add)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from waakvlam.cases.models import MAX_MINUTES, MAX_TEXT, Participant, Scope, SharingBasis
from waakvlam.core.models import Neighbourhood, Organisation, User
from waakvlam.core.roles import WORK_ROLES
from waakvlam.households.models import Resident


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        org = f" ({obj.organisation.name})" if obj.organisation_id else ""
        return f"{obj.get_full_name() or obj.get_username()}{org}"


def workers_of(municipality_id: int) -> QuerySet[User]:
    return (
        User.objects.filter(organisation__municipality_id=municipality_id, role__in=WORK_ROLES, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "first_name", "username")
    )


class ConveneForm(forms.Form):
    question = forms.CharField(
        label=_("Waarover gaat het overleg?"),
        max_length=300,
        help_text=_("Kort en zonder namen: bijvoorbeeld 'huurachterstand en overlast, wie doet wat'."),
    )
    meets_on = forms.DateField(label=_("Datum overleg"), widget=DateInput())
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.none(), label=_("Over welke bewoner"), required=False, to_field_name="public_id"
    )
    resident_takes_part = forms.BooleanField(label=_("De bewoner doet mee"), required=False)
    network_takes_part = forms.BooleanField(label=_("Het eigen netwerk van de bewoner doet mee"), required=False)
    without_resident_reason = forms.CharField(
        label=_("Reden als de bewoner of het netwerk niet meedoet"), max_length=300, required=False
    )

    def __init__(self, *args: Any, residents: QuerySet[Resident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents  # type: ignore[attr-defined]


class InviteForm(forms.Form):
    user = PersonChoiceField(queryset=User.objects.none(), label=_("Wie nodig je uit?"))
    basis = forms.ChoiceField(
        label=_("Grondslag om te delen"),
        choices=[
            (SharingBasis.CONSENT, SharingBasis.CONSENT.label),
            (SharingBasis.LEGAL_TASK, SharingBasis.LEGAL_TASK.label),
        ],
        widget=forms.RadioSelect,
    )
    basis_note = forms.CharField(label=_("Toelichting grondslag"), max_length=200, required=False)
    scopes = forms.MultipleChoiceField(
        label=_("Wat mag deze deelnemer zien?"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Besluit"), max_length=MAX_TEXT)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Kort verslag"),
        max_length=MAX_MINUTES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat is afgesproken, zonder namen, telefoonnummers of BSN."),
    )


class DirectorForm(forms.Form):
    participant = forms.ModelChoiceField(queryset=Participant.objects.none(), label=_("Regisseur"), empty_label=None)

    def __init__(self, *args: Any, participants: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Wat moet er gebeuren?"), max_length=200)
    done_means = forms.CharField(label=_("Klaar als"), max_length=300)
    owner_organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisatie"))
    owner_user = PersonChoiceField(queryset=User.objects.none(), label=_("Eigenaar"), required=False)
    due_on = forms.DateField(label=_("Uiterlijk klaar op"), widget=DateInput())

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation], people: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["owner_user"].queryset = people  # type: ignore[attr-defined]


class DoneForm(forms.Form):
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)


class DropForm(forms.Form):
    reason = forms.CharField(label=_("Reden waarom de taak vervalt"), max_length=300)


class AreaMeetingForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(queryset=Neighbourhood.objects.none(), label=_("Buurt"))
    topic = forms.CharField(label=_("Onderwerp"), max_length=300, help_text=_("Zonder namen of adressen."))
    meets_on = forms.DateField(label=_("Datum overleg"), widget=DateInput())

    def __init__(self, *args: Any, neighbourhoods: QuerySet[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
