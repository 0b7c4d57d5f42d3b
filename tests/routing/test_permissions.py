"""The role matrix: every demo role on the inboxes, the rules screen, the stuck-signals page and the actions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import signal_for, team, user
from waakvlam.core.models import Municipality
from waakvlam.intake.models import Signal
from waakvlam.routing.models import RoutingRule

pytestmark = pytest.mark.django_db

ROLES = ["signaleerder", "waakvlammer", "waakvlammer2", "coordinator", "ggz", "wijkagent", "regie", "privacy", "beheer"]

SCREEN_MATRIX = {
    # username: (inbox, team inbox, rules, stuck signals)
    "signaleerder": (404, 404, 404, 404),
    "waakvlammer": (200, 200, 404, 404),
    "waakvlammer2": (200, 200, 404, 404),
    "coordinator": (200, 200, 200, 404),
    "ggz": (200, 200, 404, 404),
    "wijkagent": (404, 404, 404, 404),
    "regie": (404, 404, 404, 200),
    "privacy": (404, 404, 404, 404),
    "beheer": (404, 404, 200, 404),
}


@pytest.mark.parametrize(("username", "expected"), SCREEN_MATRIX.items())
def test_screens_per_role(
    login: Callable[[str], Client], seeded: Municipality, username: str, expected: tuple[int, ...]
) -> None:
    client = login(username)
    got = tuple(
        client.get(path).status_code
        for path in ("/inbox/", "/inbox/team/", "/routering/regels/", "/regie/vastgelopen/")
    )
    assert got == expected


def test_anonymous_is_sent_to_login(client: Client, town: Municipality) -> None:
    for path in ("/inbox/", "/inbox/team/", "/routering/regels/", "/regie/vastgelopen/"):
        response = client.get(path)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


# Who may act on a signal owned by "Waakvlam Centrum-Oost" (buurtwerk): the same people who may see it.
ACTION_MATRIX = {
    "waakvlammer": True,
    "coordinator": True,
    "waakvlammer2": False,
    "ggz": False,
    "signaleerder": False,
    "wijkagent": False,
    "regie": False,
    "privacy": False,
    "beheer": False,
}


@pytest.mark.parametrize(("username", "allowed"), ACTION_MATRIX.items())
def test_actions_per_role_ui_and_api(
    login: Callable[[str], Client], town: Municipality, username: str, allowed: bool
) -> None:
    client = login(username)
    expected_ui = 302 if allowed else 404

    claim = signal_for(team("Waakvlam Centrum-Oost"))
    assert client.post(f"/signalen/{claim.pk}/oppakken/").status_code == expected_ui
    transfer = signal_for(team("Waakvlam Centrum-Oost"))
    assert client.get(f"/signalen/{transfer.pk}/overdragen/").status_code == (200 if allowed else 404)
    response = client.post(
        f"/signalen/{transfer.pk}/overdragen/", {"team": team("Waakvlam West").pk, "reason": "Woont in West."}
    )
    assert response.status_code == expected_ui
    close = signal_for(team("Waakvlam Centrum-Oost"))
    assert client.get(f"/signalen/{close.pk}/afsluiten/").status_code == (200 if allowed else 404)
    assert client.post(f"/signalen/{close.pk}/afsluiten/", {"outcome": "no_concern"}).status_code == expected_ui

    changed = {s.pk: s.status for s in Signal.objects.filter(pk__in=[claim.pk, transfer.pk, close.pk])}
    if allowed:
        assert changed == {claim.pk: "assigned", transfer.pk: "received", close.pk: "closed"}
        assert Signal.objects.get(pk=transfer.pk).owner_team == team("Waakvlam West")
    else:
        assert set(changed.values()) == {"received"}

    api_signal = signal_for(team("Waakvlam Centrum-Oost"))
    api = client.post(f"/api/v1/signals/{api_signal.pk}/claim", content_type="application/json")
    assert api.status_code == (200 if allowed else 404)


def test_rules_permission_and_the_rules_package_agree(seeded: Municipality) -> None:
    for username in ROLES:
        may = SCREEN_MATRIX[username][2] == 200
        assert user(username).has_perm("routing.manage_rules", seeded) is may
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    for username, allowed in ACTION_MATRIX.items():
        assert user(username).has_perm("routing.act_on_signal", signal) is allowed


def test_the_action_forms_show_only_for_who_may_act(login: Callable[[str], Client], town: Municipality) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    signal = signal_for(team("Waakvlam Centrum-Oost"))
    template = Template("{% load routing_tags %}{% signal_actions signal %}")
    for username, allowed in ACTION_MATRIX.items():
        request = RequestFactory().get("/")
        request.user = user(username)
        html = template.render(Context({"request": request, "signal": signal}))
        assert ("Oppakken" in html) is allowed
        assert (f"/signalen/{signal.pk}/afsluiten/" in html) is allowed


def test_a_team_inbox_of_another_team_is_404_for_a_steward(login: Callable[[str], Client], town: Municipality) -> None:
    west = team("Waakvlam West")
    assert login("waakvlammer").get(f"/inbox/team/?team={west.pk}").status_code == 404
    # A coordinator sees every team of their own organisation, but not another organisation's team.
    client = login("coordinator")
    assert client.get(f"/inbox/team/?team={west.pk}").status_code == 200
    assert client.get(f"/inbox/team/?team={team('Vroegsignalering').pk}").status_code == 404
    assert client.get("/inbox/team/?team=abc").status_code == 200  # falls back to the first own team


def test_rule_objects_of_the_municipality_only(login: Callable[[str], Client], seeded: Municipality) -> None:
    rule = RoutingRule.objects.filter(municipality=seeded, is_fallback=False).first()
    assert rule is not None
    assert login("coordinator").get(f"/routering/regels/{rule.pk}/").status_code == 200
    assert login("coordinator").get("/routering/regels/999999/").status_code == 404
