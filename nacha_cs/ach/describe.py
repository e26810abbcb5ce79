"""A file read as a stream of events (header, batch, entry, control), for the reading commands.

`describe` and `remittance` show a file top to bottom; building the whole model first cost
2.3 GiB on a million entries. :class:`EventReader` reads the records in the order
:func:`~nacha_cs.ach.reader.read_stream` does, reports the same reading problems, and hands each
entry on as an :class:`EntryView` once its last addenda has been read, so memory stays flat.

Most entry and addenda records are clean (every field as its table wants it); one regular
expression per layout, derived from the field table, proves that, and the fields are then cut
out by slicing. Any other record goes through :meth:`~nacha_cs.ach.records.Layout.parse`, which
says what is wrong with it: the fast way and the exact way give the same values.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from typing import BinaryIO, TypeVar

import attrs

from nacha_cs.ach import reader
from nacha_cs.ach.order import Place, Verdict
from nacha_cs.ach.records import (
    ADDENDA,
    BATCH_CONTROL,
    BATCH_HEADER,
    CCD_ENTRY,
    CTX_ENTRY,
    FILE_CONTROL,
    FILE_HEADER,
    RECORD_LENGTH,
    BatchControl,
    BatchHeader,
    Entry,
    FileControl,
    FileHeader,
    Layout,
    clean_pattern,
    clean_record,
    entry_layout,
)
from nacha_cs.findings import Finding

R = TypeVar("R")


@attrs.define(slots=True)
class EntryView:
    """An entry and the payment related information of its addenda, as written."""

    batch: int
    """Position of its batch in the file, from 1."""
    line: int
    sec: str
    """``CTX`` when the batch is CTX (the 820 layout), else ``CCD`` (the CCD layout)."""
    transaction_code: str
    rdfi: str
    """Receiving DFI identification and check digit: the 9-digit routing number as written."""
    account: str
    amount: int | None
    identification: str
    receiver: str
    trace: str
    addenda: list[str] = attrs.field(factory=list)
    """Payment related information (columns 4-83) of each addenda, trailing spaces cut."""


@attrs.frozen(slots=True)
class FileStart:
    header: FileHeader


@attrs.frozen(slots=True)
class BatchStart:
    position: int
    header: BatchHeader


@attrs.frozen(slots=True)
class BatchEnd:
    position: int
    control: BatchControl | None
    """None when the batch has no batch control (FILE005 says so)."""


@attrs.frozen(slots=True)
class FileEnd:
    control: FileControl


Event = FileStart | BatchStart | EntryView | BatchEnd | FileEnd


def _clean_reader(layout: Layout[R]) -> Callable[[str, int], tuple[R, list[Finding]]]:
    """``layout.parse`` with :func:`_clean_record`'s fast way first."""
    fast = clean_record(layout)
    parse = layout.parse

    def read(line: str, number: int) -> tuple[R, list[Finding]]:
        record = fast(line)
        return (record, []) if record is not None else parse(line, number)

    return read


_PARSE_FILE_HEADER = _clean_reader(FILE_HEADER)
_CLEAN_BATCH_HEADER = clean_record(BATCH_HEADER)
_CLEAN_BATCH_CONTROL = clean_record(BATCH_CONTROL)
_PARSE_BATCH_HEADER = _clean_reader(BATCH_HEADER)
_PARSE_BATCH_CONTROL = _clean_reader(BATCH_CONTROL)
_PARSE_FILE_CONTROL = _clean_reader(FILE_CONTROL)
_CLEAN_ADDENDA = clean_pattern(ADDENDA).fullmatch
_CLEAN_ENTRY = {
    "CCD": clean_pattern(CCD_ENTRY).fullmatch,
    "CTX": clean_pattern(CTX_ENTRY).fullmatch,
}
_INFO = ADDENDA.slice("payment_related_information")
_SLICES = {
    sec: tuple(
        layout.slice(name)
        for name in (
            "transaction_code",
            "receiving_dfi_identification",
            "dfi_account_number",
            "amount",
            "identification_number",
            "receiving_company_name",
            "trace_number",
        )
    )
    for sec, layout in (("CCD", CCD_ENTRY), ("CTX", CTX_ENTRY))
}


_IN_BATCH = (Place.BATCH, Place.ENTRY)


class EventReader:
    """Reads records one at a time and yields events as soon as they are whole.

    After the last record, :meth:`finish` gives the trailing events; :attr:`problems` holds the
    reading problems :func:`~nacha_cs.ach.reader.read_stream` reports, and :attr:`readable`
    says whether that function would have built a model (a file header and a file control).
    """

    def __init__(self) -> None:
        self.problems: list[Finding] = []
        self.header: FileHeader | None = None
        self.control: FileControl | None = None
        self.place = Place.START
        self.seen_any = False
        self.last_number = 0
        self.batch_header: BatchHeader | None = None
        self.batch_line = 0
        self.position = 0
        self.sec = "CCD"
        self.entry: EntryView | None = None
        self.entries = 0
        """Entries read so far (for a caller deciding how to show them)."""

    @property
    def readable(self) -> bool:
        return self.seen_any and self.header is not None and self.control is not None

    def feed(self, number: int, line: str) -> tuple[Event, ...]:
        """The events ``line`` completes (most records complete none or one)."""
        self.last_number = number
        kind = line[:1]
        entry = self.entry
        if kind == "7" and entry is not None and self.place is Place.ENTRY:
            if len(line) == RECORD_LENGTH and _CLEAN_ADDENDA(line):
                entry.addenda.append(line[_INFO].rstrip(" "))
                return ()
        elif kind == "6" and self.place in (Place.BATCH, Place.ENTRY):
            sec = self.sec
            if len(line) == RECORD_LENGTH and _CLEAN_ENTRY[sec](line):
                code, dfi, account, amount, ident, name, trace = _SLICES[sec]
                self.entry = EntryView(
                    self.position, number, sec, line[code], line[dfi.start : dfi.stop + 1],
                    line[account].rstrip(" "), int(line[amount]), line[ident].rstrip(" "),
                    line[name].rstrip(" "), line[trace],
                )  # fmt: skip
                self.entries += 1
                self.place = Place.ENTRY
                return () if entry is None else (entry,)
        elif kind == "8" and self.place in _IN_BATCH:
            # a clean batch control in place: what _exact does with it, without the order rules
            control = _CLEAN_BATCH_CONTROL(line)
            if control is not None:
                self.place = Place.FILE
                return tuple(self._end_batch(control))
        elif kind == "5" and self.place is Place.FILE:
            header = _CLEAN_BATCH_HEADER(line)
            if header is not None:
                self.place = Place.BATCH
                return (self._start_batch(number, header),)
        return tuple(self._exact(number, line))

    def _exact(self, number: int, line: str) -> Iterator[Event]:
        """The record the fast way could not prove clean: as :class:`reader.Assembler` reads
        it (same problems, same leniency)."""
        first = not self.seen_any
        self.seen_any = True
        admitted = reader.admit(self.place, number, line, first, self.problems)
        if admitted is None:
            return
        kind, move = admitted
        if move.verdict is Verdict.OUT_OF_PLACE:
            if kind == "1" and self.header is None:
                self.header, found = _PARSE_FILE_HEADER(line, number)
                self.problems.extend(found)
                self._out_of_place(number, "a file header after other records")
                yield FileStart(self.header)
                return
            self._out_of_place(number, move.what)
            return
        if move.verdict is Verdict.UNCLOSED_BATCH:
            yield from self._close_without_control(number)
        self.place = move.place
        if kind == "1":
            header, found = _PARSE_FILE_HEADER(line, number)
            self.problems.extend(found)
            if not first:
                self._out_of_place(number, "a file header after other records")
            self.header = header
            yield FileStart(header)
        elif kind == "5":
            batch_header, found = _PARSE_BATCH_HEADER(line, number)
            self.problems.extend(found)
            yield self._start_batch(number, batch_header)
        elif kind == "6":
            if self.entry is not None:
                yield self.entry
            parsed, found = (CTX_ENTRY if self.sec == "CTX" else CCD_ENTRY).parse(line, number)
            self.problems.extend(found)
            self.entry = view(parsed, self.position, number, self.sec)
            self.entries += 1
        elif kind == "7":
            assert self.entry is not None
            addenda, found = ADDENDA.parse(line, number)
            self.problems.extend(found)
            self.entry.addenda.append(addenda.payment_related_information)
        elif kind == "8":
            control, found = _PARSE_BATCH_CONTROL(line, number)
            self.problems.extend(found)
            yield from self._end_batch(control)
        else:
            file_control, found = _PARSE_FILE_CONTROL(line, number)
            self.problems.extend(found)
            self.control = file_control
            yield FileEnd(file_control)

    def _start_batch(self, number: int, header: BatchHeader) -> BatchStart:
        self.batch_header, self.batch_line = header, number
        self.position += 1
        self.sec = entry_layout(header.standard_entry_class_code).cls.sec_code
        return BatchStart(self.position, header)

    def _out_of_place(self, number: int, what: str) -> None:
        self.problems.append(
            reader.OUT_OF_PLACE.finding(
                f"{what} is out of place", line=number, column=1, field="record_type"
            )
        )

    def _end_batch(self, control: BatchControl | None) -> Iterator[Event]:
        if self.entry is not None:
            yield self.entry
            self.entry = None
        self.batch_header = None
        yield BatchEnd(self.position, control)

    def _close_without_control(self, number: int) -> Iterator[Event]:
        self.problems.append(
            reader.MISSING_BATCH_CONTROL.finding(
                f"the batch that starts at line {self.batch_line} ends at line {number} "
                "without a batch control",
                line=number,
            )
        )
        yield from self._end_batch(None)

    def finish(self) -> Iterator[Event]:
        """The events the end of the file completes; then :attr:`problems` is complete."""
        if not self.seen_any:
            self.problems.append(reader.EMPTY_FILE.finding())
            return
        if self.batch_header is not None:
            yield from self._close_without_control(self.last_number)
        if self.control is None:
            self.problems.append(reader.MISSING_FILE_CONTROL.finding())


def view(entry: Entry, batch: int, line: int, sec: str) -> EntryView:
    """An :class:`EntryView` of a parsed entry (its addenda included)."""
    return EntryView(
        batch,
        line,
        sec,
        entry.transaction_code,
        f"{entry.receiving_dfi_identification}{entry.check_digit}",
        entry.dfi_account_number,
        entry.amount,
        entry.identification_number,
        entry.receiving_company_name,
        entry.trace_number,
        [a.payment_related_information for a in entry.addenda],
    )


def events(
    stream: BinaryIO, into: EventReader | None = None, first: bytes | None = None
) -> Iterator[Event]:
    """Every event of the file in ``stream``; pass ``into`` to read its problems afterwards,
    and ``first`` when the first chunk has already been read from ``stream``.

    The loop repeats :meth:`EventReader.feed`'s fast way for addenda and for entries after
    the first of a batch inline (a call per record costs a fifth of the time on a large file);
    anything else goes through ``feed``.
    """
    state = into if into is not None else EventReader()
    number = 0
    feed = state.feed
    clean_addenda = _CLEAN_ADDENDA
    in_entry = Place.ENTRY
    info = _INFO
    chunks = reader.iter_record_chunks(stream) if first is None else reader.record_chunks(
        first, stream
    )
    for lines in chunks:
        for line in lines:
            number += 1
            entry = state.entry
            kind = line[:1]
            if kind == "7":
                if (
                    entry is not None
                    and state.place is in_entry
                    and len(line) == RECORD_LENGTH
                    and clean_addenda(line)
                ):
                    entry.addenda.append(line[info].rstrip(" "))
                    continue
            elif kind == "6" and entry is not None and state.place is in_entry:
                sec = state.sec
                if len(line) == RECORD_LENGTH and _CLEAN_ENTRY[sec](line):
                    code, dfi, account, amount, ident, name, trace = _SLICES[sec]
                    state.entry = EntryView(
                        state.position, number, sec, line[code], line[dfi.start : dfi.stop + 1],
                        line[account].rstrip(" "), int(line[amount]), line[ident].rstrip(" "),
                        line[name].rstrip(" "), line[trace],
                    )  # fmt: skip
                    state.entries += 1
                    yield entry
                    continue
            done = feed(number, line)
            if done:
                yield from done
    state.last_number = number
    yield from state.finish()


def yymmdd(text: str) -> dt.date | None:
    """The date a YYMMDD field holds (years 2000-2099), or None when it is no real date.

    >>> yymmdd("260228"), yymmdd("260231"), yymmdd("2602 8")
    (datetime.date(2026, 2, 28), None, None)
    """
    if len(text) != 6 or not text.isascii() or not text.isdigit():
        return None
    try:
        return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return None


@functools.lru_cache(maxsize=1024)
def shown_date(text: str) -> str:
    """A YYMMDD field for a reader: ISO when it is a real date, else as written and marked.

    An impossible date is never turned into a plausible-looking one (``2026-02-31``). Kept
    for the next call: every batch title of a large file shows one of a few dates.

    >>> shown_date("260228"), shown_date("260231"), shown_date("")
    ('2026-02-28', '260231 (not a date)', '-')
    """
    when = yymmdd(text)
    if when is not None:
        return when.isoformat()
    if not text.strip():
        return "-"
    return f"{text} (not a date)"
