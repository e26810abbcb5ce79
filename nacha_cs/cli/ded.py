"""``nacha-cs ded``: the DED codec by hand, to build a segment or see what one says."""

from __future__ import annotations

import datetime as dt
import json

import click
from rich.table import Table
from rich.text import Text

from nacha_cs.cli._output import fail, money, stdout_console
from nacha_cs.codecs.ded import (
    ELEMENT_NAMES,
    ELEMENT_SEPARATOR,
    MAX_LENGTH,
    TERMINATOR,
    Ded,
    DedError,
    DedPolicy,
    abbreviate_name,
    decode,
    encode,
)
from nacha_cs.findings import Finding
from nacha_cs.privacy import mask_ssn

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


_GOOD = "DED*CS*ZC146*241024*13547*123456789*N*SMITH,HARR*40109\\"

_ENCODE_EXAMPLE = (
    "nacha-cs ded encode --case ZC146 --pay-date 2024-10-24 --amount 13547 \\\n"
    "    --ssn 123456789 --medical N --last-name Smith --first-name Harry --fips 40109"
)
_DECODE_EXAMPLE = f"nacha-cs ded decode '{_GOOD}'"


def _example(*commands: str) -> str:
    """An epilog click prints as written: ``\\b`` keeps it from rewrapping the commands, so a
    quoted segment is never cut in two and the lines can be pasted into a shell."""
    body = "\n".join("  " + line for command in commands for line in command.split("\n"))
    return f"\b\nExample:\n{body}"


@click.group(context_settings=_CONTEXT, epilog=_example(_ENCODE_EXAMPLE, _DECODE_EXAMPLE))
def ded() -> None:
    """Encode or decode one DED segment (child-support remittance in a CCD+ addenda).

    Characters outside printable ASCII in a decoded segment are shown escaped (\\x1b, \\u202e),
    never written to the terminal as they are.
    """


def _parse_date(value: str) -> dt.date:
    """YYYY-MM-DD, CCYYMMDD or YYMMDD (00-69 read as 20xx, 70-99 as 19xx)."""
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 6 and text.isdigit():
            year = int(text[:2])
            return dt.date(year + (2000 if year < 70 else 1900), int(text[2:4]), int(text[4:]))
    except ValueError:
        pass
    raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD, CCYYMMDD or YYMMDD)")


def visible(text: str) -> str:
    """``text`` with every character outside printable ASCII escaped as Python writes it.

    A DED may hold only printable ASCII, so anything else is a fault to show, not to send to
    the terminal: an escape sequence would recolour or move the cursor, a carriage return
    overwrite the line, a right-to-left override reorder what follows.

    >>> visible("DED*CS*Z\\x1b[31m1\\r*\\u202e")
    'DED*CS*Z\\\\x1b[31m1\\\\r*\\\\u202e'
    """
    if text.isascii() and text.isprintable():
        return text
    return "".join(ch if " " <= ch <= "~" else repr(ch)[1:-1] for ch in text)


def _masked_segment(text: str, full_ssn: bool) -> str:
    """The segment with DED05 shown as its last four digits, same length so columns hold.

    ``#`` hides the rest: ``*`` would read as empty elements between separators.
    """
    if full_ssn:
        return text
    body, terminator = (text[:-1], text[-1]) if text.endswith(TERMINATOR) else (text, "")
    parts = body.split(ELEMENT_SEPARATOR)
    if len(parts) > 5 and parts[5].strip():
        ssn = parts[5]
        keep = 4 if len(ssn) > 4 else 0
        parts[5] = "#" * (len(ssn) - keep) + ssn[len(ssn) - keep:]
    return ELEMENT_SEPARATOR.join(parts) + terminator


@ded.command(
    "encode",
    context_settings=_CONTEXT,
    epilog=_example(_ENCODE_EXAMPLE),
)
@click.option("--case", "case_id", required=True, help="DED02 case identifier (1-20).")
@click.option("--pay-date", required=True, help="DED03 pay date: YYYY-MM-DD, CCYYMMDD or YYMMDD.")
@click.option("--amount", required=True, type=click.IntRange(min=0),
              help="DED04 amount in cents: 13547 is $135.47.")
@click.option("--ssn", required=True, help="DED05 non-custodial parent SSN, 9 digits.")
@click.option("--medical", default="N", show_default=True,
              help="DED06 medical support indicator: Y or N (W with --allow-w).")
@click.option("--name", default="", help="DED07 as given (1-10); or use --last-name/--first-name.")
@click.option("--last-name", default="", help="Last name for the DED07 name rule.")
@click.option("--first-name", default="", help="First name for the DED07 name rule.")
@click.option("--fips", default="", help="DED08 FIPS code (5 or 7), omitted when empty.")
@click.option("--terminated", is_flag=True, help="DED09 = Y: the employee has left.")
@click.option("--application", default="CS", show_default=True, help="DED01.")
@click.option("--long-date", is_flag=True, help="CCYYMMDD pay date, as inside an 820 004010+.")
@click.option("--allow-w", is_flag=True, help="Accept W as medical indicator (e.g. Virginia).")
@click.option("--full-ssn", is_flag=True, help="Print the SSN instead of its last four digits.")
def encode_command(
    case_id: str, pay_date: str, amount: int, ssn: str, medical: str, name: str,
    last_name: str, first_name: str, fips: str, terminated: bool, application: str,
    long_date: bool, allow_w: bool, full_ssn: bool,
) -> None:
    """Build one DED segment from its elements; print it and its length.

    Nothing is cut or padded to make a value fit: a value that cannot be sent is refused with
    the element and the reason (exit 2).
    """
    when = _parse_date(pay_date)
    try:
        if name and last_name:
            raise click.UsageError("give --name or --last-name/--first-name, not both")
        if last_name:
            name = abbreviate_name(last_name, first_name)
        value = Ded(case_id, when, amount, ssn, medical, name, fips, terminated, application)
        text = encode(value, long_date=long_date, policy=DedPolicy(allow_medical_w=allow_w))
    except DedError as error:
        fail(str(error))
    click.echo(_masked_segment(text, full_ssn))
    click.echo(f"length: {len(text)} of {MAX_LENGTH}")


def _elements(text: str) -> list[str]:
    """Raw elements for display, split the way the decoder splits them."""
    body = text.rstrip(" ")
    if body.endswith((TERMINATOR, "/")):
        body = body[:-1]
    cut = body.find(TERMINATOR)
    if cut >= 0:
        body = body[:cut]
    return body.split(ELEMENT_SEPARATOR)[1:10] if body else []


def _read_as(value: Ded, number: int, full_ssn: bool) -> str:
    return {
        1: value.application,
        2: value.case_id,
        3: value.pay_date.isoformat(),
        4: money(value.amount),
        5: value.ssn if full_ssn else mask_ssn(value.ssn),
        6: {"Y": "coverage available", "N": "no coverage", "W": "does not apply"}.get(
            value.medical, value.medical),
        7: value.name,
        8: value.fips,
        9: "employment terminated" if value.terminated else "",
    }[number]


def _finding_json(finding: Finding) -> dict[str, object]:
    return {"code": finding.code, "severity": finding.severity, "field": finding.field,
            "column": finding.column, "end_column": finding.end_column,
            "message": finding.message, "hint": finding.hint}


@ded.command(
    "decode",
    context_settings=_CONTEXT,
    epilog=_example(_DECODE_EXAMPLE),
)
@click.argument("text")
@click.option("--long-date", is_flag=True, help="Expect CCYYMMDD, as inside an 820 004010+.")
@click.option("--allow-w", is_flag=True, help="Accept W as medical indicator.")
@click.option("--allow-blank-ssn", is_flag=True, help="A blank SSN is a warning, not an error.")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option("--full-ssn", is_flag=True, help="Show the SSN instead of its last four digits.")
def decode_command(text: str, long_date: bool, allow_w: bool, allow_blank_ssn: bool,
                   as_json: bool, full_ssn: bool) -> None:
    """Read one DED segment (or a whole 80-character addenda field) and name its problems.

    Exit 0 when it can be posted (warnings allowed), 1 when an error was found.
    Columns count from 1 inside the 80-character field (add 3 for the addenda record).
    """
    policy = DedPolicy(allow_medical_w=allow_w, allow_blank_ssn=allow_blank_ssn)
    value, findings = decode(text, long_date=long_date, policy=policy)
    raw = _elements(text)
    shown = _masked_segment(text.rstrip(" "), full_ssn)
    if as_json:
        elements = {f"DED{n:02d}": v for n, v in enumerate(raw, start=1)}
        if not full_ssn and "DED05" in elements:
            elements["DED05"] = mask_ssn(elements["DED05"])
        document = {
            "segment": shown,
            "valid": value is not None,
            "elements": elements,
            "ded": None if value is None else {
                "application": value.application, "case_id": value.case_id,
                "pay_date": value.pay_date.isoformat(), "amount": value.amount,
                "ssn": value.ssn if full_ssn else mask_ssn(value.ssn),
                "medical": value.medical, "name": value.name, "fips": value.fips,
                "terminated": value.terminated,
            },
            "findings": [_finding_json(f) for f in findings],
        }
        click.echo(json.dumps(document, indent=2))
    else:
        _print_table(shown, raw, value, findings, full_ssn)
    raise SystemExit(1 if value is None else 0)


def _print_table(shown: str, raw: list[str], value: Ded | None, findings: list[Finding],
                 full_ssn: bool) -> None:
    console = stdout_console()
    console.print(Text(visible(shown)))
    table = Table(show_edge=False)
    table.add_column("element")
    table.add_column("meaning")
    table.add_column("text")
    table.add_column("read as")
    for number in range(1, 10):
        key = f"DED{number:02d}"
        text = raw[number - 1] if number <= len(raw) else None
        if text is not None and number == 5 and not full_ssn:
            text = mask_ssn(text)
        read = _read_as(value, number, full_ssn) if value is not None else ""
        table.add_row(key, ELEMENT_NAMES[key], "" if text is None else repr(text), read)
    console.print(table)
    if not findings:
        console.print(Text("no problems", style="green"))
    for finding in findings:
        style = "red" if finding.severity == "error" else "yellow"
        where = f"col {finding.column}" + (
            f"-{finding.end_column}" if finding.end_column != finding.column else "")
        line = Text(f"{finding.code} {finding.severity} {finding.field} {where}: ", style=style)
        line.append(visible(finding.message), style="")
        console.print(line)
        if finding.hint:
            console.print(Text(f"    {finding.hint}", style="dim"))
