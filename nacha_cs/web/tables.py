"""Tables as the pages show them: columns, rows sorted by a column the person clicks (without
JavaScript: the header is a link), and the same rows as a CSV download.

Presentation only: the rows come from the ledger's queries as they are.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import attrs

from nacha_cs.spreadsheet import safe_row

Row = Mapping[str, Any]


@attrs.frozen
class Column:
    key: str
    label: str
    numeric: bool = False
    money: bool = False
    """Cents, shown as dollars (the CSV keeps cents, as every export of the project does)."""
    wrap: bool = False
    """Long text (a next step, a reason): wrapped in its cell instead of widening the table."""


@attrs.frozen
class Table:
    """Rows ready to render: sorted, with the links that sort them."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    sort: str | None
    descending: bool
    base: str
    query: tuple[tuple[str, str], ...]

    def sort_link(self, column: Column) -> str:
        """The link of a column header: sort by it, or reverse when it is already the sort."""
        descending = column.key == self.sort and not self.descending
        params = [(k, v) for k, v in self.query if k not in ("sort", "dir", "format", "table")]
        params += [("table", self.name), ("sort", column.key)]
        params.append(("dir", "desc" if descending else "asc"))
        return f"{self.base}?{urlencode(params)}"

    def aria_sort(self, column: Column) -> str | None:
        if column.key != self.sort:
            return None
        return "descending" if self.descending else "ascending"

    def csv_link(self) -> str:
        params = [(k, v) for k, v in self.query if k not in ("format", "table")]
        params += [("table", self.name), ("format", "csv")]
        return f"{self.base}?{urlencode(params)}"

    def cell(self, row: Row, column: Column) -> str:
        return display(row.get(column.key), column)

    def csv_text(self) -> str:
        return rows_csv(self.columns, self.rows)


def display(value: Any, column: Column) -> str:
    """A cell as a person reads it.

    >>> display(123456, Column("amount", "Amount", money=True))
    '$1,234.56'
    >>> display(None, Column("case", "Case"))
    ''
    >>> display(True, Column("flag", "Flag"))
    'yes'
    """
    if value is None:
        return ""
    if column.money and isinstance(value, int):
        sign = "-" if value < 0 else ""
        return f"{sign}${abs(value) // 100:,}.{abs(value) % 100:02d}"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and column.numeric:
        return f"{value:,}"
    return str(value)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def rows_csv(columns: Sequence[Column], rows: Iterable[Row]) -> str:
    """The rows as CSV with a header of column keys; amounts stay in cents."""
    return "".join(iter_csv(columns, rows))


def iter_csv(
    columns: Sequence[Column], rows: Iterable[Row], per_chunk: int = 2_000
) -> Iterator[str]:
    """:func:`rows_csv` in pieces of ``per_chunk`` rows, for a download that streams as the
    ledger reads (a million payments never sit in memory at once). Text a spreadsheet would
    run as a formula (a name ``=1+1`` from a file) is quoted by :func:`safe_row`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    for count, row in enumerate(rows, 1):
        writer.writerow(safe_row([_csv_value(row.get(c.key)) for c in columns]))
        if count % per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _sort_key(key: str) -> Callable[[Row], tuple[int, Any]]:
    def value(row: Row) -> tuple[int, Any]:
        cell = row.get(key)
        if cell is None:
            return (1, "")
        if isinstance(cell, bool):
            return (0, int(cell))
        if isinstance(cell, (int, float)):
            return (0, cell)
        return (0, str(cell))

    return value


def make_table(
    name: str,
    columns: Sequence[Column],
    rows: Sequence[Row],
    query: Mapping[str, str],
    base: str,
) -> Table:
    """Sort ``rows`` as ``?table=NAME&sort=KEY&dir=asc|desc`` asks (an unknown key, or a sort
    meant for another table of the page, leaves them as given)."""
    keys = {c.key for c in columns}
    wanted = query.get("sort", "") if query.get("table", name) == name else ""
    sort = wanted if wanted in keys else None
    descending = query.get("dir") == "desc"
    ordered = list(rows)
    if sort is not None:
        try:
            ordered.sort(key=_sort_key(wanted), reverse=descending)
        except TypeError:  # mixed kinds in one column: sort them as text
            ordered.sort(key=lambda r: str(r.get(wanted, "")), reverse=descending)
    return Table(
        name=name,
        columns=tuple(columns),
        rows=tuple(ordered),
        sort=sort,
        descending=descending,
        base=base,
        query=tuple(query.items()),
    )
