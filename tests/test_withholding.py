"""Withholding limits, proration and fees, table by table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nacha_cs.employer.withholding import (
    CCPA_LIMITS,
    NO_FEE,
    OKLAHOMA_FEE,
    FeeLedger,
    FeePolicy,
    LimitTable,
    Order,
    allocate,
    disposable_income,
    withhold,
    withholding_limit,
)

# --- The Oklahoma employer guide's example (chapter 3, "Multiple notices") -----------------
# Disposable income $450, no other family, arrears not over 12 weeks: 60% -> $270.
# Notice A: current $120 + arrears $25; Notice B: current $85; Notice C: current $78.
# Current support due $283 > $270, so all $270 goes to current support, prorated by 42.40%,
# 30.04% and 27.56%, and the $25 arrears get nothing. The guide prints $81.11 for B and
# $74.71 for C; $74.71 is a misprint for $74.41 (114.48 + 81.11 + 74.71 = 270.30, not the
# $270 total the guide states; 270 x 27.56% = 74.41).
SEED_ORDERS = (
    Order("A", current_support=12_000, arrears=2_500),
    Order("B", current_support=8_500),
    Order("C", current_support=7_800),
)


def test_seed_example_limit() -> None:
    percent = CCPA_LIMITS.percent(supports_other_family=False, arrears_over_12_weeks=False)
    assert percent == 60
    assert withholding_limit(45_000, percent) == 27_000


@pytest.mark.parametrize(
    ("proration", "expected"),
    [
        # The guide's own worksheet, percentage to 0.01% first: its printed figures.
        ("worksheet", {"A": 11_448, "B": 8_111, "C": 7_441}),
        # Exact shares 114.4876, 81.0954, 74.4170: floors 114.48, 81.09, 74.41 leave 2 cents,
        # which go to the largest remainders (A .76, C .70).
        ("exact", {"A": 11_449, "B": 8_109, "C": 7_442}),
    ],
)
def test_seed_example_split(proration: str, expected: dict[str, int]) -> None:
    result = withhold(SEED_ORDERS, 45_000, 60, proration=proration)  # type: ignore[arg-type]
    got = {o.order.case_id: o.current_support for o in result.orders}
    assert got == expected
    assert result.withheld == 27_000 == result.limit
    assert [o.arrears for o in result.orders] == [0, 0, 0]
    assert result.ordered == 30_800
    assert result.limit_reached
    assert result.orders[0].shortfall == 12_000 + 2_500 - expected["A"]
    assert result.notes == (
        "limit 60% of $450.00 = $270.00",
        "current support cut from $283.00 to $270.00, shared across 3 orders: limit reached",
        "arrears of $25.00 not withheld: limit reached",
    )


# --- Limits --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("other_family", "over_12_weeks", "percent"),
    [(True, False, 50), (True, True, 55), (False, False, 60), (False, True, 65)],
)
def test_ccpa_percentages(other_family: bool, over_12_weeks: bool, percent: int) -> None:
    assert (
        CCPA_LIMITS.percent(supports_other_family=other_family, arrears_over_12_weeks=over_12_weeks)
        == percent
    )


def test_state_can_restrict_limits() -> None:
    stricter = LimitTable(other_family=40, other_family_arrears=45, single=50, single_arrears=55)
    assert stricter.percent(supports_other_family=False, arrears_over_12_weeks=True) == 55


@pytest.mark.parametrize(
    ("gross", "mandatory", "disposable"),
    [(50_000, 15_000, 35_000), (10_000, 12_000, 0), (0, 0, 0)],
)
def test_disposable_income(gross: int, mandatory: int, disposable: int) -> None:
    assert disposable_income(gross, mandatory) == disposable


@pytest.mark.parametrize(
    ("disposable", "percent", "limit"),
    [(35_000, 60, 21_000), (33_333, 55, 18_333), (1, 65, 0), (99, 50, 49), (0, 60, 0)],
)
def test_limit_rounds_down(disposable: int, percent: int, limit: int) -> None:
    assert withholding_limit(disposable, percent) == limit


def test_limit_rejects_silly_percent() -> None:
    with pytest.raises(ValueError):
        withholding_limit(100, 101)


# --- Tiers ---------------------------------------------------------------------------------
# (orders, disposable, percent) -> per order (current, medical, arrears)
TIER_CASES = [
    pytest.param(
        # The guide's single-order example: $350 disposable, $200 due, 60% -> all of it.
        [Order("X", 20_000)],
        35_000,
        60,
        [(20_000, 0, 0)],
        id="fits",
    ),
    pytest.param(
        # Same, $250 due: only $210.
        [Order("X", 25_000)],
        35_000,
        60,
        [(21_000, 0, 0)],
        id="single-order-capped",
    ),
    pytest.param(
        # Current fits ($150 of $200), cash medical $40 fits, arrears get the last $10 of $30.
        [Order("X", 15_000, arrears=3_000, cash_medical=4_000)],
        40_000,
        50,
        [(15_000, 4_000, 1_000)],
        id="medical-before-arrears",
    ),
    pytest.param(
        # Cash medical is current support (guide ch. 3): $175 shared over $130 + $60 as one
        # tier, each order's share filling current support first; arrears nothing.
        [
            Order("X", 10_000, cash_medical=3_000, arrears=500),
            Order("Y", 5_000, cash_medical=1_000),
        ],
        35_000,
        50,
        [(10_000, 1_974, 0), (5_000, 526, 0)],
        id="medical-shared",
    ),
    pytest.param(
        # Current and medical fit; arrears shared in proportion to arrears due (2:1).
        [Order("X", 5_000, arrears=6_000), Order("Y", 5_000, arrears=3_000)],
        25_000,
        60,
        [(5_000, 0, 3_333), (5_000, 0, 1_667)],  # remainders .33 and .67
        id="arrears-prorated",
    ),
    pytest.param(
        [Order("X", 5_000, arrears=1_000)],
        0,
        60,
        [(0, 0, 0)],
        id="no-disposable-income",
    ),
]


@pytest.mark.parametrize(("orders", "disposable", "percent", "expected"), TIER_CASES)
def test_tiers(
    orders: list[Order], disposable: int, percent: int, expected: list[tuple[int, int, int]]
) -> None:
    result = withhold(orders, disposable, percent)
    got = [(o.current_support, o.cash_medical, o.arrears) for o in result.orders]
    assert got == expected
    assert result.withheld <= result.limit


def test_notes_explain_nothing_when_everything_fits() -> None:
    result = withhold([Order("X", 20_000)], 35_000, 60)
    assert not result.limit_reached
    assert result.notes == ()


def test_notes_for_no_income() -> None:
    result = withhold([Order("X", 5_000)], 0, 60)
    assert result.notes[0] == "no disposable income this pay period"


# --- Allocation ----------------------------------------------------------------------------
ALLOCATION_CASES = [
    (100, [100, 100, 100], "exact", [34, 33, 33]),
    (100, [100, 100, 100], "worksheet", [34, 33, 33]),
    (10, [5, 5], "exact", [5, 5]),
    (12, [5, 5], "exact", [5, 5]),  # never more than due
    (0, [5, 5], "exact", [0, 0]),
    (5, [0, 10, 10], "exact", [0, 3, 2]),  # a zero weight gets nothing
    (3, [1, 10_000, 10_000], "exact", [1, 1, 1]),  # every order gets something
    (2, [1, 10_000, 10_000], "exact", [0, 1, 1]),  # unless there are too few cents
    (27_000, [12_000, 8_500, 7_800], "exact", [11_449, 8_109, 7_442]),
    (27_000, [12_000, 8_500, 7_800], "worksheet", [11_448, 8_111, 7_441]),
    # Worksheet rounding overshoots (3 x 33.33% of 1 cent short); the fix keeps the total.
    (1_000, [1_000, 1_000, 1_000], "worksheet", [334, 333, 333]),
]


@pytest.mark.parametrize(("total", "weights", "proration", "expected"), ALLOCATION_CASES)
def test_allocate(total: int, weights: list[int], proration: str, expected: list[int]) -> None:
    assert allocate(total, weights, proration=proration) == expected  # type: ignore[arg-type]


def test_allocate_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        allocate(10, [-1, 5])
    with pytest.raises(ValueError):
        allocate(10, [1, 50], proration="equal")  # type: ignore[arg-type]


@given(
    st.integers(0, 10**9),
    st.lists(st.integers(0, 10**7), min_size=1, max_size=12),
    st.sampled_from(["exact", "worksheet"]),
)
def test_allocation_invariants(total: int, weights: list[int], proration: str) -> None:
    shares = allocate(total, weights, proration=proration)  # type: ignore[arg-type]
    assert sum(shares) == min(total, sum(weights))
    assert all(0 <= s <= w for s, w in zip(shares, weights, strict=True))
    positive = sum(1 for w in weights if w)
    if min(total, sum(weights)) >= positive:
        assert all(s > 0 for s, w in zip(shares, weights, strict=True) if w)


@given(st.integers(1, 10**7), st.lists(st.integers(1, 10**6), min_size=1, max_size=8))
def test_exact_shares_within_a_cent(total: int, weights: list[int]) -> None:
    """Hamilton's method: each share is its exact value rounded down or up."""
    weight_sum = sum(weights)
    if total >= weight_sum:
        return
    shares = allocate(total, weights, at_least_one_cent=False)
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share * weight_sum - total * weight) < weight_sum


@given(
    st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 10**5), st.integers(0, 10**5)),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 10**7),
    st.sampled_from([50, 55, 60, 65]),
)
def test_withhold_invariants(
    dues: list[tuple[int, int, int]], disposable: int, percent: int
) -> None:
    orders = [Order(str(i), c, arrears=a, cash_medical=m) for i, (c, m, a) in enumerate(dues)]
    result = withhold(orders, disposable, percent)
    assert result.withheld == min(result.limit, result.ordered)
    current_due = sum(o.current_support + o.cash_medical for o in orders)
    # Nothing goes to arrears until current support, cash medical included, is paid in full.
    if result.withheld < current_due:
        assert all(o.arrears == 0 for o in result.orders)
    for o in result.orders:
        assert 0 <= o.current_support <= o.order.current_support
        assert 0 <= o.cash_medical <= o.order.cash_medical
        assert 0 <= o.arrears <= o.order.arrears


# --- Fees ----------------------------------------------------------------------------------
def test_oklahoma_fee_capped_per_month() -> None:
    ledger = FeeLedger()
    fees = [
        ledger.charge(OKLAHOMA_FEE, "E1", 2026, 3, withhold([Order("X", 10_000)], 50_000, 60)).fee
        for _ in range(4)  # weekly pay: four pay dates in March
    ]
    assert fees == [500, 500, 0, 0]
    april = ledger.charge(OKLAHOMA_FEE, "E1", 2026, 4, withhold([Order("X", 10_000)], 50_000, 60))
    assert april.fee == 500
    other = ledger.charge(OKLAHOMA_FEE, "E2", 2026, 3, withhold([Order("X", 10_000)], 50_000, 60))
    assert other.fee == 500


def test_fee_never_comes_from_support() -> None:
    result = withhold([Order("X", 40_000)], 50_000, 60)
    charged = FeeLedger().charge(OKLAHOMA_FEE, "E1", 2026, 3, result)
    assert charged.withheld == result.withheld == 30_000
    # The federal IWO: support and fee together may not exceed the limit. Support took it all.
    assert charged.fee == 0
    outside = FeePolicy(500, 1000, within_limit=False)  # a state whose law allows it
    assert FeeLedger().charge(outside, "E1", 2026, 3, result).fee == 500


def test_the_default_fee_fits_inside_the_limit() -> None:
    # The guide's $350 disposable, 60%: a $210 limit; $210 ordered leaves no room for $5.
    assert FeePolicy().within_limit
    result = withhold([Order("X", 21_000)], 35_000, 60)
    assert FeeLedger().charge(OKLAHOMA_FEE, "E1", 2026, 3, result).fee == 0
    smaller = withhold([Order("X", 20_800)], 35_000, 60)
    assert FeeLedger().charge(OKLAHOMA_FEE, "E1", 2026, 3, smaller).fee == 200


def test_cash_medical_shares_the_first_tier_with_current_support() -> None:
    # $100 limit; order A: $100 current; order B: $100 cash medical only. Both are current
    # support under the guide, so each gets $50 (before, B got nothing).
    result = withhold([Order("A", 10_000), Order("B", 0, cash_medical=10_000)], 16_667, 60)
    assert [o.withheld for o in result.orders] == [5_000, 5_000]


@pytest.mark.parametrize(
    ("policy", "amount", "disposable", "fee"),
    [
        (NO_FEE, 10_000, 50_000, 0),
        (OKLAHOMA_FEE, 0, 50_000, 0),  # nothing withheld, nothing to charge for
        (FeePolicy(500, None, within_limit=True), 29_800, 50_000, 200),  # only $2 of room left
        (FeePolicy(500, None, within_limit=False), 29_800, 50_000, 500),
        (FeePolicy(500, 1_000, within_limit=False), 300, 500, 200),  # little pay left
        (FeePolicy(300, 1_000), 10_000, 50_000, 300),
    ],
)
def test_fee_policies(policy: FeePolicy, amount: int, disposable: int, fee: int) -> None:
    orders = [Order("X", amount)] if amount else [Order("X", 0)]
    result = FeeLedger().charge(policy, "E", 2026, 1, withhold(orders, disposable, 60))
    assert result.fee == fee
