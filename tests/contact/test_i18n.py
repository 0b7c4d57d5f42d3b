"""The pilot light's screens in English: the contact, handover and households apps keep their translations in
their own locale directories (makemessages from the project root writes each app's strings there), so these
checks mirror tests/core/test_i18n.py for those files."""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from tests.contact.conftest import World
from tests.core.test_i18n import _parse_po

APPS = ["contact", "handover", "households"]
ROOT = Path(__file__).resolve().parents[2] / "waakvlam"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


@pytest.mark.parametrize("app", APPS)
def test_every_string_translated_and_compiled(app: str) -> None:
    folder = ROOT / app / "locale" / "en" / "LC_MESSAGES"
    entries = _parse_po(folder / "django.po")[1:]
    assert entries
    assert not [e.msgid for e in entries if not e.msgstr or any(not t for t in e.msgstr.values())]
    assert not [e.msgid for e in entries if "fuzzy" in e.flags]
    for e in entries:
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            assert sorted(set(PLACEHOLDER.findall(source))) == sorted(set(PLACEHOLDER.findall(text))), e.msgid
    with (folder / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    singles = {e.msgid: e.msgstr[0] for e in entries if e.msgid_plural is None}
    assert all(catalog.get(k) == v for k, v in singles.items()), "django.mo does not match django.po"


@pytest.mark.django_db
def test_english_pages(login: Callable[[str], Client], world: World) -> None:
    client = login("waakvlammer")
    page = client.get(f"/en/waakvlamcontact/{world.plan.public_id}/").content.decode()
    assert "Record contact" in page and "Contact log" in page and "Contact vastleggen" not in page
    assert "My residents" in client.get("/en/bewoners/").content.decode()
