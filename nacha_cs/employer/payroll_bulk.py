"""A payroll CSV chunk read column by column: the fast lane of :mod:`nacha_cs.employer.payroll`.

A million-row export is read a chunk of rows at a time. Most chunks are plain: every row
complete, amounts written ``123.45``, SSNs issuable, nothing a finding would be made of. Such a
chunk is checked and converted a column at a time with the C loops of ``map``, ``set`` and
``str.join`` instead of a Python function call per row. Every test here is one that proves the
row parser (``_RowParser.parse``) would return the same row and no finding at all; when any
test fails the lane returns ``None`` and the caller parses the chunk row by row, which says
what is wrong in its own words and order.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Collection, Mapping, Sequence
from itertools import repeat
from typing import Any

_AREA_NEVER = ("000", "666", "9")
_GROUP = operator.itemgetter(slice(3, 5))
_SERIAL = operator.itemgetter(slice(5, None))
_THIRD_LAST = operator.itemgetter(slice(-3, -2))


def _cents(column: list[str], rows: int, largest: int) -> list[int | None] | None:
    """A money column in cents (``None`` for a blank cell), when every other cell is
    ``digits.dd`` in ASCII (what ``parse_amount`` reads as ``int`` of the digits)."""
    if not any(column):
        return [None] * rows
    filled = rows - column.count("")
    if not "".join(column).isascii():
        return None
    if list(map(_THIRD_LAST, column)).count(".") != filled:
        return None
    if sum(map(str.count, column, repeat("."))) != filled:
        return None
    digits = list(map(str.replace, column, repeat("."), repeat("")))
    if not "".join(digits).isdigit():
        return None
    if filled == rows:
        whole = list(map(int, digits))
        if max(whole) > largest:
            return None
        full: list[int | None] = [*whole]
        return full
    values = [int(text) if text else None for text in digits]
    if max(value for value in values if value is not None) > largest:
        return None
    return values


def plain_rows(
    cells: Sequence[Sequence[str]],
    numbers: Sequence[int],
    *,
    make: type[tuple[Any, ...]],
    required: Sequence[int],
    max_case_id: int,
    max_amount: int,
    known_sdus: Collection[str] | None,
    known_employers: Collection[str] | None,
    date: Callable[[str], dt.date | None],
    flags: Mapping[str, bool],
) -> list[Any] | None:
    """The chunk's rows as ``make`` tuples, or ``None`` when one row is not plain.

    ``cells`` holds each row's cells (not yet stripped) in ``FIELDS`` order, ``numbers`` the
    rows' numbers, ``required`` the positions of the required fields.
    """
    rows = len(cells)
    if not rows:
        return []
    columns = [list(map(str.strip, column)) for column in zip(*cells)]
    if any("" in columns[index] for index in required):
        return None
    (employer, employee_id, last_name, first_name, ssn, case_id, sdu, current, arrears,
     medical, pay_date, gross, deductions, disposable, *flag_columns) = columns  # fmt: skip
    if known_employers is not None and not set(employer) - {""} <= set(known_employers):
        return None
    ssn = list(map(str.replace, map(str.replace, ssn, repeat("-"), repeat("")),
                   repeat(" "), repeat("")))  # fmt: skip
    digits = "".join(ssn)
    if set(map(len, ssn)) != {9} or not (digits.isascii() and digits.isdigit()):
        return None
    if any(map(str.startswith, ssn, repeat(_AREA_NEVER))):
        return None
    if "00" in map(_GROUP, ssn) or "0000" in map(_SERIAL, ssn):
        return None
    cases = "".join(case_id)
    if max(map(len, case_id)) > max_case_id or "*" in cases or "\\" in cases:
        return None
    names = "".join(last_name) + "".join(first_name)
    if "*" in names or "\\" in names:
        return None
    sdu = list(map(str.upper, sdu))
    if known_sdus is not None and not set(sdu) <= set(known_sdus):
        return None
    money = [_cents(column, rows, max_amount)
             for column in (current, arrears, medical, gross, deductions, disposable)]  # fmt: skip
    if None in money:
        return None
    current_c, arrears_c, medical_c, gross_c, deductions_c, disposable_c = money
    assert current_c is not None and arrears_c is not None and medical_c is not None
    assert gross_c is not None and deductions_c is not None and disposable_c is not None
    if "" not in gross and "" not in deductions and not any(disposable):
        income = list(map(operator.sub, gross_c, deductions_c))
        if min(income) < 0:  # deductions exceed gross: a warning the row parser makes
            return None
    elif not any(gross) and not any(deductions) and "" not in disposable:
        income = disposable_c
    else:
        return None
    dates: dict[str, dt.date] = {}
    for text in set(pay_date):
        parsed = date(text)
        if parsed is None:
            return None
        dates[text] = parsed
    if not all(set(column) <= flags.keys() for column in flag_columns):
        return None
    zeroed = [[value or 0 for value in column] if None in column else column
              for column in (arrears_c, medical_c)]  # fmt: skip
    return list(
        map(
            tuple.__new__,
            repeat(make),
            zip(
                numbers, employer, employee_id, last_name, first_name, ssn, case_id, sdu,
                current_c, *zeroed, map(dates.__getitem__, pay_date), income, gross_c,
                deductions_c, *(map(flags.__getitem__, column) for column in flag_columns),
            ),
        )
    )
