"""Thin views of the attention list: the team list, an item with "Waarom staat dit huishouden hier?",
taking it up or dismissing it, the algorithm register page and the functional admin's rule screen.
What may not be seen answers 404; every item shown is written to the access log, naming the household."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waakvlam.attention import selectors
from waakvlam.attention.configuration import (
    ConfigurationInvalid,
    configuration_change,
    configuration_for,
    configuration_history,
)
from waakvlam.attention.definitions import RULES_BY_NAME
from waakvlam.attention.forms import ConfigurationForm, DismissForm, TakeUpForm
from waakvlam.attention.models import AttentionItem, ItemStatus
from waakvlam.attention.register import register_entry
from waakvlam.attention.services import AttentionError, item_dismiss, item_take_up
from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.intake.selectors import signals_visible_to
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor, access_log_deferred, access_log_record

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not selectors.may_see_attention(user):
        raise Http404
    return user


def items_reads_record(*, items: list[AttentionItem], actor: Actor, context: str) -> None:
    """One entry per item shown, naming its household, so a resident's access request finds lists too."""
    with transaction.atomic(), access_log_deferred():
        for item in items:
            access_log_record(
                actor=actor,
                action=AccessAction.VIEW,
                object_type="attention.attentionitem",
                object_id=item.pk,
                subject=selectors.item_subject(item),
                context=context,
                reason="lijst",
            )


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("stand", ItemStatus.OPEN)
    if status not in ItemStatus.values:
        status = ItemStatus.OPEN
    teams = list(selectors.teams_of(user))
    team = request.GET.get("team", "")
    team_id = int(team) if team.isdigit() and len(team) < 18 and int(team) in {t.pk for t in teams} else None
    qs = selectors.items_filtered(selectors.items_visible_to(user), selectors.ItemFilters(status=status, team=team_id))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    items = list(page.object_list)
    items_reads_record(items=items, actor=Actor.from_request(request), context="ui:attention_list")
    language = get_language() or "nl"
    for item in items:
        item.titles = [  # type: ignore[attr-defined]
            RULES_BY_NAME[r["rule"]].title(language) if r["rule"] in RULES_BY_NAME else r["rule"] for r in item.reasons
        ]
    query = f"stand={status}" + (f"&team={team_id}" if team_id else "")
    context = {
        "page": page,
        "items": items,
        "status": status,
        "statuses": ItemStatus.choices,
        "teams": teams,
        "team_id": team_id,
        "query": query,
        "now": timezone.now(),
    }
    return render(request, "attention/list.html", context)


def _visible_item(request: HttpRequest, user: User, pk: UUID, context: str) -> AttentionItem:
    return get_visible_or_404(
        selectors.items_visible_to(user).select_related("household__address", "owner_team", "decided_by"),
        pk,
        actor=Actor.from_request(request),
        context=context,
        subject_of=selectors.item_subject,
        lookup="public_id",
    )


def _detail(
    request: HttpRequest,
    user: User,
    item: AttentionItem,
    *,
    take_up: TakeUpForm,
    dismiss: DismissForm,
    status: int = 200,
) -> HttpResponse:
    reasons = selectors.explanation(item, language=get_language() or "nl")
    signal_ids = {s["id"] for r in reasons for s in r["signals"]}
    visible = set(signals_visible_to(user).filter(pk__in=signal_ids).values_list("pk", flat=True))
    newest = max(signal_ids & visible, default=None)
    context = {
        "item": item,
        "reasons": reasons,
        "visible_signals": visible,
        "start_signal": newest,
        "take_up_form": take_up,
        "dismiss_form": dismiss,
        "is_open": item.status == ItemStatus.OPEN,
    }
    return render(request, "attention/detail.html", context, status=status)


@login_required
def item_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _user(request)
    item = _visible_item(request, user, pk, "ui:attention_detail")
    return _detail(request, user, item, take_up=TakeUpForm(), dismiss=DismissForm())


@login_required
@require_POST
def item_take_up_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _user(request)
    item = _visible_item(request, user, pk, "ui:attention_take_up")
    form = TakeUpForm(request.POST)
    if form.is_valid():
        try:
            item_take_up(
                item=item,
                how=form.cleaned_data["how"],
                note=form.cleaned_data["note"],
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
            )
        except AttentionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Vastgelegd: dit huishouden wordt opgepakt."))
            return redirect("attention:detail", pk=item.public_id)
    return _detail(request, user, item, take_up=form, dismiss=DismissForm(), status=400)


@login_required
@require_POST
def item_dismiss_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _user(request)
    item = _visible_item(request, user, pk, "ui:attention_dismiss")
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            item_dismiss(
                item=item,
                reason=form.cleaned_data["reason"],
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
            )
        except AttentionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Afgewezen. Het punt komt terug bij een nieuw signaal."))
            return redirect("attention:list")
    return _detail(request, user, item, take_up=TakeUpForm(), dismiss=form, status=400)


@login_required
def register_view(request: HttpRequest) -> HttpResponse:
    """The algorithm-register entry, for every logged-in user: the rules as they are configured now."""
    user = request.user
    assert isinstance(user, User)
    if not user.organisation_id or user.organisation is None:
        raise Http404
    entry = register_entry(user.organisation.municipality, language=get_language() or "nl")
    return render(request, "attention/register.html", {"entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def configuration_view(request: HttpRequest) -> HttpResponse:
    """The functional admin switches rules on and off and tunes them; each change is a new version."""
    user = request.user
    if not isinstance(user, User) or user.role != Role.ADMIN or user.organisation is None:
        raise Http404
    municipality_id = user.organisation.municipality_id
    config = configuration_for(municipality_id)
    language = get_language() or "nl"
    form = ConfigurationForm(request.POST or None, config=config, language=language)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                row = configuration_change(
                    municipality_id=municipality_id,
                    data=form.settings_data(config),
                    by=user,
                    note=form.cleaned_data["note"],
                    actor=Actor.from_request(request),
                    now=timezone.now(),
                )
            except ConfigurationInvalid as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Regels opgeslagen als versie %(v)s.") % {"v": row.version})
                return redirect("attention:configuration")
        status = 400
    context = {"form": form, "config": config, "history": configuration_history(municipality_id)}
    return render(request, "attention/configuration.html", context, status=status)
