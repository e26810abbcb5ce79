"""The per-employee withholding report payroll gets beside the ACH file.

One row per order and pay date: what was ordered, what was withheld, the employer's fee (on the
employee's first order of the pay date), what is short and why, so payroll can answer the
employee and the agency without reading the ACH file. CSV or JSON (by the file's suffix),
written as the rows are planned; SSNs masked unless asked for in full; CSV cells that a
spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from typing import IO, Literal

import attrs

from nacha_cs.employer.payroll import PayrollRow
from nacha_cs.privacy import mask_identification, mask_ssn
from nacha_cs.spreadsheet import FORMULA_STARTS, safe_row

ReportFormat = Literal["csv", "json"]
_FORMULA_STARTS = frozenset(FORMULA_STARTS)


@attrs.frozen(slots=True)
class ReportRow:
    """What one order got on one pay date (cents)."""

    employer: str
    employee_id: str
    last_name: str
    first_name: str
    ssn: str
    case_id: str
    sdu: str
    pay_date: dt.date
    due: int
    withheld: int
    fee: int
    why: str = ""

    @property
    def shortfall(self) -> int:
        """Ordered but not withheld: the employee owes it to the agency directly."""
        return self.due - self.withheld


COLUMNS = (
    "employer",
    "employee_id",
    "last_name",
    "first_name",
    "ssn",
    "case_id",
    "sdu",
    "pay_date",
    "due",
    "withheld",
    "fee",
    "shortfall",
    "why",
)


def report_format(path: str) -> ReportFormat:
    """``json`` for a ``.json`` name, else ``csv``.

    >>> report_format("out.ach.withholding.json"), report_format("out.csv")
    ('json', 'csv')
    """
    return "json" if path.lower().endswith(".json") else "csv"


def _dollars(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


_COMMAS = len(COLUMNS) - 1
_BUFFERED = 512
"""Plain report lines joined and written at a time."""


class ReportWriter:
    """Writes report rows to an open text file as they come.

    :meth:`orders` is the per-employee hot path: a CSV line whose cells need neither quotes
    nor the formula guard is what :mod:`csv` would write for it, so it is joined here
    directly; any other line goes through :meth:`__call__` (the csv writer and
    :func:`~nacha_cs.spreadsheet.safe_row`), so the bytes are the same either way.
    """

    def __init__(self, file: IO[str], kind: ReportFormat, *, full_ssn: bool = False) -> None:
        self.file = file
        self.kind = kind
        self.full_ssn = full_ssn
        self.rows = 0
        self.pending: list[str] = []
        self.dates: dict[dt.date, str] = {}
        if kind == "csv":
            self.csv = csv.writer(file, lineterminator="\n")
            self.csv.writerow(COLUMNS)
        else:
            file.write("[")

    def _values(self, row: ReportRow) -> dict[str, str]:
        return {
            "employer": row.employer,
            "employee_id": (
                row.employee_id if self.full_ssn else mask_identification(row.employee_id)
            ),
            "last_name": row.last_name,
            "first_name": row.first_name,
            "ssn": row.ssn if self.full_ssn else mask_ssn(row.ssn),
            "case_id": row.case_id,
            "sdu": row.sdu,
            "pay_date": row.pay_date.isoformat(),
            "due": _dollars(row.due),
            "withheld": _dollars(row.withheld),
            "fee": _dollars(row.fee),
            "shortfall": _dollars(row.shortfall),
            "why": row.why,
        }

    def __call__(self, row: ReportRow) -> None:
        if self.pending:
            self._flush()
        values = self._values(row)
        if self.kind == "csv":
            self.csv.writerow(safe_row(values[name] for name in COLUMNS))
        else:
            self.file.write(("," if self.rows else "") + "\n" + json.dumps(values))
        self.rows += 1

    def orders(
        self,
        rows: Sequence[PayrollRow],
        dues: Sequence[int],
        amounts: Sequence[int],
        fee: int,
        why: str,
    ) -> None:
        """One employee's orders on one pay date: the fee goes on the first (it is the
        employee's), ``why`` on every order that got less than its due."""
        if self.kind != "csv":
            self._slow(rows, dues, amounts, fee, why)
            return
        for due, amount in zip(dues, amounts, strict=True):
            if due < 0 or amount < 0 or amount > due or fee < 0:
                self._slow(rows, dues, amounts, fee, why)  # a minus sign: the careful way
                return
        full = self.full_ssn
        dates = self.dates
        pending = self.pending
        first = True
        for row, due, amount in zip(rows, dues, amounts, strict=True):
            charged = fee if first else 0
            first = False
            pay_date = dates.get(row.pay_date)
            if pay_date is None:
                pay_date = dates[row.pay_date] = row.pay_date.isoformat()
            note = why if amount < due else ""
            due_text = _dollars(due)
            line = ",".join(
                (
                    row.employer,
                    row.employee_id if full else mask_identification(row.employee_id),
                    row.last_name,
                    row.first_name,
                    row.ssn if full else mask_ssn(row.ssn),
                    row.case_id,
                    row.sdu,
                    pay_date,
                    due_text,
                    due_text if amount == due else _dollars(amount),
                    _dollars(charged),
                    _dollars(due - amount),
                )
            )
            # Spelled out, not any() over the marks: this runs once per order.
            if (
                line.count(",") != _COMMAS - 1
                or line[:1] in _FORMULA_STARTS
                or '"' in line
                or "\r" in line
                or "\n" in line
                or ",=" in line
                or ",+" in line
                or ",-" in line
                or ",@" in line
                or ",\t" in line
                or (note and (note[:1] in _FORMULA_STARTS or '"' in note or "\r" in note
                              or "\n" in note))
            ):
                self(self._row(row, due, amount, charged, why))
                continue
            # The reason is the one cell with commas ("$1,043.93"): csv quotes it.
            line += f',"{note}"' if "," in note else "," + note
            pending.append(line)
            self.rows += 1
        if len(pending) >= _BUFFERED:
            self._flush()

    def prepared(self, text: str, count: int) -> None:
        """``count`` plain CSV lines a compiled caller made as :meth:`orders` would, joined
        by line feeds."""
        if count:
            self.pending.append(text)
            self.rows += count
            if count >= _BUFFERED or len(self.pending) >= _BUFFERED:
                self._flush()

    def _row(self, row: PayrollRow, due: int, amount: int, fee: int, why: str) -> ReportRow:
        return ReportRow(
            employer=row.employer,
            employee_id=row.employee_id,
            last_name=row.last_name,
            first_name=row.first_name,
            ssn=row.ssn,
            case_id=row.case_id,
            sdu=row.sdu,
            pay_date=row.pay_date,
            due=due,
            withheld=amount,
            fee=fee,
            why=why if amount < due else "",
        )

    def _slow(
        self,
        rows: Sequence[PayrollRow],
        dues: Sequence[int],
        amounts: Sequence[int],
        fee: int,
        why: str,
    ) -> None:
        for index, (row, due, amount) in enumerate(zip(rows, dues, amounts, strict=True)):
            self(self._row(row, due, amount, fee if index == 0 else 0, why))

    def _flush(self) -> None:
        if self.pending:
            self.file.write("\n".join(self.pending) + "\n")
            self.pending.clear()

    def close(self) -> None:
        self._flush()
        if self.kind == "json":
            self.file.write("\n]\n" if self.rows else "]\n")
