"""`nacha-cs generate`: a payroll export in, a validated child-support ACH file out."""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nacha_cs.ach.writer import OutputExistsError
from nacha_cs.cli._output import (
    fail,
    money,
    progress_bar,
    show_progress,
    stderr_console,
    stdout_console,
)
from nacha_cs.employer.config import Config, ConfigError, load_config
from nacha_cs.employer.fee_ledger import FeeRecord, FeeRecordError
from nacha_cs.employer.generate import Options, Outcome, Plan, read_input
from nacha_cs.employer.generate import generate as generate_file
from nacha_cs.employer.rules import CANNOT_BUILD
from nacha_cs.findings import Finding
from nacha_cs.privacy import mask_ded_text, mask_identification, mask_ssn

EXAMPLE = """\b
Example:
  nacha-cs generate fixtures/payroll/sample.csv \\
      --config fixtures/config/sample.toml --today 2026-11-20 -o child-support.ach
\b
  Dry run (validate, print the summary, write nothing) on a chosen date:
  nacha-cs generate payroll.csv -c payroll.toml --dry-run --effective-date 2026-12-01
"""
SHOWN_PER_CODE = 20
"""Findings printed per rule code; the rest are counted, so a million bad rows stay readable."""
SHOWN_EMPLOYEES = 50
PROGRESS_BYTES = 2_000_000
"""Inputs smaller than this finish before a progress bar would be worth drawing."""
PARALLEL_BYTES = 1_000_000
"""From this input size on (about 10,000 rows), the validator runs in a second process: it
then costs little wall time on a machine with two cores, where starting it (a tenth of a
second) would not pay for a small file."""


def _where(finding: Finding) -> str:
    parts = []
    if finding.line is not None:
        parts.append(f"row {finding.line}")
    if finding.field:
        parts.append(finding.field)
    return ", ".join(parts)


def print_findings(
    console: Console,
    findings: Iterable[Finding],
    *,
    full_ssn: bool,
    unit: str = "row",
    counts: Mapping[str, int] | None = None,
) -> None:
    """Errors first, then warnings, at most ``SHOWN_PER_CODE`` of each code.

    ``counts`` gives how many findings of each code there were, when ``findings`` keeps only
    the first of each (a plan keeps a thousand).
    """
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_code[finding.code].append(finding)
    ordered = sorted(by_code.items(), key=lambda kv: (kv[1][0].severity != "error", kv[0]))
    for code, group in ordered:
        for finding in group[:SHOWN_PER_CODE]:
            colour = "red" if finding.severity == "error" else "yellow"
            where = _where(finding).replace("row ", f"{unit} ", 1)
            message = finding.message if full_ssn else mask_ded_text(finding.message)
            console.print(
                f"[{colour}]{finding.severity}[/] {code}"
                + escape(f" ({where})" if where else "")
                + escape(f": {message}"),
                markup=True,
                highlight=False,
            )
        total = max(len(group), counts.get(code, 0) if counts else 0)
        if total > SHOWN_PER_CODE:
            console.print(f"  ... and {total - SHOWN_PER_CODE:,} more {code}")
        if group[0].hint and group[0].severity == "error":
            console.print(f"  [dim]hint: {escape(group[0].hint)}[/]", markup=True)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Millions of small acyclic row and payment objects: the cyclic collector would walk
    them again and again for nothing (a fifth of the run time on large inputs)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _progress(console: Console, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    if not enabled:
        yield None
        return
    bar = progress_bar(console, "reading payroll")
    task = bar.add_task("payroll", total=None)
    with bar:

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def sdu_table(plan_: Plan) -> Table:
    table = Table(title=f"Payments per SDU, effective {plan_.effective_date:%Y-%m-%d}")
    for column, justify in [
        ("SDU", "left"),
        ("name", "left"),
        ("format", "left"),
        ("entries", "right"),
        ("payments", "right"),
        ("notices", "right"),
        ("prenotes", "right"),
        ("total", "right"),
    ]:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for state, totals in sorted(plan_.sdus.items()):
        table.add_row(
            state,
            totals.sdu.name,
            totals.sdu.format.upper(),
            f"{totals.entries:,}",
            f"{totals.payments:,}",
            f"{totals.notices:,}",
            f"{totals.prenotes:,}",
            money(totals.total),
        )
    return table


def limits_table(plan_: Plan, full_ssn: bool) -> Table:
    table = Table(title="Employees whose withholding limit was reached")
    for column in ("employee", "name", "SSN", "pay date", "limit", "ordered", "withheld", "why"):
        justify = "right" if column in ("limit", "ordered", "withheld") else "left"
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for result in plan_.limited[:SHOWN_EMPLOYEES]:
        w = result.withholding
        table.add_row(
            result.employee_id if full_ssn else mask_identification(result.employee_id),
            f"{result.last_name}, {result.first_name}",
            result.ssn if full_ssn else mask_ssn(result.ssn),
            f"{result.pay_date:%Y-%m-%d}",
            f"{w.percent}% = {money(w.limit)}",
            money(w.ordered),
            money(w.withheld),
            "; ".join(note for note in w.notes if not note.startswith("limit ")),
        )
    if plan_.limited_count > SHOWN_EMPLOYEES:
        table.caption = f"... and {plan_.limited_count - SHOWN_EMPLOYEES:,} more employees"
    return table


def _never_over_inputs(target: str, *inputs: str) -> None:
    """``--force`` replaces an earlier output, never the payroll or config it is made from."""
    for source in inputs:
        if os.path.exists(target) and os.path.exists(source) and os.path.samefile(target, source):
            fail(f"{target} is the command's own input; choose another output", 2)


def _fee_record(path: str) -> FeeRecord:
    try:
        return FeeRecord(path)
    except FeeRecordError as error:
        fail(str(error), 2)


def _load(config_path: str) -> Config:
    try:
        return load_config(config_path)
    except ConfigError as error:
        lines = "\n  ".join(error.problems)
        fail(f"config {config_path} cannot be used:\n  {lines}", 2)


@click.command(epilog=EXAMPLE)
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "-c",
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="TOML config: originator, employers, SDU directory, fees, payroll columns.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Where to write the ACH file (required unless --dry-run).",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--dry-run", is_flag=True, help="Withhold, build and validate; write nothing.")
@click.option(
    "--effective-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Effective entry date (a banking day). Default: the next Federal Reserve banking day.",
)
@click.option("--prenote", is_flag=True, help="Zero-dollar prenotes per employer and SDU.")
@click.option("--full-ssn", is_flag=True, help="Show SSNs in full in the output (masked else).")
@click.option(
    "--input-format",
    type=click.Choice(["csv", "json", "jsonl"]),
    help="Payroll format when the file name does not say (.csv, .json, .jsonl).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Run as if today were this date (YYYY-MM-DD): the effective date and the SDU "
    "deadlines are reckoned from it. For replaying a past payroll, and the sample.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    help="Per-employee withholding report, CSV or .json. Default: OUTPUT.withholding.csv.",
)
@click.option("--no-report", is_flag=True, help="Write no withholding report.")
@click.option(
    "--fee-record",
    "fee_record_path",
    type=click.Path(dir_okay=False),
    help="SQLite file of fees charged, so the monthly fee cap holds across runs. "
    "Default: beside the config (CONFIG.fees.sqlite).",
)
@click.option("--no-fee-record", is_flag=True, help="Cap fees within this run only.")
def generate(
    input_path: str,
    config_path: str,
    output: str | None,
    force: bool,
    dry_run: bool,
    effective_date: dt.datetime | None,
    prenote: bool,
    full_ssn: bool,
    input_format: str | None,
    today: dt.datetime | None,
    report_path: str | None,
    no_report: bool,
    fee_record_path: str | None,
    no_fee_record: bool,
) -> None:
    """Build a child-support ACH file from a payroll export.

    Reads INPUT (CSV, JSON or JSON Lines; one row per employee and order), applies the
    withholding limits and proration, groups payments per SDU (CCD+ or CTX as configured, one
    batch per employer) and validates the file before writing it. Bad rows are reported with
    their row numbers and nothing is written (exit 1).
    """
    out = stdout_console()
    err = stderr_console()
    if output is None and not dry_run:
        fail("give -o OUTPUT, or --dry-run to write nothing", 2)
    if not os.path.isfile(input_path):
        fail(f"cannot read {input_path}: no such file", 2)
    if output is not None and not dry_run and os.path.exists(output) and not force:
        fail(f"{output} exists; use --force to replace it", 2)
    if output is not None and not dry_run and report_path is None and not no_report:
        report_path = f"{output}.withholding.csv"
    if dry_run or no_report:
        report_path = None
    for target in (output if not dry_run else None, report_path):
        if target is not None:
            _never_over_inputs(target, input_path, config_path)
    if report_path is not None and os.path.exists(report_path) and not force:
        fail(f"{report_path} exists; use --force to replace it", 2)
    config = _load(config_path)
    fee_record = None
    if not no_fee_record:
        default_record = f"{os.path.splitext(config_path)[0]}.fees.sqlite"
        fee_record = _fee_record(fee_record_path or default_record)
    now = dt.datetime.now()
    options = Options(
        today=today.date() if today else now.date(),
        effective_date=effective_date.date() if effective_date else None,
        prenote=prenote,
        created=now if today is None else dt.datetime.combine(today.date(), now.time()),
    )
    large = os.path.getsize(input_path) >= PROGRESS_BYTES
    try:
        with _no_cyclic_gc(), _progress(err, large and show_progress(err)) as on_progress:
            the_plan, outcome = generate_file(
                lambda: read_input(
                    input_path,
                    config,
                    kind=input_format,  # type: ignore[arg-type]
                    on_progress=on_progress,
                ),
                config,
                options,
                None if dry_run else output,
                force=force,
                parallel=os.path.getsize(input_path) >= PARALLEL_BYTES,
                check_written=True,
                fee_record=fee_record,
                report=report_path,
                full_ssn=full_ssn,
            )
    except OutputExistsError as error:
        fail(str(error), 2)
    except FeeRecordError as error:
        fail(str(error), 2)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}", 2)
    finally:
        if fee_record is not None:
            fee_record.close()
    print_findings(err, the_plan.findings, full_ssn=full_ssn, counts=the_plan.counts)
    if the_plan.errors:
        fail(
            f"nothing written: {the_plan.errors:,} error(s) in {input_path} or its dates "
            "(see above)",
            1,
        )
    _report(
        out, err, the_plan, outcome, output, dry_run=dry_run, full_ssn=full_ssn, report=report_path
    )


def _report(
    out: Console,
    err: Console,
    the_plan: Plan,
    outcome: Outcome,
    output: str | None,
    *,
    dry_run: bool,
    full_ssn: bool,
    report: str | None = None,
) -> None:
    if outcome.errors:
        if any(f.code == CANNOT_BUILD.code for f in outcome.findings):
            print_findings(err, outcome.findings, full_ssn=full_ssn)
            fail("nothing written: the file cannot be built (see above)", 1)
        err.print("[red]the generated file failed validation:[/]", markup=True)
        print_findings(err, outcome.findings, full_ssn=full_ssn, unit="record")
        fail("nothing written: the generated file is not valid (a bug; please report it)", 1)
    print_findings(err, outcome.findings, full_ssn=full_ssn, unit="record")
    out.print(sdu_table(the_plan))
    if the_plan.limited:
        out.print(limits_table(the_plan, full_ssn))
    summary = outcome.summary
    entries = summary.entries if summary else 0
    fees = f"; administrative fees kept from pay: {money(the_plan.fees)}" if the_plan.fees else ""
    out.print(
        f"{the_plan.employees:,} employee(s), {the_plan.rows:,} order row(s), "
        f"{entries:,} entries, total {money(the_plan.total)}{fees}",
        highlight=False,
    )
    if dry_run:
        out.print(f"dry run: valid, {outcome.lines:,} records; nothing written", highlight=False)
    else:
        out.print(f"wrote {output} ({outcome.lines:,} records)", highlight=False)
        if report is not None:
            out.print(f"wrote {report} (withholding per employee and order)", highlight=False)
