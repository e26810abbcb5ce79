"""The bundled scenario (fixtures/compliance/): every report row checked against the seed.

Facts are read straight from the fixture files here (registers as CSV, payments from the ACH
files' DEDs, the file creation date as the day received), independently of the ledger, and
each row the report prints is re-checked against the criterion as seed 000 words it. The
ledger path (ingest, then `nacha-cs compliance`) must print the same rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from nacha_cs.ach.calendar import add_banking_days
from nacha_cs.ach.reader import read_file
from nacha_cs.sdu.compliance import (
    ComplianceRow,
    OrderFacts,
    PaymentFacts,
    StaffAction,
    evaluate,
    expected_per_pay,
)
from nacha_cs.sdu.remittance import remittances

SCENARIO = Path(__file__).resolve().parent.parent / "fixtures" / "compliance"
EXPECTED = json.loads((SCENARIO / "expected.json").read_text(encoding="ascii"))
AS_OF = dt.date.fromisoformat(EXPECTED["as_of"])
FREQUENCY = {"W": "weekly", "B": "biweekly", "S": "semimonthly", "M": "monthly"}


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def scenario_orders() -> list[OrderFacts]:
    with open(SCENARIO / "orders.csv", encoding="ascii", newline="") as f:
        return [OrderFacts(
            r["case_id"], r["employer_ein"], r["ncp_name"], r["ncp_ssn"][-4:],
            round(float(r["current_support"]) * 100), FREQUENCY[r["frequency"]],  # type: ignore[arg-type]
            order_date=_date(r["order_date"]), iwo_sent=_date(r["iwo_sent_date"]),
            acknowledged=_date(r["ack_date"]), disposition=r["ack_status"] or None,
        ) for r in csv.DictReader(f)]


def scenario_payments() -> list[PaymentFacts]:
    out = []
    for path in sorted((SCENARIO / "files").glob("2026-*.ach")):
        if path.stem.endswith("-returns"):
            continue  # entries that carry returns (addenda 99), not DEDs
        ach_file, _ = read_file(path)
        assert ach_file is not None
        created = ach_file.header.file_creation_date
        received = dt.date(2000 + int(created[:2]), int(created[2:4]), int(created[4:]))
        for row in remittances(ach_file):
            assert row.ded is not None
            employer = ach_file.batches[row.batch - 1].header.company_identification[1:]
            out.append(PaymentFacts(row.ded.case_id, employer, row.ded.pay_date, received,
                                    row.ded.amount, row.ded.terminated))
    return out


def scenario_actions() -> list[StaffAction]:
    with open(SCENARIO / "actions.csv", encoding="ascii", newline="") as f:
        return [StaffAction(r["case_id"], r["kind"], dt.date.fromisoformat(r["date"]),  # type: ignore[arg-type]
                            r["note"]) for r in csv.DictReader(f)]


def report() -> list[ComplianceRow]:
    return evaluate(scenario_orders(), scenario_payments(), scenario_actions(), AS_OF)


def expected_codes() -> dict[str, str | None]:
    """case -> the code expected.json promises (None: no row)."""
    out: dict[str, str | None] = {}
    for case, info in EXPECTED["cases"].items():
        head = info["expect"].split(":", 1)[0]
        out[case] = head if head.startswith("CMP-") else None
    return out


def check_against_seed(row: ComplianceRow) -> None:
    """The criterion of the row's code, re-derived from the raw facts, holds on AS_OF."""
    order = next(o for o in scenario_orders()
                 if (o.employer_ein, o.case_id) == (row.employer_ein, row.case_id))
    paid = sorted((p for p in scenario_payments()
                   if (p.employer_ein, p.case_id) == (row.employer_ein, row.case_id)
                   and p.received <= AS_OF), key=lambda p: p.received)
    actions = [a for a in scenario_actions() if a.case_id == row.case_id]
    if row.code == "CMP-ESC-30":
        # "previously making payments, at least 30 days since the last payment, no information
        # ... showing the NCP has terminated"
        assert paid, "was paying"
        assert (AS_OF - paid[-1].received).days >= 30
        assert not any(p.terminated for p in paid) and order.terminated is None
    elif row.code == "CMP-IWO-45":
        # "the IWO was sent 45 or more days prior and no response or payments"
        assert order.iwo_sent is not None and (AS_OF - order.iwo_sent).days >= 45
        assert order.acknowledged is None and not paid
        assert not any(a.kind == "response" for a in actions)
    elif row.code == "CMP-ECL2-REVIEW":
        # "an ECL1 ... sent at least 30 days prior": review for ECL2
        ecl1 = max(a.on for a in actions if a.kind == "ecl1")
        assert (AS_OF - ecl1).days >= 30
        assert not any(p.received >= ecl1 for p in paid)
        assert not any(a.kind in ("response", "ecl2") and a.on >= ecl1 for a in actions)
    elif row.code == "CMP-AMOUNT":
        # "the amount being received ... does not match the most current IWO"
        latest = max(p.pay_date for p in paid)
        received = sum(p.amount for p in paid if p.pay_date == latest)
        assert received != expected_per_pay(order)
        assert row.facts["received"] == received
    elif row.code == "CMP-LATE":
        # 42 USC 666(b)(6): within 7 business days of the pay date
        late = [p for p in paid if p.received > add_banking_days(p.pay_date, 7)]
        assert late and row.facts["late_payments"] == len(late)
    else:
        pytest.fail(f"unexpected code {row.code}")


def test_every_row_meets_its_seed_criterion() -> None:
    rows = report()
    assert rows
    for row in rows:
        check_against_seed(row)


def test_rows_are_exactly_the_scenario_story() -> None:
    got = {row.case_id: row.code for row in report()}
    assert len(got) == len(report()), "one row per case in this scenario"
    assert got == {case: code for case, code in expected_codes().items() if code}


@pytest.mark.parametrize(("case", "days"), [("1001002", 30), ("1001003", 29),
                                            ("1001004", 45), ("1001005", 44),
                                            ("2002001", 30), ("2002002", 29)])
def test_boundary_cases_sit_where_the_story_says(case: str, days: int) -> None:
    """The scenario really puts each boundary case on its day, so the story tests the edge."""
    order = next(o for o in scenario_orders() if o.case_id == case)
    paid = [p.received for p in scenario_payments() if p.case_id == case]
    ecl1 = [a.on for a in scenario_actions() if a.case_id == case and a.kind == "ecl1"]
    clock = ecl1[-1] if ecl1 else (max(paid) if paid else order.iwo_sent)
    assert clock is not None and (AS_OF - clock).days == days
