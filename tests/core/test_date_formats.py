"""One date format per context (docs/ui-conventions.md, "Dates").

Templates show dates to people only through core's filters — `datum` (a day), `datumtijd` (a moment),
`datumkort` / `datumtijdkort` (table columns) and `maand` (a month) — never through `|date:"…"` with a
format of their own. The one exception is a machine format (ISO: 'c', 'Y-m-d') inside an HTML attribute,
as in `<time datetime="{{ x|date:'c' }}">` or an `<input type="date" value="…">`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from waakvlam.core.templatetags.ui import datum, datumkort, datumtijd, datumtijdkort, maand

ROOT = Path(__file__).resolve().parents[2] / "waakvlam"
ANY_DATE = re.compile(r"\|\s*(date|time)\s*(:|\}|\||\s)")
# A machine format as the whole value of an attribute: `attr="{{ value|date:'c' }}"`.
MACHINE_IN_ATTRIBUTE = re.compile(r"""[\w-]+="\{\{\s*[\w.]+\|date:(["'])(c|Y-m-d)\1\s*\}\}\"""")


def date_format_problems(text: str) -> list[str]:
    """Every `|date` / `|time` use in a template that is not a machine format inside an attribute."""
    allowed = {m.start() + m.group(0).index("|date") for m in MACHINE_IN_ATTRIBUTE.finditer(text)}
    problems = []
    for match in ANY_DATE.finditer(text):
        if match.start() not in allowed:
            line = text.count("\n", 0, match.start()) + 1
            snippet = text[max(0, match.start() - 30) : match.end() + 20].replace("\n", " ")
            problems.append(f"line {line}: …{snippet}…")
    return problems


def test_templates_show_dates_only_through_the_date_filters() -> None:
    templates = sorted(ROOT.rglob("templates/**/*.html"))
    assert len(templates) > 100  # the walk found the templates
    found = {
        str(path.relative_to(ROOT)): problems
        for path in templates
        if (problems := date_format_problems(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "use |datum, |datumtijd, |datumkort, |datumtijdkort or |maand (docs/ui-conventions.md)"


@pytest.mark.parametrize(
    "snippet",
    [
        '{{ plan.starts_on|date:"j F Y" }}',
        "{{ x|date:'SHORT_DATE_FORMAT' }}",
        '{% blocktranslate with when=x|date:"j M" %}{{ when }}{% endblocktranslate %}',
        "{{ x|date }}",
        "{{ x|time:'H:i' }}",
        "<p>{{ x|date:'c' }}</p>",  # a machine format shown as text
    ],
)
def test_the_check_catches_a_new_format(snippet: str) -> None:
    assert date_format_problems(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<time datetime=\"{{ e.at|date:'c' }}\">{{ e.at|datumtijd }}</time>",
        '<input type="date" value="{{ start|date:\'Y-m-d\' }}">',
        "{{ x|datumkort|default:'—' }}",
    ],
)
def test_the_check_lets_machine_formats_in_attributes_pass(snippet: str) -> None:
    assert date_format_problems(snippet) == []


AMS = ZoneInfo("Europe/Amsterdam")
MOMENT = datetime(2026, 12, 4, 14, 5, 31, 123456, tzinfo=AMS)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            {
                "datum": "4 december 2026",
                "datumtijd": "4 dec 2026 14:05",
                "datumkort": "4-12-2026",
                "datumtijdkort": "4-12-2026 14:05",
                "maand": "december 2026",
            },
        ),
        (
            "en",
            {
                "datum": "Dec. 4, 2026",
                "datumtijd": "Dec. 4, 2026, 14:05",
                "datumkort": "12/04/2026",
                "datumtijdkort": "12/04/2026 14:05",
                "maand": "December 2026",
            },
        ),
    ],
)
def test_each_context_has_one_format_per_language(language: str, expected: dict[str, str]) -> None:
    filters = {"datum": datum, "datumtijd": datumtijd, "datumkort": datumkort, "datumtijdkort": datumtijdkort}
    with translation.override(language):
        shown = {name: f(MOMENT) for name, f in filters.items()}
        shown["maand"] = maand(MOMENT)
    assert shown == expected


def test_moments_are_local_and_days_stay_days() -> None:
    utc = datetime(2026, 12, 4, 23, 30, tzinfo=ZoneInfo("UTC"))  # already 5 December in Amsterdam
    with translation.override("nl"):
        assert datum(utc) == "5 december 2026"
        assert datumtijd(utc) == "5 dec 2026 00:30"
        # A date has no time of day: the moment filters show it as a day.
        assert datumtijd(date(2026, 12, 4)) == "4 december 2026"
        assert datumtijdkort(date(2026, 12, 4)) == "4-12-2026"
        # Export documents carry ISO text; empty stays empty, so `|default:"—"` works.
        assert datum("2026-12-04") == "4 december 2026"
        assert datum(None) == "" and datumkort("") == ""
