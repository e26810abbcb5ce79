"""Posting: deciding, for each payment read from a file, the case it is posted to or the reason
it waits in suspense; terminations; linking returns to the payments they return.

Payments arrive in chunks; each chunk costs one query for the orders of its cases, so memory
stays flat however large the file and however many orders the SDU holds. Employers, agents and
links are few per file and cached for the file's lifetime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, or_, select, update

from nacha_cs.sdu.ledger.reading import DedFields, ReadPayment
from nacha_cs.sdu.ledger.schema import agents, employer_agents, employers, orders, payments
from nacha_cs.sdu.ledger.settings import LedgerSettings

Row = dict[str, Any]

PAYMENT_COLUMNS = (
    "file_id", "seq", "batch", "entry_line", "trace", "case_id", "pay_date", "amount",
    "ssn_hash", "ssn_last4", "name", "fips", "medical", "terminated", "sender_id",
    "employer_ein", "received_date", "status", "posted_case", "suspense_reason",
)
"""The order of the tuples :meth:`Poster.post` makes."""
IN_GROUP = 500
"""Cases per orders query."""
Order = tuple[int, str, "str | None"]
"""An order as posting reads it: id, employer EIN, NCP SSN hash."""


class Poster:
    """Classifies payment rows (in place) against the registers, one chunk at a time."""

    def __init__(self, connection: Connection, settings: LedgerSettings,
                 received: dt.date) -> None:
        self.connection = connection
        self.settings = settings
        self.received = received
        self._state_fips = settings.state_fips
        self._is_employer: dict[str, bool] = {}
        self._is_agent: dict[str, bool] = {}
        self._linked: dict[tuple[str, str], bool] = {}
        self.terminations = 0
        o = orders.c
        query = select(o.id, o.case_id, o.employer_ein, o.ncp_ssn_hash, o.status).where(
            o.case_id.in_([bindparam(f"case{i}") for i in range(IN_GROUP)]))
        compiled = query.compile(dialect=connection.dialect)
        self._orders_sql = str(compiled)
        names = [f"case{i}" for i in range(IN_GROUP)]
        self._orders_positional = bool(compiled.positional)
        if self._orders_positional and list(compiled.positiontup or ()) != names:
            raise ValueError(f"orders query binds {compiled.positiontup} out of order")
        self._orders_names = names

    def post(self, rows: Sequence[ReadPayment]) -> list[tuple[Any, ...]]:
        """:data:`PAYMENT_COLUMNS` tuples for ``rows``, each posted or with its suspense
        reason; the orders they terminate are terminated."""
        cases = {row[5][0] for row in rows if row[5] is not None}
        found = self._orders(cases)
        out: list[tuple[Any, ...]] = []
        ended: list[Row] = []
        received = self.received
        ssn_hash = self.settings.ssn_hash
        is_employer = self._is_employer_id
        employers_known = self._is_employer
        reason_of = self._reason
        none: tuple[Order, ...] = ()
        for file_id, seq, batch, line, trace, ded, amount, sender_id, sender in rows:
            if ded is None:
                out.append((file_id, seq, batch, line, trace, None, None, amount, None, None,
                            None, None, None, False, sender_id, sender, received, "suspense",
                            None, "no_ded"))
                continue
            case_id, pay_date, _, ssn, medical, name, fips, terminated = ded
            ssn = ssn.strip()
            hashed = ssn_hash(ssn) if ssn else None
            reason, order = reason_of(ded, hashed, sender, found.get(case_id, none))
            employer = sender
            if order is not None:
                known = employers_known.get(sender)  # the cache, without a call per row
                if not (is_employer(sender) if known is None else known):
                    employer = order[1]
            out.append((file_id, seq, batch, line, trace, case_id, pay_date, amount, hashed,
                        ssn[-4:] if ssn else None, name or None, fips or None, medical,
                        terminated, sender_id, employer, received,
                        "suspense" if reason else "posted", None if reason else case_id, reason))
            if order is not None and terminated and reason is None:
                ended.append({"order_id": order[0], "received": received,
                              "pay_date": pay_date})
        if ended:
            self._terminate(ended)
        return out

    def _reason(self, ded: DedFields, ssn_hash: str | None, sender: str,
                candidates: Sequence[Order]) -> tuple[str | None, Order | None]:
        fips = ded[6]
        if ded[2] == 0 and not ded[7]:
            return "zero_amount", None
        if self._state_fips and fips and fips[:2] != self._state_fips:
            return "other_state", None
        if not candidates:
            return "unknown_case", None
        # The sender's own order first, then any the sender may pay as a linked agent (a
        # loop, not next() over a generator: this runs once per payment).
        for order in candidates:
            if order[1] == sender:
                break
        else:
            order = next((o for o in candidates if self._agent_linked(sender, o[1])),
                         candidates[0])
        if ssn_hash is not None and order[2] and ssn_hash != order[2]:
            return "ssn_mismatch", order
        known = self._is_employer.get(sender)
        if self._is_employer_id(sender) if known is None else known:
            return None, order
        if not self._is_agent_id(sender):
            return "employer_unknown", order
        if not self._agent_linked(sender, order[1]):
            return "agent_not_linked", order
        return None, order

    # -- registers ----------------------------------------------------------------------------
    def _orders(self, cases: set[str]) -> dict[str, list[Order]]:
        """The orders of ``cases``, asked IN_GROUP cases at a time. Every query has the same
        number of values (the last group repeats a case), so the driver prepares one
        statement, not one per chunk size: SQLite keeps each prepared statement, and one with
        thousands of values costs memory. The statement is compiled once (in ``__init__``,
        from the Table, for the connection's dialect) and sent as it is: compiling an
        expanding IN again for every group cost more than the lookups."""
        found: dict[str, list[Order]] = {}
        wanted = sorted(cases)
        sql = self._orders_sql
        names = self._orders_names
        positional = self._orders_positional
        execute = self.connection.exec_driver_sql
        for start in range(0, len(wanted), IN_GROUP):
            group = wanted[start:start + IN_GROUP]
            group += [group[-1]] * (IN_GROUP - len(group))
            params: Any = tuple(group) if positional else dict(zip(names, group))
            for order_id, case_id, employer, ssn_hash, _ in execute(sql, params).all():
                found.setdefault(case_id, []).append((order_id, employer, ssn_hash))
        return found

    def _is_employer_id(self, ein: str) -> bool:
        known = self._is_employer.get(ein)
        if known is None:
            known = self.connection.execute(
                select(employers.c.ein).where(employers.c.ein == ein)).first() is not None
            self._is_employer[ein] = known
        return known

    def _is_agent_id(self, agent: str) -> bool:
        known = self._is_agent.get(agent)
        if known is None:
            known = self.connection.execute(
                select(agents.c.agent_id).where(agents.c.agent_id == agent)).first() is not None
            self._is_agent[agent] = known
        return known

    def _agent_linked(self, agent: str, employer: str) -> bool:
        """Seed 001: an agent may send for an employer only while the employer links it."""
        key = (agent, employer)
        known = self._linked.get(key)
        if known is None:
            link = employer_agents.c
            query = select(link.id).where(
                link.agent_id == agent, link.employer_ein == employer,
                link.linked_on <= self.received,
                or_(link.removed_on.is_(None), link.removed_on > self.received))
            known = self.connection.execute(query).first() is not None
            self._linked[key] = known
        return known

    def _terminate(self, ended: list[Row]) -> None:
        """DED09 = Y ends the order: status, the date the termination reached the SDU."""
        statement = (
            update(orders)
            .where(and_(orders.c.id == bindparam("order_id"), orders.c.status != "terminated"))
            .values(status="terminated", terminated_received=bindparam("received"),
                    terminated_date=bindparam("pay_date"))
        )
        result = self.connection.execute(statement, ended)
        self.terminations += max(result.rowcount, 0)


def link_returns(connection: Connection, file_id: int, rows: list[Row],
                 received: dt.date) -> list[Row]:
    """Return rows with the payment each one returns: the latest payment of another file,
    received no later than the return, with the original trace (traces repeat from file to
    file, so the date matters), the same amount preferred. The payments are marked returned,
    and a returned payment counts as dishonored against its employer."""
    traces = sorted({row["original_trace"] for row in rows})
    by_trace: dict[str, list[Row]] = {}
    if traces:
        query = (select(payments.c.id, payments.c.trace, payments.c.amount,
                        payments.c.employer_ein)
                 .where(payments.c.trace.in_(traces), payments.c.file_id != file_id,
                        payments.c.received_date <= received)
                 .order_by(payments.c.id.desc()))
        for found in connection.execute(query).mappings():
            by_trace.setdefault(found["trace"], []).append(dict(found))
    out: list[Row] = []
    returned: list[Row] = []
    for row in rows:
        candidates = by_trace.get(row["original_trace"], [])
        match = next((c for c in candidates if c["amount"] == row["amount"]),
                     candidates[0] if candidates else None)
        record = dict(row, received_date=received, payment_id=None, employer_ein=None,
                      dishonored=False)
        if match is not None:
            record.update(payment_id=match["id"], employer_ein=match["employer_ein"],
                          dishonored=row["kind"] == "return")
            if row["kind"] == "return":
                returned.append({"payment_id": match["id"]})
        out.append(record)
    if returned:
        connection.execute(
            update(payments).where(payments.c.id == bindparam("payment_id"))
            .values(status="returned"), returned)
    return out
