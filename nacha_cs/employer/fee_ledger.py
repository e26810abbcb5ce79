"""The fees an employer charged, kept between runs so a monthly cap holds across payrolls.

Oklahoma lets an employer keep $5 a pay period, at most $10 a month: a weekly payroll run
once a week knows only its own pay date unless something remembers the earlier ones. This is
that memory, a small SQLite file (stdlib :mod:`sqlite3`) beside the config.

One row per employee and pay date: running the same payroll again (a file replaced with
``--force``) replaces that pay date's fee instead of adding to it. A run holds the file's write
lock from :meth:`FeeRecord.begin` to :meth:`FeeRecord.commit` or :meth:`FeeRecord.rollback`,
so two runs at once cannot both spend the same month's cap; the fees are committed only when
the ACH file is (a dry run or a refused file records nothing).

A million-employee run records a million fees, so the table is a WITHOUT ROWID b-tree keyed by
pay date, then employee: one tree instead of a table and its key index, and a new pay date's
rows go in after the earlier ones instead of between them (every page of a file a few weeks
old would otherwise be rewritten). Files made before keep their rowid table keyed employee,
then pay date (:data:`OLD_SCHEMA`); every statement here works on both, so they are read and
written as they are, never migrated (a copy of every earlier row would cost more than the runs
it speeds up). Fees go to SQLite a few hundred rows a statement, not one ``execute`` each.

While a run's fees come in the file's key order they go straight into the table, each page
written once. Employee ids in another order would land all over a tree far larger than
SQLite's page cache, every fee a page read and written back (12 s a million, not 1 s), so
from the first batch out of order the fees go to a temporary table instead, appended as they
come, and :meth:`FeeRecord.commit` moves them over sorted (the later of two fees for the same
employee and pay date still wins). Memory stays flat either way: SQLite sorts in its own
temporary files.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import sqlite3
import time
from typing import cast

import attrs

SCHEMA = """
create table if not exists fees (
    employee text not null,
    pay_date text not null,
    cents integer not null,
    charged_at text not null,
    primary key (pay_date, employee)
) without rowid
"""
OLD_SCHEMA = """
create table if not exists fees (
    employee text not null,
    pay_date text not null,
    cents integer not null,
    charged_at text not null,
    primary key (employee, pay_date)
)
"""
"""The table of files made before :data:`SCHEMA`; they keep it and keep working."""
BATCH = 10_000
"""Fees sent to SQLite at a time while the run goes on (memory stays flat)."""
ROWS_PER_STATEMENT = 250
"""Fees in one ``insert``: 3 parameters each and the stamp, 751, under the 999 of old SQLite
builds; a few hundred rows a statement cost SQLite about what a whole batch would, and 250
divides :data:`BATCH`, so a batch needs no statement of its own for a remainder."""
STAGE = """
create temp table if not exists fee_stage (
    employee text not null,
    pay_date text not null,
    cents integer not null,
    charged_at text not null
)
"""
"""A run's fees that came out of key order, in the order they came, until commit."""


@functools.lru_cache(maxsize=16)
def _insert(table: str, rows: int) -> str:
    """The ``insert`` of ``rows`` fees: their (employee, pay date, cents) in order, then the
    one stamp they share (a later row for the same key replaces an earlier one)."""
    stamp = 3 * rows + 1
    values = ",".join(f"(?{3 * i + 1},?{3 * i + 2},?{3 * i + 3},?{stamp})" for i in range(rows))
    return f"insert or replace into {table} (employee, pay_date, cents, charged_at) values {values}"


WINDOW_MOST = 8_192
"""Employees (per pay date) read into one window of earlier fees at most."""
WINDOW_LEAST = 16


@attrs.frozen
class FeeWindow:
    """Earlier runs' fees, per employee and ISO pay date, of every employee from ``low``
    up to (not including) ``high`` (``None``: to the end) in one month; an employee of the
    range who is not in ``fees`` had none."""

    month: tuple[int, int]
    low: str
    high: str | None
    fees: dict[str, dict[str, int]]

    def covers(self, employee: str) -> bool:
        return self.low <= employee and (self.high is None or employee < self.high)


def _month_bounds(pay_date: dt.date) -> tuple[str, str]:
    """The first day of ``pay_date``'s month and of the next, ISO."""
    year, month = pay_date.year, pay_date.month
    return (dt.date(year, month, 1).isoformat(),
            dt.date(year + month // 12, month % 12 + 1, 1).isoformat())


class FeeRecordError(Exception):
    """The fee record cannot be used; the message says why in plain words."""


class FeeRecord:
    """Fees charged per employee (``employer id`` + unit separator + ``employee id``) and
    pay date."""

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = os.fspath(path)
        try:
            self.connection = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.connection.execute(SCHEMA)
            key = sorted((c[5], c[1]) for c in self.connection.execute("pragma table_info(fees)"))
        except sqlite3.DatabaseError as error:
            raise FeeRecordError(f"{self.path}: not a usable fee record ({error})") from None
        self.months: dict[tuple[int, int], tuple[str, ...]] = {}
        """Per month, the pay dates earlier runs recorded fees on."""
        self._window: FeeWindow | None = None
        self._window_size = WINDOW_MOST
        self.pending: list[str | int] = []
        """This run's fees not yet sent to SQLite, flat: employee, pay date, cents, ..."""
        self.active = False
        self._stamp = ""
        """When the pending fees were recorded (UTC, to the second); they all share it."""
        self._since = self._until = 0.0
        self._days: dict[dt.date, str] = {}
        self._date_first = [name for pk, name in key if pk] == ["pay_date", "employee"]
        """Keyed pay date, then employee (:data:`SCHEMA`), or the other way (old files)."""
        self._last: tuple[str, str] | None = None
        """The greatest key sent straight to the table this run, in the table's key order."""
        self._staging = False
        """This run's fees came out of key order: the rest go to ``fee_stage``."""

    def begin(self) -> None:
        """Start a run: take the write lock, forget what an earlier attempt read."""
        try:
            self.connection.execute("begin immediate")
        except sqlite3.OperationalError as error:
            raise FeeRecordError(
                f"{self.path}: another run is using the fee record ({error})"
            ) from None
        self.active = True
        self.months.clear()
        self._window, self._window_size = None, WINDOW_MOST
        self._forget()

    def _forget(self) -> None:
        self.pending.clear()
        self._last = None
        self._staging = False

    def charged(self, employee: str, pay_date: dt.date) -> int:
        """Fees earlier runs charged this employee in ``pay_date``'s month, on other pay
        dates (a pay date run again replaces its own fee)."""
        days = self.window(employee, pay_date).fees.get(employee)
        if not days:
            return 0
        day = pay_date.isoformat()
        return sum(cents for date, cents in days.items() if date != day)

    @property
    def held_window(self) -> FeeWindow | None:
        """The window :meth:`window` read last (the compiled lane reads it too)."""
        return self._window

    def window(self, employee: str, pay_date: dt.date) -> FeeWindow:
        """The earlier fees of a run of employees from ``employee`` on, in key order, in
        ``pay_date``'s month: the one held when it covers ``employee``, else read anew.

        Sorted payrolls ask for employees in key order, so each read is one range of the
        table's key and memory holds one window, whatever the month holds. An employee
        before the window held means rows in another order: the next window is narrower.
        """
        month = (pay_date.year, pay_date.month)
        held = self._window
        if held is not None and held.month == month and held.covers(employee):
            return held
        dates = self.month_dates(pay_date)
        if not dates:
            made = FeeWindow(month, "", None, {})
        else:
            size = self._window_size
            if held is not None and held.month == month:
                if held.high is not None and employee >= held.high:
                    size = min(size * 2, WINDOW_MOST)  # on in key order: read further
                else:
                    size = max(size // 4, WINDOW_LEAST)  # back again: rows in another order
            self._window_size = size
            made = self._read_window(employee, month, dates, size)
            while not made.covers(employee):  # its own fees filled the window: read more
                size *= 2
                made = self._read_window(employee, month, dates, size)
        self._window = made
        return made

    def _read_window(
        self, employee: str, month: tuple[int, int], dates: tuple[str, ...], size: int
    ) -> FeeWindow:
        fees: dict[str, dict[str, int]] = {}
        high: str | None = None
        execute = self.connection.execute
        if self._date_first:  # per pay date, the next ``size`` employees from ``employee``
            for date in dates:
                rows = execute(
                    "select employee, cents from fees where pay_date = ? and employee >= ? "
                    "order by employee limit ?",
                    (date, employee, size),
                ).fetchall()
                if len(rows) == size:  # complete only below the last employee read
                    last = rows[-1][0]
                    high = last if high is None else min(high, last)
                for who, cents in rows:
                    fees.setdefault(who, {})[date] = cents
        else:
            first, after = _month_bounds(dt.date(month[0], month[1], 1))
            rows3 = execute(
                "select employee, pay_date, cents from fees where employee >= ? "
                "and pay_date >= ? and pay_date < ? order by employee, pay_date limit ?",
                (employee, first, after, size),
            ).fetchall()
            if len(rows3) == size:
                high = rows3[-1][0]
            for who, date, cents in rows3:
                fees.setdefault(who, {})[date] = cents
        if high is not None:
            fees = {who: days for who, days in fees.items() if who < high}
        return FeeWindow(month, employee, high, fees)

    def month_dates(self, pay_date: dt.date) -> tuple[str, ...]:
        """The pay dates (ISO) with fees recorded in ``pay_date``'s month when the run
        first asked; empty when none (then no employee has any)."""
        month = (pay_date.year, pay_date.month)
        dates = self.months.get(month)
        if dates is None:
            first, after = _month_bounds(pay_date)
            found: list[str] = []
            if self._date_first:  # one index seek per pay date, not a scan of the month
                below = first
                while True:
                    (date,) = self.connection.execute(
                        "select min(pay_date) from fees where pay_date >= ? and pay_date < ?",
                        (below, after),
                    ).fetchone()
                    if date is None:
                        break
                    found.append(date)
                    below = date + "\x00"
            else:
                found = [date for (date,) in self.connection.execute(
                    "select distinct pay_date from fees where pay_date >= ? and pay_date < ?",
                    (first, after),
                )]
            dates = self.months[month] = tuple(found)
        return dates

    def add(self, employee: str, pay_date: dt.date, cents: int) -> None:
        """Record a fee this run charged (kept in the open transaction until commit)."""
        # A million fees a run: the stamp is made once a second, each pay date's text once.
        now = time.time()
        if now >= self._until or now < self._since:
            self._restamp(now)
        day = self._days.get(pay_date)
        if day is None:
            if len(self._days) >= 4096:
                self._days.clear()
            day = self._days[pay_date] = pay_date.isoformat()
        pending = self.pending
        pending += (employee, day, cents)
        if len(pending) >= 3 * BATCH:
            self._flush()

    def add_many(self, rows: list[tuple[str, str, int]]) -> None:
        """Record fees as :meth:`add` does, a whole chunk at once for a compiled caller:
        (employee, pay date as ISO text, cents) each, all stamped with the moment of the call.

        Raises :class:`ValueError`, recording none of them, for a row that is not three
        values or a pay date that is not ``YYYY-MM-DD`` (the rows go to SQLite flattened, so
        a short row would shift every fee after it onto the wrong employee).
        """
        if not rows:
            return
        if any(length != 3 for length in set(map(len, rows))):
            raise ValueError("add_many: every row is (employee, pay date, cents)")
        self.add_flat(list(itertools.chain.from_iterable(rows)), _caller="add_many")

    def add_flat(self, values: list[str | int], *, _caller: str = "add_flat") -> None:
        """:meth:`add_many` for rows already laid end to end (employee, pay date, cents,
        employee, ...), as the compiled lane makes them and SQLite takes them."""
        if not values:
            return
        if len(values) % 3:
            raise ValueError(f"{_caller}: every row is (employee, pay date, cents)")
        for text in set(values[1::3]):
            if not isinstance(text, str) or not _is_iso_date(text):
                raise ValueError(
                    f"{_caller}: pay date {text!r} is not an ISO date (YYYY-MM-DD)"
                )
        now = time.time()
        if now >= self._until or now < self._since:
            self._restamp(now)
        pending = self.pending
        start, total = 0, len(values)
        while start < total:  # fill up to a batch, as one add at a time would, then send it
            stop = min(total, start + 3 * BATCH - len(pending))
            pending += values[start:stop]
            start = stop
            if len(pending) >= 3 * BATCH:
                self._flush()

    def _restamp(self, now: float) -> None:
        """A new second: send the fees stamped with the last one, then stamp with this one."""
        self._flush()
        second = int(now)
        self._since, self._until = float(second), float(second + 1)
        self._stamp = dt.datetime.fromtimestamp(second, dt.timezone.utc).isoformat()

    def _flush(self) -> None:
        pending = self.pending
        if not pending:
            return
        execute = self.connection.execute
        if not self._staging and not self._in_order(pending):
            execute(STAGE)
            self._staging = True
        table = "temp.fee_stage" if self._staging else "fees"
        size = 3 * ROWS_PER_STATEMENT
        for start in range(0, len(pending), size):
            part: list[str | int] = pending[start : start + size]
            part.append(self._stamp)
            execute(_insert(table, len(part) // 3), part)
        pending.clear()

    def _in_order(self, pending: list[str | int]) -> bool:
        """Whether the batch's keys follow each other, and the last batch's, in the table's
        key order (an equal key is in order: the later fee replaces the earlier)."""
        employees = cast("list[str]", pending[0::3])
        days = cast("list[str]", pending[1::3])
        if days.count(days[0]) == len(days):  # one pay date: the usual run
            if employees != sorted(employees):
                return False
            pairs = [(days[0], employees[0]), (days[0], employees[-1])]
            first, last = (pairs if self._date_first else [(e, d) for d, e in pairs])
        else:
            keys = list(zip(days, employees) if self._date_first else zip(employees, days))
            if keys != sorted(keys):
                return False
            first, last = keys[0], keys[-1]
        if self._last is not None and first < self._last:
            return False
        self._last = last
        return True

    def commit(self) -> None:
        """The ACH file was written: keep this run's fees."""
        if self.active:
            self._flush()
            if self._staging:
                order = "pay_date, employee" if self._date_first else "employee, pay_date"
                self.connection.execute(
                    "insert or replace into fees (employee, pay_date, cents, charged_at) "
                    f"select employee, pay_date, cents, charged_at from temp.fee_stage "
                    f"order by {order}, rowid"
                )
                self.connection.execute("drop table temp.fee_stage")
            self.connection.execute("commit")
            self.active = False
            self._forget()

    def rollback(self) -> None:
        """Nothing was written (or the attempt goes again): forget this run's fees."""
        if self.active:
            self._forget()
            self.connection.execute("rollback")  # the staged fees too
            self.active = False

    def close(self) -> None:
        self.rollback()
        self.connection.close()

def _is_iso_date(text: object) -> bool:
    """``YYYY-MM-DD`` and a real day: what :meth:`datetime.date.isoformat` writes, so the
    month's range query and the replace-by-pay-date key see it as ``add``'s rows."""
    if not isinstance(text, str):
        return False
    try:
        return dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
