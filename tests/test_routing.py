"""ABA routing check digit: weights 3, 7, 1 repeated, sum mod 10."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nacha_cs.ach import routing
from nacha_cs.ach.routing import check_digit, is_valid_routing

# Published routing numbers (Federal Reserve Banks and large banks) and moov's test numbers.
KNOWN_VALID = [
    "011000015",  # Federal Reserve Bank of Boston
    "021000021",  # JPMorgan Chase, New York
    "071000301",
    "061036000",
    "231380104",
    "121042882",
    "026009593",  # Bank of America, New York
]


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_known_routing_numbers_are_valid(number: str) -> None:
    assert is_valid_routing(number)
    assert check_digit(number[:8]) == number[8]


def test_check_digit_by_hand() -> None:
    # 0*3 + 7*7 + 1*1 + 0*3 + 0*7 + 0*1 + 3*3 + 0*7 = 59 -> (10 - 9) % 10 = 1
    assert check_digit("07100030") == "1"
    # a weighted sum that is already a multiple of 10 gives 0, not 10
    assert check_digit("06103600") == "0"
    assert check_digit("00000000") == "0"


@pytest.mark.parametrize(
    "number",
    [
        "071000302",  # wrong check digit
        "07100030",  # eight digits
        "0710003011",  # ten digits
        "",
        "07100030A",
        " 71000301",
        "07100030\u0661",  # an Arabic-Indic digit is a digit to str.isdigit, not to ABA
        "\u00b2" * 9,
    ],
)
def test_invalid_routing_numbers(number: str) -> None:
    assert is_valid_routing(number) is False


@pytest.mark.parametrize("bad", ["0710003", "071000301", "0710003A", "", "\u00b2" * 8, None])
def test_check_digit_needs_eight_ascii_digits(bad: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        check_digit(bad)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.integers(1, 9))
def test_every_other_ninth_digit_is_wrong(first_eight: str, shift: int) -> None:
    good = check_digit(first_eight)
    assert is_valid_routing(first_eight + good)
    assert not is_valid_routing(first_eight + str((int(good) + shift) % 10))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 8), st.integers(1, 9))
def test_a_single_digit_typo_is_caught(number: str, position: int, shift: int) -> None:
    number = number[:8] + check_digit(number[:8])
    typo = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    # weights 3, 7 and 1 are all prime to 10, so any change in one digit changes the sum mod 10
    assert not is_valid_routing(typo)


def test_doctests() -> None:
    failures, tried = doctest.testmod(routing)
    assert tried > 0
    assert failures == 0
