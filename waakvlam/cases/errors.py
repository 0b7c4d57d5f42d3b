"""The error vocabulary of case conferences, area meetings and tasks: raised by services, mapped once to HTTP
(cases/api.py) and to form errors (the views)."""

from __future__ import annotations


class CaseError(Exception):
    """Base of the domain errors below; `message` is Dutch and fit to show to the user."""

    message = "Dit kan niet."

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class NotAllowed(CaseError):
    """The caller may not do this (or cannot see the object): answered as 404, never revealing it exists."""

    message = "Niet gevonden."


class InvalidInput(CaseError):
    """Bad input per field (field name → Dutch message): 422 in the API, form errors in the UI."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class Conflict(CaseError):
    """The object is in a state where this cannot happen (closed, task already settled): 409."""


class TasksUnsettled(Conflict):
    """A case or area meeting closes only when every task is done or dropped with a reason."""

    def __init__(self, open_titles: list[str]) -> None:
        self.open_titles = open_titles
        super().__init__(
            "Dit overleg kan nog niet worden afgesloten: deze taken zijn nog niet afgerond of met een reden "
            "vervallen: " + ", ".join(open_titles) + "."
        )
