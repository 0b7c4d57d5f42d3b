"""The intake app's error vocabulary: raised by services, mapped once to HTTP (api.py) and to form errors."""

from __future__ import annotations

from waakvlam.intake.models import Category

VEILIG_THUIS = "Veilig Thuis, 0800-2000"
ACUTE_DANGER = (
    "Acute danger is not handled by Waakvlam: call 112 now. (Acuut gevaar wordt hier niet behandeld: bel direct 112.)"
)


class IntakeError(Exception):
    message = "Dit signaal kan niet worden aangenomen."

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class SignalRefused(IntakeError):
    """Bad input for one field: 422 in the API (naming the field), a form error in the UI."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ExternalIdConflict(IntakeError):
    message = "A signal with this external_id was already reported by your organisation."


class IdempotencyKeyReused(IntakeError):
    message = (
        "This Idempotency-Key was already used with a different request body. "
        "Use a new key for a new signal, or resend exactly the first body."
    )


class NoMunicipality(IntakeError):
    message = "Waakvlam has no municipality to take this signal in; an operator must load one first."


def unknown_category_message(value: object) -> str:
    codes = ", ".join(Category.values)
    return (
        f"Unknown category {str(value)[:50]!r}. Valid codes: {codes}. "
        f"Domestic violence or child abuse is not taken in here: contact {VEILIG_THUIS}."
    )


def unknown_urgency_message(value: object) -> str:
    return f"urgency must be 'normal' or 'high' (got {str(value)[:50]!r}). {ACUTE_DANGER}"


class NoTeamForSignal(Exception):
    """The municipality has no team at all; an operator must create one before signals can be taken in.
    Raised by routing (signal_route), which gives every signal its owner."""
