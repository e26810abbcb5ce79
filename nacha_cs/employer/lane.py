"""The compiled lane of `generate`: the driver between it and the Python pipeline.

A million-row payroll export is mostly plain rows of employees whose orders all fit under the
limit. The compiled lane (``_lane.pyx``) takes such employees straight from the file's bytes
to the ACH lines, the withholding report's lines and the fee record's rows, and counts what
the planner, the builder and the output would count. Everything else (the first employee of
each employer and of each SDU, a limit reached, a bad row, a quoted cell, a row out of order)
is a span of lines this driver hands to the Python pipeline, exactly as
:meth:`nacha_cs.employer.generate._Pass.take` would have had them: parsed by the row parser,
grouped by :func:`~nacha_cs.employer.grouping.group_pay_sorted` (whose state the lane shares),
planned and assembled. Before each run of the lane the driver tells it the Python objects'
state (the open employer, the SDUs' templates, the deadlines checked, the grouping) and after
it adds what the lane made to those objects, so both ways write the same bytes.

The lane runs only on what it was written for (a CSV with every column, amounts in dollars,
ISO dates, streaming sorted rows, no prenotes, the file checked after it is written); anything
else, or ``NACHA_CS_NO_SCAN=1``, is the Python pipeline alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

from nacha_cs.ach.records import (
    ADDENDA,
    CCD_ENTRY,
    MAX_BATCH_RECORDS,
    MAX_SEQUENCE,
)
from nacha_cs.codecs import ded as ded_codec
from nacha_cs.codecs.ded import (
    ELEMENT_SEPARATOR,
    TERMINATOR,
    DedError,
    abbreviate_name,
)
from nacha_cs.employer import lane_build
from nacha_cs.employer import plan as planning
from nacha_cs.employer.fee_ledger import FeeRecord
from nacha_cs.employer.grouping import SortState, group_pay_sorted
from nacha_cs.employer.payroll import (
    FALSE_WORDS,
    MAX_AMOUNT,
    MAX_CASE_ID,
    TRUE_WORDS,
    CsvLayout,
    PayrollRow,
    csv_layout,
    csv_rows,
    row_parser,
    text_lines,
)
from nacha_cs.employer.payroll_bulk import read_rows
from nacha_cs.employer.plan import PayrollInput
from nacha_cs.findings import Finding

if TYPE_CHECKING:
    from nacha_cs.employer.generate import _Pass

_lane = lane_build.compiled
AVAILABLE = lane_build.fields_match()
CHUNK_BYTES = 1 << 20
"""Bytes read at a time."""
MOST_CARRIED = 8 << 20
"""A span longer than this (no end in sight) goes on in the Python pipeline to the end."""
LINES_PER_RUN = 16_384
"""Lines the lane makes before the driver hands them on."""
_SENTINEL = "nacha-cs lane: end of span"


def wanted() -> bool:
    """Whether the lane may run (built, and not turned off like the scanner)."""
    return AVAILABLE and lane_build.switched_off() is None


status = lane_build.status


def driver(work: _Pass, items: object) -> Driver | None:
    """A driver for ``items`` when the lane can take them, else ``None`` (nothing read)."""
    if not wanted() or not isinstance(items, PayrollInput) or items.kind != "csv":
        return None
    config = work.config
    fmt = config.payroll
    if fmt.delimiter != "," or fmt.amount_unit != "dollars" or fmt.date_format != "%Y-%m-%d":
        return None
    report = work.planner.report
    if report is not None and report.kind != "csv":
        return None
    if work.hold or work.planner.options.prenote or work.check_reads_lines():
        return None
    history = work.planner.ledger.history
    if history is not None and not isinstance(getattr(history, "__self__", None), FeeRecord):
        return None
    try:
        with open(items.path, "rb") as raw:
            first = raw.readline(1 << 16)
    except OSError:
        return None
    if not first.endswith(b"\n") or b'"' in first or b"\r" in first[:-2]:
        return None
    try:
        header_text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    header = next(csv.reader([header_text]), None)
    parser = row_parser(fmt, config.sdus.keys(), config.employer_ids)
    layout = csv_layout(header, parser)
    if not isinstance(layout, CsvLayout) or layout.plain is None:
        return None
    return Driver(work, items, parser, layout, len(first))


class Driver:
    """One attempt's run of the lane over one payroll file."""

    def __init__(
        self,
        work: _Pass,
        source: PayrollInput,
        parser: Any,
        layout: CsvLayout,
        header_size: int,
    ) -> None:
        self.work = work
        self.source = source
        self.parser = parser
        self.layout = layout
        self.header_size = header_size
        self.state = SortState()
        planner = work.planner
        report = planner.report
        self.fee_record = _fee_record(planner.ledger.history)
        self.record_fees = planner.ledger.on_charge is not None
        self.lane = _lane.Lane(
            layout.positions,
            layout.width,
            true_words=sorted(TRUE_WORDS),
            false_words=sorted(FALSE_WORDS),
            date_of=parser._date,
            name_of=_name_or_none,
            known_employers=parser.known_employers,
            entry_slices=tuple(_span(CCD_ENTRY.slice(name)) for name in (
                "amount", "identification_number", "trace_number")),
            addenda_slices=tuple(_span(ADDENDA.slice(name)) for name in (
                "payment_related_information", "entry_detail_sequence_number")),
            max_amount=MAX_AMOUNT,
            max_sequence=MAX_SEQUENCE,
            max_records=MAX_BATCH_RECORDS,
            max_case=min(MAX_CASE_ID, ded_codec._CASE_MAX),
            name_max=ded_codec._NAME_MAX,
            head=ded_codec._HEAD,
            separator=ELEMENT_SEPARATOR,
            terminator=TERMINATOR,
            full_ssn=report.full_ssn if report is not None else False,
            report=report is not None,
            fees=self.record_fees,
        )
        for state in work.config.sdus:
            self.lane.sdu(state, "", "", 0, False, "")
        self.window: object = None
        self.templates = -1
        self.remits = -1
        self.employer_key: tuple[Any, ...] | None = None

    # --- the run ------------------------------------------------------------------------

    def run(self) -> str | None:
        """Take every row; returns why they are not sorted (``None``: they are)."""
        lane = _lane
        path = self.source.path
        on_progress = self.source.on_progress
        total = os.path.getsize(path)
        with open(path, "rb") as raw:
            raw.seek(self.header_size)
            base = self.header_size
            row = 2
            data = raw.read(CHUNK_BYTES)
            while True:
                ahead = raw.read(CHUNK_BYTES) if data else b""
                final = not ahead
                carry = b""
                if not final:
                    cut = data.rfind(b"\n") + 1
                    if cut == 0:  # one line longer than a chunk
                        data += ahead
                        continue
                    data, carry = data[:cut], data[cut:]
                position = 0
                while True:
                    self.push()
                    status, position, row, end = self.lane.run(
                        data, position, row, final, LINES_PER_RUN
                    )
                    self.pull()
                    if status == lane.MORE:
                        continue
                    if status == lane.SPAN:
                        answer = self.span(data[position:end], row)
                        if answer is None:  # ends inside a quoted cell: Python to the end
                            return self.rest(raw, base + position, row)
                        unsorted, row = answer
                        if unsorted is not None:
                            return unsorted
                        position = end
                        continue
                    if status in (lane.UNSORTED_EMPLOYER, lane.UNSORTED_EMPLOYEE):
                        return self.unsorted(status, data, position, row)
                    break  # DONE, or REST: the span's end is in what comes next
                if status == lane.REST and len(data) - position + len(carry) > MOST_CARRIED:
                    return self.rest(raw, base + position, row)
                if on_progress is not None:
                    on_progress(base + position, total)
                if final:
                    return None
                base += position
                data = data[position:] + carry + ahead

    def span(self, data: bytes, row: int) -> tuple[str | None, int] | None:
        """The lines in ``data`` through the Python pipeline, rows numbered from ``row``;
        returns why the rows are not sorted and the next row's number, or ``None`` when the
        lines end inside a quoted cell or the CSV reader refuses them (the caller goes on in
        Python to the end, which says what it says of them)."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if not text.endswith("\n"):
            text += "\n"
        try:
            records = list(csv.reader(io.StringIO(text + _SENTINEL + "\n", newline="")))
        except csv.Error:  # the Python way from here says so, as it would have
            return None
        if not records or records[-1] != [_SENTINEL]:
            return None
        del records[-1]
        layout = self.layout
        # A span is a few rows: the row parser reads them faster than the column lane
        # (the same rows and findings either way).
        items = read_rows(iter(records), layout.width, layout.positions, self.parser.parse,
                          None, row)
        return self.take(items), row + len(records)

    def rest(self, raw: IO[bytes], offset: int, row: int) -> str | None:
        """From ``offset`` to the end of the file in the Python pipeline."""
        raw.seek(offset)
        return self.take(csv_rows(text_lines(raw, first=False), self.parser, self.layout, row))

    def take(self, items: Iterator[PayrollRow | Finding]) -> str | None:
        return self.work.take(group_pay_sorted(items, self.state))

    def unsorted(self, status: int, data: bytes, position: int, row: int) -> str:
        """group_pay_sorted's own words for the row at ``position``."""
        if status == _lane.UNSORTED_EMPLOYEE:
            return f"row {row}: employee ids are not in order"
        end = data.find(b"\n", position)
        line = data[position : len(data) if end < 0 else end].rstrip(b"\r").decode("ascii")
        employer = line.split(",")[self.layout.positions[0]]
        return f"row {row}: employer {employer!r} appeared earlier"

    def record(self, fee_rows: list[str | int]) -> None:
        """The fees the lane charged (employee, pay date, cents, ... end to end), to whoever
        records them (the fee record's bulk method when it is the one listening)."""
        on_charge = self.work.planner.ledger.on_charge
        assert on_charge is not None
        record = self.fee_record
        if record is not None and on_charge == record.add:
            record.add_flat(fee_rows)
            return
        dates: dict[str, dt.date] = {}
        for employee, day, cents in zip(fee_rows[0::3], fee_rows[1::3], fee_rows[2::3],
                                        strict=True):
            assert isinstance(employee, str) and isinstance(day, str)
            assert isinstance(cents, int)
            when = dates.get(day)
            if when is None:
                when = dates[day] = dt.date.fromisoformat(day)
            on_charge(employee, when, cents)

    # --- the state both ways share --------------------------------------------------------

    def push(self) -> None:
        """Tell the lane where the Python objects are."""
        work, lane, state = self.work, self.lane, self.state
        planner = work.planner
        out = work.out
        assert out is not None
        templates = out.templates[1]
        if len(templates) != self.templates:
            self.templates = len(templates)
            for code, sdu in work.config.sdus.items():
                template = templates.get(code)
                if template is None or sdu.format == "ctx" or code in planner.case_patterns:
                    lane.sdu(code, "", "", 0, False, "")
                    continue
                entry, addenda, rdfi, debit = template
                lane.sdu(
                    code, entry.format(0, "", "0" * 15), addenda.format("", 0), rdfi, debit,
                    sdu.fips,
                )
        if len(planner.warned_late) != self.remits:
            self.remits = len(planner.warned_late)
            for code, pay_date in planner.warned_late:
                lane.remit_checked(code, pay_date.isoformat())
        self.push_employer()
        record = self.fee_record
        if record is not None and record.held_window is not self.window:
            window = self.window = record.held_window
            if window is not None:
                year, month = window.month
                lane.fees_before(f"{year:04d}-{month:02d}", window.fees, window.low, window.high)
        _to_lane(state, lane)
        lane.limited_full = len(planner.plan.limited) >= planning.KEPT_LIMITED
        lane.sequence = out.builder.trace_sequence
        lane.records = out.records
        last = planner.last_employee_id
        lane.last_employee = None if last is None else last.encode("utf-8")

    def push_employer(self) -> None:
        work, planner = self.work, self.work.planner
        batches, out = work.batches, work.out
        assert out is not None
        current = batches.current if batches is not None else None
        text = planner.row_employer
        ready = (
            current is not None
            and batches is not None
            and batches.unsorted is None
            and planner.unsorted is None
            and current.ccd_open
            and text is not None
            and planner.employers.get(text) is current.employer
            and current.employer.id == planner.employer_id
            and current.employer.id in planner.laws
            and out.batch is not None
            and out.builder.entry_open
            and not planner.plan.error_count
            and planner.laws[current.employer.id].proration in ("exact", "worksheet")
        )
        if not ready:
            key: tuple[Any, ...] | None = None
        else:
            assert current is not None
            key = (text, current.employer.id, out.builder.odfi)
        if key == self.employer_key:
            return
        self.employer_key = key
        if key is None:
            self.lane.employer(None)
            return
        assert current is not None and text is not None
        law = planner.laws[current.employer.id]
        percents = law.percents
        policy = law.fee
        record = self.fee_record
        self.lane.employer(
            text,
            current.employer.id,
            out.builder.odfi,
            (percents[False, False], percents[False, True], percents[True, False],
             percents[True, True]),
            policy.per_period,
            policy.monthly_cap,
            policy.within_limit,
            record is not None,
            law.proration == "exact",
        )

    def pull(self) -> None:
        """Add what the lane made to the Python objects."""
        work, lane = self.work, self.lane
        planner = work.planner
        plan = planner.plan
        out = work.out
        assert out is not None
        entries = lane.entries
        if not entries:
            self.state.employers_done = lane.employers_done
            return
        out.builder.add_prepared_many(entries, entries, lane.entry_hash, lane.credit, lane.debit)
        out.records = lane.records
        plan.employees += lane.employees
        plan.rows += lane.rows
        plan.planned += entries
        plan.fees += lane.fee_total
        plan.limited_count += lane.limited
        fee_rows = lane.fee_rows
        last_fee = lane.last_fee
        last = lane.last_employee
        lines, line_count, report_text, report_count, totals = lane.take()
        for code, (total, payments) in totals.items():
            sums = plan.sdus.get(code) or planner.totals(work.config.sdus[code])
            sums.total += total
            sums.payments += payments
            sums.entries += payments
        out.prepared(lines, line_count)
        if planner.report is not None:
            planner.report.prepared(report_text, report_count)
        if fee_rows and self.record_fees:
            self.record(fee_rows)
        planner.last_employee_id = last.decode("utf-8")
        charged = planner.ledger.charged
        charged.clear()
        if last_fee is not None:
            key, day, cents = last_fee
            charged[key, int(day[:4]), int(day[5:7])] = cents
        _from_lane(lane, self.state)


_SORT_FIELDS = (
    ("employers_done", "employers_done"),
    ("employer", "sort_employer"),
    ("employee", "sort_employee"),
    ("as_text", "as_text"),
    ("by_length", "by_length"),
    ("pay_dates", "pay_dates"),
)
"""SortState's fields and the lane's names for them: one grouping state, two holders."""


def _to_lane(state: SortState, lane: Any) -> None:
    for ours, its in _SORT_FIELDS:
        setattr(lane, its, getattr(state, ours))


def _from_lane(lane: Any, state: SortState) -> None:
    for ours, its in _SORT_FIELDS:
        setattr(state, ours, getattr(lane, its))


def _span(where: slice) -> tuple[int, int]:
    return where.start, where.stop


def _name_or_none(last: str, first: str) -> str | None:
    """DED07, or ``None`` where the codec refuses the name (the planner then says why)."""
    try:
        return abbreviate_name(last, first)
    except DedError:
        return None


def _fee_record(history: Callable[..., int] | None) -> FeeRecord | None:
    record = getattr(history, "__self__", None)
    return record if isinstance(record, FeeRecord) else None
