"""Planning, the first stage of the employer's pipeline: payroll rows -> payments.

Pure: no printing, no files written. :class:`Planner` withholds each employee's pay date
(CCPA limits, proration, fees), checks what the rows' dates and case numbers mean for the
file, and hands each :class:`Payment` on, in input order, to whoever assembles the file
(:mod:`nacha_cs.employer.assemble`). A payment carries everything later stages need, its
DED07 name included, so nothing is worked out twice.

The effective entry date is the next Federal Reserve banking day after ``today``, or a date the
user gives, which must be a banking day and not in the past.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Literal

import attrs

from nacha_cs.ach import calendar
from nacha_cs.codecs.ded import DedError, abbreviate_name
from nacha_cs.employer.ccdplus import Sdu
from nacha_cs.employer.config import Config, Employer
from nacha_cs.employer.grouping import group_pay
from nacha_cs.employer.payroll import (
    EmployeePay,
    InputKind,
    PayrollRow,
    detect_kind,
    read_csv_lines,
    read_payroll,
    text_lines,
)
from nacha_cs.employer.report import ReportWriter
from nacha_cs.employer.rules import (
    DATE_IN_PAST,
    DATE_TOO_FAR,
    DED_NOT_ENCODABLE,
    NO_INPUT,
    NOT_BANKING_DAY,
    NOTHING_TO_SEND,
    NOTHING_WITHHELD,
    REMIT_LATE,
    UNKNOWN_EMPLOYER,
)
from nacha_cs.employer.withholding import (
    FeeLedger,
    FeePolicy,
    Order,
    Proration,
    Withholding,
    withhold,
    withholding_limit,
)
from nacha_cs.findings import Finding
from nacha_cs.validate.catalogue import CASE_ID_FORMAT
from nacha_cs.validate.profiles import StateProfile, load_profile

Sec = Literal["CCD", "CTX"]
MAX_CREDIT_DAYS_AHEAD = 2
"""Credits may be dated up to two banking days after the file is sent."""


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
    """One order's money (or termination notice) for one SDU, as planning hands it down.

    ``name`` is the DED07 name, abbreviated once here; every later stage uses it as it is.
    """

    employer: Employer
    sdu: Sdu
    row: PayrollRow
    amount: int
    name: str

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
class Plan:
    """What planning found and counted (the payments themselves go on to the file).

    ``findings`` keeps the first :data:`KEPT_PER_CODE` of each rule code, ``counts`` how many
    there were; ``limited`` the first :data:`KEPT_LIMITED` employees whose limit was reached,
    ``limited_count`` how many.
    """

    effective_date: dt.date
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


PaySink = Callable[[Payment], None]
"""Receives each planned payment, in input order."""
PrenoteSink = Callable[[Employer, Sdu], None]


@attrs.frozen(slots=True)
class _Law:
    """A work state's law as the hot path reads it."""

    fee: FeePolicy
    proration: Proration
    percents: dict[tuple[bool, bool], int]


class Planner:
    """Withholds each employee's pay and hands the payments on; keeps the plan's counts.

    ``pay`` and ``prenote`` receive payments and prenotes in input order. With
    ``sorted_input`` the fee ledger forgets an employee once the next one starts (rows come
    employee by employee); when the rows turn out not to be, ``unsorted`` says why and the
    planner takes nothing more (the caller goes again holding everything).
    """

    def __init__(
        self,
        config: Config,
        options: Options,
        *,
        pay: PaySink,
        prenote: PrenoteSink,
        sorted_input: bool = False,
        ledger: FeeLedger | None = None,
        report: ReportWriter | None = None,
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
        self.ledger = ledger or FeeLedger()
        """This run's fees against each month's cap (and earlier runs' when it has a history)."""
        self.report = report
        """Told what each order got, for the per-employee withholding report."""
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
        self.laws: dict[str, _Law] = {}
        """Per employer id: its work state's law, with the four percentages worked out."""
        self.names = _Names()
        self.ctx_pairs: set[tuple[str, str]] = set()
        self.unsorted: str | None = None
        """Why the rows cannot be taken as sorted (only with ``sorted_input``)."""

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
            if self.unsorted is not None:
                return
        law = self.laws.get(employer.id) or self._law(employer)
        policy = law.fee
        percent = law.percents[first.supports_other_family, first.arrears_over_12_weeks]
        disposable = first.disposable_income
        if len(rows) == 1:  # most employees: one order, no list to build and sum
            withheld = first.current_support + first.cash_medical + first.arrears
            dues = [withheld]
        else:
            dues = [row.current_support + row.cash_medical + row.arrears for row in rows]
            withheld = sum(dues)
        limit = withholding_limit(disposable, percent)
        notes: tuple[str, ...] = ()
        if withheld <= limit:
            # withhold()'s common case (everything ordered fits) without its objects.
            amounts = dues
            if policy.per_period > 0:
                fee = self.ledger.fee(
                    policy,
                    f"{employer.id}\x1f{employee_id}",
                    first.pay_date.year,
                    first.pay_date.month,
                    withheld=withheld,
                    limit=limit,
                    disposable=disposable,
                    pay_date=first.pay_date,
                )
                plan.fees += fee
            else:
                fee = 0
        else:
            result = self._withhold(employer, law, percent, pay)
            amounts = [share.withheld for share in result.orders]
            notes = result.notes
            fee = result.fee
        if self.report is not None:
            self.report.orders(rows, dues, amounts, fee, "; ".join(notes))
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
            self.pay(Payment(employer, sdu, row, amount, name))
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
                self.unsorted = f"row {first.row}: employer {employer.id!r} is named two ways"
                return
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

    def _law(self, employer: Employer) -> _Law:
        law = self.config.law(employer.state)
        made = self.laws[employer.id] = _Law(
            fee=law.fee,
            proration=law.proration,
            percents={
                (other, arrears): law.limits.percent(
                    supports_other_family=other, arrears_over_12_weeks=arrears
                )
                for other in (False, True)
                for arrears in (False, True)
            },
        )
        return made

    def _withhold(
        self, employer: Employer, law: _Law, percent: int, pay: EmployeePay
    ) -> Withholding:
        """The limit does not cover everything ordered: share it, and report the employee."""
        first = pay.rows[0]
        employee = f"{employer.id}\x1f{first.employee_id}"
        orders = [
            Order(row.case_id, row.current_support, row.arrears, row.cash_medical)
            for row in pay.rows
        ]
        result = withhold(
            orders, first.disposable_income, percent, proration=law.proration
        )
        result = self.ledger.charge(
            law.fee, employee, first.pay_date.year, first.pay_date.month, result,
            pay_date=first.pay_date,
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
        problem = profile.case_id_problem(row.case_id) if pattern is not None else None
        if problem is not None:
            # The validator's own rule and severity: what it would reject is refused here,
            # at the row, instead of as "the generated file is not valid".
            self.finding(
                CASE_ID_FORMAT.finding(problem, line=row.row, field=self.column("case_id"))
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
    pay: PaySink | None = None,
    progress: Callable[[int], None] | None = None,
) -> Plan:
    """Withhold every employee and count what the file would carry, in any row order; each
    payment goes to ``pay`` if given (for a summary without a file, and tests).

    ``progress`` is called now and then with the number of employees planned so far.
    """
    planner = Planner(config, options, pay=pay or _ignore, prenote=_ignore)
    for count, item in enumerate(group_pay(items), start=1):
        if type(item) is Finding:
            planner.finding(item)
        else:
            planner.employee(item)  # type: ignore[arg-type]
        if progress is not None and count % 10_000 == 0:
            progress(count)
    return planner.finish()


def _ignore(*payment: object) -> None:
    """Where payments go when nobody takes them (planning only, or after a bad row)."""


@attrs.define(eq=False)
class PayrollInput:
    """A payroll file to stream (iterate it: rows and findings), which also says where it
    is, so a reader of its own (the compiled lane) can take it instead."""

    path: str | os.PathLike[str]
    config: Config
    kind: InputKind
    on_progress: Callable[[int, int], None] | None = None
    _items: Iterator[PayrollRow | Finding] | None = None

    def __iter__(self) -> Iterator[PayrollRow | Finding]:
        self._items = _read_input(self.path, self.config, self.kind, self.on_progress)
        return self._items

    def close(self) -> None:
        if self._items is not None:
            self._items.close()  # type: ignore[attr-defined]


def read_input(
    path: str | os.PathLike[str],
    config: Config,
    *,
    kind: InputKind | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> PayrollInput:
    """Stream a payroll file with the config's column mapping, SDUs and employers.

    ``on_progress(bytes_read, total_bytes)`` is called every few thousand rows, for a bar.
    """
    return PayrollInput(path, config, kind or detect_kind(path), on_progress)


def _read_input(
    path: str | os.PathLike[str],
    config: Config,
    kind: InputKind,
    on_progress: Callable[[int, int], None] | None,
) -> Iterator[PayrollRow | Finding]:
    try:
        total = os.path.getsize(path)
        raw = open(path, "rb")  # noqa: SIM115 - closed by the exit stack below
    except OSError as error:
        yield NO_INPUT.finding(f"cannot open {os.fspath(path)}: {error.strerror}")
        return
    with contextlib.ExitStack() as stack:
        if kind == "csv":  # decoded a line at a time: a bad byte costs no row before it
            stack.enter_context(raw)
            items = read_csv_lines(
                text_lines(raw),
                config.payroll,
                known_sdus=config.sdus.keys(),
                known_employers=config.employer_ids,
            )
        else:
            text = stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
            items = read_payroll(
                text,
                config.payroll,
                kind=kind,
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
