"""One published figure as the page shows it: a dash (with a spoken "niet getoond") when suppressed or unknown.

A filter rather than an included template: the table has a few hundred cells, and an include per cell
was most of the page's rendering time."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waakvlam.intake.vocabulary import SIGNAL_EVENT_LABELS

register = template.Library()


def _not_shown() -> SafeString:
    return format_html(
        '<span aria-hidden="true">\u2013</span><span class="visually-hidden">{}</span>', _("niet getoond")
    )


def _shown(value: Any, key: str) -> str:
    """A published number as the page writes it (escaped: plain text)."""
    if key.startswith("rate_"):
        return f"{round(float(value) * 100)}%"
    if type(value) is int:  # a count: localize() writes it as str() does (no thousands separator, settings)
        return str(value)
    return escape(localize(value))


@register.filter
def insight_value(value: Any, key: str = "") -> SafeString:
    return _not_shown() if value is None else mark_safe(_shown(value, key))  # noqa: S308 (escaped above)


@register.simple_tag
def insight_rows(rows: list[dict[str, Any]], figure: str) -> SafeString:
    """The neighbourhood table's body: a row per neighbourhood, its cells in column order, and the map's
    figure in the period before. Written here in one go, each label and the "not shown" text translated
    once: as a template loop over several hundred cells it was most of the page's rendering time."""
    not_shown = _not_shown()
    neighbourhood, code, before = (escape(_(text)) for text in ("Buurt", "CBS-code", "vorige periode"))
    labels: dict[str, str] = {}  # the columns' labels, escaped
    lines = []
    for row in rows:
        cells = []
        for key, label, value in row["cells"]:
            if key not in labels:  # str() first: escape() of a lazy label stays lazy, translated at every use
                labels[key] = escape(str(label))
            shown = not_shown if value is None else _shown(value, key)
            cells.append(f'<td class="numeric" data-label="{labels[key]}">{shown}</td>')
        previous = not_shown if row["previous"] is None else _shown(row["previous"], figure)
        lines.append(
            f'      <tr>\n        <th scope="row" data-label="{neighbourhood}">{escape(row["name"])}</th>\n'
            f'        <td data-label="{code}"><code>{escape(row["code"])}</code></td>\n        {"".join(cells)}\n'
            f'        <td class="numeric" data-label="{before}">{previous}</td>\n      </tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 (every value escaped above)


# The signal's own history words (intake/vocabulary.py), and the regie's own steps.
EVENT_LABELS = {
    **SIGNAL_EVENT_LABELS,
    "transferred": gettext_lazy("Overgedragen door het team"),
    "regie_transferred": gettext_lazy("Overgedragen door de regie"),
    "explanation_asked": gettext_lazy("Uitleg gevraagd"),
    "explained": gettext_lazy("Uitleg van de coördinator"),
    "on_area_meeting": gettext_lazy("Op een gebiedsoverleg gezet"),
}


@register.filter
def regie_event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))
