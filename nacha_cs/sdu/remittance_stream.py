"""Remittance rows from a stream, one closed batch at a time, without the file's model.

:func:`nacha_cs.sdu.remittance.remittances` needs :func:`~nacha_cs.ach.reader.read_file`'s
whole model: for a million entries, gigabytes. This reader follows the same record order rules
(the reader's :class:`~nacha_cs.ach.reader.Assembler`, so the same batches count and the same
records belong to them) but keeps only the open batch's entry and addenda lines, and reads from
a 94-character record just the values a row needs (trace, amount, payment related
information) by slicing, where the model would parse every field. Rows are the same, in the
same order: the tests hold it to the model on every fixture.

``describe`` and ``remittance`` can stream from :class:`BatchStream`; whether the file would
have had a model at all (:attr:`BatchStream.readable`) is known once it is exhausted, so a
command that must refuse an unreadable file spools its output until then.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from nacha_cs.ach.order import Place
from nacha_cs.ach.reader import Assembler, iter_record_chunks
from nacha_cs.ach.records import (
    ADDENDA,
    RECORD_LENGTH,
    BatchControl,
    BatchHeader,
    entry_layout,
    is_digits,
)
from nacha_cs.sdu.remittance import RemittanceRow, unit_remittances

_TRACE = entry_layout("CCD").slice("trace_number")
_AMOUNT = entry_layout("CCD").slice("amount")
_INFO = ADDENDA.slice("payment_related_information")
assert entry_layout("CTX").slice("trace_number") == _TRACE
assert entry_layout("CTX").slice("amount") == _AMOUNT

_UNIT_KINDS = ("6", "7")
_Unit = tuple[int, str, list[str]]
"""An entry's record number, its line and its addenda lines."""


class _Batches(Assembler):
    """The reader's record-order rules, keeping lines instead of parsed records."""

    def __init__(self) -> None:
        super().__init__()
        self.units: list[_Unit] = []
        self.closed: list[tuple[BatchHeader, list[_Unit]]] = []

    def start_batch(self, header: BatchHeader, number: int) -> None:
        super().start_batch(header, number)
        self.units = []

    def entry(self, number: int, line: str) -> None:
        self.units.append((number, line, []))

    def addenda(self, number: int, line: str) -> None:
        self.units[-1][2].append(line)

    def close_batch(self, control: BatchControl) -> None:
        assert self.batch_header is not None
        self.closed.append((self.batch_header, self.units))
        self.batch_header, self.units = None, []

    def close_batch_without_control(self, number: int) -> None:
        super().close_batch_without_control(number)
        self.units = []


def _entry_values(layout_sec: str, number: int, line: str) -> tuple[str, int | None]:
    """(trace, amount) as the entry's layout parses them."""
    if len(line) != RECORD_LENGTH:
        entry, _ = entry_layout(layout_sec).parse(line, number)
        return entry.trace_number, entry.amount
    trace = line[_TRACE]
    amount = line[_AMOUNT]
    return (trace if trace.strip(" ") else ""), (int(amount) if is_digits(amount) else None)


def _info(line: str) -> str:
    """Payment related information as the addenda layout parses it (trailing fill dropped)."""
    if len(line) != RECORD_LENGTH:
        addenda, _ = ADDENDA.parse(line, 0)
        return addenda.payment_related_information
    return line[_INFO].rstrip(" ")


class BatchStream:
    """Iterate for ``(position, batch header, rows)`` of each closed batch, in file order."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._batches = _Batches()
        self.readable: bool | None = None
        """None until exhausted; then whether ``read_file`` would have given a model."""

    def __iter__(self) -> Iterator[tuple[int, BatchHeader, list[RemittanceRow]]]:
        batches = self._batches
        feed = batches.feed
        closed = batches.closed
        position = 0
        number = 0
        for lines in iter_record_chunks(self._stream):
            for line in lines:
                number += 1
                # An entry or addenda of full length where the order takes it: what feed()
                # would do, without its general checks (the rows need no reading problems).
                kind = line[:1]
                if kind in _UNIT_KINDS and len(line) == RECORD_LENGTH and batches.seen_any:
                    place = batches.place
                    if kind == "6" and (place is Place.ENTRY or place is Place.BATCH):
                        batches.last_number = number
                        batches.place = Place.ENTRY
                        batches.units.append((number, line, []))
                        continue
                    if kind == "7" and place is Place.ENTRY:
                        batches.last_number = number
                        batches.units[-1][2].append(line)
                        continue
                feed(number, line)
                if closed:
                    for header, units in closed:
                        position += 1
                        yield position, header, _rows(position, header, units)
                    closed.clear()
        model, _ = batches.finish()
        self.readable = model is not None


def _rows(position: int, header: BatchHeader, units: list[_Unit]) -> list[RemittanceRow]:
    sec = header.standard_entry_class_code
    ctx = sec == "CTX"
    rows: list[RemittanceRow] = []
    for number, line, addenda in units:
        if not addenda:
            continue
        trace, amount = _entry_values(sec, number, line)
        rows.extend(unit_remittances(position, trace, amount, ctx, [_info(a) for a in addenda]))
    return rows
