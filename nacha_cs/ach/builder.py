"""Payments in, records out: every count, hash, total, trace and sequence number is computed here.

A user describes a file with :class:`FileSpec`, :class:`BatchSpec` and :class:`EntrySpec`; the
builder derives batch numbers, trace numbers (ODFI + a sequence unique in the file), addenda
indicators and sequence numbers, the CTX addenda count, batch and file controls and the block
count. :func:`iter_records` streams, so a million-entry file never sits in memory as objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from nacha_cs.ach.model import AchFile, Batch, is_credit, is_debit
from nacha_cs.ach.order import Place, Verdict, step
from nacha_cs.ach.records import ADDENDA as ADDENDA_LAYOUT
from nacha_cs.ach.records import BATCH_CONTROL as BATCH_CONTROL_LAYOUT
from nacha_cs.ach.records import (
    BLOCKING_FACTOR,
    HASH_MODULUS,
    MAX_ADDENDA,
    MAX_BATCH_RECORDS,
    MAX_SEQUENCE,
    PAYMENT_INFO_WIDTH,
    RECORD_LENGTH,
    Addenda,
    BatchControl,
    BatchHeader,
    CcdEntry,
    CtxEntry,
    Entry,
    FileControl,
    FileHeader,
    Record,
    is_digits,
)
from nacha_cs.ach.routing import is_valid_routing

MAX_CTX_ADDENDA = MAX_ADDENDA
ENTRY_HASH_MODULUS = HASH_MODULUS


ODFI_WIDTH = BATCH_CONTROL_LAYOUT.width("originating_dfi_identification")
"""8: a routing number without its check digit, as batch headers and traces hold it."""
SEQUENCE_WIDTH = ADDENDA_LAYOUT.width("entry_detail_sequence_number")


class BuildError(ValueError):
    """The payments given cannot make a valid file; the message says which and why."""


@attrs.frozen(slots=True)
class EntrySpec:
    """One payment: what a user knows, nothing derived."""

    transaction_code: str
    rdfi_routing: str
    account: str
    amount: int
    receiver_name: str
    identification: str = ""
    addenda: tuple[str, ...] = ()
    discretionary: str = ""


@attrs.frozen(slots=True)
class BatchSpec:
    company_name: str
    company_identification: str
    entry_description: str
    effective_entry_date: dt.date
    odfi_routing: str
    entries: Iterable[EntrySpec]
    sec_code: str = "CCD"
    company_discretionary_data: str = ""
    company_descriptive_date: str = ""
    service_class_code: str | None = None


@attrs.frozen(slots=True)
class FileSpec:
    immediate_destination: str
    immediate_origin: str
    created: dt.datetime
    immediate_destination_name: str = ""
    immediate_origin_name: str = ""
    file_id_modifier: str = "A"
    reference_code: str = ""


def _an(text: str) -> str:
    """Alphanumeric text as the model holds it: trailing blanks are padding, not data.

    The reader strips them, so the builder does too; otherwise a built model would differ from
    the same file read back.
    """
    return text.rstrip(" ")


def routing_field(number: str) -> str:
    """A routing number as the file header holds it: a blank, then nine digits."""
    return number if len(number) == 10 else f" {number}"


def service_class_for(transaction_codes: Iterable[str]) -> str:
    """220 credits only, 225 debits only, 200 mixed (or empty)."""
    codes = set(transaction_codes)
    if codes and all(is_credit(c) for c in codes):
        return "220"
    if codes and all(is_debit(c) for c in codes):
        return "225"
    return "200"


def file_header(spec: FileSpec) -> FileHeader:
    return FileHeader(
        immediate_destination=routing_field(spec.immediate_destination),
        immediate_origin=_an(routing_field(spec.immediate_origin)),
        file_creation_date=spec.created.strftime("%y%m%d"),
        file_creation_time=spec.created.strftime("%H%M"),
        file_id_modifier=spec.file_id_modifier,
        immediate_destination_name=_an(spec.immediate_destination_name),
        immediate_origin_name=_an(spec.immediate_origin_name),
        reference_code=_an(spec.reference_code),
    )


def _odfi_identification(routing: str) -> str:
    if len(routing) == 9:
        if not is_valid_routing(routing):
            raise BuildError(f"ODFI routing number {routing} fails the ABA check digit")
        return routing[:ODFI_WIDTH]
    if len(routing) == ODFI_WIDTH and is_digits(routing):
        return routing
    raise BuildError(f"ODFI routing must be 8 or 9 digits, got {routing!r}")


class _Counter:
    """File-wide running numbers, so trace numbers stay unique across batches."""

    def __init__(self) -> None:
        self.trace_sequence = 0
        self.batch_number = 0


def _entry(spec: EntrySpec, sec_code: str, odfi: str, counter: _Counter, where: str) -> Entry:
    if not is_valid_routing(spec.rdfi_routing):
        raise BuildError(f"{where}: RDFI routing {spec.rdfi_routing!r} is not a valid ABA number")
    if spec.amount < 0:
        raise BuildError(f"{where}: amount {spec.amount} is negative; use a debit code instead")
    if sec_code == "CTX" and len(spec.addenda) > MAX_CTX_ADDENDA:
        raise BuildError(
            f"{where}: {len(spec.addenda)} addenda, a CTX entry carries at most {MAX_CTX_ADDENDA}"
        )
    if sec_code != "CTX" and len(spec.addenda) > 1:
        raise BuildError(f"{where}: a {sec_code} entry carries at most one addenda")
    counter.trace_sequence += 1
    if counter.trace_sequence > MAX_SEQUENCE:
        raise BuildError(f"more than {MAX_SEQUENCE:,} entries in one file")
    sequence = counter.trace_sequence
    addenda = []
    for number, text in enumerate(spec.addenda, start=1):
        if len(text) > PAYMENT_INFO_WIDTH:
            raise BuildError(
                f"{where}: addenda {number} is {len(text)} characters, "
                f"{len(text) - PAYMENT_INFO_WIDTH} more than the {PAYMENT_INFO_WIDTH} that fit"
            )
        addenda.append(
            Addenda(
                payment_related_information=_an(text),
                addenda_sequence_number=number,
                entry_detail_sequence_number=sequence,
            )
        )
    common: dict[str, Any] = {
        "transaction_code": spec.transaction_code,
        "receiving_dfi_identification": spec.rdfi_routing[:ODFI_WIDTH],
        "check_digit": spec.rdfi_routing[ODFI_WIDTH],
        "dfi_account_number": _an(spec.account),
        "amount": spec.amount,
        "identification_number": _an(spec.identification),
        "receiving_company_name": _an(spec.receiver_name),
        "discretionary_data": _an(spec.discretionary),
        "addenda_record_indicator": "1" if addenda else "0",
        "trace_number": f"{odfi}{sequence:0{SEQUENCE_WIDTH}d}",
        "addenda": addenda,
    }
    if sec_code == "CTX":
        return CtxEntry(number_of_addenda_records=len(addenda), **common)
    return CcdEntry(**common)


@attrs.define(slots=True)
class _Totals:
    entry_addenda_count: int = 0
    entry_hash: int = 0
    total_debit_amount: int = 0
    total_credit_amount: int = 0

    def add_entry(self, entry: Entry) -> None:
        self.entry_addenda_count += 1 + len(entry.addenda)
        self.entry_hash += int(entry.receiving_dfi_identification)
        if is_debit(entry.transaction_code):
            self.total_debit_amount += entry.amount
        else:
            self.total_credit_amount += entry.amount

    def add(self, other: _Totals) -> None:
        self.entry_addenda_count += other.entry_addenda_count
        self.entry_hash += other.entry_hash
        self.total_debit_amount += other.total_debit_amount
        self.total_credit_amount += other.total_credit_amount


class FileBuilder:
    """The bookkeeping of :func:`iter_records` as an object, for callers that push entries.

    Batch numbers, trace and addenda sequence numbers, entry/addenda counts, entry hashes,
    totals and the block count live here and nowhere else. Call :meth:`file_header`, then per
    batch :meth:`start_batch`, :meth:`batch_header`, :meth:`entry` (or :meth:`add_prepared`)
    for each entry and :meth:`batch_control`, and finally :meth:`file_control`.
    """

    def __init__(self, file_spec: FileSpec) -> None:
        self.file_spec = file_spec
        self._counter = _Counter()
        self._file_totals = _Totals()
        self._record_count = 2  # file header and file control
        self._batch: BatchSpec | None = None
        self._odfi = ""
        self._service_class = ""
        self._totals = _Totals()
        self._index = 0
        self._place = Place.START

    def _move(self, kind: str) -> None:
        """Follow the record order every reader checks; a call out of order is a caller's bug."""
        move = step(self._place, kind)
        if move.verdict is not Verdict.IN_ORDER:
            raise RuntimeError(f"{move.what} cannot come now ({move.verdict.value})")
        self._place = move.place

    def file_header(self) -> FileHeader:
        self._move("1")
        return file_header(self.file_spec)

    def start_batch(self, batch_spec: BatchSpec) -> None:
        """Number the next batch and check its ODFI; its header comes from :meth:`batch_header`."""
        self._move("5")
        counter = self._counter
        counter.batch_number += 1
        if counter.batch_number > MAX_SEQUENCE:
            raise BuildError(f"more than {MAX_SEQUENCE:,} batches in one file")
        self._odfi = _odfi_identification(batch_spec.odfi_routing)
        self._batch = batch_spec
        self._totals = _Totals()
        self._index = 0

    def batch_header(self, service_class: str) -> BatchHeader:
        batch_spec = self._open()
        self._service_class = service_class
        return BatchHeader(
            service_class_code=service_class,
            company_name=_an(batch_spec.company_name),
            company_discretionary_data=_an(batch_spec.company_discretionary_data),
            company_identification=_an(batch_spec.company_identification),
            standard_entry_class_code=batch_spec.sec_code,
            company_entry_description=_an(batch_spec.entry_description),
            company_descriptive_date=_an(batch_spec.company_descriptive_date),
            effective_entry_date=batch_spec.effective_entry_date.strftime("%y%m%d"),
            originating_dfi_identification=self._odfi,
            batch_number=self._counter.batch_number,
        )

    def entry(self, spec: EntrySpec) -> Entry:
        """The next entry of the open batch, its addenda numbered and its trace assigned."""
        self._move("6")
        batch_spec = self._open()
        self._index += 1
        where = f"batch {self._counter.batch_number}, entry {self._index}"
        entry = _entry(spec, batch_spec.sec_code, self._odfi, self._counter, where)
        self._totals.add_entry(entry)
        return entry

    def add_prepared(self, rdfi: int, amount: int, debit: bool, addenda: int) -> int:
        """Count an entry the caller renders itself, from a template of one :meth:`entry` built
        for the same receiver; returns its sequence number (the trace's last 7 digits, and
        the addenda's entry detail sequence number). ``rdfi`` is the routing's first 8 digits.
        """
        if self._place is not Place.ENTRY:  # an entry after an entry is always in order
            self._move("6")
        counter = self._counter
        counter.trace_sequence += 1
        if counter.trace_sequence > MAX_SEQUENCE:
            raise BuildError(f"more than {MAX_SEQUENCE:,} entries in one file")
        self._index += 1
        totals = self._totals
        totals.entry_addenda_count += 1 + addenda
        totals.entry_hash += rdfi
        if debit:
            totals.total_debit_amount += amount
        else:
            totals.total_credit_amount += amount
        return counter.trace_sequence

    def add_prepared_many(
        self, entries: int, addenda: int, entry_hash: int, credit: int, debit: int
    ) -> None:
        """Count ``entries`` entries (with ``addenda`` addenda in all) a compiled caller
        rendered itself after one :meth:`entry` of the open batch, traces following on from
        :attr:`trace_sequence`: what as many :meth:`add_prepared` calls would count."""
        if not entries:
            return
        if self._place is not Place.ENTRY:
            raise RuntimeError("prepared entries follow an entry of the open batch")
        counter = self._counter
        if counter.trace_sequence + entries > MAX_SEQUENCE:
            raise BuildError(f"more than {MAX_SEQUENCE:,} entries in one file")
        counter.trace_sequence += entries
        self._index += entries
        totals = self._totals
        totals.entry_addenda_count += entries + addenda
        totals.entry_hash += entry_hash
        totals.total_credit_amount += credit
        totals.total_debit_amount += debit

    @property
    def trace_sequence(self) -> int:
        """The last trace sequence number given (file-wide)."""
        return self._counter.trace_sequence

    @property
    def entry_open(self) -> bool:
        """The last record made was an entry of the open batch (prepared entries may follow)."""
        return self._place is Place.ENTRY

    @property
    def odfi(self) -> str:
        """The open batch's ODFI identification (8 digits): the first half of its traces."""
        return self._odfi

    @property
    def batch_records(self) -> int:
        """Entry and addenda records in the open batch so far."""
        return self._totals.entry_addenda_count

    def batch_control(self) -> BatchControl:
        batch_spec = self._open()
        totals = self._totals
        number = self._counter.batch_number
        if totals.entry_addenda_count == 0:
            raise BuildError(f"batch {number} has no entries")
        if totals.entry_addenda_count > MAX_BATCH_RECORDS:
            raise BuildError(
                f"batch {number} holds {totals.entry_addenda_count:,} entries and "
                f"addenda; a batch control counts at most {MAX_BATCH_RECORDS:,}: split the batch"
            )
        self._move("8")
        self._record_count += 2 + totals.entry_addenda_count
        self._file_totals.add(totals)
        self._batch = None
        return BatchControl(
            service_class_code=self._service_class,
            entry_addenda_count=totals.entry_addenda_count,
            entry_hash=totals.entry_hash % ENTRY_HASH_MODULUS,
            total_debit_amount=totals.total_debit_amount,
            total_credit_amount=totals.total_credit_amount,
            company_identification=_an(batch_spec.company_identification),
            originating_dfi_identification=self._odfi,
            batch_number=number,
        )

    def file_control(self) -> FileControl:
        if self._counter.batch_number == 0:
            raise BuildError("a file needs at least one batch")
        self._move("9")
        totals = self._file_totals
        return FileControl(
            batch_count=self._counter.batch_number,
            block_count=-(-self._record_count // BLOCKING_FACTOR),
            entry_addenda_count=totals.entry_addenda_count,
            entry_hash=totals.entry_hash % ENTRY_HASH_MODULUS,
            total_debit_amount=totals.total_debit_amount,
            total_credit_amount=totals.total_credit_amount,
        )

    def _open(self) -> BatchSpec:
        if self._batch is None:
            raise RuntimeError("no batch is open: call start_batch first")
        return self._batch


def iter_records(file_spec: FileSpec, batches: Iterable[BatchSpec]) -> Iterator[Record]:
    """The file's records in order; entries carry their addenda. Raises BuildError early."""
    builder = FileBuilder(file_spec)
    yield builder.file_header()
    for batch_spec in batches:
        builder.start_batch(batch_spec)
        entries: Iterable[EntrySpec] = batch_spec.entries
        service_class = batch_spec.service_class_code
        if service_class is None:
            if not isinstance(entries, Sequence):
                entries = list(entries)
            service_class = service_class_for(e.transaction_code for e in entries)
        yield builder.batch_header(service_class)
        for entry_spec in entries:
            yield builder.entry(entry_spec)
        yield builder.batch_control()
    yield builder.file_control()


def assemble(records: Iterable[Record]) -> AchFile:
    """Group a well-ordered record stream (as iter_records yields it) into the file model."""
    header: FileHeader | None = None
    batches: list[Batch] = []
    current: BatchHeader | None = None
    entries: list[Entry] = []
    for record in records:
        if isinstance(record, FileHeader):
            header = record
        elif isinstance(record, BatchHeader):
            current, entries = record, []
        elif isinstance(record, (CcdEntry, CtxEntry)):
            entries.append(record)
        elif isinstance(record, BatchControl):
            assert current is not None, "batch control without a batch header"
            batches.append(Batch(current, entries, record))
            current = None
        elif isinstance(record, FileControl):
            assert header is not None, "file control without a file header"
            return AchFile(header, batches, record)
    raise ValueError("record stream ended without a file control")


def build_file(file_spec: FileSpec, batches: Iterable[BatchSpec]) -> AchFile:
    return assemble(iter_records(file_spec, batches))


__all__ = [
    "RECORD_LENGTH",
    "BatchSpec",
    "BuildError",
    "EntrySpec",
    "FileBuilder",
    "FileSpec",
    "assemble",
    "build_file",
    "iter_records",
    "routing_field",
    "service_class_for",
]
