"""The functional admin administers users, teams and organisations of their own municipality only; every
other role gets 404 on every admin screen, and every change lands in the access log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import other_municipality, team, user
from waakvlam.core.models import Municipality, Neighbourhood, Organisation, Team, User
from waakvlam.privacy.models import AccessLogEntry

ROLES = ["signaleerder", "waakvlammer", "coordinator", "ggz", "regie", "privacy", "beheer"]


def _new_entries(before: int, context: str) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(seq__gt=before, context=context))


def _last_seq() -> int:
    last = AccessLogEntry.objects.order_by("-seq").first()
    return last.seq if last else 0


@pytest.mark.parametrize("username", ROLES)
def test_only_the_admin_reaches_the_admin_screens(
    town: Municipality, login: Callable[[str], Client], username: str
) -> None:
    client = login(username)
    expected = 200 if username == "beheer" else 404
    someone = user("waakvlammer")
    for path in [
        "/beheer/gebruikers/",
        "/beheer/gebruikers/nieuw/",
        f"/beheer/gebruikers/{someone.pk}/",
        f"/beheer/gebruikers/{someone.pk}/tweestaps/",
        "/beheer/teams/",
        f"/beheer/teams/{team('Waakvlam West').pk}/",
        "/beheer/organisaties/",
        f"/beheer/organisaties/{Organisation.objects.get(slug='woonstede').pk}/",
    ]:
        assert client.get(path).status_code == expected, path
    before = someone.role
    client.post(f"/beheer/gebruikers/{someone.pk}/", {"role": "admin"})
    assert User.objects.get(pk=someone.pk).role == before


def test_another_municipalitys_objects_are_not_found(town: Municipality, login: Callable[[str], Client]) -> None:
    _, organisation, other_team, steward = other_municipality()
    client = login("beheer")
    for path in [
        f"/beheer/gebruikers/{steward.pk}/",
        f"/beheer/gebruikers/{steward.pk}/tweestaps/",
        f"/beheer/teams/{other_team.pk}/",
        f"/beheer/organisaties/{organisation.pk}/",
    ]:
        assert client.get(path).status_code == 404, path
    lists = "".join(
        client.get(p).content.decode() for p in ["/beheer/gebruikers/", "/beheer/teams/", "/beheer/organisaties/"]
    )
    assert "Anderdorp" not in lists and f"/beheer/gebruikers/{steward.pk}/" not in lists
    # A forged organisation id from elsewhere is not offered, so the form refuses it.
    response = client.post(
        "/beheer/gebruikers/nieuw/",
        {
            "first_name": "A",
            "last_name": "B",
            "username": "nieuw",
            "email": "a@b.nl",
            "role": "steward",
            "organisation": organisation.pk,
        },
    )
    assert response.status_code == 200 and not User.objects.filter(username="nieuw").exists()


def test_invite_sets_no_password_logs_and_the_link_lets_them_choose_one(
    town: Municipality, login: Callable[[str], Client]
) -> None:
    client = login("beheer")
    buurtwerk = Organisation.objects.get(slug="buurtwerk")
    before = _last_seq()
    response = client.post(
        "/beheer/gebruikers/nieuw/",
        {
            "first_name": "Fatima",
            "last_name": "El Amrani",
            "username": "fatima",
            "email": "fatima@buurtwerk.example",
            "role": "steward",
            "organisation": buurtwerk.pk,
            "teams": [team("Waakvlam West").pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    invited = User.objects.get(username="fatima")
    assert not invited.has_usable_password() and list(invited.teams.all()) == [team("Waakvlam West")]
    [entry] = _new_entries(before, "ui:admin_user_invite")
    assert entry.object_id == str(invited.pk) and entry.username == "beheer"
    link = response.context["link"]
    client.logout()
    form_page = client.get(link, follow=True)
    assert "Kies je wachtwoord" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": "een-lang-wachtwoord-2026", "new_password2": "een-lang-wachtwoord-2026"},
    )
    assert done.status_code == 302
    assert User.objects.get(pk=invited.pk).check_password("een-lang-wachtwoord-2026")
    assert "werkt niet" in client.get(link, follow=True).content.decode()  # once only


def test_role_organisation_teams_and_deactivation_are_logged(
    town: Municipality, login: Callable[[str], Client]
) -> None:
    client = login("beheer")
    target = user("waakvlammer2")
    before = _last_seq()
    response = client.post(
        f"/beheer/gebruikers/{target.pk}/",
        {
            "first_name": target.first_name or "X",
            "last_name": target.last_name or "Y",
            "username": target.username,
            "email": target.email or "x@y.nl",
            "role": "coordinator",
            "organisation": target.organisation_id,
            "teams": [],
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == "coordinator" and not target.is_active and not target.teams.exists()
    [entry] = _new_entries(before, "ui:admin_user_update")
    assert "role" in entry.reason and "is_active" in entry.reason and "teams" in entry.reason


def test_the_admin_cannot_lock_themselves_out(town: Municipality, login: Callable[[str], Client]) -> None:
    me = user("beheer")
    response = login("beheer").post(
        f"/beheer/gebruikers/{me.pk}/",
        {
            "first_name": "B",
            "last_name": "H",
            "username": "beheer",
            "email": "b@h.nl",
            "role": "steward",
            "organisation": me.organisation_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and User.objects.get(pk=me.pk).role == "admin"


def test_two_factor_reset_needs_confirmation_and_is_logged(town: Municipality, login: Callable[[str], Client]) -> None:
    target = user("coordinator")
    TOTPDevice.objects.create(user=target, name="app", confirmed=True)
    client = login("beheer")
    assert client.post(f"/beheer/gebruikers/{target.pk}/tweestaps/", {}).status_code == 200
    assert TOTPDevice.objects.filter(user=target).exists()
    before = _last_seq()
    assert client.post(f"/beheer/gebruikers/{target.pk}/tweestaps/", {"confirm": "on"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert len(_new_entries(before, "ui:admin_two_factor_reset")) == 1


def test_teams_and_organisations_are_managed_and_logged(town: Municipality, login: Callable[[str], Client]) -> None:
    client = login("beheer")
    hoods = list(Neighbourhood.objects.filter(municipality=town).order_by("code")[:2])
    before = _last_seq()
    org = client.post(
        "/beheer/organisaties/nieuw/", {"name": "Buurtkracht", "slug": "buurtkracht", "kind": "social_work"}
    )
    assert org.status_code == 302
    created = Organisation.objects.get(slug="buurtkracht")
    assert created.municipality_id == town.pk
    made = client.post(
        "/beheer/teams/nieuw/",
        {"name": "Team Noord", "organisation": created.pk, "neighbourhoods": [h.pk for h in hoods]},
    )
    assert made.status_code == 302
    new_team = Team.objects.get(name="Team Noord")
    assert set(new_team.neighbourhoods.all()) == set(hoods) and new_team.municipality_id == town.pk
    again = client.post("/beheer/teams/nieuw/", {"name": "team noord", "organisation": created.pk})
    assert again.status_code == 200 and "al een team" in again.content.decode()
    taken = client.post("/beheer/organisaties/nieuw/", {"name": "X", "slug": "woonstede", "kind": "police"})
    assert taken.status_code == 200 and "al in gebruik" in taken.content.decode()
    assert len(_new_entries(before, "ui:admin_organisation_save")) == 1
    assert len(_new_entries(before, "ui:admin_team_save")) == 1
