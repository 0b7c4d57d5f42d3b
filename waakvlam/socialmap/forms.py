"""Forms of the social map: the steward's search, the keeper's light edit, the referral and its answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import Neighbourhood
from waakvlam.socialmap import models as m
from waakvlam.socialmap.needs import need_terms
from waakvlam.socialmap.referral_models import MAX_REASON, Shared
from waakvlam.socialmap.search import DAY_NAMES

WHEN_CHOICES = [
    ("", _("Maakt niet uit")),
    ("nu", _("Nu open")),
    ("week", _("Deze week")),
    *[(str(i), name) for i, name in enumerate(DAY_NAMES)],
]
DISTANCE_CHOICES = [("", _("Maakt niet uit")), ("0.5", _("500 meter")), ("1", _("1 km (lopend)")), ("2", _("2 km"))]


class FindForm(forms.Form):
    need = forms.ModelChoiceField(
        m.TaxonomyTerm.objects.none(), required=False, label=_("Waarvoor"), empty_label=_("Alles")
    )
    neighbourhood = forms.ModelChoiceField(
        Neighbourhood.objects.none(), required=False, label=_("Buurt"), empty_label=_("Alle buurten")
    )
    distance = forms.ChoiceField(choices=DISTANCE_CHOICES, required=False, label=_("Afstand van de bewoner"))
    when = forms.ChoiceField(choices=WHEN_CHOICES, required=False, label=_("Wanneer"))
    free = forms.BooleanField(required=False, label=_("Gratis"))
    no_referral = forms.BooleanField(required=False, label=_("Zonder verwijzing"))
    text = forms.CharField(required=False, max_length=100, label=_("Zoekwoord"))
    resident = forms.UUIDField(required=False, widget=forms.HiddenInput)  # the resident's public id

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = m.TaxonomyTerm.objects.exclude(services=None).distinct().order_by("name")  # type: ignore[attr-defined]
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(municipality_id=municipality_id)  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    shared = forms.ChoiceField(
        choices=Shared.choices,
        widget=forms.RadioSelect,
        initial=Shared.FIRST_NAME,
        label=_("Wat mag de bewoner laten delen?"),
    )
    shared_name = forms.CharField(max_length=200, label=_("Naam zoals gedeeld (bij alleen voornaam: de voornaam)"))
    shared_phone = forms.CharField(max_length=40, required=False, label=_("Telefoonnummer"))
    shared_note = forms.CharField(
        max_length=MAX_REASON, required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Korte toelichting")
    )
    consent = forms.BooleanField(label=_("De bewoner heeft toestemming gegeven om dit te delen"))
    warm_introduction = forms.BooleanField(required=False, label=_("Ik ga de eerste keer mee (warme overdracht)"))
    need = forms.ModelChoiceField(
        m.ResidentNeed.objects.none(), required=False, label=_("Voor welke behoefte"), empty_label=_("Geen vastgelegde")
    )

    def __init__(self, *args: Any, needs: Any = None, **kwargs: Any) -> None:
        """`needs`: the resident's open needs; without any, the form does not ask."""
        super().__init__(*args, **kwargs)
        if needs is None or not needs.exists():
            del self.fields["need"]
        else:
            self.fields["need"].queryset = needs  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(choices=(), label=_("Antwoord"), widget=forms.RadioSelect)
    reason = forms.CharField(max_length=MAX_REASON, required=False, label=_("Reden of toelichting"))

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices  # type: ignore[attr-defined]


class KeeperEditForm(forms.Form):
    """What a keeper changes about their own activity, on a phone: the text and the times."""

    name = forms.CharField(max_length=m.SHORT, label=_("Naam van de activiteit"))
    description = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 4}), label=_("Omschrijving"))
    byday = forms.MultipleChoiceField(
        choices=[
            (code, name) for code, name in zip(("MO", "TU", "WE", "TH", "FR", "SA", "SU"), DAY_NAMES, strict=True)
        ],
        widget=forms.CheckboxSelectMultiple,
        label=_("Op welke dagen"),
    )
    opens_at = forms.TimeField(label=_("Van"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(label=_("Tot"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(required=False, min_value=0, max_value=10000, label=_("Aantal plaatsen"))
    alert = forms.CharField(max_length=300, required=False, label=_("Let op (bijv. 'deze week gesloten')"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("De eindtijd ligt na de begintijd."))
        return data


class NeedForm(forms.Form):
    """The steward records a resident's need in the social map's taxonomy of needs."""

    term = forms.ModelChoiceField(
        m.TaxonomyTerm.objects.none(), label=_("Behoefte"), empty_label=_("Kies een behoefte")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = need_terms()  # type: ignore[attr-defined]
