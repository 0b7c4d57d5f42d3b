from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waakvlam.privacy.models import AccessAction


class AccessLogSearchForm(forms.Form):
    person = forms.CharField(
        label=_("Over wie"),
        required=False,
        max_length=100,
        help_text=_("Naam of omschrijving van een bewoner, een postcode met huisnummer, of een bewonernummer."),
    )
    username = forms.CharField(label=_("Wie keek (gebruikersnaam)"), required=False, max_length=150)
    organisation = forms.SlugField(label=_("Organisatie (code)"), required=False)
    subject = forms.CharField(label=_("Betreft (kenmerk)"), required=False, max_length=64)
    action = forms.ChoiceField(label=_("Handeling"), required=False, choices=[("", _("Alle")), *AccessAction.choices])
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
        return data
