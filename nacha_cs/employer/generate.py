"""The employer job: payroll export -> withholding -> payments per SDU -> an ACH file.

Pure: no printing. :func:`generate` reads payroll items (rows and findings, as
:func:`~nacha_cs.employer.payroll.read_payroll` streams them),
applies the withholding rules per employee
and pay date, and streams the payments into the file's lines as it goes: each line goes through
the project's validator and into a temporary file beside the output, which is renamed into place
only when no row, no build step and no validator check found an error. It returns a
:class:`Plan` (findings, per SDU totals, employees whose limit was reached) and an
:class:`Outcome` (the validator's verdict and what was written).

Shape of the file:

* one batch per employer (a payroll agent's several employers each get their own), and per SEC
  code: SDUs configured for CCD+ get one entry per order with its DED addenda; SDUs configured
  for CTX get one entry per SDU carrying an X12 820 with every employee's DED;
* a terminated employee's orders travel with DED09 = ``Y``: as a live credit when the last pay
  still withheld something, else as a zero-dollar entry (transaction code 24 or 34);
* in prenote mode every employer and SDU pair in the input gets one zero-dollar prenote
  (23 or 33) instead of payments, to set up the SDU's account before live entries.

Batches come in the order their employer and SEC code first appear in the input; entries in
input order; a batch past 999,999 entry and addenda records is split.

Memory. Exports are sorted by employer, employee and pay date (PAY010's advice), so
:func:`generate` streams: an employer's CCD+ entries are written as its rows are read, and only
what must wait is held — an employer's CTX payments (one 820 per SDU needs them all) and, when
an employer's first payment goes to a CTX SDU, its CCD+ entries (that batch comes second).
:func:`~nacha_cs.employer.payroll.group_pay_sorted` proves
from the order alone that no employee and pay
date can come back later, so nothing is remembered per employee. When the order proves nothing
(employers or employee ids out of order), :func:`generate` starts again the way :func:`plan`
and :func:`write` work: every payment held until the end, exactly as before, memory growing
with the rows. Either way the file is byte for byte the same.

Speed. A CCD+ entry of an SDU already built once is rendered from that entry's
:meth:`~nacha_cs.ach.records.Layout.template` (only amount, identification and trace change) with
the DED from :func:`nacha_cs.codecs.ded.encode_field_values`; anything unusual goes the checked way
(:func:`nacha_cs.employer.ccdplus.ccd_entry` and the builder), which raises the same errors. With
``parallel=True`` the validator runs in a second process reading the lines through a pipe,
so checking a large file costs little wall time on a machine with two cores.

The effective entry date is the next Federal Reserve banking day after ``today``, or a date the
user gives, which must be a banking day and not in the past.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import os
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Literal

import attrs

from nacha_cs.ach import calendar
from nacha_cs.ach.builder import BatchSpec, BuildError, EntrySpec, FileBuilder, FileSpec
from nacha_cs.ach.model import is_debit
from nacha_cs.ach.records import (
    ADDENDA,
    BATCH_CONTROL,
    BATCH_HEADER,
    CCD_ENTRY,
    FILE_CONTROL,
    FILE_HEADER,
    LAYOUTS,
    PADDING_LINE,
    CcdEntry,
    Entry,
    FieldOverflowError,
)
from nacha_cs.ach.writer import BLOCKING_FACTOR, atomic_output
from nacha_cs.codecs import ctx820
from nacha_cs.codecs.ded import DedError, abbreviate_name, encode_field_values
from nacha_cs.employer import ccdplus
from nacha_cs.employer.config import Config, Employer, Sdu
from nacha_cs.employer.payroll import (
    NO_INPUT,
    UNKNOWN_EMPLOYER,
    EmployeePay,
    InputKind,
    NotSorted,
    PayrollRow,
    detect_kind,
    group_pay,
    group_pay_sorted,
    read_payroll,
)
from nacha_cs.employer.validator_process import ValidatorProcess, ValidatorProcessFailed
from nacha_cs.employer.withholding import (
    FeeLedger,
    FeePolicy,
    Order,
    Withholding,
    withhold,
    withholding_limit,
)
from nacha_cs.findings import Finding, rule
from nacha_cs.validate.engine import Options as ValidatorOptions
from nacha_cs.validate.engine import Summary, Validator, validate_stream
from nacha_cs.validate.profiles import StateProfile, load_profile

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


KEPT_PER_CODE = 1_000
"""Findings kept per rule code (the rest are counted): a million bad rows stay a small report."""
KEPT_LIMITED = 1_000
"""Employees whose limit was reached kept for the summary (the rest are counted)."""


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
    """What planning found and counted. ``batches`` holds every payment only when :func:`plan`
    made it; :func:`generate` streams them into the file instead.

    ``findings`` keeps the first :data:`KEPT_PER_CODE` of each rule code, ``counts`` how many
    there were; ``limited`` the first :data:`KEPT_LIMITED` employees whose limit was reached,
    ``limited_count`` how many.
    """

    effective_date: dt.date
    batches: dict[tuple[str, Sec], BatchPlan] = attrs.field(factory=dict)
    findings: list[Finding] = attrs.field(factory=list)
    counts: dict[str, int] = attrs.field(factory=dict)
    limited: list[EmployeeResult] = attrs.field(factory=list)
    limited_count: int = 0
    sdus: dict[str, SduTotals] = attrs.field(factory=dict)
    rows: int = 0
    employees: int = 0
    fees: int = 0
    prenote: bool = False
    planned: int = 0
    """Payments and prenotes planned: zero means there is nothing to send."""
    error_count: int = 0

    def add(self, finding: Finding) -> None:
        count = self.counts.get(finding.code, 0) + 1
        self.counts[finding.code] = count
        if count <= KEPT_PER_CODE:
            self.findings.append(finding)
        if finding.severity == "error":
            self.error_count += 1

    @property
    def errors(self) -> int:
        return self.error_count

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


class _Names:
    """DED07 names by (last, first): one employee's orders, and common names, share one."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], str] = {}

    def __call__(self, last: str, first: str) -> str:
        """:func:`~nacha_cs.codecs.ded.abbreviate_name`, remembered; raises its DedError."""
        key = (last, first)
        name = self.known.get(key)
        if name is None:
            name = abbreviate_name(last, first)
            if len(self.known) >= 65_536:
                self.known.clear()
            self.known[key] = name
        return name


PaySink = Callable[[Employer, Sdu, PayrollRow, int, str], None]
"""Receives each planned payment: employer, SDU, row, amount in cents, DED07 name."""
PrenoteSink = Callable[[Employer, Sdu], None]


class _Planner:
    """Withholds each employee's pay and hands the payments on; keeps the plan's counts.

    ``pay`` and ``prenote`` receive payments and prenotes in input order: :func:`plan` keeps
    them in batches, :func:`generate` streams them into the file. With ``sorted_input`` the
    fee ledger forgets an employee once the next one starts (rows come employee by employee).
    """

    def __init__(
        self,
        config: Config,
        options: Options,
        *,
        pay: PaySink,
        prenote: PrenoteSink,
        sorted_input: bool = False,
    ) -> None:
        self.config = config
        self.options = options
        effective, findings = check_effective_date(options.today, options.effective_date)
        self.plan = Plan(effective_date=effective, prenote=options.prenote)
        for found in findings:
            self.plan.add(found)
        self.pay = pay
        self.prenote = prenote
        self.sorted_input = sorted_input
        self.ledger = FeeLedger()
        self.last_employee_id: str | None = None
        self.row_employer: str | None = None
        self.employer_id: str | None = None
        self.warned_late: set[tuple[str, dt.date]] = set()
        self.case_patterns: dict[str, StateProfile] = {}
        """The SDUs whose state profile has a case number pattern."""
        for state, sdu in config.sdus.items():
            profile = load_profile(sdu.profile) if sdu.profile else None
            if profile is not None and profile.case_id_pattern:
                self.case_patterns[state] = profile
        self.seen_prenotes: set[tuple[str, str]] = set()
        self.employers: dict[str, Employer | None] = {}
        self.fees: dict[str, FeePolicy] = {}
        limits = config.limits
        self.percents = {
            (other, arrears): limits.percent(
                supports_other_family=other, arrears_over_12_weeks=arrears
            )
            for other in (False, True)
            for arrears in (False, True)
        }
        self.names = _Names()
        self.ctx_pairs: set[tuple[str, str]] = set()

    def column(self, field: str) -> str:
        """The export's own name for a field, for findings people match to their file."""
        return self.config.payroll.column(field)

    def finding(self, found: Finding) -> None:
        self.plan.add(found)

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

    def employer(self, first: PayrollRow) -> Employer | None:
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
        return employer

    def employee(self, pay: EmployeePay) -> None:
        """Withhold one employee's pay date and hand on its payments (the per-row hot path:
        locals and inline cache hits; the rare cases go to methods)."""
        rows = pay.rows
        first = rows[0]
        employer = self.employers.get(first.employer) or self.employer(first)
        if employer is None:
            return
        plan = self.plan
        plan.employees += 1
        plan.rows += len(rows)
        if self.options.prenote:
            self._prenotes(employer, rows)
            return
        employee_id = first.employee_id
        if self.sorted_input and employee_id != self.last_employee_id:
            self._next_employee(employer, first)
        policy = self.fees.get(employer.id) or self._fee_policy(employer)
        percent = self.percents[first.supports_other_family, first.arrears_over_12_weeks]
        disposable = first.disposable_income
        dues = [row.current_support + row.cash_medical + row.arrears for row in rows]
        withheld = sum(dues)
        limit = withholding_limit(disposable, percent)
        notes: tuple[str, ...] = ()
        if withheld <= limit:
            # withhold()'s common case (everything ordered fits) without its objects.
            amounts = dues
            if policy.per_period > 0:
                plan.fees += self.ledger.fee(
                    policy,
                    f"{employer.id}\x1f{employee_id}",
                    first.pay_date.year,
                    first.pay_date.month,
                    withheld=withheld,
                    limit=limit,
                    disposable=disposable,
                )
        else:
            result = self._withhold(employer, policy, percent, pay)
            amounts = [share.withheld for share in result.orders]
            notes = result.notes
        names = self.names
        sdus = self.config.sdus
        sdu_totals = plan.sdus
        for row, amount, due in zip(rows, amounts, dues, strict=True):
            if amount == 0 and not row.terminated:
                if due:
                    self.finding(
                        NOTHING_WITHHELD.finding(
                            f"case {row.case_id}: {'; '.join(notes)}", line=row.row
                        )
                    )
                continue
            sdu = sdus[row.sdu]
            name = names.known.get((row.last_name, row.first_name)) or self._name(row)
            if name is None:
                continue
            if sdu.state in self.case_patterns:
                self._check_case(row, sdu)
            self.pay(employer, sdu, row, amount, name)
            plan.planned += 1
            totals = sdu_totals.get(sdu.state) or self.totals(sdu)
            totals.total += amount
            if amount:
                totals.payments += 1
                if (sdu.state, row.pay_date) not in self.warned_late:
                    self.remit_check(sdu, row.pay_date, row.row)
            else:
                totals.notices += 1
            if sdu.format != "ctx":
                totals.entries += 1
            elif (employer.id, sdu.state) not in self.ctx_pairs:
                self.ctx_pairs.add((employer.id, sdu.state))
                totals.entries += 1  # one 820 per employer and SDU

    def _next_employee(self, employer: Employer, first: PayrollRow) -> None:
        """Rows come employee by employee: nobody before this one can come back, so the fee
        ledger can forget them. (Unless one employer is named two ways, "" and its id: then
        its employees may come back under the other name.)"""
        if first.employer != self.row_employer:
            if employer.id == self.employer_id:
                raise NotSorted(f"row {first.row}: employer {employer.id!r} is named two ways")
            self.row_employer, self.employer_id = first.employer, employer.id
        self.ledger.charged.clear()
        self.last_employee_id = first.employee_id

    def _prenotes(self, employer: Employer, rows: tuple[PayrollRow, ...]) -> None:
        plan = self.plan
        for row in rows:
            sdu = self.config.sdus[row.sdu]
            if (employer.id, sdu.state) not in self.seen_prenotes:
                self.seen_prenotes.add((employer.id, sdu.state))
                self.prenote(employer, sdu)
                plan.planned += 1
                totals = self.totals(sdu)
                totals.prenotes += 1
                totals.entries += 1

    def _fee_policy(self, employer: Employer) -> FeePolicy:
        policy = self.fees[employer.id] = self.config.fee_policy(employer.state)
        return policy

    def _withhold(
        self, employer: Employer, policy: FeePolicy, percent: int, pay: EmployeePay
    ) -> Withholding:
        """The limit does not cover everything ordered: share it, and report the employee."""
        first = pay.rows[0]
        employee = f"{employer.id}\x1f{first.employee_id}"
        orders = [
            Order(row.case_id, row.current_support, row.arrears, row.cash_medical)
            for row in pay.rows
        ]
        result = withhold(
            orders, first.disposable_income, percent, proration=self.config.proration
        )
        result = self.ledger.charge(
            policy, employee, first.pay_date.year, first.pay_date.month, result
        )
        plan = self.plan
        plan.fees += result.fee
        if result.limit_reached:
            plan.limited_count += 1
            if len(plan.limited) < KEPT_LIMITED:
                plan.limited.append(
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
        return result

    def _name(self, row: PayrollRow) -> str | None:
        """The DED07 name, or ``None`` with the row's finding when the DED codec would refuse
        it later (a last name without letters)."""
        try:
            return self.names(row.last_name, row.first_name)
        except DedError as error:
            self.finding(
                DED_NOT_ENCODABLE.finding(str(error), line=row.row, field=self.column("last_name"))
            )
            return None

    def _check_case(self, row: PayrollRow, sdu: Sdu) -> None:
        """Warn when the case id does not look like the receiving state's case numbers."""
        profile = self.case_patterns[sdu.state]
        pattern = profile.case_id_regex
        if pattern is not None and not pattern.fullmatch(row.case_id):
            self.finding(
                CASE_FORMAT.finding(
                    f"case {row.case_id!r} is not a {sdu.state} case number "
                    f"({profile.case_id_description or profile.case_id_pattern})",
                    line=row.row,
                    field=self.column("case_id"),
                )
            )

    def finish(self) -> Plan:
        plan = self.plan
        if not plan.planned and not plan.errors:
            self.finding(NOTHING_TO_SEND.finding())
        return plan


def plan(
    items: Iterable[PayrollRow | Finding],
    config: Config,
    options: Options,
    *,
    progress: Callable[[int], None] | None = None,
) -> Plan:
    """Withhold and group everything, holding every payment in ``batches``: for small inputs,
    tests, and inputs whose order :func:`generate` cannot stream.

    ``progress`` is called now and then with the number of employees planned so far.
    """
    batches: dict[tuple[str, Sec], BatchPlan] = {}

    def batch(employer: Employer, sdu: Sdu) -> BatchPlan:
        sec: Sec = "CTX" if sdu.format == "ctx" else "CCD"
        found = batches.get((employer.id, sec))
        if found is None:
            found = batches[employer.id, sec] = BatchPlan(employer, sec)
        return found

    def pay(employer: Employer, sdu: Sdu, row: PayrollRow, amount: int, name: str) -> None:
        batch(employer, sdu).payments.append(Payment(employer, sdu, row, amount))

    def prenote(employer: Employer, sdu: Sdu) -> None:
        batch(employer, sdu).prenotes.append(sdu)

    planner = _Planner(config, options, pay=pay, prenote=prenote)
    planner.plan.batches = batches
    for count, item in enumerate(group_pay(items), start=1):
        if type(item) is Finding:
            planner.finding(item)
        else:
            planner.employee(item)  # type: ignore[arg-type]
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
        if on_progress is None:
            yield from items
            return
        for count, item in enumerate(items):
            yield item
            if count % 4096 == 0:
                on_progress(raw.tell(), total)
    on_progress(total, total)


# --- from payments to lines -------------------------------------------------------------------


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


MAX_BATCH_RECORDS = 999_999
"""The batch control's entry/addenda count has six digits: a larger batch is split."""
CHUNK_LINES = 8_192
"""Lines handed to the file and the validator at a time."""
BUILD_ERRORS = (BuildError, FieldOverflowError, DedError, ctx820.Ctx820Error, ccdplus.PaymentError)
"""What a payment the planner let through can still run into while its entry is made."""

_Template = tuple[str, str, int, bool]
"""A CCD+ entry and its addenda with amount, identification, trace and DED left open; the
RDFI's first 8 digits as a number (for the entry hash); whether the code is a debit."""
_ENTRY_OPEN = ("amount", "identification_number", "trace_number")
_ADDENDA_OPEN = ("payment_related_information", "entry_detail_sequence_number")


class _Output:
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
        self.names = _Names()
        self.sink = sink
        self.lines: list[str] = []
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

    def ccd(self, employer: Employer, sdu: Sdu, row: PayrollRow, amount: int, name: str) -> None:
        """One CCD+ entry with its DED addenda.

        The first entry of each SDU and transaction code is made in full; it becomes the
        template of the ones after it, which differ only in amount, identification, trace and
        DED. A payment the template cannot prove fine goes the full way too, which raises what
        it always raised.
        """
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
                    name,
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
        entry = self.entry(ccd_entry(Payment(employer, sdu, row, amount)))
        if template is None and isinstance(entry, CcdEntry) and len(entry.addenda) == 1:
            templates[sdu.state] = (
                CCD_ENTRY.template(entry, _ENTRY_OPEN),
                ADDENDA.template(entry.addenda[0], _ADDENDA_OPEN),
                int(entry.receiving_dfi_identification),
                is_debit(entry.transaction_code),
            )

    def planned(self, payment: Payment) -> None:
        """A CCD+ payment of a held plan (its DED07 name is worked out here)."""
        row = payment.row
        try:
            name = self.names(row.last_name, row.first_name)
        except DedError:
            self.entry(ccd_entry(payment))  # raises with the row number, as it always did
            return
        self.ccd(payment.employer, payment.sdu, row, payment.amount, name)

    def ctx_entries(
        self, employer: Employer, sdu: Sdu, payments: list[ccdplus.ChildSupportPayment]
    ) -> None:
        for spec in self.ctx.entries(employer, sdu, payments):
            self.entry(spec)

    def flush(self) -> None:
        lines = self.lines
        if lines:
            self.lines = []
            self.flushed += len(lines)
            self.sink(lines)

    def finish(self) -> int:
        """File control and padding; returns the number of lines made."""
        lines = self.lines
        lines.append(FILE_CONTROL.format(self.builder.file_control()))
        lines.extend([PADDING_LINE] * (-(self.flushed + len(lines)) % BLOCKING_FACTOR))
        self.flush()
        return self.flushed


@attrs.define
class _EmployerBatches:
    """What one employer's batches still wait for while its rows stream in."""

    employer: Employer
    secs: list[Sec] = attrs.field(factory=list)
    ccd_open: bool = False
    ccd_held: list[tuple[Sdu, PayrollRow, int, str]] = attrs.field(factory=list)
    ctx: dict[str, tuple[Sdu, list[ccdplus.ChildSupportPayment]]] = attrs.field(factory=dict)
    prenotes: dict[Sec, list[Sdu]] = attrs.field(factory=dict)


class _Batches:
    """Payments in input order to batches in file order, one employer at a time.

    An employer's first SEC code is its first batch. When that is CCD+, its entries are
    written as they come; CTX payments wait for the employer's last row (one 820 per SDU),
    as do CCD+ payments of an employer whose first payment went to a CTX SDU.
    """

    def __init__(self, out: _Output, failed: Callable[[Exception], None]) -> None:
        self.out = out
        self.failed = failed
        """Told of an entry that cannot be made (its payment's totals still count)."""
        self.current: _EmployerBatches | None = None
        self.done: set[str] = set()

    def _employer(self, employer: Employer) -> _EmployerBatches:
        current = self.current
        if current is not None and current.employer.id == employer.id:
            return current
        if employer.id in self.done:
            raise NotSorted(f"employer {employer.id!r} appeared earlier")
        self.close()
        current = self.current = _EmployerBatches(employer)
        return current

    def pay(self, employer: Employer, sdu: Sdu, row: PayrollRow, amount: int, name: str) -> None:
        """One payment; an entry that cannot be made goes to ``failed``, not up the planner
        (whose counts for the rest of the employee must still be made)."""
        try:
            current = self.current
            if current is None or current.employer is not employer:
                current = self._employer(employer)
            if sdu.format == "ctx":
                if "CTX" not in current.secs:
                    current.secs.append("CTX")
                held = current.ctx.get(sdu.state)
                if held is None:
                    held = current.ctx[sdu.state] = (sdu, [])
                held[1].append(support_payment(Payment(employer, sdu, row, amount)))
                return
            if not current.ccd_open:
                self._first_ccd(current, employer)
                if not current.ccd_open:
                    current.ccd_held.append((sdu, row, amount, name))
                    return
            self.out.ccd(employer, sdu, row, amount, name)
        except BUILD_ERRORS as error:
            self.failed(error)

    def _first_ccd(self, current: _EmployerBatches, employer: Employer) -> None:
        """Open the employer's CCD+ batch now if it is the employer's first batch."""
        if "CCD" not in current.secs:
            current.secs.append("CCD")
        if current.secs[0] == "CCD":
            self.out.open(employer, "CCD")
            current.ccd_open = True

    def prenote(self, employer: Employer, sdu: Sdu) -> None:
        current = self._employer(employer)
        sec: Sec = "CTX" if sdu.format == "ctx" else "CCD"
        if sec not in current.secs:
            current.secs.append(sec)
        current.prenotes.setdefault(sec, []).append(sdu)

    def close(self) -> None:
        """Write out the current employer's batches."""
        current = self.current
        if current is None:
            return
        self.current = None
        self.done.add(current.employer.id)
        out = self.out
        employer = current.employer
        for sec in current.secs:
            if sec in current.prenotes:
                out.open(employer, sec)
                for sdu in current.prenotes[sec]:
                    out.entry(prenote_entry(sdu))
            elif sec == "CCD":
                if not current.ccd_open:
                    out.open(employer, "CCD")
                    for sdu, row, amount, name in current.ccd_held:
                        out.ccd(employer, sdu, row, amount, name)
            else:
                out.open(employer, "CTX")
                for sdu, payments in current.ctx.values():
                    out.ctx_entries(employer, sdu, payments)
            out.close()


def _emit_plan(plan_: Plan, out: _Output) -> None:
    """A held plan's batches, in order (what :func:`generate` streams, all at once)."""
    for batch in plan_.batches.values():
        out.open(batch.employer, batch.sec)
        if batch.prenotes:
            for sdu in batch.prenotes:
                out.entry(prenote_entry(sdu))
        elif batch.sec == "CCD":
            for payment in batch.payments:
                out.planned(payment)
        else:
            by_sdu: dict[str, tuple[Sdu, list[ccdplus.ChildSupportPayment]]] = {}
            for payment in batch.payments:
                held = by_sdu.get(payment.sdu.state)
                if held is None:
                    held = by_sdu[payment.sdu.state] = (payment.sdu, [])
                held[1].append(support_payment(payment))
            for sdu, payments in by_sdu.values():
                out.ctx_entries(batch.employer, sdu, payments)
        out.close()


# --- checking and writing ---------------------------------------------------------------------


def _profile_options(profiles: Iterable[str]) -> ValidatorOptions:
    names = set(profiles)
    state = load_profile(names.pop()) if len(names) == 1 and "" not in names else None
    return ValidatorOptions(profile="child-support", state=state)


def validator_options(config: Config, plan_: Plan) -> ValidatorOptions:
    """Child-support rules, plus the state profile when every SDU in the file shares one."""
    return _profile_options(plan_.sdus[state].sdu.profile for state in plan_.sdus)


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


class _Discard(Exception):
    """Raised inside the output's ``with`` block so the temporary file goes away."""


class _CheckHere(Exception):
    """Go again with the validator in this process: the validator process could not start or
    ended without a verdict, or the file could not be built and what the validator says
    about the lines made before is wanted (the process only judges whole files)."""


class _InlineCheck:
    """The validator in this process, fed line by line."""

    def __init__(self, options: ValidatorOptions) -> None:
        self.validator = Validator(options)
        self.number = 0

    def feed(self, lines: list[str], text: str | None) -> None:
        feed = self.validator.feed
        number = self.number
        for line in lines:
            number += 1
            feed(number, line)
        self.number = number

    def so_far(self, lines: list[str]) -> list[Finding]:
        """Findings on what was made before a build failed (``lines`` not yet fed)."""
        self.feed(lines, None)
        return self.validator.findings

    def finish(self) -> tuple[list[Finding], Summary]:
        summary = self.validator.finish()
        return self.validator.findings, summary

    def abort(self) -> None:
        pass


class _WorkerCheck:
    """The validator in a second process (:mod:`nacha_cs.employer.validator_process`), reading the
    file's bytes through a pipe while this process makes the next lines."""

    def __init__(self, options: ValidatorOptions) -> None:
        try:
            self.process = ValidatorProcess(options)
        except ValidatorProcessFailed as error:
            raise _CheckHere(str(error)) from error

    def feed(self, lines: list[str], text: str | None) -> None:
        assert text is not None
        self.process.send(text.encode("ascii"))

    def so_far(self, lines: list[str]) -> list[Finding]:
        """A build failed: the process judges whole files only."""
        self.process.abort()
        raise _CheckHere("the file cannot be built")

    def finish(self) -> tuple[list[Finding], Summary]:
        try:
            return self.process.finish()
        except ValidatorProcessFailed as error:
            raise _CheckHere(str(error)) from error

    def abort(self) -> None:
        self.process.abort()


_Check = _InlineCheck | _WorkerCheck


def _check(options: ValidatorOptions, parallel: bool) -> _Check:
    return _WorkerCheck(options) if parallel else _InlineCheck(options)


def _sink(file: IO[str] | None, check: _Check) -> Callable[[list[str]], None]:
    """Where full chunks of lines go: the temporary file and the validator."""
    if file is None and isinstance(check, _InlineCheck):
        return lambda lines: check.feed(lines, None)

    def sink(lines: list[str]) -> None:
        text = "\n".join(lines) + "\n"
        if file is not None:
            file.write(text)
        check.feed(lines, text)

    return sink


def write(
    plan_: Plan,
    config: Config,
    options: Options,
    output: str | os.PathLike[str] | None,
    *,
    force: bool = False,
    parallel: bool = False,
) -> Outcome:
    """Build the file of a held plan, validate every line as it is made, write it atomically.

    The lines go to a temporary file beside ``output`` and through the validator at once; the
    temporary file is renamed into place only when the validator found no error, so a bad file
    never appears at ``output``. ``output=None`` is a dry run: build and validate, write
    nothing. Raises :class:`nacha_cs.ach.writer.OutputExistsError` when ``output`` exists and
    ``force`` is not given.
    """
    try:
        return _write(plan_, config, options, output, force=force, parallel=parallel)
    except _CheckHere:
        return _write(plan_, config, options, output, force=force, parallel=False)


def _write(
    plan_: Plan,
    config: Config,
    options: Options,
    output: str | os.PathLike[str] | None,
    *,
    force: bool,
    parallel: bool,
) -> Outcome:
    outcome = Outcome(findings=[])
    try:
        with contextlib.ExitStack() as stack:
            file = None
            if output is not None:
                file = stack.enter_context(atomic_output(output, force=force))
            check = _check(validator_options(config, plan_), parallel)
            stack.callback(check.abort)
            out = _Output(config, options, plan_.effective_date, _sink(file, check))
            try:
                _emit_plan(plan_, out)
                lines = out.finish()
            except BUILD_ERRORS as error:
                outcome.findings = [*check.so_far(out.lines), CANNOT_BUILD.finding(str(error))]
                raise _Discard from error
            findings, summary = check.finish()
            outcome = Outcome(findings=findings, summary=summary, lines=lines)
            if outcome.errors:
                raise _Discard
        outcome.written = output is not None
    except _Discard:
        pass
    return outcome


def _ignore(*payment: object) -> None:
    """Where payments go once there is no file to write (a bad row came)."""


class _Streamer:
    """One pass over the payroll that plans and writes at once (see :func:`generate`)."""

    def __init__(
        self,
        config: Config,
        options: Options,
        validator: ValidatorOptions,
        parallel: bool,
    ) -> None:
        self.config = config
        self.planner = _Planner(config, options, pay=_ignore, prenote=_ignore, sorted_input=True)
        self.validator = validator
        self.parallel = parallel
        self.check: _Check | None = None
        self.out: _Output | None = None
        self.batches: _Batches | None = None
        self.failure: list[Finding] | None = None

    def start(self, file: IO[str] | None) -> _Check:
        """Write from now on: payments go to the batches, lines to ``file`` and the check."""
        self.check = check = _check(self.validator, self.parallel)
        planner = self.planner
        effective_date = planner.plan.effective_date
        self.out = _Output(self.config, planner.options, effective_date, _sink(file, check))
        self.batches = _Batches(self.out, self.failed)
        planner.pay = self.batches.pay
        planner.prenote = self._prenote
        return check

    def stop(self) -> None:
        """No file after all (a row error): keep planning, to report every bad row."""
        if self.check is not None:
            self.check.abort()
        self.batches = None
        self.planner.pay = self.planner.prenote = _ignore

    def failed(self, error: Exception) -> None:
        """The file cannot be built: what the validator said so far, and why."""
        assert self.check is not None and self.out is not None
        self.failure = [*self.check.so_far(self.out.lines), CANNOT_BUILD.finding(str(error))]
        self.stop()

    def _prenote(self, employer: Employer, sdu: Sdu) -> None:
        assert self.batches is not None
        try:
            self.batches.prenote(employer, sdu)
        except BUILD_ERRORS as error:
            self.failed(error)

    def run(self, items: Iterable[PayrollRow | Finding]) -> Plan:
        planner = self.planner
        plan_ = planner.plan
        finding = planner.finding
        employee = planner.employee
        for item in group_pay_sorted(items):
            if type(item) is Finding:
                finding(item)
            else:
                employee(item)  # type: ignore[arg-type]
            if plan_.error_count and self.batches is not None:
                self.stop()
        plan_ = planner.finish()
        if self.batches is not None and not plan_.errors:
            try:
                self.batches.close()
                assert self.out is not None
                self.out.finish()
            except BUILD_ERRORS as error:
                self.failed(error)
        return plan_


def generate(
    source: Callable[[], Iterable[PayrollRow | Finding]],
    config: Config,
    options: Options,
    output: str | os.PathLike[str] | None,
    *,
    force: bool = False,
    parallel: bool = False,
) -> tuple[Plan, Outcome]:
    """Plan and write in one pass over the payroll; ``source()`` gives its items.

    Every line is validated as it is made and goes to a temporary file beside ``output``
    (none for ``output=None``, a dry run); the file is renamed into place only when the plan
    has no error (all bad rows are reported, even after the first), the file could be built,
    and the validator found no error. When the plan has errors the :class:`Outcome` is empty.

    ``source`` may be called again: when the input's order does not let the pass stream
    (:class:`~nacha_cs.employer.payroll.NotSorted`), :func:`plan` and :func:`write` make the
    same file
    holding every payment. When the SDUs used share a state profile the config's others lack,
    the file is validated once more with that profile's rules (a dry run, having no file to
    read back, makes it again). ``parallel`` validates in a second process. Raises
    :class:`nacha_cs.ach.writer.OutputExistsError` or :class:`OSError` when the output cannot be
    written (only once the input is known to be fine).
    """
    validator = _profile_options(sdu.profile for sdu in config.sdus.values())
    while True:
        items = source()
        try:
            plan_, outcome, again = _stream(
                items, config, options, output, validator, force=force, parallel=parallel
            )
        except NotSorted:
            break
        except _CheckHere:
            parallel = False
            continue
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()
        if again is None:
            return plan_, outcome
        validator = again  # go again, with the state profile every SDU used shares
    plan_ = plan(source(), config, options)
    if plan_.errors:
        return plan_, Outcome(findings=[])
    return plan_, write(plan_, config, options, output, force=force, parallel=parallel)


def _stream(
    items: Iterable[PayrollRow | Finding],
    config: Config,
    options: Options,
    output: str | os.PathLike[str] | None,
    validator: ValidatorOptions,
    *,
    force: bool,
    parallel: bool,
) -> tuple[Plan, Outcome, ValidatorOptions | None]:
    """One streaming pass: the plan, the outcome, and the validator to go again with when
    the one given was not the one the SDUs used call for (else ``None``)."""
    streamer = _Streamer(config, options, validator, parallel)
    outcome = Outcome(findings=[])
    cannot_write: OSError | None = None
    again: ValidatorOptions | None = None
    plan_ = streamer.planner.plan
    try:
        with contextlib.ExitStack() as stack:
            file: IO[str] | None = None
            writing = not plan_.errors  # a bad effective date: plan only, to report the rows
            if writing and output is not None:
                try:
                    file = stack.enter_context(atomic_output(output, force=force))
                except OSError as error:  # said only if the input turns out fine
                    cannot_write, writing = error, False
            if writing:
                stack.callback(streamer.start(file).abort)
            plan_ = streamer.run(items)
            used = validator_options(config, plan_)
            if plan_.errors or cannot_write is not None:
                raise _Discard
            assert streamer.check is not None and streamer.out is not None
            if used != validator:
                if file is None or streamer.failure is not None:
                    again = used
                    raise _Discard
                # Every SDU used shares a state profile: check the file again, with its rules.
                streamer.check.abort()
                findings, summary = _check_written(file, used)
            elif streamer.failure is not None:
                outcome.findings = streamer.failure
                raise _Discard
            else:
                findings, summary = streamer.check.finish()
            outcome = Outcome(findings=findings, summary=summary, lines=streamer.out.flushed)
            if outcome.errors:
                raise _Discard
        outcome.written = output is not None
    except _Discard:
        pass
    if cannot_write is not None and not plan_.errors:
        raise cannot_write
    return plan_, outcome, again


def _check_written(file: IO[str], options: ValidatorOptions) -> tuple[list[Finding], Summary]:
    """Validate what was written to ``file`` so far, from its first line."""
    file.flush()
    descriptor = file.fileno()
    with open(os.dup(descriptor), "rb") as written:  # shares the offset: put it back after
        written.seek(0)
        report = validate_stream(written, options)
    os.lseek(descriptor, 0, os.SEEK_END)
    return report.findings, report.summary
