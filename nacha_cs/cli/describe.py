"""`nacha-cs describe`: a readable view of one file."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from nacha_cs.ach.model import AchFile
from nacha_cs.ach.reader import read_file
from nacha_cs.ach.sniff import HEAD_BYTES, sniff_finding
from nacha_cs.cli._output import fail, mask_account, money, stdout_console
from nacha_cs.privacy import mask_ssn
from nacha_cs.sdu.remittance import RemittanceRow, batch_remittances

NOT_A_DED = "(not a DED)"


def _yymmdd(text: str) -> str:
    if len(text) == 6 and text.isdigit():
        return f"20{text[:2]}-{text[2:4]}-{text[4:]}"
    return text or "-"


def _shown(text: str) -> str:
    """File text made safe to print: control characters become '?', markup is escaped."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else "?" for c in text)
    return escape(text)


def _ssn(ssn: str, full_ssn: bool) -> str:
    if not ssn.strip():
        return "(blank)"
    return ssn if full_ssn else mask_ssn(ssn)


def _identification(text: str, full_ssn: bool) -> str:
    """The entry's identification number, masked when it looks like an SSN (some payroll
    systems put the employee's SSN there)."""
    digits = text.strip().replace("-", "")
    if not full_ssn and len(digits) == 9 and digits.isascii() and digits.isdigit():
        return mask_ssn(digits)
    return text


def remittance_table(title: str, rows: list[RemittanceRow], full_ssn: bool = False) -> Table:
    """The DED payments of a batch: one row per DED, SSNs masked unless ``full_ssn``."""
    table = Table(title=_shown(title), title_justify="left")
    for column in ("trace", "case", "pay date", "amount", "SSN", "name", "FIPS", "terminated"):
        table.add_column(column, justify="right" if column == "amount" else "left")
    for row in rows:
        ded = row.ded
        if ded is None:
            table.add_row(_shown(row.trace), NOT_A_DED, "", "", "", "", "", "")
            continue
        cells = (
            row.trace,
            ded.case_id,
            ded.pay_date.isoformat(),
            money(ded.amount),
            _ssn(ded.ssn, full_ssn),
            ded.name or "-",
            ded.fips or "-",
            "Y" if ded.terminated else "",
        )
        table.add_row(*(_shown(cell) for cell in cells))
    return table


def render_file(ach_file: AchFile, problems: int, full_ssn: bool = False) -> list[object]:
    """The rich renderables that describe a file, top to bottom.

    After each batch's entries comes a table of its DED payments (CCD+ addenda and every DED
    of a CTX's 820); SSNs there, and identification numbers that look like one, are masked
    unless ``full_ssn``.

    Text from the file goes through ``_shown``: a name like ``[/b]`` is data, not rich markup
    (unescaped, it raised MarkupError and describe ended in a traceback), and an escape byte in
    a name must not reach the terminal.
    """
    header = ach_file.header
    out: list[object] = []
    head = Table(title="File header", show_header=False, title_justify="left")
    head.add_column("field", style="bold")
    head.add_column("value")
    head.add_row(
        "Immediate destination",
        _shown(f"{header.immediate_destination.strip()} {header.immediate_destination_name}"),
    )
    head.add_row(
        "Immediate origin",
        _shown(f"{header.immediate_origin.strip()} {header.immediate_origin_name}"),
    )
    head.add_row(
        "Created", _shown(f"{_yymmdd(header.file_creation_date)} {header.file_creation_time}")
    )
    head.add_row("File ID modifier", _shown(header.file_id_modifier))
    out.append(head)
    for position, batch in enumerate(ach_file.batches, start=1):
        bh = batch.header
        table = Table(
            title=_shown(
                f"Batch {bh.batch_number}: {bh.standard_entry_class_code} {bh.company_name} "
                f"({bh.company_identification}) '{bh.company_entry_description}' "
                f"effective {_yymmdd(bh.effective_entry_date)}, "
                f"service class {bh.service_class_code}"
            ),
            title_justify="left",
        )
        for column in ("trace", "code", "RDFI", "account", "amount", "receiver", "id", "addenda"):
            table.add_column(column, justify="right" if column in ("amount", "addenda") else "left")
        for entry in batch.entries:
            cells = (
                entry.trace_number,
                entry.transaction_code,
                f"{entry.receiving_dfi_identification}{entry.check_digit}",
                mask_account(entry.dfi_account_number),
                money(entry.amount),
                entry.receiving_company_name,
                _identification(entry.identification_number, full_ssn),
                str(len(entry.addenda)),
            )
            table.add_row(*(_shown(cell) for cell in cells))
        out.append(table)
        rows = batch_remittances(batch, position)
        if rows:
            out.append(
                remittance_table(f"Batch {bh.batch_number} remittances (DED)", rows, full_ssn)
            )
        bc = batch.control
        out.append(
            f"  batch control: {bc.entry_addenda_count} entries+addenda, hash {bc.entry_hash}, "
            f"debits {money(bc.total_debit_amount)}, credits {money(bc.total_credit_amount)}"
        )
    fc = ach_file.control
    out.append(
        f"File control: {fc.batch_count} batches, {fc.block_count} blocks, "
        f"{fc.entry_addenda_count} entries+addenda, hash {fc.entry_hash}, "
        f"debits {money(fc.total_debit_amount)}, credits {money(fc.total_credit_amount)}"
    )
    if problems:
        out.append(
            f"[yellow]{problems} problem(s) seen while reading; "
            "run `nacha-cs validate` for the details.[/yellow]"
        )
    return out


@click.command(epilog="Example: nacha-cs describe fixtures/ccd-plus-ded.ach")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--full-ssn", is_flag=True, help="Show employee SSNs in full (default: ***-**-6789).")
def describe(path: str, full_ssn: bool) -> None:
    """Show a file's header, each batch with its entries and DED payments, and the control
    totals."""
    try:
        with open(path, "rb") as stream:
            foreign = sniff_finding(stream.read(HEAD_BYTES))
        if foreign is not None:
            fail(f"{path} cannot be described: {foreign.message}", 1)
        ach_file, problems = read_file(path)
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    if ach_file is None:
        lines = [f"{path} cannot be described:"]
        for problem in problems[:10]:
            where = f"line {problem.line}: " if problem.line else ""
            lines.append(f"  {where}{problem.message}")
        if len(problems) > 10:
            lines.append(f"  ... and {len(problems) - 10} more; run `nacha-cs validate {path}`")
        fail("\n".join(lines), 1)  # as validate: the file is invalid, the path was read
    console = stdout_console()
    for renderable in render_file(ach_file, len(problems), full_ssn):
        console.print(renderable)
