"""The coordinator's team view: overdue plans across the teams, caseload per steward, and a leaving
steward's plans handed to the back-ups — previewed, confirmed, and undoable for a few minutes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from waakvlam.contact import selectors
from waakvlam.contact.departure import (
    UNDO_MINUTES,
    DepartureChanged,
    departure_confirmation,
    departure_confirmed,
    departure_preview,
    departure_preview_log,
    departure_undo,
    departure_undo_load,
    departure_undo_token,
)
from waakvlam.contact.errors import InvalidInput
from waakvlam.contact.forms import HandToBackupForm
from waakvlam.contact.models import PlanStatus
from waakvlam.contact.services import plans_hand_to_backup
from waakvlam.contact.views import PAGE_SIZE, _user
from waakvlam.core.models import Team, User
from waakvlam.core.roles import Role
from waakvlam.households.services import resident_subject
from waakvlam.privacy.services import Actor, access_log_reads

_UNDO_SESSION = "contact_departure_undo"


def _coordinator(request: HttpRequest) -> User:
    user = _user(request)
    if user.role != Role.COORDINATOR:
        raise Http404
    return user


@login_required
def team_view(request: HttpRequest) -> HttpResponse:
    user = _coordinator(request)
    now = timezone.now()
    today = selectors.today_of(now)
    teams = Team.objects.filter(organisation_id=selectors.org_of(user)).order_by("name")
    team_id = request.GET.get("team", "")
    chosen = teams.filter(pk=int(team_id)).first() if team_id.isdigit() and len(team_id) < 18 else None
    overdue = selectors.plans_overdue_for_organisation(selectors.org_of(user), now)
    if chosen is not None:
        overdue = overdue.filter(team=chosen)
    overdue = overdue.select_related("resident", "steward", "backup", "team").order_by("next_contact_due", "pk")
    page = Paginator(overdue, PAGE_SIZE).get_page(request.GET.get("pagina"))
    active = Q(contact_plans__status=PlanStatus.ACTIVE)
    caseload = (
        User.objects.filter(organisation_id=selectors.org_of(user), role__in=[Role.STEWARD, Role.COORDINATOR])
        .annotate(
            active=Count("contact_plans", filter=active, distinct=True),
            overdue=Count("contact_plans", filter=active & Q(contact_plans__next_contact_due__lt=today), distinct=True),
            without_backup=Count("contact_plans", filter=active & Q(contact_plans__backup__isnull=True), distinct=True),
        )
        .order_by("first_name", "username")
    )
    access_log_reads(
        actor=Actor.from_request(request),
        object_type="contact.contactplan",
        reads=[(plan.pk, resident_subject(plan.resident_id)) for plan in page.object_list],
        context="ui:team_view",
        reason="te laat",
    )
    context = {
        "teams": teams,
        "chosen": chosen,
        "page": page,
        "today": today,
        "caseload": caseload,
        "backup_form": HandToBackupForm(organisation_id=user.organisation_id),
        "query": f"team={chosen.pk}" if chosen else "",
        "undo": _undo_pending(request, user),
        "undo_minutes": UNDO_MINUTES,
    }
    return render(request, "contact/team.html", context)


def _undo_pending(request: HttpRequest, user: User) -> bool:
    token = request.session.get(_UNDO_SESSION, "")
    if token and departure_undo_load(token, by=user, now=timezone.now()) is None:
        request.session.pop(_UNDO_SESSION, None)
        return False
    return bool(token)


@login_required
@require_POST
def hand_to_backup(request: HttpRequest) -> HttpResponse:
    """First POST: the preview. Only a POST carrying the preview's signed confirmation moves plans."""
    user = _coordinator(request)
    form = HandToBackupForm(request.POST, organisation_id=user.organisation_id)
    if not form.is_valid():
        messages.error(request, _("Kies de waakvlammer die vertrekt."))
        return redirect("contact:team")
    steward, fallback = form.cleaned_data["steward"], form.cleaned_data.get("fallback")
    now, actor = timezone.now(), Actor.from_request(request)
    try:
        rows = departure_preview(steward=steward, fallback=fallback, by=user)
        confirmed = departure_confirmed(
            request.POST.get("bevestiging", ""), steward=steward, fallback=fallback, by=user, rows=rows
        )
    except DepartureChanged:
        messages.warning(request, _("Er is intussen iets veranderd. Bekijk het nieuwe overzicht en bevestig opnieuw."))
        confirmed = False
    if not confirmed:
        departure_preview_log(rows, actor=actor, now=now)
        return render(request, "contact/team_departure_preview.html", _preview_context(form, rows, steward, user))
    try:
        result = plans_hand_to_backup(
            steward=steward, fallback=fallback, by=user, actor=actor, now=now, context="ui:hand_to_backup"
        )
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect("contact:team")
    moved = len(result.moved)
    text = ngettext(
        "%(moved)d waakvlamcontact overgedragen aan de back-up.",
        "%(moved)d waakvlamcontacten overgedragen aan de back-up.",
        moved,
    ) % {"moved": moved}
    if result.backup_cleared:
        n = len(result.backup_cleared)
        text += " " + ngettext(
            "Bij %(n)d waakvlamcontact is de back-up vervallen.",
            "Bij %(n)d waakvlamcontacten is de back-up vervallen.",
            n,
        ) % {"n": n}
    if result.without_backup:
        n = len(result.without_backup)
        messages.warning(
            request,
            ngettext(
                "%(n)d waakvlamcontact heeft geen back-up en staat nog bij de vertrekkende waakvlammer.",
                "%(n)d waakvlamcontacten hebben geen back-up en staan nog bij de vertrekkende waakvlammer.",
                n,
            )
            % {"n": n},
        )
    messages.success(request, text)
    if result.before:
        request.session[_UNDO_SESSION] = departure_undo_token(result, by=user, now=now)
    return redirect("contact:team")


def _preview_context(form: HandToBackupForm, rows: list[Any], steward: User, user: User) -> dict[str, Any]:
    fallback = form.cleaned_data.get("fallback")
    return {
        "form": form,
        "steward": steward,
        "fallback": fallback,
        "rows": rows,
        "moves": sum(1 for r in rows if r.change == "moves"),
        "stays": sum(1 for r in rows if r.change == "stays"),
        "lapses": sum(1 for r in rows if r.change == "backup_lapses"),
        "token": departure_confirmation(steward=steward, fallback=fallback, by=user, rows=rows),
        "undo_minutes": UNDO_MINUTES,
    }


@login_required
@require_POST
def hand_to_backup_undo(request: HttpRequest) -> HttpResponse:
    """Undo the last move of this coordinator (token kept in their session), within UNDO_MINUTES."""
    user = _coordinator(request)
    now = timezone.now()
    loaded = departure_undo_load(request.session.pop(_UNDO_SESSION, ""), by=user, now=now)
    if loaded is None:
        messages.error(
            request, _("Ongedaan maken kan niet meer: de tijd is voorbij of er is niets om terug te zetten.")
        )
        return redirect("contact:team")
    before, after = loaded
    result = departure_undo(
        before=before,
        after=after,
        by=user,
        actor=Actor.from_request(request),
        now=now,
        context="ui:hand_to_backup_undo",
    )
    n = len(result.restored)
    messages.success(
        request,
        ngettext("%(n)d waakvlamcontact teruggezet.", "%(n)d waakvlamcontacten teruggezet.", n) % {"n": n},
    )
    if result.skipped:
        k = len(result.skipped)
        messages.warning(
            request,
            ngettext(
                "%(n)d waakvlamcontact is sindsdien gewijzigd en is niet teruggezet.",
                "%(n)d waakvlamcontacten zijn sindsdien gewijzigd en zijn niet teruggezet.",
                k,
            )
            % {"n": k},
        )
    return redirect("contact:team")
