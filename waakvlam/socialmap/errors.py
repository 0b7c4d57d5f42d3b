"""The social map's domain errors, of the kinds in core/errors.py: the views put them on forms and pages,
the API answers them by kind (403/404/409/422), each in one place."""

from __future__ import annotations

from waakvlam.core import errors


class ReferralError(errors.DomainError):
    message = ""

    def __init__(self, message: str = "", field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NotAllowed(ReferralError, errors.NotFound):
    """Never tells that a referral exists to someone who may not see it: 404, saying only why, if anything."""

    def detail(self) -> str:
        return self.message or errors.NOT_FOUND


class InvalidInput(ReferralError, errors.Invalid):
    """Bad input for one field (the request as a whole when no field is named)."""

    def __init__(self, message: str = "", field: str = "") -> None:
        errors.Invalid.__init__(self, {field or "body": message})
        self.field = field


class Conflict(ReferralError, errors.Conflict):
    pass
