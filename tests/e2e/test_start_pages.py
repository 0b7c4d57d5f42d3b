"""Every demo role logs in through the real form, lands on its own start page, and that page passes axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from waakvlam.core.models import Municipality

pytestmark = [pytest.mark.e2e]

# The <h1> of each role's start page (the heading part each app registers: core/start_page.py).
START_PAGE_HEADINGS = {
    "signaleerder": "Zorgen over een bewoner?",
    "wijkagent": "Zorgen over een bewoner?",
    "waakvlammer": "Mijn waakvlam",
    "waakvlammer2": "Mijn waakvlam",
    "coordinator": "Overzicht coördinator",
    "ggz": "Voor jouw organisatie",
    "regie": "Wijkbeeld",
    "privacy": "Privacy en toegang",
    "beheer": "Functioneel beheer",
}


@pytest.mark.parametrize("username", list(START_PAGE_HEADINGS))
def test_each_role_logs_in_to_its_accessible_start_page(
    username: str, demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    page = log_in(username)
    assert urlsplit(page.url).path == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text(START_PAGE_HEADINGS[username])
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page)


def test_login_page_is_accessible_also_with_an_error(
    demo_town: Municipality, new_page: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    page = new_page()
    response = page.goto("/inloggen/")
    # axe is injected through Playwright's evaluate, which the page's CSP does not govern: no bypass needed.
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Waakvlam")
    assert_accessible(page)
    # A wrong password: the error summary is announced and linked, the fields stay labelled.
    page.get_by_label("Gebruikersnaam").fill("waakvlammer")
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("Gebruikersnaam of wachtwoord klopt niet")
    assert page.title().startswith("Fout:")
    assert_accessible(page)
    # A missing field: the summary links to it, the field says why and is marked invalid.
    page.get_by_label("Wachtwoord").fill("")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Wachtwoord: Dit veld is verplicht.").click()
    assert page.evaluate("document.activeElement.id") == "id_password"
    password = page.get_by_label("Wachtwoord")
    assert password.get_attribute("aria-invalid") == "true"
    description = page.locator("#" + password.get_attribute("aria-describedby")).text_content() or ""
    assert " ".join(description.split()) == "Fout: Dit veld is verplicht."
    assert_accessible(page)
    # The not-found page, too.
    page.goto("/bestaat-niet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    assert_accessible(page)


def test_two_factor_setup_page_is_accessible(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    from waakvlam.core.models import User

    User.objects.filter(username="coordinator").update(two_factor_exempt=False)
    page = log_in("coordinator")
    assert urlsplit(page.url).path == "/account/tweestaps/instellen/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    assert page.get_by_role("img", name="QR-code voor je authenticator-app").is_visible()
    assert_accessible(page)


def test_english_version_is_accessible(
    demo_town: Municipality,
    new_page: Callable[..., Any],
    log_in: Callable[..., Any],
    assert_accessible: Callable[[Any], None],
) -> None:
    page = new_page()
    page.goto("/en/inloggen/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Waakvlam")
    assert_accessible(page)
    # Switch language with the header button, after logging in.
    page = log_in("waakvlammer")
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("My pilot light")
    assert_accessible(page)


def test_signal_pages_and_the_access_log_search_are_accessible(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    steward = log_in("waakvlammer")
    steward.get_by_role("link", name="Signalen", exact=True).click()
    steward.wait_for_url("**/signalen/")
    expect(steward.get_by_role("heading", level=1)).to_have_text("Signalen")
    assert_accessible(steward)
    steward.get_by_role("link", name="Overlast").first.click()
    steward.wait_for_url(re.compile(r"/signalen/\d+/$"))
    expect(steward.get_by_role("heading", level=2, name="Verloop")).to_be_visible()
    assert_accessible(steward)

    # The steward's look at that signal shows up in the privacy officer's search.
    officer = log_in("privacy")
    officer.get_by_role("link", name="Toegangslog doorzoeken").click()
    officer.wait_for_url("**/privacy/toegangslog/")
    assert_accessible(officer)
    officer.get_by_label("Gebruiker").fill("waakvlammer")
    officer.get_by_role("button", name="Zoeken").click()
    officer.wait_for_url("**/privacy/toegangslog/?*")
    expect(officer.locator("caption")).to_have_text(re.compile(r"^\d+ regels? gevonden$"))
    expect(officer.get_by_role("cell", name=re.compile(r"^Wim Bakker\b")).first).to_be_visible()
    assert_accessible(officer)


def test_phone_size_has_no_horizontal_scrolling(demo_town: Municipality, log_in: Callable[..., Any]) -> None:
    page = log_in("waakvlammer", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    no_overflow = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate(no_overflow), page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    page.goto("/signalen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signalen")
    assert page.evaluate(no_overflow), page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
