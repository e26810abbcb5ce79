"""Read a payroll export: one row per employee and withholding order per pay date.

Exports come from many payroll systems, so the column names are configurable
(:class:`PayrollFormat`); the default header is :data:`DEFAULT_HEADER`::

    employer,employee_id,last_name,first_name,ssn,case_id,sdu,current_support,arrears,
    cash_medical,pay_date,gross_pay,mandatory_deductions,disposable_income,
    supports_other_family,arrears_over_12_weeks,medical_coverage,terminated

``employer`` is optional (a payroll agent sending for several employers names the employer on
each row); give either ``disposable_income`` or both ``gross_pay`` and ``mandatory_deductions``.
``arrears``, ``cash_medical`` and the four yes/no columns may be left out or blank (zero, no).
Amounts are dollars with at most two decimals (``123.45``, ``1,234``) or, with
``amount_unit = "cents"``, whole cents. Dates are ISO ``YYYY-MM-DD`` unless configured.

Rows stream: :func:`read_payroll` yields :class:`PayrollRow` values and :class:`Finding` values
in input order without holding the file, and :func:`group_pay` gathers the adjacent rows of one
employee and pay date into one :class:`EmployeePay`. A bad row is a finding with its row number
(the header is row 1 of a CSV; a JSON array's first object is row 1; JSON Lines count lines),
never an exception.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

import attrs

from nacha_cs.amounts import AmountUnit, parse_amount
from nacha_cs.codecs.wording import count
from nacha_cs.employer.payroll_bulk import Plain, read_rows
from nacha_cs.employer.rules import (
    BAD_AMOUNT,
    BAD_DATE,
    BAD_FLAG,
    BAD_ROW,
    BAD_SSN,
    BAD_TEXT,
    DEDUCTIONS_EXCEED_GROSS,
    INCOME_DISAGREES,
    MISSING_COLUMN,
    MISSING_VALUE,
    NO_INCOME,
    NO_INPUT,
    UNISSUED_SSN,
    UNKNOWN_EMPLOYER,
    UNKNOWN_SDU,
)
from nacha_cs.findings import Finding
from nacha_cs.privacy import ssn_never_issued

InputKind = Literal["csv", "json", "jsonl"]

FIELDS: tuple[str, ...] = (
    "employer",
    "employee_id",
    "last_name",
    "first_name",
    "ssn",
    "case_id",
    "sdu",
    "current_support",
    "arrears",
    "cash_medical",
    "pay_date",
    "gross_pay",
    "mandatory_deductions",
    "disposable_income",
    "supports_other_family",
    "arrears_over_12_weeks",
    "medical_coverage",
    "terminated",
)
DEFAULT_HEADER = ",".join(FIELDS)
REQUIRED: frozenset[str] = frozenset(
    {"employee_id", "last_name", "first_name", "ssn", "case_id", "sdu", "current_support",
     "pay_date"}
)  # fmt: skip
AMOUNTS = ("current_support", "arrears", "cash_medical")
INCOME = ("gross_pay", "mandatory_deductions", "disposable_income")
FLAGS = ("supports_other_family", "arrears_over_12_weeks", "medical_coverage", "terminated")
MAX_CASE_ID = 20
"""DED02 is AN 1/20."""
MAX_AMOUNT = 99_999_999_99
"""The largest amount a 10-digit ACH amount field holds."""
_TRUE = frozenset({"y", "yes", "true", "t", "1", "x"})
_FALSE = frozenset({"n", "no", "false", "f", "0", ""})


@attrs.frozen(slots=True)
class PayrollFormat:
    """How to read one payroll system's export.

    ``columns`` maps a field name of :data:`FIELDS` to the export's column name; fields left
    out keep their own name. Column names match case-insensitively, ignoring outer spaces.
    """

    columns: Mapping[str, str] = attrs.field(factory=dict)
    date_format: str = "%Y-%m-%d"
    amount_unit: AmountUnit = "dollars"
    delimiter: str = ","

    def column(self, field: str) -> str:
        """The export's name for ``field``."""
        return self.columns.get(field, field)


DEFAULT_FORMAT = PayrollFormat()


class PayrollRow(NamedTuple):
    """One order of one employee on one pay date, parsed and checked (amounts in cents).

    A named tuple rather than an attrs class: a million of them are made per run, and a frozen
    attrs instance of 19 fields costs seven times as much to build.
    """

    row: int
    employer: str
    employee_id: str
    last_name: str
    first_name: str
    ssn: str
    case_id: str
    sdu: str
    current_support: int
    arrears: int
    cash_medical: int
    pay_date: dt.date
    disposable_income: int
    gross_pay: int | None = None
    mandatory_deductions: int | None = None
    supports_other_family: bool = False
    arrears_over_12_weeks: bool = False
    medical_coverage: bool = False
    terminated: bool = False

    @property
    def key(self) -> tuple[str, str, dt.date]:
        return (self.employer, self.employee_id, self.pay_date)


class EmployeePay(NamedTuple):
    """All order rows of one employee on one pay date: the unit withholding works on."""

    rows: tuple[PayrollRow, ...]

    @property
    def first(self) -> PayrollRow:
        return self.rows[0]

    @property
    def key(self) -> tuple[str, str, dt.date]:
        return self.rows[0].key


def normalize_ssn(text: str) -> str:
    """Digits of an SSN written with or without dashes or spaces.

    >>> normalize_ssn(" 123-45-6789 ")
    '123456789'
    """
    return text.strip().replace("-", "").replace(" ", "")


def _parse_flag(text: str) -> bool | None:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


class _RowParser:
    """Turns one row's raw strings into a :class:`PayrollRow` or the findings that stop it."""

    def __init__(
        self,
        fmt: PayrollFormat,
        known_sdus: Collection[str] | None,
        known_employers: Collection[str] | None,
    ) -> None:
        self.fmt = fmt
        self.known_sdus = None if known_sdus is None else {s.upper() for s in known_sdus}
        self.known_employers = None if known_employers is None else set(known_employers)
        self.col = {field: fmt.column(field) for field in FIELDS}
        self._date_cache: dict[str, dt.date | None] = {}

    def _date(self, text: str) -> dt.date | None:
        # Pay dates repeat across thousands of rows; strptime is slow, so remember them.
        cached = self._date_cache.get(text, dt.date.min)
        if cached is not dt.date.min:
            return cached
        try:
            if self.fmt.date_format == "%Y-%m-%d":
                value: dt.date | None = dt.date.fromisoformat(text)
            else:
                value = dt.datetime.strptime(text, self.fmt.date_format).date()
        except ValueError:
            value = None
        if len(self._date_cache) < 10_000:
            self._date_cache[text] = value
        return value

    def parse(self, values: Sequence[str], row: int) -> tuple[PayrollRow | None, list[Finding]]:
        """The row, or ``None`` when an error stops it; findings (warnings too) beside it.

        ``values`` holds the row's stripped cell text in :data:`FIELDS` order, ``""`` for a
        column the export does not have. This runs once per input row, so it is written flat:
        locals rather than lookups, cheap checks first, findings made only when something is
        wrong.
        """
        (
            employer,
            employee_id,
            last_name,
            first_name,
            ssn,
            case_id,
            sdu,
            current_text,
            arrears_text,
            medical_text,
            pay_date_text,
            gross_text,
            deductions_text,
            disposable_text,
            other_family_text,
            over_12_weeks_text,
            coverage_text,
            terminated_text,
        ) = values
        col = self.col
        problems: list[Finding] = []
        add = problems.append
        if "" in (employee_id, last_name, first_name, ssn, case_id, sdu, current_text,
                  pay_date_text):  # fmt: skip
            for field, index in _REQUIRED_INDEXES:
                if not values[index]:
                    name = col[field]
                    add(MISSING_VALUE.finding(f"{name} is blank", line=row, field=name))
        known_employers = self.known_employers
        if employer and known_employers is not None and employer not in known_employers:
            add(
                UNKNOWN_EMPLOYER.finding(
                    f"employer {employer!r} is not in the config", line=row, field=col["employer"]
                )
            )
        if ssn:
            if len(ssn) != 9 or not ssn.isdigit():
                ssn = normalize_ssn(ssn)
            if len(ssn) != 9 or not (ssn.isascii() and ssn.isdigit()):
                add(
                    BAD_SSN.finding(
                        ssn_length_message(ssn),
                        line=row,
                        field=col["ssn"],
                    )
                )
            elif ssn_never_issued(ssn):
                add(
                    UNISSUED_SSN.finding(
                        "SSN is of a kind the SSA never issues", line=row, field=col["ssn"]
                    )
                )
        if len(case_id) > MAX_CASE_ID or "*" in case_id or "\\" in case_id:
            why = (
                f"{len(case_id)} characters, at most {MAX_CASE_ID}"
                if len(case_id) > MAX_CASE_ID
                else "holds a DED delimiter"
            )
            add(BAD_TEXT.finding(f"case id {why}", line=row, field=col["case_id"]))
        names = last_name + first_name
        if "*" in names or "\\" in names:
            for field, value in (("last_name", last_name), ("first_name", first_name)):
                if "*" in value or "\\" in value:
                    add(
                        BAD_TEXT.finding(
                            f"{col[field]} holds a DED delimiter", line=row, field=col[field]
                        )
                    )
        sdu = sdu.upper()
        if sdu and self.known_sdus is not None and sdu not in self.known_sdus:
            add(UNKNOWN_SDU.finding(f"no SDU configured for {sdu!r}", line=row, field=col["sdu"]))
        unit = self.fmt.amount_unit
        money = (current_text, arrears_text, medical_text, gross_text, deductions_text,
                 disposable_text)  # fmt: skip
        cents = [parse_amount(text, unit) if text else None for text in money]
        for field, text, amount in zip(_MONEY, money, cents, strict=True):
            if text and (amount is None or amount > MAX_AMOUNT):
                name = col[field]
                add(BAD_AMOUNT.finding(f"{name} {text!r} is not an amount", line=row, field=name))
        current, arrears, medical, gross, deductions, disposable = cents
        if gross_text and deductions_text:
            if gross is not None and deductions is not None:
                if deductions > gross:
                    add(
                        DEDUCTIONS_EXCEED_GROSS.finding(line=row, field=col["mandatory_deductions"])
                    )
                computed = gross - deductions if gross > deductions else 0
                if disposable is not None and disposable != computed:
                    add(
                        INCOME_DISAGREES.finding(
                            f"disposable income {disposable / 100:.2f} but gross minus "
                            f"deductions is {computed / 100:.2f}",
                            line=row,
                            field=col["disposable_income"],
                        )
                    )
                disposable = computed
        elif not disposable_text:
            add(NO_INCOME.finding(line=row, field=col["disposable_income"]))
        pay_date = None
        if pay_date_text:
            pay_date = self._date_cache.get(pay_date_text, _UNSEEN)
            if pay_date is _UNSEEN:
                pay_date = self._date(pay_date_text)
            if pay_date is None:
                add(
                    BAD_DATE.finding(
                        f"{col['pay_date']} {pay_date_text!r} does not match "
                        f"{self.fmt.date_format}",
                        line=row,
                        field=col["pay_date"],
                    )
                )
        flag_values = _FLAG_SPELLINGS
        other_family = flag_values.get(other_family_text)
        over_12_weeks = flag_values.get(over_12_weeks_text)
        coverage = flag_values.get(coverage_text)
        terminated = flag_values.get(terminated_text)
        if None in (other_family, over_12_weeks, coverage, terminated):
            other_family, over_12_weeks, coverage, terminated = (
                self._flag(text, field, row, add)
                for text, field in zip(
                    (other_family_text, over_12_weeks_text, coverage_text, terminated_text),
                    FLAGS,
                    strict=True,
                )
            )
        if problems and any(p.severity == "error" for p in problems):
            return None, problems
        assert pay_date is not None and disposable is not None
        parsed = PayrollRow(
            row,
            employer,
            employee_id,
            last_name,
            first_name,
            ssn,
            case_id,
            sdu,
            current or 0,
            arrears or 0,
            medical or 0,
            pay_date,
            disposable,
            gross,
            deductions,
            other_family,  # type: ignore[arg-type]
            over_12_weeks,  # type: ignore[arg-type]
            coverage,  # type: ignore[arg-type]
            terminated,  # type: ignore[arg-type]
        )
        return parsed, problems

    def _flag(self, text: str, field: str, row: int, add: Callable[[Finding], None]) -> bool:
        """A yes/no cell in any accepted spelling; anything else is a finding (and no)."""
        flag = _FLAG_VALUES.get(text.lower())
        if flag is None:
            name = self.col[field]
            add(BAD_FLAG.finding(f"{name} {text!r} is not yes or no", line=row, field=name))
            return False
        return flag


_REQUIRED_INDEXES = tuple((f, i) for i, f in enumerate(FIELDS) if f in REQUIRED)
_REQUIRED_POSITIONS = tuple(i for _, i in _REQUIRED_INDEXES)
_MONEY = AMOUNTS + INCOME
_UNSEEN = dt.date.min
_FLAG_VALUES: dict[str, bool] = {
    **dict.fromkeys(_TRUE, True),
    **dict.fromkeys(_FALSE, False),
}
_FLAG_SPELLINGS: dict[str, bool] = {
    spelling: value
    for text, value in _FLAG_VALUES.items()
    for spelling in (text, text.upper(), text.capitalize())
}
"""The usual spellings of each flag value (``N``, ``Yes``, ``TRUE``) looked up as they are;
anything else is lowercased first."""


def detect_kind(name: str | os.PathLike[str]) -> InputKind:
    """``json`` for .json, ``jsonl`` for .jsonl/.ndjson, else ``csv``."""
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return "csv"


Source = str | os.PathLike[str] | IO[str]


def read_payroll(
    source: Source,
    fmt: PayrollFormat = DEFAULT_FORMAT,
    *,
    kind: InputKind | None = None,
    known_sdus: Collection[str] | None = None,
    known_employers: Collection[str] | None = None,
) -> Iterator[PayrollRow | Finding]:
    """Rows and findings in input order, streamed (a JSON array is the one exception: the
    standard library parses it whole, so send large exports as CSV or JSON Lines).

    ``known_sdus`` and ``known_employers`` come from the config; ``None`` skips that check.
    A file that cannot be opened or decoded is a PAY015 finding, not an exception.
    """
    parser = _RowParser(fmt, known_sdus, known_employers)
    if isinstance(source, (str, os.PathLike)):
        kind = kind or detect_kind(source)
        try:
            stream = open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as error:
            yield NO_INPUT.finding(f"cannot open {os.fspath(source)}: {error.strerror}")
            return
        with stream:
            yield from _read_stream(stream, kind, parser)
    else:
        yield from _read_stream(source, kind or "csv", parser)


def read_csv_lines(
    lines: Iterable[str],
    fmt: PayrollFormat = DEFAULT_FORMAT,
    *,
    known_sdus: Collection[str] | None = None,
    known_employers: Collection[str] | None = None,
) -> Iterator[PayrollRow | Finding]:
    """:func:`read_payroll` of a CSV given as its lines (:func:`text_lines` of the file)."""
    yield from _readable(_read_csv(lines, _RowParser(fmt, known_sdus, known_employers)))


def _read_stream(
    stream: IO[str], kind: InputKind, parser: _RowParser
) -> Iterator[PayrollRow | Finding]:
    reader = {"csv": _read_csv, "json": _read_json, "jsonl": _read_jsonl}[kind]
    yield from _readable(reader(stream, parser))


def _readable(items: Iterator[PayrollRow | Finding]) -> Iterator[PayrollRow | Finding]:
    """``items``, ending in a PAY015 finding, not an exception, when the input turns out
    not to be UTF-8 or not to be CSV."""
    try:
        yield from items
    except UnicodeDecodeError as error:
        yield NO_INPUT.finding(f"the input is not UTF-8 text ({error.reason})")
    except csv.Error as error:
        yield NO_INPUT.finding(f"the CSV cannot be read: {error}")


def _emit(parser: _RowParser, raw: Mapping[str, str], row: int) -> Iterator[PayrollRow | Finding]:
    parsed, problems = parser.parse(tuple(raw.get(field, "") for field in FIELDS), row)
    yield from problems
    if parsed is not None:
        yield parsed


def _normal(name: str) -> str:
    return name.strip().lower()


def _read_csv(stream: Iterable[str], parser: _RowParser) -> Iterator[PayrollRow | Finding]:
    reader = csv.reader(stream, delimiter=parser.fmt.delimiter)
    header = next(reader, None)
    layout = csv_layout(header, parser)
    if not isinstance(layout, CsvLayout):
        yield from layout
        return
    yield from read_rows(reader, layout.width, layout.positions, parser.parse, layout.plain)


@attrs.frozen
class CsvLayout:
    """Where each field is in a CSV export's rows, read off its header."""

    width: int
    positions: tuple[int, ...]
    """Each field's column in :data:`FIELDS` order (``width`` for one the export lacks)."""
    plain: Plain | None
    """What the column-at-a-time lane needs, when it can take this export."""


def csv_layout(header: list[str] | None, parser: _RowParser) -> CsvLayout | list[Finding]:
    """The export's layout, or the findings that stop it (no header, missing columns)."""
    if not header or not any(h.strip() for h in header):
        return [NO_INPUT.finding("the CSV has no header row", line=1)]
    positions = {_normal(name): i for i, name in enumerate(header)}
    index: dict[str, int] = {}
    for field in FIELDS:
        position = positions.get(_normal(parser.col[field]))
        if position is not None:
            index[field] = position
    missing = [f for f in FIELDS if f in REQUIRED and f not in index]
    if "disposable_income" not in index and not (
        "gross_pay" in index and "mandatory_deductions" in index
    ):
        missing.append("disposable_income")
    if missing:
        return [
            MISSING_COLUMN.finding(
                f"no {parser.col[field]!r} column in the header", line=1, field=parser.col[field]
            )
            for field in missing
        ]
    width = len(header)
    # The cells in FIELDS order; a column the export lacks reads the "" appended to each row.
    positions_used = tuple(index.get(field, width) for field in FIELDS)
    bulk = None
    if width not in positions_used and parser.fmt.amount_unit == "dollars":
        bulk = Plain(
            make=PayrollRow,
            required=_REQUIRED_POSITIONS,
            max_case_id=MAX_CASE_ID,
            max_amount=MAX_AMOUNT,
            known_sdus=parser.known_sdus,
            known_employers=parser.known_employers,
            date=parser._date,
            flags=_FLAG_SPELLINGS,
        )
    return CsvLayout(width, positions_used, bulk)


_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")


def text_lines(raw: IO[bytes], *, first: bool = True) -> Iterator[str]:
    """A UTF-8 byte stream's lines as ``TextIOWrapper(newline="")`` gives them (each ends
    after LF, CR LF or a lone CR, which it keeps), decoded a line at a time, so a byte that
    is not UTF-8 raises at its own line, after every line before it (a text wrapper
    decodes a block ahead and never hands on the lines of the block before the byte).
    ``first``: this is the start of the file, where a BOM is dropped."""
    for line in raw:
        if first:
            first = False
            if line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
                if not line:
                    continue
        if b"\r" in line and not (line.endswith(b"\r\n") and line.count(b"\r") == 1):
            for piece in _LONE_CR.split(line):
                if piece:
                    yield piece.decode("utf-8")
            continue
        yield line.decode("utf-8")


def csv_rows(
    stream: Iterable[str], parser: _RowParser, layout: CsvLayout, first_row: int
) -> Iterator[PayrollRow | Finding]:
    """Rows and findings from a CSV stream positioned after the header (or further on: its
    first row is numbered ``first_row``), as :func:`read_payroll` reads them, its finding
    for a stream that cannot be decoded or parsed included."""
    reader = csv.reader(stream, delimiter=parser.fmt.delimiter)
    yield from _readable(
        read_rows(reader, layout.width, layout.positions, parser.parse, layout.plain, first_row)
    )


def row_parser(
    fmt: PayrollFormat,
    known_sdus: Collection[str] | None = None,
    known_employers: Collection[str] | None = None,
) -> _RowParser:
    """The row parser :func:`read_payroll` uses, for readers that drive it themselves."""
    return _RowParser(fmt, known_sdus, known_employers)


TRUE_WORDS = _TRUE
FALSE_WORDS = _FALSE


def _text(value: Any) -> str | None:
    """A JSON value as the text a CSV cell would hold; ``None`` for objects and arrays."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    return None


def _json_row(parser: _RowParser, item: Any, row: int) -> Iterator[PayrollRow | Finding]:
    if not isinstance(item, dict):
        yield BAD_ROW.finding(f"row {row} is {type(item).__name__}, not an object", line=row)
        return
    by_name = {_normal(str(k)): v for k, v in item.items()}
    raw: dict[str, str] = {}
    for field in FIELDS:
        column = parser.col[field]
        if _normal(column) in by_name:
            value = _text(by_name[_normal(column)])
            if value is None:
                yield BAD_ROW.finding(f"{column} holds a nested value", line=row, field=column)
                return
            raw[field] = value.strip()
    yield from _emit(parser, raw, row)


def _loads(text: str) -> Any:
    # Numbers stay text, so 0.1 never becomes a float on its way to cents.
    return json.loads(text, parse_float=str, parse_int=str)


def _read_json(stream: IO[str], parser: _RowParser) -> Iterator[PayrollRow | Finding]:
    try:
        document = _loads(stream.read())
    except json.JSONDecodeError as error:
        yield NO_INPUT.finding(f"the JSON cannot be read: {error.msg}", line=error.lineno)
        return
    if isinstance(document, dict) and isinstance(document.get("rows"), list):
        document = document["rows"]
    if not isinstance(document, list):
        yield NO_INPUT.finding('the JSON must be an array of rows or {"rows": [...]}')
        return
    for row, item in enumerate(document, start=1):
        yield from _json_row(parser, item, row)


def _read_jsonl(stream: IO[str], parser: _RowParser) -> Iterator[PayrollRow | Finding]:
    for row, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            item = _loads(line)
        except json.JSONDecodeError as error:
            yield BAD_ROW.finding(f"not JSON: {error.msg}", line=row)
            continue
        yield from _json_row(parser, item, row)


def read_text(text: str, fmt: PayrollFormat = DEFAULT_FORMAT, **kwargs: Any) -> list[Any]:
    """Everything :func:`read_payroll` yields for CSV text: handy in tests and doctests."""
    return list(read_payroll(io.StringIO(text), fmt, **kwargs))


SplitResult = tuple[list[PayrollRow], list[Finding]]


def split(items: Iterable[PayrollRow | Finding]) -> SplitResult:
    """Rows and findings apart (holds everything: for small inputs and tests)."""
    rows: list[PayrollRow] = []
    findings: list[Finding] = []
    for item in items:
        (findings if isinstance(item, Finding) else rows).append(item)  # type: ignore[arg-type]
    return rows, findings


def ssn_length_message(ssn: str) -> str:
    """What is wrong with an SSN that is not 9 ASCII digits, without showing it.

    >>> ssn_length_message("12345678"), ssn_length_message("1234567890")
    ('SSN has 8 digits; it needs 9', 'SSN has 10 digits; it needs 9')
    >>> ssn_length_message("123-45-6789")
    'SSN has 11 characters, 9 of them digits; it needs 9 digits and nothing else (no dashes)'
    """
    digits = sum(c.isascii() and c.isdigit() for c in ssn)
    if digits == len(ssn):
        return f"SSN has {count(digits, 'digit')}; it needs 9"
    dashes = " (no dashes)" if "-" in ssn else ""
    return (
        f"SSN has {count(len(ssn), 'character')}, {digits} of them digits; "
        f"it needs 9 digits and nothing else{dashes}"
    )
