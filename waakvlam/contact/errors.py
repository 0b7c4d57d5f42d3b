"""The error vocabulary of contact plans, early-warning plans, consents and handovers: raised by services,
mapped once to HTTP (contact/api.py, handover/api.py) and to form errors (the views)."""

from __future__ import annotations


class ContactError(Exception):
    """Base of the domain errors below; `message` is Dutch and fit to show to the user."""

    message = "Dit kan niet."

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class NotAllowed(ContactError):
    """The caller may not do this (or cannot see the object): answered as 404, never revealing it exists."""

    message = "Niet gevonden."


class NotResponsible(ContactError):
    """The caller may see the resident but has no basis to do this (contact/consent_rules.py): 403."""

    message = (
        "Alleen de verantwoordelijke waakvlammer van de bewoner (of het ontvangende team van een warme "
        "overdracht) legt vast waarmee de bewoner heeft ingestemd."
    )


class InvalidInput(ContactError):
    """Bad input per field (field name → Dutch message): 422 in the API, form errors in the UI."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class Conflict(ContactError):
    """The object is in a state where this cannot happen (already closed, already exists): 409."""


class ChecklistIncomplete(ContactError):
    """A handover cannot be closed while an item is neither done nor skipped with a reason."""

    def __init__(self, blocking: list[str]) -> None:
        self.blocking = blocking
        super().__init__(
            "De overdracht kan nog niet worden afgerond: regel eerst, of sla met een reden over: "
            + ", ".join(blocking)
            + "."
        )
