"""The employer's job end to end: payroll export -> plan -> assemble -> commit.

:mod:`~nacha_cs.employer.plan` withholds and hands on payments, :mod:`~nacha_cs.employer.assemble`
turns them into the file's lines, and this module commits them: every line goes through the
project's validator and into a temporary file beside the output, which is renamed into place
only when no row, no build step and no validator check found an error. Pure: no printing.

One pipeline, tried with explicit strategies. Exports are usually sorted by employer, employee
and pay date (PAY010's advice): :data:`STREAM` then writes each employer's CCD+ entries as its
rows are read and holds only what must wait, in memory that does not grow with the rows. When
the rows turn out not to be in such an order, that attempt reports it (a value, not an
exception) and :func:`generate` goes again with :data:`HOLD`, which holds every payment to the
end. Both give the same bytes for sorted rows. Other reasons to go again are just as explicit:
the validator process could not give a verdict (check here instead), or every SDU used shares
a state profile whose rules the file must also pass.

With ``parallel=True`` the validator runs in a second process reading the lines through a pipe,
so checking a large file costs little wall time on a machine with two cores. With
``check_written=True`` the temporary file is validated once it is complete, in this process,
when the compiled scanner takes the validator's options: reading the file back through the
scanner costs less than feeding a second process (a tenth of a second for a million entries).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Literal

import attrs

from nacha_cs.ach.writer import atomic_output
from nacha_cs.employer import lane
from nacha_cs.employer.assemble import (
    BUILD_ERRORS,
    CHUNK_LINES,
    Batches,
    Output,
    batch_spec,
    ccd_entry,
    file_spec,
    prenote_entry,
    support_payment,
)
from nacha_cs.employer.ccdplus import Sdu
from nacha_cs.employer.config import Config, Employer
from nacha_cs.employer.fee_ledger import FeeRecord
from nacha_cs.employer.grouping import Unsorted, group_pay, group_pay_sorted
from nacha_cs.employer.payroll import EmployeePay, PayrollRow
from nacha_cs.employer.plan import (
    EmployeeResult,
    Options,
    Payment,
    Plan,
    Planner,
    SduTotals,
    check_effective_date,
    plan,
    read_input,
)
from nacha_cs.employer.report import ReportWriter, report_format
from nacha_cs.employer.rules import (
    CANNOT_BUILD,
    DATE_IN_PAST,
    DATE_TOO_FAR,
    DED_NOT_ENCODABLE,
    NOT_BANKING_DAY,
    NOTHING_TO_SEND,
    NOTHING_WITHHELD,
    REMIT_LATE,
)
from nacha_cs.employer.withholding import FeeLedger
from nacha_cs.findings import Finding
from nacha_cs.validate import Options as ValidatorOptions
from nacha_cs.validate import Summary, Validator, validate_stream
from nacha_cs.validate.process import ValidatorProcess, ValidatorProcessFailed
from nacha_cs.validate.profiles import load_profile
from nacha_cs.validate.scan import wanted as scanner_takes

__all__ = [
    "CANNOT_BUILD",
    "CHUNK_LINES",
    "DATE_IN_PAST",
    "DATE_TOO_FAR",
    "DED_NOT_ENCODABLE",
    "HOLD",
    "NOTHING_TO_SEND",
    "NOTHING_WITHHELD",
    "NOT_BANKING_DAY",
    "REMIT_LATE",
    "STRATEGIES",
    "STREAM",
    "EmployeeResult",
    "Options",
    "Outcome",
    "Payment",
    "Plan",
    "SduTotals",
    "Strategy",
    "batch_spec",
    "ccd_entry",
    "check_effective_date",
    "file_spec",
    "generate",
    "plan",
    "prenote_entry",
    "read_input",
    "support_payment",
    "validator_options",
]


@attrs.frozen
class Strategy:
    """How one attempt takes the rows."""

    name: str
    hold: bool
    """Hold every payment to the end (rows in any order) instead of streaming them (rows
    sorted by employer and employee)."""


STREAM = Strategy("stream", hold=False)
HOLD = Strategy("hold", hold=True)
STRATEGIES: tuple[Strategy, ...] = (STREAM, HOLD)
"""Tried in this order: the first whose order assumption the rows meet makes the file."""


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
    """Raised inside the output's ``with`` block so the temporary file goes away (the one
    way :func:`~nacha_cs.ach.writer.atomic_output` is told not to commit)."""


class _InlineCheck:
    """The validator in this process, fed line by line."""

    broken: str | None = None

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
    """The validator in a second process (:mod:`nacha_cs.validate.process`),
    reading the file's bytes through a pipe while this process makes the next lines.

    ``broken`` says why it gave no verdict: the process could not start or ended without
    one, or a build failed and only this process can say what the lines before held.
    """

    def __init__(self, options: ValidatorOptions) -> None:
        self.broken: str | None = None
        self.process: ValidatorProcess | None = None
        try:
            self.process = ValidatorProcess(options)
        except ValidatorProcessFailed as error:
            self.broken = str(error)

    def feed(self, lines: list[str], text: str | None) -> None:
        assert text is not None
        if self.process is not None and self.broken is None:
            self.process.send(text.encode("ascii"))

    def so_far(self, lines: list[str]) -> list[Finding]:
        self.abort()
        self.broken = "the file cannot be built"
        return []

    def finish(self) -> tuple[list[Finding], Summary]:
        if self.process is not None and self.broken is None:
            try:
                return self.process.finish()
            except ValidatorProcessFailed as error:
                self.broken = str(error)
        return [], Summary()

    def abort(self) -> None:
        if self.process is not None:
            self.process.abort()


class _WrittenCheck:
    """The validator over the temporary file once it is complete (the scanner's way).

    The lines reach the file through the sink; nothing is checked until :meth:`finish`.
    When a build fails there is no file to read, so, like the second process, it gives no
    verdict and the attempt goes again checked line by line.
    """

    def __init__(self, file: IO[str], options: ValidatorOptions) -> None:
        self.broken: str | None = None
        self.file = file
        self.options = options

    def feed(self, lines: list[str], text: str | None) -> None:
        pass

    def so_far(self, lines: list[str]) -> list[Finding]:
        self.broken = "the file cannot be built"
        return []

    def finish(self) -> tuple[list[Finding], Summary]:
        return _check_written(self.file, self.options)

    def abort(self) -> None:
        pass


_Check = _InlineCheck | _WorkerCheck | _WrittenCheck


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


def _ignore(*payment: object) -> None:
    """Where payments go once there is no file to write (a bad row came)."""


@attrs.frozen
class _Attempt:
    strategy: Strategy
    validator: ValidatorOptions
    parallel: bool
    written: bool = False
    """Validate the written file at the end (see the module's docstring)."""


Again = Literal["unsorted", "check here"] | ValidatorOptions | None
"""Why an attempt could not finish as it was, so the next goes differently (None: done)."""


class _Pass:
    """One pass over the payroll that plans, assembles and checks at once."""

    def __init__(
        self,
        config: Config,
        options: Options,
        attempt: _Attempt,
        fee_record: FeeRecord | None = None,
        report: ReportWriter | None = None,
    ) -> None:
        self.config = config
        self.attempt = attempt
        self.hold = attempt.strategy.hold
        ledger = FeeLedger()
        if fee_record is not None:
            ledger = FeeLedger(history=fee_record.charged, on_charge=fee_record.add)
        self.planner = Planner(
            config,
            options,
            pay=_ignore,
            prenote=_ignore,
            sorted_input=not self.hold,
            ledger=ledger,
            report=report,
        )
        self.check: _Check | None = None
        self.out: Output | None = None
        self.batches: Batches | None = None
        self.failure: list[Finding] | None = None

    def start(self, file: IO[str] | None) -> _Check:
        """Write from now on: payments go to the batches, lines to ``file`` and the check."""
        validator = self.attempt.validator
        check: _Check
        if self.attempt.written and file is not None and scanner_takes(validator):
            check = _WrittenCheck(file, validator)
        elif self.attempt.parallel:
            check = _WorkerCheck(validator)
        else:
            check = _InlineCheck(validator)
        self.check = check
        planner = self.planner
        self.out = Output(
            self.config, planner.options, planner.plan.effective_date, _sink(file, check)
        )
        self.batches = Batches(self.out, self.failed, hold=self.hold)
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

    def run(self, items: Iterable[PayrollRow | Finding]) -> str | None:
        """Plan and assemble every item; returns why the rows are not in the order this
        strategy needs (``None`` when they are)."""
        drive = lane.driver(self, items) if self.batches is not None else None
        if drive is not None:
            unsorted = drive.run()
        else:
            groups = group_pay(items) if self.hold else group_pay_sorted(items)
            unsorted = self.take(groups)
        if unsorted is not None:
            return unsorted
        planner = self.planner
        plan_ = planner.plan
        planner.finish()
        if self.batches is not None and not plan_.errors:
            try:
                self.batches.finish()
                assert self.out is not None
                self.out.finish()
            except BUILD_ERRORS as error:
                self.failed(error)
        return None

    def take(self, groups: Iterable[EmployeePay | Finding | Unsorted]) -> str | None:
        """Plan and assemble the groups; returns why the rows are not in order, if they
        are not (the compiled lane hands its spans here too)."""
        planner = self.planner
        plan_ = planner.plan
        finding = planner.finding
        employee = planner.employee
        for item in groups:
            kind = type(item)
            if kind is Finding:
                finding(item)  # type: ignore[arg-type]
            elif kind is Unsorted:
                return item.reason  # type: ignore[union-attr]
            else:
                employee(item)  # type: ignore[arg-type]
                unsorted = planner.unsorted or (self.batches and self.batches.unsorted)
                if unsorted:
                    return unsorted
            if plan_.error_count and self.batches is not None:
                self.stop()
        return None

    def check_reads_lines(self) -> bool:
        """Whether the check takes the lines one by one (the compiled lane hands on runs of
        lines joined, which only a check of the file's text takes)."""
        return isinstance(self.check, _InlineCheck)


def generate(
    source: Callable[[], Iterable[PayrollRow | Finding]],
    config: Config,
    options: Options,
    output: str | os.PathLike[str] | None,
    *,
    force: bool = False,
    parallel: bool = False,
    check_written: bool = False,
    strategies: Sequence[Strategy] = STRATEGIES,
    fee_record: FeeRecord | None = None,
    report: str | os.PathLike[str] | None = None,
    full_ssn: bool = False,
) -> tuple[Plan, Outcome]:
    """Plan, assemble and commit the payroll ``source()`` gives; returns the plan and what
    writing came to.

    Every line is validated as it is made and goes to a temporary file beside ``output``
    (none for ``output=None``, a dry run); the file is renamed into place only when the plan
    has no error (all bad rows are reported, even after the first), the file could be built,
    and the validator found no error. When the plan has errors the :class:`Outcome` is empty.
    ``parallel`` checks the lines in a second process as they are made; ``check_written``
    checks the finished temporary file here, before the rename, when the compiled scanner
    takes the options (else ``parallel`` decides).

    ``fee_record`` remembers fees between runs (the monthly cap): each attempt reads it under
    its write lock, and the run's fees are kept only when the file is written. ``report`` is
    where the per-employee withholding report goes (CSV, or JSON for a ``.json`` name),
    written and renamed beside the file only with it.

    ``source`` is called once per attempt (see the module's docstring for why there may be
    more than one). Raises :class:`nacha_cs.ach.writer.OutputExistsError` or
    :class:`OSError` when the output cannot be written (only once the input is known to be
    fine), and :class:`ValueError` when no strategy given can take the rows' order.
    """
    remaining = list(strategies)
    attempt = _Attempt(
        remaining.pop(0),
        _profile_options(sdu.profile for sdu in config.sdus.values()),
        parallel,
        check_written,
    )
    while True:
        items = source()
        try:
            plan_, outcome, again = _commit(
                items,
                config,
                options,
                output,
                attempt,
                force=force,
                fee_record=fee_record,
                report=report,
                full_ssn=full_ssn,
            )
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()
        if again is None:
            return plan_, outcome
        if again == "unsorted":
            if not remaining:
                raise ValueError("the rows are not sorted and no strategy given holds them")
            attempt = attrs.evolve(attempt, strategy=remaining.pop(0))
        elif again == "check here":
            attempt = attrs.evolve(attempt, parallel=False, written=False)
        else:
            attempt = attrs.evolve(attempt, validator=again)


def _commit(
    items: Iterable[PayrollRow | Finding],
    config: Config,
    options: Options,
    output: str | os.PathLike[str] | None,
    attempt: _Attempt,
    *,
    force: bool,
    fee_record: FeeRecord | None = None,
    report: str | os.PathLike[str] | None = None,
    full_ssn: bool = False,
) -> tuple[Plan, Outcome, Again]:
    """One attempt: the plan, the outcome, and why to go again (``None``: this is it)."""
    if fee_record is not None:
        fee_record.begin()
    try:
        plan_, outcome, again = _attempt(
            items, config, options, output, attempt, force, fee_record, report, full_ssn
        )
    except BaseException:
        if fee_record is not None:
            fee_record.rollback()
        raise
    if fee_record is not None:
        if outcome.written and again is None:
            fee_record.commit()
        else:
            fee_record.rollback()
    return plan_, outcome, again


def _attempt(
    items: Iterable[PayrollRow | Finding],
    config: Config,
    options: Options,
    output: str | os.PathLike[str] | None,
    attempt: _Attempt,
    force: bool,
    fee_record: FeeRecord | None,
    report_path: str | os.PathLike[str] | None,
    full_ssn: bool,
) -> tuple[Plan, Outcome, Again]:
    outcome = Outcome(findings=[])
    report: ReportWriter | None = None
    cannot_write: OSError | None = None
    again: Again = None
    try:
        with contextlib.ExitStack() as stack:
            file: IO[str] | None = None
            effective_findings = check_effective_date(options.today, options.effective_date)[1]
            # a bad effective date: plan only, to report the rows
            writing = not any(f.severity == "error" for f in effective_findings)
            if writing and output is not None:
                try:
                    file = stack.enter_context(atomic_output(output, force=force))
                    if report_path is not None:
                        report_file = stack.enter_context(
                            atomic_output(report_path, force=force, encoding="utf-8")
                        )
                        report = ReportWriter(
                            report_file, report_format(os.fspath(report_path)), full_ssn=full_ssn
                        )
                except OSError as error:  # said only if the input turns out fine
                    cannot_write, writing = error, False
            work = _Pass(config, options, attempt, fee_record, report)
            plan_ = work.planner.plan
            if writing:
                check = work.start(file)
                stack.callback(check.abort)
                if check.broken is not None:
                    again = "check here"
                    raise _Discard
            unsorted = work.run(items)
            if unsorted is not None:
                again = "unsorted"
                raise _Discard
            used = validator_options(config, plan_)
            if plan_.errors or cannot_write is not None:
                raise _Discard
            assert work.check is not None and work.out is not None
            if work.check.broken is not None:
                again = "check here"
                raise _Discard
            if used != attempt.validator:
                if file is None or work.failure is not None:
                    again = used
                    raise _Discard
                # Every SDU used shares a state profile: check the file again, with its rules.
                work.check.abort()
                findings, summary = _check_written(file, used)
            elif work.failure is not None:
                outcome.findings = work.failure
                raise _Discard
            else:
                findings, summary = work.check.finish()
                if work.check.broken is not None:
                    again = "check here"
                    raise _Discard
            outcome = Outcome(findings=findings, summary=summary, lines=work.out.flushed)
            if outcome.errors:
                raise _Discard
            if report is not None:
                report.close()
        outcome.written = output is not None
    except _Discard:
        pass
    if again is None and cannot_write is not None and not plan_.errors:
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
