from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waakvlam.core.addresses import AddressError, normalise_address

postcode_digits = st.integers(min_value=1000, max_value=9999)
postcode_letters = st.text(alphabet="ABCDEFGHIJKLMNOPQRTUVWXYZ", min_size=2, max_size=2)
numbers = st.integers(min_value=1, max_value=99999)
letters = st.one_of(st.just(""), st.sampled_from("ABCDEFGH"))


@pytest.mark.parametrize(
    "spelling",
    [("3511 ab", "12-a", "", ""), ("3511AB", "12 A", "", ""), ("3511ab", "12", "a", ""), (" 3511 AB ", "12a", "A", "")],
)
def test_spellings_of_one_address_agree(spelling: tuple[str, str, str, str]) -> None:
    assert normalise_address(*spelling).key == "3511AB|12|A|"


@given(postcode_digits, postcode_letters, numbers, letters)
def test_normalisation_is_idempotent_and_case_blind(digits: int, pc_letters: str, number: int, letter: str) -> None:
    raw_postcode = f"{digits} {pc_letters.lower()}"
    first = normalise_address(raw_postcode, str(number), letter.lower())
    again = normalise_address(first.postcode, str(first.house_number), first.house_letter, first.house_number_addition)
    assert first == again
    assert first.postcode == f"{digits}{pc_letters}"
    assert normalise_address(raw_postcode, f"{number}{letter}").key == first.key


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("0123AB", "1"), "postcode"),
        (("3511SA", "1"), "postcode"),
        (("3511AB", "nul"), "house_number"),
        (("3511AB", "0"), "house_number"),
        (("3511AB", "12", "AB"), "house_letter"),
        (("3511AB", "12B", "A"), "house_letter"),
        (("3511AB", "12", "", "toolong"), "house_number_addition"),
    ],
)
def test_bad_addresses_name_the_field(args: tuple[str, ...], field: str) -> None:
    with pytest.raises(AddressError) as error:
        normalise_address(*args)
    assert error.value.field == field
    assert error.value.message
