"""What people and programs are shown of a :class:`Report`, shared by the command line and the
web page so both say the same thing: the JSON document of DESIGN.md, findings grouped by rule,
and the records the findings point at (read back, SSNs masked).

Pure: no click, no rich, no web framework.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, BinaryIO

from nacha_cs.ach.reader import iter_raw_records
from nacha_cs.ach.sniff import HEAD_BYTES, sniff_finding
from nacha_cs.findings import Finding
from nacha_cs.privacy import mask_ded_text, mask_records
from nacha_cs.validate.engine import validate_stream
from nacha_cs.validate.state import Options, Report, Summary


def finding_json(finding: Finding, full_ssn: bool) -> dict[str, Any]:
    """One finding as the JSON document carries it, its message masked unless asked."""
    return {
        "code": finding.code,
        "severity": finding.severity,
        "line": finding.line,
        "column": finding.column,
        "field": finding.field,
        "message": finding.message if full_ssn else mask_ded_text(finding.message),
    }


def report_json(report: Report, strict: bool, full_ssn: bool) -> dict[str, Any]:
    """One file's entry in the DESIGN.md JSON document."""
    summary = report.summary
    return {
        "path": report.path,
        "valid": report.valid(strict),
        "errors": report.errors,
        "warnings": report.warnings,
        "summary": {
            "batches": summary.batches,
            "entries": summary.entries,
            "addenda": summary.addenda,
            "total_debit": summary.total_debit,
            "total_credit": summary.total_credit,
        },
        "findings": [finding_json(f, full_ssn) for f in report.findings],
    }


def group_findings(report: Report) -> list[list[Finding]]:
    """Findings grouped by rule: errors before warnings, then in order of first appearance."""
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_code[finding.code].append(finding)
    groups = [
        sorted(found, key=lambda f: (f.line or 0, f.column or 0)) for found in by_code.values()
    ]
    groups.sort(key=lambda g: (g[0].severity != "error", g[0].line or 0, g[0].code))
    return groups


def record_lines(stream: BinaryIO, wanted: set[int], full_ssn: bool) -> dict[int, str]:
    """Read back just the records that findings point at (the validation itself streamed),
    every DED05 masked unless ``full_ssn``."""
    if not wanted:
        return {}
    found: dict[int, str] = {}
    last = max(wanted)
    records: Iterable[tuple[int, str]] = iter_raw_records(stream)
    if not full_ssn:
        records = mask_records(records)
    for number, line in records:
        if number in wanted:
            found[number] = line
        elif number > last and line[:1] != "7":
            break
    return found


def place(finding: Finding, full_ssn: bool = False) -> str:
    """Where a finding is and what it says, as the text output prints it:
    ``line 4, columns 25-30, DED04: ...``, the message masked unless ``full_ssn``."""
    where = []
    if finding.line:
        where.append(f"line {finding.line}")
    if finding.column:
        if finding.end_column in (None, finding.column):
            where.append(f"column {finding.column}")
        else:
            where.append(f"columns {finding.column}-{finding.end_column}")
    if finding.field:
        where.append(finding.field)
    message = finding.message if full_ssn else mask_ded_text(finding.message)
    return f"{', '.join(where)}: {message}" if where else message


def printable(line: str) -> str:
    """A record safe to print: anything outside printable ASCII shown as ``?``."""
    return "".join(c if c.isascii() and c.isprintable() else "?" for c in line)


def check_stream(stream: BinaryIO, options: Options, path: str) -> Report:
    """One file's report: a file in another format (gzip, PDF, UTF-16...) gets the one finding
    that names it instead of dozens about its records. ``stream`` must support ``peek`` or
    ``seek`` (a buffered file or :class:`io.BytesIO`)."""
    head = _head(stream)
    foreign = None if "FMT001" in options.disabled else sniff_finding(head)
    if foreign is not None:
        return Report(path, [foreign], Summary())
    return validate_stream(stream, options, path)


def _head(stream: BinaryIO) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is not None:
        head: bytes = peek(HEAD_BYTES)[:HEAD_BYTES]
        return head
    origin = stream.tell()
    head = stream.read(HEAD_BYTES)
    stream.seek(origin)
    return head
