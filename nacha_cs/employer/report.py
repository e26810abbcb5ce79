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
from typing import IO, Literal

import attrs

from nacha_cs.privacy import mask_identification, mask_ssn
from nacha_cs.spreadsheet import safe_row

ReportFormat = Literal["csv", "json"]


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


class ReportWriter:
    """Writes report rows to an open text file as they come."""

    def __init__(self, file: IO[str], kind: ReportFormat, *, full_ssn: bool = False) -> None:
        self.file = file
        self.kind = kind
        self.full_ssn = full_ssn
        self.rows = 0
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
        values = self._values(row)
        if self.kind == "csv":
            self.csv.writerow(safe_row(values[name] for name in COLUMNS))
        else:
            self.file.write(("," if self.rows else "") + "\n" + json.dumps(values))
        self.rows += 1

    def close(self) -> None:
        if self.kind == "json":
            self.file.write("\n]\n" if self.rows else "]\n")
