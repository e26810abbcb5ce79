"""The validator: every rule over a streamed file, all findings in one pass.

Records are read one at a time and checked against running state (the open batch, the open
entry and its addenda), so memory stays flat however large the file. A well-formed record takes
a fast path (slices, digit checks, cached routing check digits); only a record that fails it is
parsed field by field to say exactly which field is wrong. File totals are compared with the
batch controls as written, not as recomputed, so one wrong amount yields one batch finding
rather than a cascade.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import BinaryIO

from nacha_cs.ach.order import PADDING, Place, Verdict, record_kind, step
from nacha_cs.ach.reader import (
    AFTER_FILE_CONTROL,
    CHUNK_SIZE,
    EMPTY_FILE,
    MISSING_BATCH_CONTROL,
    MISSING_FILE_CONTROL,
    MISSING_FILE_HEADER,
    OUT_OF_PLACE,
    UNKNOWN_RECORD_TYPE,
    is_unbroken,
    iter_raw_records,
    length_problem,
    record_chunks,
)
from nacha_cs.ach.records import (
    BLOCKING_FACTOR,
    FILE_CONTROL,
    RECORD_LENGTH,
)
from nacha_cs.validate import scan
from nacha_cs.validate.catalogue import (
    FILE_BLOCK_COUNT,
    NO_BATCHES,
    NOT_BLOCKED,
)
from nacha_cs.validate.file import FileChecks
from nacha_cs.validate.state import (
    A_ENTRY_SEQ,
    A_SEQ,
    A_TYPE,
    E_ACCOUNT,
    E_AMOUNT,
    E_CODE,
    E_HEAD,
    E_INDICATOR,
    E_NAME,
    E_TRACE,
    TRACE_SEQUENCE,
    OpenEntry,
    Options,
    Report,
    Summary,
)

_PADDING_EARLY = "a padding line of nines comes before the file control"

__all__ = ["Options", "Report", "Summary", "Validator", "validate_path", "validate_stream"]


class Validator(FileChecks):
    """Feed records in order with :meth:`feed`, then call :meth:`finish`.

    Findings go to ``sink`` as they are found, so a caller can stream them.
    """

    # -- the record loop ---------------------------------------------------------------------
    def feed(self, number: int, line: str) -> None:
        """Check one record; a sound CCD entry or DED addenda takes the fast path."""
        self._records = number
        if self.options.pure:
            self._feed_slow(number, line)
            return
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
        order = record_kind(line)
        if order is None:
            self.emit(
                UNKNOWN_RECORD_TYPE,
                f"record type {kind!r} is not one of 1, 5, 6, 7, 8, 9",
                line=number,
                column=1,
                field="record_type",
            )
            return
        move = step(self._where(), order)
        verdict = move.verdict
        if verdict is Verdict.PADDING:
            return
        if verdict is Verdict.AFTER_END:
            self.emit(AFTER_FILE_CONTROL, move.what, line=number, column=1, field="record_type")
            return
        if verdict is Verdict.OUT_OF_PLACE and not (
            # lenient: the only file header, late (FILE008 said so), between batches
            order == "1" and not self._header_seen and self._batch is None
        ):
            message = _PADDING_EARLY if order == PADDING else move.what
            self.emit(OUT_OF_PLACE, message, line=number, column=1, field="record_type")
            return
        # In order, or a batch header / file control that ends an unclosed batch (said there).
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
        else:
            self._file_control(number, line)

    def _where(self) -> Place:
        """The place in :data:`~nacha_cs.ach.order.ORDER`, read off the running state (the fast
        paths only ever leave it at ENTRY, so they need not keep it)."""
        if self._control_line is not None:
            return Place.END
        if self._entry is not None:
            return Place.ENTRY
        if self._batch is not None:
            return Place.BATCH
        if self._header_seen or self._batch_count:
            return Place.FILE
        return Place.START

    def _entry_fast(self, number: int, line: str) -> bool:
        """Take a CCD entry that passes every check at once; return False to go the long way.

        Nothing is counted before the decision, so the long way starts from a clean slate.
        """
        batch = self._batch
        if batch is None or batch.slow:
            return False
        head = batch.heads.get(line[E_HEAD])
        if head is None:
            head = self._learn_head(batch, line[E_HEAD])
            if head is None:
                return False
        credit, zero_code, rdfi_value = head
        amount_text = line[E_AMOUNT]
        trace = line[E_TRACE]
        indicator = line[E_INDICATOR]
        if not (amount_text + trace).isdigit() or indicator not in "01":
            return False
        amount = int(amount_text)
        if (
            (amount == 0) is not zero_code
            or amount > batch.limit
            or trace <= batch.last_trace
            or not trace.startswith(batch.odfi)
            or line[E_ACCOUNT].isspace()
            or line[E_NAME].isspace()
        ):
            return False
        previous = self._entry
        if previous is not None and not (
            # a CCD+ entry closed by its one addenda needs no closing checks
            previous.addenda == 1
            and previous.indicator == "1"
            and previous.sec == "CCD"
            and not previous.unchecked
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
        self._entry = OpenEntry(number, batch.sec, line[E_CODE], amount, trace, indicator, 0)
        return True

    def _addenda_fast(self, number: int, line: str) -> bool:
        entry = self._entry
        if (
            entry is None
            or line[A_TYPE] != "05"
            or entry.sec != "CCD"
            or entry.addenda
            or line[A_SEQ] != "0001"
            or line[A_ENTRY_SEQ] != entry.trace[TRACE_SEQUENCE]
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
            blocks = -(-self._records // BLOCKING_FACTOR)
            if self._records % BLOCKING_FACTOR:
                self.emit(
                    NOT_BLOCKED,
                    f"the file holds {self._records} records, not a multiple of {BLOCKING_FACTOR}",
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
    options = options or Options()
    if options.pure:
        return _validate_pure(stream, options, path)
    # A stream we can read twice need not keep a million traces for the duplicate check.
    validator = Validator(options, keep_traces=origin is None)
    first = stream.read(CHUNK_SIZE)
    if scan.wanted(options) and not is_unbroken(first):
        number = scan.feed_scanned(validator, first, stream)
    else:
        number = _feed_chunks(validator, record_chunks(first, stream))
    validator._records = number
    summary = validator.finish()
    if origin is not None and validator.traces_may_repeat():
        stream.seek(origin)
        validator.check_duplicate_traces(iter_raw_records(stream))
    return Report(path, validator.findings, summary)


def _feed_chunks(validator: Validator, chunks: Iterable[list[str]]) -> int:
    """The Python fast loop over decoded chunks; returns the number of records."""
    # The loop below is feed() unrolled: the hottest Python code in the project.
    entry_fast = validator._entry_fast
    addenda_fast = validator._addenda_fast
    slow = validator._feed_slow
    number = 0
    for lines in chunks:
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
    return number


def _validate_pure(stream: BinaryIO, options: Options, path: str) -> Report:
    """Every record down the slow path, traces kept: what the fast loop must agree with."""
    validator = Validator(options)
    for number, line in iter_raw_records(stream):
        validator.feed(number, line)
    return Report(path, validator.findings, validator.finish())


def validate_path(path: str | os.PathLike[str], options: Options | None = None) -> Report:
    """Raises OSError when the path cannot be read; everything else is a finding."""
    with open(path, "rb") as stream:
        return validate_stream(stream, options, os.fspath(path))
