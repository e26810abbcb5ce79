"""Questions staff ask of the ledger, answered as plain dicts (for the CLI, the web page, the
compliance report). SSNs leave the ledger only as ``***-**-6789``: the full number is never
stored, so no query can give it back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from sqlalchemy import Engine, Select, select

from nacha_cs.sdu.ledger.schema import files, payments, reviews

Row = dict[str, Any]
DateField = Literal["pay_date", "received_date"]

PAYMENT_COLUMNS = (
    "id", "file_id", "received_date", "pay_date", "case_id", "posted_case", "amount",
    "employer_ein", "sender_id", "ssn", "name", "fips", "medical", "terminated", "status",
    "suspense_reason", "trace", "review",
)


def masked(last4: str | None) -> str:
    """How a stored SSN shows: its last four digits only."""
    return f"***-**-{last4}" if last4 else ""


def payments_select(
    *,
    case_id: str | None = None,
    employer_ein: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    date_field: DateField = "pay_date",
    status: str | None = None,
    file_id: int | None = None,
) -> Select[Any]:
    """The payments query, for callers that add their own paging or ordering."""
    p = payments.c
    flagged = select(reviews.c.id).where(reviews.c.payment_id == p.id).exists()
    query = select(
        p.id, p.file_id, p.received_date, p.pay_date, p.case_id, p.posted_case, p.amount,
        p.employer_ein, p.sender_id, p.ssn_last4, p.name, p.fips, p.medical, p.terminated,
        p.status, p.suspense_reason, p.trace, flagged.label("review"),
    )
    if case_id is not None:
        query = query.where((p.case_id == case_id) | (p.posted_case == case_id))
    if employer_ein is not None:
        query = query.where(p.employer_ein == employer_ein)
    column = p.pay_date if date_field == "pay_date" else p.received_date
    if date_from is not None:
        query = query.where(column >= date_from)
    if date_to is not None:
        query = query.where(column <= date_to)
    if status is not None:
        query = query.where(p.status == status)
    if file_id is not None:
        query = query.where(p.file_id == file_id)
    return query.order_by(column, p.id)


def _payment_row(found: Any) -> Row:
    row = dict(found)
    row["ssn"] = masked(row.pop("ssn_last4"))
    row["review"] = bool(row["review"])
    return {name: row[name] for name in PAYMENT_COLUMNS}


def iter_payments(engine: Engine, **filters: Any) -> Iterator[Row]:
    """Payments matching ``filters`` (see :func:`payments_select`), streamed in pay-date
    order; each row has :data:`PAYMENT_COLUMNS`."""
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=2000).execute(
            payments_select(**filters))
        for found in result.mappings():
            yield _payment_row(found)


def payments_query(engine: Engine, *, limit: int | None = None, **filters: Any) -> list[Row]:
    """:func:`iter_payments` as a list, at most ``limit`` rows."""
    query = payments_select(**filters)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as connection:
        return [_payment_row(found) for found in connection.execute(query).mappings()]


def list_files(engine: Engine, limit: int = 100) -> list[Row]:
    """The files ingested, newest first."""
    c = files.c
    query = select(c.id, c.path, c.sha256, c.ingested_at, c.immediate_origin, c.creation_date,
                   c.creation_time, c.file_id_modifier, c.batches, c.entries, c.total_credit,
                   c.total_debit, c.errors, c.warnings, c.payments, c.returns,
                   c.same_as_file_id).order_by(c.id.desc()).limit(limit)
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]
