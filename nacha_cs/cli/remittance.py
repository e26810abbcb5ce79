"""`nacha-cs remittance`: one row per DED payment, for an SDU's intake systems."""

from __future__ import annotations

import csv
import functools
import json
import sys
from typing import Any, BinaryIO, NoReturn, Protocol

import click

from nacha_cs.ach.describe import EventReader, yymmdd
from nacha_cs.ach.records import BatchHeader
from nacha_cs.ach.sniff import HEAD_BYTES, sniff_finding
from nacha_cs.ach.writer import OutputExistsError, atomic_output
from nacha_cs.cli._output import HeldOutput, fail, open_input, stdout_closed
from nacha_cs.privacy import mask_ssn
from nacha_cs.sdu.remittance import RemittanceRow, iter_remittances
from nacha_cs.spreadsheet import safe_row

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


class Writes(Protocol):
    """Where rows go: a file, stdout, or stdout held back (:class:`HeldOutput`)."""

    def write(self, text: str, /) -> int: ...


def row_values(header: BatchHeader, row: RemittanceRow, full_ssn: bool) -> dict[str, Any]:
    """One export row; amounts in cents, dates ISO (an impossible date as written), the SSN
    masked unless asked otherwise."""
    values: dict[str, Any] = {
        "batch": row.batch,
        "company_name": header.company_name,
        "company_identification": header.company_identification,
        "effective_entry_date": _effective(header.effective_entry_date),
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


@functools.lru_cache(maxsize=256)
def _effective(text: str) -> str:
    """ISO for a real date, else as written (an impossible date is never made plausible)."""
    when = yymmdd(text)
    return when.isoformat() if when is not None else text.strip()


class _CsvRows:
    """Rows written as they come: a header, then one line per payment, formulas neutralised."""

    def __init__(self, out: Writes) -> None:
        self.writer = csv.writer(out, lineterminator="\n")
        self.writer.writerow(COLUMNS)

    def __call__(self, values: dict[str, Any]) -> None:
        self.writer.writerow(safe_row([values[k] for k in COLUMNS]))  # csv writes None as ""

    def close(self) -> None:
        """Nothing follows the last row."""


class _JsonRows:
    """``{"path": ..., "payments": [...]}`` written a payment at a time, one a line."""

    def __init__(self, out: Writes, path: str) -> None:
        self.out = out
        self.count = 0
        self.dumps = json.JSONEncoder().encode
        out.write('{\n  "path": ' + json.dumps(path) + ',\n  "payments": [')

    def __call__(self, values: dict[str, Any]) -> None:
        self.out.write(("," if self.count else "") + "\n    " + self.dumps(values))
        self.count += 1

    def close(self) -> None:
        self.out.write("\n  ]\n}\n" if self.count else "]\n}\n")


def export(
    stream: BinaryIO, out: Writes, output_format: str, path: str, full_ssn: bool
) -> tuple[int, EventReader]:
    """Write every payment of ``stream`` to ``out`` as it is read; the count and the reader
    (its problems, whether the file was readable)."""
    state = EventReader()
    sink: _CsvRows | _JsonRows = _JsonRows(out, path) if output_format == "json" else _CsvRows(out)
    count = 0
    for header, row in iter_remittances(stream, state):
        sink(row_values(header, row, full_ssn))
        count += 1
    sink.close()
    return count, state


class _Unreadable(Exception):
    """The file turned out not to be ACH: the atomic output is dropped."""

    def __init__(self, state: EventReader) -> None:
        super().__init__("unreadable")
        self.state = state


def _unreadable(path: str, state: EventReader) -> NoReturn:
    reasons = "; ".join(p.message for p in state.problems[:3])
    fail(f"{path} is not a readable ACH file ({reasons}); run `nacha-cs validate {path}`", 1)


@click.command(epilog=EXAMPLE)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--force", is_flag=True,
              help="Replace the output file if it exists (never the input file).")
@click.option("--full-ssn", is_flag=True, help="Export SSNs in full instead of ***-**-6789.")
def remittance(
    path: str, output_format: str, output: str | None, force: bool, full_ssn: bool
) -> None:
    """One row per DED payment (case, pay date, amount, employee) from CCD+ addenda and from the
    820s of CTX entries, written as the file is read. Amounts are in cents. Unreadable DEDs are
    listed with their status, so no payment goes missing silently; run `nacha-cs validate` for
    the reasons. Exit 0 when the file was read, 1 when it is not an ACH file, 2 when the path
    cannot be read or the output cannot be written."""
    progress = output_format != "json"
    try:
        with open_input(path, "exporting payments", progress=progress) as stream:
            foreign = sniff_finding(stream.peek(HEAD_BYTES)[:HEAD_BYTES])
            if foreign is not None:
                fail(f"{path} is not a readable ACH file: {foreign.message}", 1)
            if output is None:
                held = HeldOutput(sys.stdout)
                count, state = export(stream, held, output_format, path, full_ssn)
                if not state.readable:
                    held.drop()
                    sys.stdout.flush()
                    _unreadable(path, state)
                held.release()
                sys.stdout.flush()
                return
            try:
                with atomic_output(output, force=force, inputs=[path], encoding="utf-8") as out:
                    count, state = export(stream, out, output_format, path, full_ssn)
                    if not state.readable:
                        raise _Unreadable(state)
            except _Unreadable as stop:
                _unreadable(path, stop.state)
            except OutputExistsError as error:
                fail(str(error))
    except BrokenPipeError:
        stdout_closed()
    except OSError as error:
        if output is not None and getattr(error, "filename", None) not in (None, path):
            fail(f"cannot write {output}: {error.strerror or error}")
        fail(f"cannot read {path}: {error.strerror or error}")
    click.echo(f"wrote {count} payment(s) to {output}", err=True)
