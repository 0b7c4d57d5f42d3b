"""The functional admin's forms. Choices are limited to the admin's own municipality; the services check
it again, so a forged id is refused there too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waakvlam.administration.services import OrganisationInput, TeamInput, UserInput
from waakvlam.core.models import Neighbourhood, Organisation, Team, User
from waakvlam.core.roles import OrganisationKind, Role


class _TeamChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class UserForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    username = forms.RegexField(
        label=_("Gebruikersnaam"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Alleen letters, cijfers en . @ + - _")},
    )
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol"), choices=[("", _("Kies een rol")), *Role.choices])
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), empty_label=_("Kies een organisatie")
    )
    teams = _TeamChoice(
        label=_("Teams"), queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Actief: mag inloggen"), required=False, initial=True)

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            municipality_id=municipality_id
        ).order_by("name")
        self.fields["teams"].queryset = (  # type: ignore[attr-defined]
            Team.objects.filter(municipality_id=municipality_id).select_related("organisation").order_by("name")
        )

    def user_input(self) -> UserInput:
        data = self.cleaned_data
        return UserInput(
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            role=data["role"],
            organisation=data["organisation"],
            teams=list(data["teams"]),
            is_active=bool(data.get("is_active")),
        )

    @staticmethod
    def initial_for(user: User) -> dict[str, Any]:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "username": user.username,
            "email": user.email,
            "role": user.role,
            "organisation": user.organisation_id,
            "teams": list(user.teams.values_list("pk", flat=True)),
            "is_active": user.is_active,
        }


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=120)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), empty_label=_("Kies een organisatie")
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Buurten"), queryset=Neighbourhood.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            municipality_id=municipality_id
        ).order_by("name")
        self.fields["neighbourhoods"].queryset = Neighbourhood.objects.filter(  # type: ignore[attr-defined]
            municipality_id=municipality_id
        ).order_by("name")

    def team_input(self) -> TeamInput:
        data = self.cleaned_data
        return TeamInput(data["name"], data["organisation"], list(data["neighbourhoods"]))


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=120)
    slug = forms.SlugField(
        label=_("Korte naam"),
        max_length=50,
        help_text=_("Kleine letters, cijfers en streepjes, bijvoorbeeld woonstede."),
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=[("", _("Kies een soort")), *OrganisationKind.choices])

    def organisation_input(self) -> OrganisationInput:
        data = self.cleaned_data
        return OrganisationInput(data["name"], data["slug"], data["kind"])


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ik weet dat deze gebruiker bij de volgende keer inloggen een nieuwe authenticator-app moet koppelen."),
        error_messages={"required": _("Bevestig dat je de tweestapsverificatie opnieuw wilt laten instellen.")},
    )
