"""The two report forms (professional and public) and the tracking-code form. Dutch, short, accessible:
labels and hints say what is asked and why; errors name the field."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from waakvlam.core.addresses import AddressError, normalise_address
from waakvlam.intake.models import Category, Urgency
from waakvlam.intake.services import (
    MAX_DESCRIPTION,
    AddressInput,
    SignalInput,
    postcode_elsewhere,
    tracking_code_normalise,
)

_DESCRIPTION_HINT = _(
    "Wat zag of hoorde je, en sinds wanneer? Schrijf alleen op wat nodig is: geen namen van anderen, geen "
    "telefoonnummers of BSN, geen diagnoses."
)


class SignalForm(forms.Form):
    """The one-minute form for professionals: what, how urgent, where, and what was seen."""

    category = forms.ChoiceField(
        label=_("Waar maak je je zorgen over?"),
        choices=[("", _("Kies een soort zorg")), *Category.choices],
        error_messages={"required": _("Kies waar je je zorgen over maakt.")},
    )
    urgency = forms.ChoiceField(
        label=_("Hoe snel moet er iemand naar kijken?"),
        # The level's one word (Urgency) first, then what it means for the reporter.
        choices=[
            (Urgency.NORMAL, format_lazy("{}: {}", Urgency.NORMAL.label, _("binnen een paar werkdagen"))),
            (
                Urgency.HIGH,
                format_lazy("{}: {}", Urgency.HIGH.label, _("dezelfde dag (bij acuut gevaar: bel 112)")),
            ),
        ],
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe snel er iemand naar moet kijken.")},
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    house_number = forms.CharField(
        label=_("Huisnummer"),
        max_length=16,
        required=False,
        help_text=_("Met letter of toevoeging als die er is, bijvoorbeeld 12A of 12-2."),
    )
    location_text = forms.CharField(
        label=_("Of: waar was het?"),
        max_length=200,
        required=False,
        help_text=_("Als er geen adres is, bijvoorbeeld: bankje bij de speeltuin aan het Kerkplein."),
    )
    description = forms.CharField(
        label=_("Wat is er gezien?"),
        max_length=MAX_DESCRIPTION,
        required=False,
        help_text=_DESCRIPTION_HINT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": _("Beschrijf het in hoogstens %(limit_value)d tekens (nu %(show_value)d).")},
    )
    form_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_id", uuid.uuid4().hex)

    def clean_form_id(self) -> str:
        value = self.cleaned_data.get("form_id") or ""
        return value if len(value) == 32 and value.isalnum() else uuid.uuid4().hex

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        postcode = (cleaned.get("postcode") or "").strip()
        number = (cleaned.get("house_number") or "").strip()
        place = (cleaned.get("location_text") or "").strip()
        if postcode or number:
            if not postcode:
                self.add_error("postcode", _("Vul de postcode in, of laat het adres leeg en beschrijf de plek."))
            elif not number:
                self.add_error("house_number", _("Vul het huisnummer in."))
            else:
                try:
                    normal = normalise_address(postcode, number)
                except AddressError as error:
                    self.add_error("postcode" if error.field == "postcode" else "house_number", error.message)
                else:
                    cleaned["address"] = AddressInput(
                        normal.postcode, normal.house_number, normal.house_letter, normal.house_number_addition
                    )
        elif not place:
            self.add_error("postcode", _("Vul een adres in (postcode en huisnummer), of beschrijf de plek."))
        return cleaned

    def signal_input(self) -> SignalInput:
        data = self.cleaned_data
        return SignalInput(
            category=data["category"],
            urgency=data["urgency"],
            description=data.get("description") or "",
            address=data.get("address"),
            location_text=data.get("location_text") or "",
        )

    def hashable(self) -> dict[str, Any]:
        """What identifies this submission for the double-submit check."""
        return {k: v for k, v in self.cleaned_data.items() if k not in {"address", "form_id"}}


class PublicSignalForm(SignalForm):
    """For residents: the same questions, and optionally who they are and whether they may be contacted."""

    name = forms.CharField(
        label=_("Je naam"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Je telefoonnummer"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Je e-mailadres"),
        max_length=254,
        required=False,
        help_text=_("Dan krijg je een e-mail als je melding is ontvangen, is opgepakt en is afgesloten."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")},
    )
    may_contact = forms.BooleanField(
        label=_("De waakvlammer mag contact met mij opnemen"),
        required=False,
        help_text=_("Alleen dan bewaren we je naam en telefoonnummer."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].label = _("Waar maak je je zorgen over?")
        self.fields["description"].help_text = _(
            "Wat zag of hoorde je, en sinds wanneer? Namen van anderen, telefoonnummers en BSN zijn niet nodig."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        address = cleaned.get("address")
        # Said on the first submit, with every other error: a report about an address elsewhere lands nowhere.
        elsewhere = postcode_elsewhere(address.postcode) if address else None
        if elsewhere is not None:
            self.add_error(
                "postcode",
                _(
                    "Deze postcode ligt niet in de gemeente %(name)s. Hier kun je alleen zorgen melden over adressen "
                    "in %(name)s; neem voor andere adressen contact op met de gemeente waar het adres ligt."
                )
                % {"name": elsewhere.name},
            )
        if cleaned.get("may_contact") and not (
            (cleaned.get("phone") or "").strip() or (cleaned.get("email") or "").strip()
        ):
            self.add_error("phone", _("Vul een telefoonnummer of e-mailadres in, zodat we contact kunnen opnemen."))
        return cleaned


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Volgcode"),
        max_length=40,
        help_text=_("De code van 10 tekens die je kreeg na het melden, bijvoorbeeld K7QM3XZ9PA."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Vul je volgcode in.")},
    )

    def clean_code(self) -> str:
        code = tracking_code_normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Vul je volgcode in."))
        return code
