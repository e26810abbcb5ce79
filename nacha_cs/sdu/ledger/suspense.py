"""The suspense queue: payments the ledger could not post, until a person names their case.

Every resolution records who and when; the payment keeps what its file said (``case_id``) and
gains the case it is posted to (``posted_case``), so the queue is an audit trail, not a
correction that erases the sender's mistake.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, select, update

from nacha_cs.sdu.ledger.codes import SUSPENSE_REASONS
from nacha_cs.sdu.ledger.db import LedgerError
from nacha_cs.sdu.ledger.queries import masked
from nacha_cs.sdu.ledger.schema import orders, payments, suspense

Row = dict[str, Any]

SUSPENSE_COLUMNS = (
    "id", "reason", "reason_text", "created_at", "payment_id", "file_id", "received_date",
    "case_id", "pay_date", "amount", "employer_ein", "sender_id", "ssn", "name", "fips",
    "trace", "resolved_case", "resolved_by", "resolved_at", "note",
)


class ResolveError(LedgerError):
    """A suspense item that cannot be resolved as asked (unknown, resolved, no such case)."""


def _query(open_only: bool) -> Any:
    s, p = suspense.c, payments.c
    query = select(
        s.id, s.reason, s.created_at, s.payment_id, p.file_id, p.received_date, p.case_id,
        p.pay_date, p.amount, p.employer_ein, p.sender_id, p.ssn_last4, p.name, p.fips,
        p.trace, s.resolved_case, s.resolved_by, s.resolved_at, s.note,
    ).select_from(suspense.join(payments, payments.c.id == s.payment_id))
    if open_only:
        query = query.where(s.resolved_at.is_(None))
    return query.order_by(s.id)


def _row(found: Any) -> Row:
    row = dict(found)
    row["ssn"] = masked(row.pop("ssn_last4"))
    row["reason_text"] = SUSPENSE_REASONS.get(row["reason"], row["reason"])
    return {name: row[name] for name in SUSPENSE_COLUMNS}


def list_suspense(
    engine: Engine,
    *,
    open_only: bool = True,
    employer_ein: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int | None = None,
) -> list[Row]:
    """Suspense items (open ones unless told), oldest first; ``date_*`` bound the date the
    payment was received."""
    query = _query(open_only)
    p = payments.c
    if employer_ein is not None:
        query = query.where(p.employer_ein == employer_ein)
    if date_from is not None:
        query = query.where(p.received_date >= date_from)
    if date_to is not None:
        query = query.where(p.received_date <= date_to)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as connection:
        return [_row(found) for found in connection.execute(query).mappings()]


def resolve(engine: Engine, item: int, case_id: str, by: str, *, note: str | None = None,
            now: dt.datetime | None = None) -> Row:
    """Post suspense item ``item`` to ``case_id`` (a case of the orders register), recording
    ``by`` and the time; a termination it carries ends that order. ResolveError otherwise."""
    if not by.strip():
        raise ResolveError("say who resolves the item (--by NAME)")
    stamp = now or dt.datetime.now(dt.timezone.utc)
    with engine.begin() as connection:
        found = connection.execute(_query(False).where(suspense.c.id == item)).mappings().first()
        if found is None:
            raise ResolveError(f"there is no suspense item {item}")
        if found["resolved_at"] is not None:
            raise ResolveError(f"suspense item {item} was resolved to case "
                               f"{found['resolved_case']} by {found['resolved_by']} on "
                               f"{found['resolved_at']:%Y-%m-%d}")
        order = connection.execute(select(orders.c.id).where(
            orders.c.case_id == case_id).order_by(orders.c.id)).first()
        if order is None:
            raise ResolveError(f"case {case_id} is not in the orders register")
        connection.execute(update(suspense).where(suspense.c.id == item).values(
            resolved_case=case_id, resolved_by=by.strip(), resolved_at=stamp, note=note))
        payment = connection.execute(select(payments.c.status, payments.c.terminated).where(
            payments.c.id == found["payment_id"])).one()
        values: Row = {"posted_case": case_id}
        if payment.status == "suspense":
            values["status"] = "posted"
        connection.execute(update(payments).where(payments.c.id == found["payment_id"])
                           .values(**values))
        if payment.terminated:
            connection.execute(update(orders).where(
                orders.c.case_id == case_id, orders.c.status != "terminated").values(
                status="terminated", terminated_received=found["received_date"],
                terminated_date=found["pay_date"]))
        done = connection.execute(_query(False).where(suspense.c.id == item)).mappings().one()
    return _row(done)
