"""The routing app's error vocabulary, raised by services and mapped once to HTTP (api.py) and forms (views.py)."""

from __future__ import annotations


class RoutingError(Exception):
    """Base of the domain errors below; `message` is Dutch and fit to show to the user."""

    message = "Dit kan niet."

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class NotAllowed(RoutingError):
    """The caller may not act on this signal (or cannot see it): answered as 404, never revealing it exists."""

    message = "Niet gevonden."


class ScopeMissing(NotAllowed):
    """An API key that can read the signal lacks the scope to change it: 403, since it already sees the signal."""

    message = "Deze API-sleutel mag signalen niet wijzigen (scope signals:write ontbreekt)."


class SignalAlreadyClosed(RoutingError):
    message = "Dit signaal is al afgesloten."


class SignalAlreadyClaimed(RoutingError):
    message = "Dit signaal is al opgepakt."


class InvalidAction(RoutingError):
    """Bad input for an action, per field (field name → Dutch message); 422 in the API, form errors in the UI."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class FallbackRequired(RoutingError):
    message = "De vangnetregel kan niet uit: zonder vangnet kan een signaal zonder eigenaar blijven."
