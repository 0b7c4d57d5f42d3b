"""Thin views of functional administration: users, teams and organisations of the admin's own municipality.
Anyone else, and anything outside that municipality, gets a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from waakvlam.administration.forms import ConfirmForm, OrganisationForm, TeamForm, UserForm
from waakvlam.administration.services import (
    is_admin,
    organisation_save,
    organisations_administered_by,
    team_save,
    teams_administered_by,
    user_invite,
    user_two_factor_reset,
    user_update,
    users_administered_by,
)
from waakvlam.core.errors import form_attempt
from waakvlam.core.models import User
from waakvlam.privacy.services import Actor


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not is_admin(user):
        raise Http404
    assert isinstance(user, User)
    return user


def _one(queryset: Any, pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    users = users_administered_by(admin).select_related("organisation").order_by("organisation__name", "last_name")
    with_device = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)  # type: ignore[misc]
    )
    return render(request, "core/admin/user_list.html", {"users": users, "with_device": with_device})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    admin = _admin(request)
    user = _one(users_administered_by(admin), pk) if pk is not None else None
    initial = UserForm.initial_for(user) if user else {"is_active": True}
    form = UserForm(request.POST or None, initial=initial, municipality_id=admin.municipality_id)
    invitation = None
    if request.method == "POST" and form.is_valid():
        now, actor = timezone.now(), Actor.from_request(request)
        with form_attempt(request, form) as attempt:
            if user is None:
                invitation = user_invite(admin=admin, data=form.user_input(), actor=actor, now=now)
            else:
                user_update(admin=admin, user=user, data=form.user_input(), actor=actor, now=now)
        if attempt.ok:
            if invitation is None:
                messages.success(request, _("Gebruiker opgeslagen."))
                return redirect("core:admin_users")
            link = request.build_absolute_uri(invitation.path)
            return render(request, "core/admin/user_invited.html", {"invited": invitation.user, "link": link})
    return render(request, "core/admin/user_form.html", {"form": form, "subject": user})


@login_required
@require_http_methods(["GET", "POST"])
def user_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    user = _one(users_administered_by(admin), pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_two_factor_reset(admin=admin, user=user, actor=Actor.from_request(request), now=timezone.now())
        messages.success(
            request,
            _("Tweestapsverificatie gewist: %(who)s stelt die bij de volgende keer inloggen opnieuw in.")
            % {"who": user.get_full_name() or user.username},
        )
        return redirect("core:admin_users")
    return render(request, "core/admin/two_factor_reset.html", {"form": form, "subject": user})


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    teams = (
        teams_administered_by(admin)
        .select_related("organisation")
        .annotate(member_count=Count("members", distinct=True), hood_count=Count("neighbourhoods", distinct=True))
        .order_by("organisation__name", "name")
    )
    return render(request, "core/admin/team_list.html", {"teams": teams})


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    admin = _admin(request)
    team = _one(teams_administered_by(admin), pk) if pk is not None else None
    initial = (
        {"name": team.name, "organisation": team.organisation_id, "neighbourhoods": list(team.neighbourhoods.all())}
        if team
        else {}
    )
    form = TeamForm(request.POST or None, initial=initial, municipality_id=admin.municipality_id)
    if request.method == "POST" and form.is_valid():
        with form_attempt(request, form) as attempt:
            team_save(
                admin=admin, team=team, data=form.team_input(), actor=Actor.from_request(request), now=timezone.now()
            )
        if attempt.ok:
            messages.success(request, _("Team opgeslagen."))
            return redirect("core:admin_teams")
    return render(request, "core/admin/team_form.html", {"form": form, "subject": team})


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    organisations = organisations_administered_by(admin).annotate(
        user_count=Count("users", distinct=True), team_count=Count("teams", distinct=True)
    )
    return render(request, "core/admin/organisation_list.html", {"organisations": organisations.order_by("name")})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    admin = _admin(request)
    organisation = _one(organisations_administered_by(admin), pk) if pk is not None else None
    initial = {"name": organisation.name, "slug": organisation.slug, "kind": organisation.kind} if organisation else {}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_attempt(request, form) as attempt:
            organisation_save(
                admin=admin,
                organisation=organisation,
                data=form.organisation_input(),
                actor=Actor.from_request(request),
                now=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, _("Organisatie opgeslagen."))
            return redirect("core:admin_organisations")
    return render(request, "core/admin/organisation_form.html", {"form": form, "subject": organisation})


class InviteAcceptView(auth_views.PasswordResetConfirmView):
    """The invited person chooses their own password through the one-time link."""

    template_name = "core/invite_accept.html"
    success_url = reverse_lazy("core:login")
    reset_url_token = "kies-wachtwoord"  # noqa: S105 (a URL segment, not a password)

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Je wachtwoord is ingesteld. Log nu in."))
        return super().form_valid(form)
