"""`nacha-cs validate` and `nacha-cs rules`: the validator for people and for programs.

``validate --format json`` loads only what it prints with: rich is imported by the text
output, the state profiles (TOML, package data) only when ``--state`` is given or help shown.
"""

from __future__ import annotations

import importlib
import json
from typing import TYPE_CHECKING

import click

from nacha_cs.ach.sniff import unreadable_finding
from nacha_cs.cli._output import echo_json, fail, money, open_input, stdout_console
from nacha_cs.findings import RULES, Finding
from nacha_cs.privacy import mask_ded_text
from nacha_cs.validate import Options, Report, Summary
from nacha_cs.validate.present import (
    check_stream,
    group_findings,
    printable,
    record_lines,
    report_json,
)

if TYPE_CHECKING:
    from rich.console import Console

    from nacha_cs.validate.profiles import StateProfile

RULE_MODULES = (
    "nacha_cs.validate.catalogue",
    "nacha_cs.employer.payroll",
    "nacha_cs.employer.generate",
)
"""Every module that registers rules: the ACH-file rules and the payroll-input (PAY, GEN) ones."""

EXAMPLE = """\b
Examples:
  nacha-cs validate fixtures/ccd-plus-ded.ach
  nacha-cs validate --format json incoming/*.ach > findings.json
  nacha-cs validate --profile nacha --disable FC007 bank-file.ach
  nacha-cs validate --state idaho --strict sdu-file.ach
"""


def print_report(
    console: Console, report: Report, strict: bool, full_ssn: bool, per_rule: int
) -> None:
    from rich.text import Text

    summary = report.summary
    valid = report.valid(strict)
    status = "[bold green]VALID[/]" if valid else "[bold red]INVALID[/]"
    console.print(
        f"[bold]{report.path}[/]: {status} - {report.errors} error(s), {report.warnings} "
        f"warning(s); {summary.batches} batch(es), {summary.entries:,} entries, "
        f"{summary.addenda:,} addenda, debits {money(summary.total_debit)}, "
        f"credits {money(summary.total_credit)}"
    )
    groups = group_findings(report)
    wanted = {f.line for group in groups for f in group[:per_rule] if f.line}
    records: dict[int, str] = {}
    if wanted:
        with open(report.path, "rb") as stream:
            records = record_lines(stream, wanted, full_ssn)
    for group in groups:
        first = group[0]
        colour = "red" if first.severity == "error" else "yellow"
        title = Text("\n")
        title.append(f"{first.code} {first.severity}", style=f"bold {colour}")
        title.append(f" - {RULES[first.code].title if first.code in RULES else first.message}")
        title.append(f" ({len(group):,})", style="dim")
        console.print(title)
        for finding in group[:per_rule]:
            _print_finding(console, finding, records, full_ssn, colour)
        if len(group) > per_rule:
            console.print(Text(f"  ... and {len(group) - per_rule:,} more", style="dim"))
        if first.hint:
            console.print(Text(f"  hint: {first.hint}", style="dim"))


def _print_finding(
    console: Console, finding: Finding, records: dict[int, str], full_ssn: bool, colour: str
) -> None:
    from rich.text import Text

    where = []
    if finding.line:
        where.append(f"line {finding.line}")
    if finding.column:
        span = (
            f"column {finding.column}"
            if finding.end_column in (None, finding.column)
            else f"columns {finding.column}-{finding.end_column}"
        )
        where.append(span)
    if finding.field:
        where.append(finding.field)
    message = finding.message if full_ssn else mask_ded_text(finding.message)
    console.print(Text(f"  {', '.join(where)}: {message}" if where else f"  {message}"))
    line = records.get(finding.line or 0)
    if line is None:
        return
    gutter = f"  {finding.line:>7} | "
    console.print(Text(gutter + printable(line), no_wrap=True, overflow="ignore"))
    if finding.column:
        end = finding.end_column or finding.column
        marks = " " * (finding.column - 1) + "^" * max(1, end - finding.column + 1)
        console.print(Text(" " * (len(gutter) - 2) + "| " + marks, style=colour, no_wrap=True))


def _load_state(state: str | None) -> StateProfile | None:
    if state is None:
        return None
    from nacha_cs.validate.profiles import ProfileError, load_profile

    try:
        return load_profile(state)
    except ProfileError as error:
        fail(str(error))


def check_path(path: str, options: Options, *, progress: bool) -> Report:
    """One file's report: a file in another format (gzip, PDF, UTF-16...) gets the one finding
    that names it instead of dozens about its records. Raises OSError when it cannot be read."""
    with open_input(path, "validating", progress=progress) as stream:
        return check_stream(stream, options, path)


def unreadable_report(path: str, error: OSError) -> Report:
    """What the JSON document says of a path that cannot be read: invalid, with the reason."""
    return Report(path, [unreadable_finding(_reason(error))], Summary())


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


class _StateOption(click.Option):
    """``--state``, whose help names the shipped profiles when help is shown: listing them
    reads the package's data, which a validation without ``--state`` need not pay for."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from nacha_cs.validate.profiles import builtin_names

        self.help = f"State profile to apply (shipped: {', '.join(builtin_names())})."
        return super().get_help_record(ctx)


@click.command(epilog=EXAMPLE)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Text for people, JSON for programs.",
)
@click.option(
    "--profile",
    type=click.Choice(["child-support", "nacha"]),
    default="child-support",
    show_default=True,
    help="nacha: ACH structure only, addenda text opaque; child-support adds DED/820.",
)
@click.option("--state", cls=_StateOption, metavar="NAME|FILE.toml")
@click.option(
    "--disable",
    "disabled",
    multiple=True,
    metavar="CODE",
    help="Skip a rule by its code; repeat for more.",
)
@click.option("--strict", is_flag=True, help="Count warnings as errors for the exit code.")
@click.option("--full-ssn", is_flag=True, help="Show SSNs in full instead of ***-**-6789.")
@click.option(
    "--max-per-rule",
    default=5,
    show_default=True,
    type=click.IntRange(min=1),
    help="Text output: show this many findings of each rule, fold the rest.",
)
def validate(
    paths: tuple[str, ...],
    output: str,
    profile: str,
    state: str | None,
    disabled: tuple[str, ...],
    strict: bool,
    full_ssn: bool,
    max_per_rule: int,
) -> None:
    """Check ACH files against every NACHA and child-support rule; exit 0 valid, 1 invalid,
    2 when a path cannot be read or the command is misused."""
    unknown = sorted(set(code.upper() for code in disabled) - set(RULES))
    if unknown:
        fail(f"unknown rule code(s) for --disable: {', '.join(unknown)}; see `nacha-cs rules`")
    options = Options(
        profile=profile,  # type: ignore[arg-type]
        disabled=frozenset(code.upper() for code in disabled),
        state=_load_state(state),
    )
    reports: list[Report] = []
    unreadable = False
    console = stdout_console() if output == "text" else None
    for path in paths:
        try:
            report = check_path(path, options, progress=output == "text")
        except OSError as error:
            click.echo(f"nacha-cs: cannot read {path}: {_reason(error)}", err=True)
            unreadable = True
            reports.append(unreadable_report(path, error))
            continue
        reports.append(report)
        if console is not None:
            print_report(console, report, strict, full_ssn, max_per_rule)
    if output == "json":
        # An unreadable path is in the document too, invalid, its reason an IO001 finding.
        document = {"files": [report_json(r, strict, full_ssn) for r in reports]}
        echo_json(document)
    if unreadable:
        raise SystemExit(2)
    raise SystemExit(0 if all(r.valid(strict) for r in reports) else 1)


@click.command(epilog="Examples:\n\n  nacha-cs rules\n\n  nacha-cs rules --json")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
def rules(as_json: bool) -> None:
    """List every rule: code, severity, profile, what it checks and how to fix it."""
    for module in RULE_MODULES:  # each registers its rules when imported
        importlib.import_module(module)
    catalogue = sorted(RULES.values(), key=lambda r: r.code)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "severity": r.severity,
                        "profile": r.profile,
                        "title": r.title,
                        "hint": r.hint,
                    }
                    for r in catalogue
                ],
                indent=2,
            )
        )
        return
    from rich.table import Table

    table = Table(title=f"{len(catalogue)} rules")
    for column in ("code", "severity", "profile", "what it checks", "how to fix"):
        table.add_column(column)
    for r in catalogue:
        table.add_row(r.code, r.severity, r.profile, r.title, r.hint)
    stdout_console().print(table)
