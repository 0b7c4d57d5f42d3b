"""Login: argon2, two factors for roles that see personal data, lockout, idle expiry."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from waakvlam.core.models import Municipality, User

pytestmark = pytest.mark.django_db


def test_production_hasher_is_argon2() -> None:
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher") or "MD5" in settings.PASSWORD_HASHERS[0]
    from waakvlam.config import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_demo_user_logs_in_with_the_demo_password(client: Client, town: Municipality) -> None:
    response = client.post("/inloggen/", {"username": "waakvlammer", "password": "demo-waakvlam"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_gets_a_dutch_message(client: Client, town: Municipality) -> None:
    response = client.post("/inloggen/", {"username": "waakvlammer", "password": "fout"})
    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord klopt niet" in response.content.decode()


def test_lockout_after_repeated_failures(client: Client, town: Municipality) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/inloggen/", {"username": "coordinator", "password": "fout"})
    response = client.post("/inloggen/", {"username": "coordinator", "password": "demo-waakvlam"})
    assert response.status_code == 429
    assert "Dit account is geblokkeerd" in response.content.decode()


def test_a_locked_account_does_not_lock_out_colleagues_behind_the_same_router(town: Municipality) -> None:
    mistyper, colleague = Client(REMOTE_ADDR="192.0.2.10"), Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        mistyper.post("/inloggen/", {"username": "coordinator", "password": "fout"})
    assert mistyper.post("/inloggen/", {"username": "coordinator", "password": "demo-waakvlam"}).status_code == 429
    assert colleague.post("/inloggen/", {"username": "waakvlammer", "password": "demo-waakvlam"}).status_code == 302


def test_an_address_trying_many_accounts_is_throttled_and_told_so(town: Municipality, settings: object) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6  # type: ignore[attr-defined]
    prober, elsewhere = Client(REMOTE_ADDR="192.0.2.20"), Client(REMOTE_ADDR="192.0.2.21")
    for name in ("coordinator", "waakvlammer", "signaleerder"):
        for _ in range(2):
            prober.post("/inloggen/", {"username": name, "password": "fout"})
    response = prober.post("/inloggen/", {"username": "ggz", "password": "demo-waakvlam"})
    assert response.status_code == 429
    assert "Vanaf dit netwerkadres" in response.content.decode()
    assert elsewhere.post("/inloggen/", {"username": "ggz", "password": "demo-waakvlam"}).status_code == 302


def test_personal_data_role_without_exemption_must_set_up_two_factor(client: Client, town: Municipality) -> None:
    User.objects.filter(username="waakvlammer").update(two_factor_exempt=False)
    client.post("/inloggen/", {"username": "waakvlammer", "password": "demo-waakvlam"})
    assert client.get("/").url == "/account/tweestaps/instellen/"  # type: ignore[attr-defined]
    assert client.get("/signalen/").status_code == 302
    page = client.get("/account/tweestaps/instellen/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username="waakvlammer")
    wrong = client.post("/account/tweestaps/instellen/", {"token": "000000" if totp(device.bin_key) != 0 else "111111"})
    assert "Deze code klopt niet" in wrong.content.decode()
    # django-otp throttles after a failure; a real user waits a second, the test resets it.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/account/tweestaps/instellen/", {"token": token}).status_code == 302
    assert client.get("/").status_code == 200


def test_second_login_asks_for_the_code(client: Client, town: Municipality) -> None:
    user = User.objects.get(username="coordinator")
    user.two_factor_exempt = False
    user.save()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post("/inloggen/", {"username": "coordinator", "password": "demo-waakvlam"})
    assert client.get("/").url == "/account/tweestaps/"  # type: ignore[attr-defined]
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/account/tweestaps/", {"token": token}).status_code == 302
    assert client.get("/").status_code == 200


def test_exemption_is_ignored_in_production(town: Municipality, settings: object) -> None:
    from waakvlam.core.middleware import two_factor_required

    user = User.objects.get(username="waakvlammer")
    assert two_factor_required(user) is False
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    assert two_factor_required(user) is True


def test_only_the_aggregate_only_role_needs_no_second_factor(town: Municipality) -> None:
    from waakvlam.core.middleware import two_factor_required

    for username, needs in [("regie", False), ("signaleerder", True), ("wijkagent", True), ("beheer", True)]:
        user = User.objects.get(username=username)
        user.two_factor_exempt = False
        assert two_factor_required(user) is needs, username


def test_sessions_expire_when_idle() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def test_security_headers(client: Client, town: Municipality) -> None:
    response = client.get("/inloggen/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response.cookies["csrftoken"]["httponly"]


@pytest.mark.parametrize(
    ("username", "heading"),
    [
        ("signaleerder", "Zorgen over een bewoner?"),
        ("waakvlammer", "Mijn waakvlam"),
        ("coordinator", "Overzicht coördinator"),
        ("ggz", "Voor jouw organisatie"),
        ("regie", "Wijkbeeld"),
        ("privacy", "Privacy en toegang"),
        ("beheer", "Functioneel beheer"),
    ],
)
def test_each_role_has_its_start_page(login: Callable[[str], Client], username: str, heading: str) -> None:
    page = login(username).get("/")
    assert page.status_code == 200
    assert heading in page.content.decode()


def test_english_is_available(login: Callable[[str], Client]) -> None:
    page = login("waakvlammer").get("/en/")
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()
