"""Remittance rows as an SDU's intake systems take them: one flat row per DED payment, amounts
in cents, dates ISO, SSNs masked unless asked, written as the file is read. Shared by
`nacha-cs remittance` and the web page, so the CSV a person downloads is the one the command
writes.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from typing import Any, BinaryIO, Protocol

from nacha_cs.ach import extract
from nacha_cs.ach.describe import EventReader, yymmdd
from nacha_cs.ach.extract import Rendered
from nacha_cs.ach.records import BatchHeader
from nacha_cs.privacy import mask_ssn
from nacha_cs.sdu.remittance import RemittanceRow, event_remittances
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


class CsvRows:
    """Rows written as they come: a header, then one line per payment, formulas neutralised."""

    def __init__(self, out: Writes) -> None:
        self.out = out
        self.writer = csv.writer(out, lineterminator="\n")
        self.writer.writerow(COLUMNS)

    def __call__(self, values: dict[str, Any]) -> None:
        self.writer.writerow(safe_row([values[k] for k in COLUMNS]))  # csv writes None as ""

    @staticmethod
    def prefix(position: int, header: BatchHeader) -> str:
        """The batch's cells (the columns before ``trace_number``) as this writer writes them,
        for the compiled extractor to start each of the batch's rows with."""
        out = io.StringIO()
        cells = [position, header.company_name, header.company_identification,
                 _effective(header.effective_entry_date)]
        csv.writer(out, lineterminator="\n").writerow(safe_row(cells))
        return out.getvalue()[:-1] + ","

    def rendered(self, block: Rendered) -> None:
        """Rows the compiled extractor wrote."""
        self.out.write(block.text)

    def close(self) -> None:
        """Nothing follows the last row."""


class JsonRows:
    """``{"path": ..., "payments": [...]}`` written a payment at a time, one a line."""

    def __init__(self, out: Writes, path: str) -> None:
        self.out = out
        self.count = 0
        self.dumps = json.JSONEncoder().encode
        out.write('{\n  "path": ' + json.dumps(path) + ',\n  "payments": [')

    def __call__(self, values: dict[str, Any]) -> None:
        self.out.write(("," if self.count else "") + "\n    " + self.dumps(values))
        self.count += 1

    def rendered(self, block: Rendered) -> None:
        """Payments the compiled extractor wrote, each after a comma (none before the first)."""
        self.out.write(block.text if self.count else block.text[1:])
        self.count += block.lines

    def prefix(self, position: int, header: BatchHeader) -> str:
        """A payment's text up to its trace number, as :meth:`__call__` writes it (the keys
        of :func:`row_values` in its order), for the compiled extractor."""
        values = {"batch": position, "company_name": header.company_name,
                  "company_identification": header.company_identification,
                  "effective_entry_date": _effective(header.effective_entry_date)}
        return ",\n    " + self.dumps(values)[:-1] + ', "trace_number": "'

    def close(self) -> None:
        self.out.write("\n  ]\n}\n" if self.count else "]\n}\n")


def export(
    stream: BinaryIO, out: Writes, output_format: str, path: str, full_ssn: bool
) -> tuple[int, EventReader]:
    """Write every payment of ``stream`` to ``out`` as it is read; the count and the reader
    (its problems, whether the file was readable)."""
    state = EventReader()
    sink: CsvRows | JsonRows
    if output_format == "json":
        sink = JsonRows(out, path)
        source = extract.events(stream, state, extract.JSON, full_ssn, sink.prefix)
    else:
        sink = CsvRows(out)
        source = extract.events(stream, state, extract.CSV, full_ssn, CsvRows.prefix)
    headers: dict[int, BatchHeader] = {}
    count = 0
    for event in source:
        if isinstance(event, Rendered):
            sink.rendered(event)
            count += event.lines
            continue
        for header, row in event_remittances(event, headers):
            sink(row_values(header, row, full_ssn))
            count += 1
    sink.close()
    return count, state
