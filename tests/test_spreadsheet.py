"""CSV exports never hand a spreadsheet a formula, and amounts stay numbers (issue 9, item 18)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from nacha_cs.employer.report import ReportRow, ReportWriter
from nacha_cs.spreadsheet import FORMULA_STARTS, safe_cell

PACKAGE = Path(__file__).resolve().parent.parent / "nacha_cs"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_gets_an_apostrophe(start: str) -> None:
    assert safe_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


@pytest.mark.parametrize("value", [0, 27000, -500, "-5.00", "12.34", "1", None, True])
def test_numbers_stay_numbers(value: object) -> None:
    assert safe_cell(value) == value


@pytest.mark.parametrize("text", ["SMITH,HARR", "O'BRIEN", "x=1", " =1", ""])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert safe_cell(text) == text


def _row(**changes: object) -> ReportRow:
    values: dict[str, object] = dict(
        employer="ACME", employee_id="E1", last_name="SMITH", first_name="HARRY",
        ssn="123456789", case_id="OK1", sdu="OK", pay_date=dt.date(2026, 11, 20),
        due=20000, withheld=20000, fee=500,
    )
    values.update(changes)
    return ReportRow(**values)  # type: ignore[arg-type]


def test_the_withholding_report_keeps_a_negative_amount_a_number() -> None:
    out = io.StringIO()
    writer = ReportWriter(out, "csv")
    writer(_row(due=100, withheld=600, last_name="=1+1", employee_id="@X"))
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["shortfall"] == "-5.00"  # before the shared helper: "'-5.00", text in a sheet
    assert row["last_name"] == "'=1+1" and row["employee_id"] == "'@X"


@pytest.mark.parametrize(("employee_id", "shown"), [("123456789", "***-**-6789"),
                                                    ("123-45-6789", "***-**-6789"),
                                                    ("E1001", "E1001")])
def test_an_employee_id_that_looks_like_an_ssn_is_masked_in_the_report(
    employee_id: str, shown: str
) -> None:
    out = io.StringIO()
    ReportWriter(out, "csv")(_row(employee_id=employee_id))
    assert next(csv.DictReader(io.StringIO(out.getvalue())))["employee_id"] == shown
    full = io.StringIO()
    ReportWriter(full, "csv", full_ssn=True)(_row(employee_id=employee_id))
    assert next(csv.DictReader(io.StringIO(full.getvalue())))["employee_id"] == employee_id


def test_every_csv_writer_in_the_package_goes_through_the_helper() -> None:
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        for match in re.finditer(r"csv\.(?:writer|DictWriter)\(", text):
            assert "safe_row(" in text or "safe_cell(" in text, f"{path}: {match.group()}"
