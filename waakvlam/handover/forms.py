"""Forms of the warm handover: the announcement with its checklist, accepting, and one checklist item."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from waakvlam.contact.forms import DateInput, PersonChoiceField, keepers_of
from waakvlam.contact.models import MAX_RHYTHM_DAYS, Basis
from waakvlam.core.models import User
from waakvlam.handover.models import MAX_ITEM_TEXT, ChecklistTopic, ItemState


def _state_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Stand"), choices=ItemState.choices, initial=ItemState.OPEN, widget=forms.RadioSelect
    )


def _text(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=MAX_ITEM_TEXT, required=False, help_text=help_text)


class HandoverForm(forms.Form):
    resident_name = forms.CharField(label=_("Naam bewoner"), max_length=200, required=False)
    resident_description = forms.CharField(
        label=_("Of: herkenbaar aan"),
        max_length=200,
        required=False,
        help_text=_("Als de naam niet gedeeld mag worden."),
    )
    discharge_on = forms.DateField(label=_("Datum uitstroom"), widget=DateInput())
    postcode = forms.CharField(label=_("Postcode nieuw adres"), max_length=10)
    house_number = forms.CharField(
        label=_("Huisnummer"), max_length=16, help_text=_("Met letter of toevoeging, zoals 12A.")
    )
    first_contact_within_days = forms.IntegerField(
        label=_("Eerste contact binnen (dagen na uitstroom)"), min_value=1, max_value=60, initial=5
    )
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat de waakvlammer moet weten om goed te beginnen. Geen diagnoses."),
    )
    sender_phone = forms.CharField(
        label=_("Jouw telefoonnummer"),
        max_length=30,
        required=False,
        help_text=_("De waakvlammer belt je hiermee tijdens de overlap."),
    )
    sender_email = forms.EmailField(
        label=_("Jouw e-mailadres"), required=False, help_text=_("Leeg: het e-mailadres van je account.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for topic, label in ChecklistTopic.choices:
            self.fields[f"{topic}_state"] = _state_field()
            self.fields[f"{topic}_state"].label = label
            self.fields[f"{topic}_note"] = _text(format_lazy("{}: {}", label, _("wat is afgesproken")))
            self.fields[f"{topic}_skip_reason"] = _text(format_lazy("{}: {}", label, _("reden als het niet nodig is")))

    def checklist(self) -> list[dict[str, Any]]:
        return [
            {
                "topic": topic,
                "label": label,
                "state": self[f"{topic}_state"],
                "note": self[f"{topic}_note"],
                "skip_reason": self[f"{topic}_skip_reason"],
            }
            for topic, label in ChecklistTopic.choices
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("resident_name") or "").strip() and not (cleaned.get("resident_description") or "").strip():
            self.add_error(
                "resident_name",
                _("Geef de naam van de bewoner, of beschrijf waaraan de waakvlammer hem of haar herkent."),
            )
        for topic in ChecklistTopic.values:
            if (
                cleaned.get(f"{topic}_state") == ItemState.SKIPPED
                and not (cleaned.get(f"{topic}_skip_reason") or "").strip()
            ):
                self.add_error(f"{topic}_skip_reason", _("Geef de reden waarom dit niet nodig is."))
        return cleaned


class AcceptForm(forms.Form):
    steward = PersonChoiceField(queryset=User.objects.none(), label=_("Waakvlammer"), empty_label=None)
    backup = PersonChoiceField(
        queryset=User.objects.none(), label=_("Back-up"), required=False, empty_label=_("Nog geen back-up")
    )
    rhythm_days = forms.IntegerField(label=_("Ritme in dagen"), min_value=1, max_value=MAX_RHYTHM_DAYS, initial=14)
    basis = forms.ChoiceField(
        label=_("Grondslag"), choices=Basis.choices, initial=Basis.CONSENT, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, organisation_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = keepers_of(organisation_id)
        self.fields["steward"].queryset = people  # type: ignore[attr-defined]
        self.fields["backup"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        steward, backup = cleaned.get("steward"), cleaned.get("backup")
        if steward is not None and backup is not None and steward.pk == backup.pk:
            self.add_error("backup", _("De back-up is iemand anders dan de waakvlammer."))
        return cleaned


class ItemForm(forms.Form):
    state = _state_field()
    note = _text(_("Wat is afgesproken"))
    skip_reason = _text(_("Reden als het niet nodig is"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("state") == ItemState.SKIPPED and not (cleaned.get("skip_reason") or "").strip():
            self.add_error("skip_reason", _("Geef de reden waarom dit niet nodig is."))
        return cleaned
