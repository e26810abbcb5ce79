"""Batch checks: the batch header's fields, and the batch control against its entries."""

from __future__ import annotations

from nacha_cs.ach import calendar
from nacha_cs.ach.reader import (
    MISSING_BATCH_CONTROL,
)
from nacha_cs.ach.records import (
    BATCH_CONTROL,
    BATCH_HEADER,
    HASH_MODULUS,
    is_digits,
)
from nacha_cs.validate.catalogue import (
    BAD_EFFECTIVE_DATE,
    BAD_ORIGINATOR_STATUS,
    BATCH_COUNT_MISMATCH,
    BATCH_CREDIT_MISMATCH,
    BATCH_DEBIT_MISMATCH,
    BATCH_FIELD_MISMATCH,
    BATCH_HASH_MISMATCH,
    BATCH_NUMBER_ORDER,
    EFFECTIVE_DATE_CLOSED,
    UNCHECKED_SEC,
    UNKNOWN_SEC,
    UNKNOWN_SERVICE_CLASS,
    ZEROS_NAME,
)
from nacha_cs.validate.entry import EntryChecks
from nacha_cs.validate.state import (
    CHECKED_SECS,
    MAX_AMOUNT_CENTS,
    NACHA_SEC_CODES,
    OWN_LAYOUT_SECS,
    REVERSAL,
    SAME_DAY_LIMIT_CENTS,
    SERVICE_CLASSES,
    OpenBatch,
    yymmdd,
)

_OWN_LAYOUT_HEADER_FIELDS = frozenset({"company_name", "company_discretionary_data"})
"""IAT headers hold the IAT indicator and foreign exchange fields there: not read."""
_ADV_CONTROL_FIELDS = frozenset(
    {"total_debit_amount", "total_credit_amount", "company_identification", "reserved",
     "message_authentication_code"}
)  # fmt: skip
"""ADV batch controls hold 20-digit totals and operator data there: not read."""
_COMPANY_ID = BATCH_HEADER.slice("company_identification")
_CONTROL_COMPANY_ID = BATCH_CONTROL.slice("company_identification")


class BatchChecks(EntryChecks):
    """A batch header opens the running batch; its control is compared with what was counted."""

    def _end_open_batch(self, number: int) -> None:
        """A batch header or file control arrived: close what is open, say if it was unclosed."""
        self._close_entry()
        if self._batch is not None:
            self.emit(
                MISSING_BATCH_CONTROL,
                f"the batch that starts at line {self._batch.line} ends at line {number} "
                "without a batch control",
                line=number,
            )
            self._declared_reliable = False  # no control: file totals have nothing to match
            self._fold(self._batch)
            self._batch = None

    def _batch_header(self, number: int, line: str) -> None:
        self._end_open_batch(number)
        record, problems = BATCH_HEADER.parse(line, number)
        written_sec = record.standard_entry_class_code
        own_layout = written_sec.upper() in OWN_LAYOUT_SECS
        for problem in problems:
            if not (own_layout and problem.field in _OWN_LAYOUT_HEADER_FIELDS):
                self.add(problem)
        service_class = record.service_class_code
        if is_digits(service_class) and service_class not in SERVICE_CLASSES:
            self._field(
                UNKNOWN_SERVICE_CLASS,
                BATCH_HEADER,
                "service_class_code",
                f"service class code {service_class} is not 200, 220, 225 or 280",
                number,
            )
        sec = written_sec
        if sec and sec not in NACHA_SEC_CODES:
            known = sec.upper() in NACHA_SEC_CODES
            self._field(
                UNKNOWN_SEC,
                BATCH_HEADER,
                "standard_entry_class_code",
                f"standard entry class {sec!r} is not a NACHA SEC code"
                + (f" (SEC codes are uppercase: {sec.upper()})" if known else ""),
                number,
            )
            sec = sec.upper()  # check the rest as what it was surely meant to be
        if sec in NACHA_SEC_CODES and sec not in CHECKED_SECS and sec not in self._secs_said:
            self._secs_said.add(sec)
            self._field(
                UNCHECKED_SEC,
                BATCH_HEADER,
                "standard_entry_class_code",
                f"{sec} entries and their addenda are checked for structure only "
                "(order, counts, codes, routing, amounts, traces, controls); their "
                f"{sec}-specific fields are not checked",
                number,
            )
        for name in ("company_name", "company_entry_description"):
            if own_layout and name in _OWN_LAYOUT_HEADER_FIELDS:
                continue
            value = getattr(record, name)
            if value and set(value) == {"0"}:
                self._field(
                    ZEROS_NAME, BATCH_HEADER, name, f"{name.replace('_', ' ')} is all zeros", number
                )
        effective = record.effective_entry_date
        if effective and is_digits(effective):
            day = yymmdd(effective)
            if day is None:
                self._field(
                    BAD_EFFECTIVE_DATE,
                    BATCH_HEADER,
                    "effective_entry_date",
                    f"effective entry date {effective} is not a real date",
                    number,
                )
            elif not calendar.is_banking_day(day):
                why = calendar.holiday_name(day) or day.strftime("%A")
                self._field(
                    EFFECTIVE_DATE_CLOSED,
                    BATCH_HEADER,
                    "effective_entry_date",
                    f"effective entry date {day.isoformat()} is not a banking day ({why})",
                    number,
                )
        status = record.originator_status_code
        if is_digits(status) and status not in ("0", "1", "2"):
            self._field(
                BAD_ORIGINATOR_STATUS,
                BATCH_HEADER,
                "originator_status_code",
                f"originator status code {status} is not 0, 1 or 2",
                number,
            )
        batch_number = record.batch_number
        if batch_number is not None:
            if batch_number <= self._last_batch_number:
                self._field(
                    BATCH_NUMBER_ORDER,
                    BATCH_HEADER,
                    "batch_number",
                    f"batch number {batch_number} does not follow batch number "
                    f"{self._last_batch_number}",
                    number,
                )
            self._last_batch_number = max(self._last_batch_number, batch_number)
        same_day = record.company_descriptive_date.startswith("SD") or (
            bool(effective) and effective == self._creation_date
        )
        self._batch = OpenBatch(
            line=number,
            service_class=service_class,
            company_id=line[_COMPANY_ID],
            odfi=record.originating_dfi_identification,
            number=batch_number,
            sec=sec,
            same_day=same_day,
            limit=SAME_DAY_LIMIT_CENTS if same_day else MAX_AMOUNT_CENTS,
        )
        batch = self._batch
        batch.own_layout = sec in OWN_LAYOUT_SECS
        batch.slow = sec != "CCD"  # only CCD entries and their addenda take the fast paths
        if sec == "ADV":
            batch.reliable = False  # ADV controls hold 20-digit totals: not comparable here
            self._declared_foreign = True
            self._declared_reliable = False
        batch.debits_allowed = (
            not self.child_support or record.company_entry_description == REVERSAL
        )
        self._batch_count += 1
        self.summary.batches += 1

    def _batch_control(self, number: int, line: str) -> None:
        self._close_entry()
        batch = self._batch
        assert batch is not None, "the record order lets a batch control in only inside a batch"
        self._fold(batch)
        self._batch = None
        record, problems = BATCH_CONTROL.parse(line, number)
        adv = batch.sec == "ADV"
        for problem in problems:
            if not (adv and problem.field in _ADV_CONTROL_FIELDS):
                self.add(problem)
        if batch.first_trace:
            self._trace_ranges.append((batch.first_trace, batch.last_trace))
        checks = (
            (BATCH_COUNT_MISMATCH, "entry_addenda_count", record.entry_addenda_count, batch.count),
            (
                BATCH_HASH_MISMATCH,
                "entry_hash",
                record.entry_hash,
                batch.entry_hash % HASH_MODULUS if batch.reliable else None,
            ),
            (
                BATCH_DEBIT_MISMATCH,
                "total_debit_amount",
                record.total_debit_amount,
                batch.debit if batch.reliable else None,
            ),
            (
                BATCH_CREDIT_MISMATCH,
                "total_credit_amount",
                record.total_credit_amount,
                batch.credit if batch.reliable else None,
            ),
        )
        for which, name, written, computed in checks:
            if written is not None and computed is not None and written != computed:
                self._field(
                    which,
                    BATCH_CONTROL,
                    name,
                    f"{name.replace('_', ' ')} is {written}, the batch adds up to {computed}",
                    number,
                )
        pairs: tuple[tuple[str, object, object], ...] = (
            ("service_class_code", record.service_class_code, batch.service_class),
            (
                "company_identification",
                None if adv else line[_CONTROL_COMPANY_ID],
                batch.company_id,
            ),
            ("originating_dfi_identification", record.originating_dfi_identification, batch.odfi),
            ("batch_number", record.batch_number, batch.number),
        )
        for field_name, control_value, header in pairs:
            if isinstance(control_value, str) and not control_value.strip():
                continue  # blank: FLD002/FLD003 said so
            if control_value is not None and header is not None and control_value != header:
                self._field(
                    BATCH_FIELD_MISMATCH,
                    BATCH_CONTROL,
                    field_name,
                    f"{field_name.replace('_', ' ')} {str(control_value).strip()!r} differs from "
                    f"the batch header's {str(header).strip()!r} (line {batch.line})",
                    number,
                )
        values = (
            record.entry_addenda_count,
            record.entry_hash,
            record.total_debit_amount,
            record.total_credit_amount,
        )
        for index, value in enumerate(values):
            if value is None:
                self._declared_reliable = False
            else:
                self._declared[index] += value

    def _fold(self, batch: OpenBatch) -> None:
        """Add a finished batch to the summary (kept per batch while it is read: fewer writes)."""
        summary = self.summary
        summary.entries += batch.entries
        summary.addenda += batch.addenda
        summary.total_debit += batch.debit
        summary.total_credit += batch.credit
