"""Thin views: the inboxes, the coordinator's rules screen, and the signal actions.

Anyone without the role for a screen gets a 404, like an object they may not see (SECURITY.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waakvlam.core.errors import form_attempt
from waakvlam.core.models import Municipality, Team, User
from waakvlam.core.roles import Role
from waakvlam.intake.models import Signal
from waakvlam.intake.selectors import signals_visible_to
from waakvlam.privacy.services import Actor
from waakvlam.routing import rules as perms
from waakvlam.routing import selectors
from waakvlam.routing.forms import CloseForm, ExplanationForm, RoutingRuleForm, TransferForm
from waakvlam.routing.models import RoutingRule
from waakvlam.routing.regie import open_question, signal_explanation_give
from waakvlam.routing.rule_services import (
    fallback_exists,
    routing_rule_create,
    routing_rule_move,
    routing_rule_set_active,
    routing_rule_update,
)
from waakvlam.routing.services import signal_claim, signal_close, signal_transfer

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- inboxes -------------------------------------------------------------------------------------------


def _inbox_page(request: HttpRequest, *, team: Team | None, teams: Any) -> HttpResponse:
    user, now = _user(request), timezone.now()
    signals = selectors.inbox_signals(user, team=team)
    tab = request.GET.get("tab", "new")
    if tab not in selectors.INBOX_TABS:
        tab = "new"
    counts = selectors.inbox_counts(signals, user, now)
    page = Paginator(selectors.inbox_tab(signals, tab, user, now), PAGE_SIZE).get_page(request.GET.get("pagina"))
    base = {"tab": tab, **({"team": str(team.pk)} if team else {})}
    tabs = [
        {"key": key, "label": label, "count": counts[key], "current": key == tab}
        for key, label in (
            ("new", _("Nieuw")),
            ("mine", _("Van mij")),
            ("overdue", _("Te laat")),
            ("escalated", _("Geëscaleerd")),
        )
    ]
    context = {
        "team": team,
        "teams": teams,
        "tabs": tabs,
        "tab": tab,
        "page": page,
        "now": now,
        "query": "&".join(f"{k}={v}" for k, v in base.items()),
        "team_query": f"team={team.pk}&" if team else "",
    }
    return render(request, "routing/inbox.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Mine: open signals of my own teams and the ones routed to me."""
    if not perms.uses_inbox(_user(request)):
        raise Http404
    return _inbox_page(request, team=None, teams=selectors.inbox_teams(_user(request)))


@login_required
def team_inbox(request: HttpRequest) -> HttpResponse:
    """One team's inbox; coordinators may open every team of their organisation."""
    user = _user(request)
    if not perms.uses_inbox(user):
        raise Http404
    teams = selectors.inbox_teams(user)
    chosen = request.GET.get("team")
    team = teams.filter(pk=chosen).first() if chosen and chosen.isdigit() else teams.first()
    if team is None:
        raise Http404
    return _inbox_page(request, team=team, teams=teams)


# --- actions on a signal -------------------------------------------------------------------------------


def _actionable(request: HttpRequest, pk: int) -> Signal:
    user = _user(request)
    signal = signals_visible_to(user).select_related("owner_team", "neighbourhood").filter(pk=pk).first()
    if signal is None or not perms.user_may_act(user, signal):
        raise Http404
    return signal


def _after_action(request: HttpRequest, signal: Signal) -> HttpResponse:
    if signals_visible_to(_user(request)).filter(pk=signal.pk).exists():
        return redirect("intake:signal_detail", pk=signal.pk)
    return redirect("routing:inbox")


@login_required
@require_POST
def signal_claim_view(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _actionable(request, pk)
    with form_attempt(request) as attempt:
        signal_claim(
            signal=signal, by=_user(request), now=timezone.now(), actor=Actor.from_request(request), context="ui:claim"
        )
    if attempt.ok:
        messages.success(request, _('Je hebt het signaal opgepakt. De melder ziet nu "opgepakt".'))
    return _after_action(request, signal)


@login_required
def signal_transfer_view(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _actionable(request, pk)
    form = TransferForm(request.POST or None, municipality_id=signal.municipality_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with form_attempt(request, form) as attempt:
            signal_transfer(
                signal=signal,
                by=_user(request),
                reason=data["reason"],
                to_team=data.get("team"),
                to_user=data.get("user"),
                now=timezone.now(),
                actor=Actor.from_request(request),
                context="ui:transfer",
            )
        if attempt.ok:
            target = data.get("user") or data.get("team")
            messages.success(request, _("Het signaal is overgedragen aan %(target)s.") % {"target": target})
        if not attempt.invalid:  # done, or refused by the signal's state (shown as a message)
            return _after_action(request, signal)
    return render(request, "routing/signal_transfer.html", {"signal": signal, "form": form})


@login_required
def signal_explain_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator of the owning organisation answers the municipality's question about a stuck signal."""
    user = _user(request)
    signal = signals_visible_to(user).select_related("owner_team__organisation").filter(pk=pk).first()
    if signal is None or user.role != Role.COORDINATOR or user.organisation_id != signal.owner_team.organisation_id:
        raise Http404
    question = open_question(signal)
    form = ExplanationForm(request.POST or None)
    if request.method == "POST" and question is not None and form.is_valid():
        with form_attempt(request, form) as attempt:
            signal_explanation_give(
                signal=signal,
                by=user,
                text=form.cleaned_data["text"],
                now=timezone.now(),
                actor=Actor.from_request(request),
                context="ui:explain",
            )
        if attempt.ok:
            messages.success(request, _("Je uitleg is naar de gemeente gestuurd."))
            return _after_action(request, signal)
    return render(request, "routing/signal_explain.html", {"signal": signal, "form": form, "question": question})


@login_required
def signal_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _actionable(request, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_attempt(request, form) as attempt:
            signal_close(
                signal=signal,
                by=_user(request),
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                now=timezone.now(),
                actor=Actor.from_request(request),
                context="ui:close",
            )
        if attempt.ok:
            messages.success(request, _('Het signaal is afgesloten. De melder ziet nu "afgesloten".'))
        if not attempt.invalid:  # done, or refused by the signal's state (shown as a message)
            return _after_action(request, signal)
    return render(request, "routing/signal_close.html", {"signal": signal, "form": form})


# --- the coordinator's rules ---------------------------------------------------------------------------


def _rule_manager(request: HttpRequest) -> Municipality:
    user = _user(request)
    if not perms.may_manage_rules(user):
        raise Http404
    return Municipality.objects.get(pk=user.municipality_id)


def _own_rule(request: HttpRequest, pk: int) -> RoutingRule:
    return get_object_or_404(selectors.rules_for(_user(request)), pk=pk)


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    municipality = _rule_manager(request)
    rules = list(selectors.rules_for(_user(request)))
    ordinary = [r for r in rules if not r.is_fallback]
    context = {
        "municipality": municipality,
        "rules": rules,
        "first_pk": ordinary[0].pk if ordinary else None,
        "last_pk": ordinary[-1].pk if ordinary else None,
        "has_fallback": any(r.is_fallback for r in rules),
    }
    return render(request, "routing/rule_list.html", context)


@login_required
def rule_create(request: HttpRequest) -> HttpResponse:
    municipality = _rule_manager(request)
    fallback = not fallback_exists(municipality)
    form = RoutingRuleForm(request.POST or None, municipality=municipality, fallback=fallback)
    if request.method == "POST" and form.is_valid():
        with form_attempt(request, form) as attempt:
            rule = routing_rule_create(
                municipality=municipality, values=form.values(), now=timezone.now(), fallback=fallback
            )
        if attempt.ok:
            messages.success(request, _('Regel "%(name)s" is toegevoegd.') % {"name": rule.name})
            return redirect("routing:rule_list")
    return render(request, "routing/rule_form.html", {"form": form, "rule": None, "fallback": fallback})


@login_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = _rule_manager(request)
    rule = _own_rule(request, pk)
    form = RoutingRuleForm(request.POST or None, instance=rule, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        with form_attempt(request, form) as attempt:
            routing_rule_update(rule=rule, values=form.values(), now=timezone.now())
        if attempt.ok:
            messages.success(request, _('Regel "%(name)s" is opgeslagen.') % {"name": rule.name})
            return redirect("routing:rule_list")
    return render(request, "routing/rule_form.html", {"form": form, "rule": rule, "fallback": rule.is_fallback})


@login_required
@require_POST
def rule_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    _rule_manager(request)
    rule = _own_rule(request, pk)
    routing_rule_move(rule=rule, up=direction == "omhoog", now=timezone.now())
    return redirect(reverse("routing:rule_list") + f"#regel-{rule.pk}")


@login_required
@require_POST
def rule_set_active(request: HttpRequest, pk: int, state: str) -> HttpResponse:
    _rule_manager(request)
    rule = _own_rule(request, pk)
    with form_attempt(request) as attempt:
        routing_rule_set_active(rule=rule, active=state == "aan", now=timezone.now())
    if attempt.ok:
        done = _("aangezet") if rule.active else _("uitgezet")
        messages.success(request, _('Regel "%(name)s" is %(done)s.') % {"name": rule.name, "done": done})
    return redirect(reverse("routing:rule_list") + f"#regel-{rule.pk}")
