"""Remittance rows as an SDU's intake systems take them: one flat row per DED payment, amounts
in cents, dates ISO, SSNs masked unless asked. Shared by `nacha-cs remittance` and the web page,
so the CSV a person downloads is the one the command writes.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from nacha_cs.ach.model import AchFile
from nacha_cs.privacy import mask_ssn
from nacha_cs.sdu.remittance import RemittanceRow

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
