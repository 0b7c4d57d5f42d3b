"""The error vocabulary of contact plans, early-warning plans, consents and handovers: raised by services,
of the kinds in core/errors.py, so the API and the views map them in one place each."""

from __future__ import annotations

from waakvlam.core import errors


class ContactError(errors.DomainError):
    """Base of the domain errors below; `message` is Dutch and fit to show to the user."""


class NotAllowed(ContactError, errors.NotFound):
    """The caller may not do this (or cannot see the object): answered as 404, never revealing it exists."""


class NotResponsible(ContactError, errors.Forbidden):
    """The caller may see the resident but has no basis to do this (contact/consent_rules.py): 403."""

    message = (
        "Alleen de verantwoordelijke waakvlammer van de bewoner (of het ontvangende team van een warme "
        "overdracht) legt vast waarmee de bewoner heeft ingestemd."
    )


class InvalidInput(ContactError, errors.Invalid):
    """Bad input per field (field name → Dutch message): 422 in the API, form errors in the UI."""


class Conflict(ContactError, errors.Conflict):
    """The object is in a state where this cannot happen (already closed, already exists): 409."""


class ChecklistIncomplete(Conflict):
    """A handover cannot be closed while an item is neither done nor skipped with a reason."""

    def __init__(self, blocking: list[str]) -> None:
        self.blocking = blocking
        super().__init__(
            "De overdracht kan nog niet worden afgesloten: regel eerst, of sla met een reden over: "
            + ", ".join(blocking)
            + "."
        )
