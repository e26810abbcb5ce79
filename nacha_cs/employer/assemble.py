"""Assembly, the second stage of the employer's pipeline: payments -> the file's lines.

Pure: the lines go to a sink a chunk at a time, nothing is written here. Counts, hashes,
totals and traces come from a :class:`~nacha_cs.ach.builder.FileBuilder`; record text from
the field tables in :mod:`nacha_cs.ach.records`.

Shape of the file:

* one batch per employer (a payroll agent's several employers each get their own), and per SEC
  code: SDUs configured for CCD+ get one entry per order with its DED addenda; SDUs configured
  for CTX get one entry per SDU carrying an X12 820 with every employee's DED;
* a terminated employee's orders travel with DED09 = ``Y``: as a live credit when the last pay
  still withheld something, else as a zero-dollar entry (transaction code 24 or 34);
* in prenote mode every employer and SDU pair gets one zero-dollar prenote (23 or 33);
* batches come in the order their employer and SEC code first appear; entries in input order;
  a batch past 999,999 entry and addenda records is split.

Speed. A CCD+ entry of an SDU already built once is rendered from that entry's
:meth:`~nacha_cs.ach.records.Layout.template` (only amount, identification and trace change)
with the DED from :func:`nacha_cs.codecs.ded.encode_field_values`; anything unusual goes the
checked way (:func:`nacha_cs.employer.ccdplus.ccd_entry` and the builder), which raises the
same errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import attrs

from nacha_cs.ach.builder import BatchSpec, BuildError, EntrySpec, FileBuilder, FileSpec
from nacha_cs.ach.model import is_debit
from nacha_cs.ach.records import (
    ADDENDA,
    BATCH_CONTROL,
    BATCH_HEADER,
    BLOCKING_FACTOR,
    CCD_ENTRY,
    FILE_CONTROL,
    FILE_HEADER,
    LAYOUTS,
    MAX_BATCH_RECORDS,
    PADDING_LINE,
    CcdEntry,
    Entry,
    FieldOverflowError,
)
from nacha_cs.codecs import ctx820
from nacha_cs.codecs.ded import DedError, encode_field_values
from nacha_cs.employer import ccdplus
from nacha_cs.employer.ccdplus import Sdu
from nacha_cs.employer.config import Config, Employer
from nacha_cs.employer.plan import Options, Payment, Sec


def support_payment(payment: Payment) -> ccdplus.ChildSupportPayment:
    """A planned payment as the entry makers take it; the employee id identifies the entry
    (cut to the 15 characters its field holds)."""
    row = payment.row
    return ccdplus.ChildSupportPayment(
        case_id=row.case_id,
        pay_date=row.pay_date,
        amount=payment.amount,
        ssn=row.ssn,
        last_name=row.last_name,
        first_name=row.first_name,
        medical="Y" if row.medical_coverage else "N",
        terminated=row.terminated,
        employee_id=row.employee_id[: ccdplus.IDENTIFICATION_WIDTH],
        name=payment.name,
    )


def ccd_entry(payment: Payment) -> EntrySpec:
    """A CCD+ entry: one order, one DED addenda; zero-dollar code for a termination notice.

    A payment the entry maker refuses fails the build with its payroll row number.
    """
    try:
        return ccdplus.ccd_entry(support_payment(payment), payment.sdu)
    except (DedError, ccdplus.PaymentError) as error:
        raise BuildError(f"payroll row {payment.row.row}: {error}") from error


def prenote_entry(sdu: Sdu) -> EntrySpec:
    """A zero-dollar prenote (23/33) that lets the SDU's bank confirm the account."""
    return ccdplus.prenote_entry(
        sdu, identification=sdu.receiver_id[: ccdplus.IDENTIFICATION_WIDTH]
    )


class _CtxMaker:
    """CTX entries for one SDU, each carrying an 820; interchange control numbers run on
    across the file so no two interchanges share one."""

    def __init__(self, config: Config, options: Options, effective_date: dt.date) -> None:
        self.config = config
        self.created = options.created or dt.datetime.combine(options.today, dt.time(0, 0))
        self.effective_date = effective_date
        self.control = 0

    def entries(
        self, employer: Employer, sdu: Sdu, payments: list[ccdplus.ChildSupportPayment]
    ) -> Iterator[EntrySpec]:
        """One entry per 820; payments past 9,999 addenda spill into further entries."""
        pending = payments
        while pending:
            try:
                entry = self._entry(employer, sdu, pending)
                taken = len(pending)
            except ctx820.TooManyAddenda as error:
                taken = max(error.fit, 1)
                entry = self._entry(employer, sdu, pending[:taken])
            yield entry
            pending = pending[taken:]

    def _entry(
        self, employer: Employer, sdu: Sdu, payments: list[ccdplus.ChildSupportPayment]
    ) -> EntrySpec:
        self.control += 1
        return ccdplus.ctx_entry(
            payments,
            sdu,
            payer=ctx820.BankParty(
                name=employer.company_name,
                routing=self.config.originator.odfi_routing,
                account=employer.account,
                account_type="DA" if employer.account_type == "checking" else "SG",
            ),
            company_id=employer.company_id,
            effective_date=self.effective_date,
            trace=f"{self.effective_date:%y%m%d}{employer.company_id}{self.control:09d}",
            envelope=ctx820.Envelope(
                sender_id=employer.company_id,
                receiver_id=sdu.receiver_id or sdu.state,
                control_number=self.control,
            ),
            created=self.created,
            identification=sdu.receiver_id[: ccdplus.IDENTIFICATION_WIDTH],
        )


def file_spec(config: Config, options: Options) -> FileSpec:
    origin = config.originator
    created = options.created or dt.datetime.combine(options.today, dt.time(0, 0))
    return FileSpec(
        immediate_destination=origin.immediate_destination,
        immediate_origin=origin.immediate_origin,
        created=created,
        immediate_destination_name=origin.immediate_destination_name,
        immediate_origin_name=origin.immediate_origin_name,
        file_id_modifier=origin.file_id_modifier,
        reference_code=origin.reference_code,
    )


def batch_spec(config: Config, employer: Employer, sec: Sec, effective_date: dt.date) -> BatchSpec:
    """The batch of one employer and SEC code (its entries are pushed, not listed here)."""
    return BatchSpec(
        company_name=employer.company_name,
        company_identification=employer.company_id,
        entry_description=config.entry_description,
        effective_entry_date=effective_date,
        odfi_routing=config.originator.odfi_routing,
        entries=(),
        sec_code=sec,
        company_discretionary_data=employer.discretionary_data,
        service_class_code="220",  # credits only: payments, notices and prenotes
    )


CHUNK_LINES = 8_192
"""Lines handed to the file and the validator at a time."""
BUILD_ERRORS = (BuildError, FieldOverflowError, DedError, ctx820.Ctx820Error, ccdplus.PaymentError)
"""What a payment the planner let through can still run into while its entry is made."""

_Template = tuple[str, str, int, bool]
"""A CCD+ entry and its addenda with amount, identification, trace and DED left open; the
RDFI's first 8 digits as a number (for the entry hash); whether the code is a debit."""
_ENTRY_OPEN = ("amount", "identification_number", "trace_number")
_ADDENDA_OPEN = ("payment_related_information", "entry_detail_sequence_number")


class Output:
    """The file's lines as they are made, handed to ``sink`` a chunk at a time.

    Counts, hashes, totals and traces come from a :class:`~nacha_cs.ach.builder.FileBuilder`;
    record text from the field tables in :mod:`nacha_cs.ach.records`. A batch that would pass
    :data:`MAX_BATCH_RECORDS` entry and addenda records is closed and a new one opened.
    """

    def __init__(
        self,
        config: Config,
        options: Options,
        effective_date: dt.date,
        sink: Callable[[list[str]], None],
    ) -> None:
        self.config = config
        self.effective_date = effective_date
        self.builder = FileBuilder(file_spec(config, options))
        self.ctx = _CtxMaker(config, options, effective_date)
        self.sink = sink
        self.lines: list[str] = []
        self.joined = 0
        """Lines beyond one per item of ``lines`` (a :meth:`prepared` run holds many)."""
        self.flushed = 0
        self.started = False
        self.batch: BatchSpec | None = None
        self.records = 0
        """Entry and addenda records in the open batch (to split it in time)."""
        self.templates: tuple[dict[str, _Template], dict[str, _Template]] = ({}, {})
        """Per SDU state: zero-dollar entries' templates, then live credits' (``[amount > 0]``)."""

    def open(self, employer: Employer, sec: Sec) -> None:
        self._open(batch_spec(self.config, employer, sec, self.effective_date))

    def _open(self, spec: BatchSpec) -> None:
        builder = self.builder
        if not self.started:
            self.started = True
            self.lines.append(FILE_HEADER.format(builder.file_header()))
        builder.start_batch(spec)
        self.lines.append(BATCH_HEADER.format(builder.batch_header("220")))
        self.batch = spec
        self.records = 0

    def close(self) -> None:
        self.lines.append(BATCH_CONTROL.format(self.builder.batch_control()))
        self.batch = None
        if len(self.lines) >= CHUNK_LINES:
            self.flush()

    def _room(self, records: int) -> None:
        """Count an entry's records, starting the next batch of the same employer first when
        they would not fit in this one."""
        if self.records and self.records + records > MAX_BATCH_RECORDS:
            spec = self.batch
            assert spec is not None
            self.close()
            self._open(spec)
        self.records += records

    def entry(self, spec: EntrySpec) -> Entry:
        """An entry made and checked in full: builder, then record layouts."""
        self._room(1 + len(spec.addenda))
        entry = self.builder.entry(spec)
        lines = self.lines
        lines.append(LAYOUTS[type(entry)].format(entry))
        lines.extend(ADDENDA.format(addenda) for addenda in entry.addenda)
        if len(lines) >= CHUNK_LINES:
            self.flush()
        return entry

    def ccd(self, payment: Payment) -> None:
        """One CCD+ entry with its DED addenda.

        The first entry of each SDU and transaction code is made in full; it becomes the
        template of the ones after it, which differ only in amount, identification, trace and
        DED. A payment the template cannot prove fine goes the full way too, which raises what
        it always raised.
        """
        sdu, row, amount = payment.sdu, payment.row, payment.amount
        templates = self.templates[amount > 0]
        template = templates.get(sdu.state)
        identification = row.employee_id[: ccdplus.IDENTIFICATION_WIDTH] or row.case_id
        if (
            template is not None
            and (amount or row.terminated)
            and len(identification) <= ccdplus.IDENTIFICATION_WIDTH
            and identification.isascii()
            and identification.isprintable()
        ):
            try:
                text = encode_field_values(
                    row.case_id,
                    row.pay_date,
                    amount,
                    row.ssn,
                    "Y" if row.medical_coverage else "N",
                    payment.name,
                    sdu.fips,
                    row.terminated,
                )
            except DedError as error:
                raise BuildError(f"payroll row {row.row}: {error}") from error
            entry_template, addenda_template, rdfi, debit = template
            if self.records + 2 > MAX_BATCH_RECORDS:
                self._room(2)
            else:
                self.records += 2
            builder = self.builder
            sequence = builder.add_prepared(rdfi, amount, debit, 1)
            trace = f"{builder.odfi}{sequence:07d}"
            lines = self.lines
            lines.append(entry_template.format(amount, identification, trace))
            lines.append(addenda_template.format(text, sequence))
            if len(lines) >= CHUNK_LINES:
                self.flush()
            return
        entry = self.entry(ccd_entry(payment))
        if template is None and isinstance(entry, CcdEntry) and len(entry.addenda) == 1:
            templates[sdu.state] = (
                CCD_ENTRY.template(entry, _ENTRY_OPEN),
                ADDENDA.template(entry.addenda[0], _ADDENDA_OPEN),
                int(entry.receiving_dfi_identification),
                is_debit(entry.transaction_code),
            )

    def ctx_entries(
        self, employer: Employer, sdu: Sdu, payments: list[ccdplus.ChildSupportPayment]
    ) -> None:
        for spec in self.ctx.entries(employer, sdu, payments):
            self.entry(spec)

    def prepared(self, text: str, count: int) -> None:
        """``count`` lines a compiled caller made, joined by line feeds (the builder has
        counted them): the sink's text is the same as if each had been appended."""
        if count:
            self.lines.append(text)
            self.joined += count - 1
            if len(self.lines) + self.joined >= CHUNK_LINES:
                self.flush()

    def flush(self) -> None:
        lines = self.lines
        if lines:
            self.lines = []
            self.flushed += len(lines) + self.joined
            self.joined = 0
            self.sink(lines)

    def finish(self) -> int:
        """File control and padding; returns the number of lines made."""
        lines = self.lines
        lines.append(FILE_CONTROL.format(self.builder.file_control()))
        made = self.flushed + len(lines) + self.joined
        lines.extend([PADDING_LINE] * (-made % BLOCKING_FACTOR))
        self.flush()
        return self.flushed


@attrs.define(eq=False)
class _EmployerBatches:
    """What one employer's batches still wait for."""

    employer: Employer
    secs: list[Sec] = attrs.field(factory=list)
    ccd_open: bool = False
    ccd_held: list[Payment] = attrs.field(factory=list)
    ctx: dict[str, tuple[Sdu, list[ccdplus.ChildSupportPayment]]] = attrs.field(factory=dict)
    prenotes: dict[Sec, list[Sdu]] = attrs.field(factory=dict)


class Batches:
    """Payments in input order to batches in file order: one batch per employer and SEC code,
    in the order that pair first appears, entries in input order.

    Streaming (``hold=False``, rows sorted by employer): an employer's first SEC code is its
    first batch; when that is CCD+, its entries are written as they come. CTX payments wait
    for the employer's last row (one 820 per SDU), as do the CCD+ payments of an employer
    whose first payment went to a CTX SDU. An employer that comes back after another sets
    ``unsorted`` and is not taken. Holding (``hold=True``, any order): every payment waits
    until :meth:`finish`. Sorted rows give the same file either way.
    """

    def __init__(
        self, out: Output, failed: Callable[[Exception], None], *, hold: bool = False
    ) -> None:
        self.out = out
        self.failed = failed
        """Told of an entry that cannot be made (its payment's totals still count)."""
        self.hold = hold
        self.current: _EmployerBatches | None = None
        self.done: set[str] = set()
        self.held: dict[str, _EmployerBatches] = {}
        self.order: list[tuple[_EmployerBatches, Sec]] = []
        self.unsorted: str | None = None

    def _employer(self, employer: Employer) -> _EmployerBatches | None:
        current = self.current
        if current is not None and current.employer.id == employer.id:
            return current
        if self.hold:
            current = self.held.get(employer.id)
            if current is None:
                current = self.held[employer.id] = _EmployerBatches(employer)
        elif employer.id in self.done:
            self.unsorted = f"employer {employer.id!r} appeared earlier"
            return None
        else:
            self.close()
            current = _EmployerBatches(employer)
        self.current = current
        return current

    def _sec(self, current: _EmployerBatches, sec: Sec) -> None:
        if sec not in current.secs:
            current.secs.append(sec)
            self.order.append((current, sec))

    def pay(self, payment: Payment) -> None:
        """One payment; an entry that cannot be made goes to ``failed``, not up the planner
        (whose counts for the rest of the employee must still be made)."""
        try:
            current = self.current
            if current is None or current.employer is not payment.employer:
                current = self._employer(payment.employer)
                if current is None:
                    return
            sdu = payment.sdu
            if sdu.format == "ctx":
                self._sec(current, "CTX")
                held = current.ctx.get(sdu.state)
                if held is None:
                    held = current.ctx[sdu.state] = (sdu, [])
                held[1].append(support_payment(payment))
                return
            if not current.ccd_open:
                self._sec(current, "CCD")
                if not self.hold and current.secs[0] == "CCD":
                    self.out.open(current.employer, "CCD")
                    current.ccd_open = True
                else:
                    current.ccd_held.append(payment)
                    return
            self.out.ccd(payment)
        except BUILD_ERRORS as error:
            self.failed(error)

    def prenote(self, employer: Employer, sdu: Sdu) -> None:
        current = self._employer(employer)
        if current is None:
            return
        sec: Sec = "CTX" if sdu.format == "ctx" else "CCD"
        self._sec(current, sec)
        current.prenotes.setdefault(sec, []).append(sdu)

    def close(self) -> None:
        """Write out the current employer's batches (streaming: its rows are over)."""
        current = self.current
        if current is None or self.hold:
            return
        self.current = None
        self.done.add(current.employer.id)
        for sec in current.secs:
            self._write(current, sec)

    def finish(self) -> None:
        """Write out every batch still waiting."""
        if not self.hold:
            self.close()
            return
        for current, sec in self.order:
            self._write(current, sec)

    def _write(self, current: _EmployerBatches, sec: Sec) -> None:
        out = self.out
        employer = current.employer
        if sec in current.prenotes:
            out.open(employer, sec)
            for sdu in current.prenotes[sec]:
                out.entry(prenote_entry(sdu))
        elif sec == "CCD":
            if not current.ccd_open:
                out.open(employer, "CCD")
                for payment in current.ccd_held:
                    out.ccd(payment)
        else:
            out.open(employer, "CTX")
            for sdu, payments in current.ctx.values():
                out.ctx_entries(employer, sdu, payments)
        out.close()
