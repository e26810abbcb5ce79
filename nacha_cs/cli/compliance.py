"""`nacha-cs compliance`: the employers and cases that need a staff action, and `compliance
record` for the actions staff take."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import click
from rich.table import Table

from nacha_cs.cli._output import fail, stdout_console
from nacha_cs.cli._sdu import date_option, emit, facts_of, ledger, remit_days
from nacha_cs.spreadsheet import safe_cell

EXAMPLE = """\b
Examples:
  nacha-cs compliance --as-of 2026-06-03 --db sqlite:///sdu.db
  nacha-cs compliance --format csv -o compliance.csv
  nacha-cs compliance record --case 1001002 --contact 2026-06-04 --note "left a message"
  nacha-cs compliance record --case 1001002 --ecl1 2026-06-10
  nacha-cs compliance record --employer 931111111 --exemption 2025-06-02 --note "no ACH"
"""

CSV_COLUMNS = ("code", "title", "employer_ein", "employer_name", "case_id", "since", "days",
               "next_step", "facts")

ACTION_OPTIONS = (
    ("contact", "ESC contacted the employer (call, email) on this day."),
    ("response", "The employer responded on this day."),
    ("ecl1", "Employer Compliance Letter 1 sent on this day."),
    ("ecl2", "Employer Compliance Letter 2 sent on this day."),
    ("amended_iwo", "An amended IWO sent on this day."),
    ("exemption", "EFT exemption granted on this day (OAR 137-055-5035(3); with --employer)."),
    ("failed_withhold", "The employer failed to withhold (found on this day)."),
    ("misid_contact", "DOJ told the employer how to identify payments correctly on this day."),
    ("note_on", "A note only, dated this day."),
)
KIND_OF_OPTION = {"exemption": "eft_exemption", "note_on": "note"}


@click.group(invoke_without_command=True, epilog=EXAMPLE)
@click.option("--as-of", callback=date_option, metavar="DATE",
              help="Report as of this day (YYYY-MM-DD); default today.")
@click.option("--format", "output_format", type=click.Choice(["text", "csv", "json"]),
              default="text", show_default=True)
@click.option("--employer", metavar="EIN", help="Only this employer's rows.")
@click.option("--state", metavar="NAME", help="State profile for the remit days (default "
              "NACHA_CS_SDU_STATE, else the federal 7 business days).")
@click.option("--db", metavar="URL", help="Ledger database URL (default NACHA_CS_DB, else "
              "sqlite:///nacha-cs.db).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.pass_context
def compliance(ctx: click.Context, as_of: dt.date | None, output_format: str,
               employer: str | None, state: str | None, db: str | None, output: str | None,
               force: bool) -> None:
    """One row per employer and case that needs action (seed 000 criteria, 42 USC
    666(b)(6)): a stable code, the facts behind it and the next step. Calendar days for the
    30- and 45-day clocks, business days for remittance."""
    if ctx.invoked_subcommand is not None:
        return
    from nacha_cs.sdu.compliance import Settings, evaluate

    day = as_of or dt.date.today()
    settings = Settings(remit_days=remit_days(state))
    with facts_of(db) as facts:
        rows = evaluate(facts.orders, facts.payments, facts.actions, day, settings)
        names = facts.employer_names
    if employer:
        rows = [r for r in rows if r.employer_ein == employer]
    records = []
    for row in rows:
        record = row.as_dict()
        record["employer_name"] = names.get(row.employer_ein, "")
        records.append(record)
    if output_format == "json":
        document = {"as_of": day.isoformat(), "remit_days": settings.remit_days,
                    "rows": records}
        emit(json.dumps(document, indent=2).splitlines(), output, force, f"{len(rows)} row(s)")
        return
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({**{k: safe_cell(record[k]) for k in CSV_COLUMNS if k != "facts"},
                             "facts": json.dumps(record["facts"], sort_keys=True)})
        emit(buffer.getvalue().splitlines(), output, force, f"{len(rows)} row(s)")
        return
    if output is not None:
        emit([_text_line(r) for r in records], output, force, f"{len(rows)} row(s)")
        return
    console = stdout_console()
    if not records:
        console.print(f"No employer or case needs action as of {day.isoformat()}.")
        return
    table = Table(title=f"Compliance as of {day.isoformat()}: {len(records)} row(s)")
    for column in ("code", "employer", "case", "since", "days", "facts", "next step"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(str(r["code"]), f"{r['employer_name']} {r['employer_ein']}".strip(),
                      str(r["case_id"]), str(r["since"]), str(r["days"]),
                      _facts_text(r["facts"]), str(r["next_step"]))  # type: ignore[arg-type]
    console.print(table)


def _facts_text(facts: dict[str, object]) -> str:
    return "; ".join(f"{k}={v}" for k, v in facts.items() if v not in (None, [], ""))


def _text_line(r: dict[str, object]) -> str:
    return (f"{r['code']}\t{r['employer_ein']}\t{r['case_id']}\tsince {r['since']}\t"
            f"{r['days']} days\t{_facts_text(r['facts'])}\t{r['next_step']}")  # type: ignore[arg-type]


def _record_options(function: click.decorators.FC) -> click.decorators.FC:
    for name, text in reversed(ACTION_OPTIONS):
        flag = "--note-on" if name == "note_on" else "--" + name.replace("_", "-")
        function = click.option(flag, name, callback=date_option, metavar="DATE",
                                help=text)(function)
    return function


@compliance.command("record", epilog=EXAMPLE)
@click.option("--case", "case_id", metavar="CASE", help="The case the action is about.")
@click.option("--employer", metavar="EIN", help="The employer (needed for employer-wide "
              "actions, or when a case has orders with several employers).")
@_record_options
@click.option("--note", default="", help="What was said or done.")
@click.option("--by", default="", help="Who did it (default: $USER).")
@click.option("--db", metavar="URL", help="Ledger database URL.")
def record(case_id: str | None, employer: str | None, note: str, by: str, db: str | None,
           **dates: dt.date | None) -> None:
    """Record a staff action (a contact, the employer's response, ECL1, ECL2, an amended IWO,
    an EFT exemption...) so the compliance report and the mandate know it."""
    import os

    from nacha_cs.sdu.compliance_db import RecordError, record_action

    given = [(KIND_OF_OPTION.get(name, name), day) for name, day in dates.items()
             if day is not None]
    if not given:
        fail("name the action and its date, e.g. --ecl1 2026-06-10 (see --help)")
    who = by or os.environ.get("USER", "") or "staff"
    with ledger(db, write=True) as connection:
        for kind, day in given:
            try:
                record_action(connection, kind=kind, on=day, case_id=case_id or "",
                              employer_ein=employer or "", note=note, by=who)
            except RecordError as error:
                fail(str(error))
    target = f"case {case_id}" if case_id else f"employer {employer}"
    for kind, day in given:
        click.echo(f"recorded {kind} on {day.isoformat()} for {target}")
