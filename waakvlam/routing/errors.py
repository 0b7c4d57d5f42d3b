"""The routing app's error vocabulary, raised by services, of the kinds in core/errors.py: mapped once to
HTTP (config/api.py) and once onto forms and pages (core.errors.form_attempt)."""

from __future__ import annotations

from waakvlam.core import errors


class RoutingError(errors.DomainError):
    """Base of the domain errors below; `message` is Dutch and fit to show to the user."""


class NotAllowed(RoutingError, errors.NotFound):
    """The caller may not act on this signal (or cannot see it): answered as 404, never revealing it exists."""


class ScopeMissing(NotAllowed):
    """An API key that can read the signal lacks the scope to change it: 403, since it already sees the signal."""

    status = 403
    message = "Deze API-sleutel mag signalen niet wijzigen (scope signals:write ontbreekt)."

    def detail(self) -> str:
        return self.message


class SignalAlreadyClosed(RoutingError, errors.Conflict):
    message = "Dit signaal is al afgesloten."


class SignalAlreadyClaimed(RoutingError, errors.Conflict):
    message = "Dit signaal is al opgepakt."


class InvalidAction(RoutingError, errors.Invalid):
    """Bad input for an action, per field (field name → Dutch message); 422 in the API, form errors in the UI."""


class FallbackRequired(RoutingError, errors.Conflict):
    message = "De vangnetregel kan niet uit: zonder vangnet kan een signaal zonder eigenaar blijven."
