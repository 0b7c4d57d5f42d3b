"""Forms for the coordinator's rules screen and the signal actions; Dutch labels and messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import District, Municipality, Neighbourhood, Team, User
from waakvlam.core.roles import CARE_ROLES, OrganisationKind
from waakvlam.intake.models import Category, Outcome, Urgency
from waakvlam.routing.models import ResponseUnit, RoutingRule
from waakvlam.routing.rule_services import CRITERIA, rule_target_users

REQUIRED = {"required": _("Vul dit in.")}


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({obj.get_role_display()})"


class RoutingRuleForm(forms.ModelForm):
    category = forms.ChoiceField(
        label=_("Soort zorg"), required=False, choices=[("", _("Alle soorten")), *Category.choices]
    )
    urgency = forms.ChoiceField(
        label=_("Urgentie"), required=False, choices=[("", _("Elke urgentie")), *Urgency.choices]
    )
    source_organisation_kind = forms.ChoiceField(
        label=_("Melder van soort organisatie"),
        required=False,
        choices=[("", _("Elke melder")), *OrganisationKind.choices],
        help_text=_("Bijvoorbeeld alleen meldingen van een woningcorporatie of energieleverancier."),
    )
    response_amount = forms.IntegerField(
        label=_("Reactietermijn"),
        min_value=1,
        max_value=400,
        error_messages={
            **REQUIRED,
            "min_value": _("Een reactietermijn is minstens 1."),
            "max_value": _("Een reactietermijn is hoogstens 400."),
            "invalid": _("Vul een heel getal in."),
        },
        help_text=_("Werktijd: werkdagen van 9 tot 17 uur, zonder weekend en feestdagen."),
    )
    response_unit = forms.ChoiceField(label=_("Eenheid"), choices=ResponseUnit.choices, error_messages=REQUIRED)

    class Meta:
        model = RoutingRule
        fields = [
            "name",
            "category",
            "district",
            "neighbourhood",
            "urgency",
            "source_organisation_kind",
            "target_team",
            "target_user",
            "response_amount",
            "response_unit",
        ]
        labels = {
            "name": _("Naam van de regel"),
            "district": _("Wijk"),
            "neighbourhood": _("Buurt"),
            "target_team": _("Naar team"),
            "target_user": _("Naar persoon in dat team"),
        }
        help_texts = {
            "name": _('Kort en herkenbaar, bijvoorbeeld "Uitstroom West".'),
            "neighbourhood": _("Kies een wijk óf een buurt, of geen van beide voor de hele gemeente."),
            "target_user": _("Laat leeg om het signaal aan het hele team te geven."),
        }
        error_messages = {
            "name": {"required": _("Geef de regel een naam.")},
            "target_team": {"required": _("Kies het team dat de signalen krijgt.")},
        }

    def __init__(self, *args: Any, municipality: Municipality, fallback: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.is_fallback = fallback or self.instance.is_fallback
        fields = self.fields
        fields["district"] = forms.ModelChoiceField(
            label=_("Wijk"),
            required=False,
            queryset=District.objects.filter(municipality=municipality),
            empty_label=_("Alle wijken"),
        )
        fields["neighbourhood"] = forms.ModelChoiceField(
            label=_("Buurt"),
            required=False,
            queryset=Neighbourhood.objects.filter(municipality=municipality).select_related("district"),
            empty_label=_("Alle buurten"),
            help_text=self._meta.help_texts["neighbourhood"],  # type: ignore[index]
        )
        fields["target_team"] = forms.ModelChoiceField(
            label=_("Naar team"),
            queryset=Team.objects.filter(municipality=municipality).select_related("organisation"),
            empty_label=_("Kies een team"),
            error_messages={"required": _("Kies het team dat de signalen krijgt.")},
        )
        people = rule_target_users(municipality)
        fields["target_user"] = UserChoiceField(
            label=_("Naar persoon in dat team"),
            required=False,
            queryset=User.objects.filter(pk__in=[p.pk for p in people]),
            empty_label=_("Het hele team"),
            help_text=self._meta.help_texts["target_user"],  # type: ignore[index]
        )
        if self.is_fallback:
            for name in CRITERIA:
                del fields[name]
        for field in fields.values():
            field.error_messages["invalid_choice"] = _("Kies een van de mogelijkheden.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("district") and data.get("neighbourhood"):
            self.add_error("neighbourhood", _("Kies een wijk óf een buurt, niet allebei."))
        user, team = data.get("target_user"), data.get("target_team")
        if user and team and not user.teams.filter(pk=team.pk).exists():
            self.add_error("target_user", _("Deze persoon zit niet in het gekozen team."))
        unit, amount = data.get("response_unit"), data.get("response_amount")
        if unit == ResponseUnit.WORKING_DAYS and amount and amount > 60:
            self.add_error("response_amount", _("Een reactietermijn is hoogstens 60 werkdagen."))
        return data

    def _post_clean(self) -> None:
        # The service validates and saves; the ModelForm must not try to build a half-filled instance.
        pass

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class TransferForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Naar team"), required=False, queryset=Team.objects.none(), empty_label=_("Geen team gekozen")
    )
    user = UserChoiceField(
        label=_("Of naar persoon"), required=False, queryset=User.objects.none(), empty_label=_("Geen persoon gekozen")
    )
    reason = forms.CharField(
        label=_("Reden van de overdracht"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zonder namen of gezondheidsgegevens; de nieuwe eigenaar ziet het signaal zelf."),
        error_messages={
            "required": _("Geef een reden voor de overdracht."),
            "max_length": _("Hoogstens 500 tekens."),
        },
    )

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(municipality_id=municipality_id).select_related("organisation").order_by("name")
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        people = User.objects.filter(
            is_active=True, role__in=CARE_ROLES, teams__municipality_id=municipality_id
        ).distinct()
        self.fields["user"].queryset = people.order_by("last_name", "first_name", "username")  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("Kies een van de mogelijkheden.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("team")) == bool(data.get("user")):
            self.add_error("team", _("Kies een team óf een persoon om het signaal aan over te dragen."))
        return data


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een uitkomst."), "invalid_choice": _("Kies een van de uitkomsten.")},
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kort, zonder diagnoses; de melder ziet alleen dat het signaal is afgesloten."),
        error_messages={"max_length": _("Hoogstens 500 tekens.")},
    )


class ExplanationForm(forms.Form):
    text = forms.CharField(
        label=_("Uitleg voor de gemeente"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Waarom ligt het signaal stil en wat gebeurt er nu? Zonder namen, adressen of gezondheidsgegevens."
        ),
        error_messages={"required": _("Schrijf de uitleg."), "max_length": _("Hoogstens 500 tekens.")},
    )
