"""The facts compliance, the mandate and the letters work from, gathered in one value.

:class:`Facts` is what a loader returns (the ledger's in :mod:`nacha_cs.sdu.ledger_facts`); the
functions here derive from it what the rules need, so every derivation is a pure function a
test can feed by hand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs

from nacha_cs.sdu.compliance import OrderFacts, PaymentFacts, StaffAction, remit_due
from nacha_cs.sdu.mandate import EmployerFacts, EmployerHistory


@attrs.frozen
class Unidentified:
    """A payment the SDU could not post (suspense), with the day it arrived."""

    employer_ein: str
    received: dt.date
    reason: str


@attrs.frozen
class Agent:
    agent_id: str
    name: str
    employers: frozenset[str]
    """EINs of the employers that have linked this agent (and not removed it)."""


@attrs.frozen
class Facts:
    orders: tuple[OrderFacts, ...] = ()
    payments: Iterable[PaymentFacts] = ()
    """Any iterable that can be read more than once; the ledger's streams from the database
    each time (so payments are never all in memory)."""
    actions: tuple[StaffAction, ...] = ()
    employers: tuple[EmployerFacts, ...] = ()
    agents: tuple[Agent, ...] = ()
    unidentified: tuple[Unidentified, ...] = ()

    def employer(self, ein: str) -> EmployerFacts | None:
        return next((e for e in self.employers if e.ein == ein), None)

    def agent(self, agent_id: str) -> Agent | None:
        return next((a for a in self.agents if a.agent_id == agent_id), None)

    @property
    def employer_names(self) -> dict[str, str]:
        return {e.ein: e.name for e in self.employers if e.name}


def with_exemptions(facts: Facts) -> tuple[EmployerFacts, ...]:
    """Employers with the latest recorded EFT exemption (a staff action) filled in."""
    granted: dict[str, StaffAction] = {}
    for a in sorted(facts.actions, key=lambda a: a.on):
        if a.kind == "eft_exemption" and a.employer_ein:
            granted[a.employer_ein] = a
    out = []
    for e in facts.employers:
        action = granted.get(e.ein)
        if action is not None and e.exemption_granted is None:
            e = attrs.evolve(e, exemption_granted=action.on, exemption_note=action.note)
        out.append(e)
    return tuple(out)


def histories(facts: Facts, remit_days: int, as_of: dt.date | None = None
              ) -> Mapping[str, EmployerHistory]:
    """Each employer's record for the EFT mandate, from facts up to ``as_of``.

    * employees with orders: distinct employees among the employer's orders it has not
      rejected (a rejected IWO was never in force with it);
    * failures to withhold or to withhold in time: late payments (after the state's remit
      days) plus failures staff recorded;
    * dishonored payments: returned payments linked to the employer;
    * misidentified after contact: payments put in suspense after the latest recorded contact
      about misidentification.
    """
    def seen(day: dt.date | None) -> bool:
        return as_of is None or day is None or day <= as_of

    people: dict[str, set[str]] = defaultdict(set)
    for o in facts.orders:
        if not o.rejected and seen(o.iwo_sent):
            people[o.employer_ein].add(o.person)
    late: dict[str, int] = defaultdict(int)
    dishonored: dict[str, int] = defaultdict(int)
    for p in facts.payments:  # one pass, nothing kept: the ledger streams them
        if not seen(p.received):
            continue
        if p.dishonored:
            dishonored[p.employer_ein] += 1
        elif p.received > remit_due(p.pay_date, remit_days):
            late[p.employer_ein] += 1
    failures: dict[str, int] = defaultdict(int)
    contact: dict[str, dt.date] = {}
    for a in facts.actions:
        if not a.employer_ein or not seen(a.on):
            continue
        if a.kind == "failed_withhold":
            failures[a.employer_ein] += 1
        elif a.kind == "misid_contact":
            contact[a.employer_ein] = max(a.on, contact.get(a.employer_ein, a.on))
    misidentified: dict[str, int] = defaultdict(int)
    for u in facts.unidentified:
        since = contact.get(u.employer_ein)
        if since is not None and u.received > since and seen(u.received):
            misidentified[u.employer_ein] += 1
    eins = set(people) | set(late) | set(dishonored) | set(failures) | {
        e.ein for e in facts.employers}
    return {
        ein: EmployerHistory(
            employees_with_orders=len(people[ein]),
            failures_to_withhold=failures[ein],
            late_payments=late[ein],
            dishonored_payments=dishonored[ein],
            misidentified_after_contact=misidentified[ein],
        )
        for ein in sorted(eins)
    }
