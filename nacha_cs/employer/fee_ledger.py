"""The fees an employer charged, kept between runs so a monthly cap holds across payrolls.

Oklahoma lets an employer keep $5 a pay period, at most $10 a month: a weekly payroll run
once a week knows only its own pay date unless something remembers the earlier ones. This is
that memory, a small SQLite file (stdlib :mod:`sqlite3`) beside the config.

One row per employee and pay date: running the same payroll again (a file replaced with
``--force``) replaces that pay date's fee instead of adding to it. A run holds the file's write
lock from :meth:`FeeRecord.begin` to :meth:`FeeRecord.commit` or :meth:`FeeRecord.rollback`,
so two runs at once cannot both spend the same month's cap; the fees are committed only when
the ACH file is (a dry run or a refused file records nothing).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time

SCHEMA = """
create table if not exists fees (
    employee text not null,
    pay_date text not null,
    cents integer not null,
    charged_at text not null,
    primary key (employee, pay_date)
)
"""
BATCH = 10_000
"""Fees sent to SQLite at a time while the run goes on (memory stays flat)."""


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
        except sqlite3.DatabaseError as error:
            raise FeeRecordError(f"{self.path}: not a usable fee record ({error})") from None
        self.months: dict[tuple[int, int], dict[str, dict[str, int]]] = {}
        self.pending: list[tuple[str, str, int, str]] = []
        self.active = False
        self._second = -1
        self._stamp = ""
        self._days: dict[dt.date, str] = {}

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
        self.pending.clear()

    def charged(self, employee: str, pay_date: dt.date) -> int:
        """Fees earlier runs charged this employee in ``pay_date``'s month, on other pay
        dates (a pay date run again replaces its own fee)."""
        month = self.months.get((pay_date.year, pay_date.month))
        if month is None:
            month = self._load(pay_date.year, pay_date.month)
        days = month.get(employee)
        if not days:
            return 0
        day = pay_date.isoformat()
        return sum(cents for date, cents in days.items() if date != day)

    def month(self, pay_date: dt.date) -> dict[str, dict[str, int]]:
        """Earlier runs' fees in ``pay_date``'s month: per employee, per pay date (ISO)."""
        month = self.months.get((pay_date.year, pay_date.month))
        if month is None:
            month = self._load(pay_date.year, pay_date.month)
        return month

    def _load(self, year: int, month: int) -> dict[str, dict[str, int]]:
        first = dt.date(year, month, 1)
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        rows = self.connection.execute(
            "select employee, pay_date, cents from fees where pay_date >= ? and pay_date < ?",
            (first.isoformat(), after.isoformat()),
        )
        loaded: dict[str, dict[str, int]] = {}
        for who, date, cents in rows:
            loaded.setdefault(who, {})[date] = cents
        self.months[year, month] = loaded
        return loaded

    def add(self, employee: str, pay_date: dt.date, cents: int) -> None:
        """Record a fee this run charged (kept in the open transaction until commit)."""
        # A million fees a run: the stamp is made once a second, each pay date's text once.
        second = int(time.time())
        if second != self._second:
            self._second = second
            self._stamp = dt.datetime.fromtimestamp(second, dt.timezone.utc).isoformat()
        day = self._days.get(pay_date)
        if day is None:
            if len(self._days) >= 4096:
                self._days.clear()
            day = self._days[pay_date] = pay_date.isoformat()
        self.pending.append((employee, day, cents, self._stamp))
        if len(self.pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.connection.executemany(
                "insert or replace into fees (employee, pay_date, cents, charged_at) "
                "values (?, ?, ?, ?)",
                self.pending,
            )
            self.pending.clear()

    def commit(self) -> None:
        """The ACH file was written: keep this run's fees."""
        if self.active:
            self._flush()
            self.connection.execute("commit")
            self.active = False

    def rollback(self) -> None:
        """Nothing was written (or the attempt goes again): forget this run's fees."""
        if self.active:
            self.pending.clear()
            self.connection.execute("rollback")
            self.active = False

    def close(self) -> None:
        self.rollback()
        self.connection.close()
