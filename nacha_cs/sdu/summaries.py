"""Totals over the ledger for the charts staff look at: money received per day and per
employer. Summed by the database (GROUP BY), so a ledger of millions of payments answers in one
query; the rows are plain dicts, amounts in cents.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, select

from nacha_cs.sdu.ledger.schema import employers, payments

Row = dict[str, Any]


def _dated(query: Any, date_from: dt.date | None, date_to: dt.date | None) -> Any:
    if date_from is not None:
        query = query.where(payments.c.received_date >= date_from)
    if date_to is not None:
        query = query.where(payments.c.received_date <= date_to)
    return query


def received_per_day(
    engine: Engine, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[Row]:
    """Per day a file was received: the payments (count) and their amount, oldest first."""
    p = payments.c
    query = select(
        p.received_date.label("day"),
        func.count().label("payments"),
        func.sum(p.amount).label("amount"),
    ).group_by(p.received_date)
    query = _dated(query, date_from, date_to).order_by(p.received_date)
    with engine.connect() as connection:
        return [
            {"day": r.day, "payments": int(r.payments), "amount": int(r.amount or 0)}
            for r in connection.execute(query)
        ]


def received_per_employer(
    engine: Engine, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[Row]:
    """Per employer paid for: its name when registered, the payments and their amount, the
    largest amount first."""
    p = payments.c
    total = func.sum(p.amount).label("amount")
    query = (
        select(
            p.employer_ein,
            employers.c.name,
            func.count().label("payments"),
            total,
        )
        .select_from(payments.outerjoin(employers, employers.c.ein == p.employer_ein))
        .group_by(p.employer_ein, employers.c.name)
    )
    query = _dated(query, date_from, date_to).order_by(total.desc(), p.employer_ein)
    with engine.connect() as connection:
        return [
            {
                "employer_ein": r.employer_ein,
                "name": r.name or "",
                "payments": int(r.payments),
                "amount": int(r.amount or 0),
            }
            for r in connection.execute(query)
        ]
