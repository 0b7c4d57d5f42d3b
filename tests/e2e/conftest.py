"""Browser tests: a real server (pytest-django's live_server) and Debian's Chromium driven by Playwright.

`playwright install` is not used anywhere: the tests launch the system Chromium at /usr/bin/chromium
(override with WAAKVLAM_CHROMIUM). Without it the e2e tests are skipped, never failed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from waakvlam.core.models import Municipality

CHROMIUM = os.environ.get("WAAKVLAM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "demo-waakvlam"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module; each test opens its own context (cookies, storage) on it."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio loop in this thread; Django would then refuse ORM calls from
    # fixtures and tests ("async context"). They are still plain synchronous calls, so allow them here only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Headless Chromium needs no display; an inherited DISPLAY pointing nowhere only produces noise.
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.setdefault("HOME", "/tmp")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo_town(transactional_db: None, live_server: Any) -> Municipality:
    """Demodorp with a few signals, committed so that the live server's thread sees them.

    live_server needs transactional_db (the server answers from another thread, outside the test's
    transaction); pytest-django flushes the database after each test.
    """
    from tests.factories import signal_for, team, user
    from waakvlam.demo.services import demo_load_town
    from waakvlam.intake.models import Status, Urgency

    municipality = demo_load_town()
    now = timezone.now()
    centre = team("Waakvlam Centrum-Oost")
    signal_for(centre, urgency=Urgency.HIGH, reporter_user=user("signaleerder"))
    signal_for(centre, category="payment_arrears", due_at=now - timedelta(hours=3))
    signal_for(centre, category="isolation", status=Status.ASSIGNED, owner_user=user("waakvlammer"))
    signal_for(team("Waakvlam West"), category="neglect", reporter_user=user("wijkagent"))
    signal_for(team("GGZ Kompas FACT-team"), category="discharge")
    return municipality


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context; every context is closed after the test."""
    contexts: list[Any] = []

    def _new_page(**context_options: Any) -> Any:
        context = browser.new_context(base_url=live_server.url, locale="nl-NL", **context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def log_in(new_page: Callable[..., Any]) -> Callable[..., Any]:
    """Log in through the real login form; returns the page on the user's start page."""

    def _log_in(username: str, *, page: Any = None, **context_options: Any) -> Any:
        page = page or new_page(**context_options)
        page.goto("/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(lambda url: "/inloggen/" not in url)
        return page

    return _log_in


@pytest.fixture(scope="session")
def assert_accessible() -> Callable[[Any], None]:
    """Run axe-core (WCAG 2.x A/AA plus best practices) on the page; fail with axe's report."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _assert_accessible(page: Any) -> None:
        results = axe.run(page)
        assert results.violations_count == 0, f"axe on {page.url}:\n{results.generate_report()}"

    return _assert_accessible
