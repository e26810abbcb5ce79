"""Employer compliance: which employers and cases need a staff action today, and which one.

The criteria are Oklahoma's Employer Services Center checklist (seed 000) plus the federal
remittance deadline (42 USC 666(b)(6): the employer pays within 7 business days of the pay
date; a state may set fewer). 42 USC 654a(g)(1)(B) asks the state to identify failures to pay
promptly, so the report is computed from facts for any ``as_of`` day, with no hidden clock.

Everything here is a pure function over plain facts (orders, payments, staff actions); the
ledger loaders build the facts, the CLI prints the rows. How days count, as the seed says:

* 30 and 45 days are **calendar** days: ``(as_of - since).days >= 30`` fires on day 30, not 29;
* remittance counts **business** days (Federal Reserve banking days) after the pay date.

Codes are stable; :data:`CRITERIA` holds each one's criterion and the seed's next step.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Literal

import attrs

from nacha_cs.ach.calendar import add_banking_days, banking_days_between

Frequency = Literal["weekly", "biweekly", "semimonthly", "monthly"]
PERIODS_PER_YEAR: Mapping[str, int] = {"weekly": 52, "biweekly": 26, "semimonthly": 24,
                                       "monthly": 12}
"""Pay periods a year for each IWO frequency (the IWO form's "per week/two weeks/month")."""

ActionKind = Literal["contact", "response", "ecl1", "ecl2", "note", "amended_iwo",
                     "eft_exemption", "failed_withhold", "misid_contact"]
ACTION_KINDS: tuple[str, ...] = ("contact", "response", "ecl1", "ecl2", "note", "amended_iwo",
                                 "eft_exemption", "failed_withhold", "misid_contact")
"""What staff record: the case steps of seed 000, and for the EFT mandate an exemption granted
(OAR 137-055-5035(3)), a failure to withhold, and a contact about misidentified payments."""


@attrs.frozen
class OrderFacts:
    """One income withholding order as the employer holds it (the current ORG or AMD).

    ``amount`` is cents per ``frequency`` period (current support plus arrears and medical, the
    IWO's total to withhold); ``pay_frequency`` is how often this employer pays the employee,
    when it differs from the order's. ``order_date`` is the date of the current order (the
    last amendment), against which received amounts are compared.
    """

    case_id: str
    employer_ein: str
    employee_name: str = ""
    ssn_last4: str = ""
    amount: int = 0
    frequency: Frequency = "monthly"
    pay_frequency: Frequency | None = None
    order_date: dt.date | None = None
    iwo_sent: dt.date | None = None
    acknowledged: dt.date | None = None
    disposition: str | None = None
    """Acknowledgment status: ``A`` accepted, ``R`` rejected (reason after it, ``RN``)."""
    terminated: dt.date | None = None
    """Date termination information was received (e-IWO ``TRM``, DED09=Y, or the employer)."""
    employee_id: str = ""
    """Who the employee is, for counting employees (a keyed SSN hash); the case when empty."""

    @property
    def rejected(self) -> bool:
        return (self.disposition or "").upper().startswith("R")

    @property
    def person(self) -> str:
        return self.employee_id or self.case_id


@attrs.frozen
class PaymentFacts:
    """One DED payment received: ``received`` is the day the SDU got the money (settlement)."""

    case_id: str
    employer_ein: str
    pay_date: dt.date
    received: dt.date
    amount: int
    terminated: bool = False
    dishonored: bool = False
    trace: str = ""


@attrs.frozen
class StaffAction:
    """A step staff recorded: a contact (call or email), the employer's response, a letter."""

    case_id: str
    kind: ActionKind
    on: dt.date
    note: str = ""
    by: str = ""
    employer_ein: str = ""
    """The employer the action was with; empty: whichever employer holds the case's order."""


@attrs.frozen
class Settings:
    """The clocks of the criteria; defaults are the seed's and the federal statute's."""

    contact_after_days: int = 30
    iwo_response_days: int = 45
    ecl1_response_days: int = 30
    remit_days: int = 7
    """Business days after the pay date (a state profile's ``remit_days``)."""
    amount_start_days: int = 14
    """Pay dates this many days after the current order's date are compared with it. Inferred:
    the IWO tells the employer to start withholding within a period the state sets; 14 days is
    a common figure, and a paycheck cut before the amendment reached payroll is not a defect."""
    late_lookback_days: int = 90
    """Late payments received this many calendar days before ``as_of`` or fewer are reported."""
    amount_lookback_days: int = 90
    """Pay dates this many calendar days before ``as_of`` or fewer are compared with the order
    (the latest decides; the older ones give the count of differing pay dates)."""


@attrs.frozen
class Criterion:
    code: str
    title: str
    criterion: str
    next_step: str
    source: str


CRITERIA: Mapping[str, Criterion] = {
    c.code: c
    for c in (
        Criterion(
            "CMP-ESC-30",
            "payments stopped",
            "the employer was paying; 30 or more calendar days since the last payment was "
            "received; no termination information from the employer",
            "Contact the employer (ESC). If it cannot be reached or does not cooperate, send "
            "Employer Compliance Letter 1 (ECL1).",
            "seed 000 (OK ESC criteria)",
        ),
        Criterion(
            "CMP-IWO-45",
            "no response to the IWO",
            "the IWO was sent 45 or more calendar days ago; no acknowledgment, no response "
            "and no payment from the employer",
            "Contact the employer (ESC); check that the correct IWO went to the right address. "
            "If it cannot be reached or does not cooperate, send ECL1.",
            "seed 000 (OK ESC criteria)",
        ),
        Criterion(
            "CMP-ECL2-REVIEW",
            "no response to ECL1",
            "ECL1 was sent 30 or more calendar days ago; no response and no payment since",
            "Review the case: the next step may be Employer Compliance Letter 2 (ECL2).",
            "seed 000 (OK ESC criteria)",
        ),
        Criterion(
            "CMP-AMOUNT",
            "amount differs from the current IWO",
            "the amount received for the latest pay date differs from what the current IWO "
            "asks for that pay period",
            "Generate an amended IWO to the employer to get the amount corrected.",
            "seed 000 (OK ESC criteria, CSPAYI check)",
        ),
        Criterion(
            "CMP-LATE",
            "payment remitted late",
            "a payment was received more than the state's remit days (business days) after "
            "its pay date",
            "Remind the employer that payments are due within the state's business days of "
            "the pay date; it is liable for amounts it fails to pay over.",
            "42 USC 666(b)(6); state profile remit_days",
        ),
    )
}


@attrs.frozen
class ComplianceRow:
    """One employer and case that needs action: the code, the facts behind it, the next step."""

    code: str
    employer_ein: str
    case_id: str
    since: dt.date
    """When the clock of the criterion started (last payment, IWO sent, ECL1 sent, pay date)."""
    days: int
    """Days on that clock at ``as_of`` (business days late, for CMP-LATE)."""
    facts: Mapping[str, object] = attrs.field(factory=dict, eq=False)
    next_step: str = ""

    @property
    def title(self) -> str:
        return CRITERIA[self.code].title

    def as_dict(self) -> dict[str, object]:
        """Plain values for CSV and JSON (dates ISO, amounts in cents)."""
        return {
            "code": self.code,
            "title": self.title,
            "employer_ein": self.employer_ein,
            "case_id": self.case_id,
            "since": self.since.isoformat(),
            "days": self.days,
            "facts": {k: _plain(v) for k, v in self.facts.items()},
            "next_step": self.next_step,
        }


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def expected_per_pay(order: OrderFacts) -> int:
    """Cents the employer should send per pay date: the order's amount turned into the
    employer's pay frequency by periods a year (the same conversion the IWO form's table uses).

    >>> expected_per_pay(OrderFacts("C1", "E", amount=43333, frequency="monthly",
    ...                             pay_frequency="biweekly"))
    20000
    >>> expected_per_pay(OrderFacts("C1", "E", amount=10000, frequency="weekly"))
    10000
    """
    pay = order.pay_frequency or order.frequency
    if pay == order.frequency:
        return order.amount
    numerator = order.amount * PERIODS_PER_YEAR[order.frequency]
    denominator = PERIODS_PER_YEAR[pay]
    return (2 * numerator + denominator) // (2 * denominator)


@lru_cache(maxsize=4096)
def remit_due(pay_date: dt.date, remit_days: int) -> dt.date:
    """The last day a payment for ``pay_date`` may arrive: ``remit_days`` banking days after
    (cached: a ledger has millions of payments but few pay dates).

    >>> remit_due(dt.date(2026, 11, 20), 7)  # Friday; Thanksgiving on the 26th
    datetime.date(2026, 12, 2)
    """
    return add_banking_days(pay_date, remit_days)


def _key(ein: str, case: str) -> tuple[str, str]:
    return (ein, case)


def evaluate(
    orders: Iterable[OrderFacts],
    payments: Iterable[PaymentFacts],
    actions: Iterable[StaffAction],
    as_of: dt.date,
    settings: Settings | None = None,
) -> list[ComplianceRow]:
    """Every row that needs action on ``as_of``, sorted by employer, case and code.

    Facts dated after ``as_of`` are ignored, so a report for an earlier day is the report that
    day would have printed. Dishonored payments never count as payments received.

    Payments are read once, in any order, and never held: each order keeps a small summary
    (the last payment, the first termination, late payments and pay-date totals of the recent
    window), so memory follows the number of orders, not of payments (the ledger streams them).
    """
    s = settings or Settings()
    order_list = [o for o in orders if o.iwo_sent is None or o.iwo_sent <= as_of]
    accounts = {_key(o.employer_ein, o.case_id): _Account(o, as_of, s) for o in order_list}
    for p in payments:
        if p.received <= as_of and not p.dishonored:
            account = accounts.get(_key(p.employer_ein, p.case_id))
            if account is not None:
                account.add(p)
    case_employers: dict[str, set[str]] = defaultdict(set)
    for o in order_list:
        case_employers[o.case_id].add(o.employer_ein)
    by_action: dict[tuple[str, str], list[StaffAction]] = defaultdict(list)
    for a in actions:
        if a.on > as_of:
            continue
        for ein in [a.employer_ein] if a.employer_ein else sorted(case_employers[a.case_id]):
            by_action[_key(ein, a.case_id)].append(a)
    rows: list[ComplianceRow] = []
    for key, account in accounts.items():
        done = sorted(by_action.get(key, []), key=lambda a: a.on)
        rows.extend(_order_rows(account, done, as_of, s))
    rows.sort(key=lambda r: (r.employer_ein, r.case_id, r.code, r.since))
    return rows


class _Account:
    """What one order's payments add up to, kept as they stream by."""

    def __init__(self, order: OrderFacts, as_of: dt.date, s: Settings) -> None:
        self.order = order
        self.count = 0
        self.last: PaymentFacts | None = None
        self.terminated: dt.date | None = None
        self.remit_days = s.remit_days
        self.late_from = as_of - dt.timedelta(days=s.late_lookback_days)
        self.late: list[tuple[PaymentFacts, dt.date, int]] = []
        start = order.order_date or order.iwo_sent
        window = as_of - dt.timedelta(days=s.amount_lookback_days)
        self.amount_from = (window if start is None
                            else max(window, start + dt.timedelta(days=s.amount_start_days)))
        self.order_start = start
        self.totals: dict[dt.date, int] = defaultdict(int)

    def add(self, p: PaymentFacts) -> None:
        self.count += 1
        if self.last is None or (p.received, p.pay_date) >= (self.last.received,
                                                             self.last.pay_date):
            self.last = p
        if p.terminated and (self.terminated is None or p.received < self.terminated):
            self.terminated = p.received
        if p.received >= self.late_from:
            due = remit_due(p.pay_date, self.remit_days)
            if p.received > due:
                self.late.append((p, due, banking_days_between(due, p.received)))
        if p.pay_date >= self.amount_from:
            self.totals[p.pay_date] += p.amount


def _last(actions: Sequence[StaffAction], kind: str, after: dt.date | None = None
          ) -> StaffAction | None:
    """The latest action of ``kind`` on or after ``after``."""
    found = [a for a in actions if a.kind == kind and (after is None or a.on >= after)]
    return found[-1] if found else None


def _order_rows(account: _Account, done: Sequence[StaffAction], as_of: dt.date, s: Settings
                ) -> list[ComplianceRow]:
    order = account.order
    if order.rejected:
        return []  # the employer answered: the order is not in force with it
    terminated = (order.terminated if order.terminated is not None and order.terminated <= as_of
                  else account.terminated)
    rows: list[ComplianceRow] = []
    rows.extend(_late_rows(account, s))
    if terminated is not None:
        return rows
    ecl1 = _last(done, "ecl1")
    ecl2 = _last(done, "ecl2")
    if ecl1 is not None and (ecl2 is None or ecl2.on < ecl1.on):
        row = _ecl2_review(account, done, ecl1, as_of, s)
        if row is not None:
            rows.append(row)
    last = account.last
    if last is not None:
        days = (as_of - last.received).days
        if days >= s.contact_after_days and not _escalated(done, last.received):
            rows.append(_escalation_row(
                "CMP-ESC-30", order, last.received, days, done,
                {"last_payment_received": last.received, "last_pay_date": last.pay_date,
                 "last_amount": last.amount, "payments_received": account.count},
            ))
        amount = _amount_row(account)
        if amount is not None:
            rows.append(amount)
    elif order.iwo_sent is not None:
        days = (as_of - order.iwo_sent).days
        response = _last(done, "response", order.iwo_sent)
        if (days >= s.iwo_response_days and order.acknowledged is None and response is None
                and not _escalated(done, order.iwo_sent)):
            rows.append(_escalation_row(
                "CMP-IWO-45", order, order.iwo_sent, days, done,
                {"iwo_sent": order.iwo_sent, "acknowledged": None, "payments_received": 0},
            ))
    return rows


def _escalated(done: Sequence[StaffAction], since: dt.date) -> bool:
    """An ECL1 sent since the clock started moves the case to the ECL1 stage."""
    return _last(done, "ecl1", since) is not None


def _escalation_row(code: str, order: OrderFacts, since: dt.date, days: int,
                    done: Sequence[StaffAction], facts: dict[str, object]) -> ComplianceRow:
    """A contact row; the next step follows what staff already recorded since ``since``."""
    contact = _last(done, "contact", since)
    response = _last(done, "response", since)
    step = CRITERIA[code].next_step
    if response is not None and (contact is None or response.on >= contact.on):
        step = (f"The employer responded on {response.on.isoformat()}"
                f"{': ' + response.note if response.note else ''}; follow up on what it said "
                "(termination information goes into the order register).")
    elif contact is not None:
        step = (f"ESC contacted the employer on {contact.on.isoformat()} and no response is "
                "recorded. If it could not be reached or does not cooperate, send ECL1.")
    facts = dict(facts)
    facts["contacted"] = contact.on if contact else None
    facts["responded"] = response.on if response else None
    return ComplianceRow(code, order.employer_ein, order.case_id, since, days, facts, step)


def _ecl2_review(account: _Account, done: Sequence[StaffAction], ecl1: StaffAction,
                 as_of: dt.date, s: Settings) -> ComplianceRow | None:
    days = (as_of - ecl1.on).days
    if days < s.ecl1_response_days:
        return None
    if _last(done, "response", ecl1.on) is not None:
        return None
    if account.last is not None and account.last.received >= ecl1.on:
        return None  # paid since the letter
    order = account.order
    return ComplianceRow(
        "CMP-ECL2-REVIEW", order.employer_ein, order.case_id, ecl1.on, days,
        {"ecl1_sent": ecl1.on, "responded": None, "payments_since_ecl1": 0},
        CRITERIA["CMP-ECL2-REVIEW"].next_step,
    )


def _amount_row(account: _Account) -> ComplianceRow | None:
    """Compare the latest pay date's total with the current order (lump sums aside: a pay
    date whose total is several periods' worth is still a difference staff should see)."""
    order = account.order
    totals = account.totals
    if not totals or order.amount <= 0:
        return None
    latest = max(totals)
    expected = expected_per_pay(order)
    tolerance = 0 if (order.pay_frequency or order.frequency) == order.frequency else 1
    received = totals[latest]
    if abs(received - expected) <= tolerance:
        return None
    differing = sum(1 for v in totals.values() if abs(v - expected) > tolerance)
    return ComplianceRow(
        "CMP-AMOUNT", order.employer_ein, order.case_id, latest, 0,
        {"pay_date": latest, "received": received, "expected": expected,
         "order_amount": order.amount, "order_frequency": order.frequency,
         "pay_frequency": order.pay_frequency or order.frequency,
         "order_date": account.order_start, "pay_dates_differing": differing,
         "pay_dates_compared": len(totals)},
        CRITERIA["CMP-AMOUNT"].next_step,
    )


def late_payments(paid: Iterable[PaymentFacts], remit_days: int
                  ) -> list[tuple[PaymentFacts, dt.date, int]]:
    """Each payment received after its due day, with the due day and business days late."""
    late = []
    for p in paid:
        due = remit_due(p.pay_date, remit_days)
        if p.received > due:
            late.append((p, due, banking_days_between(due, p.received)))
    return late


def _late_rows(account: _Account, s: Settings) -> list[ComplianceRow]:
    if not account.late:
        return []
    late = sorted(account.late, key=lambda item: (item[0].received, item[0].pay_date))
    payment, due, days = late[-1]
    order = account.order
    return [ComplianceRow(
        "CMP-LATE", order.employer_ein, order.case_id, payment.pay_date, days,
        {"pay_date": payment.pay_date, "received": payment.received, "due": due,
         "business_days_late": days, "remit_days": s.remit_days, "amount": payment.amount,
         "late_payments": len(late),
         "late_pay_dates": [p.pay_date for p, _, _ in late]},
        f"Remind the employer that payments are due within {s.remit_days} business days of "
        "the pay date (42 USC 666(b)(6)); it is liable for amounts it fails to pay over.",
    )]


def late_count(payments: Iterable[PaymentFacts], remit_days: int) -> int:
    """How many payments arrived after their due day (for the Oregon mandate's (4)(a))."""
    return len(late_payments([p for p in payments if not p.dishonored], remit_days))
