"""Compliance facts read from the SDU ledger, and staff actions written to it (SQLAlchemy Core).

The ledger (:mod:`nacha_cs.sdu.ledger`) owns the schema; this module only reads its registers,
payments, returns and suspense queue into a :class:`~nacha_cs.sdu.facts.Facts`, and appends to
its ``staff_actions`` table. Nothing here depends on the database dialect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import cast

from sqlalchemy import Connection, RowMapping, func, insert, select

from nacha_cs.sdu.compliance import (
    ACTION_KINDS,
    ActionKind,
    Frequency,
    OrderFacts,
    PaymentFacts,
    StaffAction,
)
from nacha_cs.sdu.facts import Agent, Facts, Unidentified
from nacha_cs.sdu.ledger import schema
from nacha_cs.sdu.mandate import EmployerFacts

FREQUENCIES: Mapping[str, Frequency] = {"W": "weekly", "B": "biweekly", "S": "semimonthly",
                                        "M": "monthly"}
"""The ledger's one-letter IWO frequencies."""


class RecordError(ValueError):
    """A staff action that cannot be recorded (the message says why)."""


def _order(row: RowMapping) -> OrderFacts:
    amount = sum(int(row[c] or 0) for c in ("current_support", "past_due_support",
                                            "cash_medical", "spousal_support", "other_amount"))
    disposition = f"{row['ack_status'] or ''}{row['ack_reason'] or ''}" or None
    terminated = row["terminated_received"] or row["terminated_date"]
    if terminated is None and str(row["status"]) == "terminated":
        terminated = row["updated_at"]
        if isinstance(terminated, dt.datetime):
            terminated = terminated.date()
    return OrderFacts(
        case_id=str(row["case_id"]),
        employer_ein=str(row["employer_ein"]),
        employee_name=str(row["ncp_name"] or ""),
        ssn_last4=str(row["ncp_ssn_last4"] or ""),
        amount=amount,
        frequency=FREQUENCIES.get(str(row["frequency"]), "monthly"),
        order_date=row["order_date"],
        iwo_sent=row["iwo_sent_date"],
        acknowledged=row["ack_date"],
        disposition=disposition,
        terminated=terminated,
        employee_id=str(row["ncp_ssn_hash"] or ""),
    )


STREAM_ROWS = 10_000
"""Payments fetched from the server at a time."""


class _LedgerPayments:
    """The ledger's payments as :class:`PaymentFacts`, streamed from the database each time
    they are iterated (a server-side cursor where the driver has one), so a report over
    millions of payments holds none of them. Valid while ``connection`` is open."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def __iter__(self) -> Iterator[PaymentFacts]:
        returns = schema.returns
        dishonored_ids = {r.payment_id for r in self.connection.execute(
            select(returns.c.payment_id)
            .where(returns.c.dishonored, returns.c.payment_id.is_not(None)))}
        p = schema.payments
        query = (select(p.c.id, p.c.case_id, p.c.posted_case, p.c.employer_ein, p.c.pay_date,
                        p.c.received_date, p.c.amount, p.c.terminated, p.c.trace, p.c.status)
                 .where(p.c.pay_date.is_not(None))
                 .execution_options(stream_results=True, yield_per=STREAM_ROWS))
        for r in self.connection.execute(query):
            case = r.posted_case or (r.case_id if r.status != "suspense" else None)
            if case:
                yield PaymentFacts(case, r.employer_ein, r.pay_date, r.received_date, r.amount,
                                   bool(r.terminated), r.id in dishonored_ids, r.trace)
        unlinked = (select(returns.c.employer_ein, returns.c.received_date, returns.c.amount,
                           returns.c.original_trace)
                    .where(returns.c.dishonored, returns.c.payment_id.is_(None),
                           returns.c.employer_ein.is_not(None)))
        for ret in self.connection.execute(unlinked):
            # A dishonored payment the ledger could not link still counts against the employer.
            yield PaymentFacts("", ret.employer_ein, ret.received_date, ret.received_date,
                               ret.amount, dishonored=True, trace=ret.original_trace)


def load_facts(connection: Connection) -> Facts:
    """Everything compliance, the mandate and the letters need: the registers and staff
    actions read now, the payments streamed when iterated (keep ``connection`` open)."""
    orders = tuple(_order(r._mapping) for r in connection.execute(
        select(schema.orders).where(schema.orders.c.action != "LUM")
        .order_by(schema.orders.c.employer_ein, schema.orders.c.case_id)))
    payments = _LedgerPayments(connection)
    p = schema.payments
    s = schema.suspense
    unidentified = tuple(
        Unidentified(r.employer_ein, r.received_date, r.reason)
        for r in connection.execute(select(p.c.employer_ein, p.c.received_date, s.c.reason)
                                    .join(p, p.c.id == s.c.payment_id).order_by(s.c.id)))
    a = schema.staff_actions
    actions = tuple(
        StaffAction(r.case_id or "", _kind(r.kind), r.action_date, r.note or "", r.by,
                    r.employer_ein or "")
        for r in connection.execute(select(a).order_by(a.c.action_date, a.c.id))
        if _kind(r.kind) in ACTION_KINDS)
    e = schema.employers
    employers = tuple(
        EmployerFacts(r.ein, r.name, r.employee_count, bool(r.federal_tax_eft))
        for r in connection.execute(select(e).order_by(e.c.ein)))
    links: dict[str, set[str]] = {}
    ea = schema.employer_agents
    for link in connection.execute(select(ea.c.agent_id, ea.c.employer_ein)
                                   .where(ea.c.removed_on.is_(None))):
        links.setdefault(link.agent_id, set()).add(link.employer_ein)
    agents = tuple(Agent(r.agent_id, r.name, frozenset(links.get(r.agent_id, ())))
                   for r in connection.execute(select(schema.agents)
                                               .order_by(schema.agents.c.agent_id)))
    return Facts(orders, payments, actions, employers, agents, unidentified)


def _kind(kind: str) -> ActionKind:
    return cast(ActionKind, kind.strip().lower())


def record_action(connection: Connection, *, kind: str, on: dt.date, case_id: str = "",
                  employer_ein: str = "", note: str = "", by: str = "") -> int:
    """Append a staff action; the case must have an order (its employer is filled in when the
    case has one), an employer-wide action needs a known employer. Returns the new row's id."""
    kind = _kind(kind)
    if kind not in ACTION_KINDS:
        raise RecordError(f"unknown action {kind!r}; known: {', '.join(ACTION_KINDS)}")
    o = schema.orders
    if case_id:
        eins = sorted({r.employer_ein for r in connection.execute(
            select(o.c.employer_ein).where(o.c.case_id == case_id))})
        if not eins:
            raise RecordError(f"no order for case {case_id} in the ledger (orders import first)")
        if employer_ein and employer_ein not in eins:
            raise RecordError(f"case {case_id} has no order with employer {employer_ein}")
        if not employer_ein and len(eins) == 1:
            employer_ein = eins[0]
    elif employer_ein:
        known = connection.execute(select(func.count()).select_from(schema.employers)
                                   .where(schema.employers.c.ein == employer_ein)).scalar_one()
        if not known:
            raise RecordError(f"no employer {employer_ein} in the ledger (employers import)")
    else:
        raise RecordError("name a case (--case) or an employer (--employer)")
    result = connection.execute(insert(schema.staff_actions).values(
        case_id=case_id or None, employer_ein=employer_ein or None, kind=kind,
        action_date=on, note=note or None, by=by or "staff",
        created_at=dt.datetime.now(dt.timezone.utc)))
    key = result.inserted_primary_key
    return int(key[0]) if key else 0
