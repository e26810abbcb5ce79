"""`nacha-cs mandate`: which employers must pay support by EFT, and the section that decides."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import click
from rich.table import Table

from nacha_cs.cli._output import fail, stdout_console
from nacha_cs.cli._sdu import date_option, emit, facts_of, remit_days
from nacha_cs.spreadsheet import safe_cell

EXAMPLE = """\b
Examples:
  nacha-cs mandate --db sqlite:///sdu.db
  nacha-cs mandate --employer 932222222 --format json
  nacha-cs mandate --state washington
"""


@click.command(epilog=EXAMPLE)
@click.option("--state", default="oregon", show_default=True,
              help="Whose rule: oregon (OAR 137-055-5035), washington, texas, california, "
                   "virginia.")
@click.option("--employer", metavar="EIN", help="Only this employer.")
@click.option("--as-of", callback=date_option, metavar="DATE",
              help="Count the record up to this day (default: everything in the ledger).")
@click.option("--remit-state", metavar="NAME",
              help="State profile whose remit days decide a late payment (default 7).")
@click.option("--format", "output_format", type=click.Choice(["text", "csv", "json"]),
              default="text", show_default=True)
@click.option("--db", metavar="URL", help="Ledger database URL.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def mandate(state: str, employer: str | None, as_of: dt.date | None, remit_state: str | None,
            output_format: str, db: str | None, output: str | None, force: bool) -> None:
    """Whether each employer must remit by EFT, with the deciding section(s): Oregon's rule in
    full ((2)(a)-(c), the (3) exemption, (4)(a)-(c), which outweighs it); other states from a
    table of their known thresholds."""
    from nacha_cs.sdu.facts import histories, with_exemptions
    from nacha_cs.sdu.mandate import decide_all, state_code

    try:
        state_code(state)
    except ValueError as error:
        fail(str(error))
    days = remit_days(remit_state)
    with facts_of(db) as facts:
        employers = with_exemptions(facts)
        if employer:
            employers = tuple(e for e in employers if e.ein == employer)
            if not employers:
                fail(f"no employer {employer} in the ledger")
        decisions = decide_all(state, employers, histories(facts, days, as_of))
        names = facts.employer_names
    records = [{
        "ein": d.ein, "name": names.get(d.ein, ""), "state": d.state, "rule": d.rule,
        "required": d.required, "sections": list(d.sections),
        "reasons": [f"{s.section}: {s.reason}" for s in d.deciding],
        "also_met": [f"{s.section}: {s.reason}" for s in d.also_met],
        "unknown": list(d.unknown),
    } for d in decisions]
    if output_format == "json":
        emit(json.dumps({"state": state, "employers": records}, indent=2).splitlines(), output,
             force, f"{len(records)} decision(s)")
        return
    if output_format == "csv" or output is not None:
        buffer = io.StringIO()
        columns = ("ein", "name", "state", "rule", "required", "sections", "reasons",
                   "also_met", "unknown")
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow({k: safe_cell("; ".join(v) if isinstance(v, list) else v)
                             for k, v in r.items()})
        emit(buffer.getvalue().splitlines(), output, force, f"{len(records)} decision(s)")
        return
    table = Table(title=f"EFT mandate ({decisions[0].rule if decisions else state})")
    for column in ("employer", "EFT required", "deciding", "also met / unknown"):
        table.add_column(column, overflow="fold")
    for d in decisions:
        name = f"{names.get(d.ein, '')} {d.ein}".strip()
        reasons = [f"{s.section}: {s.reason}" for s in d.deciding]
        other = [f"{s.section}: {s.reason}" for s in d.also_met] + list(d.unknown)
        table.add_row(name, "yes" if d.required else "no", "\n".join(reasons) or "-",
                      "\n".join(other) or "-")
    stdout_console().print(table)
