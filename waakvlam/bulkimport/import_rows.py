"""One row of an import file: its columns, and turning its fields into a valid Row or a list of problems.

Speed matters here (a million rows should take well under a minute in all), so the validator pads each
record once, unpacks the columns in one go, and remembers what files repeat: postcodes, house numbers,
dates and standard notes. What it accepts is exactly what signal_create accepts: addresses go through
core.addresses.normalise_address, notes through the same free-text check.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import operator
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # the C function json.dumps uses
from typing import Any

from django.utils import timezone

from waakvlam.core.addresses import AddressError, normalise_address, normalise_postcode
from waakvlam.core.encryption import blind_index
from waakvlam.intake.freetext import FreeTextCheck, free_text_check
from waakvlam.intake.models import Category

__all__ = [
    "COLUMNS",
    "OPTIONAL",
    "REQUIRED",
    "SOURCE_KINDS",
    "Problem",
    "Row",
    "RowValidator",
    "debtor_index",
    "parse_amount",
    "parse_date",
]

REQUIRED = ("external_id", "signal_date", "source_kind", "postcode", "house_number")
OPTIONAL = (
    "category",
    "house_letter",
    "house_number_addition",
    "arrears_amount",
    "arrears_months",
    "surname",
    "initials",
    "birth_date",
    "phone",
    "email",
    "note",
)
COLUMNS = REQUIRED + OPTIONAL
SOURCE_KINDS = ("housing", "energy", "water", "health_insurance", "other")
CATEGORIES = frozenset(Category.values)
DEFAULT_CATEGORY = Category.PAYMENT_ARREARS.value
MAX_NOTE = 5000
MAX_AMOUNT = Decimal("100000000")
EARLIEST = date(2000, 1, 1)
BORN_AFTER = date(1900, 1, 1)


@dataclass(frozen=True)
class Problem:
    line: int
    external_id: str
    column: str
    reason: str
    outcome: str = "afgewezen"  # or "dubbel"


@dataclass(slots=True)
class Row:
    """A valid row, ready for the writer."""

    line: int
    external_id: str
    category: str
    source_kind: str
    observed_at: datetime
    postcode: str
    house_number: int
    house_letter: str
    house_number_addition: str
    key: str  # core.addresses.address_key of the normalised address
    arrears_amount: Decimal | None
    arrears_months: int | None
    debtor_details: str | None  # JSON; BatchWriter._prepare encrypts it
    debtor_index: str
    description: str
    description_masked: str
    privacy_flags: str  # JSON list of kinds, as stored
    # Set by BatchWriter._prepare, for the rows it writes.
    tracking_code: str = ""
    debtor_token: str | None = None  # debtor_details encrypted, as stored

    def __reduce__(self) -> tuple[type[Row], tuple[Any, ...]]:
        # Rows travel from the reading process to the writer pickled (bulk_import._read_elsewhere): as the
        # tuple of their fields that is a third of the cost of pickle's default for a slots dataclass.
        return Row, _ROW_FIELDS(self)


_ROW_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Row)))
_DATE_NL = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_AMOUNT = re.compile(r"^\d+(?:[.,]\d+)*$")
_AMOUNT_PLAIN = re.compile(r"^\d{1,8}(?:[.,]\d{1,2})?$")
_PHONE = re.compile(r"^[0-9+()\-\s./]{6,40}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_date(raw: str) -> date:
    """2026-10-31 (ISO) or 31-10-2026 / 31/10/2026 (Dutch); ValueError otherwise."""
    text = raw.strip()
    match = _DATE_NL.match(text)
    if match:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if len(text) != 10:
        raise ValueError(text)
    return date.fromisoformat(text)


def parse_amount(raw: str) -> Decimal:
    """Euros with a dot or a comma as decimal mark (412.50, 412,50, 1.234,56, € 1,234.56); at most two
    decimals, so an ambiguous 1.234 is refused rather than guessed. ValueError otherwise."""
    if _AMOUNT_PLAIN.match(raw):
        return Decimal(raw.replace(",", "."))
    text = raw.strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if not _AMOUNT.match(text):
        raise ValueError(raw)
    if "," in text and "." in text:
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    if text.count(".") > 1:
        raise ValueError(raw)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -2:
        raise ValueError(raw)
    return value


# normalise_address checks the postcode first and then the number, letter and addition, which do not
# depend on the postcode; so the two halves can be remembered apart (a file repeats both endlessly).
_ANY_POSTCODE = "1000AA"


@functools.lru_cache(maxsize=1 << 16)
def _postcode(raw: str) -> str | AddressError:
    try:
        return normalise_postcode(raw)
    except AddressError as error:
        return error


@functools.lru_cache(maxsize=1 << 16)
def _number(number: str, letter: str, addition: str) -> tuple[int, str, str] | AddressError:
    try:
        normal = normalise_address(_ANY_POSTCODE, number, letter, addition)
    except AddressError as error:
        return error
    return normal.house_number, normal.house_letter, normal.house_number_addition


@functools.lru_cache(maxsize=4096)
def _note_check(text: str) -> tuple[str, str]:
    """(masked text, flags as JSON): the free-text check costs 0.3-0.6 ms a note with deduce, and arrears
    files repeat a handful of standard notes."""
    check: FreeTextCheck = free_text_check(text)
    return check.masked, json.dumps(check.kinds)


def debtor_index(surname: str, birth_date: date | str) -> str:
    """The blind index a debtor is found by: core.encryption.blind_index over the normalised surname and
    the birth date (YYYY-MM-DD), purpose "debtor"."""

    day = birth_date.isoformat() if isinstance(birth_date, date) else birth_date
    return blind_index(f"{' '.join(surname.casefold().split())}|{day}", purpose="debtor")


class RowValidator:
    """Turns the fields of one record into a Row, or into the list of what is wrong with it."""

    def __init__(self, header: list[str], *, now: datetime) -> None:
        self.width = len(header)
        position = {name: i for i, name in enumerate(header) if name in COLUMNS}
        # A column the file lacks reads the padding field just past the last one: always "".
        self.columns = [position.get(name, self.width) for name in COLUMNS]
        self.today = timezone.localdate(now)
        self._zone = timezone.get_current_timezone()
        self._days: dict[str, datetime | str] = {}
        self._births: dict[str, str | None] = {}

    def _signal_day(self, raw: str) -> datetime | str:
        """Local midnight of the signal date, or the reason it is not a valid one."""
        found = self._days.get(raw)
        if found is not None:
            return found
        try:
            day = parse_date(raw)
        except ValueError:
            found = "Geen geldige datum; gebruik JJJJ-MM-DD, zoals 2026-10-31."
        else:
            if day > self.today:
                found = "De datum ligt in de toekomst."
            elif day < EARLIEST:
                found = "De datum ligt vóór 2000; klopt het jaartal?"
            else:
                found = datetime(day.year, day.month, day.day, tzinfo=self._zone)
        if len(self._days) < 100_000:
            self._days[raw] = found
        return found

    def _birth(self, raw: str) -> str | None:
        """YYYY-MM-DD, or None when it is not a plausible birth date."""
        if raw in self._births:
            return self._births[raw]
        try:
            day = parse_date(raw)
        except ValueError:
            found = None
        else:
            found = day.isoformat() if BORN_AFTER <= day <= self.today else None
        if len(self._births) < 100_000:
            self._births[raw] = found
        return found

    def validate(self, fields: list[str], line: int) -> Row | list[Problem]:
        width = self.width
        if len(fields) > width:
            if any(f.strip() for f in fields[width:]):
                reason = (
                    f"De regel heeft {len(fields)} velden, de kopregel {width}. Staat er een komma of puntkomma "
                    "in een veld zonder aanhalingstekens (bijvoorbeeld een bedrag als 412,50)?"
                )
                return [Problem(line, fields[self.columns[0]].strip()[:100], "", reason)]
            fields = fields[:width]
        fields = fields + [""] * (width + 1 - len(fields))
        (
            external_id,
            signal_date,
            source_kind,
            postcode,
            house_number,
            category,
            house_letter,
            addition,
            amount_text,
            months_text,
            surname,
            initials,
            birth_text,
            phone,
            email,
            note,
        ) = [fields[i].strip() for i in self.columns]
        problems: list[Problem] = []

        def bad(column: str, reason: str) -> None:
            problems.append(Problem(line, external_id[:100], column, reason))

        if not external_id:
            bad("external_id", "Leeg; elk signaal heeft een eigen kenmerk nodig.")
        elif len(external_id) > 100 or _CONTROL.search(external_id):
            bad("external_id", "Hoogstens 100 tekens, zonder stuurtekens.")
        observed = self._signal_day(signal_date)
        if isinstance(observed, str):
            bad("signal_date", observed)
        category = category or DEFAULT_CATEGORY
        if category not in CATEGORIES:
            bad("category", f"Onbekende soort; kies uit {', '.join(Category.values)}.")
        source_kind = source_kind.lower()
        if source_kind not in SOURCE_KINDS:
            bad("source_kind", f"Kies uit {', '.join(SOURCE_KINDS)}.")
        pc = _postcode(postcode)
        number = _number(house_number, house_letter, addition) if not isinstance(pc, AddressError) else pc
        if isinstance(number, AddressError):
            bad(number.field, number.message)
        amount = months = None
        if amount_text:
            try:
                amount = parse_amount(amount_text)
            except ValueError:
                bad(
                    "arrears_amount",
                    "Geen geldig bedrag; gebruik bijvoorbeeld 412.50 of 412,50 (hoogstens 2 decimalen).",
                )
            else:
                if amount >= MAX_AMOUNT:
                    bad("arrears_amount", "Het bedrag is te groot.")
        if months_text:
            if months_text.isdigit() and int(months_text) <= 600:
                months = int(months_text)
            else:
                bad("arrears_months", "Een heel aantal maanden van 0 tot 600.")
        # The debtor's details as compact JSON, exactly as json.dumps(..., ensure_ascii=False,
        # separators=(",", ":")) writes the dict of them, at a third of its cost (a test compares the two).
        details: list[str] = []
        birth = None
        if surname:
            if len(surname) > 200 or _CONTROL.search(surname):
                bad("surname", "Hoogstens 200 tekens, zonder stuurtekens.")
            details.append('"surname":' + encode_basestring(surname))
        if initials:
            if len(initials) > 20:
                bad("initials", "Hoogstens 20 tekens.")
            details.append('"initials":' + encode_basestring(initials))
        if birth_text:
            birth = self._birth(birth_text)
            if birth is None:
                bad("birth_date", "Geen geldige geboortedatum; gebruik JJJJ-MM-DD, zoals 1968-04-30.")
            else:
                details.append('"birth_date":"' + birth + '"')
        if phone:
            if not _PHONE.match(phone):
                bad("phone", "Geen geldig telefoonnummer (cijfers, spaties, +, - en haakjes; 6 tot 40 tekens).")
            details.append('"phone":' + encode_basestring(phone))
        if email:
            email = email.lower()
            if len(email) > 254 or not _EMAIL.match(email):
                bad("email", "Geen geldig e-mailadres.")
            details.append('"email":' + encode_basestring(email))
        if "\r" in note:  # Windows line ends inside a quoted note
            note = note.replace("\r\n", "\n").replace("\r", "\n")
        if len(note) > MAX_NOTE:
            bad("note", f"Hoogstens {MAX_NOTE} tekens.")
        if problems:
            return problems
        assert isinstance(pc, str) and isinstance(number, tuple) and isinstance(observed, datetime)
        index = ""
        if surname and birth is not None:
            index = debtor_index(surname, birth)
        masked, flags = _note_check(note) if note else ("", "[]")
        number_, letter, addition = number
        return Row(
            line,
            external_id,
            category,
            source_kind,
            observed,
            pc,
            number_,
            letter,
            addition,
            f"{pc}|{number_}|{letter}|{addition}",
            amount,
            months,
            "{" + ",".join(details) + "}" if details else None,
            index,
            note,
            masked,
            flags,
        )
