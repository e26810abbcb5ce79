"""Compliance criteria (seed 000, 42 USC 666(b)(6)): each rule fires, and not a day early."""

from __future__ import annotations

import datetime as dt

import pytest

from nacha_cs.sdu.compliance import (
    CRITERIA,
    OrderFacts,
    PaymentFacts,
    Settings,
    StaffAction,
    evaluate,
    expected_per_pay,
    late_count,
    remit_due,
)

D = dt.date
EIN = "931234567"
SENT = D(2026, 1, 5)


def order(**changes: object) -> OrderFacts:
    base: dict[str, object] = {
        "case_id": "C100", "employer_ein": EIN, "employee_name": "JANE DOE",
        "ssn_last4": "6789", "amount": 20000, "frequency": "biweekly", "iwo_sent": SENT,
        "order_date": SENT,
    }
    base.update(changes)
    return OrderFacts(**base)  # type: ignore[arg-type]


def paid(pay: dt.date, received: dt.date | None = None, amount: int = 20000,
         **changes: object) -> PaymentFacts:
    return PaymentFacts("C100", EIN, pay, received or pay + dt.timedelta(days=1), amount,
                        **changes)  # type: ignore[arg-type]


def codes(rows: list[object]) -> list[str]:
    return [r.code for r in rows]  # type: ignore[attr-defined]


LAST_RECEIVED = D(2026, 3, 2)

# (days since the last payment was received, ESC-30 fires)
ESC_BOUNDARY = [(0, False), (29, False), (30, True), (31, True), (200, True)]


@pytest.mark.parametrize(("days", "fires"), ESC_BOUNDARY)
def test_esc_30_counts_calendar_days_from_the_last_payment(days: int, fires: bool) -> None:
    payments = [paid(D(2026, 2, 27), LAST_RECEIVED)]
    rows = evaluate([order()], payments, [], LAST_RECEIVED + dt.timedelta(days=days))
    assert ("CMP-ESC-30" in codes(rows)) is fires
    if fires:
        row = next(r for r in rows if r.code == "CMP-ESC-30")
        assert row.days == days and row.since == LAST_RECEIVED
        assert row.facts["last_payment_received"] == LAST_RECEIVED
        assert row.next_step == CRITERIA["CMP-ESC-30"].next_step


# (days since the IWO was sent, acknowledged?, a payment?, IWO-45 fires)
IWO_BOUNDARY = [
    (44, False, False, False),
    (45, False, False, True),
    (46, False, False, True),
    (45, True, False, False),
    (60, False, True, False),
]


@pytest.mark.parametrize(("days", "acked", "payment", "fires"), IWO_BOUNDARY)
def test_iwo_45_needs_no_answer_and_no_payment(days: int, acked: bool, payment: bool,
                                               fires: bool) -> None:
    as_of = SENT + dt.timedelta(days=days)
    facts = order(acknowledged=SENT + dt.timedelta(days=3) if acked else None)
    payments = [paid(as_of - dt.timedelta(days=3), as_of - dt.timedelta(days=2))] if payment else []
    rows = evaluate([facts], payments, [], as_of)
    assert ("CMP-IWO-45" in codes(rows)) is fires


def test_iwo_45_quiet_after_a_recorded_response() -> None:
    response = StaffAction("C100", "response", SENT + dt.timedelta(days=50), "moved to payroll")
    assert "CMP-IWO-45" not in codes(evaluate([order()], [], [response], SENT + dt.timedelta(60)))


# (days since ECL1, response after it?, payment after it?, ECL2 review fires)
ECL1_BOUNDARY = [
    (29, False, False, False),
    (30, False, False, True),
    (31, True, False, False),
    (31, False, True, False),
]


@pytest.mark.parametrize(("days", "responded", "payment", "fires"), ECL1_BOUNDARY)
def test_ecl2_review_30_days_after_ecl1(days: int, responded: bool, payment: bool,
                                        fires: bool) -> None:
    ecl1 = D(2026, 4, 1)
    actions = [StaffAction("C100", "contact", D(2026, 3, 20)), StaffAction("C100", "ecl1", ecl1)]
    if responded:
        actions.append(StaffAction("C100", "response", ecl1 + dt.timedelta(days=10)))
    payments = [paid(D(2026, 2, 13), D(2026, 2, 16))]
    if payment:
        payments.append(paid(ecl1 + dt.timedelta(days=4), ecl1 + dt.timedelta(days=5)))
    rows = evaluate([order()], payments, actions, ecl1 + dt.timedelta(days=days))
    assert ("CMP-ECL2-REVIEW" in codes(rows)) is fires
    # Once ECL1 went out, the case is past the contact stage: no ESC-30 row beside it.
    assert "CMP-ESC-30" not in codes(rows)


def test_ecl2_sent_ends_the_review() -> None:
    actions = [StaffAction("C100", "ecl1", D(2026, 4, 1)),
               StaffAction("C100", "ecl2", D(2026, 5, 4))]
    rows = evaluate([order()], [paid(D(2026, 2, 13))], actions, D(2026, 6, 30))
    assert "CMP-ECL2-REVIEW" not in codes(rows)


def test_contact_changes_the_next_step_not_the_code() -> None:
    payments = [paid(D(2026, 2, 27), LAST_RECEIVED)]
    contact = StaffAction("C100", "contact", D(2026, 4, 6), "left a voicemail")
    rows = evaluate([order()], payments, [contact], D(2026, 4, 10))
    row = next(r for r in rows if r.code == "CMP-ESC-30")
    assert "2026-04-06" in row.next_step and "ECL1" in row.next_step
    assert row.facts["contacted"] == D(2026, 4, 6)


@pytest.mark.parametrize(
    "stop",
    [
        {"order": {"terminated": D(2026, 3, 10)}},
        {"payment": {"terminated": True}},
        {"order": {"disposition": "RN"}},
    ],
    ids=["order-terminated", "ded09-termination", "iwo-rejected-no-longer-employed"],
)
def test_termination_information_stops_the_contact(stop: dict[str, dict[str, object]]) -> None:
    payments = [paid(D(2026, 2, 27), LAST_RECEIVED, **stop.get("payment", {}))]
    rows = evaluate([order(**stop.get("order", {}))], payments, [], D(2026, 5, 1))
    assert "CMP-ESC-30" not in codes(rows)


# (order amount, order frequency, pay frequency, received on the latest pay date, fires)
AMOUNTS = [
    (20000, "biweekly", None, 20000, False),
    (20000, "biweekly", None, 19999, True),
    (20000, "biweekly", None, 25000, True),
    (43333, "monthly", "biweekly", 20000, False),
    (43333, "monthly", "biweekly", 20001, False),  # a cent of conversion rounding
    (43333, "monthly", "biweekly", 18000, True),
]


@pytest.mark.parametrize(("amount", "freq", "pay_freq", "received", "fires"), AMOUNTS)
def test_amount_differs_from_current_iwo(amount: int, freq: str, pay_freq: str | None,
                                         received: int, fires: bool) -> None:
    facts = order(amount=amount, frequency=freq, pay_frequency=pay_freq)
    expected = expected_per_pay(facts)
    payments = [paid(D(2026, 2, 13), amount=expected), paid(D(2026, 2, 27), amount=received)]
    rows = evaluate([facts], payments, [], D(2026, 3, 5))
    assert ("CMP-AMOUNT" in codes(rows)) is fires
    if fires:
        row = next(r for r in rows if r.code == "CMP-AMOUNT")
        assert row.facts["received"] == received and row.facts["expected"] == expected


def test_amount_ignores_pay_dates_before_the_amendment_took_effect() -> None:
    amended = order(amount=25000, order_date=D(2026, 2, 20))
    payments = [paid(D(2026, 2, 27), amount=20000)]  # 7 days after the AMD: old amount is fair
    assert "CMP-AMOUNT" not in codes(evaluate([amended], payments, [], D(2026, 3, 5)))
    payments.append(paid(D(2026, 3, 13), amount=20000))  # 21 days after: should be 250.00
    assert "CMP-AMOUNT" in codes(evaluate([amended], payments, [], D(2026, 3, 16)))


# (pay date, received, remit days, late?) Thanksgiving 2026 is Thursday 26 November.
LATE = [
    (D(2026, 11, 20), D(2026, 12, 2), 7, False),  # the 7th banking day after
    (D(2026, 11, 20), D(2026, 12, 3), 7, True),
    (D(2026, 11, 20), D(2026, 11, 27), 4, False),  # Virginia's 4: skips Thanksgiving
    (D(2026, 11, 20), D(2026, 11, 30), 4, True),
    (D(2026, 11, 21), D(2026, 12, 2), 7, False),  # a Saturday pay date counts from itself
]


@pytest.mark.parametrize(("pay", "received", "remit_days", "late"), LATE)
def test_late_counts_business_days_after_the_pay_date(pay: dt.date, received: dt.date,
                                                     remit_days: int, late: bool) -> None:
    rows = evaluate([order()], [paid(pay, received)], [], received,
                    Settings(remit_days=remit_days))
    assert ("CMP-LATE" in codes(rows)) is late
    assert late_count([paid(pay, received)], remit_days) == int(late)
    if late:
        row = next(r for r in rows if r.code == "CMP-LATE")
        assert row.facts["due"] == remit_due(pay, remit_days)
        assert row.facts["business_days_late"] == row.days >= 1


def test_dishonored_payments_are_not_payments() -> None:
    bounced = paid(D(2026, 2, 27), LAST_RECEIVED, dishonored=True)
    rows = evaluate([order()], [bounced], [], SENT + dt.timedelta(days=45))
    assert "CMP-IWO-45" in codes(rows)


def test_facts_after_as_of_are_ignored() -> None:
    later = paid(D(2026, 2, 27), D(2026, 3, 2))
    rows = evaluate([order()], [later], [], SENT + dt.timedelta(days=45))
    assert codes(rows) == ["CMP-IWO-45"]


def test_rows_are_per_employer_and_case_and_sorted() -> None:
    other = order(case_id="C200", employer_ein="111111111")
    rows = evaluate([order(), other], [], [], SENT + dt.timedelta(days=50))
    assert [(r.employer_ein, r.case_id) for r in rows] == [("111111111", "C200"), (EIN, "C100")]
    assert rows[0].as_dict()["since"] == SENT.isoformat()


def test_every_code_has_a_criterion_and_a_next_step() -> None:
    for code, criterion in CRITERIA.items():
        assert code.startswith("CMP-") and criterion.criterion and criterion.next_step
