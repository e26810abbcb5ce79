"""Read ACH files: a streaming record iterator, and a whole-file reader into the model.

Files arrive with LF, CRLF or no line breaks at all. Bytes are decoded as Latin-1 so that every
byte stays one character: a stray non-ASCII byte is then a located finding, not a decode crash.
Line numbers are 1-based record numbers.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import BinaryIO

from nacha_cs.ach.model import AchFile, Batch
from nacha_cs.ach.order import Place, Step, Verdict, record_kind, step
from nacha_cs.ach.records import (
    ADDENDA,
    BATCH_CONTROL,
    BATCH_HEADER,
    FILE_CONTROL,
    FILE_HEADER,
    RECORD_LENGTH,
    BatchControl,
    BatchHeader,
    Entry,
    FileControl,
    FileHeader,
    entry_layout,
)
from nacha_cs.findings import Finding, rule

CHUNK_SIZE = 1 << 20
PURE_VARIABLE = "NACHA_CS_PURE"
"""``=1``: everything in pure Python (the validator's Python loop, no compiled reader)."""
NO_SCAN_VARIABLE = "NACHA_CS_NO_SCAN"
"""``=1``: no compiled reader (the validator's scanner, describe's extractor); the Python fast
paths stay."""

EMPTY_FILE = rule(
    "FILE001",
    "error",
    "The file holds no records",
    "Send a file with a file header, batches and a file control.",
)
WRONG_LENGTH = rule(
    "FILE002",
    "error",
    "A record is not 94 characters long",
    "Every record is exactly 94 characters; pad alphanumeric fields with spaces, not by trimming.",
)
UNKNOWN_RECORD_TYPE = rule(
    "FILE003",
    "error",
    "A record starts with an unknown record type code",
    "Records start with 1, 5, 6, 7, 8 or 9.",
)
OUT_OF_PLACE = rule(
    "FILE004",
    "error",
    "A record is out of place",
    "Order: file header, then batches (header, entries with their addenda, control), then the "
    "file control and padding.",
)
MISSING_BATCH_CONTROL = rule(
    "FILE005",
    "error",
    "A batch has no batch control",
    "Close every batch with a batch control (record type 8) before the next batch or the "
    "file control.",
)
MISSING_FILE_CONTROL = rule(
    "FILE006",
    "error",
    "The file has no file control",
    "End the file with a file control record (type 9) and pad with lines of nines.",
)
AFTER_FILE_CONTROL = rule(
    "FILE007",
    "error",
    "Records follow the file control",
    "Only padding lines of nines may follow the file control.",
)
MISSING_FILE_HEADER = rule(
    "FILE008",
    "error",
    "The file does not start with a file header",
    "The first record is the file header (record type 1).",
)


def iter_record_chunks(stream: BinaryIO) -> Iterator[list[str]]:
    """Records without line terminators, a chunk's worth at a time (the fast way to stream).

    A file with no line breaks at all is cut into 94-character records; so is a single line
    whose length is a whole multiple of 94. Callers number the records 1, 2, 3... in order.
    """
    yield from record_chunks(stream.read(CHUNK_SIZE), stream)


def record_chunks(first: bytes, stream: BinaryIO) -> Iterator[list[str]]:
    """:func:`iter_record_chunks` once its first read is done (a caller that looked at the
    first chunk itself, to choose how to read the file, goes on here)."""
    if not first:
        return
    if is_unbroken(first):
        yield from _unbroken_chunks(first, stream)
        return
    carry = ""
    chunk = first
    while chunk:
        text = carry + chunk.decode("latin-1")
        lines = text.split("\n")
        carry = lines.pop()
        yield _normalise(lines, "\r" in text)
        chunk = stream.read(CHUNK_SIZE)
    if carry:
        tail = _normalise([carry], "\r" in carry)
        if tail != [""]:  # a bare CR after the last line break is not a record
            yield tail


def line_spans(first: bytes, stream: BinaryIO) -> Iterator[tuple[bytes, int, int]]:
    """Buffers of whole lines as ``(buffer, start, end)``, for the compiled readers.

    Each chunk is handed over where it lies: only the line cut by a chunk boundary is joined
    from its two pieces, so no chunk is copied. The last line gets the line break it lacks; a
    bare CR after the last line break is not a record. The file is not one unbroken line.
    """
    carry = b""
    chunk = first
    while chunk:
        if carry:
            cut = chunk.find(b"\n") + 1
            if not cut:  # a line longer than the chunk: keep joining
                carry += chunk
                chunk = stream.read(CHUNK_SIZE)
                continue
            line = carry + chunk[:cut]
            yield line, 0, len(line)
        else:
            cut = 0
        end = chunk.rfind(b"\n") + 1
        if end > cut:
            yield chunk, cut, end
        carry = chunk[max(end, cut) :]
        chunk = stream.read(CHUNK_SIZE)
    if carry and carry != b"\r":
        line = carry + b"\n"
        yield line, 0, len(line)


def _normalise(lines: list[str], has_cr: bool) -> list[str]:
    """Drop CR of CRLF; cut a line that is a run of whole records into records.

    Both questions are first asked of the whole chunk in C (is there a CR at all, is any line
    longer than a record), so an ordinary LF file pays nothing per line here.
    """
    out = lines
    if has_cr:
        out = [line[:-1] if line[-1:] == "\r" else line for line in lines]
    if (
        out
        and max(map(len, out)) > RECORD_LENGTH
        and any(len(line) > RECORD_LENGTH and len(line) % RECORD_LENGTH == 0 for line in out)
    ):
        out = [
            piece
            for line in out
            for piece in (
                [line[i : i + RECORD_LENGTH] for i in range(0, len(line), RECORD_LENGTH)]
                if len(line) > RECORD_LENGTH and len(line) % RECORD_LENGTH == 0
                else [line]
            )
        ]
    return out


def _unbroken_chunks(first: bytes, stream: BinaryIO) -> Iterator[list[str]]:
    carry = first.decode("latin-1")
    while True:
        usable = len(carry) - len(carry) % RECORD_LENGTH
        yield [carry[i : i + RECORD_LENGTH] for i in range(0, usable, RECORD_LENGTH)]
        carry = carry[usable:]
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            break
        carry += chunk.decode("latin-1")
    carry = carry.rstrip("\r\n")
    if carry:
        yield [carry]


def is_unbroken(first: bytes) -> bool:
    """Whether a file whose first chunk is ``first`` has no line breaks (cut into records by
    count): the test :func:`record_chunks` makes."""
    return b"\n" not in first and b"\r" not in first and len(first) > RECORD_LENGTH


def line_records(raw: bytes) -> list[str]:
    """The records one line (its line feed cut) holds, as :func:`record_chunks` makes them: the
    CR of CRLF dropped, a run of whole records cut into records (for compiled readers that
    hand single lines back)."""
    text = raw.decode("latin-1")
    if text[-1:] == "\r":
        text = text[:-1]
    size = len(text)
    if size > RECORD_LENGTH and size % RECORD_LENGTH == 0:
        return [text[i : i + RECORD_LENGTH] for i in range(0, size, RECORD_LENGTH)]
    return [text]


def iter_raw_records(stream: BinaryIO) -> Iterator[tuple[int, str]]:
    """(record number, text) pairs, numbered from 1."""
    number = 0
    for lines in iter_record_chunks(stream):
        for line in lines:
            number += 1
            yield number, line


def length_problem(number: int, line: str) -> Finding | None:
    if len(line) == RECORD_LENGTH:
        return None
    short = len(line) < RECORD_LENGTH
    return WRONG_LENGTH.finding(
        f"record is {len(line)} characters, {abs(len(line) - RECORD_LENGTH)} "
        f"{'short' if short else 'too many'}; every record is 94",
        line=number,
        column=min(len(line), RECORD_LENGTH) + 1 if short else RECORD_LENGTH + 1,
        end_column=RECORD_LENGTH if short else len(line),
        field="record",
    )


def admit(
    place: Place, number: int, line: str, first: bool, problems: list[Finding]
) -> tuple[str, Step] | None:
    """The reading rules every record meets before it is parsed, shared by the model reader and
    the streaming one: a first record that is not a file header, a wrong length, an unknown
    record type, padding, anything after the file control. Problems go to ``problems``; the
    record kind and its move come back when the record is to be read, None when it is dropped.
    """
    if first and not line.startswith(FILE_HEADER.record_type):
        problems.append(MISSING_FILE_HEADER.finding(line=number, column=1, field="record_type"))
    problem = length_problem(number, line)
    if problem:
        problems.append(problem)
    kind = record_kind(line)
    if kind is None:
        problems.append(
            UNKNOWN_RECORD_TYPE.finding(
                f"record type {line[:1]!r} is not one of 1, 5, 6, 7, 8, 9",
                line=number,
                column=1,
                field="record_type",
            )
        )
        return None
    move = step(place, kind)
    if move.verdict is Verdict.PADDING:
        return None
    if move.verdict is Verdict.AFTER_END:
        problems.append(
            AFTER_FILE_CONTROL.finding(move.what, line=number, column=1, field="record_type")
        )
        return None
    return kind, move


class Assembler:
    """A lenient reader of the record order (:data:`~nacha_cs.ach.order.ORDER`) that groups
    parsed records into the model."""

    def __init__(self) -> None:
        self.problems: list[Finding] = []
        self.header: FileHeader | None = None
        self.control: FileControl | None = None
        self.batches: list[Batch] = []
        self.batch_header: BatchHeader | None = None
        self.batch_line = 0
        self.entries: list[Entry] = []
        self.last_entry: Entry | None = None
        self.seen_any = False
        self.last_number = 0
        self.place = Place.START

    def out_of_place(self, number: int, what: str) -> None:
        self.problems.append(
            OUT_OF_PLACE.finding(
                f"{what} is out of place", line=number, column=1, field="record_type"
            )
        )

    def feed(self, number: int, line: str) -> None:
        self.last_number = number
        first = not self.seen_any
        self.seen_any = True
        admitted = admit(self.place, number, line, first, self.problems)
        if admitted is None:
            return
        kind, move = admitted
        if move.verdict is Verdict.OUT_OF_PLACE:
            if kind == "1" and self.header is None:
                # Lenient: the only file header, late (FILE008 said so), still heads the model.
                self.header, found = FILE_HEADER.parse(line, number)
                self.problems.extend(found)
                self.out_of_place(number, "a file header after other records")
                return
            self.out_of_place(number, move.what)
            return
        if move.verdict is Verdict.UNCLOSED_BATCH:
            self.close_batch_without_control(number)
        self.place = move.place
        if kind == "1":
            header, found = FILE_HEADER.parse(line, number)
            self.problems.extend(found)
            if not first:  # already reported as FILE008 at line 1; say where it is too
                self.out_of_place(number, "a file header after other records")
            self.header = header
        elif kind == "5":
            batch_header, found = BATCH_HEADER.parse(line, number)
            self.problems.extend(found)
            self.start_batch(batch_header, number)
        elif kind == "6":
            self.entry(number, line)
        elif kind == "7":
            self.addenda(number, line)
        elif kind == "8":
            control, found = BATCH_CONTROL.parse(line, number)
            self.problems.extend(found)
            self.close_batch(control)
        else:
            file_control, found = FILE_CONTROL.parse(line, number)
            self.problems.extend(found)
            self.control = file_control

    def start_batch(self, header: BatchHeader, number: int) -> None:
        self.batch_header, self.batch_line, self.entries = header, number, []
        self.last_entry = None

    def entry(self, number: int, line: str) -> None:
        """An entry in its place: parsed into the open batch (a streaming reader keeps less)."""
        assert self.batch_header is not None
        layout = entry_layout(self.batch_header.standard_entry_class_code)
        entry, found = layout.parse(line, number)
        self.problems.extend(found)
        self.entries.append(entry)
        self.last_entry = entry

    def addenda(self, number: int, line: str) -> None:
        assert self.last_entry is not None
        addenda, found = ADDENDA.parse(line, number)
        self.problems.extend(found)
        self.last_entry.addenda.append(addenda)

    def close_batch(self, control: BatchControl) -> None:
        assert self.batch_header is not None
        self.batches.append(Batch(self.batch_header, self.entries, control))
        self.batch_header, self.entries, self.last_entry = None, [], None

    def close_batch_without_control(self, number: int) -> None:
        self.problems.append(
            MISSING_BATCH_CONTROL.finding(
                f"the batch that starts at line {self.batch_line} ends at line {number} "
                "without a batch control",
                line=number,
            )
        )
        self.batch_header, self.entries, self.last_entry = None, [], None

    def finish(self) -> tuple[AchFile | None, list[Finding]]:
        if not self.seen_any:
            return None, [EMPTY_FILE.finding()]
        if self.batch_header is not None:
            self.close_batch_without_control(self.last_number)
        if self.control is None:
            self.problems.append(MISSING_FILE_CONTROL.finding())
        if self.header is None or self.control is None:
            return None, self.problems
        return AchFile(self.header, self.batches, self.control), self.problems


def read_stream(stream: BinaryIO) -> tuple[AchFile | None, list[Finding]]:
    """The whole file as a model plus every reading problem; the model is None when the
    structure is too broken to hold (no header, no file control, an unclosed batch)."""
    assembler = Assembler()
    for number, line in iter_raw_records(stream):
        assembler.feed(number, line)
    return assembler.finish()


def read_file(path: str | os.PathLike[str]) -> tuple[AchFile | None, list[Finding]]:
    with open(path, "rb") as stream:
        return read_stream(stream)


def _one_byte_per_character(text: str) -> bytes:
    """Latin-1 keeps columns where they are; text beyond it can only be UTF-8 bytes."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def read_text(text: str | bytes) -> tuple[AchFile | None, list[Finding]]:
    data = text if isinstance(text, bytes) else _one_byte_per_character(text)
    return read_stream(io.BytesIO(data))
