"""Bulk inserts for ingest: Core's INSERT, compiled once for the connection's dialect, and the
rows handed to the driver's ``executemany`` as tuples.

``connection.execute(table.insert(), dicts)`` builds and processes a parameter dict per row,
which costs more than the insert itself at a million rows. Here the SQL still comes from the
Table (no SQL is written by hand, none per dialect); the per-row work left is the type
conversions the dialect needs (SQLite stores dates as text), done once per distinct date of
a chunk.

On PostgreSQL through psycopg the rows travel by ``COPY ... FROM STDIN`` instead (the statement
named from the Table by the dialect's quoting, not written per table): the server parses one
statement for the whole chunk, where multi-row INSERTs cost it a parse and a plan every 200 rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Table, bindparam

GROUP = 200
"""Rows per multi-row INSERT on PostgreSQL, where one statement per row costs the server a
round of parsing and planning each."""


class BulkInsert:
    """``INSERT INTO table (columns...)`` for many rows at once; rows are tuples in
    ``columns`` order."""

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str]) -> None:
        dialect = connection.dialect
        compiled = table.insert().compile(dialect=dialect, column_keys=list(columns))
        self.connection = connection
        self.sql = str(compiled)
        self.columns = tuple(columns)
        self.positional = bool(compiled.positional)
        if self.positional:
            order = tuple(compiled.positiontup or ())
            if set(order) != set(self.columns) or len(order) != len(self.columns):
                raise ValueError(f"{table.name}: compiled binds {order} differ from columns")
            self._order: tuple[int, ...] | None = (
                None if order == self.columns else tuple(self.columns.index(n) for n in order))
        else:
            self._order = None
        self._group_sql: str | None = None
        self._group_keys: list[str] = []
        self._copy_sql: str | None = None
        if dialect.name == "postgresql" and dialect.driver == "psycopg":
            quote = dialect.identifier_preparer
            self._copy_sql = (f"COPY {quote.format_table(table)} "
                              f"({', '.join(quote.quote(name) for name in self.columns)}) "
                              "FROM STDIN")
        elif dialect.name == "postgresql":
            spec: list[dict[str, Any]] = [
                {name: bindparam(f"r{i}_{j}") for j, name in enumerate(self.columns)}
                for i in range(GROUP)
            ]
            self._group_sql = str(table.insert().values(spec).compile(dialect=dialect))
            self._group_keys = [f"r{i}_{j}" for i in range(GROUP)
                                for j in range(len(self.columns))]
        self._converters: list[tuple[int, Callable[[Any], Any]]] = []
        self._few: set[int] = set()
        """Columns with few distinct values (dates): converted once per value and chunk."""
        for index, name in enumerate(self.columns):
            column = table.c[name]
            processor = column.type.dialect_impl(dialect).bind_processor(dialect)
            if isinstance(column.type, Boolean) and dialect.name == "sqlite":
                processor = None  # Python's bool is already the integer SQLite stores
            if processor is not None:
                convert: Callable[[Any], Any] = processor
                if isinstance(column.type, Date):
                    self._few.add(index)
                self._converters.append((index, convert))

    def execute(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        prepared: list[Any] = list(rows)
        if self._converters:
            # A column at a time: a date column holds a handful of values, each converted
            # once and then looked up in C (map), where a loop rebuilding every row in
            # Python cost more than the rest of the chunk's Python work.
            columns: list[Any] = list(zip(*prepared))
            for index, convert in self._converters:
                column = columns[index]
                if index in self._few:
                    known = {value: None if value is None else convert(value)
                             for value in set(column)}
                    columns[index] = list(map(known.__getitem__, column))
                else:
                    columns[index] = [None if value is None else convert(value)
                                      for value in column]
            prepared = list(zip(*columns))
        if self._copy_sql is not None:
            self._copy(prepared)
            return
        if self._order is not None:
            order = self._order
            prepared = [tuple(row[i] for i in order) for row in prepared]
        if self._group_sql is not None and len(prepared) >= GROUP:
            whole = len(prepared) - len(prepared) % GROUP
            keys = self._group_keys
            groups = [dict(zip(keys, itertools.chain.from_iterable(prepared[i:i + GROUP])))
                      for i in range(0, whole, GROUP)]
            self.connection.exec_driver_sql(self._group_sql, groups)
            prepared = prepared[whole:]
            if not prepared:
                return
        if not self.positional:
            names = self.columns
            prepared = [dict(zip(names, row)) for row in prepared]
        self.connection.exec_driver_sql(self.sql, prepared)


    def _copy(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """The rows in ``columns`` order through psycopg's COPY, inside the connection's
        transaction (the same DBAPI connection SQLAlchemy holds)."""
        driver = self.connection.connection.driver_connection
        assert driver is not None and self._copy_sql is not None
        with driver.cursor() as cursor, cursor.copy(self._copy_sql) as copy:
            write = copy.write_row
            for row in rows:
                write(row)

