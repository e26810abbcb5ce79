"""CSV cells a spreadsheet shows as text and never runs (CSV injection).

A payroll clerk opens a remittance or withholding CSV in a spreadsheet; a name ``=1+1`` (or
``=HYPERLINK(...)``) taken from a file or a payroll would run as a formula. Following OWASP's
CSV injection guidance, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading apostrophe. Numbers stay numbers: an amount ``-5.00`` or
``27000`` is not a formula, and quoting it would turn it into text in the sheet.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's CSV injection list)."""

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell: numbers (int, or text that is a plain decimal number) as they
    are, text that a spreadsheet would run as a formula with a leading apostrophe.

    >>> safe_cell("=1+1"), safe_cell("SMITH"), safe_cell(-500), safe_cell("-5.00")
    ("'=1+1", 'SMITH', -500, '-5.00')
    >>> safe_cell("-1+2"), safe_cell("@SUM(A1)"), safe_cell(None)
    ("'-1+2", "'@SUM(A1)", None)
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(value) is None:
        return "'" + value
    return value


_STARTS = frozenset(FORMULA_STARTS)


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through :func:`safe_cell` (only text that starts like a formula
    needs the call: a million-row export pays one set lookup a cell)."""
    row = list(values)
    starts = _STARTS
    for index, value in enumerate(row):
        if value.__class__ is str and value[:1] in starts:
            row[index] = safe_cell(value)
    return row


class SafeDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """:class:`csv.DictWriter` whose every cell goes through :func:`safe_cell`.

    >>> import io
    >>> out = io.StringIO()
    >>> writer = SafeDictWriter(out, fieldnames=["name", "amount"], lineterminator="\\n")
    >>> _ = writer.writerow({"name": "=HYPERLINK(1)", "amount": -5})
    >>> out.getvalue()
    "'=HYPERLINK(1),-5\\n"
    """

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})
