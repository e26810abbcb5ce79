"""How much to withhold for each support order of one employee on one pay date.

The rules come from the Oklahoma employer guide (chapters 3 and 5) and 15 U.S.C. 1673(b)(2):

* Disposable income is gross pay minus the *mandatory* deductions (taxes, Social Security,
  Medicare, statutory pension). It is not net pay.
* At most 50% of it may go to support when the employee supports another family, 60% when not;
  55% / 65% when arrears are more than 12 weeks old. States may restrict this further, so the
  percentages are a :class:`LimitTable` a state profile can replace.
* Several orders and not enough room: current support (cash medical support included, as the
  guide's chapter 3 says: "Current child and spousal support (including cash medical) is
  first, then health insurance premiums") is paid first, shared in proportion to each order's
  current support due (Oklahoma's prorated method), and every order gets something; arrears
  come after current support.
* The employer may keep an administrative fee where the state allows it (Oklahoma: $5 a pay
  period, at most $10 a month). It never comes out of the support, and the federal IWO says
  the support and the fee together may not exceed the limit: when support takes the whole
  limit, there is no fee that period.
* The law of the state where the employee works decides the limits, the proration and the
  fee (:class:`StateLaw`; 42 USC 666(b)(6)).

Decisions the guides leave open, taken here:

* **Order of the tiers**: current support and cash medical support together, then arrears.
  Inside one order's share of the first tier, current support is filled before cash medical
  (the split only shows in reports: the DED carries the order's total).
* **Sharing inside a tier**: every tier that does not fit is shared the same way as current
  support, in proportion to each order's amount due in that tier. Oklahoma gives no separate
  rule for arrears, and proportional sharing treats every family alike.
* **Cents**: shares are computed exactly in integers and the cents left over go to the largest
  remainders (Hamilton's method), so the shares add up to the limit exactly and no order gets
  more than its due. The guide's worksheet rounds each order's share to a hundredth of a percent
  first; ``proration="worksheet"`` follows it (it reproduces the guide's printed figures) and
  then corrects the total in the same largest-remainder way. The two differ by a few cents.
* **The limit** is disposable income times the percentage rounded *down* to the cent: the law
  caps what may be taken, so a half cent is left with the employee.

Money is integer cents throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Literal

import attrs

Proration = Literal["exact", "worksheet"]
PRORATIONS: tuple[Proration, ...] = ("exact", "worksheet")


@attrs.frozen(slots=True)
class LimitTable:
    """Percent of disposable income that may be withheld, by the employee's situation."""

    other_family: int = 50
    other_family_arrears: int = 55
    single: int = 60
    single_arrears: int = 65

    def percent(self, *, supports_other_family: bool, arrears_over_12_weeks: bool) -> int:
        """Pick the percentage; ``arrears_over_12_weeks`` raises it by the state's step."""
        if supports_other_family:
            return self.other_family_arrears if arrears_over_12_weeks else self.other_family
        return self.single_arrears if arrears_over_12_weeks else self.single


CCPA_LIMITS = LimitTable()
"""The federal percentages (15 U.S.C. 1673(b)(2)), which Oklahoma follows."""


def disposable_income(gross: int, mandatory_deductions: int) -> int:
    """Gross pay minus mandatory deductions, never below zero.

    >>> disposable_income(50_000, 15_000)
    35000
    """
    return max(gross - mandatory_deductions, 0)


def withholding_limit(disposable: int, percent: int) -> int:
    """Most that may be withheld, rounded down to the cent so the cap is never exceeded.

    >>> withholding_limit(35_000, 60)  # the guide's $350 example: $210
    21000
    >>> withholding_limit(33_333, 55)
    18333
    """
    if not 0 <= percent <= 100:
        raise ValueError(f"percent out of range: {percent}")
    return max(disposable, 0) * percent // 100


def allocate(
    total: int,
    weights: Sequence[int],
    *,
    proration: Proration = "exact",
    at_least_one_cent: bool = True,
) -> list[int]:
    """Share ``total`` cents in proportion to ``weights`` so the shares add up exactly.

    No share exceeds its weight (an order never gets more than is due), so ``total`` is capped
    at ``sum(weights)``. With ``at_least_one_cent`` every positive weight gets at least a cent
    when there are enough cents to go round: the guide requires every order to get something.

    >>> allocate(27_000, [12_000, 8_500, 7_800])
    [11449, 8109, 7442]
    >>> allocate(27_000, [12_000, 8_500, 7_800], proration="worksheet")
    [11448, 8111, 7441]
    >>> allocate(2, [1, 10_000, 10_000])
    [0, 1, 1]
    >>> allocate(3, [1, 10_000, 10_000])
    [1, 1, 1]
    """
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    total = min(max(total, 0), weight_sum)
    if total == weight_sum:
        return list(weights)
    if proration == "exact":
        shares = _hamilton(total, weights, weight_sum)
    elif proration == "worksheet":
        shares = _worksheet(total, weights, weight_sum)
    else:
        raise ValueError(f"unknown proration method: {proration!r}")
    if at_least_one_cent:
        _give_everyone_a_cent(shares, weights)
    return shares


def _hamilton(total: int, weights: Sequence[int], weight_sum: int) -> list[int]:
    """Floor of the exact share, then one more cent to the largest remainders."""
    shares = [total * w // weight_sum for w in weights]
    left = total - sum(shares)
    # Largest remainder first; ties to the larger order, then to the earlier one.
    by_remainder = sorted(
        range(len(weights)), key=lambda i: (-(total * weights[i] % weight_sum), -weights[i], i)
    )
    for i in by_remainder[:left]:
        shares[i] += 1
    return shares


def _round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def _worksheet(total: int, weights: Sequence[int], weight_sum: int) -> list[int]:
    """The guide's worksheet: percentage to 0.01%, times the total, rounded to the cent.

    Rounding twice can miss the total by a few cents, or overshoot a small order's due; the
    difference is then settled a cent at a time, against the exact share.
    """
    basis_points = [_round_half_up(w * 10_000, weight_sum) for w in weights]
    shares = [
        min(_round_half_up(total * bp, 10_000), w)
        for bp, w in zip(basis_points, weights, strict=True)
    ]
    difference = total - sum(shares)

    # How far each share sits below its exact value, in units of 1/weight_sum of a cent.
    def shortfall(i: int) -> int:
        return total * weights[i] - shares[i] * weight_sum

    while difference:
        if difference > 0:
            candidates = [i for i in range(len(weights)) if shares[i] < weights[i]]
            i = max(candidates, key=lambda k: (shortfall(k), weights[k], -k))
            shares[i] += 1
            difference -= 1
        else:
            candidates = [i for i in range(len(weights)) if shares[i] > 0]
            i = min(candidates, key=lambda k: (shortfall(k), -weights[k], k))
            shares[i] -= 1
            difference += 1
    return shares


def _give_everyone_a_cent(shares: list[int], weights: Sequence[int]) -> None:
    """Move single cents from the largest shares to positive-weight orders that got none."""
    starved = [i for i, (s, w) in enumerate(zip(shares, weights, strict=True)) if w > 0 and s == 0]
    for i in starved:
        donor = max(range(len(shares)), key=lambda k: (shares[k], -k))
        if shares[donor] <= 1:
            return  # fewer cents than orders: nothing more can be done
        shares[donor] -= 1
        shares[i] += 1


@attrs.frozen(slots=True)
class Order:
    """One income withholding order, as due for one pay period (cents)."""

    case_id: str
    current_support: int
    arrears: int = 0
    cash_medical: int = 0

    @property
    def total_due(self) -> int:
        return self.current_support + self.cash_medical + self.arrears


@attrs.frozen(slots=True)
class OrderWithholding:
    """What was withheld for one order, tier by tier."""

    order: Order
    current_support: int
    cash_medical: int
    arrears: int

    @property
    def withheld(self) -> int:
        return self.current_support + self.cash_medical + self.arrears

    @property
    def shortfall(self) -> int:
        """Ordered but not withheld; the employee owes it to the agency directly."""
        return self.order.total_due - self.withheld


@attrs.frozen(slots=True)
class Withholding:
    """The outcome for one employee on one pay date, with the reasons people will ask for."""

    disposable: int
    percent: int
    limit: int
    orders: tuple[OrderWithholding, ...]
    notes: tuple[str, ...] = ()
    fee: int = 0

    @property
    def ordered(self) -> int:
        return sum(o.order.total_due for o in self.orders)

    @property
    def withheld(self) -> int:
        return sum(o.withheld for o in self.orders)

    @property
    def limit_reached(self) -> bool:
        return self.withheld < self.ordered


TIERS: tuple[tuple[str, ...], ...] = (("current_support", "cash_medical"), ("arrears",))
"""Filled in this order; the parts of one tier are shared as one amount per order."""
_TIER_WORDS = {
    ("current_support", "cash_medical"): "current support",
    ("arrears",): "arrears",
}


def _dollars(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


def withhold(
    orders: Sequence[Order],
    disposable: int,
    percent: int,
    *,
    proration: Proration = "exact",
) -> Withholding:
    """Apply the limit to one employee's orders for one pay date.

    Tiers are filled in order (current support with cash medical, then arrears); the first
    tier that does not fit in what is left of the limit is shared in proportion to its amounts
    due, and later tiers get nothing.

    >>> result = withhold([Order("A", 10_000, cash_medical=5_000), Order("B", 15_000)], 20_000, 60)
    >>> [(o.current_support, o.cash_medical) for o in result.orders]  # $120 over $150 + $150
    [(6000, 0), (6000, 0)]
    """
    limit = withholding_limit(disposable, percent)
    if sum(order.total_due for order in orders) <= limit:
        # The common case: everything ordered fits, nothing to share.
        return Withholding(
            disposable=disposable,
            percent=percent,
            limit=limit,
            orders=tuple(
                OrderWithholding(o, o.current_support, o.cash_medical, o.arrears) for o in orders
            ),
        )
    room = limit
    withheld: dict[str, list[int]] = {}
    notes: list[str] = []
    for tier in TIERS:
        parts = [[getattr(order, part) for part in tier] for order in orders]
        due = [sum(amounts) for amounts in parts]
        due_sum = sum(due)
        if due_sum <= room:
            shares = due
            room -= due_sum
        else:
            words = _TIER_WORDS[tier]
            if room == 0:
                shares = [0] * len(due)
                notes.append(f"{words} of {_dollars(due_sum)} not withheld: limit reached")
            else:
                shares = allocate(room, due, proration=proration)
                shared = f", shared across {len(orders)} orders" if len(orders) > 1 else ""
                notes.append(
                    f"{words} cut from {_dollars(due_sum)} to {_dollars(room)}{shared}: "
                    "limit reached"
                )
                room = 0
        for index, part in enumerate(tier):
            withheld[part] = [
                _fill(share, amounts, index) for share, amounts in zip(shares, parts, strict=True)
            ]
    if limit == 0 and any(order.total_due for order in orders):
        notes.insert(0, "no disposable income this pay period")
    elif notes:
        notes.insert(0, f"limit {percent}% of {_dollars(disposable)} = {_dollars(limit)}")
    results = tuple(
        OrderWithholding(
            order=order,
            current_support=withheld["current_support"][i],
            cash_medical=withheld["cash_medical"][i],
            arrears=withheld["arrears"][i],
        )
        for i, order in enumerate(orders)
    )
    return Withholding(
        disposable=disposable, percent=percent, limit=limit, orders=results, notes=tuple(notes)
    )


def _fill(share: int, amounts: list[int], index: int) -> int:
    """Part ``index`` of a tier share filled part by part in order (current support first)."""
    before = sum(amounts[:index])
    return max(min(share - before, amounts[index]), 0)


@attrs.frozen(slots=True)
class FeePolicy:
    """An employer's administrative fee as a state allows it (zero: no fee).

    ``within_limit`` (the default, as the federal IWO form says: "the total withheld amount,
    including your fee, cannot exceed" the limit) makes the fee fit inside the withholding
    limit with the support; ``False`` only keeps it within the disposable income the support
    left over, for a state whose law says so.
    """

    per_period: int = 0
    monthly_cap: int | None = None
    within_limit: bool = True


NO_FEE = FeePolicy()
OKLAHOMA_FEE = FeePolicy(per_period=500, monthly_cap=1000)
"""Oklahoma: $5 per pay period, not to exceed $10 a month (12 O.S. 1171.3, 56 O.S. 240.2)."""


@attrs.frozen(slots=True)
class StateLaw:
    """What the law of the state where an employee works says about withholding."""

    state: str
    limits: LimitTable = CCPA_LIMITS
    proration: Proration = "exact"
    fee: FeePolicy = NO_FEE


FeeHistory = Callable[[str, date], int]
"""Fees earlier runs charged one employee in a pay date's month, on other pay dates."""


@attrs.define
class FeeLedger:
    """Keeps the monthly fee cap across the pay dates of one run, and across runs when
    ``history`` says what earlier runs charged (see :mod:`nacha_cs.employer.fee_ledger`).

    ``charged`` holds this run's running totals, earlier runs' fees included.
    """

    charged: dict[tuple[str, int, int], int] = attrs.field(factory=dict)
    history: FeeHistory | None = None
    on_charge: Callable[[str, date, int], None] | None = None
    """Told of every fee charged in this run (employee, pay date, cents), to record it."""

    def charge(
        self,
        policy: FeePolicy,
        employee: str,
        year: int,
        month: int,
        withholding: Withholding,
        *,
        pay_date: date | None = None,
    ) -> Withholding:
        """Return ``withholding`` with the fee this pay period may carry.

        No support withheld, no fee: the fee pays for handling a withholding. The support
        amounts are never touched.
        """
        fee = self.fee(
            policy,
            employee,
            year,
            month,
            withheld=withholding.withheld,
            limit=withholding.limit,
            disposable=withholding.disposable,
            pay_date=pay_date,
        )
        if fee == 0:
            return withholding
        return Withholding(
            withholding.disposable,
            withholding.percent,
            withholding.limit,
            withholding.orders,
            withholding.notes,
            fee,
        )

    def fee(
        self,
        policy: FeePolicy,
        employee: str,
        year: int,
        month: int,
        *,
        withheld: int,
        limit: int,
        disposable: int,
        pay_date: date | None = None,
    ) -> int:
        """The fee one pay period may carry (recorded against the month's cap): what
        :meth:`charge` adds, for callers that keep the withholding as plain numbers."""
        if policy.per_period <= 0 or withheld == 0:
            return 0
        key = (employee, year, month)
        so_far = self.charged.get(key)
        if so_far is None:
            so_far = 0
            if self.history is not None and pay_date is not None:
                so_far = self.history(employee, pay_date)
        fee = policy.per_period
        if policy.monthly_cap is not None:
            fee = min(fee, policy.monthly_cap - so_far)
        headroom = (limit if policy.within_limit else disposable) - withheld
        fee = max(min(fee, headroom), 0)
        if fee == 0:
            return 0
        self.charged[key] = so_far + fee
        if self.on_charge is not None and pay_date is not None:
            self.on_charge(employee, pay_date, fee)
        return fee


def total_withheld(results: Iterable[Withholding]) -> int:
    """Support withheld over several results (fees excluded: they stay with the employer)."""
    return sum(r.withheld for r in results)
