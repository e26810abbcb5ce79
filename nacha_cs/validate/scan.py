"""The compiled scanner in front of the exact validator: binary chunks, proven record runs.

:mod:`nacha_cs.validate._scan` (Cython, built at install) walks whole lines of a 1 MiB chunk
and proves CCD entries and their DED addenda clean exactly as the validator's fast paths would
accept them with no finding. This driver carries the running state both ways: the batch's
counts, entry hash, totals and last trace and the open entry go into the scan, what it took
comes back into the :class:`~nacha_cs.validate.engine.Validator`. In a CTX batch it takes
only the runs of 05 addenda after an entry, kept for the 820 as the exact path keeps them (the
820 is still read by the Python reader when the entry closes). Every record it does not prove
(headers, controls, CTX entries, a defect) goes to ``Validator.feed`` on its own, so the
fallback is per record, never per chunk, and the Python validator stays the only author of
findings.

Without the extension (or with ``NACHA_CS_NO_SCAN=1``, ``Options(scan=False)``, or
``pure``) the pure-Python loop runs: same findings, slower.
"""

from __future__ import annotations

import os
from array import array
from typing import TYPE_CHECKING, BinaryIO

from nacha_cs.ach.model import CREDIT_CODES, ZERO_DOLLAR_CODES
from nacha_cs.ach.reader import (
    NO_SCAN_VARIABLE,
    PURE_VARIABLE,
    line_records,
    line_spans,
)
from nacha_cs.ach.records import is_digits
from nacha_cs.validate.state import (
    A_ENTRY_SEQ,
    A_INFO,
    A_SEQ,
    A_TYPE,
    E_ACCOUNT,
    E_AMOUNT,
    E_CHECK,
    E_CODE,
    E_INDICATOR,
    E_NAME,
    E_RDFI,
    E_TRACE,
    KNOWN_CODES,
    LIVE_CREDIT_CODES,
    LIVE_DEBIT_CODES,
    MAX_CTX_ADDENDA,
    TRACE_SEQUENCE,
    ZERO_AMOUNT_CODES,
    OpenBatch,
    OpenEntry,
    Options,
)

if TYPE_CHECKING:
    from nacha_cs.validate.engine import Validator

try:
    from nacha_cs.validate import _scan
except ImportError:  # not built (a source tree without a compiler): the pure-Python path
    _scan = None  # type: ignore[assignment]

_COLUMNS = (E_CODE, E_RDFI, E_CHECK, E_ACCOUNT, E_AMOUNT, E_NAME, E_INDICATOR, E_TRACE,
            A_TYPE, A_INFO, A_SEQ, A_ENTRY_SEQ)  # fmt: skip
LAYOUT_AGREES = _scan is not None and tuple(
    (column.start, column.stop) for column in _COLUMNS
) == tuple(_scan.LAYOUT)
"""The extension reads the columns the field tables name (else it is not used)."""
AVAILABLE = (
    _scan is not None and LAYOUT_AGREES and array("q").itemsize == 8 and array("I").itemsize == 4
)
"""Built, reading the right columns, and its kept traces (int64) and lines (uint32) are the
validator's arrays' items."""
_ADDENDA_TYPE = ord("7")
"""The first byte of an addenda record, where a CTX entry's addenda may be taken."""
_SILENT_BARE_BLOCKERS = LIVE_CREDIT_CODES | ZERO_DOLLAR_CODES
"""Codes whose entry, closed with no addenda, draws CS002 or CS010 under child support."""


def status() -> str:
    """What ``nacha-cs --version`` says about the scanner."""
    if AVAILABLE:
        for variable in (PURE_VARIABLE, NO_SCAN_VARIABLE):
            if os.environ.get(variable) == "1":
                return f"compiled, turned off by {variable}=1"
        return "compiled"
    if _scan is not None:
        return "built, but its columns differ from the field tables: pure Python"
    return "not built, pure Python"


def wanted(options: Options) -> bool:
    """Whether a validation with ``options`` runs on the scanner.

    A state profile adds rules to every DED, so its files stay on the exact path.
    """
    return AVAILABLE and options.scan and not options.pure and options.state is None


class _Codes:
    """The per-batch code table the scanner reads: one flags byte for each code 00-99."""

    def __init__(self, child_support: bool) -> None:
        self.child_support = child_support
        self._tables: dict[tuple[str, bool], bytes] = {}

    def bare(self, code: str) -> bool:
        """Whether an entry with this code closes with no addenda and no finding."""
        return not self.child_support or code not in _SILENT_BARE_BLOCKERS

    def table(self, batch: OpenBatch) -> bytes:
        key = (batch.service_class, batch.debits_allowed)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = bytes(self._flags(f"{n:02d}", batch) for n in range(100))
        return table

    def _flags(self, code: str, batch: OpenBatch) -> int:
        """What :meth:`~nacha_cs.validate.entry.EntryChecks._learn_head` would learn."""
        assert _scan is not None
        if code not in KNOWN_CODES:
            return 0
        credit = code in CREDIT_CODES
        flags = _scan.FLAG_CREDIT if credit else 0
        if code in ZERO_AMOUNT_CODES:
            flags |= _scan.FLAG_ZERO
        if self.bare(code):
            flags |= _scan.FLAG_BARE
        sdu_debit = not (credit or batch.debits_allowed) and code in LIVE_DEBIT_CODES
        if batch.allows(credit) and not sdu_debit:
            flags |= _scan.FLAG_OK
        return flags


def _open_entry(entry: OpenEntry | None, codes: _Codes, ded: bool) -> tuple[int, int]:
    """Whether a new entry closes ``entry`` with no finding, and whether a DED addenda may
    follow it on the fast path (the conditions of the fast paths and of ``_close_entry``)."""
    if entry is None:
        return 1, 0
    ccd = entry.sec == "CCD" and not entry.unchecked
    silent = ccd and (
        (entry.addenda == 1 and entry.indicator == "1")
        or (entry.addenda == 0 and entry.indicator == "0" and codes.bare(entry.code))
    )
    takes = entry.sec == "CCD" and entry.addenda == 0 and (entry.amount is not None or not ded)
    return int(silent), int(takes)


def feed_scanned(validator: Validator, first: bytes, stream: BinaryIO) -> int:
    """Feed the whole stream (``first`` already read from it) through the scanner and the
    validator; return the number of records. The file is not one unbroken line.

    Each chunk is scanned where it lies (:func:`~nacha_cs.ach.reader.line_spans`).
    """
    driver = _Driver(validator)
    for buffer, begin, end in line_spans(first, stream):
        driver.run(buffer, begin, end)
    return driver.number


class _Driver:
    """The scanner and the validator taking turns over buffers of whole lines."""

    def __init__(self, validator: Validator) -> None:
        assert _scan is not None
        self.validator = validator
        self.scanner = _scan.Scanner()
        self.codes = _Codes(validator.child_support)
        self.ded = validator._ded_decoder is not None
        self.seen: OpenBatch | None = None
        self.number = 0

    def run(self, buf: bytes, pos: int, end: int) -> None:
        """Every line of ``buf[pos:end]`` (``end`` just past a line feed), in order."""
        validator = self.validator
        scanner = self.scanner
        codes = self.codes
        ded = self.ded
        feed = validator.feed
        number = self.number
        while pos < end:
            batch = validator._batch
            if batch is not None and not batch.slow:
                if batch is not self.seen:
                    scanner.batch(codes.table(batch), batch.odfi.encode("latin-1"), batch.limit,
                                  ded, validator._keep_traces)
                    self.seen = batch
                entry = validator._entry
                silent, takes = _open_entry(entry, codes, ded)
                moved = scanner.scan(
                    buf, pos, end, number, batch.last_trace.encode("latin-1"), silent, takes,
                    (entry.amount or 0) if entry is not None else 0,
                    entry.trace.encode("latin-1") if entry is not None else b"",
                    entry.indicator.encode("latin-1") if entry is not None else b"",
                )
                if moved != pos:
                    number += scanner.records
                    _take(validator, batch, scanner, buf)
                    pos = moved
                    if pos >= end:
                        break
            elif batch is not None and buf[pos] == _ADDENDA_TYPE and validator._entry is not None:
                moved = _take_ctx(validator, batch, validator._entry, scanner, buf, pos, end,
                                  number)
                if moved != pos:
                    number += scanner.records
                    pos = moved
                    if pos >= end:
                        break
            stop = buf.find(b"\n", pos, end)
            for record in line_records(buf[pos:stop]):
                number += 1
                feed(number, record)
            pos = stop + 1
        self.number = number


def _take_ctx(validator: Validator, batch: OpenBatch, entry: OpenEntry, scanner: _scan.Scanner,
              buf: bytes, pos: int, end: int, number: int) -> int:
    """Let the scanner take the 05 addenda of an open CTX entry, counted and kept for its 820
    as :meth:`~nacha_cs.validate.entry.EntryChecks._addenda_record` would; return where the
    first record it did not take starts (``pos``: none taken).

    Only when the exact path would find nothing in them: the entry's trace is digits (so its
    last seven are what an addenda must repeat), the file control is not read yet, and there
    is room below the 9,999 addenda the 820 is read from (past that the exact path says so).
    """
    trace = entry.trace
    room = MAX_CTX_ADDENDA - entry.addenda
    if (
        entry.sec != "CTX"
        or room <= 0
        or batch.own_layout
        or validator._control_line is not None
        or not is_digits(trace)
    ):
        return pos
    lines = entry.addenda_lines if entry.addenda_lines is not None else []
    moved = scanner.ctx_addenda(buf, pos, end, number, entry.addenda - entry.unchecked, room,
                                trace[TRACE_SEQUENCE].encode("ascii"), lines)
    taken = scanner.records
    if taken:
        entry.addenda_lines = lines
        entry.addenda += taken
        batch.count += taken
        batch.addenda += taken
    return moved


def _take(validator: Validator, batch: OpenBatch, scanner: _scan.Scanner, buf: bytes) -> None:
    """Add what one scan proved to the batch, and leave open the entry the fast paths would."""
    batch.count += scanner.records
    batch.entries += scanner.entries
    batch.addenda += scanner.addenda
    batch.entry_hash += scanner.entry_hash
    batch.credit += scanner.credit
    batch.debit += scanner.debit
    if scanner.new_entry:
        trace = scanner.last_trace.decode("ascii")
        if not batch.first_trace:
            batch.first_trace = scanner.first_trace.decode("ascii")
        batch.last_trace = trace
        at = scanner.entry_at
        code = buf[at + E_CODE.start : at + E_CODE.stop].decode("ascii")
        indicator = buf[at + E_INDICATOR.start : at + E_INDICATOR.stop].decode("ascii")
        entry = OpenEntry(scanner.entry_line, batch.sec, code, scanner.entry_amount, trace,
                          indicator, 0)
        entry.addenda = scanner.entry_addenda
        validator._entry = entry
    else:  # only the DED addenda of the entry the validator opened
        assert validator._entry is not None
        validator._entry.addenda = scanner.entry_addenda
    if validator._keep_traces:
        traces, lines = scanner.take_traces()
        validator._traces.frombytes(traces)
        validator._trace_lines.frombytes(lines)
