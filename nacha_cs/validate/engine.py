"""The validator: every rule over a streamed file, all findings in one pass.

Records are read one at a time and checked against running state (the open batch, the open
entry and its addenda), so memory stays flat however large the file. A well-formed record takes
a fast path (slices, digit checks, cached routing check digits); only a record that fails it is
parsed field by field to say exactly which field is wrong. File totals are compared with the
batch controls as written, not as recomputed, so one wrong amount yields one batch finding
rather than a cascade.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from array import array
from collections.abc import Callable, Iterable
from typing import BinaryIO

import attrs

from nacha_cs.ach import calendar
from nacha_cs.ach.model import CREDIT_CODES, DEBIT_CODES, PRENOTE_CODES, ZERO_DOLLAR_CODES
from nacha_cs.ach.reader import (
    AFTER_FILE_CONTROL,
    EMPTY_FILE,
    MISSING_BATCH_CONTROL,
    MISSING_FILE_CONTROL,
    MISSING_FILE_HEADER,
    OUT_OF_PLACE,
    UNKNOWN_RECORD_TYPE,
    iter_raw_records,
    iter_record_chunks,
    length_problem,
)
from nacha_cs.ach.records import (
    ADDENDA,
    BATCH_CONTROL,
    BATCH_HEADER,
    CCD_ENTRY,
    CTX_ENTRY,
    FILE_CONTROL,
    FILE_HEADER,
    PADDING_LINE,
    RECORD_LENGTH,
    Layout,
)
from nacha_cs.ach.routing import check_digit, is_valid_routing
from nacha_cs.codecs import ctx820  # ctx820 registers the X12 rules `rules` lists
from nacha_cs.codecs.ded import STRICT, Ded, amount_reader
from nacha_cs.codecs.ded import decode as decode_ded
from nacha_cs.findings import Finding, Profile, Rule, rule
from nacha_cs.validate.profiles import StateProfile

# --- the rule catalogue owned by the validator ------------------------------------------------

NON_ASCII = rule(
    "CHR001",
    "error",
    "A record holds a character outside ASCII",
    "ACH files are ASCII: replace accented letters and symbols such as ¦ with plain characters.",
)
CONTROL_CHARACTER = rule(
    "CHR002",
    "error",
    "A record holds a control character (tab, NUL, carriage return...)",
    "Only printable characters (space to ~) may appear inside a record.",
)
LOWERCASE = rule(
    "CHR003",
    "warning",
    "Lowercase letters where uppercase is expected",
    "Codes such as the SEC code and the file ID modifier are uppercase.",
)
BAD_DESTINATION = rule(
    "FH001",
    "error",
    "The immediate destination is not a blank and a valid routing number",
    "Columns 4-13 hold a space then the 9-digit routing number of the receiving point.",
)
BAD_ORIGIN = rule(
    "FH002",
    "warning",
    "The immediate origin is neither a routing number nor a 10-character identifier",
    "Columns 14-23 hold a space and a 9-digit routing number, or an identifier your ODFI gave.",
)
BAD_CREATION_DATE = rule(
    "FH003",
    "error",
    "The file creation date is not a real YYMMDD date",
    "Write the date the file was made as YYMMDD.",
)
BAD_CREATION_TIME = rule(
    "FH004",
    "error",
    "The file creation time is not a real HHMM time",
    "Write the time as HHMM on a 24-hour clock, or leave it blank.",
)
BAD_FILE_ID_MODIFIER = rule(
    "FH005",
    "error",
    "The file ID modifier is not A-Z or 0-9",
    "Use A for the first file of the day, B for the second, and so on.",
)
UNKNOWN_SERVICE_CLASS = rule(
    "BH001",
    "error",
    "The service class code is not 200, 220, 225 or 280",
    "Use 220 for credits only, 225 for debits only, 200 for mixed.",
)
UNEXPECTED_SEC = rule(
    "BH002",
    "warning",
    "The standard entry class is not CCD or CTX",
    "Child-support payments travel as CCD+ (DED addenda) or CTX (820 addenda).",
)
BAD_EFFECTIVE_DATE = rule(
    "BH003",
    "warning",
    "The effective entry date is not a real YYMMDD date",
    "Write the banking day the entries should settle as YYMMDD; the ACH operator settles an "
    "invalid date on its next settlement day.",
)
EFFECTIVE_DATE_CLOSED = rule(
    "BH004",
    "warning",
    "The effective entry date falls on a weekend or Federal Reserve holiday",
    "Use a banking day; the ACH operator will settle on the next one.",
)
BAD_ORIGINATOR_STATUS = rule(
    "BH005",
    "error",
    "The originator status code is not 0, 1 or 2",
    "Use 1 when the ODFI is a depository financial institution.",
)
BATCH_NUMBER_ORDER = rule(
    "BH006",
    "error",
    "Batch numbers do not ascend through the file",
    "Number batches 1, 2, 3... in the order they appear.",
)
ZEROS_NAME = rule(
    "BH007",
    "error",
    "The company name or entry description is all zeros",
    "Give the originator's name and a description such as CHILD SUPP.",
)
UNKNOWN_TRANSACTION_CODE = rule(
    "ED001",
    "error",
    "The transaction code is not a known ACH code",
    "Use 22 (checking credit), 32 (savings credit), 23/33 prenote, 24/34 zero-dollar...",
)
CODE_NOT_IN_SERVICE_CLASS = rule(
    "ED002",
    "error",
    "The transaction code does not fit the batch's service class",
    "A 220 batch holds credits only and a 225 batch debits only; use 200 for mixed batches.",
)
BAD_CHECK_DIGIT = rule(
    "ED003",
    "error",
    "The RDFI routing number fails its check digit",
    "Columns 4-12 hold the receiving bank's 9-digit ABA number; check it with the SDU.",
)
ZERO_LIVE_AMOUNT = rule(
    "ED004",
    "error",
    "A live entry carries a zero amount",
    "Use a prenote (23/33) or zero-dollar code (24/34) for entries without money.",
)
AMOUNT_ON_ZERO_CODE = rule(
    "ED005",
    "error",
    "A prenote or zero-dollar entry carries an amount",
    "Prenotes and zero-dollar entries carry amount 0; use 22/32 to move money.",
)
TRACE_NOT_ODFI = rule(
    "ED006",
    "error",
    "The trace number does not start with the batch's ODFI",
    "Trace numbers are the ODFI's 8 digits followed by a 7-digit sequence.",
)
TRACE_ORDER = rule(
    "ED007",
    "error",
    "Trace numbers do not ascend within the batch",
    "Number entries in ascending trace order.",
)
TRACE_DUPLICATE = rule(
    "ED008",
    "error",
    "A trace number appears twice in the file",
    "Every entry in a file needs its own trace number.",
)
ADDENDA_INDICATOR = rule(
    "ED009",
    "error",
    "The addenda record indicator disagrees with the addenda present",
    "Column 79 is 1 when addenda follow the entry and 0 when none do.",
)
CCD_TOO_MANY_ADDENDA = rule(
    "ED010",
    "error",
    "A CCD entry has more than one addenda",
    "A CCD+ entry carries exactly one addenda; use CTX for more remittance data.",
)
CTX_ADDENDA_COUNT = rule(
    "ED011",
    "error",
    "The CTX number of addenda records disagrees with the addenda present",
    "Columns 55-58 of a CTX entry count the addenda that follow it.",
)
CTX_TOO_MANY_ADDENDA = rule(
    "ED012",
    "error",
    "A CTX entry has more than 9,999 addenda",
    "Split the payments across more CTX entries.",
)
SAME_DAY_LIMIT = rule(
    "ED013",
    "error",
    "A Same Day ACH entry exceeds $1,000,000",
    "Same Day ACH entries are limited to $1,000,000 each; send larger amounts next-day.",
)
ADDENDA_SEQUENCE = rule(
    "AD001",
    "error",
    "The addenda sequence number is out of order",
    "Number the addenda of an entry 0001, 0002, ... in order.",
)
ADDENDA_ENTRY_LINK = rule(
    "AD002",
    "error",
    "The addenda's entry detail sequence number does not match its entry's trace",
    "Columns 88-94 of an addenda repeat the last 7 digits of its entry's trace number.",
)
BATCH_COUNT_MISMATCH = rule(
    "BC001",
    "error",
    "The batch entry/addenda count disagrees with the records in the batch",
    "Count every entry and addenda record in the batch.",
)
BATCH_HASH_MISMATCH = rule(
    "BC002",
    "error",
    "The batch entry hash disagrees with the entries",
    "Sum the 8-digit RDFI identifications of the batch's entries and keep the last 10 digits.",
)
BATCH_DEBIT_MISMATCH = rule(
    "BC003",
    "error",
    "The batch total debit amount disagrees with the entries",
    "Sum the amounts of the batch's debit entries.",
)
BATCH_CREDIT_MISMATCH = rule(
    "BC004",
    "error",
    "The batch total credit amount disagrees with the entries",
    "Sum the amounts of the batch's credit entries.",
)
BATCH_FIELD_MISMATCH = rule(
    "BC005",
    "error",
    "The batch control disagrees with its batch header",
    "Service class, company identification, ODFI and batch number repeat the batch header's.",
)
FILE_BATCH_COUNT = rule(
    "FC001",
    "error",
    "The file control's batch count disagrees with the batches",
    "Count the batches in the file.",
)
FILE_BLOCK_COUNT = rule(
    "FC002",
    "error",
    "The file control's block count disagrees with the records",
    "Block count = all records including padding, divided by 10.",
)
FILE_COUNT_MISMATCH = rule(
    "FC003",
    "error",
    "The file entry/addenda count disagrees with the batch controls",
    "Sum the entry/addenda counts of the batch controls.",
)
FILE_HASH_MISMATCH = rule(
    "FC004",
    "error",
    "The file entry hash disagrees with the batch controls",
    "Sum the batch entry hashes and keep the last 10 digits.",
)
FILE_DEBIT_MISMATCH = rule(
    "FC005",
    "error",
    "The file total debit amount disagrees with the batch controls",
    "Sum the batch total debit amounts.",
)
FILE_CREDIT_MISMATCH = rule(
    "FC006",
    "error",
    "The file total credit amount disagrees with the batch controls",
    "Sum the batch total credit amounts.",
)
NOT_BLOCKED = rule(
    "FC007",
    "warning",
    "The file is not padded to a multiple of 10 records",
    "Add lines of 94 nines after the file control until the record count is a multiple of 10.",
)
NO_BATCHES = rule(
    "FILE009",
    "error",
    "The file holds no batches",
    "A file carries at least one batch of entries.",
)
NO_DED = rule(
    "CS001",
    "warning",
    "A CCD credit carries no DED addenda",
    "A child-support payment identifies employee, case and amount in a DED addenda (CCD+).",
    "child-support",
)
DED_AMOUNT_MISMATCH = rule(
    "CS002",
    "error",
    "The DED payment amount differs from the entry amount",
    "In a CCD+ payment DED04 carries exactly the entry amount, in cents.",
    "child-support",
)
UNIDENTIFIED_PAYMENT = rule(
    "CS003",
    "error",
    "A payment does not identify the employee, the amount and the case",
    "Every EFT payment names the case (DED02), the amount (DED04) and the employee "
    "(DED05 SSN or DED07 name) (Oregon OAR 137-055-5035).",
    "child-support",
)
ZERO_WITHOUT_TERMINATION = rule(
    "CS004",
    "warning",
    "A zero-dollar child-support entry is not marked as a termination notice",
    "A zero-dollar DED entry normally reports an employment termination (DED09 = Y).",
    "child-support",
)
CASE_ID_FORMAT = rule(
    "ST001",
    "error",
    "The case identifier does not follow the state's format",
    "Use the case number exactly as the state's order shows it.",
    "child-support",
)
FIPS_REQUIRED = rule(
    "ST002",
    "error",
    "The state requires a FIPS code (DED08) and none is given",
    "Add the FIPS code of the receiving child-support entity from the order.",
    "child-support",
)

SERVICE_CLASSES = frozenset({"200", "220", "225", "280"})
KNOWN_CODES = CREDIT_CODES | DEBIT_CODES
ZERO_AMOUNT_CODES = PRENOTE_CODES | ZERO_DOLLAR_CODES
LIVE_CREDIT_CODES = frozenset({"22", "32"})
SAME_DAY_LIMIT_CENTS = 100_000_000
MAX_AMOUNT_CENTS = 9_999_999_999  # what the 10-digit amount field can hold
HASH_MODULUS = 10**10
MAX_CTX_ADDENDA = 9999


@attrs.frozen
class Options:
    profile: Profile = "child-support"
    disabled: frozenset[str] = frozenset()
    state: StateProfile | None = None


@attrs.define
class Summary:
    batches: int = 0
    entries: int = 0
    addenda: int = 0
    total_debit: int = 0
    total_credit: int = 0


@attrs.define
class Report:
    path: str
    findings: list[Finding]
    summary: Summary

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def valid(self, strict: bool = False) -> bool:
        return self.errors == 0 and not (strict and self.warnings)


def _slice(layout: Layout, name: str) -> slice:
    start, end = layout.span(name)
    return slice(start - 1, end)


# Slices derived from the field tables, so positions are never written twice.
_E_CODE = _slice(CCD_ENTRY, "transaction_code")
_E_RDFI = _slice(CCD_ENTRY, "receiving_dfi_identification")
_E_CHECK = _slice(CCD_ENTRY, "check_digit")
_E_ACCOUNT = _slice(CCD_ENTRY, "dfi_account_number")
_E_AMOUNT = _slice(CCD_ENTRY, "amount")
_E_INDICATOR = _slice(CCD_ENTRY, "addenda_record_indicator")
_E_TRACE = _slice(CCD_ENTRY, "trace_number")
_E_NAME = _slice(CCD_ENTRY, "receiving_company_name")
_X_COUNT = _slice(CTX_ENTRY, "number_of_addenda_records")
_X_NAME = _slice(CTX_ENTRY, "receiving_company_name")
_X_RESERVED = _slice(CTX_ENTRY, "reserved")
_A_TYPE = _slice(ADDENDA, "addenda_type_code")
_A_INFO = _slice(ADDENDA, "payment_related_information")
_A_SEQ = _slice(ADDENDA, "addenda_sequence_number")
_A_ENTRY_SEQ = _slice(ADDENDA, "entry_detail_sequence_number")
_INFO_OFFSET = ADDENDA.span("payment_related_information")[0] - 1
_E_HEAD = slice(_E_CODE.start, _E_CHECK.stop)  # transaction code, RDFI and check digit together
_TRACE_SEQUENCE = slice(-(_A_ENTRY_SEQ.stop - _A_ENTRY_SEQ.start), None)


def _yymmdd(text: str) -> dt.date | None:
    if len(text) != 6 or not text.isdigit():
        return None
    try:
        return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return None


class _Entry:
    """The open entry: what its addenda are checked against (a plain class: one per entry)."""

    __slots__ = (
        "addenda",
        "addenda_lines",
        "amount",
        "code",
        "declared_addenda",
        "indicator",
        "line",
        "sec",
        "trace",
    )

    def __init__(
        self,
        line: int,
        sec: str,
        code: str,
        amount: int | None,
        trace: str,
        indicator: str,
        declared_addenda: int | None,
    ) -> None:
        self.line = line
        self.sec = sec
        self.code = code
        self.amount = amount
        self.trace = trace
        self.indicator = indicator
        self.declared_addenda = declared_addenda
        self.addenda = 0
        self.addenda_lines: list[tuple[int, str]] | None = None


@attrs.define
class _Batch:
    line: int
    service_class: str
    company_id: str
    odfi: str
    number: int | None
    sec: str
    same_day: bool
    count: int = 0
    entries: int = 0
    addenda: int = 0
    entry_hash: int = 0
    debit: int = 0
    credit: int = 0
    reliable: bool = True
    last_trace: str = ""
    first_trace: str = ""
    limit: int = MAX_AMOUNT_CENTS
    """The largest amount one entry may carry (only Same Day ACH sets a ceiling of its own)."""
    heads: dict[str, tuple[bool, bool, int]] = attrs.field(factory=dict)
    """Sound (transaction code, RDFI, check digit) triples: credit?, zero-amount code?, RDFI."""

    def allows(self, credit: bool) -> bool:
        return self.service_class != ("225" if credit else "220")


class Validator:
    """Feed records in order with :meth:`feed`, then call :meth:`finish`.

    Findings go to ``sink`` as they are found, so a caller can stream them.
    """

    def __init__(
        self,
        options: Options | None = None,
        sink: Callable[[Finding], None] | None = None,
        *,
        keep_traces: bool = True,
    ) -> None:
        self.options = options or Options()
        self.findings: list[Finding] = []
        self._sink = sink or self.findings.append
        self.summary = Summary()
        self.child_support = self.options.profile == "child-support"
        self._disabled = self.options.disabled
        self._records = 0
        self._seen_any = False
        self._header_seen = False
        self._creation_date: str | None = None
        self._control_line: int | None = None
        self._control_values: tuple[int | None, ...] | None = None
        self._padding_ok = True
        self._batch: _Batch | None = None
        self._entry: _Entry | None = None
        self._last_batch_number = 0
        self._declared = [0, 0, 0, 0]  # batch controls as written: count, hash, debit, credit
        self._declared_reliable = True
        self._batch_count = 0
        self._check_digits: dict[str, str] = {}
        self._traces = array("q")
        self._trace_lines = array("I")
        self._trace_ranges: list[tuple[str, str]] = []
        self._keep_traces = keep_traces
        self._state = self.options.state
        self._append_trace = self._traces.append
        self._append_trace_line = self._trace_lines.append
        self._ded_decoder = _ded_decoder(self.options.state) if self.child_support else None
        self._ded_amount = amount_reader(
            allow_medical_w=bool(self.options.state and self.options.state.medical_w_allowed),
            start=_A_INFO.start,
            end=_A_INFO.stop,
        )

    # -- reporting ---------------------------------------------------------------------------
    def emit(
        self,
        which: Rule,
        message: str | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
        end_column: int | None = None,
        field: str | None = None,
    ) -> None:
        if which.code in self._disabled:
            return
        if which.profile == "child-support" and not self.child_support:
            return
        self._sink(
            which.finding(message, line=line, column=column, end_column=end_column, field=field)
        )

    def add(self, finding: Finding) -> None:
        if finding.code in self._disabled:
            return
        self._sink(finding)

    def _field(self, which: Rule, layout: Layout, name: str, message: str, line: int) -> None:
        start, end = layout.span(name)
        self.emit(which, message, line=line, column=start, end_column=end, field=name)

    # -- the record loop ---------------------------------------------------------------------
    def feed(self, number: int, line: str) -> None:
        """Check one record; a sound CCD entry or DED addenda takes the fast path."""
        self._records = number
        if len(line) == RECORD_LENGTH and line.isascii() and line.isprintable():
            kind = line[0]
            if kind == "6" and self._entry_fast(number, line):
                return
            if kind == "7" and self._addenda_fast(number, line):
                return
        self._feed_slow(number, line)

    def _feed_slow(self, number: int, line: str) -> None:
        if len(line) != RECORD_LENGTH:
            problem = length_problem(number, line)
            if problem is not None:
                self.add(problem)
            line = line[:RECORD_LENGTH].ljust(RECORD_LENGTH)
        if not (line.isascii() and line.isprintable()):
            self._characters(number, line)
        kind = line[0]
        if not self._seen_any:
            self._seen_any = True
            if kind != "1":
                self.emit(MISSING_FILE_HEADER, line=number, column=1, field="record_type")
        if self._control_line is not None:
            if line == PADDING_LINE:
                return
            self.emit(
                AFTER_FILE_CONTROL,
                "a record other than nines padding follows the file control",
                line=number,
                column=1,
                field="record_type",
            )
            return
        if kind == "6":
            self._entry_record(number, line)
        elif kind == "7":
            self._addenda_record(number, line)
        elif kind == "5":
            self._batch_header(number, line)
        elif kind == "8":
            self._batch_control(number, line)
        elif kind == "1":
            self._file_header(number, line)
        elif kind == "9":
            if line == PADDING_LINE:
                self.emit(
                    OUT_OF_PLACE,
                    "a padding line of nines comes before the file control",
                    line=number,
                    column=1,
                    field="record_type",
                )
                return
            self._file_control(number, line)
        else:
            self.emit(
                UNKNOWN_RECORD_TYPE,
                f"record type {kind!r} is not one of 1, 5, 6, 7, 8, 9",
                line=number,
                column=1,
                field="record_type",
            )

    def _characters(self, number: int, line: str) -> None:
        for column, char in enumerate(line, start=1):
            if not char.isascii():
                self.emit(
                    NON_ASCII,
                    f"byte 0x{ord(char):02X} at column {column} is not ASCII",
                    line=number,
                    column=column,
                )
                return
            if not char.isprintable():
                self.emit(
                    CONTROL_CHARACTER,
                    f"control character 0x{ord(char):02X} at column {column}",
                    line=number,
                    column=column,
                )
                return

    def _parse_problems(self, layout: Layout, number: int, line: str) -> None:
        _, problems = layout.parse(line, number)
        for problem in problems:
            self.add(problem)

    # -- file header -------------------------------------------------------------------------
    def _file_header(self, number: int, line: str) -> None:
        if self._header_seen or self._batch is not None:
            self.emit(
                OUT_OF_PLACE, "a second file header", line=number, column=1, field="record_type"
            )
            return
        self._header_seen = True
        record, problems = FILE_HEADER.parse(line, number)
        for problem in problems:
            self.add(problem)
        destination = line[3:13]
        if not (destination[0] == " " and is_valid_routing(destination[1:])) and not (
            is_valid_routing(destination[:9]) and destination[9] == " "
        ):
            self._field(
                BAD_DESTINATION,
                FILE_HEADER,
                "immediate_destination",
                f"immediate destination {destination!r} is not a blank and a valid routing number",
                number,
            )
        origin = line[13:23]
        if not origin.strip():
            pass  # FLD002 already said so
        elif origin[0] == " " and not (origin[1:].isdigit() and len(origin[1:]) == 9):
            self._field(
                BAD_ORIGIN,
                FILE_HEADER,
                "immediate_origin",
                f"immediate origin {origin!r} starts with a blank but is not a 9-digit number",
                number,
            )
        date = record.file_creation_date
        if date and date.isdigit() and _yymmdd(date) is None:
            self._field(
                BAD_CREATION_DATE,
                FILE_HEADER,
                "file_creation_date",
                f"file creation date {date} is not a real date",
                number,
            )
        self._creation_date = date
        time = record.file_creation_time
        if time and time.isdigit() and (int(time[:2]) > 23 or int(time[2:]) > 59):
            self._field(
                BAD_CREATION_TIME,
                FILE_HEADER,
                "file_creation_time",
                f"file creation time {time} is not a real time",
                number,
            )
        modifier = line[33]
        if modifier.islower():
            self._field(
                LOWERCASE,
                FILE_HEADER,
                "file_id_modifier",
                f"file ID modifier {modifier!r} should be uppercase",
                number,
            )
        elif not (modifier.isascii() and modifier.isalnum()):
            self._field(
                BAD_FILE_ID_MODIFIER,
                FILE_HEADER,
                "file_id_modifier",
                f"file ID modifier {modifier!r} is not A-Z or 0-9",
                number,
            )

    # -- batches -----------------------------------------------------------------------------
    def _end_open_batch(self, number: int) -> None:
        """A batch header or file control arrived: close what is open, say if it was unclosed."""
        self._close_entry()
        if self._batch is not None:
            self.emit(
                MISSING_BATCH_CONTROL,
                f"the batch that starts at line {self._batch.line} ends at line {number} "
                "without a batch control",
                line=number,
            )
            self._declared_reliable = False  # no control: file totals have nothing to match
            self._fold(self._batch)
            self._batch = None

    def _batch_header(self, number: int, line: str) -> None:
        self._end_open_batch(number)
        record, problems = BATCH_HEADER.parse(line, number)
        for problem in problems:
            self.add(problem)
        service_class = record.service_class_code
        if service_class.isdigit() and service_class not in SERVICE_CLASSES:
            self._field(
                UNKNOWN_SERVICE_CLASS,
                BATCH_HEADER,
                "service_class_code",
                f"service class code {service_class} is not 200, 220, 225 or 280",
                number,
            )
        sec = record.standard_entry_class_code
        if sec != sec.upper():
            self._field(
                LOWERCASE,
                BATCH_HEADER,
                "standard_entry_class_code",
                f"standard entry class {sec!r} should be uppercase",
                number,
            )
            sec = sec.upper()
        if sec and sec not in ("CCD", "CTX"):
            self._field(
                UNEXPECTED_SEC,
                BATCH_HEADER,
                "standard_entry_class_code",
                f"standard entry class {sec!r} is read with the CCD entry layout",
                number,
            )
        for name in ("company_name", "company_entry_description"):
            value = getattr(record, name)
            if value and set(value) == {"0"}:
                self._field(
                    ZEROS_NAME, BATCH_HEADER, name, f"{name.replace('_', ' ')} is all zeros", number
                )
        effective = record.effective_entry_date
        if effective and effective.isdigit():
            day = _yymmdd(effective)
            if day is None:
                self._field(
                    BAD_EFFECTIVE_DATE,
                    BATCH_HEADER,
                    "effective_entry_date",
                    f"effective entry date {effective} is not a real date",
                    number,
                )
            elif not calendar.is_banking_day(day):
                why = calendar.holiday_name(day) or day.strftime("%A")
                self._field(
                    EFFECTIVE_DATE_CLOSED,
                    BATCH_HEADER,
                    "effective_entry_date",
                    f"effective entry date {day.isoformat()} is not a banking day ({why})",
                    number,
                )
        status = record.originator_status_code
        if status.isdigit() and status not in ("0", "1", "2"):
            self._field(
                BAD_ORIGINATOR_STATUS,
                BATCH_HEADER,
                "originator_status_code",
                f"originator status code {status} is not 0, 1 or 2",
                number,
            )
        batch_number = record.batch_number
        if batch_number is not None:
            if batch_number <= self._last_batch_number:
                self._field(
                    BATCH_NUMBER_ORDER,
                    BATCH_HEADER,
                    "batch_number",
                    f"batch number {batch_number} does not follow batch number "
                    f"{self._last_batch_number}",
                    number,
                )
            self._last_batch_number = max(self._last_batch_number, batch_number)
        same_day = record.company_descriptive_date.startswith("SD") or (
            bool(effective) and effective == self._creation_date
        )
        self._batch = _Batch(
            line=number,
            service_class=service_class,
            company_id=line[40:50],
            odfi=record.originating_dfi_identification,
            number=batch_number,
            sec=sec,
            same_day=same_day,
            limit=SAME_DAY_LIMIT_CENTS if same_day else MAX_AMOUNT_CENTS,
        )
        self._batch_count += 1
        self.summary.batches += 1

    def _entry_fast(self, number: int, line: str) -> bool:
        """Take a CCD entry that passes every check at once; return False to go the long way.

        Nothing is counted before the decision, so the long way starts from a clean slate.
        """
        batch = self._batch
        if batch is None or batch.sec == "CTX":
            return False
        head = batch.heads.get(line[_E_HEAD])
        if head is None:
            head = self._learn_head(batch, line[_E_HEAD])
            if head is None:
                return False
        credit, zero_code, rdfi_value = head
        amount_text = line[_E_AMOUNT]
        trace = line[_E_TRACE]
        indicator = line[_E_INDICATOR]
        if not (amount_text + trace).isdigit() or indicator not in "01":
            return False
        amount = int(amount_text)
        if (
            (amount == 0) is not zero_code
            or amount > batch.limit
            or trace <= batch.last_trace
            or not trace.startswith(batch.odfi)
            or line[_E_ACCOUNT].isspace()
            or line[_E_NAME].isspace()
        ):
            return False
        previous = self._entry
        if previous is not None and not (
            # a CCD+ entry closed by its one addenda needs no closing checks
            previous.addenda == 1 and previous.indicator == "1" and previous.sec != "CTX"
        ):
            self._close_entry()
        batch.count += 1
        batch.entries += 1
        batch.entry_hash += rdfi_value
        if credit:
            batch.credit += amount
        else:
            batch.debit += amount
        if self._keep_traces:
            self._append_trace(int(trace))
            self._append_trace_line(number)
        if not batch.first_trace:
            batch.first_trace = trace
        batch.last_trace = trace
        self._entry = _Entry(number, batch.sec, line[_E_CODE], amount, trace, indicator, 0)
        return True

    def _learn_head(self, batch: _Batch, head: str) -> tuple[bool, bool, int] | None:
        """Remember what a (transaction code, RDFI, check digit) triple means in this batch,
        when it is sound there: a known code the service class allows, a valid routing."""
        code, rdfi, check = head[:2], head[2:10], head[10]
        if code not in KNOWN_CODES or not (rdfi + check).isdigit():
            return None
        credit = code in CREDIT_CODES
        if not batch.allows(credit) or self._check_digit(rdfi) != check:
            return None
        if len(batch.heads) > 65536:
            batch.heads.clear()
        learned = (credit, code in ZERO_AMOUNT_CODES, int(rdfi))
        batch.heads[head] = learned
        return learned

    def _check_digit(self, rdfi: str) -> str:
        expected = self._check_digits.get(rdfi)
        if expected is None:
            expected = check_digit(rdfi)
            if len(self._check_digits) < 65536:
                self._check_digits[rdfi] = expected
        return expected

    def _addenda_fast(self, number: int, line: str) -> bool:
        entry = self._entry
        if (
            entry is None
            or line[_A_TYPE] != "05"
            or entry.sec == "CTX"
            or entry.addenda
            or line[_A_SEQ] != "0001"
            or line[_A_ENTRY_SEQ] != entry.trace[_TRACE_SEQUENCE]
        ):
            return False
        batch = self._batch
        assert batch is not None
        batch.count += 1
        batch.addenda += 1
        entry.addenda = 1
        if self._ded_decoder is not None:
            amount = self._ded_amount(line)
            # A well-formed DED whose amount is the entry's needs nothing more unless a state
            # profile adds rules; anything else goes through the full decode and its findings.
            if amount is None or amount != entry.amount or self._state is not None:
                self._check_ded(number, line, entry)
        return True

    def _entry_record(self, number: int, line: str) -> None:
        batch = self._batch
        self._close_entry()
        if batch is None:
            self.emit(
                OUT_OF_PLACE, "an entry outside a batch", line=number, column=1, field="record_type"
            )
            return
        ctx = batch.sec == "CTX"
        code = line[_E_CODE]
        rdfi = line[_E_RDFI]
        check = line[_E_CHECK]
        amount_text = line[_E_AMOUNT]
        indicator = line[_E_INDICATOR]
        trace = line[_E_TRACE]
        count_text = line[_X_COUNT] if ctx else "0"
        fast = (code + rdfi + check + amount_text + indicator + trace + count_text).isdigit()
        if not fast or (ctx and line[_X_RESERVED] != "  "):
            self._parse_problems(CTX_ENTRY if ctx else CCD_ENTRY, number, line)
        name_slice = _X_NAME if ctx else _E_NAME
        if fast and (line[_E_ACCOUNT].isspace() or line[name_slice].isspace()):
            self._parse_problems(CTX_ENTRY if ctx else CCD_ENTRY, number, line)
        batch.entries += 1
        batch.count += 1
        amount = int(amount_text) if amount_text.isdigit() else None
        declared = int(count_text) if count_text.isdigit() else None
        layout = CTX_ENTRY if ctx else CCD_ENTRY
        if code.isdigit():
            if code not in KNOWN_CODES:
                self._field(
                    UNKNOWN_TRANSACTION_CODE,
                    layout,
                    "transaction_code",
                    f"transaction code {code} is not a known ACH code",
                    number,
                )
                batch.reliable = False  # neither debit nor credit: totals cannot be checked
            else:
                credit = code in CREDIT_CODES
                if (batch.service_class == "220" and not credit) or (
                    batch.service_class == "225" and credit
                ):
                    self._field(
                        CODE_NOT_IN_SERVICE_CLASS,
                        layout,
                        "transaction_code",
                        f"{'credit' if credit else 'debit'} code {code} in a service class "
                        f"{batch.service_class} batch",
                        number,
                    )
                if amount is not None:
                    if credit:
                        batch.credit += amount
                    else:
                        batch.debit += amount
                    if code in ZERO_AMOUNT_CODES:
                        if amount:
                            self._field(
                                AMOUNT_ON_ZERO_CODE,
                                layout,
                                "amount",
                                f"transaction code {code} carries amount 0, not {amount}",
                                number,
                            )
                    elif amount == 0:
                        self._field(
                            ZERO_LIVE_AMOUNT,
                            layout,
                            "amount",
                            f"live transaction code {code} with a zero amount",
                            number,
                        )
                    elif amount > SAME_DAY_LIMIT_CENTS and batch.same_day:
                        self._field(
                            SAME_DAY_LIMIT,
                            layout,
                            "amount",
                            f"same-day entry of {amount / 100:,.2f} exceeds $1,000,000.00",
                            number,
                        )
                else:
                    batch.reliable = False
        else:
            batch.reliable = False
        if rdfi.isdigit():
            batch.entry_hash += int(rdfi)
            if check.isdigit():
                expected = self._check_digit(rdfi)
                if expected != check:
                    self._field(
                        BAD_CHECK_DIGIT,
                        layout,
                        "check_digit",
                        f"routing {rdfi}{check} fails the ABA check; the check digit would be "
                        f"{expected}",
                        number,
                    )
        else:
            batch.reliable = False
        if trace.isdigit():
            if batch.odfi and not trace.startswith(batch.odfi):
                self._field(
                    TRACE_NOT_ODFI,
                    layout,
                    "trace_number",
                    f"trace {trace} does not start with the ODFI {batch.odfi}",
                    number,
                )
            if batch.last_trace and trace <= batch.last_trace:
                self._field(
                    TRACE_ORDER,
                    layout,
                    "trace_number",
                    f"trace {trace} does not follow {batch.last_trace}"
                    + (" (the same number twice)" if trace == batch.last_trace else ""),
                    number,
                )
            else:
                if self._keep_traces:
                    self._append_trace(int(trace))
                    self._append_trace_line(number)
                if not batch.first_trace:
                    batch.first_trace = trace
            batch.last_trace = trace
        if indicator not in ("0", "1"):
            self._field(
                ADDENDA_INDICATOR,
                layout,
                "addenda_record_indicator",
                f"addenda record indicator {indicator!r} is neither 0 nor 1",
                number,
            )
        self._entry = _Entry(
            line=number,
            sec=batch.sec,
            code=code,
            amount=amount,
            trace=trace,
            indicator=indicator,
            declared_addenda=declared,
        )

    def _addenda_record(self, number: int, line: str) -> None:
        entry = self._entry
        if entry is None:
            self.emit(
                OUT_OF_PLACE,
                "an addenda without an entry before it",
                line=number,
                column=1,
                field="record_type",
            )
            return
        batch = self._batch
        assert batch is not None
        batch.count += 1
        batch.addenda += 1
        entry.addenda += 1
        sequence = line[_A_SEQ]
        entry_sequence = line[_A_ENTRY_SEQ]
        if line[_A_TYPE] != "05" or not (sequence + entry_sequence).isdigit():
            self._parse_problems(ADDENDA, number, line)
        if sequence.isdigit() and int(sequence) != entry.addenda:
            self._field(
                ADDENDA_SEQUENCE,
                ADDENDA,
                "addenda_sequence_number",
                f"addenda sequence number {sequence} where {entry.addenda:04d} was expected",
                number,
            )
        if (
            entry.trace.isdigit()
            and entry_sequence.isdigit()
            and entry_sequence != entry.trace[-7:]
        ):
            self._field(
                ADDENDA_ENTRY_LINK,
                ADDENDA,
                "entry_detail_sequence_number",
                f"entry detail sequence number {entry_sequence} does not match the last 7 digits "
                f"of trace {entry.trace} (line {entry.line})",
                number,
            )
        if entry.sec == "CTX":
            if entry.addenda_lines is None:
                entry.addenda_lines = []
            if entry.addenda <= MAX_CTX_ADDENDA:
                entry.addenda_lines.append((number, line[_A_INFO]))
        elif entry.addenda == 1:
            if self._ded_decoder is not None:
                self._check_ded(number, line, entry)
        elif entry.addenda == 2:
            self.emit(
                CCD_TOO_MANY_ADDENDA,
                f"a second addenda for the {entry.sec} entry at line {entry.line}",
                line=number,
                column=1,
                field="record_type",
            )

    def _check_ded(self, number: int, line: str, entry: _Entry) -> None:
        assert self._ded_decoder is not None
        ded, problems = self._ded_decoder(line, _A_INFO.start, _A_INFO.stop)
        for problem in problems:
            self.add(problem.at(line=number, column_offset=_INFO_OFFSET))
        if ded is None:
            return
        start = _INFO_OFFSET + 1
        end = _A_INFO.stop
        if entry.amount is not None and ded.amount != entry.amount:
            self.emit(
                DED_AMOUNT_MISMATCH,
                f"DED04 is {ded.amount} cents but the entry at line {entry.line} carries "
                f"{entry.amount}",
                line=number,
                column=start,
                end_column=end,
                field="DED04",
            )
        if entry.amount == 0 and entry.code in ZERO_DOLLAR_CODES and not ded.terminated:
            self.emit(
                ZERO_WITHOUT_TERMINATION,
                f"the zero-dollar entry at line {entry.line} carries a DED without DED09 = Y",
                line=number,
                column=start,
                end_column=end,
                field="DED09",
            )
        self._identification(number, ded, start, end)

    def _identification(self, number: int, ded: Ded, start: int, end: int) -> None:
        """CS003 and the state's ST rules on one decoded DED, wherever it travels.

        CCD+ passes its addenda (columns 4-83); CTX passes each DED of the 820 at the addenda
        and columns where that segment sits.
        """
        if self.options.state is None and ded.ssn.strip():
            return  # a decoded DED names case and amount: only a blank SSN can leave it unnamed
        case_id = ded.case_id
        ssn = ded.ssn.strip()
        name = ded.name.strip()
        amount = ded.amount
        missing = []
        if not case_id.strip():
            missing.append("the case (DED02)")
        if amount is None:
            missing.append("the amount (DED04)")
        if not ssn and not name:
            missing.append("the employee (DED05 or DED07)")
        if missing:
            self.emit(
                UNIDENTIFIED_PAYMENT,
                "the payment does not identify " + ", ".join(missing),
                line=number,
                column=start,
                end_column=end,
            )
        state = self.options.state
        if state is None:
            return
        pattern = state.case_id_regex
        if pattern is not None and case_id and not pattern.fullmatch(case_id):
            self.emit(
                CASE_ID_FORMAT,
                f"case {case_id!r} does not follow the {state.name} case-number format "
                f"({state.case_id_description or state.case_id_pattern})",
                line=number,
                column=start,
                end_column=end,
                field="DED02",
            )
        if state.fips_required and not ded.fips.strip():
            self.emit(
                FIPS_REQUIRED,
                f"{state.name} requires DED08 (FIPS code)",
                line=number,
                column=start,
                end_column=end,
                field="DED08",
            )

    def _close_entry(self) -> None:
        entry = self._entry
        if entry is None:
            return
        self._entry = None
        layout = CTX_ENTRY if entry.sec == "CTX" else CCD_ENTRY
        if entry.indicator in ("0", "1") and (entry.indicator == "1") != (entry.addenda > 0):
            self._field(
                ADDENDA_INDICATOR,
                layout,
                "addenda_record_indicator",
                f"addenda record indicator is {entry.indicator} but {entry.addenda} addenda follow",
                entry.line,
            )
        if entry.sec == "CTX":
            if entry.declared_addenda is not None and entry.declared_addenda != entry.addenda:
                self._field(
                    CTX_ADDENDA_COUNT,
                    CTX_ENTRY,
                    "number_of_addenda_records",
                    f"the entry says {entry.declared_addenda} addenda, {entry.addenda} follow",
                    entry.line,
                )
            if entry.addenda > MAX_CTX_ADDENDA:
                self.emit(
                    CTX_TOO_MANY_ADDENDA,
                    f"{entry.addenda:,} addenda follow the entry; at most 9,999 are allowed",
                    line=entry.line,
                )
            if self.child_support and entry.addenda_lines:
                self._check_820(entry)
        elif (
            self.child_support
            and entry.addenda == 0
            and entry.sec == "CCD"
            and entry.code in LIVE_CREDIT_CODES
        ):
            self.emit(
                NO_DED,
                f"CCD credit at line {entry.line} has no addenda with a DED segment",
                line=entry.line,
                column=79,
                field="addenda_record_indicator",
            )

    def _check_820(self, entry: _Entry) -> None:
        assert entry.addenda_lines is not None
        remittance, problems = ctx820.check_for_validator(
            entry.addenda_lines, entry.amount, self.options.state
        )
        for problem in problems:
            self.add(problem)
        if remittance is None:
            return
        for placed in remittance.placed:
            if placed.ded is not None:
                self._identification(placed.line, placed.ded, placed.column, placed.end_column)

    def _batch_control(self, number: int, line: str) -> None:
        self._close_entry()
        batch = self._batch
        if batch is None:
            self.emit(
                OUT_OF_PLACE,
                "a batch control without a batch header",
                line=number,
                column=1,
                field="record_type",
            )
            return
        self._fold(batch)
        self._batch = None
        record, problems = BATCH_CONTROL.parse(line, number)
        for problem in problems:
            self.add(problem)
        if batch.first_trace:
            self._trace_ranges.append((batch.first_trace, batch.last_trace))
        checks = (
            (BATCH_COUNT_MISMATCH, "entry_addenda_count", record.entry_addenda_count, batch.count),
            (
                BATCH_HASH_MISMATCH,
                "entry_hash",
                record.entry_hash,
                batch.entry_hash % HASH_MODULUS if batch.reliable else None,
            ),
            (
                BATCH_DEBIT_MISMATCH,
                "total_debit_amount",
                record.total_debit_amount,
                batch.debit if batch.reliable else None,
            ),
            (
                BATCH_CREDIT_MISMATCH,
                "total_credit_amount",
                record.total_credit_amount,
                batch.credit if batch.reliable else None,
            ),
        )
        for which, name, written, computed in checks:
            if written is not None and computed is not None and written != computed:
                self._field(
                    which,
                    BATCH_CONTROL,
                    name,
                    f"{name.replace('_', ' ')} is {written}, the batch adds up to {computed}",
                    number,
                )
        pairs = (
            ("service_class_code", record.service_class_code, batch.service_class),
            ("company_identification", line[44:54], batch.company_id),
            ("originating_dfi_identification", record.originating_dfi_identification, batch.odfi),
            ("batch_number", record.batch_number, batch.number),
        )
        for name, written, header in pairs:
            if written is not None and header is not None and written != header:
                self._field(
                    BATCH_FIELD_MISMATCH,
                    BATCH_CONTROL,
                    name,
                    f"{name.replace('_', ' ')} {str(written).strip()!r} differs from the batch "
                    f"header's {str(header).strip()!r} (line {batch.line})",
                    number,
                )
        values = (
            record.entry_addenda_count,
            record.entry_hash,
            record.total_debit_amount,
            record.total_credit_amount,
        )
        for index, value in enumerate(values):
            if value is None:
                self._declared_reliable = False
            else:
                self._declared[index] += value

    def _file_control(self, number: int, line: str) -> None:
        self._end_open_batch(number)
        self._control_line = number
        record, problems = FILE_CONTROL.parse(line, number)
        for problem in problems:
            self.add(problem)
        self._control_values = (record.block_count,)
        if record.batch_count is not None and record.batch_count != self._batch_count:
            self._field(
                FILE_BATCH_COUNT,
                FILE_CONTROL,
                "batch_count",
                f"batch count is {record.batch_count}, the file holds {self._batch_count}",
                number,
            )
        if not self._declared_reliable:
            return
        count, entry_hash, debit, credit = self._declared
        checks = (
            (FILE_COUNT_MISMATCH, "entry_addenda_count", record.entry_addenda_count, count),
            (FILE_HASH_MISMATCH, "entry_hash", record.entry_hash, entry_hash % HASH_MODULUS),
            (FILE_DEBIT_MISMATCH, "total_debit_amount", record.total_debit_amount, debit),
            (FILE_CREDIT_MISMATCH, "total_credit_amount", record.total_credit_amount, credit),
        )
        for which, name, written, computed in checks:
            if written is not None and written != computed:
                self._field(
                    which,
                    FILE_CONTROL,
                    name,
                    f"{name.replace('_', ' ')} is {written}, the batch controls add up to "
                    f"{computed}",
                    number,
                )

    def finish(self) -> Summary:
        if not self._seen_any:
            self.emit(EMPTY_FILE)
            return self.summary
        if self._control_line is None:
            self._close_entry()
            if self._batch is not None:
                self._fold(self._batch)
                self.emit(
                    MISSING_BATCH_CONTROL,
                    f"the batch that starts at line {self._batch.line} has no batch control "
                    "before the end of the file",
                    line=self._records,
                )
            self.emit(
                MISSING_FILE_CONTROL,
                f"the file ends at line {self._records} without a file control",
                line=self._records,
            )
        else:
            if self._batch_count == 0:
                self.emit(NO_BATCHES)
            blocks = -(-self._records // 10)
            if self._records % 10:
                self.emit(
                    NOT_BLOCKED,
                    f"the file holds {self._records} records, not a multiple of 10",
                    line=self._records,
                )
            written = self._control_values[0] if self._control_values else None
            if written is not None and written != blocks:
                start, end = FILE_CONTROL.span("block_count")
                self.emit(
                    FILE_BLOCK_COUNT,
                    f"block count is {written}, the file's {self._records} records make {blocks}",
                    line=self._control_line,
                    column=start,
                    end_column=end,
                    field="block_count",
                )
        if self._keep_traces and self.traces_may_repeat():
            self._report_duplicates(self._traces, self._trace_lines)
        return self.summary

    def _fold(self, batch: _Batch) -> None:
        """Add a finished batch to the summary (kept per batch while it is read: fewer writes)."""
        summary = self.summary
        summary.entries += batch.entries
        summary.addenda += batch.addenda
        summary.total_debit += batch.debit
        summary.total_credit += batch.credit

    def traces_may_repeat(self) -> bool:
        """Traces ascend inside a batch, so two can be equal only where batch ranges overlap."""
        ranges = sorted(self._trace_ranges)
        return any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(ranges))

    def check_duplicate_traces(self, records: Iterable[tuple[int, str]]) -> None:
        """A second look at the entries' traces, for a validator that did not keep them."""
        traces, lines = array("q"), array("I")
        for number, line in records:
            trace = line[_E_TRACE]
            if line[:1] == "6" and trace.isdigit() and trace.isascii():
                traces.append(int(trace))
                lines.append(number)
        self._report_duplicates(traces, lines)

    def _report_duplicates(self, traces: array[int], lines: array[int]) -> None:
        order = sorted(range(len(traces)), key=traces.__getitem__)
        start, end = CCD_ENTRY.span("trace_number")
        for previous, current in itertools.pairwise(order):
            if traces[previous] == traces[current]:
                first, second = sorted((lines[previous], lines[current]))
                self.emit(
                    TRACE_DUPLICATE,
                    f"trace {traces[current]:015d} is also used at line {first}",
                    line=second,
                    column=start,
                    end_column=end,
                    field="trace_number",
                )


def _ded_decoder(
    state: StateProfile | None,
) -> Callable[[str, int, int], tuple[Ded | None, list[Finding]]]:
    """DED decoding bound to the state's policy, reading a record's columns without slicing."""
    policy = state.ded_policy if state else STRICT

    def decode(line: str, start: int, end: int) -> tuple[Ded | None, list[Finding]]:
        return decode_ded(line, policy=policy, start=start, end=end)

    return decode


def _all_clean(lines: list[str]) -> bool:
    """True when every record is 94 printable ASCII characters (checked in C, chunk-wide)."""
    if not lines or set(map(len, lines)) != {RECORD_LENGTH}:
        return False
    joined = "".join(lines)
    return joined.isascii() and joined.isprintable()


def validate_stream(stream: BinaryIO, options: Options | None = None, path: str = "-") -> Report:
    try:
        origin: int | None = stream.tell() if stream.seekable() else None
    except OSError:
        origin = None
    # A stream we can read twice need not keep a million traces for the duplicate check.
    validator = Validator(options, keep_traces=origin is None)
    # The loop below is feed() unrolled: this is the hottest code in the project.
    entry_fast = validator._entry_fast
    addenda_fast = validator._addenda_fast
    slow = validator._feed_slow
    number = 0
    for lines in iter_record_chunks(stream):
        if _all_clean(lines):
            # Every record of the chunk is 94 printable ASCII characters: no per-line checks.
            for line in lines:
                number += 1
                kind = line[0]
                if kind == "6":
                    if entry_fast(number, line):
                        continue
                elif kind == "7" and addenda_fast(number, line):
                    continue
                slow(number, line)
            continue
        for line in lines:
            number += 1
            if len(line) == RECORD_LENGTH and line.isascii() and line.isprintable():
                kind = line[0]
                if kind == "6":
                    if entry_fast(number, line):
                        continue
                elif kind == "7" and addenda_fast(number, line):
                    continue
            slow(number, line)
    validator._records = number
    summary = validator.finish()
    if origin is not None and validator.traces_may_repeat():
        stream.seek(origin)
        validator.check_duplicate_traces(iter_raw_records(stream))
    return Report(path, validator.findings, summary)


def validate_path(path: str | os.PathLike[str], options: Options | None = None) -> Report:
    """Raises OSError when the path cannot be read; everything else is a finding."""
    with open(path, "rb") as stream:
        return validate_stream(stream, options, os.fspath(path))
