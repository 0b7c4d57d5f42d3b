"""The intake app's error vocabulary: raised by services, of the kinds in core/errors.py, so the API and the
views map them in one place each."""

from __future__ import annotations

from waakvlam.core import errors
from waakvlam.intake.models import Category

VEILIG_THUIS = "Veilig Thuis, 0800-2000"
ACUTE_DANGER = (
    "Acute danger is not handled by Waakvlam: call 112 now. (Acuut gevaar wordt hier niet behandeld: bel direct 112.)"
)


# What the API says when no signal can be taken in at all (an operator must load a municipality or a team).
NOT_TAKEN_IN = "Signals cannot be taken in yet: no team to route them to. Ask an operator."


class IntakeError(errors.DomainError):
    message = "Dit signaal kan niet worden aangenomen."


class SignalRefused(IntakeError, errors.Invalid):
    """Bad input for one field: 422 in the API (naming the field), a form error in the UI."""

    def __init__(self, field: str, message: str) -> None:
        errors.Invalid.__init__(self, {field: message})
        self.field = field


class ExternalIdConflict(IntakeError, errors.Conflict):
    message = "A signal with this external_id was already reported by your organisation."


class IdempotencyKeyReused(IntakeError, errors.Conflict):
    message = (
        "This Idempotency-Key was already used with a different request body. "
        "Use a new key for a new signal, or resend exactly the first body."
    )


class NoMunicipality(IntakeError, errors.Unavailable):
    message = "Waakvlam has no municipality to take this signal in; an operator must load one first."

    def detail(self) -> str:
        return NOT_TAKEN_IN


def unknown_category_message(value: object) -> str:
    codes = ", ".join(Category.values)
    return (
        f"Unknown category {str(value)[:50]!r}. Valid codes: {codes}. "
        f"Domestic violence or child abuse is not taken in here: contact {VEILIG_THUIS}."
    )


def unknown_urgency_message(value: object) -> str:
    return f"urgency must be 'normal' or 'high' (got {str(value)[:50]!r}). {ACUTE_DANGER}"


class NoTeamForSignal(errors.Unavailable):
    """The municipality has no team at all; an operator must create one before signals can be taken in.
    Raised by routing (signal_route), which gives every signal its owner."""

    def detail(self) -> str:
        return NOT_TAKEN_IN
