"""File checks: characters, the file header, the file control, and traces across batches."""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable

from nacha_cs.ach.records import (
    CCD_ENTRY,
    FILE_CONTROL,
    FILE_HEADER,
    HASH_MODULUS,
    is_digits,
)
from nacha_cs.ach.routing import is_valid_routing
from nacha_cs.validate.batch import BatchChecks
from nacha_cs.validate.catalogue import (
    BAD_CREATION_DATE,
    BAD_CREATION_TIME,
    BAD_DESTINATION,
    BAD_FILE_ID_MODIFIER,
    BAD_ORIGIN,
    CONTROL_CHARACTER,
    FILE_BATCH_COUNT,
    FILE_COUNT_MISMATCH,
    FILE_CREDIT_MISMATCH,
    FILE_DEBIT_MISMATCH,
    FILE_HASH_MISMATCH,
    NON_ASCII,
    TRACE_DUPLICATE,
)
from nacha_cs.validate.state import (
    E_TRACE,
    yymmdd,
)

_MODIFIERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_ADV_FILE_CONTROL_FIELDS = frozenset({"total_debit_amount", "total_credit_amount", "reserved"})
_DESTINATION = FILE_HEADER.slice("immediate_destination")
_ORIGIN = FILE_HEADER.slice("immediate_origin")
_MODIFIER = FILE_HEADER.slice("file_id_modifier")


class FileChecks(BatchChecks):
    """Whole-file rules: the header and control records and what spans batches."""

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

    def _file_header(self, number: int, line: str) -> None:
        self._header_seen = True
        record, problems = FILE_HEADER.parse(line, number)
        for problem in problems:
            self.add(problem)
        destination = line[_DESTINATION]
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
        origin = line[_ORIGIN]
        if not origin.strip():
            pass  # FLD002 already said so
        elif origin[0] == " " and not (is_digits(origin[1:]) and len(origin[1:]) == 9):
            self._field(
                BAD_ORIGIN,
                FILE_HEADER,
                "immediate_origin",
                f"immediate origin {origin!r} starts with a blank but is not a 9-digit number",
                number,
            )
        date = record.file_creation_date
        if date and is_digits(date) and yymmdd(date) is None:
            self._field(
                BAD_CREATION_DATE,
                FILE_HEADER,
                "file_creation_date",
                f"file creation date {date} is not a real date",
                number,
            )
        self._creation_date = date
        time = record.file_creation_time
        if time and is_digits(time) and (int(time[:2]) > 23 or int(time[2:]) > 59):
            self._field(
                BAD_CREATION_TIME,
                FILE_HEADER,
                "file_creation_time",
                f"file creation time {time} is not a real time",
                number,
            )
        modifier = line[_MODIFIER]
        if modifier not in _MODIFIERS:
            self._field(
                BAD_FILE_ID_MODIFIER,
                FILE_HEADER,
                "file_id_modifier",
                f"file ID modifier {modifier!r} is not an uppercase letter A-Z or a digit 0-9"
                + (" (lowercase is rejected)" if modifier.upper() in _MODIFIERS else ""),
                number,
            )

    def _file_control(self, number: int, line: str) -> None:
        self._end_open_batch(number)
        self._control_line = number
        record, problems = FILE_CONTROL.parse(line, number)
        for problem in problems:
            # ADV file controls hold 20-digit totals over columns 32-71: not read here
            if not (self._declared_foreign and problem.field in _ADV_FILE_CONTROL_FIELDS):
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

    def traces_may_repeat(self) -> bool:
        """Traces ascend inside a batch, so two can be equal only where batch ranges overlap."""
        ranges = sorted(self._trace_ranges)
        return any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(ranges))

    def check_duplicate_traces(self, records: Iterable[tuple[int, str]]) -> None:
        """A second look at the entries' traces, for a validator that did not keep them.

        It keeps what the first pass would have kept: traces of entries inside a batch that
        follow the batch's previous trace (one that does not is ED007's, not a repeat across
        batches).
        """
        traces, lines = array("q"), array("I")
        in_batch, last = False, ""
        for number, line in records:
            kind = line[:1]
            if kind == "5":
                in_batch, last = True, ""
            elif kind == "8":
                in_batch = False
            elif kind == "6" and in_batch:
                trace = line[E_TRACE]
                if not (last and trace <= last) and is_digits(trace):
                    traces.append(int(trace))
                    lines.append(number)
                last = trace
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
