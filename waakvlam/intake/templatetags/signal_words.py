"""Template access to the signal's one vocabulary (intake/vocabulary.py)."""

from __future__ import annotations

from django import template

from waakvlam.intake.vocabulary import signal_event_label

register = template.Library()
register.filter("event_label", signal_event_label)
