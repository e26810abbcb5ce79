"""What every scope's checks share while a file streams: options, findings, running state.

The checks are split by scope (:mod:`.child_support`, :mod:`.entry`, :mod:`.batch`,
:mod:`.file`), each a layer over the one below it and all over :class:`Run`, and
:class:`~nacha_cs.validate.engine.Validator` on top drives them record by record.
"""

from __future__ import annotations

import datetime as dt
import os
from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from nacha_cs.ach.model import CREDIT_CODES, DEBIT_CODES, PRENOTE_CODES, ZERO_DOLLAR_CODES
from nacha_cs.ach.reader import NO_SCAN_VARIABLE, PURE_VARIABLE
from nacha_cs.ach.records import (
    ADDENDA,
    CCD_ENTRY,
    CTX_ENTRY,
    HASH_MODULUS,
    MAX_ADDENDA,
    MAX_AMOUNT,
    Layout,
    is_digits,
)
from nacha_cs.ach.routing import check_digit
from nacha_cs.codecs.ded import STRICT, Ded, amount_reader
from nacha_cs.codecs.ded import decode as decode_ded
from nacha_cs.findings import Finding, Profile, Rule

if TYPE_CHECKING:  # a profile is loaded (TOML, package data) only when a state is asked for
    from nacha_cs.validate.profiles import StateProfile

SERVICE_CLASSES = frozenset({"200", "220", "225", "280"})
KNOWN_CODES = CREDIT_CODES | DEBIT_CODES
ZERO_AMOUNT_CODES = PRENOTE_CODES | ZERO_DOLLAR_CODES
LIVE_CREDIT_CODES = frozenset({"22", "32", "42", "52"})
"""Credits that move money: not prenotes, zero-dollar entries, returns or change notices."""
LIVE_DEBIT_CODES = DEBIT_CODES - PRENOTE_CODES
NACHA_SEC_CODES = frozenset(
    [
        "ACK",
        "ADV",
        "ARC",
        "ATX",
        "BOC",
        "CCD",
        "CIE",
        "COR",
        "CTX",
        "DNE",
        "ENR",
        "IAT",
        "MTE",
        "POP",
        "POS",
        "PPD",
        "RCK",
        "SHR",
        "TEL",
        "TRC",
        "TRX",
        "WEB",
        "XCK",
    ]
)
"""The standard entry class codes of the NACHA Operating Rules (Appendix Three)."""
CHECKED_SECS = frozenset({"CCD", "CTX"})
"""SEC codes whose entries and addenda nacha-cs checks field by field."""
OWN_LAYOUT_SECS = frozenset({"ADV", "IAT"})
"""SEC codes whose records are laid out unlike CCD's: their fields are not read at all."""
ONE_ADDENDA_SECS = frozenset({"CCD", "PPD", "WEB"})
"""SEC codes whose entries carry at most one addenda (ED010)."""
CHECKED_ADDENDA_TYPE = "05"
OTHER_ADDENDA_TYPES = frozenset({"02", "98", "99", *(str(n) for n in range(10, 19))})
"""Addenda types the NACHA rules define besides 05: counted and ordered, not read."""
REVERSAL = "REVERSAL"
"""The company entry description that marks a batch of reversing entries (Rules 2.9)."""
SAME_DAY_LIMIT_CENTS = 100_000_000
MAX_AMOUNT_CENTS = MAX_AMOUNT
MAX_CTX_ADDENDA = MAX_ADDENDA
__all__ = ["HASH_MODULUS"]  # re-exported for the batch and file checks


@attrs.frozen
class Options:
    profile: Profile = "child-support"
    disabled: frozenset[str] = frozenset()
    state: StateProfile | None = None
    pure: bool = attrs.field(factory=lambda: os.environ.get(PURE_VARIABLE) == "1")
    """Check every record the slow, field-by-field way: no fast paths, no cached verdicts and
    no second read for duplicate traces. Same findings, slower; the differential tests and
    anyone who doubts a fast path use it (also ``NACHA_CS_PURE=1`` in the environment)."""
    scan: bool = attrs.field(factory=lambda: os.environ.get(NO_SCAN_VARIABLE) != "1")
    """Let the compiled scanner (:mod:`nacha_cs.validate.scan`) prove clean records before
    the Python fast paths see them, when it is built. False (``NACHA_CS_NO_SCAN=1``) keeps
    the Python fast paths alone: what the differential tests compare the scanner with."""


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


# Slices derived from the field tables, so positions are never written twice.
E_CODE = CCD_ENTRY.slice("transaction_code")
E_RDFI = CCD_ENTRY.slice("receiving_dfi_identification")
E_CHECK = CCD_ENTRY.slice("check_digit")
E_ACCOUNT = CCD_ENTRY.slice("dfi_account_number")
E_AMOUNT = CCD_ENTRY.slice("amount")
E_INDICATOR = CCD_ENTRY.slice("addenda_record_indicator")
E_TRACE = CCD_ENTRY.slice("trace_number")
E_NAME = CCD_ENTRY.slice("receiving_company_name")
X_COUNT = CTX_ENTRY.slice("number_of_addenda_records")
X_NAME = CTX_ENTRY.slice("receiving_company_name")
X_RESERVED = CTX_ENTRY.slice("reserved")
A_TYPE = ADDENDA.slice("addenda_type_code")
A_INFO = ADDENDA.slice("payment_related_information")
A_SEQ = ADDENDA.slice("addenda_sequence_number")
A_ENTRY_SEQ = ADDENDA.slice("entry_detail_sequence_number")
INFO_OFFSET = A_INFO.start
E_HEAD = slice(E_CODE.start, E_CHECK.stop)  # transaction code, RDFI and check digit together
TRACE_SEQUENCE = slice(-(A_ENTRY_SEQ.stop - A_ENTRY_SEQ.start), None)
"""The trace's last digits, which the addenda's entry detail sequence number repeats."""
RDFI_WIDTH = E_RDFI.stop - E_RDFI.start


def yymmdd(text: str) -> dt.date | None:
    if len(text) != 6 or not is_digits(text):
        return None
    try:
        return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return None


class OpenEntry:
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
        "unchecked",
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
        self.unchecked = 0
        """Addenda of another type than 05, counted in ``addenda`` but not read."""


@attrs.define
class OpenBatch:
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
    slow: bool = False
    """Every entry of the batch takes the slow path (CTX, and SECs laid out unlike CCD)."""
    own_layout: bool = False
    """ADV or IAT: entries and addenda laid out unlike CCD's, so their fields are not read."""
    debits_allowed: bool = True
    """False under the child-support profile unless the batch is a REVERSAL (CS007)."""
    heads: dict[str, tuple[bool, bool, int]] = attrs.field(factory=dict)
    """Sound (transaction code, RDFI, check digit) triples: credit?, zero-amount code?, RDFI."""

    def allows(self, credit: bool) -> bool:
        return self.service_class != ("225" if credit else "220")


class Run:
    """The running state of one validation and how findings leave it."""

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
        self._batch: OpenBatch | None = None
        self._entry: OpenEntry | None = None
        self._declared_foreign = False  # an ADV batch: controls hold fields of another layout
        self._secs_said: set[str] = set()  # BH008 once per SEC code
        self._addenda_said: set[str] = set()  # AD003 once per addenda type
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
            start=A_INFO.start,
            end=A_INFO.stop,
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

    def _field(self, which: Rule, layout: Layout[Any], name: str, message: str, line: int) -> None:
        start, end = layout.span(name)
        self.emit(which, message, line=line, column=start, end_column=end, field=name)

    def _parse_problems(self, layout: Layout[Any], number: int, line: str) -> None:
        _, problems = layout.parse(line, number)
        for problem in problems:
            self.add(problem)

    def _check_digit(self, rdfi: str) -> str:
        expected = self._check_digits.get(rdfi)
        if expected is None:
            expected = check_digit(rdfi)
            if len(self._check_digits) < 65536:
                self._check_digits[rdfi] = expected
        return expected


def _ded_decoder(
    state: StateProfile | None,
) -> Callable[[str, int, int], tuple[Ded | None, list[Finding]]]:
    """DED decoding bound to the state's policy, reading a record's columns without slicing."""
    policy = state.ded_policy if state else STRICT

    def decode(line: str, start: int, end: int) -> tuple[Ded | None, list[Finding]]:
        return decode_ded(line, policy=policy, start=start, end=end)

    return decode
