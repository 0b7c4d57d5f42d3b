"""Forms of the pilot light, in Dutch, short and accessible. Validation that belongs to the domain lives in
the services; these forms only make sure the values have the right shape, and show the services' errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from waakvlam.contact.models import (
    MAX_NOTE,
    MAX_PLAN_TEXT,
    MAX_RHYTHM_DAYS,
    Basis,
    CallMoment,
    Channel,
    DataKind,
    Wellbeing,
)
from waakvlam.core.models import Organisation, User
from waakvlam.core.roles import Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


def keepers_of(organisation_id: int | None) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=organisation_id or 0, role__in=[Role.STEWARD, Role.COORDINATOR], is_active=True
    ).order_by("first_name", "last_name", "username")


RHYTHM_HINT = _("Hoe vaak er minstens contact is, in dagen: bijvoorbeeld 14 (twee weken) of 42 (zes weken).")


class PlanForm(forms.Form):
    steward = PersonChoiceField(queryset=User.objects.none(), label=_("Waakvlammer"), empty_label=None)
    backup = PersonChoiceField(
        queryset=User.objects.none(),
        label=_("Back-up"),
        required=False,
        empty_label=_("Nog geen back-up"),
        help_text=_("Neemt het contact over bij afwezigheid of vertrek van de waakvlammer."),
    )
    rhythm_days = forms.IntegerField(
        label=_("Ritme in dagen"), min_value=1, max_value=MAX_RHYTHM_DAYS, initial=14, help_text=RHYTHM_HINT
    )
    starts_on = forms.DateField(label=_("Start"), widget=DateInput())
    ends_on = forms.DateField(label=_("Einde"), required=False, widget=DateInput())
    basis = forms.ChoiceField(
        label=_("Grondslag"),
        choices=Basis.choices,
        widget=forms.RadioSelect,
        help_text=_("Waarom mogen we contact houden? Dit wordt vastgelegd met jouw naam en de datum."),
    )
    basis_note = forms.CharField(
        label=_("Toelichting grondslag"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: mondeling toestemming gegeven bij het eerste huisbezoek."),
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
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Het einde ligt op of na de start."))
        return cleaned


class ResidentPlanForm(PlanForm):
    """A new resident and their contact plan in one go (from "my residents" or from a signal)."""

    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Of: herkenbaar aan"),
        max_length=200,
        required=False,
        help_text=_("Voor wie (nog) geen naam heeft, bijvoorbeeld: oudere man, 2e verdieping."),
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    house_number = forms.CharField(
        label=_("Huisnummer"), max_length=16, required=False, help_text=_("Met letter of toevoeging, zoals 12A.")
    )
    signal = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**62)

    field_order = ["name", "description", "postcode", "house_number", "steward", "backup", "rhythm_days"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not (cleaned.get("name") or "").strip() and not (cleaned.get("description") or "").strip():
            self.add_error("name", _("Geef een naam, of beschrijf waaraan je de bewoner herkent."))
        postcode, number = (cleaned.get("postcode") or "").strip(), (cleaned.get("house_number") or "").strip()
        if bool(postcode) != bool(number):
            self.add_error(
                "postcode" if not postcode else "house_number", _("Vul postcode én huisnummer in, of geen van beide.")
            )
        return cleaned


class ContactMomentForm(forms.Form):
    happened_on = forms.DateField(label=_("Datum"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Hoe"), choices=Channel.choices, widget=forms.RadioSelect)
    made = forms.TypedChoiceField(
        label=_("Contact gehad?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee, niet bereikt"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    wellbeing = forms.ChoiceField(
        label=_("Hoe gaat het?"),
        choices=Wellbeing.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Verplicht als je contact had. Niet bereikt? Laat dit dan leeg."),
    )
    note = forms.CharField(
        label=_("Korte notitie"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hoogstens 500 tekens. Wat helpt, wat is afgesproken — geen diagnoses, geen namen van anderen."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("made") is True and not cleaned.get("wellbeing"):
            self.add_error("wellbeing", _("Kies hoe het gaat."))
        elif cleaned.get("made") is False and cleaned.get("wellbeing"):
            # Never drop an answer silently: either there was contact, or nobody could say how it goes.
            self.add_error(
                "wellbeing",
                _(
                    "Je koos 'niet bereikt', maar ook hoe het gaat. Kies 'Ja' als je wel contact had, of maak "
                    "'Hoe gaat het?' leeg."
                ),
            )
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class PlanCloseForm(ReasonForm):
    """Closing a plan ends the contact and its escalation: the steward confirms it on purpose."""

    confirm = forms.BooleanField(
        label=_("Ik weet dat dit waakvlamcontact hiermee stopt en niet meer op de lijsten komt."),
        error_messages={"required": _("Bevestig dat je dit waakvlamcontact wilt afsluiten.")},
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _plan_text(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_PLAN_TEXT,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EarlyWarningPlanForm(forms.Form):
    strengths = _plan_text(_("Wat goed gaat, wat helpt, wensen"), _("In de woorden van de bewoner. Geen diagnoses."))
    green_signs = _plan_text(_("Zo merk ik dat het goed gaat"))
    green_self = _plan_text(_("Wat ik zelf doe"))
    green_network = _plan_text(_("Wat mijn omgeving doet"))
    green_professionals = _plan_text(_("Wat hulpverleners doen"))
    orange_signs = _plan_text(_("Vroege signalen: zo merk ik dat het minder gaat"))
    orange_self = _plan_text(_("Wat ik zelf doe"))
    orange_network = _plan_text(_("Wat mijn omgeving doet"))
    orange_professionals = _plan_text(_("Wat hulpverleners doen"))
    red_signs = _plan_text(_("Signalen van een crisis"))
    red_self = _plan_text(_("Wat ik zelf doe"))
    red_network = _plan_text(_("Wat mijn omgeving doet"))
    red_professionals = _plan_text(_("Wat hulpverleners doen"))
    agreed_on = forms.DateField(label=_("Besproken met de bewoner op"), required=False, widget=DateInput())

    def phase_fields(self) -> list[dict[str, Any]]:
        labels = {
            "green": _("Groen: het gaat goed"),
            "orange": _("Oranje: het gaat minder"),
            "red": _("Rood: het gaat niet goed"),
        }
        return [
            {
                "phase": phase,
                "label": label,
                "fields": [self[f"{phase}_{part}"] for part in ("signs", "self", "network", "professionals")],
            }
            for phase, label in labels.items()
        ]


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    relation = forms.CharField(
        label=_("Relatie"), max_length=100, required=False, help_text=_("Bijvoorbeeld: zus, buurvrouw.")
    )
    phone = forms.CharField(
        label=_("Telefoon"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    call_when = forms.ChoiceField(label=_("Bellen"), choices=CallMoment.choices, initial=CallMoment.ORANGE)
    consent_given = forms.BooleanField(label=_("Deze persoon weet ervan en vindt het goed"), required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any((data.get(name) or "").strip() for name in ("name", "relation", "phone"))


PeopleFormSet = forms.formset_factory(PersonForm, extra=2, max_num=10, absolute_max=12, validate_max=True)


class ConsentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Met welke organisatie"), empty_label=_("Kies een organisatie")
    )
    data_kind = forms.ChoiceField(label=_("Welke gegevens"), choices=DataKind.choices, widget=forms.RadioSelect)
    purpose = forms.CharField(
        label=_("Doel"),
        max_length=200,
        help_text=_("Waarvoor mag deze organisatie het zien? Bijvoorbeeld: nazorg na opname."),
    )
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Geldig tot en met (of herzien op)"),
        widget=DateInput(),
        help_text=_("Hoogstens een jaar na de begindatum; bespreek het dan opnieuw met de bewoner."),
        error_messages={"required": _("Geef een einddatum of de datum waarop u het opnieuw met de bewoner bespreekt.")},
    )

    def __init__(
        self, *args: Any, municipality_id: int | None = None, today: date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(municipality_id=municipality_id or 0)  # type: ignore[attr-defined]
        if today and not self.is_bound:
            self.initial.setdefault("valid_from", today)


class HandToBackupForm(forms.Form):
    # Nothing preselected: moving someone's whole caseload starts with choosing them on purpose.
    steward = PersonChoiceField(
        queryset=User.objects.none(),
        label=_("Waakvlammer die vertrekt"),
        empty_label=_("Kies een waakvlammer"),
        error_messages={"required": _("Kies de waakvlammer die vertrekt.")},
    )
    fallback = PersonChoiceField(
        queryset=User.objects.none(),
        label=_("Voor contacten zonder back-up"),
        required=False,
        empty_label=_("Niemand: die blijven staan"),
    )

    def __init__(self, *args: Any, organisation_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = keepers_of(organisation_id)
        self.fields["steward"].queryset = people.filter(role=Role.STEWARD)  # type: ignore[attr-defined]
        self.fields["fallback"].queryset = people  # type: ignore[attr-defined]
