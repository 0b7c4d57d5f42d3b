"""The error vocabulary of case conferences, area meetings and tasks: raised by services, of the kinds in
core/errors.py, so the API and the views map them in one place each."""

from __future__ import annotations

from waakvlam.core import errors


class CaseError(errors.DomainError):
    """Base of the domain errors below; `message` is Dutch and fit to show to the user."""


class NotAllowed(CaseError, errors.NotFound):
    """The caller may not do this (or cannot see the object): answered as 404, never revealing it exists."""


class InvalidInput(CaseError, errors.Invalid):
    """Bad input per field (field name → Dutch message): 422 in the API, form errors in the UI."""


class Conflict(CaseError, errors.Conflict):
    """The object is in a state where this cannot happen (closed, task already settled): 409."""


class TasksUnsettled(Conflict):
    """A case or area meeting closes only when every task is done or dropped with a reason."""

    def __init__(self, open_titles: list[str]) -> None:
        self.open_titles = open_titles
        super().__init__(
            "Dit overleg kan nog niet worden afgesloten: deze taken zijn nog niet afgerond of met een reden "
            "vervallen: " + ", ".join(open_titles) + "."
        )
