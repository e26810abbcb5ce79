"""Small helpers so the codecs' messages read as plain sentences (no "element(s)")."""

from __future__ import annotations


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` and the noun in the form that number takes.

    >>> count(1, "character"), count(3, "character"), count(2, "blank", "blanks")
    ('1 character', '3 characters', '2 blanks')
    >>> count(0, "transaction set")
    '0 transaction sets'
    """
    if number == 1:
        return f"1 {noun}"
    return f"{number} {plural or noun + 's'}"
