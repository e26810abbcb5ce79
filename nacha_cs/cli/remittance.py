"""`nacha-cs remittance`: one row per DED payment, for an SDU's intake systems."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from nacha_cs.ach.describe import EventReader
from nacha_cs.ach.sniff import HEAD_BYTES, sniff_finding
from nacha_cs.ach.writer import OutputExistsError, atomic_output
from nacha_cs.cli._output import HeldOutput, fail, open_input, stdout_closed
from nacha_cs.sdu.remittance_export import COLUMNS, Writes, export, row_values

__all__ = ["COLUMNS", "Writes", "export", "remittance", "row_values"]

EXAMPLE = """\b
Examples:
  nacha-cs remittance fixtures/ccd-plus-ded.ach
  nacha-cs remittance --format json fixtures/ctx-820.ach
  nacha-cs remittance incoming.ach -o intake.csv --full-ssn
"""


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
