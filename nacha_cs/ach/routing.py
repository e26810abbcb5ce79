"""ABA routing transit numbers: the check digit every RDFI and destination must pass.

>>> check_digit("07100030")
'1'
>>> is_valid_routing("071000301")
True
>>> is_valid_routing("071000302")
False
"""

from __future__ import annotations

from functools import lru_cache

_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)


def check_digit(first_eight: str) -> str:
    """The ninth digit of a routing number whose first eight digits are given."""
    if len(first_eight) != 8 or not (first_eight.isascii() and first_eight.isdigit()):
        raise ValueError(f"need 8 digits, got {first_eight!r}")
    total = sum(int(d) * w for d, w in zip(first_eight, _WEIGHTS))
    return str((10 - total % 10) % 10)


@lru_cache(maxsize=4096)
def is_valid_routing(number: str) -> bool:
    """True for nine digits whose last is the ABA check digit of the first eight."""
    if len(number) != 9 or not (number.isascii() and number.isdigit()):
        return False
    return check_digit(number[:8]) == number[8]
