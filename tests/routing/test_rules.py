"""Routing rules: order, matching per criterion, the fallback guarantee, the demo set, and the rules screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from tests.factories import other_municipality, team, user
from tests.routing.conftest import MONDAY, new_signal
from waakvlam.core.models import District, Municipality, Neighbourhood
from waakvlam.followup.calendar import add_working_days, add_working_hours
from waakvlam.routing.errors import FallbackRequired, InvalidAction
from waakvlam.routing.models import RoutingRule
from waakvlam.routing.rule_services import (
    routing_rule_create,
    routing_rule_move,
    routing_rule_set_active,
    routing_rule_update,
)
from waakvlam.routing.services import RoutingTable, signal_route

pytestmark = pytest.mark.django_db

HOURS, DAYS = "working_hours", "working_days"


def _fallback(town: Municipality, team_name: str = "Wijkteam Demodorp") -> RoutingRule:
    return routing_rule_create(
        municipality=town,
        values={"name": "Vangnet", "target_team": team(team_name), "response_amount": 2, "response_unit": DAYS},
        now=MONDAY,
        fallback=True,
    )


def _rule(
    town: Municipality, name: str, team_name: str, amount: int = 1, unit: str = DAYS, **criteria: object
) -> RoutingRule:
    values = {"name": name, "target_team": team(team_name), "response_amount": amount, "response_unit": unit}
    return routing_rule_create(municipality=town, values={**values, **criteria}, now=MONDAY)


def _routed(town: Municipality, **fields: object) -> tuple[str, str | None, timedelta]:
    signal = new_signal(town, **fields)  # type: ignore[arg-type]
    signal_route(signal=signal, now=MONDAY)
    owner = signal.owner_user.username if signal.owner_user else None
    return signal.owner_team.name, owner, signal.due_at - MONDAY


# --- the demo set ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "team_name", "due"),
    [
        ({}, "Waakvlam Centrum-Oost", add_working_days(MONDAY, 2)),
        ({"hood": "Zonnehoek"}, "Waakvlam West", add_working_days(MONDAY, 2)),
        ({"urgency": "high", "hood": "Molenwijk"}, "Waakvlam Centrum-Oost", add_working_hours(MONDAY, 4)),
        ({"urgency": "high", "hood": "Kanaalzone"}, "Waakvlam West", add_working_hours(MONDAY, 4)),
        ({"category": "payment_arrears", "hood": "Parkzicht"}, "Vroegsignalering", add_working_days(MONDAY, 3)),
        ({"category": "eviction_risk", "hood": "Het Veld"}, "Vroegsignalering", add_working_days(MONDAY, 3)),
        ({"category": "discharge", "hood": "Het Veld"}, "Waakvlam West", add_working_days(MONDAY, 1)),
        ({"category": "discharge", "hood": "Marktveld"}, "Waakvlam Centrum-Oost", add_working_days(MONDAY, 1)),
        ({"hood": None}, "Wijkteam Demodorp", add_working_days(MONDAY, 2)),
        ({"hood": None, "urgency": "high"}, "Wijkteam Demodorp", add_working_hours(MONDAY, 4)),
        # High urgency comes before the debt-help rule: an urgent eviction goes to the neighbourhood now.
        (
            {"category": "eviction_risk", "urgency": "high", "hood": "Zonnehoek"},
            "Waakvlam West",
            add_working_hours(MONDAY, 4),
        ),
    ],
)
def test_demo_rules(seeded: Municipality, fields: dict[str, object], team_name: str, due: object) -> None:
    signal = new_signal(seeded, **fields)  # type: ignore[arg-type]
    signal_route(signal=signal, now=MONDAY)
    assert signal.owner_team.name == team_name
    assert signal.owner_user is None
    assert signal.due_at == due


def test_seeding_is_idempotent_and_has_one_fallback(seeded: Municipality) -> None:
    from waakvlam.routing.services import routing_rules_seed_demo

    count = RoutingRule.objects.filter(municipality=seeded).count()
    assert routing_rules_seed_demo(seeded, now=MONDAY) == 0
    assert RoutingRule.objects.filter(municipality=seeded).count() == count
    assert RoutingRule.objects.filter(municipality=seeded, is_fallback=True).count() == 1


def test_demo_extension_is_registered() -> None:
    from waakvlam.demo.services import EXTENSIONS

    assert "routing" in [name for name, _ in EXTENSIONS]


# --- matching per criterion -----------------------------------------------------------------------------


def test_each_criterion_narrows_the_match(town: Municipality) -> None:
    _fallback(town)
    west = District.objects.get(name="West")
    molenwijk = Neighbourhood.objects.get(name="Molenwijk")
    _rule(town, "Categorie", "GGZ Kompas FACT-team", category="relapse_signs")
    _rule(town, "Buurt", "Waakvlam Centrum-Oost", neighbourhood=molenwijk)
    _rule(town, "Wijk", "Waakvlam West", district=west)
    _rule(town, "Urgentie", "Regie sociaal domein", urgency="high")
    _rule(town, "Bron", "Vroegsignalering", source_organisation_kind="utility")

    assert _routed(town, category="relapse_signs", hood="Zonnehoek")[0] == "GGZ Kompas FACT-team"
    assert _routed(town, hood="Molenwijk")[0] == "Waakvlam Centrum-Oost"
    assert _routed(town, hood="Het Veld")[0] == "Waakvlam West"
    assert _routed(town, urgency="high", hood="Binnenstad")[0] == "Regie sociaal domein"
    assert _routed(town, reporter_org="energie-noord", hood="Binnenstad")[0] == "Vroegsignalering"
    # Nothing matches: the fallback.
    assert _routed(town, reporter_org="woonstede", hood="Binnenstad")[0] == "Wijkteam Demodorp"
    assert _routed(town, hood=None)[0] == "Wijkteam Demodorp"


def test_all_criteria_of_a_rule_must_hold(town: Municipality) -> None:
    _fallback(town)
    west = District.objects.get(name="West")
    _rule(town, "Uitstroom West urgent", "Waakvlam West", category="discharge", district=west, urgency="high")
    assert _routed(town, category="discharge", hood="Zonnehoek", urgency="high")[0] == "Waakvlam West"
    assert _routed(town, category="discharge", hood="Zonnehoek")[0] == "Wijkteam Demodorp"
    assert _routed(town, category="discharge", hood="Binnenstad", urgency="high")[0] == "Wijkteam Demodorp"
    assert _routed(town, category="nuisance", hood="Zonnehoek", urgency="high")[0] == "Wijkteam Demodorp"


def test_the_first_matching_rule_wins_and_order_can_change(town: Municipality) -> None:
    _fallback(town)
    first = _rule(town, "Eerste", "Waakvlam West", category="isolation")
    _rule(town, "Tweede", "Waakvlam Centrum-Oost", category="isolation")
    assert _routed(town, category="isolation")[0] == "Waakvlam West"
    assert routing_rule_move(rule=first, up=False, now=MONDAY) is True
    assert _routed(town, category="isolation")[0] == "Waakvlam Centrum-Oost"
    first.refresh_from_db()
    assert routing_rule_move(rule=first, up=False, now=MONDAY) is False  # already last before the fallback
    assert routing_rule_move(rule=first, up=True, now=MONDAY) is True
    assert _routed(town, category="isolation")[0] == "Waakvlam West"


def test_an_inactive_rule_is_skipped(town: Municipality) -> None:
    _fallback(town)
    rule = _rule(town, "Eenzaamheid", "Waakvlam West", category="isolation")
    routing_rule_set_active(rule=rule, active=False, now=MONDAY)
    assert _routed(town, category="isolation")[0] == "Wijkteam Demodorp"
    routing_rule_set_active(rule=rule, active=True, now=MONDAY)
    assert _routed(town, category="isolation")[0] == "Waakvlam West"


def test_rule_to_a_person_and_response_time_in_hours(town: Municipality) -> None:
    _fallback(town)
    _rule(town, "Wim", "Waakvlam Centrum-Oost", 3, HOURS, target_user=user("waakvlammer"), category="isolation")
    team_name, owner, due = _routed(town, category="isolation")
    assert (team_name, owner) == ("Waakvlam Centrum-Oost", "waakvlammer")
    assert MONDAY + due == add_working_hours(MONDAY, 3)
    # Once the person leaves the team, the signal goes to the team as a whole.
    user("waakvlammer").teams.clear()
    assert _routed(town, category="isolation")[:2] == ("Waakvlam Centrum-Oost", None)


def test_a_table_routes_many_signals_without_more_queries(
    seeded: Municipality, django_assert_max_num_queries: Callable[[int], object]
) -> None:
    table = RoutingTable.load(seeded.pk)
    signals = [new_signal(seeded, hood=h) for h in ("Binnenstad", "Zonnehoek", "Molenwijk", "Het Veld")]
    table.route(signals[0], MONDAY)  # warms the neighbourhood → district map
    with django_assert_max_num_queries(0):  # type: ignore[operator]
        for signal in signals:
            assert table.route(signal, MONDAY) is not None


# --- the fallback guarantee -----------------------------------------------------------------------------


def test_without_any_rule_the_first_version_still_routes(town: Municipality) -> None:
    team_name, owner, due = _routed(town, hood="Zonnehoek")
    assert (team_name, owner, due) == ("Waakvlam West", None, timedelta(days=2))
    assert _routed(town, hood="Zonnehoek", urgency="high")[2] == timedelta(hours=4)


def test_the_first_rule_must_be_the_fallback(town: Municipality) -> None:
    with pytest.raises(InvalidAction, match="vangnetregel"):
        _rule(town, "Eenzaamheid", "Waakvlam West", category="isolation")
    _fallback(town)
    with pytest.raises(InvalidAction, match="al een vangnetregel"):
        _fallback(town)


def test_the_fallback_cannot_be_switched_off_or_deleted(town: Municipality) -> None:
    fallback = _fallback(town)
    with pytest.raises(FallbackRequired):
        routing_rule_set_active(rule=fallback, active=False, now=MONDAY)
    with pytest.raises(FallbackRequired):
        fallback.delete()
    # Not even behind the services' back: the database refuses a switched-off or second fallback.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.filter(pk=fallback.pk).update(active=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(
            municipality=town,
            name="Tweede vangnet",
            target_team=team("Waakvlam West"),
            response_amount=1,
            response_unit=DAYS,
            is_fallback=True,
            created_at=MONDAY,
            updated_at=MONDAY,
        )
    assert RoutingRule.objects.get(pk=fallback.pk).active


def test_the_fallback_has_no_criteria(town: Municipality) -> None:
    fallback = _fallback(town)
    routing_rule_update(
        rule=fallback, values={"category": "isolation", "target_team": team("Waakvlam West")}, now=MONDAY
    )
    fallback.refresh_from_db()
    assert (fallback.category, fallback.target_team.name) == ("", "Waakvlam West")


def test_rules_are_checked_against_the_municipality(town: Municipality) -> None:
    _fallback(town)
    _, _, other_team, _ = other_municipality()
    with pytest.raises(InvalidAction) as error:
        routing_rule_create(
            municipality=town,
            values={"name": "Elders", "target_team": other_team, "response_amount": 1, "response_unit": DAYS},
            now=MONDAY,
        )
    assert "target_team" in error.value.errors
    with pytest.raises(InvalidAction) as error:
        _rule(town, "Verkeerd", "Waakvlam West", target_user=user("waakvlammer"))
    assert error.value.errors == {"target_user": "Deze persoon zit niet in het gekozen team."}
    with pytest.raises(InvalidAction) as error:
        _rule(town, "Te lang", "Waakvlam West", 61, DAYS)
    assert "response_amount" in error.value.errors


# --- the rules screen -----------------------------------------------------------------------------------


def test_coordinator_manages_rules_in_the_ui(login: Callable[[str], Client], seeded: Municipality) -> None:
    client = login("coordinator")
    page = client.get("/routering/regels/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vangnet" in html and "Uitstroom West" in html
    assert "<script>" not in html and "style=" not in html  # CSP: no inline script or style

    response = client.post(
        "/routering/regels/nieuw/",
        {"name": "Terugval naar GGZ", "category": "relapse_signs", "target_team": team("GGZ Kompas FACT-team").pk,
         "response_amount": "2", "response_unit": DAYS},
    )  # fmt: skip
    assert response.status_code == 302
    rule = RoutingRule.objects.get(name="Terugval naar GGZ")
    assert _routed(seeded, category="relapse_signs", hood="Binnenstad")[0] == "Waakvlam Centrum-Oost"  # last place

    for _ in range(RoutingRule.objects.filter(municipality=seeded, is_fallback=False).count()):
        assert client.post(f"/routering/regels/{rule.pk}/omhoog/").status_code == 302
    rule.refresh_from_db()
    assert rule.position == 1
    assert _routed(seeded, category="relapse_signs", hood="Binnenstad")[0] == "GGZ Kompas FACT-team"

    edit = client.post(
        f"/routering/regels/{rule.pk}/",
        {"name": "Terugval", "category": "relapse_signs", "target_team": team("GGZ Kompas FACT-team").pk,
         "response_amount": "4", "response_unit": HOURS},
    )  # fmt: skip
    assert edit.status_code == 302
    rule.refresh_from_db()
    assert (rule.name, rule.response_amount, rule.response_unit) == ("Terugval", 4, HOURS)

    assert client.post(f"/routering/regels/{rule.pk}/uitzetten/").status_code == 302
    rule.refresh_from_db()
    assert not rule.active
    assert client.post(f"/routering/regels/{rule.pk}/aanzetten/").status_code == 302
    rule.refresh_from_db()
    assert rule.active


def test_rules_screen_shows_dutch_validation_messages(login: Callable[[str], Client], seeded: Municipality) -> None:
    client = login("beheer")  # functional admin of the municipality
    west = District.objects.get(name="West")
    response = client.post(
        "/routering/regels/nieuw/",
        {"name": "", "district": west.pk, "neighbourhood": Neighbourhood.objects.get(name="Zonnehoek").pk,
         "target_team": team("Waakvlam West").pk, "target_user": user("waakvlammer").pk,
         "response_amount": "0", "response_unit": HOURS},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geef de regel een naam." in html
    assert "Kies een wijk óf een buurt, niet allebei." in html
    assert "Deze persoon zit niet in het gekozen team." in html
    assert "Een reactietermijn is minstens 1." in html
    assert not RoutingRule.objects.filter(name="").exists()


def test_the_fallback_cannot_be_switched_off_in_the_ui(login: Callable[[str], Client], seeded: Municipality) -> None:
    fallback = RoutingRule.objects.get(municipality=seeded, is_fallback=True)
    client = login("coordinator")
    response = client.post(f"/routering/regels/{fallback.pk}/uitzetten/", follow=True)
    assert "De vangnetregel kan niet uit" in response.content.decode()
    fallback.refresh_from_db()
    assert fallback.active


def test_a_new_municipality_starts_with_its_fallback(login: Callable[[str], Client], town: Municipality) -> None:
    client = login("coordinator")
    form = client.get("/routering/regels/nieuw/").content.decode()
    assert "Vangnetregel instellen" in form
    assert 'name="category"' not in form  # the fallback has no criteria
    response = client.post(
        "/routering/regels/nieuw/",
        {"name": "Vangnet", "target_team": team("Wijkteam Demodorp").pk, "response_amount": "2", "response_unit": DAYS},
    )
    assert response.status_code == 302
    assert RoutingRule.objects.get(municipality=town).is_fallback


@pytest.mark.parametrize("username", ["waakvlammer", "ggz", "signaleerder", "regie", "privacy"])
def test_others_get_404_on_the_rules_screen(
    login: Callable[[str], Client], seeded: Municipality, username: str
) -> None:
    rule = RoutingRule.objects.filter(municipality=seeded, is_fallback=False).first()
    assert rule is not None
    client = login(username)
    assert client.get("/routering/regels/").status_code == 404
    assert client.get("/routering/regels/nieuw/").status_code == 404
    assert client.get(f"/routering/regels/{rule.pk}/").status_code == 404
    assert client.post(f"/routering/regels/{rule.pk}/uitzetten/").status_code == 404
    rule.refresh_from_db()
    assert rule.active


def test_a_coordinator_of_another_municipality_gets_404(client: Client, seeded: Municipality) -> None:
    from waakvlam.core.roles import Role

    _, _, _, other = other_municipality()
    other.role = Role.COORDINATOR
    other.save()
    rule = RoutingRule.objects.filter(municipality=seeded).first()
    assert rule is not None
    client.force_login(other)
    assert client.get(f"/routering/regels/{rule.pk}/").status_code == 404
    assert client.post(f"/routering/regels/{rule.pk}/omhoog/").status_code == 404
    assert "Uitstroom" not in client.get("/routering/regels/").content.decode()


def test_response_time_reads_singular_and_plural(town: object) -> None:
    from waakvlam.routing.models import ResponseUnit, RoutingRule

    assert (
        RoutingRule(response_amount=1, response_unit=ResponseUnit.WORKING_DAYS).response_time_display() == "1 werkdag"
    )
    assert (
        RoutingRule(response_amount=3, response_unit=ResponseUnit.WORKING_DAYS).response_time_display() == "3 werkdagen"
    )
    assert (
        RoutingRule(response_amount=1, response_unit=ResponseUnit.WORKING_HOURS).response_time_display() == "1 werkuur"
    )
