"""The functional admin's forms for the social map: an organisation, and a service with its place and its
weekly schedule, in the map's own Dutch words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import Neighbourhood, User
from waakvlam.core.models import Organisation as TenantOrganisation
from waakvlam.core.roles import Role
from waakvlam.socialmap import models as m
from waakvlam.socialmap.map_admin import SERVICE_FIELDS
from waakvlam.socialmap.search import DAY_NAMES, DAYS

PUBLISH_CHOICES = [
    (m.Moderation.PUBLISHED, _("Op de kaart (openbaar)")),
    (m.Moderation.HIDDEN, _("Nog niet op de kaart (concept of verborgen)")),
]


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = m.Organization
        fields = ["name", "alternate_name", "description", "email", "website", "resident_initiative", "tenant"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tenant = self.fields["tenant"]
        tenant.queryset = TenantOrganisation.objects.filter(municipality_id=municipality_id)  # type: ignore[attr-defined]
        tenant.help_text = _("De Waakvlam-organisatie die verwijzingen naar dit aanbod beantwoordt, als die er is.")


class ServiceForm(forms.ModelForm):
    """A service and what a search needs of it: its needs, one place and one schedule."""

    needs = forms.ModelMultipleChoiceField(
        m.TaxonomyTerm.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Waarvoor")
    )
    moderation = forms.ChoiceField(choices=PUBLISH_CHOICES, label=_("Zichtbaarheid"))
    location_name = forms.CharField(max_length=m.SHORT, required=False, label=_("Naam van de plek"))
    address_1 = forms.CharField(max_length=m.SHORT, required=False, label=_("Adres"))
    postal_code = forms.CharField(max_length=20, required=False, label=_("Postcode"))
    city = forms.CharField(max_length=m.SHORT, required=False, label=_("Plaats"))
    neighbourhood = forms.ModelChoiceField(Neighbourhood.objects.none(), required=False, label=_("Buurt"))
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, label=_("Breedtegraad"))
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, label=_("Lengtegraad"))
    freq = forms.ChoiceField(
        choices=[("", _("Geen vast rooster")), ("WEEKLY", _("Elke week")), ("MONTHLY", _("Eens per maand"))],
        required=False,
        label=_("Hoe vaak"),
    )
    byday = forms.MultipleChoiceField(
        choices=list(zip(DAYS, DAY_NAMES, strict=True)),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Op welke dagen"),
    )
    opens_at = forms.TimeField(required=False, label=_("Van"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(required=False, label=_("Tot"), widget=forms.TimeInput(attrs={"type": "time"}))
    valid_from = forms.DateField(
        required=False, label=_("Geldig vanaf"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(required=False, label=_("Geldig tot"), widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = m.Service
        # What the admin edits is what map_admin writes, but for moderation, which the service sets itself.
        fields = [f for f in SERVICE_FIELDS if f != "moderation"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "fees_description": forms.Textarea(attrs={"rows": 2}),
            "application_process": forms.Textarea(attrs={"rows": 2}),
            "eligibility_description": forms.Textarea(attrs={"rows": 2}),
            "alert": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = m.TaxonomyTerm.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(municipality_id=municipality_id)  # type: ignore[attr-defined]
        self.fields["keeper"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            role=Role.ACTIVITY_KEEPER, organisation__municipality_id=municipality_id, is_active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Vul beide coördinaten in, of geen van beide."))
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("De eindtijd ligt na de begintijd."))
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("De einddatum ligt voor de begindatum."))
        if data.get("freq") and not data.get("byday"):
            self.add_error("byday", _("Kies de dag of dagen."))
        if data.get("address_1") and not (data.get("postal_code") and data.get("city")):
            self.add_error("postal_code", _("Een adres heeft een postcode en een plaats."))
        capacity, instance = data.get("capacity"), self.instance
        if capacity is not None and instance.pk and capacity < instance.places_taken:
            self.add_error(
                "capacity",
                _("Er zijn al %(n)d plaatsen bezet; minder plaatsen kan niet.") % {"n": instance.places_taken},
            )
        return data
