"""The record layer: one case table per record type drives both parse and format.

Lines are written by hand from the positions in ../shared/FORMAT.md, one piece per field with the
column FORMAT.md gives; ``line()`` checks the pieces are contiguous and make 94 characters, so a
piece of the wrong width fails here rather than in a confusing comparison. A few lines are taken
verbatim from files moov-io/ach writes, as a check by a hand other than ours.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import record_lines

from nacha_cs.ach.records import (
    ADDENDA,
    BATCH_CONTROL,
    BATCH_HEADER,
    CCD_ENTRY,
    CTX_ENTRY,
    FILE_CONTROL,
    FILE_HEADER,
    LAYOUTS,
    Addenda,
    BatchControl,
    BatchHeader,
    CcdEntry,
    CtxEntry,
    FieldOverflowError,
    FileControl,
    FileHeader,
    Layout,
    entry_layout,
    fld,
    format_field,
    format_record,
)
from nacha_cs.findings import RULES, Finding


def line(*pieces: tuple[int, str]) -> str:
    """Join (start column, text) pieces, checking each starts where the previous one ended."""
    column = 1
    for start, text in pieces:
        assert start == column, f"piece {text!r} starts at {start}, expected {column}"
        column += len(text)
    assert column == 95, f"line ends at column {column - 1}, not 94"
    return "".join(text for _, text in pieces)


DED = "DED*CS*ZC146*951024*13547* *N*SMITH,HARR*A4738*Y\\"

FILE_HEADER_CASES = [
    pytest.param(
        FileHeader(
            immediate_destination=" 071000301",
            immediate_origin="1234567890",
            file_creation_date="250102",
            file_creation_time="0304",
            file_id_modifier="A",
            immediate_destination_name="FIRST BANK",
            immediate_origin_name="ACME PAYROLL",
            reference_code="REF1",
        ),
        line(
            (1, "1"),
            (2, "01"),
            (4, " 071000301"),
            (14, "1234567890"),
            (24, "250102"),
            (30, "0304"),
            (34, "A"),
            (35, "094"),
            (38, "10"),
            (40, "1"),
            (41, "FIRST BANK             "),
            (64, "ACME PAYROLL           "),
            (87, "REF1    "),
        ),
        id="all-fields",
    ),
    pytest.param(
        FileHeader(
            immediate_destination=" 021000021",
            immediate_origin=" 071000301",
            file_creation_date="991231",
            file_id_modifier="Z",
        ),
        line(
            (1, "1"),
            (2, "01"),
            (4, " 021000021"),
            (14, " 071000301"),
            (24, "991231"),
            (30, "    "),  # creation time is optional: blank, not zeros
            (34, "Z"),
            (35, "094"),
            (38, "10"),
            (40, "1"),
            (41, " " * 23),
            (64, " " * 23),
            (87, " " * 8),
        ),
        id="optional-blank",
    ),
    pytest.param(
        FileHeader(
            immediate_destination=" 231380104",
            immediate_origin=" 121042882",
            file_creation_date="181126",
            file_creation_time="0000",
            file_id_modifier="A",
            immediate_destination_name="Federal Reserve Bank",
            immediate_origin_name="My Bank Name",
        ),
        "101 231380104 1210428821811260000A094101Federal Reserve Bank   My Bank Name"
        "                   ",
        id="moov-ctx-debit",
    ),
]

BATCH_HEADER_CASES = [
    pytest.param(
        BatchHeader(
            service_class_code="220",
            company_name="ACME CORP",
            company_identification="1234567890",
            standard_entry_class_code="CCD",
            company_entry_description="CHILD SUPP",
            effective_entry_date="250103",
            originating_dfi_identification="07100030",
            batch_number=1,
        ),
        line(
            (1, "5"),
            (2, "220"),
            (5, "ACME CORP       "),
            (21, " " * 20),
            (41, "1234567890"),
            (51, "CCD"),
            (54, "CHILD SUPP"),
            (64, "      "),
            (70, "250103"),
            (76, "   "),  # settlement date: the ACH operator fills it in
            (79, "1"),
            (80, "07100030"),
            (88, "0000001"),
        ),
        id="ccd",
    ),
    pytest.param(
        BatchHeader(
            service_class_code="200",
            company_name="A",
            company_discretionary_data="PAYROLL 2025-01 RUN",
            company_identification="987654321",
            standard_entry_class_code="CTX",
            company_entry_description="CHILDSUPPT",
            company_descriptive_date="JAN 25",
            effective_entry_date="251231",
            settlement_date="365",
            originating_dfi_identification="99999999",
            batch_number=9_999_999,
        ),
        line(
            (1, "5"),
            (2, "200"),
            (5, "A               "),
            (21, "PAYROLL 2025-01 RUN "),
            (41, "987654321 "),
            (51, "CTX"),
            (54, "CHILDSUPPT"),
            (64, "JAN 25"),
            (70, "251231"),
            (76, "365"),
            (79, "1"),
            (80, "99999999"),
            (88, "9999999"),
        ),
        id="ctx-every-field",
    ),
    pytest.param(
        BatchHeader(
            service_class_code="225",
            company_name="Name on Account",
            company_identification="121042882",
            standard_entry_class_code="CTX",
            company_entry_description="ACH CTX",
            effective_entry_date="181127",
            originating_dfi_identification="12104288",
            batch_number=1,
        ),
        "5225Name on Account                     121042882 CTXACH CTX         181127   "
        "1121042880000001",
        id="moov-ctx-debit",
    ),
]

CCD_ENTRY_CASES = [
    pytest.param(
        CcdEntry(
            transaction_code="22",
            receiving_dfi_identification="07100030",
            check_digit="1",
            dfi_account_number="12345678901",
            amount=123_456,
            identification_number="EMP0042",
            receiving_company_name="OK CENTRALIZED SDU",
            addenda_record_indicator="1",
            trace_number="071000300000001",
        ),
        line(
            (1, "6"),
            (2, "22"),
            (4, "07100030"),
            (12, "1"),
            (13, "12345678901      "),
            (30, "0000123456"),
            (40, "EMP0042        "),
            (55, "OK CENTRALIZED SDU    "),
            (77, "  "),
            (79, "1"),
            (80, "071000300000001"),
        ),
        id="credit-with-addenda",
    ),
    pytest.param(
        CcdEntry(
            transaction_code="24",
            receiving_dfi_identification="02100002",
            check_digit="1",
            dfi_account_number="ACCT-17-CHARACTER",
            amount=0,
            receiving_company_name="ABCDEFGHIJKLMNOPQRSTUV",
            discretionary_data="S1",
            addenda_record_indicator="0",
            trace_number="021000029999999",
        ),
        line(
            (1, "6"),
            (2, "24"),
            (4, "02100002"),
            (12, "1"),
            (13, "ACCT-17-CHARACTER"),
            (30, "0000000000"),
            (40, " " * 15),
            (55, "ABCDEFGHIJKLMNOPQRSTUV"),
            (77, "S1"),
            (79, "0"),
            (80, "021000029999999"),
        ),
        id="zero-dollar-full-width",
    ),
    pytest.param(
        CcdEntry(
            transaction_code="22",
            receiving_dfi_identification="99999999",
            check_digit="2",
            dfi_account_number="1",
            amount=9_999_999_999,
            receiving_company_name="X",
            addenda_record_indicator="0",
            trace_number="000000010000001",
        ),
        line(
            (1, "6"),
            (2, "22"),
            (4, "99999999"),
            (12, "2"),
            (13, "1                "),
            (30, "9999999999"),
            (40, " " * 15),
            (55, "X                     "),
            (77, "  "),
            (79, "0"),
            (80, "000000010000001"),
        ),
        id="largest-amount",
    ),
    pytest.param(
        CcdEntry(
            transaction_code="27",
            receiving_dfi_identification="06103600",
            check_digit="0",
            dfi_account_number="23401009",
            amount=12_345,
            identification_number="123456789",
            receiving_company_name="IRS",
            addenda_record_indicator="1",
            trace_number="123456780000001",
        ),
        "62706103600023401009         0000012345123456789      IRS                     "
        "1123456780000001",
        id="moov-txp-debit",
    ),
]

CTX_ENTRY_CASES = [
    pytest.param(
        CtxEntry(
            transaction_code="22",
            receiving_dfi_identification="07100030",
            check_digit="1",
            dfi_account_number="98765",
            amount=250_000,
            identification_number="CASE 12",
            number_of_addenda_records=2,
            receiving_company_name="OK SDU",
            addenda_record_indicator="1",
            trace_number="071000300000002",
        ),
        line(
            (1, "6"),
            (2, "22"),
            (4, "07100030"),
            (12, "1"),
            (13, "98765            "),
            (30, "0000250000"),
            (40, "CASE 12        "),
            (55, "0002"),
            (59, "OK SDU          "),
            (75, "  "),  # reserved
            (77, "  "),
            (79, "1"),
            (80, "071000300000002"),
        ),
        id="credit-two-addenda",
    ),
    pytest.param(
        CtxEntry(
            transaction_code="32",
            receiving_dfi_identification="01100001",
            check_digit="5",
            dfi_account_number="S",
            amount=1,
            number_of_addenda_records=9999,
            receiving_company_name="SIXTEEN CHARS OK",
            discretionary_data="AB",
            addenda_record_indicator="1",
            trace_number="011000010000009",
        ),
        line(
            (1, "6"),
            (2, "32"),
            (4, "01100001"),
            (12, "5"),
            (13, "S                "),
            (30, "0000000001"),
            (40, " " * 15),
            (55, "9999"),
            (59, "SIXTEEN CHARS OK"),
            (75, "  "),
            (77, "AB"),
            (79, "1"),
            (80, "011000010000009"),
        ),
        id="most-addenda",
    ),
    pytest.param(
        CtxEntry(
            transaction_code="27",
            receiving_dfi_identification="23138010",
            check_digit="4",
            dfi_account_number="12345678",
            amount=100_000_000,
            identification_number="45689033",
            number_of_addenda_records=2,
            receiving_company_name="Receiver Company",
            discretionary_data="01",
            addenda_record_indicator="1",
            trace_number="121042880000001",
        ),
        "62723138010412345678         010000000045689033       0002Receiver Company  01"
        "1121042880000001",
        id="moov-ctx-debit",
    ),
]

ADDENDA_CASES = [
    pytest.param(
        Addenda(
            payment_related_information=DED,
            addenda_sequence_number=1,
            entry_detail_sequence_number=1,
        ),
        line(
            (1, "7"),
            (2, "05"),
            (4, DED + " " * (80 - len(DED))),
            (84, "0001"),
            (88, "0000001"),
        ),
        id="ccd-plus-ded",
    ),
    pytest.param(
        Addenda(
            payment_related_information="ISA*00*" + "X" * 73,
            addenda_sequence_number=9999,
            entry_detail_sequence_number=9_999_999,
        ),
        line(
            (1, "7"),
            (2, "05"),
            (4, "ISA*00*" + "X" * 73),
            (84, "9999"),
            (88, "9999999"),
        ),
        id="full-80-characters",
    ),
    pytest.param(
        Addenda(
            payment_related_information="  leading blanks kept",
            addenda_sequence_number=12,
            entry_detail_sequence_number=345,
        ),
        line(
            (1, "7"),
            (2, "05"),
            (4, "  leading blanks kept" + " " * 59),
            (84, "0012"),
            (88, "0000345"),
        ),
        id="leading-blanks",
    ),
    pytest.param(
        Addenda(
            payment_related_information="Debit First Account",
            addenda_sequence_number=1,
            entry_detail_sequence_number=1,
        ),
        "705Debit First Account                                                             "
        "00010000001",
        id="moov-ctx-debit",
    ),
]

BATCH_CONTROL_CASES = [
    pytest.param(
        BatchControl(
            service_class_code="220",
            entry_addenda_count=2,
            entry_hash=7_100_030,
            total_debit_amount=0,
            total_credit_amount=123_456,
            company_identification="1234567890",
            originating_dfi_identification="07100030",
            batch_number=1,
        ),
        line(
            (1, "8"),
            (2, "220"),
            (5, "000002"),
            (11, "0007100030"),
            (21, "000000000000"),
            (33, "000000123456"),
            (45, "1234567890"),
            (55, " " * 19),
            (74, " " * 6),
            (80, "07100030"),
            (88, "0000001"),
        ),
        id="credits",
    ),
    pytest.param(
        BatchControl(
            service_class_code="200",
            entry_addenda_count=999_999,
            entry_hash=9_999_999_999,
            total_debit_amount=999_999_999_999,
            total_credit_amount=1,
            company_identification="987654321",
            message_authentication_code="MAC0123456789ABCDEF",
            originating_dfi_identification="99999999",
            batch_number=42,
        ),
        line(
            (1, "8"),
            (2, "200"),
            (5, "999999"),
            (11, "9999999999"),
            (21, "999999999999"),
            (33, "000000000001"),
            (45, "987654321 "),
            (55, "MAC0123456789ABCDEF"),
            (74, " " * 6),
            (80, "99999999"),
            (88, "0000042"),
        ),
        id="widest-values",
    ),
    pytest.param(
        BatchControl(
            service_class_code="225",
            entry_addenda_count=3,
            entry_hash=23_138_010,
            total_debit_amount=100_000_000,
            total_credit_amount=0,
            company_identification="121042882",
            originating_dfi_identification="12104288",
            batch_number=1,
        ),
        "82250000030023138010000100000000000000000000121042882                          "
        "121042880000001",
        id="moov-ctx-debit",
    ),
]

FILE_CONTROL_CASES = [
    pytest.param(
        FileControl(
            batch_count=1,
            block_count=1,
            entry_addenda_count=2,
            entry_hash=7_100_030,
            total_debit_amount=0,
            total_credit_amount=123_456,
        ),
        line(
            (1, "9"),
            (2, "000001"),
            (8, "000001"),
            (14, "00000002"),
            (22, "0007100030"),
            (32, "000000000000"),
            (44, "000000123456"),
            (56, " " * 39),
        ),
        id="one-batch",
    ),
    pytest.param(
        FileControl(
            batch_count=999_999,
            block_count=999_999,
            entry_addenda_count=99_999_999,
            entry_hash=1_234_567_890,
            total_debit_amount=555,
            total_credit_amount=999_999_999_999,
        ),
        line(
            (1, "9"),
            (2, "999999"),
            (8, "999999"),
            (14, "99999999"),
            (22, "1234567890"),
            (32, "000000000555"),
            (44, "999999999999"),
            (56, " " * 39),
        ),
        id="widest-values",
    ),
    pytest.param(
        FileControl(
            batch_count=1,
            block_count=1,
            entry_addenda_count=3,
            entry_hash=23_138_010,
            total_debit_amount=100_000_000,
            total_credit_amount=0,
        ),
        "9000001000001000000030023138010000100000000000000000000" + " " * 39,
        id="moov-ctx-debit",
    ),
]

CASES = [
    (FILE_HEADER, FILE_HEADER_CASES),
    (BATCH_HEADER, BATCH_HEADER_CASES),
    (CCD_ENTRY, CCD_ENTRY_CASES),
    (CTX_ENTRY, CTX_ENTRY_CASES),
    (ADDENDA, ADDENDA_CASES),
    (BATCH_CONTROL, BATCH_CONTROL_CASES),
    (FILE_CONTROL, FILE_CONTROL_CASES),
]
ALL_CASES = [
    pytest.param(layout, *case.values, id=f"{layout.cls.__name__}-{case.id}")
    for layout, cases in CASES
    for case in cases
]


@pytest.mark.parametrize(("layout", "record", "text"), ALL_CASES)
def test_parse(layout: Layout, record: object, text: str) -> None:
    parsed, problems = layout.parse(text, 7)
    assert problems == []
    assert parsed == record


@pytest.mark.parametrize(("layout", "record", "text"), ALL_CASES)
def test_format(layout: Layout, record: object, text: str) -> None:
    assert len(text) == 94
    assert layout.format(record) == text
    assert format_record(record) == text  # type: ignore[arg-type]


# Positions as FORMAT.md prints them, written a second time on purpose: this is the check that the
# field tables in records.py say what the notes say.
# fmt: off
FORMAT_MD_POSITIONS = {
    FILE_HEADER: [(2, 3), (4, 13), (14, 23), (24, 29), (30, 33), (34, 34), (35, 37), (38, 39),
                  (40, 40), (41, 63), (64, 86), (87, 94)],
    BATCH_HEADER: [(2, 4), (5, 20), (21, 40), (41, 50), (51, 53), (54, 63), (64, 69), (70, 75),
                   (76, 78), (79, 79), (80, 87), (88, 94)],
    CCD_ENTRY: [(2, 3), (4, 11), (12, 12), (13, 29), (30, 39), (40, 54), (55, 76), (77, 78),
                (79, 79), (80, 94)],
    CTX_ENTRY: [(2, 3), (4, 11), (12, 12), (13, 29), (30, 39), (40, 54), (55, 58), (59, 74),
                (75, 76), (77, 78), (79, 79), (80, 94)],
    ADDENDA: [(2, 3), (4, 83), (84, 87), (88, 94)],
    BATCH_CONTROL: [(2, 4), (5, 10), (11, 20), (21, 32), (33, 44), (45, 54), (55, 73), (74, 79),
                    (80, 87), (88, 94)],
    FILE_CONTROL: [(2, 7), (8, 13), (14, 21), (22, 31), (32, 43), (44, 55), (56, 94)],
}
# fmt: on


@pytest.mark.parametrize("layout", list(FORMAT_MD_POSITIONS), ids=lambda la: la.cls.__name__)
def test_layout_positions_match_format_md(layout: Layout) -> None:
    assert [(f.start, f.end) for f in layout.fields] == FORMAT_MD_POSITIONS[layout]


def test_every_layout_is_checked_against_format_md() -> None:
    assert set(FORMAT_MD_POSITIONS) == set(LAYOUTS.values())


def test_record_type_codes() -> None:
    assert {la.cls.__name__: la.record_type for la in LAYOUTS.values()} == {
        "FileHeader": "1",
        "BatchHeader": "5",
        "CcdEntry": "6",
        "CtxEntry": "6",
        "Addenda": "7",
        "BatchControl": "8",
        "FileControl": "9",
    }


def test_entry_layout_by_sec_code() -> None:
    assert entry_layout("CTX") is CTX_ENTRY
    assert entry_layout("CCD") is CCD_ENTRY
    assert entry_layout("") is CCD_ENTRY


def test_a_table_that_does_not_tile_fails_at_import() -> None:
    @attrs.define
    class Gap:
        a: str = fld(2, 10, "AN")
        b: str = fld(12, 94, "AN")

    @attrs.define
    class Short:
        a: str = fld(2, 93, "AN")

    with pytest.raises(AssertionError, match=r"Gap\.b starts at 12, expected 11"):
        Layout(Gap, "0")
    with pytest.raises(AssertionError, match="end at 93, not 94"):
        Layout(Short, "0")


# --- field problems -----------------------------------------------------------------------------

CCD_LINE = CCD_ENTRY_CASES[0].values[1]
CTX_LINE = CTX_ENTRY_CASES[0].values[1]
FILE_HEADER_LINE = FILE_HEADER_CASES[0].values[1]
BATCH_HEADER_LINE = BATCH_HEADER_CASES[0].values[1]
ADDENDA_LINE = ADDENDA_CASES[0].values[1]
BATCH_CONTROL_LINE = BATCH_CONTROL_CASES[0].values[1]
FILE_CONTROL_LINE = FILE_CONTROL_CASES[0].values[1]


def put(text: str, start: int, value: str) -> str:
    """Overwrite columns start.. (1-based) of a line with value."""
    return text[: start - 1] + value + text[start - 1 + len(value) :]


def only(problems: list[Finding]) -> Finding:
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(
    ("layout", "text", "field", "span", "bad_column"),
    [
        (CCD_ENTRY, put(CCD_LINE, 30, "00000 1234"), "amount", (30, 39), 35),
        (CCD_ENTRY, put(CCD_LINE, 30, "0000O12345"), "amount", (30, 39), 34),
        (CCD_ENTRY, put(CCD_LINE, 30, "   1234567"), "amount", (30, 39), 30),
        (CCD_ENTRY, put(CCD_LINE, 30, "+000012345"), "amount", (30, 39), 30),
        (CCD_ENTRY, put(CCD_LINE, 30, "-000012345"), "amount", (30, 39), 30),
        (CCD_ENTRY, put(CCD_LINE, 30, "000012345\u00b2"), "amount", (30, 39), 39),
        (CTX_ENTRY, put(CTX_LINE, 55, "00 2"), "number_of_addenda_records", (55, 58), 57),
        (ADDENDA, put(ADDENDA_LINE, 84, "000l"), "addenda_sequence_number", (84, 87), 87),
        (BATCH_CONTROL, put(BATCH_CONTROL_LINE, 11, "00071000.0"), "entry_hash", (11, 20), 19),
        (
            FILE_CONTROL,
            put(FILE_CONTROL_LINE, 44, "000000123\x0056"),
            "total_credit_amount",
            (44, 55),
            53,
        ),
        (BATCH_HEADER, put(BATCH_HEADER_LINE, 88, "000001 "), "batch_number", (88, 94), 94),
    ],
)
def test_numeric_field_with_non_digits(
    layout: Layout, text: str, field: str, span: tuple[int, int], bad_column: int
) -> None:
    record, problems = layout.parse(text, 3)
    problem = only(problems)
    assert (problem.code, problem.severity, problem.field) == ("FLD001", "error", field)
    assert (problem.line, problem.column, problem.end_column) == (3, *span)
    assert f"at column {bad_column}" in problem.message
    assert getattr(record, field) is None  # never read by skipping the odd character


@pytest.mark.parametrize(
    ("layout", "text", "field", "span"),
    [
        (CCD_ENTRY, put(CCD_LINE, 4, "0710003A"), "receiving_dfi_identification", (4, 11)),
        (CCD_ENTRY, put(CCD_LINE, 80, "07100030000000 "), "trace_number", (80, 94)),
        (BATCH_HEADER, put(BATCH_HEADER_LINE, 70, "25 103"), "effective_entry_date", (70, 75)),
        (FILE_HEADER, put(FILE_HEADER_LINE, 30, "3:04"), "file_creation_time", (30, 33)),
    ],
)
def test_code_field_with_non_digits_keeps_its_text(
    layout: Layout, text: str, field: str, span: tuple[int, int]
) -> None:
    record, problems = layout.parse(text, 3)
    problem = only(problems)
    assert (problem.code, problem.field, problem.column, problem.end_column) == (
        "FLD001",
        field,
        *span,
    )
    assert getattr(record, field) == text[span[0] - 1 : span[1]]


@pytest.mark.parametrize(
    ("layout", "text", "field", "span", "empty"),
    [
        (CCD_ENTRY, put(CCD_LINE, 30, " " * 10), "amount", (30, 39), None),
        (CCD_ENTRY, put(CCD_LINE, 80, " " * 15), "trace_number", (80, 94), ""),
        (BATCH_HEADER, put(BATCH_HEADER_LINE, 5, " " * 16), "company_name", (5, 20), ""),
        (FILE_HEADER, put(FILE_HEADER_LINE, 24, " " * 6), "file_creation_date", (24, 29), ""),
        (FILE_CONTROL, put(FILE_CONTROL_LINE, 2, " " * 6), "batch_count", (2, 7), None),
    ],
)
def test_mandatory_blank(
    layout: Layout, text: str, field: str, span: tuple[int, int], empty: object
) -> None:
    record, problems = layout.parse(text, 5)
    problem = only(problems)
    assert (problem.code, problem.severity, problem.field) == ("FLD002", "error", field)
    assert (problem.line, problem.column, problem.end_column) == (5, *span)
    assert getattr(record, field) == empty


@pytest.mark.parametrize(
    ("layout", "text", "field", "span"),
    [
        (CCD_ENTRY, put(CCD_LINE, 55, " " * 22), "receiving_company_name", (55, 76)),
        (CTX_ENTRY, put(CTX_LINE, 59, " " * 16), "receiving_company_name", (59, 74)),
        (CCD_ENTRY, put(CCD_LINE, 13, " " * 17), "dfi_account_number", (13, 29)),
        (BATCH_CONTROL, put(BATCH_CONTROL_LINE, 45, " " * 10), "company_identification", (45, 54)),
        (BATCH_HEADER, put(BATCH_HEADER_LINE, 70, " " * 6), "effective_entry_date", (70, 75)),
    ],
)
def test_required_blank(layout: Layout, text: str, field: str, span: tuple[int, int]) -> None:
    record, problems = layout.parse(text, 5)
    problem = only(problems)
    assert (problem.code, problem.severity, problem.field) == ("FLD003", "warning", field)
    assert (problem.column, problem.end_column) == span
    assert getattr(record, field) == ""


@pytest.mark.parametrize(
    ("layout", "text", "field", "span", "value"),
    [
        (FILE_HEADER, put(FILE_HEADER_LINE, 35, "095"), "record_size", (35, 37), "095"),
        (FILE_HEADER, put(FILE_HEADER_LINE, 38, "20"), "blocking_factor", (38, 39), "20"),
        (FILE_HEADER, put(FILE_HEADER_LINE, 40, "2"), "format_code", (40, 40), "2"),
        (FILE_HEADER, put(FILE_HEADER_LINE, 2, "  "), "priority_code", (2, 3), "  "),
        (ADDENDA, put(ADDENDA_LINE, 2, "02"), "addenda_type_code", (2, 3), "02"),
    ],
)
def test_wrong_constant(
    layout: Layout, text: str, field: str, span: tuple[int, int], value: str
) -> None:
    record, problems = layout.parse(text, 1)
    problem = only(problems)
    assert (problem.code, problem.severity, problem.field) == ("FLD004", "error", field)
    assert (problem.column, problem.end_column) == span
    assert repr(value) in problem.message
    assert getattr(record, field) == value


@pytest.mark.parametrize(
    ("layout", "text", "span"),
    [
        (CTX_ENTRY, put(CTX_LINE, 75, "XX"), (75, 76)),
        (CTX_ENTRY, put(CTX_LINE, 76, "0"), (75, 76)),
        (BATCH_CONTROL, put(BATCH_CONTROL_LINE, 74, "000000"), (74, 79)),
        (FILE_CONTROL, put(FILE_CONTROL_LINE, 94, "9"), (56, 94)),
    ],
)
def test_reserved_not_blank(layout: Layout, text: str, span: tuple[int, int]) -> None:
    _, problems = layout.parse(text, 1)
    problem = only(problems)
    assert (problem.code, problem.severity, problem.field) == ("FLD005", "warning", "reserved")
    assert (problem.column, problem.end_column) == span


def test_optional_fields_may_be_blank() -> None:
    text = put(put(FILE_HEADER_LINE, 30, "    "), 41, " " * 54)
    record, problems = FILE_HEADER.parse(text)
    assert problems == []
    assert (record.file_creation_time, record.immediate_origin_name, record.reference_code) == (
        "",
        "",
        "",
    )


def test_several_problems_in_one_record_are_all_reported_in_column_order() -> None:
    text = put(put(put(CCD_LINE, 4, "ABCDEFGH"), 30, "12345678 9"), 55, " " * 22)
    _, problems = CCD_ENTRY.parse(text, 2)
    assert [(p.code, p.column) for p in problems] == [
        ("FLD001", 4),
        ("FLD001", 30),
        ("FLD003", 55),
    ]


def test_short_and_long_lines_are_parsed_by_their_columns() -> None:
    """Length is the reader's finding; the record layer reads what is there, blank-filled."""
    short, problems = FILE_CONTROL.parse(FILE_CONTROL_LINE.rstrip(" "))
    assert problems == []
    assert short == FILE_CONTROL.parse(FILE_CONTROL_LINE)[0]
    long, problems = CCD_ENTRY.parse(CCD_LINE + "EXTRA")
    assert problems == []
    assert long == CCD_ENTRY.parse(CCD_LINE)[0]


FLD_CODES = {"FLD001", "FLD002", "FLD003", "FLD004", "FLD005"}


@settings(max_examples=100, deadline=None)
@given(
    layout=st.sampled_from(list(LAYOUTS.values())),
    text=st.text(st.characters(max_codepoint=0xFF), max_size=120),
)
def test_parse_never_raises_and_locates_every_problem(layout: Layout, text: str) -> None:
    record, problems = layout.parse(text, 9)
    assert type(record) is layout.cls
    for problem in problems:
        assert problem.code in FLD_CODES
        assert problem.line == 9
        spec = layout.by_name[problem.field]  # type: ignore[index]
        assert (problem.column, problem.end_column) == (spec.start, spec.end)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), layout=st.sampled_from(list(LAYOUTS.values())))
def test_well_formed_lines_parse_cleanly_and_format_back_byte_for_byte(
    data: st.DataObject, layout: Layout
) -> None:
    text = data.draw(record_lines(layout))
    record, problems = layout.parse(text)
    assert problems == []
    assert layout.format(record) == text


def test_field_rules_are_registered() -> None:
    for code in FLD_CODES:
        assert RULES[code].code == code


# --- formatting: a value that does not fit is an error naming the field, never cut -----------


def test_text_too_long_names_field_columns_and_excess() -> None:
    # 20 characters in a 16-character field
    header = attrs.evolve(BATCH_HEADER_CASES[0].values[0], company_name="ACME CORPORATION INC")
    with pytest.raises(FieldOverflowError) as caught:
        BATCH_HEADER.format(header)
    message = str(caught.value)
    assert "BatchHeader.company_name" in message
    assert "columns 5-20" in message
    assert "4 too many" in message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("amount", 10_000_000_000, ["CcdEntry.amount", "columns 30-39", "11 digits, 1 too many"]),
        ("amount", -1, ["CcdEntry.amount", "non-negative whole number"]),
        ("amount", None, ["CcdEntry.amount", "non-negative whole number"]),
        ("amount", True, ["CcdEntry.amount", "non-negative whole number"]),
        ("amount", "123", ["CcdEntry.amount", "non-negative whole number"]),
        ("receiving_company_name", "X" * 23, ["columns 55-76", "23 characters, 1 too many"]),
        ("dfi_account_number", "A" * 20, ["dfi_account_number", "columns 13-29", "3 too many"]),
        ("receiving_dfi_identification", "0710003A", ["must be digits"]),
        ("trace_number", "0710003000000001", ["columns 80-94", "1 too many"]),
        ("receiving_company_name", "CAFÉ", ["outside printable ASCII"]),
        ("identification_number", "TAB\tHERE", ["outside printable ASCII"]),
    ],
)
def test_format_refuses_values_that_do_not_fit(
    field: str, value: object, expected: list[str]
) -> None:
    entry = attrs.evolve(CCD_ENTRY_CASES[0].values[0], **{field: value})
    with pytest.raises(FieldOverflowError) as caught:
        CCD_ENTRY.format(entry)
    for part in expected:
        assert part in str(caught.value)


def test_ctx_receiver_is_sixteen_characters() -> None:
    entry = attrs.evolve(CTX_ENTRY_CASES[0].values[0], receiving_company_name="SEVENTEEN CHARS!!")
    with pytest.raises(FieldOverflowError, match=r"columns 59-74.*1 too many"):
        CTX_ENTRY.format(entry)


def test_addenda_text_of_81_characters_is_refused() -> None:
    addenda = Addenda(
        payment_related_information="X" * 81,
        addenda_sequence_number=1,
        entry_detail_sequence_number=1,
    )
    with pytest.raises(FieldOverflowError, match=r"columns 4-83.*81 characters, 1 too many"):
        ADDENDA.format(addenda)


def test_format_field_fills_by_kind() -> None:
    amount = CCD_ENTRY.by_name["amount"]
    name = CCD_ENTRY.by_name["receiving_company_name"]
    rdfi = CCD_ENTRY.by_name["receiving_dfi_identification"]
    time = FILE_HEADER.by_name["file_creation_time"]
    assert format_field(amount, 5) == "0000000005"
    assert format_field(name, "SDU") == "SDU" + " " * 19
    assert format_field(rdfi, "7100030") == "07100030"
    assert format_field(time, "") == "    "
    assert format_field(name, None) == " " * 22
