"""The column-at-a-time lane reads a payroll CSV into exactly what the row parser reads."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest

from nacha_cs.employer import payroll, payroll_bulk
from nacha_cs.employer.payroll import DEFAULT_HEADER, read_text
from nacha_cs.employer.payroll_bulk import CHUNK_ROWS

SDUS = ["OK", "TX", "OR", "KS"]
EMPLOYERS = ["ACME", "BLUESTEM"]


def _row(number: int, **changes: str) -> str:
    gross = 60_000 + (number * 7919) % 240_000
    deductions = gross // 4
    cells = dict(
        employer=EMPLOYERS[number % 2], employee_id=f"E{number:08d}", last_name="Smith",
        first_name="Ann", ssn=f"{400 + number % 250}-{10 + number % 89:02d}-{1000 + number:04d}",
        case_id=f"C{number:08d}", sdu=SDUS[number % 4],
        current_support=f"{gross // 1000}.{number % 100:02d}",
        arrears="25.00" if number % 7 == 0 else "", cash_medical="",
        pay_date="2026-11-20", gross_pay=f"{gross // 100}.{gross % 100:02d}",
        mandatory_deductions=f"{deductions // 100}.{deductions % 100:02d}",
        disposable_income="", supports_other_family="N", arrears_over_12_weeks="N",
        medical_coverage="Y" if number % 3 else "N", terminated="N",
    )
    cells.update(changes)
    return ",".join(cells[field] for field in payroll.FIELDS)


ODD: list[dict[str, str]] = [
    {"employee_id": ""}, {"last_name": ""}, {"ssn": ""}, {"current_support": ""},
    {"pay_date": ""}, {"employer": "NOBODY"}, {"employer": ""}, {"ssn": "401111001"},
    {"ssn": "401 11 1001"}, {"ssn": " 401-11-1001 "}, {"ssn": "000-11-1001"},
    {"ssn": "666-11-1001"}, {"ssn": "901-11-1001"}, {"ssn": "401-00-1001"},
    {"ssn": "401-11-0000"}, {"ssn": "4011110011"}, {"ssn": "40111100"},
    {"ssn": "４01111001"}, {"case_id": "C" * 21}, {"case_id": "C*1"}, {"case_id": "C\\1"},
    {"last_name": "O*B"}, {"first_name": "A\\B"}, {"sdu": "ZZ"}, {"sdu": "ok"},
    {"current_support": "12"}, {"current_support": "1,234.50"}, {"current_support": "$5.00"},
    {"current_support": "1.5"}, {"current_support": ".50"}, {"current_support": "１２.００"},
    {"current_support": "1.2.34"}, {"current_support": "99999999999.00"},
    {"current_support": "-5.00"}, {"current_support": "0.00"}, {"arrears": "abc"},
    {"cash_medical": "10.00"}, {"mandatory_deductions": "999999.00"},
    {"gross_pay": "500.00", "mandatory_deductions": "500.00"},
    {"disposable_income": "1.00"}, {"gross_pay": "", "mandatory_deductions": ""},
    {"gross_pay": "", "mandatory_deductions": "", "disposable_income": "300.00"},
    {"gross_pay": "", "disposable_income": "300.00"}, {"pay_date": "2026-02-30"},
    {"pay_date": "11/20/2026"}, {"terminated": "maybe"}, {"terminated": "yes"},
    {"medical_coverage": "TRUE"}, {"supports_other_family": " y "}, {"last_name": " Lee "},
    {"last_name": '"Smith, Jr"'}, {"pay_date": "2026-11-27"},
]


def _lines(rows: int, odd: dict[str, str] | None, at: int) -> str:
    lines = [DEFAULT_HEADER]
    for number in range(1, rows + 1):
        lines.append(_row(number, **(odd if number == at and odd is not None else {})))
    return "\n".join(lines) + "\n"


def _row_by_row(text: str) -> list[object]:
    original = payroll_bulk.plain_rows
    payroll_bulk.plain_rows = lambda *args, **kwargs: None  # type: ignore[assignment]
    try:
        return read_text(text, known_sdus=SDUS, known_employers=EMPLOYERS)
    finally:
        payroll_bulk.plain_rows = original


def _same(text: str) -> list[object]:
    bulk = read_text(text, known_sdus=SDUS, known_employers=EMPLOYERS)
    assert bulk == _row_by_row(text)
    return bulk


def test_a_plain_export_is_read_the_same_across_chunks() -> None:
    items = _same(_lines(CHUNK_ROWS * 2 + 5, None, 0))
    assert len(items) == CHUNK_ROWS * 2 + 5
    assert all(type(item) is payroll.PayrollRow for item in items)


@pytest.mark.parametrize("odd", ODD, ids=[repr(odd) for odd in ODD])
def test_an_odd_row_is_read_the_same(odd: dict[str, str]) -> None:
    _same(_lines(CHUNK_ROWS + 10, odd, CHUNK_ROWS + 3))


@pytest.mark.parametrize(
    "text",
    [
        DEFAULT_HEADER + "\n" + _row(1) + "\n\n" + _row(2) + "\n",  # a blank line
        DEFAULT_HEADER + "\n" + _row(1) + "\n" + "ACME,E1,short\n" + _row(3) + "\n",
        DEFAULT_HEADER.replace(",cash_medical", "") + "\n"
        + _row(1).replace(",,2026", ",2026", 1) + "\n",  # a column left out
        DEFAULT_HEADER + "\n",
        DEFAULT_HEADER.upper() + "\n" + _row(1) + "\n",
    ],
)
def test_shapes_other_than_a_plain_chunk_are_read_the_same(text: str) -> None:
    _same(text)


def test_rows_read_before_the_reader_fails_are_still_handed_on() -> None:
    def failing() -> Iterator[list[str]]:
        yield ["a"]
        yield ["b"]
        raise csv.Error("broken")

    seen: list[list[list[str]]] = []
    with pytest.raises(csv.Error):
        for chunk in payroll_bulk._chunks(failing()):
            seen.append(chunk)
    assert seen == [[["a"], ["b"]]]


def test_plain_chunks_take_the_lane(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[bool] = []
    original = payroll_bulk.plain_rows

    def spy(*args: object) -> object:
        rows = original(*args)  # type: ignore[arg-type]
        taken.append(rows is not None)
        return rows

    monkeypatch.setattr(payroll_bulk, "plain_rows", spy)
    read_text(_lines(CHUNK_ROWS * 3, None, 0), known_sdus=SDUS, known_employers=EMPLOYERS)
    assert taken == [True, True, True]
