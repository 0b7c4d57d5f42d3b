"""Accessible form rendering (core/field.html, core/form_errors.html, the ui template tags) and CSP-safe templates."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone

import waakvlam
from waakvlam.core.templatetags.ui import error_summary, field_anchor, is_overdue

TEMPLATE_FILES = sorted(Path(waakvlam.__file__).parent.glob("*/templates/**/*.html"))


class ExampleForm(forms.Form):
    name = forms.CharField(label="Naam", help_text="Zoals op de voordeur.")
    urgency = forms.ChoiceField(
        label="Urgentie", choices=[("normal", "Normaal"), ("high", "Hoog")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="Ik heb toestemming", required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("Er klopt iets niet.")


def test_no_inline_scripts_or_styles_anywhere() -> None:
    """The CSP allows scripts and styles from our own files only; inline ones would silently not work."""
    assert TEMPLATE_FILES
    offenders = []
    for path in TEMPLATE_FILES:
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=|<style\b|\son[a-z]+=", text):
            offenders.append(str(path))
    assert not offenders


def test_every_page_template_declares_its_language() -> None:
    for path in TEMPLATE_FILES:
        text = path.read_text(encoding="utf-8")
        if "<html" in text:
            assert re.search(r'<html lang="[^"]+">', text), path


def test_error_summary_lists_form_errors_first_then_fields_in_order() -> None:
    form = ExampleForm(data={})
    assert not form.is_valid()
    items = error_summary(form)
    assert [(i.label, i.anchor) for i in items] == [
        ("", ""),  # the form as a whole: no link
        ("Naam", "id_name"),
        ("Urgentie", "id_urgency_0"),  # a radio group links to its first option
        ("", ""),  # a hidden field cannot be focused: no link
    ]
    assert items[0].message == "Er klopt iets niet."


def test_field_anchor_is_empty_without_ids() -> None:
    form = ExampleForm(auto_id=False)
    assert field_anchor(form["name"]) == ""


def test_field_renders_hint_errors_and_aria_links() -> None:
    form = ExampleForm(data={"urgency": "high"})
    form.is_valid()
    html = render_to_string("core/field.html", {"field": form["name"]})
    assert '<label class="form-label" for="id_name">Naam</label>' in html
    assert 'id="id_name_helptext"' in html and 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert html.count('id="id_name_error"') == 1


def test_radio_group_is_a_fieldset_with_a_legend() -> None:
    form = ExampleForm(data={"urgency": "dringend"})
    form.is_valid()
    html = render_to_string("core/field.html", {"field": form["urgency"]})
    assert '<fieldset class="form-fieldset" aria-describedby="id_urgency_error">' in html
    assert '<legend class="form-label">Urgentie</legend>' in html


def test_optional_fields_say_so_unless_the_whole_form_is_optional() -> None:
    form = ExampleForm()
    assert "niet verplicht" not in render_to_string("core/field.html", {"field": form["name"]})
    plain = ExampleForm()
    plain.fields["name"].required = False
    assert "niet verplicht" in render_to_string("core/field.html", {"field": plain["name"]})
    assert "niet verplicht" not in render_to_string("core/field.html", {"field": plain["name"], "hide_optional": True})


def test_error_summary_template_links_to_fields() -> None:
    form = ExampleForm(data={})
    form.is_valid()
    html = render_to_string("core/form_errors.html", {"form": form})
    assert 'role="alert"' in html and "data-error-summary" in html
    assert '<a href="#id_name">Naam: ' in html
    assert render_to_string("core/form_errors.html", {"form": ExampleForm()}).strip() == ""


def test_is_overdue_follows_the_start_page_count() -> None:
    past = timezone.now() - timedelta(hours=1)
    future = timezone.now() + timedelta(hours=1)
    assert is_overdue(SimpleNamespace(due_at=past, picked_up_at=None, status="received"))
    assert not is_overdue(SimpleNamespace(due_at=future, picked_up_at=None, status="received"))
    assert not is_overdue(SimpleNamespace(due_at=past, picked_up_at=past, status="in_progress"))
    assert not is_overdue(SimpleNamespace(due_at=past, picked_up_at=None, status="closed"))


CASES = ["Casusoverleg", "Taken"]
PERSON_ITEMS = [
    "Start",
    "Inbox",
    "Signalen",
    "Signaal melden",
    "Mijn bewoners",
    "Overdrachten",
    "Aandacht",
    "Toestemmingen",
]
SOCIAL_MAP = ["Sociale kaart", "Verwijzingen"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "expected"),
    [
        # The signaller works for a housing association, which delivers arrears files: it may import.
        ("signaleerder", ["Start", "Signaal melden", "Importeren", *CASES, "Berichten", "Mijn account"]),
        (
            "waakvlammer",
            [*PERSON_ITEMS, *CASES, *SOCIAL_MAP, "Berichten", "Mijn account"],
        ),
        (
            "coordinator",
            [
                *PERSON_ITEMS[:4],
                "Importeren",
                *PERSON_ITEMS[4:],
                *CASES,
                *SOCIAL_MAP,
                "Team",
                "Wijkinzicht",  # its own organisation's figures
                "Routering",
                "Berichten",
                "Mijn account",
            ],
        ),
        ("regie", ["Start", "Casusoverleg", "Vastgelopen signalen", "Wijkinzicht", "Berichten", "Mijn account"]),
        ("privacy", ["Start", "Toegangslog", "Inzageverzoeken", "Berichten", "Mijn account"]),
        (
            "beheer",
            [
                "Start",
                "Importeren",
                "Aandachtsregels",
                "Sociale kaart",
                "Moderatie sociale kaart",
                "Routering",
                "Gebruikers",
                "Teams",
                "Organisaties",
                "Berichten",
                "Mijn account",
            ],
        ),
    ],
)
def test_menu_shows_each_role_only_its_own_screens(login: Any, username: str, expected: list[str]) -> None:
    from django.utils import translation

    from waakvlam.core.nav import nav_items

    with translation.override("nl"):  # the labels are lazy; an earlier test may have left English active
        installed = {str(item.label) for item in nav_items() if _reversible(item.url_name)}
    response = login(username).get("/")
    labels = [str(item["label"]) for item in response.context["nav_items"]]
    assert labels == [label for label in expected if label in installed]
    assert response.context["nav_items"][0]["current"] == "page"  # Start is the page itself


def _reversible(name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True
