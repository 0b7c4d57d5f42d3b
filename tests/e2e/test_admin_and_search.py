"""The functional admin invites a colleague through the screens, and a steward searches the signal list;
every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from waakvlam.core.models import Municipality, User
from waakvlam.intake.models import Signal

pytestmark = [pytest.mark.e2e]


def test_admin_invites_a_user(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    page = log_in("beheer")
    page.get_by_role("link", name="Gebruikers").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruikers")
    assert_accessible(page)
    page.get_by_role("link", name="Gebruiker uitnodigen").click()
    page.get_by_label("Voornaam").fill("Fatima")
    page.get_by_label("Achternaam").fill("El Amrani")
    page.get_by_label("Gebruikersnaam").fill("fatima")
    page.get_by_label("E-mailadres").fill("fatima@buurtwerk.example")
    page.get_by_label("Rol").select_option("steward")
    page.get_by_label("Organisatie").select_option(label="Buurtwerk Demodorp")
    page.get_by_role("checkbox", name="Waakvlam West (Buurtwerk Demodorp)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruiker uitgenodigd")
    assert "/account/uitnodiging/" in page.locator("code").inner_text()
    assert_accessible(page)
    assert User.objects.get(username="fatima").teams.get().name == "Waakvlam West"
    page.goto("/beheer/teams/")
    assert_accessible(page)
    page.goto("/beheer/organisaties/")
    assert_accessible(page)


def test_steward_searches_the_signal_list(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    lonely = Signal.objects.get(category="isolation")
    page = log_in("waakvlammer")
    page.goto("/signalen/")
    assert_accessible(page)
    page.get_by_text("Filteren op status, soort, buurt, eigenaar en periode").click()
    page.get_by_label("Soort zorg").select_option("isolation")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("1 signaal gevonden")).to_be_visible()
    expect(page.get_by_role("link", name=lonely.get_category_display())).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Volgcode of eigen kenmerk").fill("GEENCODE")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("Geen signalen gevonden met deze zoekopdracht.")).to_be_visible()
