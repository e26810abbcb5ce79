"""Money as people type it in exports and registers: read into whole cents, never floats.

Payroll exports and SDU registers both carry amounts written by spreadsheets (``1,234.50``,
``$12.5``); one reader keeps them agreeing on what a cell means.
"""

from __future__ import annotations

from typing import Literal

AmountUnit = Literal["dollars", "cents"]


def parse_amount(text: str, unit: AmountUnit = "dollars") -> int | None:
    """Cents from ``123.45``, ``1,234``, ``$12.5`` (or whole cents); ``None`` when unreadable.

    >>> parse_amount("1,234.5"), parse_amount("$0.07"), parse_amount("-1"), parse_amount("1.234")
    (123450, 7, None, None)
    >>> parse_amount("12345", "cents")
    12345
    """
    if unit == "dollars" and text.isascii():
        if len(text) > 3 and text[-3] == ".":  # the usual 1234.56: one int() of 123456
            digits = text[:-3] + text[-2:]
            if digits.isdigit():
                return int(digits)
        whole, dot, fraction = text.partition(".")
        if whole.isdigit() and len(fraction) <= 2 and (not fraction or fraction.isdigit()):
            return int(whole) * 100 + (
                int(fraction) * (10 if len(fraction) == 1 else 1) if fraction else 0
            )
    text = text.strip()
    if text.startswith("$"):
        text = text[1:]
    if "," in text:
        text = text.replace(",", "")
    if unit == "cents":
        return int(text) if text.isascii() and text.isdigit() else None
    whole, dot, fraction = text.partition(".")
    if not whole:
        whole = "0" if dot and fraction else ""
    if not (whole.isascii() and whole.isdigit()) or len(fraction) > 2:
        return None
    if fraction and not (fraction.isascii() and fraction.isdigit()):
        return None
    return int(whole) * 100 + (int(fraction.ljust(2, "0")) if fraction else 0)
