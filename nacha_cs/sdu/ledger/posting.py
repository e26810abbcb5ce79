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

from nacha_cs.codecs.ded import Ded
from nacha_cs.sdu.ledger.reading import ReadPayment
from nacha_cs.sdu.ledger.schema import agents, employer_agents, employers, orders, payments
from nacha_cs.sdu.ledger.settings import LedgerSettings

Row = dict[str, Any]

PAYMENT_COLUMNS = (
    "file_id", "seq", "batch", "entry_line", "trace", "case_id", "pay_date", "amount",
    "ssn_hash", "ssn_last4", "name", "fips", "medical", "terminated", "sender_id",
    "employer_ein", "received_date", "status", "posted_case", "suspense_reason",
)
"""The order of the tuples :meth:`Poster.post` makes."""


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

    def post(self, rows: Sequence[ReadPayment]) -> list[tuple[Any, ...]]:
        """:data:`PAYMENT_COLUMNS` tuples for ``rows``, each posted or with its suspense
        reason; the orders they terminate are terminated."""
        cases = {row.ded.case_id for row in rows if row.ded is not None}
        found = self._orders(cases)
        out: list[tuple[Any, ...]] = []
        ended: list[Row] = []
        received = self.received
        for row in rows:
            ded = row.ded
            if ded is None:
                out.append((row.file_id, row.seq, row.batch, row.entry_line, row.trace, None,
                            None, row.amount, None, None, None, None, None, False, row.sender_id,
                            row.sender_ein, received, "suspense", None, "no_ded"))
                continue
            ssn = ded.ssn.strip()
            ssn_hash = self.settings.ssn_hash(ssn) if ssn else None
            sender = row.sender_ein
            reason, order = self._reason(ded, ssn_hash, sender, found.get(ded.case_id, ()))
            employer = sender
            if order is not None and not self._is_employer_id(sender):
                employer = order["employer_ein"]
            out.append((row.file_id, row.seq, row.batch, row.entry_line, row.trace,
                        ded.case_id, ded.pay_date, row.amount, ssn_hash,
                        ssn[-4:] if ssn else None, ded.name or None, ded.fips or None,
                        ded.medical, ded.terminated, row.sender_id, employer, received,
                        "suspense" if reason else "posted", None if reason else ded.case_id,
                        reason))
            if order is not None and ded.terminated and reason is None:
                ended.append({"order_id": order["id"], "received": received,
                              "pay_date": ded.pay_date})
        if ended:
            self._terminate(ended)
        return out

    def _reason(self, ded: Ded, ssn_hash: str | None, sender: str,
                candidates: Sequence[Row]) -> tuple[str | None, Row | None]:
        if ded.amount == 0 and not ded.terminated:
            return "zero_amount", None
        if self._state_fips and ded.fips and ded.fips[:2] != self._state_fips:
            return "other_state", None
        if not candidates:
            return "unknown_case", None
        # The sender's own order first, then any the sender may pay as a linked agent.
        order = next((o for o in candidates if o["employer_ein"] == sender), None)
        if order is None:
            order = next((o for o in candidates if self._agent_linked(sender, o["employer_ein"])),
                         candidates[0])
        if ssn_hash is not None and order["ncp_ssn_hash"] and ssn_hash != order["ncp_ssn_hash"]:
            return "ssn_mismatch", order
        if self._is_employer_id(sender):
            return None, order
        if not self._is_agent_id(sender):
            return "employer_unknown", order
        if not self._agent_linked(sender, order["employer_ein"]):
            return "agent_not_linked", order
        return None, order

    # -- registers ----------------------------------------------------------------------------
    def _orders(self, cases: set[str]) -> dict[str, list[Row]]:
        found: dict[str, list[Row]] = {}
        if not cases:
            return found
        query = select(orders.c.id, orders.c.case_id, orders.c.employer_ein,
                       orders.c.ncp_ssn_hash, orders.c.status).where(
            orders.c.case_id.in_(sorted(cases)))
        for order_id, case_id, employer, ssn_hash, status in self.connection.execute(query).all():
            found.setdefault(case_id, []).append({"id": order_id, "employer_ein": employer,
                                                  "ncp_ssn_hash": ssn_hash, "status": status})
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
