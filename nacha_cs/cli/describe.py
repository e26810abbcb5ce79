"""`nacha-cs describe`: a readable view of one file.

The file is read as a stream (:mod:`nacha_cs.ach.describe`). A small file is shown as rich
tables; a large one as fixed-width text written as it is read, because rich tables cost about a
millisecond an entry and hold the whole file (20 minutes and 2.3 GiB on a million entries).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator

import click
from rich.markup import escape
from rich.table import Table

from nacha_cs.ach import extract
from nacha_cs.ach.describe import (
    BatchEnd,
    BatchStart,
    EntryView,
    Event,
    EventReader,
    FileEnd,
    FileStart,
    events,
    shown_date,
)
from nacha_cs.ach.extract import Rendered
from nacha_cs.ach.records import BatchControl, BatchHeader, FileControl, FileHeader
from nacha_cs.ach.sniff import HEAD_BYTES, sniff_finding
from nacha_cs.cli._output import (
    fail,
    mask_account,
    money,
    open_input,
    stdout_closed,
    stdout_console,
)
from nacha_cs.codecs import ded as ded_codec
from nacha_cs.findings import Finding
from nacha_cs.privacy import mask_identification, mask_ssn
from nacha_cs.sdu.remittance import READING, RemittanceRow, view_remittances

NOT_A_DED = "(not a DED)"
TABLE_BYTES = 64 * 1024
"""Files up to this size (a few hundred entries) are shown as tables; larger ones as text."""
FLUSH_LINES = 4096
"""Text lines held before writing them out; a file found unreadable before then prints none."""


def _printable(text: str) -> str:
    """Control characters become '?': an escape byte in a name must not reach the terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else "?" for c in text)


def _shown(text: str) -> str:
    """File text made safe for rich: control characters become '?', markup is escaped (a name
    like ``[/b]`` is data; unescaped it raised MarkupError)."""
    return escape(_printable(text))


def _ssn(ssn: str, full_ssn: bool) -> str:
    if not ssn.strip():
        return "(blank)"
    return ssn if full_ssn else mask_ssn(ssn)


def _identification(text: str, full_ssn: bool) -> str:
    """The entry's identification number, masked when it looks like an SSN (some payroll
    systems put the employee's SSN there)."""
    return text if full_ssn else mask_identification(text)


def _ded_cells(row: RemittanceRow, full_ssn: bool) -> tuple[str, ...]:
    ded = row.ded
    if ded is None:
        return (row.trace, NOT_A_DED, "", "", "", "", "", "")
    return (
        row.trace,
        ded.case_id,
        ded.pay_date.isoformat(),
        money(ded.amount),
        _ssn(ded.ssn, full_ssn),
        ded.name or "-",
        ded.fips or "-",
        "Y" if ded.terminated else "",
    )


def _entry_cells(entry: EntryView, full_ssn: bool) -> tuple[str, ...]:
    return (
        entry.trace,
        entry.transaction_code,
        entry.rdfi,
        mask_account(entry.account),
        money(entry.amount),
        entry.receiver,
        _identification(entry.identification, full_ssn),
        str(len(entry.addenda)),
    )


def _header_rows(header: FileHeader) -> list[tuple[str, str]]:
    return [
        (
            "Immediate destination",
            f"{header.immediate_destination.strip()} {header.immediate_destination_name}",
        ),
        ("Immediate origin", f"{header.immediate_origin.strip()} {header.immediate_origin_name}"),
        (
            "Created",
            f"{shown_date(header.file_creation_date)} {header.file_creation_time}",
        ),
        ("File ID modifier", header.file_id_modifier),
    ]


def _batch_title(bh: BatchHeader) -> str:
    return (
        f"Batch {bh.batch_number}: {bh.standard_entry_class_code} {bh.company_name} "
        f"({bh.company_identification}) '{bh.company_entry_description}' "
        f"effective {shown_date(bh.effective_entry_date)}, "
        f"service class {bh.service_class_code}"
    )


def _batch_control(bc: BatchControl | None) -> str:
    if bc is None:
        return "  batch control: missing"
    return (
        f"  batch control: {bc.entry_addenda_count} entries+addenda, hash {bc.entry_hash}, "
        f"debits {money(bc.total_debit_amount)}, credits {money(bc.total_credit_amount)}"
    )


def _file_control(fc: FileControl) -> str:
    return (
        f"File control: {fc.batch_count} batches, {fc.block_count} blocks, "
        f"{fc.entry_addenda_count} entries+addenda, hash {fc.entry_hash}, "
        f"debits {money(fc.total_debit_amount)}, credits {money(fc.total_credit_amount)}"
    )


def _problems_note(problems: int) -> str:
    return f"{problems} problem(s) seen while reading; run `nacha-cs validate` for the details."


# --- tables, for small files ---------------------------------------------------------------

ENTRY_COLUMNS = ("trace", "code", "RDFI", "account", "amount", "receiver", "id", "addenda")
DED_COLUMNS = ("trace", "case", "pay date", "amount", "SSN", "name", "FIPS", "terminated")


def remittance_table(title: str, rows: list[RemittanceRow], full_ssn: bool = False) -> Table:
    """The DED payments of a batch: one row per DED, SSNs masked unless ``full_ssn``."""
    table = Table(title=_shown(title), title_justify="left")
    for column in DED_COLUMNS:
        table.add_column(column, justify="right" if column == "amount" else "left")
    for row in rows:
        table.add_row(*(_shown(cell) for cell in _ded_cells(row, full_ssn)))
    return table


def render_tables(stream: Iterable[Event], problems: int, full_ssn: bool = False) -> list[object]:
    """The rich renderables that describe a (small) file, top to bottom.

    After each batch's entries comes a table of its DED payments (CCD+ addenda and every DED
    of a CTX's 820); SSNs there, and identification numbers that look like one, are masked
    unless ``full_ssn``.
    """
    out: list[object] = []
    table: Table | None = None
    rows: list[RemittanceRow] = []
    number = 0
    for event in stream:
        if isinstance(event, FileStart):
            head = Table(title="File header", show_header=False, title_justify="left")
            head.add_column("field", style="bold")
            head.add_column("value")
            for name, value in _header_rows(event.header):
                head.add_row(name, _shown(value))
            out.append(head)
        elif isinstance(event, BatchStart):
            number = event.header.batch_number
            table = Table(title=_shown(_batch_title(event.header)), title_justify="left")
            for column in ENTRY_COLUMNS:
                right = column in ("amount", "addenda")
                table.add_column(column, justify="right" if right else "left")
            rows = []
        elif isinstance(event, EntryView):
            if table is not None:
                table.add_row(*(_shown(cell) for cell in _entry_cells(event, full_ssn)))
            rows.extend(view_remittances(event))
        elif isinstance(event, BatchEnd):
            if table is not None:
                out.append(table)
            if rows:
                out.append(remittance_table(f"Batch {number} remittances (DED)", rows, full_ssn))
            out.append(_shown(_batch_control(event.control)))
            table, rows = None, []
        else:
            out.append(_shown(_file_control(event.control)))
    if problems:
        out.append(f"[yellow]{escape(_problems_note(problems))}[/yellow]")
    return out


# --- fixed-width text, for large files -----------------------------------------------------

_ENTRY_LINE = "  {:<15} {:<4} {:<9} {:<17} {:>16} {:<22} {:<15} {:>7}"
_DED_LINE = "      DED {:<20} {:<10} {:>16} {:<11} {:<10} {:<7} {}"
_ENTRY_HEADINGS = _ENTRY_LINE.format(*ENTRY_COLUMNS)
_DED_HEADINGS = _DED_LINE.format(*DED_COLUMNS[1:])


def render_text(
    stream: Iterable[Event | Rendered], full_ssn: bool = False
) -> Iterator[str | Rendered]:
    """The lines that describe a file of any size, one event at a time; blocks the compiled
    extractor already wrote (:mod:`nacha_cs.ach.extract`) pass through as they are.

    Each entry is followed by its DED payments (indented, ``DED``), so nothing of a batch is
    held back until its end. The common case (a CCD+ entry with one DED that decodes) is
    written without the intermediate rows: this loop is most of describe's time on a big file
    when the extractor is not there.
    """
    entry_line, ded_line = _ENTRY_LINE.format, _DED_LINE.format
    decode = ded_codec.decode
    for event in stream:
        if isinstance(event, Rendered):
            yield event
        elif isinstance(event, EntryView):
            amount = event.amount
            line = entry_line(
                event.trace,
                event.transaction_code,
                event.rdfi,
                mask_account(event.account),
                "?" if amount is None else f"${amount // 100:,}.{amount % 100:02d}",
                event.receiver,
                event.identification if full_ssn else mask_identification(event.identification),
                len(event.addenda),
            )
            yield line if line.isprintable() else _printable(line)
            addenda = event.addenda
            if not addenda:
                continue
            one_ded = len(addenda) == 1 and event.sec == "CCD"
            ded = decode(addenda[0], policy=READING)[0] if one_ded else None
            if ded is not None:
                cents = ded.amount
                line = ded_line(
                    ded.case_id,
                    ded.pay_date.isoformat(),
                    f"${cents // 100:,}.{cents % 100:02d}",
                    _ssn(ded.ssn, full_ssn),
                    ded.name or "-",
                    ded.fips or "-",
                    "Y" if ded.terminated else "",
                ).rstrip(" ")
                yield line if line.isprintable() else _printable(line)
                continue
            for row in view_remittances(event):
                yield _printable(ded_line(*_ded_cells(row, full_ssn)[1:]).rstrip(" "))
        elif isinstance(event, FileStart):
            yield "File header"
            for name, value in _header_rows(event.header):
                yield _printable(f"  {name + ':':<23}{value}")
        elif isinstance(event, BatchStart):
            yield _printable(_batch_title(event.header))
            yield _ENTRY_HEADINGS
            yield _DED_HEADINGS
        elif isinstance(event, BatchEnd):
            yield _printable(_batch_control(event.control))
        elif isinstance(event, FileEnd):
            yield _printable(_file_control(event.control))


def _cannot_describe(path: str, problems: list[Finding], shown_some: bool) -> str:
    lines = [f"{path} cannot be described{' in full' if shown_some else ''}:"]
    for problem in problems[:10]:
        where = f"line {problem.line}: " if problem.line else ""
        lines.append(f"  {where}{problem.message}")
    if len(problems) > 10:
        lines.append(f"  ... and {len(problems) - 10} more; run `nacha-cs validate {path}`")
    return "\n".join(lines)


def _use_tables(path: str, layout: str) -> bool:
    if layout != "auto":
        return layout == "tables"
    try:
        size = os.stat(path).st_size
    except OSError:
        return False
    return 0 < size <= TABLE_BYTES


@click.command(epilog="Example: nacha-cs describe fixtures/ccd-plus-ded.ach")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--full-ssn", is_flag=True, help="Show employee SSNs in full (default: ***-**-6789).")
@click.option(
    "--layout",
    type=click.Choice(["auto", "tables", "text"]),
    default="auto",
    show_default=True,
    help="tables: rich tables (built in memory: slow on big files); text: fixed-width "
    "lines written as the file is read; auto: tables up to 64 KiB, else text.",
)
def describe(path: str, full_ssn: bool, layout: str) -> None:
    """Show a file's header, each batch with its entries and DED payments, and the control
    totals. Exit 0 when the file could be read, 1 when it is not an ACH file (its problems on
    stderr), 2 when the path cannot be read."""
    state = EventReader()
    tables = _use_tables(path, layout)
    shown_some = False
    try:
        with open_input(path, "describing", progress=True) as stream:
            foreign = sniff_finding(stream.peek(HEAD_BYTES)[:HEAD_BYTES])
            if foreign is not None:
                fail(f"{path} cannot be described: {foreign.message}", 1)
            if tables:
                collected = list(events(stream, state))
            else:
                shown = extract.events(stream, state, extract.TEXT, full_ssn)
                shown_some = _write_text(render_text(shown, full_ssn), state)
    except BrokenPipeError:
        stdout_closed()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    if not state.readable:
        # As validate: the file is invalid, the path was read (exit 2 is for misuse).
        fail(_cannot_describe(path, state.problems, shown_some), 1)
    try:
        if tables:
            console = stdout_console()
            for renderable in render_tables(collected, len(state.problems), full_ssn):
                console.print(renderable)
        else:
            if state.problems:
                sys.stdout.write(_problems_note(len(state.problems)) + "\n")
            sys.stdout.flush()
    except BrokenPipeError:
        stdout_closed()


def _write_text(lines: Iterator[str | Rendered], state: EventReader) -> bool:
    """Write ``lines`` to stdout in runs of :data:`FLUSH_LINES`; the last run waits for the end
    of the file, and is dropped if the file turns out unreadable. True when some was written.
    A rendered block counts as the lines it holds, so what is written does not depend on the
    extractor."""
    out = sys.stdout
    held: list[str] = []  # each ends in its line feed
    count = 0
    wrote = False
    for line in lines:
        if isinstance(line, Rendered):
            if wrote:  # nothing is held back any more: write it without copying it
                if held:
                    out.write("".join(held))
                    held.clear()
                    count = 0
                out.write(line.text)
                continue
            held.append(line.text)
            count += line.lines
        else:
            held.append(line + "\n")
            count += 1
        if count >= FLUSH_LINES:
            out.write("".join(held))
            held.clear()
            count = 0
            wrote = True
    if held and (state.readable or wrote):
        out.write("".join(held))
    return wrote
