"""Finding a resident by name, within need-to-know: only residents the user may already see, and every
resident shown leaves an access-log entry (a search result is a read of personal data)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waakvlam.contact import selectors
from waakvlam.contact.views import _user
from waakvlam.households.services import resident_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record


class ResidentFindForm(forms.Form):
    naam = forms.CharField(
        label=_("Naam of herkenbaar aan"),
        min_length=2,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"min_length": _("Typ minstens 2 tekens."), "required": _("Typ een naam om te zoeken.")},
    )


@login_required
def resident_find(request: HttpRequest) -> HttpResponse:
    user, now = _user(request), timezone.now()
    form = ResidentFindForm(request.GET or None)
    found = []
    if form.is_bound and form.is_valid():
        found = selectors.residents_named(user, form.cleaned_data["naam"], now)
        plans = dict(
            selectors.plans_visible_to(user, now)
            .filter(resident_id__in=[r.pk for r in found])
            .order_by("status", "-pk")
            .values_list("resident_id", "public_id")
        )
        with transaction.atomic():
            actor = Actor.from_request(request)
            for resident in found:
                resident.visible_plan_id = plans.get(resident.pk)  # type: ignore[attr-defined]
                access_log_record(
                    actor=actor,
                    action=AccessAction.VIEW,
                    object_type="households.resident",
                    object_id=resident.pk,
                    subject=resident_subject(resident.pk),
                    context="ui:resident_find",
                    reason="zoekresultaat op naam",
                    now=now,
                )
    return render(request, "contact/resident_find.html", {"form": form, "found": found})
