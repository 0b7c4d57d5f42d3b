"""Small helpers for accessible forms and readable histories in templates (NL Design System patterns).

Django 5.2 already puts aria-invalid and aria-describedby (`<id>_helptext`, `<id>_error`) on a field's
widget; core/field.html renders the hint and the errors under exactly those ids, and these helpers cover
what Django leaves to the template: the error summary at the top of a form and its links to the fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django import forms, template
from django.utils import formats, timezone, translation

from waakvlam.core.people import person_name

register = template.Library()


@register.filter
def persoon(user: object) -> str:
    """A person as Waakvlam shows one: full name, else the role word; never the username (core/people.py)."""
    return person_name(user)


@register.filter
def wie(event: object) -> str:
    """Who did a history step: the person by name when there was one, else the stored label ("systeem: …")."""
    actor = getattr(event, "actor", None)
    return person_name(actor) if actor is not None else str(getattr(event, "actor_label", "") or "—")


@dataclass(frozen=True)
class FormError:
    message: str
    label: str = ""
    anchor: str = ""  # the id of the element the summary links to; "" for errors about the form as a whole


@register.filter
def field_anchor(field: forms.BoundField) -> str:
    """The id a link to this field should point at: the input, or the first option of a group."""
    if field.is_hidden or not field.auto_id:
        return ""
    if field.use_fieldset:
        # Radio buttons and checkbox groups have no single input; their first option takes the focus.
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.simple_tag
def error_summary(form: forms.BaseForm) -> list[FormError]:
    """Every error of the form in page order: errors about the whole form first, then field by field."""
    items = [FormError(message=str(message)) for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            if field.is_hidden:
                items.append(FormError(message=str(message)))
            else:
                items.append(FormError(message=str(message), label=str(field.label), anchor=field_anchor(field)))
    return items


@register.filter
def is_overdue(signal: object) -> bool:
    """Not picked up by its due time: the same test as the start page's "te laat" count."""
    due_at = getattr(signal, "due_at", None)
    if due_at is None or getattr(signal, "picked_up_at", None) is not None or getattr(signal, "status", "") == "closed":
        return False
    return bool(due_at < timezone.now())


def _as_date_or_datetime(value: object) -> date | None:
    """Dates come as objects from the database and as ISO text from documents built for export."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return None


# One date format per context (docs/ui-conventions.md, "Dates"); English at /en/ follows its own locale.
# Formats Django's locale files do not have as a name: a moment without seconds in both languages' own
# order, and the compact table forms with a 24-hour clock.
MOMENT_FORMATS = {"nl": "j N Y H:i", "en": "N j, Y, H:i"}
SHORT_MOMENT_FORMATS = {"nl": "j-n-Y H:i", "en": "m/d/Y H:i"}


def _local(value: object) -> date | None:
    moment = _as_date_or_datetime(value)
    if isinstance(moment, datetime) and timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment


def _language_format(formats_by_language: dict[str, str]) -> str:
    language = (translation.get_language() or "nl").split("-")[0]
    return formats_by_language.get(language, formats_by_language["nl"])


def _shown(value: object, fmt: str) -> str:
    moment = _local(value)
    if moment is None:
        return "" if value in (None, "") else str(value)
    return formats.date_format(moment, fmt)


@register.filter
def datum(value: object) -> str:
    """A day, in running text and detail lists: "4 december 2026" (the language's DATE_FORMAT), local day."""
    return _shown(value, "DATE_FORMAT")


@register.filter
def datumtijd(value: object) -> str:
    """A moment: "4 dec 2026 14:05" ("Dec. 4, 2026, 14:05") in local time, without seconds."""
    if not isinstance(_as_date_or_datetime(value), datetime):
        return datum(value)
    return _shown(value, _language_format(MOMENT_FORMATS))


@register.filter
def datumkort(value: object) -> str:
    """A day in a table column, compact: "4-12-2026" (the language's SHORT_DATE_FORMAT)."""
    return _shown(value, "SHORT_DATE_FORMAT")


@register.filter
def datumtijdkort(value: object) -> str:
    """A moment in a table column, compact: "4-12-2026 14:05"; a date alone is shown as a day."""
    if not isinstance(_as_date_or_datetime(value), datetime):
        return datumkort(value)
    return _shown(value, _language_format(SHORT_MOMENT_FORMATS))


@register.filter
def maand(value: object) -> str:
    """A period of a month: "december 2026" (the language's YEAR_MONTH_FORMAT)."""
    return _shown(value, "YEAR_MONTH_FORMAT")
