"""Payroll export reading: rows, findings with row numbers, grouping."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nacha_cs.amounts import parse_amount
from nacha_cs.employer.grouping import group_pay
from nacha_cs.employer.payroll import (
    DEFAULT_HEADER,
    EmployeePay,
    InputKind,
    PayrollFormat,
    PayrollRow,
    read_payroll,
    read_text,
    split,
)
from nacha_cs.findings import RULES, Finding

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "payroll"
HEADER = DEFAULT_HEADER + "\n"
GOOD = "ACME,E1,Smith,Harry,512-34-0001,ZC146,OK,120.00,25,,2026-11-20,600,150,,N,N,N,N\n"
SDUS = {"OK", "TX", "OR", "KS", "CA"}


def _findings(text: str, **kwargs: object) -> list[tuple[str, int | None, str | None]]:
    _, found = split(read_text(text, known_sdus=SDUS, **kwargs))  # type: ignore[arg-type]
    return [(f.code, f.line, f.field) for f in found]


def test_good_row() -> None:
    rows, found = split(read_text(HEADER + GOOD, known_sdus=SDUS))
    assert found == []
    (row,) = rows
    assert row == PayrollRow(
        row=2,
        employer="ACME",
        employee_id="E1",
        last_name="Smith",
        first_name="Harry",
        ssn="512340001",
        case_id="ZC146",
        sdu="OK",
        current_support=12_000,
        arrears=2_500,
        cash_medical=0,
        pay_date=dt.date(2026, 11, 20),
        disposable_income=45_000,
        gross_pay=60_000,
        mandatory_deductions=15_000,
    )


# Each bad row and the one finding it must raise: (replace in GOOD, code, field).
BAD_ROWS = [
    ("512-34-0001", "", "PAY002", "ssn"),  # missing SSN
    ("512-34-0001", "512-34-001", "PAY003", "ssn"),  # 8 digits
    ("512-34-0001", "512-34-00012", "PAY003", "ssn"),  # 10 digits
    ("512-34-0001", "51234000A", "PAY003", "ssn"),
    ("120.00", "12O.00", "PAY004", "current_support"),  # letter O
    ("120.00", "-120.00", "PAY004", "current_support"),
    ("120.00", "120.001", "PAY004", "current_support"),
    ("2026-11-20", "2026-11-31", "PAY005", "pay_date"),
    ("2026-11-20", "11/20/2026", "PAY005", "pay_date"),
    (",OK,", ",ZZ,", "PAY006", "sdu"),  # unknown state
    ("N,N,N,N", "N,N,N,maybe", "PAY007", "terminated"),
    ("ZC146", "ZC*146", "PAY008", "case_id"),
    ("ZC146", "Z" * 21, "PAY008", "case_id"),
    ("Smith", "", "PAY002", "last_name"),
    ("600,150,", ",,", "PAY012", "disposable_income"),
    ("600,150,", "600,150,400", "PAY018", "disposable_income"),
]


@pytest.mark.parametrize(("old", "new", "code", "field"), BAD_ROWS)
def test_bad_row_reported_with_row_number(old: str, new: str, code: str, field: str) -> None:
    assert old in GOOD
    text = HEADER + GOOD + GOOD.replace("E1", "E2").replace(old, new, 1)
    assert _findings(text) == [(code, 3, field)]
    assert RULES[code].severity == "error"


def test_bad_row_yields_no_row() -> None:
    rows, _ = split(read_text(HEADER + GOOD.replace("120.00", "x"), known_sdus=SDUS))
    assert rows == []


def test_warnings_keep_the_row() -> None:
    text = HEADER + GOOD.replace("512-34-0001", "666-34-0001").replace("600,150", "100,150")
    rows, found = split(read_text(text, known_sdus=SDUS))
    assert [f.code for f in found] == ["PAY011", "PAY017"]
    assert all(f.severity == "warning" for f in found)
    assert rows[0].disposable_income == 0


def test_several_problems_in_one_row() -> None:
    bad = GOOD.replace("512-34-0001", "").replace("120.00", "abc").replace(",OK,", ",XX,")
    codes = sorted(code for code, _, _ in _findings(HEADER + bad))
    assert codes == ["PAY002", "PAY004", "PAY006"]


def test_missing_columns() -> None:
    header = "employee_id,last_name,first_name,case_id,sdu,current_support,pay_date\n"
    found = _findings(header + "E1,Smith,Harry,ZC1,OK,1,2026-01-02\n")
    assert found == [("PAY001", 1, "ssn"), ("PAY001", 1, "disposable_income")]


def test_ragged_row_and_blank_lines() -> None:
    text = HEADER + GOOD + "\n" + "ACME,E9,short\n" + GOOD.replace("E1", "E3")
    rows, found = split(read_text(text, known_sdus=SDUS))
    assert [(f.code, f.line) for f in found] == [("PAY013", 4)]
    assert [r.row for r in rows] == [2, 5]


def test_empty_input() -> None:
    assert _findings("") == [("PAY015", 1, None)]


def test_unreadable_file(tmp_path: Path) -> None:
    found = list(read_payroll(tmp_path / "nope.csv"))
    assert [f.code for f in found if isinstance(f, Finding)] == ["PAY015"]
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage\x00\x81")
    assert [f.code for f in read_payroll(binary)] == ["PAY015"]  # type: ignore[union-attr]


def test_column_mapping_and_formats() -> None:
    fmt = PayrollFormat(
        columns={"ssn": "Social Security No", "pay_date": "Check Date", "current_support": "CS"},
        date_format="%m/%d/%Y",
        amount_unit="cents",
        delimiter=";",
    )
    text = (
        "Employee_ID;Last_Name;First_Name;Social Security No;Case_ID;SDU;CS;Check Date;"
        "Disposable_Income\n"
        "E1;Smith;Harry;512340001;ZC146;ok;12000;11/20/2026;45000\n"
    )
    rows, found = split(read_text(text, fmt, known_sdus=SDUS))
    assert found == []
    assert (rows[0].current_support, rows[0].sdu, rows[0].pay_date) == (
        12_000,
        "OK",
        dt.date(2026, 11, 20),
    )
    bad = text.replace("12000", "120.00")
    assert _findings(bad, fmt=fmt) == [("PAY004", 2, "CS")]  # field names the export's column


def test_unknown_employer() -> None:
    found = _findings(HEADER + GOOD, known_employers={"BLUESTEM"})
    assert found == [("PAY014", 2, "employer")]


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("0", 0),
        ("1", 100),
        ("1.5", 150),
        ("1.05", 105),
        (".75", 75),
        ("$1,234.56", 123_456),
        (" 7.00 ", 700),
        ("", None),
        (".", None),
        ("1.", 100),
        ("1.2.3", None),
        ("1e3", None),
        ("-5", None),
        ("١٢", None),  # non-ASCII digits
    ],
)
def test_parse_amount(text: str, cents: int | None) -> None:
    assert parse_amount(text) == cents


@given(st.integers(0, 10**11))
def test_amount_round_trip(cents: int) -> None:
    assert parse_amount(f"{cents // 100}.{cents % 100:02d}") == cents


# --- Grouping ------------------------------------------------------------------------------
def _groups(text: str) -> list[EmployeePay | Finding]:
    return list(group_pay(read_payroll(io.StringIO(text), known_sdus=SDUS)))


def test_grouping_adjacent_orders() -> None:
    second = GOOD.replace("ZC146", "ZC147")
    other = GOOD.replace("E1", "E2")
    items = _groups(HEADER + GOOD + second + other)
    assert [type(i).__name__ for i in items] == ["EmployeePay", "EmployeePay"]
    assert [len(i.rows) for i in items] == [2, 1]  # type: ignore[union-attr]


def test_same_employee_other_pay_date_is_another_group() -> None:
    later = GOOD.replace("2026-11-20", "2026-11-27")
    assert len(_groups(HEADER + GOOD + later)) == 2


def test_split_rows_are_reported() -> None:
    items = _groups(HEADER + GOOD + GOOD.replace("E1", "E2") + GOOD.replace("ZC146", "ZC9"))
    found = [(i.code, i.line) for i in items if isinstance(i, Finding)]
    assert found == [("PAY010", 4)]


def test_duplicate_case_and_disagreement() -> None:
    items = _groups(HEADER + GOOD + GOOD)
    assert [(i.code, i.line) for i in items if isinstance(i, Finding)] == [("PAY016", 3)]
    items = _groups(HEADER + GOOD + GOOD.replace("ZC146", "ZC2").replace("600,150", "700,150"))
    found = [(i.code, i.line, i.field) for i in items if isinstance(i, Finding)]
    assert found == [("PAY009", 3, "disposable_income")]
    assert not any(isinstance(i, EmployeePay) for i in items)


# --- Fixtures ------------------------------------------------------------------------------
def test_sample_csv_and_json_agree() -> None:
    from_csv, csv_found = split(read_payroll(FIXTURES / "sample.csv", known_sdus=SDUS))
    from_json, json_found = split(read_payroll(FIXTURES / "sample.json", known_sdus=SDUS))
    assert csv_found == json_found == []
    assert len(from_csv) == 12
    strip = [{**_fields(r), "row": 0} for r in from_csv]
    assert strip == [{**_fields(r), "row": 0} for r in from_json]
    groups = [g for g in group_pay(from_csv) if isinstance(g, EmployeePay)]
    smith = groups[0]
    assert [r.case_id for r in smith.rows] == ["ZC146", "ZC147", "ZC148"]
    assert smith.first.disposable_income == 45_000
    assert sum(1 for g in groups if g.first.terminated) == 2


def _fields(row: PayrollRow) -> dict[str, object]:
    return row._asdict()


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "pay.jsonl"
    path.write_text(
        '{"employee_id": "E1", "last_name": "Smith", "first_name": "Harry", "ssn": "512340001",'
        ' "case_id": "Z1", "sdu": "OK", "current_support": 0.1, "pay_date": "2026-11-20",'
        ' "disposable_income": 450}\n'
        "\n"
        "[1, 2]\n"
        "{not json\n"
    )
    rows, found = split(read_payroll(path, known_sdus=SDUS))
    assert rows[0].current_support == 10  # 0.1 parsed from its text, not a float
    assert [(f.code, f.line) for f in found] == [("PAY013", 3), ("PAY013", 4)]


def test_json_document_shapes(tmp_path: Path) -> None:
    path = tmp_path / "pay.json"
    path.write_text('{"rows": [{"employee_id": "E1", "nested": 1, "ssn": {"a": 1}}]}')
    found = [f for f in read_payroll(path) if isinstance(f, Finding)]
    assert [(f.code, f.field) for f in found] == [("PAY013", "ssn")]
    path.write_text('"just a string"')
    assert [f.code for f in read_payroll(path)] == ["PAY015"]  # type: ignore[union-attr]
    path.write_text("[1,")
    assert [f.code for f in read_payroll(path)] == ["PAY015"]  # type: ignore[union-attr]


@given(st.text(max_size=300))
def test_junk_never_raises(junk: str) -> None:
    kinds: tuple[InputKind, ...] = ("csv", "json", "jsonl")
    for kind in kinds:
        list(group_pay(read_payroll(io.StringIO(junk), kind=kind)))
        list(group_pay(read_payroll(io.StringIO(HEADER + junk), kind=kind)))


@pytest.mark.parametrize(
    ("ssn", "message"),
    [
        ("512-34-001", "SSN has 8 digits; it needs 9"),
        ("512-34-00012", "SSN has 10 digits; it needs 9"),
        ("51234000A", "SSN has 9 characters, 8 of them digits; it needs 9 digits and nothing else"),
    ],
)
def test_the_ssn_length_message_says_what_it_needs(ssn: str, message: str) -> None:
    """It read "SSN has 8 digits and more" for a letter among the digits, and gave no target."""
    text = HEADER + GOOD.replace("512-34-0001", ssn, 1)
    _, found = split(read_text(text, known_sdus=SDUS))
    assert [f.message for f in found] == [message]


@given(st.lists(st.sampled_from(["a", "é", ",", '"', "\r", "\n", "\r\n", "\ufeff", " ", "1"]),
                max_size=40))
def test_text_lines_splits_as_a_text_wrapper_without_newline_translation(
    parts: list[str],
) -> None:
    """The CSV reader gets the lines the text wrapper would give it, BOM dropped."""
    import io

    from nacha_cs.employer.payroll import text_lines

    data = ("\ufeff" + "".join(parts)).encode("utf-8")
    expected = list(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    assert list(text_lines(io.BytesIO(data))) == expected


def test_text_lines_raises_at_the_line_of_a_byte_that_is_not_utf8() -> None:
    import io

    from nacha_cs.employer.payroll import text_lines

    lines = text_lines(io.BytesIO(b"h\nrow 2\nrow \xe9 3\nrow 4\n"))
    assert next(lines) == "h\n" and next(lines) == "row 2\n"
    with pytest.raises(UnicodeDecodeError):
        next(lines)
