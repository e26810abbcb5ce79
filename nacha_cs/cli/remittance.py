"""`nacha-cs remittance`: one row per DED payment, for an SDU's intake systems."""

from __future__ import annotations

import json

import click

from nacha_cs.ach.reader import read_file
from nacha_cs.ach.writer import OutputExistsError, write_lines_atomically
from nacha_cs.cli._output import fail
from nacha_cs.sdu.remittance import remittances
from nacha_cs.sdu.remittance_export import COLUMNS, render_csv, row_values

__all__ = ["COLUMNS", "remittance", "render_csv", "row_values"]

EXAMPLE = """\b
Examples:
  nacha-cs remittance fixtures/ccd-plus-ded.ach
  nacha-cs remittance --format json fixtures/ctx-820.ach
  nacha-cs remittance incoming.ach -o intake.csv --full-ssn
"""


@click.command(epilog=EXAMPLE)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--full-ssn", is_flag=True, help="Export SSNs in full instead of ***-**-6789.")
def remittance(
    path: str, output_format: str, output: str | None, force: bool, full_ssn: bool
) -> None:
    """One row per DED payment (case, pay date, amount, employee) from CCD+ addenda and from the
    820s of CTX entries. Amounts are in cents. Unreadable DEDs are listed with their status, so
    no payment goes missing silently; run `nacha-cs validate` for the reasons."""
    try:
        ach_file, problems = read_file(path)
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    if ach_file is None:
        reasons = "; ".join(p.message for p in problems[:3])
        fail(f"{path} is not a readable ACH file ({reasons}); run `nacha-cs validate {path}`")
    rows = [row_values(ach_file, row, full_ssn) for row in remittances(ach_file)]
    if output_format == "json":
        lines = json.dumps({"path": path, "payments": rows}, indent=2).splitlines()
    else:
        lines = render_csv(rows)
    if output is None:
        click.echo("\n".join(lines))
        return
    try:
        write_lines_atomically(output, lines, force=force)
    except OutputExistsError as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    click.echo(f"wrote {len(rows)} payment(s) to {output}", err=True)
