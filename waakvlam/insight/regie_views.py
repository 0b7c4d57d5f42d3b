"""The regie's page for one stuck signal: metadata only, and three ways to unblock it.

Reached from the stuck page (/regie/vastgelopen/). Only the municipality's own people (role municipality) of
the signal's municipality see it, and only for a signal at the top of the ladder or one they acted on
before; anyone else gets a 404. The page shows the reference, category, neighbourhood, team, level and what
the regie and the coordinators said; never the description, the address or the reporter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waakvlam.cases.models import AreaMeeting
from waakvlam.core.errors import form_attempt
from waakvlam.core.models import Team, User
from waakvlam.insight.regie import open_meetings_for, stuck_signal_to_area_meeting
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.intake.selectors import signal_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record
from waakvlam.routing.regie import (
    EXPLAINED,
    REGIE_KINDS,
    is_regie,
    regie_may_act,
    signal_explanation_ask,
    signal_regie_transfer,
)

# What the page shows of the history: escalations, the regie's actions and what unblocked the signal.
# The notes of these kinds are written for the municipality (reasons, questions, explanations).
SHOWN_KINDS = ("escalated", "claimed", "transferred", "closed", EXPLAINED, *REGIE_KINDS)
NOTES_SHOWN = (EXPLAINED, *REGIE_KINDS)


class RegieTransferForm(forms.Form):
    team = forms.ModelChoiceField(label=gettext_lazy("Naar team"), queryset=Team.objects.none())
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Zonder namen of gezondheidsgegevens; het nieuwe team ziet het signaal zelf."),
    )

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(municipality_id=municipality_id).select_related("organisation")
        self.fields["team"].queryset = teams.order_by("organisation__name", "name")  # type: ignore[attr-defined]
        self.fields["team"].label_from_instance = lambda t: f"{t.name} ({t.organisation.name})"  # type: ignore[attr-defined]


class AskForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("Vraag aan de coördinator"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("De coördinatoren van de organisatie die het signaal heeft krijgen een bericht."),
    )


class MeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(label=gettext_lazy("Gebiedsoverleg"), queryset=AreaMeeting.objects.none())
    due_on = forms.DateField(label=gettext_lazy("Taak klaar uiterlijk"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, meetings: list[AreaMeeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        # The labels name each meeting's neighbourhood: fetched with the meetings, not once per option.
        chosen = AreaMeeting.objects.filter(pk__in=[m.pk for m in meetings])
        field.queryset = chosen.select_related("neighbourhood")  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: f"{m.neighbourhood.name}, {m.meets_on:%d-%m-%Y}: {m.topic}"  # type: ignore[attr-defined]


def _signal_for_regie(user: User, pk: int) -> Signal:
    signal = (
        Signal.objects.select_related("owner_team__organisation", "neighbourhood", "municipality")
        .filter(pk=pk, municipality_id=user.municipality_id)
        .first()
    )
    if signal is None or not is_regie(user):
        raise Http404
    if regie_may_act(user, signal):
        return signal
    if not SignalEvent.objects.filter(signal_id=signal.pk, kind__in=REGIE_KINDS).exists():
        raise Http404
    return signal


@login_required
def regie_signal(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    signal = _signal_for_regie(user, pk)
    now, actor = timezone.now(), Actor.from_request(request)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    meetings = open_meetings_for(signal, user.municipality_id)
    transfer = RegieTransferForm(
        request.POST if action == "transfer" else None, municipality_id=signal.municipality_id, prefix="transfer"
    )
    ask = AskForm(request.POST if action == "ask" else None, prefix="ask")
    meeting = MeetingForm(request.POST if action == "meeting" else None, meetings=meetings, prefix="meeting")
    forms_by_action: dict[str, forms.Form] = {"transfer": transfer, "ask": ask, "meeting": meeting}
    form = forms_by_action.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        with form_attempt(request, form) as attempt:
            if action == "transfer":
                signal_regie_transfer(
                    signal=signal,
                    by=user,
                    to_team=data["team"],
                    reason=data["reason"],
                    now=now,
                    actor=actor,
                    context="ui:regie_transfer",
                )
                messages.success(request, _("Het signaal is overgedragen aan %(team)s.") % {"team": data["team"].name})
            elif action == "ask":
                signal_explanation_ask(
                    signal=signal, by=user, question=data["question"], now=now, actor=actor, context="ui:regie_ask"
                )
                messages.success(request, _("Je vraag is naar de coördinatoren gestuurd."))
            else:
                stuck_signal_to_area_meeting(
                    signal=signal, meeting=data["meeting"], due_on=data["due_on"], by=user, now=now, actor=actor
                )
                messages.success(
                    request, _("Het signaal staat op het gebiedsoverleg, met een taak voor de organisatie.")
                )
        if attempt.ok:
            return redirect("insight:regie_signal", pk=signal.pk)
    else:
        access_log_record(
            actor=actor,
            action=AccessAction.VIEW,
            object_type="intake.signal",
            object_id=signal.pk,
            subject=signal_subject(signal),
            municipality_code=signal.municipality.code,
            context="ui:regie_signal",
            now=now,
        )
    history = [
        {"at": e.at, "kind": e.kind, "label": e.actor_label, "note": e.note if e.kind in NOTES_SHOWN else ""}
        for e in SignalEvent.objects.filter(signal_id=signal.pk, kind__in=SHOWN_KINDS).order_by("at", "pk")
    ]
    return render(
        request,
        "insight/regie_signal.html",
        {
            "signal": signal,
            "may_act": regie_may_act(user, signal),
            "transfer": transfer,
            "ask": ask,
            "meeting": meeting,
            "has_meetings": bool(meetings),
            "history": history,
            "now": now,
        },
    )
