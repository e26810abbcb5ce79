"""The withholding report's fast lane writes what the csv writer would, byte for byte."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from nacha_cs.employer.payroll import PayrollRow
from nacha_cs.employer.report import ReportRow, ReportWriter
from nacha_cs.spreadsheet import FORMULA_STARTS

PAY_DATE = dt.date(2026, 11, 20)


def _payroll(**changes: object) -> PayrollRow:
    values: dict[str, object] = dict(
        row=2, employer="ACME", employee_id="E1", last_name="SMITH", first_name="HARRY",
        ssn="123456789", case_id="OK1", sdu="OK", current_support=20000, arrears=0,
        cash_medical=0, pay_date=PAY_DATE, disposable_income=50000,
    )
    values.update(changes)
    return PayrollRow(**values)  # type: ignore[arg-type]


ODD = [
    {},
    {"last_name": "O'BRIEN", "first_name": "ANN MARIE"},
    {"last_name": "SMITH, JR"},
    {"last_name": 'SAYS "HI"'},
    {"first_name": "LINE\nBREAK"},
    {"first_name": "CR\rHERE"},
    {"last_name": "=1+1"},
    {"first_name": "+X"},
    {"case_id": "-5"},
    {"case_id": "@SUM(A1)"},
    {"employer": "=EVIL"},
    {"employer": ""},
    {"first_name": "\tTAB"},
    {"employee_id": "123456789"},
    {"employee_id": "123-45-6789"},
    {"employee_id": "123 45 6789"},
    {"employee_id": "12345"},
    {"employee_id": "E12345678901234567"},
    {"ssn": "12-34"},
    {"pay_date": dt.date(2027, 1, 4)},
]
AMOUNTS = [
    (20000, 20000, 500, ""),
    (20000, 15000, 0, "limit 60% of $1,234.00 = $740.40; current support cut"),
    (20000, 0, 0, "limit reached"),
    (100, 600, 0, ""),  # more withheld than due: a minus sign in the shortfall
    (0, 0, 0, ""),
    (123456789, 5, 1, "why"),
    (500, 400, 0, '=a "quoted", reason'),
    (500, 400, 0, "-cut, short"),
    (500, 400, 0, "two\nlines, here"),
]


def _both(full_ssn: bool, rows: list[PayrollRow], dues: list[int], amounts: list[int],
          fee: int, why: str) -> tuple[str, str]:
    fast = io.StringIO()
    writer = ReportWriter(fast, "csv", full_ssn=full_ssn)
    writer.orders(rows, dues, amounts, fee, why)
    writer.close()
    slow = io.StringIO()
    reference = ReportWriter(slow, "csv", full_ssn=full_ssn)
    for index, (row, due, amount) in enumerate(zip(rows, dues, amounts, strict=True)):
        reference(
            ReportRow(
                employer=row.employer, employee_id=row.employee_id, last_name=row.last_name,
                first_name=row.first_name, ssn=row.ssn, case_id=row.case_id, sdu=row.sdu,
                pay_date=row.pay_date, due=due, withheld=amount,
                fee=fee if index == 0 else 0, why=why if amount < due else "",
            )
        )
    reference.close()
    return fast.getvalue(), slow.getvalue()


@pytest.mark.parametrize("full_ssn", [False, True])
@pytest.mark.parametrize("change", ODD)
@pytest.mark.parametrize(("due", "amount", "fee", "why"), AMOUNTS)
def test_orders_write_what_the_csv_writer_writes(
    full_ssn: bool, change: dict[str, object], due: int, amount: int, fee: int, why: str
) -> None:
    fast, slow = _both(full_ssn, [_payroll(**change)], [due], [amount], fee, why)
    assert fast == slow


@pytest.mark.parametrize("start", FORMULA_STARTS)
@pytest.mark.parametrize("field", ["employer", "last_name", "case_id"])
def test_every_formula_start_in_any_cell_is_guarded(start: str, field: str) -> None:
    fast, slow = _both(False, [_payroll(**{field: start + "X"})], [500], [500], 0, "")
    assert fast == slow and "'" + start in fast


@pytest.mark.parametrize("full_ssn", [False, True])
def test_several_orders_keep_their_order_when_one_goes_the_careful_way(full_ssn: bool) -> None:
    rows = [_payroll(case_id="A"), _payroll(case_id="=B"), _payroll(case_id="C")]
    fast, slow = _both(full_ssn, rows, [300, 200, 100], [300, 150, 0], 500, "limit, reached")
    assert fast == slow
    assert fast.count("\n") == 4  # the header and three orders


@pytest.mark.parametrize("fee", [0, 500, -1])
def test_a_minus_sign_in_a_later_order_sends_the_whole_employee_the_careful_way(fee: int) -> None:
    rows = [_payroll(case_id="A"), _payroll(case_id="B")]
    fast, slow = _both(False, rows, [300, 100], [300, 600], fee, "")
    assert fast == slow and fast.count("\n") == 3


def test_many_employees_are_written_in_order_through_the_buffer() -> None:
    fast = io.StringIO()
    writer = ReportWriter(fast, "csv")
    slow = io.StringIO()
    reference = ReportWriter(slow, "csv")
    for number in range(2_000):
        row = _payroll(employee_id=f"E{number}", last_name="=X" if number % 97 == 0 else "Y")
        writer.orders([row], [1000], [1000], 0, "")
        reference(
            ReportRow(
                employer=row.employer, employee_id=row.employee_id, last_name=row.last_name,
                first_name=row.first_name, ssn=row.ssn, case_id=row.case_id, sdu=row.sdu,
                pay_date=row.pay_date, due=1000, withheld=1000, fee=0,
            )
        )
    writer.close()
    reference.close()
    assert fast.getvalue() == slow.getvalue()


def test_json_reports_go_the_one_way() -> None:
    out = io.StringIO()
    writer = ReportWriter(out, "json")
    writer.orders([_payroll(), _payroll(case_id="OK2")], [100, 200], [100, 200], 5, "")
    writer.close()
    assert out.getvalue().count('"case_id"') == 2 and out.getvalue().endswith("\n]\n")
