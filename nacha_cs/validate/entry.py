"""Entry checks: transaction code, routing, amount, trace, addenda indicator and sequence."""

from __future__ import annotations

from nacha_cs.ach.model import CREDIT_CODES, RETURN_CODES
from nacha_cs.ach.records import (
    ADDENDA,
    CCD_ENTRY,
    CTX_ENTRY,
    is_digits,
)
from nacha_cs.validate.catalogue import (
    ADDENDA_ENTRY_LINK,
    ADDENDA_INDICATOR,
    ADDENDA_SEQUENCE,
    AMOUNT_ON_ZERO_CODE,
    BAD_CHECK_DIGIT,
    CCD_TOO_MANY_ADDENDA,
    CODE_NOT_IN_SERVICE_CLASS,
    CTX_ADDENDA_COUNT,
    CTX_TOO_MANY_ADDENDA,
    SAME_DAY_LIMIT,
    TRACE_NOT_ODFI,
    TRACE_ORDER,
    UNCHECKED_ADDENDA,
    UNKNOWN_TRANSACTION_CODE,
    ZERO_LIVE_AMOUNT,
)
from nacha_cs.validate.child_support import ChildSupportChecks
from nacha_cs.validate.state import (
    A_ENTRY_SEQ,
    A_INFO,
    A_SEQ,
    A_TYPE,
    CHECKED_ADDENDA_TYPE,
    CHECKED_SECS,
    E_ACCOUNT,
    E_AMOUNT,
    E_CHECK,
    E_CODE,
    E_INDICATOR,
    E_NAME,
    E_RDFI,
    E_TRACE,
    KNOWN_CODES,
    LIVE_DEBIT_CODES,
    MAX_CTX_ADDENDA,
    ONE_ADDENDA_SECS,
    OTHER_ADDENDA_TYPES,
    SAME_DAY_LIMIT_CENTS,
    TRACE_SEQUENCE,
    X_COUNT,
    X_NAME,
    X_RESERVED,
    ZERO_AMOUNT_CODES,
    OpenBatch,
    OpenEntry,
)


class EntryChecks(ChildSupportChecks):
    """An entry and its addenda, checked field by field (the slow, exact path)."""

    def _learn_head(self, batch: OpenBatch, head: str) -> tuple[bool, bool, int] | None:
        """Remember what a (transaction code, RDFI, check digit) triple means in this batch,
        when it is sound there: a known code the service class allows, a valid routing."""
        code, rdfi, check = head[:2], head[2:10], head[10]
        if code not in KNOWN_CODES or not is_digits(rdfi + check):
            return None
        credit = code in CREDIT_CODES
        if not batch.allows(credit) or self._check_digit(rdfi) != check:
            return None
        if not (credit or batch.debits_allowed) and code in LIVE_DEBIT_CODES:
            return None  # CS007: the slow path says why
        if len(batch.heads) > 65536:
            batch.heads.clear()
        learned = (credit, code in ZERO_AMOUNT_CODES, int(rdfi))
        batch.heads[head] = learned
        return learned

    def _entry_record(self, number: int, line: str) -> None:
        batch = self._batch
        self._close_entry()
        assert batch is not None, "the record order lets entries in only inside a batch"
        ctx = batch.sec == "CTX"
        code = line[E_CODE]
        rdfi = line[E_RDFI]
        check = line[E_CHECK]
        amount_text = line[E_AMOUNT]
        indicator = line[E_INDICATOR]
        trace = line[E_TRACE]
        count_text = line[X_COUNT] if ctx else "0"
        batch.entries += 1
        batch.count += 1
        if batch.sec == "ADV":
            # ADV entries are laid out like no other: count them, read nothing else
            if is_digits(rdfi):
                batch.entry_hash += int(rdfi)
            self._entry = OpenEntry(number, batch.sec, code, None, trace, indicator, None)
            return
        fast = is_digits(code + rdfi + check + amount_text + indicator + trace + count_text)
        if batch.own_layout:
            pass  # IAT: only the fields every SEC shares are read (below)
        elif (
            not fast
            or (ctx and line[X_RESERVED] != "  ")
            or line[E_ACCOUNT].isspace()
            or line[X_NAME if ctx else E_NAME].isspace()
        ):
            self._parse_problems(CTX_ENTRY if ctx else CCD_ENTRY, number, line)
        amount = int(amount_text) if is_digits(amount_text) else None
        declared = int(count_text) if is_digits(count_text) else None
        layout = CTX_ENTRY if ctx else CCD_ENTRY
        if is_digits(code):
            if code not in KNOWN_CODES:
                self._field(
                    UNKNOWN_TRANSACTION_CODE,
                    layout,
                    "transaction_code",
                    f"transaction code {code} is not a known ACH code",
                    number,
                )
                batch.reliable = False  # neither debit nor credit: totals cannot be checked
            else:
                credit = code in CREDIT_CODES
                if (batch.service_class == "220" and not credit) or (
                    batch.service_class == "225" and credit
                ):
                    self._field(
                        CODE_NOT_IN_SERVICE_CLASS,
                        layout,
                        "transaction_code",
                        f"{'credit' if credit else 'debit'} code {code} in a service class "
                        f"{batch.service_class} batch",
                        number,
                    )
                if not (credit or batch.debits_allowed) and code in LIVE_DEBIT_CODES:
                    self._sdu_debit(number, code, layout)
                if amount is not None:
                    if credit:
                        batch.credit += amount
                    else:
                        batch.debit += amount
                    if code in ZERO_AMOUNT_CODES:
                        if amount:
                            self._field(
                                AMOUNT_ON_ZERO_CODE,
                                layout,
                                "amount",
                                f"transaction code {code} carries amount 0, not {amount}",
                                number,
                            )
                    elif amount == 0 and code not in RETURN_CODES:
                        self._field(
                            ZERO_LIVE_AMOUNT,
                            layout,
                            "amount",
                            f"live transaction code {code} with a zero amount",
                            number,
                        )
                    elif amount > SAME_DAY_LIMIT_CENTS and batch.same_day:
                        self._field(
                            SAME_DAY_LIMIT,
                            layout,
                            "amount",
                            f"same-day entry of {amount / 100:,.2f} exceeds $1,000,000.00",
                            number,
                        )
                else:
                    batch.reliable = False
        else:
            batch.reliable = False
        if is_digits(rdfi):
            batch.entry_hash += int(rdfi)
            if is_digits(check):
                expected = self._check_digit(rdfi)
                if expected != check:
                    self._field(
                        BAD_CHECK_DIGIT,
                        layout,
                        "check_digit",
                        f"routing {rdfi}{check} fails the ABA check; the check digit would be "
                        f"{expected}",
                        number,
                    )
        else:
            batch.reliable = False
        if is_digits(trace):
            if batch.odfi and not trace.startswith(batch.odfi):
                self._field(
                    TRACE_NOT_ODFI,
                    layout,
                    "trace_number",
                    f"trace {trace} does not start with the ODFI {batch.odfi}",
                    number,
                )
            if batch.last_trace and trace <= batch.last_trace:
                self._field(
                    TRACE_ORDER,
                    layout,
                    "trace_number",
                    f"trace {trace} does not follow {batch.last_trace}"
                    + (" (the same number twice)" if trace == batch.last_trace else ""),
                    number,
                )
            else:
                if self._keep_traces:
                    self._append_trace(int(trace))
                    self._append_trace_line(number)
                if not batch.first_trace:
                    batch.first_trace = trace
            batch.last_trace = trace
        if indicator not in ("0", "1"):
            self._field(
                ADDENDA_INDICATOR,
                layout,
                "addenda_record_indicator",
                f"addenda record indicator {indicator!r} is neither 0 nor 1",
                number,
            )
        self._entry = OpenEntry(
            line=number,
            sec=batch.sec,
            code=code,
            amount=amount,
            trace=trace,
            indicator=indicator,
            declared_addenda=declared,
        )

    def _addenda_record(self, number: int, line: str) -> None:
        entry = self._entry
        assert entry is not None, "the record order lets addenda in only after an entry"
        batch = self._batch
        assert batch is not None
        batch.count += 1
        batch.addenda += 1
        entry.addenda += 1
        kind = line[A_TYPE]
        if kind != CHECKED_ADDENDA_TYPE and (kind in OTHER_ADDENDA_TYPES or batch.own_layout):
            self._unchecked_addenda(number, kind, entry)
            return
        sequence = line[A_SEQ]
        entry_sequence = line[A_ENTRY_SEQ]
        if kind != CHECKED_ADDENDA_TYPE or not is_digits(sequence + entry_sequence):
            self._parse_problems(ADDENDA, number, line)
        read = entry.addenda - entry.unchecked  # the 05 addenda so far, this one included
        if is_digits(sequence) and int(sequence) != read:
            self._field(
                ADDENDA_SEQUENCE,
                ADDENDA,
                "addenda_sequence_number",
                f"addenda sequence number {sequence} where {read:04d} was expected",
                number,
            )
        if (
            is_digits(entry.trace)
            and is_digits(entry_sequence)
            and entry_sequence != entry.trace[TRACE_SEQUENCE]
        ):
            self._field(
                ADDENDA_ENTRY_LINK,
                ADDENDA,
                "entry_detail_sequence_number",
                f"entry detail sequence number {entry_sequence} does not match the last 7 digits "
                f"of trace {entry.trace} (line {entry.line})",
                number,
            )
        if entry.sec == "CTX":
            if entry.addenda_lines is None:
                entry.addenda_lines = []
            if entry.addenda <= MAX_CTX_ADDENDA:
                entry.addenda_lines.append((number, line[A_INFO]))
        elif read == 1:
            if self._ded_decoder is not None and entry.sec == "CCD":
                self._check_ded(number, line, entry)
        elif read == 2 and entry.sec in ONE_ADDENDA_SECS:
            self.emit(
                CCD_TOO_MANY_ADDENDA,
                f"a second addenda for the {entry.sec} entry at line {entry.line}",
                line=number,
                column=1,
                field="record_type",
            )

    def _unchecked_addenda(self, number: int, kind: str, entry: OpenEntry) -> None:
        """Another type than 05: counted, kept in order, and said once (unless BH008 said)."""
        entry.unchecked += 1
        if entry.sec not in CHECKED_SECS or kind in self._addenda_said:
            return
        self._addenda_said.add(kind)
        self._field(
            UNCHECKED_ADDENDA,
            ADDENDA,
            "addenda_type_code",
            f"addenda type {kind!r} is checked for structure only (counts, order); its fields "
            "are not read",
            number,
        )

    def _close_entry(self) -> None:
        entry = self._entry
        if entry is None:
            return
        self._entry = None
        layout = CTX_ENTRY if entry.sec == "CTX" else CCD_ENTRY
        if entry.indicator in ("0", "1") and (entry.indicator == "1") != (entry.addenda > 0):
            self._field(
                ADDENDA_INDICATOR,
                layout,
                "addenda_record_indicator",
                f"addenda record indicator is {entry.indicator} but {entry.addenda} addenda follow",
                entry.line,
            )
        if entry.sec == "CTX":
            if entry.declared_addenda is not None and entry.declared_addenda != entry.addenda:
                self._field(
                    CTX_ADDENDA_COUNT,
                    CTX_ENTRY,
                    "number_of_addenda_records",
                    f"the entry says {entry.declared_addenda} addenda, {entry.addenda} follow",
                    entry.line,
                )
            if entry.addenda > MAX_CTX_ADDENDA:
                self.emit(
                    CTX_TOO_MANY_ADDENDA,
                    f"{entry.addenda:,} addenda follow the entry; "
                    f"at most {MAX_CTX_ADDENDA:,} are allowed",
                    line=entry.line,
                )
        if self.child_support:
            self._close_child_support(entry)
