"""What the functional admin (Role.ADMIN) may change: users (invite, role, organisation, teams, active,
two-factor reset), teams (name, organisation, neighbourhoods) and organisations — only within their own
municipality, each change one transaction with one access-log entry. Anything outside the municipality is
not found (the views answer 404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from waakvlam.core.errors import Invalid, NotFound
from waakvlam.core.models import Neighbourhood, Organisation, Team, User
from waakvlam.core.roles import OrganisationKind, Role
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record


class AdminNotAllowed(NotFound):
    """Not an admin, or the object lies outside the admin's municipality: the view answers 404."""


class AdminInvalid(Invalid):
    """Bad input per field: form errors."""


def is_admin(user: object) -> bool:
    return isinstance(user, User) and user.is_active and user.role == Role.ADMIN and bool(user.organisation_id)


def _scope(admin: User) -> int:
    if not is_admin(admin):
        raise AdminNotAllowed
    return admin.municipality_id


def organisations_administered_by(admin: User) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(municipality_id=_scope(admin)) if is_admin(admin) else Organisation.objects.none()
    )


def users_administered_by(admin: User) -> QuerySet[User]:
    if not is_admin(admin):
        return User.objects.none()
    return User.objects.filter(organisation__municipality_id=admin.municipality_id)


def teams_administered_by(admin: User) -> QuerySet[Team]:
    return Team.objects.filter(municipality_id=_scope(admin)) if is_admin(admin) else Team.objects.none()


def _log(
    admin: User, actor: Actor, *, action: AccessAction, obj: object, context: str, reason: str, now: datetime
) -> None:
    access_log_record(
        actor=actor,
        action=action,
        object_type=f"core.{type(obj).__name__.lower()}",
        object_id=getattr(obj, "pk", ""),
        municipality_code=admin.organisation.municipality.code if admin.organisation else "",
        context=context,
        reason=reason[:200],
        now=now,
    )


@dataclass
class UserInput:
    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    organisation: Organisation
    teams: list[Team] = field(default_factory=list)
    is_active: bool = True


def _check_user(admin: User, data: UserInput, *, user: User | None) -> None:
    errors: dict[str, str] = {}
    scope = _scope(admin)
    if data.organisation.municipality_id != scope:
        raise AdminNotAllowed
    if any(t.municipality_id != scope for t in data.teams):
        raise AdminNotAllowed
    if any(t.organisation_id != data.organisation.pk for t in data.teams):
        errors["teams"] = "Kies alleen teams van de organisatie van deze gebruiker."
    if data.role not in Role.values:
        errors["role"] = "Kies een rol."
    taken = User.objects.filter(username__iexact=data.username)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        errors["username"] = "Deze gebruikersnaam bestaat al."
    if user is not None and user.pk == admin.pk and (not data.is_active or data.role != Role.ADMIN):
        errors["role"] = "Je kunt je eigen beheerrechten niet intrekken; vraag een andere beheerder."
    if errors:
        raise AdminInvalid(errors)


def _describe(user: User, data: UserInput) -> str:
    changes = []
    for name in ("username", "first_name", "last_name", "email", "role", "is_active"):
        if getattr(user, name) != getattr(data, name):
            changes.append(name)
    if user.organisation_id != data.organisation.pk:
        changes.append("organisation")
    if {t.pk for t in user.teams.all()} != {t.pk for t in data.teams}:
        changes.append("teams")
    return "gewijzigd: " + (", ".join(changes) or "niets")


@dataclass
class Invitation:
    user: User
    path: str  # where the invited person sets their own password, once


@transaction.atomic
def user_invite(*, admin: User, data: UserInput, actor: Actor, now: datetime) -> Invitation:
    """A new account without a password: the person chooses one through the one-time invitation link."""
    _check_user(admin, data, user=None)
    user = User(
        username=data.username,
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        role=data.role,
        organisation=data.organisation,
        is_active=True,
        date_joined=now,
    )
    user.set_unusable_password()
    user.save()
    user.teams.set(data.teams)
    _log(
        admin,
        actor,
        action=AccessAction.CREATE,
        obj=user,
        context="ui:admin_user_invite",
        reason=f"uitgenodigd als {data.role}",
        now=now,
    )
    return Invitation(user, invitation_path(user))


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("core:invite_accept", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


@transaction.atomic
def user_update(*, admin: User, user: User, data: UserInput, actor: Actor, now: datetime) -> User:
    if not users_administered_by(admin).filter(pk=user.pk).exists():
        raise AdminNotAllowed
    _check_user(admin, data, user=user)
    reason = _describe(user, data)
    for name in ("username", "first_name", "last_name", "email", "role", "is_active"):
        setattr(user, name, getattr(data, name))
    user.organisation = data.organisation
    user.save()
    user.teams.set(data.teams)
    _log(admin, actor, action=AccessAction.UPDATE, obj=user, context="ui:admin_user_update", reason=reason, now=now)
    return user


@transaction.atomic
def user_two_factor_reset(*, admin: User, user: User, actor: Actor, now: datetime) -> int:
    """Remove the user's authenticator: at their next login they set up a new one."""
    if not users_administered_by(admin).filter(pk=user.pk).exists():
        raise AdminNotAllowed
    removed, _ = TOTPDevice.objects.filter(user=user).delete()  # type: ignore[misc]
    _log(
        admin,
        actor,
        action=AccessAction.UPDATE,
        obj=user,
        context="ui:admin_two_factor_reset",
        reason="tweestapsverificatie opnieuw instellen",
        now=now,
    )
    return removed


@dataclass
class TeamInput:
    name: str
    organisation: Organisation
    neighbourhoods: list[Neighbourhood] = field(default_factory=list)


@transaction.atomic
def team_save(*, admin: User, team: Team | None, data: TeamInput, actor: Actor, now: datetime) -> Team:
    scope = _scope(admin)
    if data.organisation.municipality_id != scope or any(n.municipality_id != scope for n in data.neighbourhoods):
        raise AdminNotAllowed
    if team is not None and team.municipality_id != scope:
        raise AdminNotAllowed
    clash = Team.objects.filter(organisation=data.organisation, name__iexact=data.name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise AdminInvalid({"name": "Deze organisatie heeft al een team met deze naam."})
    creating = team is None
    team = team or Team(municipality_id=scope)
    team.name, team.organisation = data.name, data.organisation
    team.save()
    team.neighbourhoods.set(data.neighbourhoods)
    _log(
        admin,
        actor,
        action=AccessAction.CREATE if creating else AccessAction.UPDATE,
        obj=team,
        context="ui:admin_team_save",
        reason=f"{len(data.neighbourhoods)} buurten",
        now=now,
    )
    return team


@dataclass
class OrganisationInput:
    name: str
    slug: str
    kind: str


@transaction.atomic
def organisation_save(
    *, admin: User, organisation: Organisation | None, data: OrganisationInput, actor: Actor, now: datetime
) -> Organisation:
    scope = _scope(admin)
    if organisation is not None and organisation.municipality_id != scope:
        raise AdminNotAllowed
    errors: dict[str, str] = {}
    if data.kind not in OrganisationKind.values:
        errors["kind"] = "Kies een soort organisatie."
    clash = Organisation.objects.filter(slug=data.slug)
    if organisation is not None:
        clash = clash.exclude(pk=organisation.pk)
    if clash.exists():
        errors["slug"] = "Deze korte naam is al in gebruik."
    if errors:
        raise AdminInvalid(errors)
    creating = organisation is None
    organisation = organisation or Organisation(municipality_id=scope)
    organisation.name, organisation.slug, organisation.kind = data.name, data.slug, data.kind
    organisation.save()
    _log(
        admin,
        actor,
        action=AccessAction.CREATE if creating else AccessAction.UPDATE,
        obj=organisation,
        context="ui:admin_organisation_save",
        reason=data.kind,
        now=now,
    )
    return organisation
