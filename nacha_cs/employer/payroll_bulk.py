"""A payroll CSV's rows a chunk at a time: the fast lane of :mod:`nacha_cs.employer.payroll`.

A million-row export is read a chunk of rows at a time (:func:`read_rows`). Most chunks are
plain: every row complete, amounts written ``123.45``, SSNs issuable, nothing a finding would
be made of. Such a chunk is checked and converted a column at a time with the C loops of
``map``, ``set`` and ``str.join`` instead of a Python function call per row. Every test here
is one that proves the row parser (``_RowParser.parse``) would return the same row and no
finding at all; when any test fails the lane returns ``None`` and the chunk is parsed row by
row, which says what is wrong in its own words and order."""

from __future__ import annotations

import csv
import datetime as dt
import operator
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from itertools import repeat
from typing import Any

import attrs

from nacha_cs.employer.rules import BAD_ROW
from nacha_cs.findings import Finding
from nacha_cs.privacy import ssn_never_issued

CHUNK_ROWS = 512
"""Rows read before the chunk is parsed: enough that a chunk's few hundred C loops cost
little per row, few enough that memory stays flat."""

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


@attrs.frozen
class Plain:
    """What the lane needs of the row parser: the row type, the limits and the config's
    names, the parser's (cached) date reader and its flag spellings."""

    make: type[tuple[Any, ...]]
    required: Sequence[int]
    """Positions of the required fields."""
    max_case_id: int
    max_amount: int
    known_sdus: Collection[str] | None
    known_employers: Collection[str] | None
    date: Callable[[str], dt.date | None]
    flags: Mapping[str, bool]


Parse = Callable[[tuple[str, ...], int], tuple[Any, list[Finding]]]
"""The row parser: a row's stripped cells and number -> the row (or None) and findings."""


def read_rows(
    reader: Iterator[list[str]],
    width: int,
    positions: tuple[int, ...],
    parse: Parse,
    plain: Plain | None,
    first_row: int = 2,
) -> Iterator[Any]:
    """Rows and findings in input order from the CSV reader after the header (row 1), its
    first row numbered ``first_row``.

    ``positions`` gives each field's column (``width`` for one the export lacks); ``plain``
    turns the lane on (``None``: every row through ``parse``).
    """
    cells = operator.itemgetter(*positions)
    row = first_row - 1
    for chunk in _chunks(reader):
        if plain is not None and set(map(len, chunk)) == {width}:
            numbers = range(row + 1, row + 1 + len(chunk))
            rows = plain_rows(list(map(cells, chunk)), numbers, plain)
            if rows is not None:
                row += len(chunk)
                del chunk  # memory stays one chunk's, not two, while the next is read
                yield from rows
                del rows
                continue
        yield from _parse_rows(chunk, row, width, cells, parse)
        row += len(chunk)
        del chunk


def _chunks(reader: Iterator[list[str]]) -> Iterator[list[list[str]]]:
    """The reader's rows a chunk at a time; rows read before it fails (a byte that is not
    UTF-8, a broken quote) are still handed on, then the error is raised."""
    chunk: list[list[str]] = []
    append = chunk.append
    try:
        for values in reader:
            append(values)
            if len(chunk) == CHUNK_ROWS:
                yield chunk
                chunk = []
                append = chunk.append
    except (UnicodeDecodeError, csv.Error):
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk


def _parse_rows(
    chunk: list[list[str]],
    after: int,
    width: int,
    cells: Callable[[list[str]], tuple[str, ...]],
    parse: Parse,
) -> Iterator[Any]:
    """The row parser's way, a row at a time (rows numbered from ``after + 1``)."""
    strip = str.strip
    for row, values in enumerate(chunk, start=after + 1):
        if not values or (len(values) == 1 and not values[0].strip()):
            continue  # a blank line
        if len(values) != width:
            yield BAD_ROW.finding(f"{len(values)} fields, the header has {width}", line=row)
            continue
        values.append("")
        parsed, problems = parse(tuple(map(strip, cells(values))), row)
        if problems:
            yield from problems
        if parsed is not None:
            yield parsed


def plain_rows(
    cells: Sequence[Sequence[str]], numbers: Sequence[int], plain: Plain
) -> list[Any] | None:
    """The chunk's rows as ``plain.make`` tuples, or ``None`` when one row is not plain.

    ``cells`` holds each row's cells (not yet stripped) in ``FIELDS`` order, ``numbers`` the
    rows' numbers.
    """
    known_sdus, known_employers = plain.known_sdus, plain.known_employers
    rows = len(cells)
    if not rows:
        return []
    columns = [list(map(str.strip, column)) for column in zip(*cells)]
    if any("" in columns[index] for index in plain.required):
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
    if any(map(ssn_never_issued, ssn)):
        return None
    cases = "".join(case_id)
    if max(map(len, case_id)) > plain.max_case_id or "*" in cases or "\\" in cases:
        return None
    names = "".join(last_name) + "".join(first_name)
    if "*" in names or "\\" in names:
        return None
    sdu = list(map(str.upper, sdu))
    if known_sdus is not None and not set(sdu) <= set(known_sdus):
        return None
    money = [_cents(column, rows, plain.max_amount)
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
        parsed = plain.date(text)
        if parsed is None:
            return None
        dates[text] = parsed
    flags = plain.flags
    if not all(set(column) <= flags.keys() for column in flag_columns):
        return None
    zeroed = [[value or 0 for value in column] if None in column else column
              for column in (arrears_c, medical_c)]  # fmt: skip
    return list(
        map(
            tuple.__new__,
            repeat(plain.make),
            zip(
                numbers, employer, employee_id, last_name, first_name, ssn, case_id, sdu,
                current_c, *zeroed, map(dates.__getitem__, pay_date), income, gross_c,
                deductions_c, *(map(flags.__getitem__, column) for column in flag_columns),
            ),
        )
    )
