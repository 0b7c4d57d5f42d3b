"""The search-and-filter form above the signal list. It only validates what the URL says and turns it
into `SignalFilters`; the narrowing itself is the selector's (`signals_filtered`), the same as the API's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import Neighbourhood, Team, User
from waakvlam.core.roles import Role
from waakvlam.intake.models import Category, Status
from waakvlam.intake.selectors import SignalFilters

_OVERDUE = {"ja": True, "nee": False}


class SignalFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Volgcode of eigen kenmerk"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Alle")), *Status.choices])
    category = forms.ChoiceField(label=_("Soort zorg"), required=False, choices=[("", _("Alle")), *Category.choices])
    neighbourhood = forms.ChoiceField(label=_("Buurt"), required=False)
    owner = forms.ChoiceField(label=_("Eigenaar"), required=False)
    overdue = forms.ChoiceField(
        label=_("Te laat"),
        required=False,
        choices=[("", _("Alle")), ("ja", _("Alleen te laat")), ("nee", _("Niet te laat"))],
    )
    received_from = forms.DateField(
        label=_("Ontvangen vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Ontvangen tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = user.organisation
        hoods = Neighbourhood.objects.filter(municipality_id=organisation.municipality_id if organisation else 0)
        hood_field = self.fields["neighbourhood"]
        assert isinstance(hood_field, forms.ChoiceField)
        hood_field.choices = [("", _("Alle")), *((n.code, n.name) for n in hoods.order_by("name"))]
        owners: list[tuple[str, Any]] = [("", _("Iedereen")), (user.username, _("Ik zelf"))]
        teams = Team.objects.filter(organisation_id=user.organisation_id or 0)
        if user.role != Role.COORDINATOR:
            teams = teams.filter(members=user)
        owners += [(str(t.pk), t.name) for t in teams.order_by("name")]
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ChoiceField)
        owner_field.choices = owners

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("Deze datum ligt vóór 'ontvangen vanaf'."))
        return cleaned

    def filters(self) -> SignalFilters:
        data = self.cleaned_data
        return SignalFilters(
            status=data.get("status") or "",
            category=data.get("category") or "",
            neighbourhood=data.get("neighbourhood") or "",
            owner=data.get("owner") or "",
            overdue=_OVERDUE.get(data.get("overdue") or ""),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            text=data.get("q") or "",
        )

    def is_filtering(self) -> bool:
        return self.is_bound and self.is_valid() and any(v not in (None, "") for v in self.cleaned_data.values())
