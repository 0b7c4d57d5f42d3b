"""Dutch address normalisation: one spelling for postcode, house number, letter and addition.

Partners write the same address as `3511 ab 12-a`, `3511AB 12 A` or `3511ab, 12a`. Linking signals to a
household depends on all of these meaning one address, so normalisation lives in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import postcode as nl_postcode


class AddressError(ValueError):
    """Raised with a Dutch message naming the field that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class NormalisedAddress:
    postcode: str
    house_number: int
    house_letter: str
    house_number_addition: str

    @property
    def key(self) -> str:
        return address_key(self.postcode, self.house_number, self.house_letter, self.house_number_addition)


_NUMBER_RE = re.compile(r"^\s*(\d{1,5})\s*[-/ ]?\s*([A-Za-z])?\s*(?:[-/ ]\s*([A-Za-z0-9]{1,4}))?\s*$")
_ADDITION_RE = re.compile(r"^[A-Z0-9]{1,4}$")


def normalise_postcode(raw: str) -> str:
    try:
        return str(nl_postcode.compact(nl_postcode.validate(raw or "")))
    except StdnumValidationError:
        raise AddressError(
            "postcode", "Geen geldige postcode; gebruik 4 cijfers en 2 letters, zoals 3511 AB."
        ) from None


def normalise_address(
    postcode: str, house_number: str | int, house_letter: str = "", house_number_addition: str = ""
) -> NormalisedAddress:
    """Validate and normalise; accepts the letter/addition either in their own fields or after the number."""
    pc = normalise_postcode(str(postcode))
    letter = (house_letter or "").strip().upper()
    addition = re.sub(r"[\s\-/]", "", house_number_addition or "").upper()
    match = _NUMBER_RE.match(str(house_number))
    if not match:
        raise AddressError(
            "house_number", "Geen geldig huisnummer; gebruik cijfers, eventueel met letter, zoals 12 of 12A."
        )
    number = int(match.group(1))
    if not 1 <= number <= 99999:
        raise AddressError("house_number", "Het huisnummer moet tussen 1 en 99999 liggen.")
    if match.group(2):
        if letter and letter != match.group(2).upper():
            raise AddressError("house_letter", "De huisletter staat twee keer verschillend in het adres.")
        letter = match.group(2).upper()
    if match.group(3):
        if addition and addition != match.group(3).upper():
            raise AddressError("house_number_addition", "De toevoeging staat twee keer verschillend in het adres.")
        addition = match.group(3).upper()
    if letter and not (len(letter) == 1 and letter.isalpha() and letter.isascii()):
        raise AddressError("house_letter", "Een huisletter is één letter, zoals A.")
    if addition and not _ADDITION_RE.match(addition):
        raise AddressError("house_number_addition", "Een toevoeging is hoogstens 4 letters of cijfers, zoals 2 of BIS.")
    return NormalisedAddress(pc, number, letter, addition)


def address_key(postcode: str, house_number: int, house_letter: str = "", house_number_addition: str = "") -> str:
    return f"{postcode.upper().replace(' ', '')}|{int(house_number)}|{(house_letter or '').upper()}|{(house_number_addition or '').upper()}"
