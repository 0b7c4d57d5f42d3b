"""The social map in English: every string of its own locale translated and compiled, and the screens
answer in English under /en/."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.contact.test_i18n import test_every_string_translated_and_compiled as check_app
from tests.factories import user
from tests.socialmap.conftest import Map


def test_socialmap_strings_translated_and_compiled() -> None:
    check_app("socialmap")


@pytest.mark.django_db
def test_english_screens(smap: Map, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    page = client.get("/en/sociale-kaart/", {"free": "on"}).content.decode()
    assert "Social map" in page and "Without referral" in page and "Zonder verwijzing" not in page
    public = client.get("/en/wat-is-er-te-doen/BU99990100/").content.decode()
    assert "What is there to do in Binnenstad?" in public and "Together with others" in public
