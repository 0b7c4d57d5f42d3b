"""Collective first, visibly: the team coordinator sees how many of their organisation's connections went
to collective offers and how many to individual ones, per steward, team and neighbourhood. Counts of
referrals whose resident came; no resident is named, so nothing here is personal data to log."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.socialmap.referral_selectors import connection_counts

GROUPS = (("steward", _("Per waakvlammer")), ("team", _("Per team")), ("neighbourhood", _("Per buurt")))
DEFAULT_DAYS = 90


class PeriodForm(forms.Form):
    van = forms.DateField(required=False, label=_("Van"), widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(required=False, label=_("Tot en met"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            self.add_error("tot", _("De einddatum ligt voor de begindatum."))
        return data


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _with_share(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        total = row["collective"] + row["individual"]
        row["total"] = total
        row["share"] = round(100 * row["collective"] / total) if total else None
    return rows


@login_required
def referral_mix(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or user.role != Role.COORDINATOR or not user.organisation_id:
        raise Http404
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = today - timedelta(days=DEFAULT_DAYS), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data.get("van") or start, form.cleaned_data.get("tot") or end
    tables = [
        (
            code,
            label,
            _with_share(
                connection_counts(
                    user.municipality_id,
                    by=code,
                    since=_moment(start),
                    until=_moment(end + timedelta(days=1)),
                    organisation_id=user.organisation_id,
                )
            ),
        )
        for code, label in GROUPS
    ]
    return render(request, "socialmap/referral_mix.html", {"form": form, "tables": tables, "start": start, "end": end})
