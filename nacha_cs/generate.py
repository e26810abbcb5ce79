"""The employer job: payroll export -> withholding -> payments per SDU -> an ACH file.

Pure: no printing, no writing. :func:`plan` reads payroll items (rows and findings, as
:func:`nacha_cs.payroll.read_payroll` streams them), applies the withholding rules per employee
and pay date, and returns a :class:`Plan`: the payments grouped into batches, the findings, and
what people need to see (per SDU totals, employees whose limit was reached). :func:`iter_lines`
then turns a plan into the file's 94-character lines. The CLI validates those lines with the
project's validator while writing them to a temporary file, so an invalid file never reaches
the output path.

Shape of the file:

* one batch per employer (a payroll agent's several employers each get their own), and per SEC
  code: SDUs configured for CCD+ get one entry per order with its DED addenda; SDUs configured
  for CTX get one entry per SDU carrying an X12 820 with every employee's DED;
* a terminated employee's orders travel with DED09 = ``Y``: as a live credit when the last pay
  still withheld something, else as a zero-dollar entry (transaction code 24 or 34);
* in prenote mode every employer and SDU pair in the input gets one zero-dollar prenote
  (23 or 33) instead of payments, to set up the SDU's account before live entries.

The effective entry date is the next Federal Reserve banking day after ``today``, or a date the
user gives, which must be a banking day and not in the past.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Literal

import attrs

from nacha_cs import calendar, ccdplus, ctx820
from nacha_cs.builder import BatchSpec, BuildError, EntrySpec, FileSpec, iter_records
from nacha_cs.config import Config, Employer, Sdu
from nacha_cs.ded import DedError, abbreviate_name
from nacha_cs.findings import Finding, rule
from nacha_cs.payroll import (
    NO_INPUT,
    UNKNOWN_EMPLOYER,
    EmployeePay,
    InputKind,
    PayrollRow,
    detect_kind,
    group_pay,
    read_payroll,
)
from nacha_cs.records import FieldOverflowError
from nacha_cs.state_profiles import StateProfile, load_profile
from nacha_cs.validate import Options as ValidatorOptions
from nacha_cs.validate import Summary, Validator
from nacha_cs.withholding import FeeLedger, Order, Withholding, withhold
from nacha_cs.writer import iter_record_lines, write_lines_atomically

Sec = Literal["CCD", "CTX"]
MAX_CREDIT_DAYS_AHEAD = 2
"""Credits may be dated up to two banking days after the file is sent."""

REMIT_LATE = rule(
    "GEN001",
    "warning",
    "Payments reach the SDU after the state's remit deadline",
    "Send the file sooner (or with an earlier effective date); states fine late remittances.",
    "child-support",
)
NOT_BANKING_DAY = rule(
    "GEN002",
    "error",
    "The effective entry date is not a Federal Reserve banking day",
    "Pick a weekday that is not a Federal Reserve holiday, or leave the date out.",
)
DATE_IN_PAST = rule(
    "GEN003",
    "error",
    "The effective entry date is before today",
    "Use today or a later banking day; the ACH operator would settle a stale date at once.",
)
DATE_TOO_FAR = rule(
    "GEN004",
    "warning",
    "The effective entry date is more than two banking days ahead",
    "Credits may be dated up to two banking days ahead; check the date with your bank.",
)
NOTHING_TO_SEND = rule(
    "GEN005",
    "error",
    "There is nothing to send",
    "The payroll holds no withholding to pay and no termination to report.",
)
DED_NOT_ENCODABLE = rule(
    "GEN006",
    "error",
    "The row cannot be written as a DED segment",
    "Fix the named value in the payroll export (names need letters; values no * or \\).",
    "child-support",
)
CASE_FORMAT = rule(
    "GEN007",
    "warning",
    "The case id does not follow the receiving state's format",
    "Use the case number exactly as the state's order shows it.",
    "child-support",
)
CANNOT_BUILD = rule(
    "GEN009",
    "error",
    "The file cannot be built from the payments",
    "The message names the entry and the problem; fix the config or payroll value behind it.",
)
NOTHING_WITHHELD = rule(
    "GEN008",
    "warning",
    "An order gets nothing this pay date",
    "Nothing can be withheld within the limit; the employee pays the agency directly.",
    "child-support",
)


@attrs.frozen(slots=True)
class Options:
    """What the user chose for this run; ``today`` is injected so tests do not age."""

    today: dt.date
    effective_date: dt.date | None = None
    prenote: bool = False
    created: dt.datetime | None = None


@attrs.frozen(slots=True)
class Payment:
    """One order's money (or termination notice) for one SDU."""

    employer: Employer
    sdu: Sdu
    row: PayrollRow
    amount: int

    @property
    def terminated(self) -> bool:
        return self.row.terminated


@attrs.frozen(slots=True)
class EmployeeResult:
    """What one employee was ordered and what was withheld on one pay date, and why."""

    employer: str
    employee_id: str
    last_name: str
    first_name: str
    ssn: str
    pay_date: dt.date
    rows: tuple[int, ...]
    withholding: Withholding


@attrs.define
class SduTotals:
    """Per SDU: what the summary table shows."""

    sdu: Sdu
    entries: int = 0
    payments: int = 0
    notices: int = 0
    prenotes: int = 0
    total: int = 0


@attrs.define
class BatchPlan:
    """The payments of one employer for one SEC code, in input order."""

    employer: Employer
    sec: Sec
    payments: list[Payment] = attrs.field(factory=list)
    prenotes: list[Sdu] = attrs.field(factory=list)


@attrs.define
class Plan:
    effective_date: dt.date
    batches: dict[tuple[str, Sec], BatchPlan] = attrs.field(factory=dict)
    findings: list[Finding] = attrs.field(factory=list)
    limited: list[EmployeeResult] = attrs.field(factory=list)
    sdus: dict[str, SduTotals] = attrs.field(factory=dict)
    rows: int = 0
    employees: int = 0
    fees: int = 0
    prenote: bool = False

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def total(self) -> int:
        return sum(t.total for t in self.sdus.values())


def check_effective_date(
    today: dt.date, requested: dt.date | None
) -> tuple[dt.date, list[Finding]]:
    """The effective entry date to use and what is wrong with the one requested.

    >>> check_effective_date(dt.date(2026, 12, 24), None)[0]
    datetime.date(2026, 12, 28)
    """
    if requested is None:
        return calendar.next_banking_day(today), []
    findings: list[Finding] = []
    iso = requested.isoformat()
    if requested < today:
        findings.append(DATE_IN_PAST.finding(f"effective date {iso} is before today {today}"))
    if not calendar.is_banking_day(requested):
        why = calendar.holiday_name(requested) or requested.strftime("%A")
        suggestion = calendar.banking_day_on_or_after(requested).isoformat()
        findings.append(
            NOT_BANKING_DAY.finding(
                f"effective date {iso} is not a banking day ({why}); the next one is {suggestion}"
            )
        )
    elif calendar.banking_days_between(today, requested) > MAX_CREDIT_DAYS_AHEAD:
        findings.append(
            DATE_TOO_FAR.finding(
                f"effective date {iso} is "
                f"{calendar.banking_days_between(today, requested)} banking days ahead"
            )
        )
    return requested, findings


_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z' .-]*")
"""A last name the DED name rule surely abbreviates (starts with an ASCII letter); others are
tried with the rule itself."""


class _Planner:
    """Holds the running state of one plan: batches, totals, fee ledger, remit warnings."""

    def __init__(self, config: Config, options: Options) -> None:
        self.config = config
        self.options = options
        effective, findings = check_effective_date(options.today, options.effective_date)
        self.plan = Plan(effective_date=effective, findings=findings, prenote=options.prenote)
        self.ledger = FeeLedger()
        self.warned_late: set[tuple[str, dt.date]] = set()
        self.profiles: dict[str, StateProfile | None] = {}
        for state, sdu in config.sdus.items():
            self.profiles[state] = load_profile(sdu.profile) if sdu.profile else None
        self.seen_prenotes: set[tuple[str, str]] = set()
        self.employers: dict[str, Employer | None] = {}

    def column(self, field: str) -> str:
        """The export's own name for a field, for findings people match to their file."""
        return self.config.payroll.column(field)

    def finding(self, found: Finding) -> None:
        self.plan.findings.append(found)

    def batch(self, employer: Employer, sdu: Sdu) -> BatchPlan:
        sec: Sec = "CTX" if sdu.format == "ctx" else "CCD"
        key = (employer.id, sec)
        batch = self.plan.batches.get(key)
        if batch is None:
            batch = self.plan.batches[key] = BatchPlan(employer, sec)
        return batch

    def totals(self, sdu: Sdu) -> SduTotals:
        totals = self.plan.sdus.get(sdu.state)
        if totals is None:
            totals = self.plan.sdus[sdu.state] = SduTotals(sdu)
        return totals

    def remit_check(self, sdu: Sdu, pay_date: dt.date, row: int) -> None:
        key = (sdu.state, pay_date)
        if key in self.warned_late:
            return
        self.warned_late.add(key)
        deadline = calendar.add_banking_days(pay_date, sdu.remit_days)
        effective = self.plan.effective_date
        if effective <= deadline:
            return
        already = " (already past)" if deadline < self.options.today else ""
        self.finding(
            REMIT_LATE.finding(
                f"{sdu.state} payments for pay date {pay_date} settle {effective}, after the "
                f"{sdu.remit_days}-business-day deadline {deadline}{already}",
                line=row,
                field=self.column("pay_date"),
            )
        )

    def employee(self, pay: EmployeePay) -> None:
        first = pay.rows[0]
        employer = self.employers.get(first.employer)
        if employer is None:
            employer = self.employers[first.employer] = self.config.employer(first.employer)
        if employer is None:
            self.finding(
                UNKNOWN_EMPLOYER.finding(
                    "employer is blank; the config lists several employers",
                    line=first.row,
                    field=self.config.payroll.column("employer"),
                )
            )
            return
        self.plan.employees += 1
        self.plan.rows += len(pay.rows)
        sdus = [self.config.sdus[row.sdu] for row in pay.rows]
        if self.options.prenote:
            for sdu in sdus:
                if (employer.id, sdu.state) not in self.seen_prenotes:
                    self.seen_prenotes.add((employer.id, sdu.state))
                    self.batch(employer, sdu).prenotes.append(sdu)
                    totals = self.totals(sdu)
                    totals.prenotes += 1
                    totals.entries += 1
            return
        percent = self.config.limits.percent(
            supports_other_family=first.supports_other_family,
            arrears_over_12_weeks=first.arrears_over_12_weeks,
        )
        orders = [
            Order(row.case_id, row.current_support, row.arrears, row.cash_medical)
            for row in pay.rows
        ]
        result = withhold(orders, first.disposable_income, percent, proration=self.config.proration)
        result = self.ledger.charge(
            self.config.fee_policy(employer.state),
            f"{employer.id}\x1f{first.employee_id}",
            first.pay_date.year,
            first.pay_date.month,
            result,
        )
        self.plan.fees += result.fee
        if result.limit_reached:
            self.plan.limited.append(
                EmployeeResult(
                    employer=employer.id,
                    employee_id=first.employee_id,
                    last_name=first.last_name,
                    first_name=first.first_name,
                    ssn=first.ssn,
                    pay_date=first.pay_date,
                    rows=tuple(row.row for row in pay.rows),
                    withholding=result,
                )
            )
        for row, sdu, share in zip(pay.rows, sdus, result.orders, strict=True):
            amount = share.withheld
            if amount == 0 and not row.terminated:
                if share.order.total_due:
                    self.finding(
                        NOTHING_WITHHELD.finding(
                            f"case {row.case_id}: {'; '.join(result.notes)}", line=row.row
                        )
                    )
                continue
            if not self._encodable(row, sdu):
                continue
            self.batch(employer, sdu).payments.append(Payment(employer, sdu, row, amount))
            totals = self.totals(sdu)
            totals.total += amount
            if amount:
                totals.payments += 1
                self.remit_check(sdu, row.pay_date, row.row)
            else:
                totals.notices += 1
            if sdu.format != "ctx":
                totals.entries += 1

    def _encodable(self, row: PayrollRow, sdu: Sdu) -> bool:
        """Catch, with the row number, what the DED codec would refuse later."""
        try:
            if not _PLAIN_NAME.fullmatch(row.last_name):
                abbreviate_name(row.last_name, row.first_name)
        except DedError as error:
            self.finding(
                DED_NOT_ENCODABLE.finding(str(error), line=row.row, field=self.column("last_name"))
            )
            return False
        profile = self.profiles.get(sdu.state)
        pattern = profile.case_id_regex if profile else None
        if pattern is not None and not pattern.fullmatch(row.case_id):
            self.finding(
                CASE_FORMAT.finding(
                    f"case {row.case_id!r} is not a {sdu.state} case number "
                    f"({profile.case_id_description or profile.case_id_pattern})",  # type: ignore[union-attr]
                    line=row.row,
                    field=self.column("case_id"),
                )
            )
        return True

    def finish(self) -> Plan:
        plan = self.plan
        for batch in plan.batches.values():
            if batch.sec == "CTX":
                for state in {p.sdu.state for p in batch.payments} | {
                    s.state for s in batch.prenotes
                }:
                    if not plan.prenote:
                        plan.sdus[state].entries += 1
        if not plan.batches and not plan.errors:
            plan.findings.append(NOTHING_TO_SEND.finding())
        return plan


def plan(
    items: Iterable[PayrollRow | Finding],
    config: Config,
    options: Options,
    *,
    progress: Callable[[int], None] | None = None,
) -> Plan:
    """Withhold and group everything; findings (row-numbered) and results in one :class:`Plan`.

    ``progress`` is called now and then with the number of employees planned so far.
    """
    planner = _Planner(config, options)
    for count, item in enumerate(group_pay(items), start=1):
        if isinstance(item, Finding):
            planner.finding(item)
        else:
            planner.employee(item)
        if progress is not None and count % 10_000 == 0:
            progress(count)
    return planner.finish()


def read_input(
    path: str | os.PathLike[str],
    config: Config,
    *,
    kind: InputKind | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Iterator[PayrollRow | Finding]:
    """Stream a payroll file with the config's column mapping, SDUs and employers.

    ``on_progress(bytes_read, total_bytes)`` is called every few thousand rows, for a bar.
    """
    try:
        total = os.path.getsize(path)
        raw = open(path, "rb")  # noqa: SIM115 - closed by the text wrapper below
    except OSError as error:
        yield NO_INPUT.finding(f"cannot open {os.fspath(path)}: {error.strerror}")
        return
    with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        items = read_payroll(
            text,
            config.payroll,
            kind=kind or detect_kind(path),
            known_sdus=config.sdus.keys(),
            known_employers=config.employer_ids,
        )
        for count, item in enumerate(items):
            yield item
            if on_progress is not None and count % 4096 == 0:
                on_progress(raw.tell(), total)
    if on_progress is not None:
        on_progress(total, total)


# --- from plan to records ---------------------------------------------------------------------


@functools.cache
def sdu_account(sdu: Sdu) -> ccdplus.SduAccount:
    """The entry makers' view of a configured SDU (made once per SDU)."""
    return ccdplus.SduAccount(
        name=sdu.name,
        routing=sdu.routing,
        account=sdu.account,
        account_type=sdu.account_type,
        fips=sdu.fips,
    )


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
    )


def ccd_entry(payment: Payment) -> EntrySpec:
    """A CCD+ entry: one order, one DED addenda; zero-dollar code for a termination notice.

    A payment the entry maker refuses fails the build with its payroll row number.
    """
    try:
        return ccdplus.ccd_entry(support_payment(payment), sdu_account(payment.sdu))
    except (DedError, ccdplus.PaymentError) as error:
        raise BuildError(f"payroll row {payment.row.row}: {error}") from error


def prenote_entry(sdu: Sdu) -> EntrySpec:
    """A zero-dollar prenote (23/33) that lets the SDU's bank confirm the account."""
    return ccdplus.prenote_entry(
        sdu_account(sdu), identification=sdu.receiver_id[: ccdplus.IDENTIFICATION_WIDTH]
    )


class _CtxMaker:
    """CTX entries for one SDU, each carrying an 820; interchange control numbers run on
    across the file so no two interchanges share one."""

    def __init__(self, config: Config, options: Options, effective_date: dt.date) -> None:
        self.config = config
        self.created = options.created or dt.datetime.combine(options.today, dt.time(0, 0))
        self.effective_date = effective_date
        self.control = 0

    def entries(self, employer: Employer, sdu: Sdu, payments: list[Payment]) -> Iterator[EntrySpec]:
        """One entry per 820; payments past 9,999 addenda spill into further entries."""
        pending = [support_payment(p) for p in payments]
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
            sdu_account(sdu),
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


def _batch_entries(batch: BatchPlan, ctx: _CtxMaker) -> Iterator[EntrySpec]:
    if batch.prenotes:
        yield from (prenote_entry(sdu) for sdu in batch.prenotes)
        return
    if batch.sec == "CCD":
        yield from map(ccd_entry, batch.payments)
        return
    by_sdu: dict[str, list[Payment]] = {}
    for payment in batch.payments:
        by_sdu.setdefault(payment.sdu.state, []).append(payment)
    for payments in by_sdu.values():
        yield from ctx.entries(batch.employer, payments[0].sdu, payments)


def file_spec(plan_: Plan, config: Config, options: Options) -> FileSpec:
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


MAX_BATCH_RECORDS = 999_999
"""The batch control's entry/addenda count has six digits: a larger batch is split."""


def _split(entries: Iterable[EntrySpec], limit: int) -> Iterator[Iterator[EntrySpec]]:
    """Cut a lazy entry stream into runs of at most ``limit`` entry and addenda records.

    Each run is consumed before the next is asked for (the builder works batch by batch), so
    nothing is held beyond the one entry that did not fit.
    """
    stream = iter(entries)
    pending: list[EntrySpec | None] = [next(stream, None)]

    def run() -> Iterator[EntrySpec]:
        count = 0
        while (entry := pending[0]) is not None:
            size = 1 + len(entry.addenda)
            if count and count + size > limit:
                return
            yield entry
            count += size
            pending[0] = next(stream, None)

    while pending[0] is not None:
        yield run()


def batch_specs(plan_: Plan, config: Config, options: Options) -> Iterator[BatchSpec]:
    """One batch per employer and SEC code (split past 999,999 records), entries made lazily
    as the builder asks for them."""
    ctx = _CtxMaker(config, options, plan_.effective_date)
    for batch in plan_.batches.values():
        for entries in _split(_batch_entries(batch, ctx), MAX_BATCH_RECORDS):
            yield BatchSpec(
                company_name=batch.employer.company_name,
                company_identification=batch.employer.company_id,
                entry_description=config.entry_description,
                effective_entry_date=plan_.effective_date,
                odfi_routing=config.originator.odfi_routing,
                entries=entries,
                sec_code=batch.sec,
                company_discretionary_data=batch.employer.discretionary_data,
                service_class_code="220",  # credits only: payments, notices and prenotes
            )


def validator_options(config: Config, plan_: Plan) -> ValidatorOptions:
    """Child-support rules, plus the state profile when every SDU in the file shares one."""
    names = {plan_.sdus[state].sdu.profile for state in plan_.sdus}
    state = load_profile(names.pop()) if len(names) == 1 and "" not in names else None
    return ValidatorOptions(profile="child-support", state=state)


@attrs.define
class Outcome:
    """What writing (or a dry run) came to: the validator's findings and what was written."""

    findings: list[Finding]
    summary: Summary | None = None
    lines: int = 0
    written: bool = False

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")


class _Invalid(Exception):
    """Raised at the end of the line stream so the writer discards its temporary file."""


def _checked(lines: Iterable[str], validator: Validator, outcome: Outcome) -> Iterator[str]:
    number = 0
    for number, line in enumerate(lines, start=1):
        validator.feed(number, line)
        yield line
    outcome.summary = validator.finish()
    outcome.lines = number
    if any(f.severity == "error" for f in validator.findings):
        raise _Invalid


def write(
    plan_: Plan,
    config: Config,
    options: Options,
    output: str | os.PathLike[str] | None,
    *,
    force: bool = False,
) -> Outcome:
    """Build the file, validate every line as it is made, and write it atomically.

    The lines go to a temporary file beside ``output`` and through the validator at once; the
    temporary file is renamed into place only when the validator found no error, so a bad file
    never appears at ``output``. ``output=None`` is a dry run: build and validate, write
    nothing. Raises :class:`nacha_cs.writer.OutputExistsError` when ``output`` exists and
    ``force`` is not given.
    """
    validator = Validator(validator_options(config, plan_))
    outcome = Outcome(findings=validator.findings)
    lines = _checked(iter_lines(plan_, config, options), validator, outcome)
    try:
        if output is None:
            for _ in lines:
                pass
        else:
            write_lines_atomically(output, lines, force=force)
            outcome.written = True
    except _Invalid:
        pass
    except (
        BuildError,
        FieldOverflowError,
        DedError,
        ctx820.Ctx820Error,
        ccdplus.PaymentError,
    ) as error:
        outcome.findings.append(CANNOT_BUILD.finding(str(error)))
    return outcome


def iter_lines(plan_: Plan, config: Config, options: Options) -> Iterator[str]:
    """The file's 94-character lines, padding included, built as they are consumed."""
    return iter_record_lines(
        iter_records(file_spec(plan_, config, options), batch_specs(plan_, config, options))
    )
