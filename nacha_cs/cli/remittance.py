"""`nacha-cs remittance`: one row per DED payment, for an SDU's intake systems."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import click

from nacha_cs.ach.model import AchFile
from nacha_cs.ach.reader import read_file
from nacha_cs.ach.writer import OutputExistsError, write_lines_atomically
from nacha_cs.cli._output import fail
from nacha_cs.privacy import mask_ssn
from nacha_cs.sdu.remittance import RemittanceRow, remittances

COLUMNS = (
    "batch",
    "company_name",
    "company_identification",
    "effective_entry_date",
    "trace_number",
    "sec",
    "addenda",
    "status",
    "case_id",
    "pay_date",
    "amount",
    "ssn",
    "name",
    "fips",
    "medical",
    "terminated",
    "entry_amount",
)

EXAMPLE = """\b
Examples:
  nacha-cs remittance fixtures/ccd-plus-ded.ach
  nacha-cs remittance --format json fixtures/ctx-820.ach
  nacha-cs remittance incoming.ach -o intake.csv --full-ssn
"""


def row_values(ach_file: AchFile, row: RemittanceRow, full_ssn: bool) -> dict[str, Any]:
    """One export row; amounts in cents, dates ISO, the SSN masked unless asked otherwise."""
    header = ach_file.batches[row.batch - 1].header
    effective = header.effective_entry_date
    values: dict[str, Any] = {
        "batch": row.batch,
        "company_name": header.company_name,
        "company_identification": header.company_identification,
        "effective_entry_date": (
            f"20{effective[:2]}-{effective[2:4]}-{effective[4:]}" if len(effective) == 6 else ""
        ),
        "trace_number": row.trace,
        "sec": row.sec,
        "addenda": row.addenda,
        "status": "ok" if row.ded is not None else "not a readable DED",
        "entry_amount": row.entry_amount,
    }
    ded = row.ded
    if ded is None:
        values.update(dict.fromkeys(COLUMNS[8:16], None))
        return values
    values.update(
        case_id=ded.case_id,
        pay_date=ded.pay_date.isoformat(),
        amount=ded.amount,
        ssn=ded.ssn if full_ssn or not ded.ssn.strip() else mask_ssn(ded.ssn),
        name=ded.name,
        fips=ded.fips,
        medical=ded.medical,
        terminated=ded.terminated,
    )
    return values


def render_csv(rows: list[dict[str, Any]]) -> list[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue().splitlines()


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
