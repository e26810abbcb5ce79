"""The intake ledger on the bundled samples, on SQLite and on PostgreSQL (the ``ledger``
fixture runs each test on both)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import REPO, Ledger
from sqlalchemy import func, select

from nacha_cs.bank.kit import make_file
from nacha_cs.sdu.ledger import LedgerError, connect, ingest_file, upgrade
from nacha_cs.sdu.ledger.queries import payments_query
from nacha_cs.sdu.ledger.registers import import_employers, import_orders, iter_orders
from nacha_cs.sdu.ledger.schema import files, payments, returns, reviews, suspense

SAMPLES = REPO / "fixtures" / "sdu"
WEEK_ONE = SAMPLES / "acme-2025-03-07.ach"
PRAIRIE = SAMPLES / "prairie-2025-03-07.ach"
WEEK_TWO = SAMPLES / "acme-2025-03-14.ach"
RETURNS = SAMPLES / "returns-2025-03-12.ach"


def registered(ledger: Ledger) -> Ledger:
    assert import_employers(ledger.engine, SAMPLES / "employers.csv",
                            as_of=dt.date(2025, 1, 1)).ok
    result = import_orders(ledger.engine, SAMPLES / "orders.csv", ledger.settings)
    assert result.ok, result.errors
    assert result.created == 5
    return ledger


def count(ledger: Ledger, table: object, *where: object) -> int:
    with ledger.engine.connect() as connection:
        query = select(func.count()).select_from(table)  # type: ignore[arg-type]
        for condition in where:
            query = query.where(condition)  # type: ignore[arg-type]
        return int(connection.execute(query).scalar_one())


def test_week_one_posts_known_cases_and_suspends_the_unknown_one(ledger: Ledger) -> None:
    registered(ledger)
    result = ingest_file(ledger.engine, WEEK_ONE, ledger.settings)
    assert result.status == "stored", result.message
    assert (result.payments, result.posted, result.suspense) == (4, 3, 1)
    assert result.exit_code == 0
    rows = payments_query(ledger.engine, file_id=result.file_id)
    by_case = {row["case_id"]: row for row in rows}
    assert by_case["4019999"]["status"] == "suspense"
    assert by_case["4019999"]["suspense_reason"] == "unknown_case"
    assert by_case["4010001"]["posted_case"] == "4010001"
    assert by_case["4010001"]["ssn"] == "***-**-0001"
    assert by_case["4010001"]["received_date"] == dt.date(2025, 3, 7)
    assert by_case["4010001"]["employer_ein"] == "123456789"


def test_no_ssn_is_stored_in_clear(ledger: Ledger) -> None:
    registered(ledger)
    ingest_file(ledger.engine, WEEK_ONE, ledger.settings)
    with ledger.engine.connect() as connection:
        stored = connection.execute(select(payments.c.ssn_hash, payments.c.ssn_last4)).all()
    assert stored and all(len(h) == 64 and "512340001" not in h for h, _ in stored)
    assert {last for _, last in stored} >= {"0001", "9999"}


def test_termination_ends_the_order_with_the_date_received(ledger: Ledger) -> None:
    registered(ledger)
    result = ingest_file(ledger.engine, WEEK_ONE, ledger.settings)
    assert result.terminations == 1
    (order,) = iter_orders(ledger.engine, "4010003")
    assert order["status"] == "terminated"
    assert order["terminated_received"] == dt.date(2025, 3, 7)
    assert "ncp_ssn_hash" not in order


def test_the_same_bytes_again_are_refused_saying_when(ledger: Ledger) -> None:
    registered(ledger)
    first = ingest_file(ledger.engine, WEEK_ONE, ledger.settings)
    again = ingest_file(ledger.engine, WEEK_ONE, ledger.settings)
    assert again.status == "duplicate"
    assert again.file_id == first.file_id
    assert "already ingested on" in again.message
    assert count(ledger, files) == 1
    assert count(ledger, payments) == 4


def test_the_same_logical_file_with_other_bytes_is_flagged(ledger: Ledger,
                                                          tmp_path: Path) -> None:
    registered(ledger)
    first = ingest_file(ledger.engine, WEEK_ONE, ledger.settings)
    crlf = tmp_path / "resent.ach"
    crlf.write_bytes(WEEK_ONE.read_bytes().replace(b"\n", b"\r\n"))
    resent = ingest_file(ledger.engine, crlf, ledger.settings)
    assert resent.status == "stored"
    assert resent.same_as_file_id == first.file_id
    assert "same logical file" in resent.message
    assert resent.reviews == 4  # each payment is seen again: flagged, not silently doubled


def test_a_payment_repeated_in_a_later_file_is_flagged_for_review(ledger: Ledger) -> None:
    registered(ledger)
    ingest_file(ledger.engine, WEEK_ONE, ledger.settings)
    second = ingest_file(ledger.engine, WEEK_TWO, ledger.settings)
    assert second.status == "stored"
    assert second.reviews == 1
    assert count(ledger, reviews) == 1
    flagged = [r for r in payments_query(ledger.engine, file_id=second.file_id) if r["review"]]
    assert [(r["case_id"], r["pay_date"]) for r in flagged] == [("4010001", dt.date(2025, 3, 7))]


def test_an_agent_posts_only_for_employers_that_link_it(ledger: Ledger) -> None:
    registered(ledger)
    result = ingest_file(ledger.engine, PRAIRIE, ledger.settings)
    rows = {r["case_id"]: r for r in payments_query(ledger.engine, file_id=result.file_id)}
    assert rows["4010004"]["status"] == "posted"
    assert rows["4010004"]["employer_ein"] == "987654321"
    assert rows["4010004"]["sender_id"] == "1555123456"
    assert rows["4010005"]["suspense_reason"] == "agent_not_linked"
    assert rows["4010005"]["employer_ein"] == "456789012"


def test_without_registers_every_payment_waits(ledger: Ledger) -> None:
    result = ingest_file(ledger.engine, WEEK_ONE, ledger.settings)
    assert result.posted == 0
    assert count(ledger, suspense) == 4


def test_a_return_links_to_its_payment_and_dishonors_the_employer(ledger: Ledger) -> None:
    registered(ledger)
    ingest_file(ledger.engine, WEEK_ONE, ledger.settings)
    result = ingest_file(ledger.engine, RETURNS, ledger.settings)
    assert result.status == "stored" and result.returns == 1 and result.payments == 0
    with ledger.engine.connect() as connection:
        (row,) = connection.execute(select(returns)).mappings().all()
    assert (row["kind"], row["code"], row["dishonored"]) == ("return", "R01", True)
    assert row["employer_ein"] == "123456789"
    (returned,) = payments_query(ledger.engine, status="returned")
    assert returned["id"] == row["payment_id"]
    assert returned["case_id"] == "4010002"


def test_payments_query_filters_by_case_employer_and_dates(ledger: Ledger) -> None:
    registered(ledger)
    for path in (WEEK_ONE, PRAIRIE, WEEK_TWO):
        ingest_file(ledger.engine, path, ledger.settings)
    assert {r["case_id"] for r in payments_query(ledger.engine, employer_ein="987654321")} == {
        "4010004"}
    jones = payments_query(ledger.engine, case_id="4010002")
    assert [r["pay_date"] for r in jones] == [dt.date(2025, 3, 7), dt.date(2025, 3, 14)]
    later = payments_query(ledger.engine, date_from=dt.date(2025, 3, 8))
    assert [r["case_id"] for r in later] == ["4010002"]


def test_connect_refuses_what_is_not_a_ledger(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with pytest.raises(LedgerError, match="no ledger at"):
        connect(f"sqlite:///{missing}")
    assert not missing.exists()
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"GIF89a" + bytes(range(256)) * 20)
    with pytest.raises(LedgerError, match="not an SQLite database"):
        connect(f"sqlite:///{foreign}")
    with pytest.raises(LedgerError, match="not an SQLite database"):
        upgrade(f"sqlite:///{foreign}")
    empty = tmp_path / "empty.db"
    upgrade(f"sqlite:///{empty}")
    connect(f"sqlite:///{empty}").dispose()


def test_every_ded_of_a_ctx_820_is_a_payment(ledger: Ledger, tmp_path: Path) -> None:
    made = make_file("ctx", 12, 3, tmp_path / "ctx.ach")
    result = ingest_file(ledger.engine, made.path, ledger.settings)
    assert result.status == "stored", result.message
    assert result.payments == made.manifest["deds"]["total"]
    rows = payments_query(ledger.engine)
    assert all(r["case_id"] and r["pay_date"] for r in rows)
    assert sum(r["amount"] for r in rows) == made.manifest["summary"]["total_credit"]


def test_a_notification_of_change_is_linked_but_not_a_dishonor(ledger: Ledger,
                                                               tmp_path: Path) -> None:
    registered(ledger)
    ingest_file(ledger.engine, WEEK_ONE, ledger.settings)
    text = RETURNS.read_text().splitlines()
    at = next(i for i, line in enumerate(text) if line.startswith("799"))
    line = text[at]
    text[at] = "798C01" + line[6:35] + "9876543210".ljust(29) + " " * 15 + line[79:]
    noc = tmp_path / "noc.ach"
    noc.write_text("\n".join(text) + "\n")
    result = ingest_file(ledger.engine, noc, ledger.settings)
    assert result.status == "stored", result.message
    with ledger.engine.connect() as connection:
        (row,) = connection.execute(select(returns)).mappings().all()
    assert (row["kind"], row["code"], row["corrected_data"]) == ("noc", "C01", "9876543210")
    assert row["payment_id"] is not None and row["dishonored"] is False
    assert payments_query(ledger.engine, status="returned") == []
