"""The social map's domain errors; views turn them into form errors, the API into 4xx answers."""

from __future__ import annotations


class ReferralError(Exception):
    status = 400

    def __init__(self, message: str = "", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ReferralError):
    status = 404  # never tell that a referral exists to someone who may not see it


class InvalidInput(ReferralError):
    status = 422


class Conflict(ReferralError):
    status = 409
