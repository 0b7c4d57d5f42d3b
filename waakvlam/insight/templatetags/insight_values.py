"""One published figure as the page shows it: a dash (with a spoken "niet getoond") when suppressed or unknown.

A filter rather than an included template: the table has a few hundred cells, and an include per cell
was most of the page's rendering time."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waakvlam.intake.vocabulary import SIGNAL_EVENT_LABELS

register = template.Library()


@register.filter
def insight_value(value: Any, key: str = "") -> SafeString:
    if value is None:
        return format_html(
            '<span aria-hidden="true">\u2013</span><span class="visually-hidden">{}</span>', _("niet getoond")
        )
    if key.startswith("rate_"):
        return format_html("{}%", round(float(value) * 100))
    return format_html("{}", localize(value))


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
