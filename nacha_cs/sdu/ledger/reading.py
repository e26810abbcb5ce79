"""Reading an ACH file into ledger rows as it streams: batches, entries, payments, returns.

This is the extraction half of ingest: it knows record layouts and the DED/820 codecs, not the
database. Every credit entry becomes at least one payment, so no money goes unrecorded: one per
DED (one CCD+ addenda, or each DED of a CTX's 820), or one without a case when no DED reads
(the ledger puts it in suspense). Returns (addenda 99) and notifications of change (98) become
return rows that name the original trace. Prenotes carry no money and make no payment.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import attrs

from nacha_cs.ach.reader import NO_SCAN_VARIABLE, PURE_VARIABLE, line_records
from nacha_cs.ach.records import ADDENDA, BATCH_HEADER, CCD_ENTRY, CTX_ENTRY, FILE_HEADER
from nacha_cs.codecs import ctx820
from nacha_cs.codecs import ded as ded_codec
from nacha_cs.codecs.ded import Ded
from nacha_cs.codecs.ded_fast import well_formed_reader
from nacha_cs.codecs.ded_table import ELEMENT_SEPARATOR, TERMINATOR
from nacha_cs.sdu.ledger.codes import DEBIT_CODES, PRENOTE_CODES, RETURN_KINDS, company_ein
from nacha_cs.sdu.remittance import READING

try:
    from nacha_cs.ach import _extract
except ImportError:  # not built: every record through FileReader.feed
    _extract = None  # type: ignore[assignment]

H_DEST = FILE_HEADER.slice("immediate_destination")
H_ORIGIN = FILE_HEADER.slice("immediate_origin")
H_DATE = FILE_HEADER.slice("file_creation_date")
H_TIME = FILE_HEADER.slice("file_creation_time")
H_MODIFIER = FILE_HEADER.slice("file_id_modifier")
B_NAME = BATCH_HEADER.slice("company_name")
B_ID = BATCH_HEADER.slice("company_identification")
B_SEC = BATCH_HEADER.slice("standard_entry_class_code")
B_DESCRIPTION = BATCH_HEADER.slice("company_entry_description")
B_EFFECTIVE = BATCH_HEADER.slice("effective_entry_date")
E_CODE = CCD_ENTRY.slice("transaction_code")
E_AMOUNT = CCD_ENTRY.slice("amount")
E_IDENT = CCD_ENTRY.slice("identification_number")
E_NAME = CCD_ENTRY.slice("receiving_company_name")
E_TRACE = CCD_ENTRY.slice("trace_number")
X_NAME = CTX_ENTRY.slice("receiving_company_name")
A_TYPE = ADDENDA.slice("addenda_type_code")
A_INFO = ADDENDA.slice("payment_related_information")
# Return (99) and notification-of-change (98) addenda: reason or change code, original trace,
# corrected data (NACHA Appendix Four layouts).
R_CODE = slice(3, 6)
R_TRACE = slice(6, 21)
R_CORRECTED = slice(35, 64)

_read_fast = well_formed_reader(allow_medical_w=True, start=A_INFO.start, end=A_INFO.stop)

Row = dict[str, Any]


def yymmdd(text: str) -> dt.date | None:
    """A YYMMDD date (as ACH headers write them), None when it is not one."""
    if len(text) != 6 or not text.isdigit():
        return None
    try:
        return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return None


def read_ded(text: str) -> Ded | None:
    """The DED of a CCD+ payment related information, read as leniently as a receiver may.

    A DED whose only fault is an amount of zero without DED09 = Y is still read (amount 0),
    so the ledger can say that, not "no DED", of it.
    """
    ded, findings = ded_codec.decode(text, policy=READING)
    if ded is not None:
        return ded
    errors = {f.code for f in findings if f.severity == "error"}
    if errors != {"DED017"}:
        return None
    segment = text.strip().removesuffix(TERMINATOR)
    parts = segment.split(ELEMENT_SEPARATOR)
    if len(parts) < 5:
        return None
    parts[4] = "1"
    ded, _ = ded_codec.decode(ELEMENT_SEPARATOR.join(parts) + TERMINATOR, policy=READING)
    return None if ded is None else attrs.evolve(ded, amount=0)


@attrs.define
class OpenBatch:
    position: int
    row: Row
    sec: str
    company_id: str
    company_ein: str
    entries: int = 0
    credit: int = 0
    debit: int = 0


@attrs.define
class OpenEntry:
    line: int
    text: str
    addenda: list[tuple[int, str]] = attrs.Factory(list)


DedFields = tuple[str, dt.date, int, str, str, str, str, bool]
"""A DED as plain values: case id, pay date, cents, SSN, medical, name, FIPS, terminated (the
order :func:`~nacha_cs.codecs.ded_fast.decode_well_formed` gives them in)."""

ReadPayment = tuple[int, int, int, int, str, "DedFields | None", int, str, str]
"""A payment as the file says it, before posting: file id, seq, batch position, entry line,
trace, the DED (None: no readable DED), amount, sender company id, sender EIN. A plain tuple:
a million of them are made per large file."""


def ded_fields(ded: Ded) -> DedFields:
    return (ded.case_id, ded.pay_date, ded.amount, ded.ssn, ded.medical, ded.name, ded.fips,
            ded.terminated)


@attrs.define
class Header:
    immediate_destination: str | None = None
    immediate_origin: str | None = None
    creation_date: dt.date | None = None
    creation_time: str | None = None
    file_id_modifier: str | None = None


ENTRY_COLUMNS = ("file_id", "line", "batch", "transaction_code", "amount", "trace",
                 "identification", "name", "addenda")


class FileReader:
    """Turns records into rows. ``batch`` receives a batch row (totals included) when the
    batch ends; ``entry`` an :data:`ENTRY_COLUMNS` tuple; ``payment`` a :class:`ReadPayment`;
    ``ret`` a return row."""

    def __init__(
        self,
        file_id: int,
        batch: Callable[[Row], None],
        entry: Callable[[tuple[Any, ...]], None],
        payment: Callable[[ReadPayment], None],
        ret: Callable[[Row], None],
    ) -> None:
        self.file_id = file_id
        self.header = Header()
        self._batch_sink = batch
        self._entry_sink = entry
        self._payment_sink = payment
        self._return_sink = ret
        self._batch: OpenBatch | None = None
        self._batches = 0
        self._entry: OpenEntry | None = None
        self._seq = 0
        self._ended = False

    def feed(self, number: int, line: str) -> None:
        kind = line[:1]
        if kind == "7":
            if self._entry is not None:
                self._entry.addenda.append((number, line))
            return
        if self._entry is not None:
            self._close_entry()
        if kind == "6":
            if self._batch is not None and len(line) >= 94:
                self._entry = OpenEntry(number, line)
        elif kind == "5":
            self._end_batch()
            self._start_batch(number, line)
        elif kind == "8":
            self._end_batch()
        elif kind == "1" and self.header.immediate_origin is None:
            self._file_header(line)
        elif kind == "9":
            self._end_batch()

    def finish(self) -> None:
        if self._entry is not None:
            self._close_entry()
        self._end_batch()

    @property
    def payments(self) -> int:
        return self._seq

    # -- records ------------------------------------------------------------------------------
    def _file_header(self, line: str) -> None:
        line = line.ljust(94)
        self.header = Header(
            line[H_DEST].strip() or None,
            line[H_ORIGIN].strip() or None,
            yymmdd(line[H_DATE]),
            line[H_TIME].strip() or None,
            line[H_MODIFIER].strip() or None,
        )

    def _start_batch(self, number: int, line: str) -> None:
        line = line.ljust(94)
        self._batches += 1
        company_id = line[B_ID].strip()
        sec = line[B_SEC].strip()
        row = {
            "file_id": self.file_id,
            "position": self._batches,
            "line": number,
            "sec": sec,
            "company_name": line[B_NAME].strip(),
            "company_id": company_id,
            "company_ein": company_ein(company_id),
            "entry_description": line[B_DESCRIPTION].strip(),
            "effective_date": yymmdd(line[B_EFFECTIVE]),
        }
        self._batch = OpenBatch(self._batches, row, sec, company_id, company_ein(company_id))

    def _end_batch(self) -> None:
        batch = self._batch
        if batch is not None:
            self._batch_sink(dict(batch.row, entries=batch.entries, total_credit=batch.credit,
                                  total_debit=batch.debit))
            self._batch = None

    def _close_entry(self) -> None:
        entry = self._entry
        batch = self._batch
        self._entry = None
        if entry is None or batch is None:
            return
        text = entry.text
        code = text[E_CODE]
        amount_text = text[E_AMOUNT]
        amount = int(amount_text) if amount_text.isascii() and amount_text.isdigit() else 0
        trace = text[E_TRACE].strip()
        ctx = batch.sec == "CTX"
        batch.entries += 1
        if code in DEBIT_CODES:
            batch.debit += amount
        else:
            batch.credit += amount
        self._entry_sink((self.file_id, entry.line, batch.position, code, amount, trace,
                          text[E_IDENT].strip(), (text[X_NAME] if ctx else text[E_NAME]).strip(),
                          len(entry.addenda)))
        if code in PRENOTE_CODES:
            return
        first_type = entry.addenda[0][1][A_TYPE] if entry.addenda else ""
        if first_type in RETURN_KINDS:
            self._return(entry, RETURN_KINDS[first_type], amount)
            return
        if code in DEBIT_CODES:
            return
        deds = self._ctx_deds(entry, amount) if ctx else self._ccd_deds(entry)
        if not deds:
            self._payment(entry, batch, trace, None, amount)
            return
        for ded in deds:
            self._payment(entry, batch, trace, ded, ded[2])

    def _ccd_deds(self, entry: OpenEntry) -> list[DedFields]:
        deds: list[DedFields] = []
        for _, line in entry.addenda:
            if line[A_TYPE] != "05":
                continue
            fast = _read_fast(line) if len(line) == 94 else None
            if fast is not None:
                deds.append(fast)
                continue
            ded = read_ded(line[A_INFO])
            if ded is not None:
                deds.append(ded_fields(ded))
        return deds

    def _ctx_deds(self, entry: OpenEntry, amount: int) -> list[DedFields]:
        fields = [(number, line[A_INFO]) for number, line in entry.addenda if line[A_TYPE] == "05"]
        if not fields:
            return []
        remittance, _ = ctx820.parse_820(fields, entry_amount=amount, policy=READING)
        if remittance is None:
            return []
        return [ded_fields(placed.ded) for placed in remittance.placed if placed.ded is not None]

    def _payment(self, entry: OpenEntry, batch: OpenBatch, trace: str, ded: DedFields | None,
                 amount: int) -> None:
        self._seq += 1
        self._payment_sink((self.file_id, self._seq, batch.position, entry.line, trace, ded,
                            amount, batch.company_id, batch.company_ein))

    def _return(self, entry: OpenEntry, kind: str, amount: int) -> None:
        line = entry.addenda[0][1].ljust(94)
        self._return_sink({
            "file_id": self.file_id,
            "entry_line": entry.line,
            "kind": kind,
            "code": line[R_CODE].strip(),
            "original_trace": line[R_TRACE].strip(),
            "amount": amount,
            "corrected_data": line[R_CORRECTED].strip() if kind == "noc" else None,
        })


def lane_available() -> bool:
    """Whether :class:`Lane` can run (the extractor built, and not switched off)."""
    return _extract is not None and not any(
        os.environ.get(variable) == "1" for variable in (PURE_VARIABLE, NO_SCAN_VARIABLE)
    )


_DEBIT, _PRENOTE = 1, 2
KINDS = bytes((_DEBIT if f"{code:02d}" in DEBIT_CODES else 0)
              | (_PRENOTE if f"{code:02d}" in PRENOTE_CODES else 0) for code in range(100))
"""Per transaction code 00-99, the bits the extractor reads (from the sets in codes.py)."""


class Lane:
    """A :class:`FileReader` and the compiled extractor taking turns over buffers of whole
    lines: in a batch that is not CTX, the extractor appends the rows of clean CCD+ units (an
    entry with no addenda or one DED) straight to ``entries`` and ``payments`` (the lists
    the reader's sinks append to), and moves the reader on; every other record goes to
    :meth:`FileReader.feed` as it would without the lane."""

    def __init__(self, reader: FileReader, entries: list[tuple[Any, ...]],
                 payments: list[ReadPayment]) -> None:
        assert _extract is not None
        self.reader = reader
        self.rows = _extract.LedgerRows(KINDS)
        self.entries = entries
        self.payments: list[Any] = payments
        self._batch: OpenBatch | None = None

    def run(self, buf: bytes, pos: int, end: int, number: int) -> int:
        """Read the lines of ``buf[pos:end]`` (records numbered after ``number``); return the
        number of the last record read."""
        reader = self.reader
        rows = self.rows
        feed = reader.feed
        while pos < end:
            batch = reader._batch
            if batch is not None and batch.sec != "CTX" and buf[pos] == 54:  # an entry: "6"
                if batch is not self._batch:
                    rows.batch(reader.file_id, batch.position, batch.company_id,
                               batch.company_ein)
                    self._batch = batch
                if reader._entry is not None:
                    reader._close_entry()  # as feeding this entry would, before anything
                moved = rows.extract(buf, pos, end, number, reader._seq, self.entries,
                                     self.payments)
                if moved != pos:
                    number += rows.records
                    reader._seq += rows.payments
                    batch.entries += rows.entries
                    batch.credit += rows.credit
                    batch.debit += rows.debit
                    pos = moved
                    if pos >= end:
                        break
            stop = buf.find(b"\n", pos, end)
            for record in line_records(buf[pos:stop]):
                number += 1
                feed(number, record)
            pos = stop + 1
        return number
