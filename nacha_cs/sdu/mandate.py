"""Whether an employer must pay support by EFT, and the section of the rule that decides.

Oregon's OAR 137-055-5035 (seed 002) is encoded in full: section (2) makes most employers with
an order pay by EFT, (3) lets DOJ exempt an employer whose payroll cannot do EFT, and (4)
requires EFT "notwithstanding sections (2) and (3)" from an employer with a bad record, so an
exemption never outweighs (4). Other states are a table of thresholds, each only as far as its
rule is known (``../shared/SDU.md``); a state without a rule here gets no answer, not a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import attrs


@attrs.frozen
class EmployerFacts:
    """What an employer told the agency about itself (the employer register)."""

    ein: str
    name: str = ""
    employees: int | None = None
    """Head count; ``None`` when unknown (then no head-count section can decide)."""
    federal_tax_eft: bool = False
    """Required by Treasury regulations to pay federal corporation or payroll taxes by EFT."""
    state_tax_eft: bool = False
    uses_payroll_processor: bool = False
    payroll_clients: int | None = None
    """For a payroll firm: how many employers it pays for (Virginia's threshold)."""
    exemption_granted: dt.date | None = None
    """The date DOJ granted an exemption under OAR 137-055-5035(3); ``None``: none recorded."""
    exemption_note: str = ""


@attrs.frozen
class EmployerHistory:
    """What the ledger knows about the employer's record with the agency."""

    employees_with_orders: int = 0
    """Distinct employees for whom the employer has received an income withholding order."""
    failures_to_withhold: int = 0
    """Failures to withhold that staff recorded (the ledger cannot see a withholding that never
    started)."""
    late_payments: int = 0
    """Payments received after the remit days. Inferred: (4)(a) speaks of failing "to withhold
    within the time provided by ORS 25.411", whose title is "When withholding begins"; a
    payment that reaches DOJ late is counted as such a failure, and the reason says so."""
    dishonored_payments: int = 0
    misidentified_after_contact: int = 0
    """Payments misidentified (or with other distribution errors) after DOJ contacted the
    employer about how to correct them."""


@attrs.frozen
class Section:
    """One section that applies, with the facts that made it apply, in plain words."""

    section: str
    reason: str


@attrs.frozen
class MandateDecision:
    ein: str
    state: str
    required: bool
    deciding: tuple[Section, ...]
    """The sections that decide the answer (for an exempt employer: (3))."""
    also_met: tuple[Section, ...] = ()
    """Sections that would have required EFT but are outweighed (section (2) under an
    exemption)."""
    unknown: tuple[str, ...] = ()
    """What could not be decided for want of a fact (an unknown head count)."""
    rule: str = ""

    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(s.section for s in self.deciding)


def oregon(employer: EmployerFacts, history: EmployerHistory) -> MandateDecision:
    """OAR 137-055-5035: must the employer remit to DOJ by EFT, and why.

    >>> oregon(EmployerFacts("1", employees=12), EmployerHistory(employees_with_orders=1)
    ...        ).sections
    ('(2)(a)',)
    """
    count = employer.employees
    orders = history.employees_with_orders
    section2: list[Section] = []
    unknown: list[str] = []
    if orders >= 1 and count is None:
        unknown.append("head count unknown: (2)(a) and (2)(b) cannot be decided")
    if count is not None and count >= 5 and orders >= 1:
        section2.append(Section("(2)(a)", f"{count} employees and an income withholding order "
                                          f"for {_employees(orders)}"))
    if count is not None and count < 5 and orders > 1:
        section2.append(Section("(2)(b)", f"fewer than five employees ({count}) and income "
                                          f"withholding orders for {_employees(orders)}"))
    if employer.federal_tax_eft:
        section2.append(Section("(2)(c)", "required by Treasury regulations to pay federal "
                                          "taxes by EFT"))
    section4: list[Section] = []
    failures = history.failures_to_withhold + history.late_payments
    if orders >= 1 and failures >= 2:
        parts = []
        if history.failures_to_withhold:
            parts.append(f"{history.failures_to_withhold} failures to withhold recorded")
        if history.late_payments:
            parts.append(f"{history.late_payments} payments received after the remit days")
        section4.append(Section("(4)(a)", f"failed to withhold, or to withhold in time, "
                                          f"{failures} times ({', '.join(parts)})"))
    if history.dishonored_payments >= 1:
        bounced = history.dishonored_payments
        section4.append(Section("(4)(b)", f"{bounced} dishonored payment{'s' * (bounced > 1)}"))
    if history.misidentified_after_contact >= 1:
        section4.append(Section("(4)(c)", f"{history.misidentified_after_contact} payments "
                                          "misidentified after DOJ explained how to correct it"))
    rule = "OAR 137-055-5035"
    exemption = None
    if employer.exemption_granted is not None:
        note = f": {employer.exemption_note}" if employer.exemption_note else ""
        exemption = Section("(3)", f"exemption granted {employer.exemption_granted.isoformat()}"
                                   f"{note}")
    if section4:
        if exemption is None:
            return MandateDecision(employer.ein, "OR", True, tuple(section4 + section2), (),
                                   tuple(unknown), rule)
        # (4) applies "notwithstanding sections (2) and (3)": the exemption does not help.
        return MandateDecision(employer.ein, "OR", True, tuple(section4),
                               (exemption, *section2), tuple(unknown), rule)
    if section2 and exemption is not None:
        return MandateDecision(employer.ein, "OR", False, (exemption,), tuple(section2),
                               tuple(unknown), rule)
    return MandateDecision(employer.ein, "OR", bool(section2), tuple(section2), (),
                           tuple(unknown), rule)


def _employees(n: int) -> str:
    return f"{n} employee{'s' if n != 1 else ''}"


Predicate = Callable[[EmployerFacts, EmployerHistory], bool]


@attrs.frozen
class Threshold:
    """One way a state's rule makes EFT mandatory; ``needs`` names facts it cannot do without."""

    section: str
    reason: str
    applies: Predicate
    needs: tuple[str, ...] = ()


@attrs.frozen
class StateRule:
    state: str
    rule: str
    thresholds: tuple[Threshold, ...]
    remit_note: str = ""


def _count(e: EmployerFacts) -> int:
    return e.employees if e.employees is not None else -1


STATE_RULES: Mapping[str, StateRule] = {
    r.state: r
    for r in (
        StateRule("WA", "RCW 26.23.065", (
            Threshold("(2)", "ten or more employees and an income withholding order",
                      lambda e, h: _count(e) >= 10 and h.employees_with_orders >= 1,
                      ("employees",)),
            Threshold("(2)", "fewer than ten employees and more than one order",
                      lambda e, h: 0 <= _count(e) < 10 and h.employees_with_orders > 1,
                      ("employees",)),
            Threshold("(2)", "uses a payroll processor",
                      lambda e, h: e.uses_payroll_processor and h.employees_with_orders >= 1),
            Threshold("(2)", "files and pays state taxes electronically",
                      lambda e, h: e.state_tax_eft and h.employees_with_orders >= 1),
        )),
        StateRule("TX", "Texas Family Code 158.203", (
            Threshold("158.203", "50 or more employees",
                      lambda e, h: _count(e) >= 50 and h.employees_with_orders >= 1,
                      ("employees",)),
        ), "EFT is due by the second business day after the pay date"),
        StateRule("CA", "California Family Code 17309.5", (
            Threshold("17309.5", "pays state taxes by EFT",
                      lambda e, h: e.state_tax_eft and h.employees_with_orders >= 1),
        )),
        StateRule("VA", "Virginia employer EFT requirement", (
            Threshold("EFT", "100 or more employees",
                      lambda e, h: _count(e) >= 100 and h.employees_with_orders >= 1,
                      ("employees",)),
            Threshold("EFT", "payroll firm paying for 50 or more employers",
                      lambda e, h: (e.payroll_clients or 0) >= 50,
                      ("payroll_clients",)),
        ), "EFT remittance within 4 days of the pay date"),
    )
}
"""Thresholds from ``../shared/SDU.md``; only what each rule's text was read to say."""

STATE_NAMES: Mapping[str, str] = {"oregon": "OR", "washington": "WA", "texas": "TX",
                                  "california": "CA", "virginia": "VA"}


def state_code(name: str) -> str:
    """``oregon`` or ``OR`` to ``OR``; an unknown state raises ValueError naming the known."""
    code = STATE_NAMES.get(name.lower(), name.upper())
    if code != "OR" and code not in STATE_RULES:
        known = ", ".join(sorted(STATE_NAMES))
        raise ValueError(f"no EFT mandate rule for {name!r}; known: {known}")
    return code


def decide(state: str, employer: EmployerFacts, history: EmployerHistory) -> MandateDecision:
    """The decision under ``state``'s rule (Oregon's in full, the others from the table)."""
    code = state_code(state)
    if code == "OR":
        return oregon(employer, history)
    state_rule = STATE_RULES[code]
    met: list[Section] = []
    unknown: list[str] = []
    for threshold in state_rule.thresholds:
        missing = [n for n in threshold.needs if getattr(employer, n) is None]
        if missing:
            unknown.append(f"{', '.join(missing)} unknown: '{threshold.reason}' cannot be decided")
            continue
        if threshold.applies(employer, history):
            met.append(Section(threshold.section, threshold.reason))
    return MandateDecision(employer.ein, code, bool(met), tuple(met), (),
                           tuple(dict.fromkeys(unknown)), state_rule.rule)


def decide_all(state: str, employers: Sequence[EmployerFacts],
               histories: Mapping[str, EmployerHistory]) -> list[MandateDecision]:
    """One decision per employer, in EIN order; an employer without history has no orders."""
    return [decide(state, e, histories.get(e.ein, EmployerHistory()))
            for e in sorted(employers, key=lambda e: e.ein)]
