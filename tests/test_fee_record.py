"""Fees across runs, the withholding report, and outputs that never replace inputs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from nacha_cs.cli.generate import generate as generate_command
from nacha_cs.employer import fee_ledger
from nacha_cs.employer import generate as gen
from nacha_cs.employer.config import load_config
from nacha_cs.employer.fee_ledger import FeeRecord
from nacha_cs.employer.payroll import DEFAULT_HEADER, read_payroll

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONFIG = ROOT / "fixtures" / "config" / "sample.toml"
SAMPLE_CSV = ROOT / "fixtures" / "payroll" / "sample.csv"
CONFIG = load_config(SAMPLE_CONFIG)


def _week(pay_date: str, last: str = "Smith") -> list[object]:
    row = f"ACME,E1,{last},Ann,512-34-0001,ZC1,OK,50.00,,,{pay_date},900.00,150.00,,N,N,N,N\n"
    return list(
        read_payroll(
            io.StringIO(DEFAULT_HEADER + "\n" + row),
            CONFIG.payroll,
            known_sdus=CONFIG.sdus.keys(),
            known_employers=CONFIG.employer_ids,
        )
    )


def _run(record: FeeRecord, pay_date: str, output: Path | None, **kw: object) -> gen.Plan:
    today = dt.date.fromisoformat(pay_date)
    options = gen.Options(today=today, created=dt.datetime.combine(today, dt.time(9)))
    items = _week(pay_date)
    plan, outcome = gen.generate(
        lambda: iter(items), CONFIG, options, output, force=True, fee_record=record, **kw
    )
    assert plan.errors == 0 and outcome.errors == 0, (plan.findings, outcome.findings)
    return plan


def test_the_monthly_fee_cap_holds_across_weekly_runs(tmp_path: Path) -> None:
    record = FeeRecord(tmp_path / "fees.sqlite")
    out = tmp_path / "week.ach"
    fees = [_run(record, day, out).fees for day in ("2026-11-06", "2026-11-13", "2026-11-20")]
    assert fees == [500, 500, 0]  # $5 a period, at most $10 in November, across runs
    assert _run(record, "2026-12-04", out).fees == 500  # a new month


def test_a_pay_date_run_again_replaces_its_fee_and_a_dry_run_records_nothing(
    tmp_path: Path,
) -> None:
    record = FeeRecord(tmp_path / "fees.sqlite")
    out = tmp_path / "week.ach"
    assert _run(record, "2026-11-06", None).fees == 500  # dry run: not recorded
    assert _run(record, "2026-11-13", out).fees == 500
    assert _run(record, "2026-11-13", out).fees == 500  # the same payroll again: same fee
    assert _run(record, "2026-11-20", out).fees == 500
    assert _run(record, "2026-11-27", out).fees == 0


def test_a_second_run_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    first = FeeRecord(tmp_path / "fees.sqlite")
    second = FeeRecord(tmp_path / "fees.sqlite", timeout=0.1)
    first.begin()
    try:
        second.begin()
    except Exception as error:
        assert "another run is using the fee record" in str(error)
    else:
        raise AssertionError("two runs held the fee record at once")
    finally:
        first.rollback()


def test_the_withholding_report_has_one_row_per_order(tmp_path: Path) -> None:
    output = tmp_path / "out.ach"
    result = CliRunner().invoke(
        generate_command,
        [str(SAMPLE_CSV), "-c", str(SAMPLE_CONFIG), "-o", str(output), "--today", "2026-11-23",
         "--fee-record", str(tmp_path / "fees.sqlite")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = tmp_path / "out.ach.withholding.csv"
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert len(rows) == 12  # the sample's order rows
    smith = [r for r in rows if r["employee_id"] == "E1001"]
    assert [r["withheld"] for r in smith] == ["114.48", "81.11", "74.41"]
    # ZC146: $120 current + $25 arrears due, $114.48 withheld
    assert smith[0]["shortfall"] == "30.52" and "limit reached" in smith[0]["why"]
    assert all(r["ssn"].startswith("***-**-") for r in rows)
    assert "512-34-0001" not in report.read_text(encoding="utf-8")


def test_the_report_in_json_and_formula_cells_neutralised(tmp_path: Path) -> None:
    record = FeeRecord(tmp_path / "fees.sqlite")
    out = tmp_path / "w.ach"
    items = _week("2026-11-13", last="=HYPERLINK(1)")
    options = gen.Options(today=dt.date(2026, 11, 13), created=dt.datetime(2026, 11, 13, 9))
    _, outcome = gen.generate(
        lambda: iter(items), CONFIG, options, out, fee_record=record,
        report=tmp_path / "w.csv",
    )  # fmt: skip
    assert outcome.written
    assert "'=HYPERLINK(1)" in (tmp_path / "w.csv").read_text(encoding="utf-8")
    _run(record, "2026-11-20", out, report=tmp_path / "w.json")
    document = json.loads((tmp_path / "w.json").read_text(encoding="utf-8"))
    assert document[0]["case_id"] == "ZC1" and document[0]["fee"] == "5.00"


def test_force_never_overwrites_the_input_or_the_config(tmp_path: Path) -> None:
    payroll = tmp_path / "payroll.csv"
    payroll.write_bytes(SAMPLE_CSV.read_bytes())
    config = tmp_path / "config.toml"
    config.write_bytes(SAMPLE_CONFIG.read_bytes())
    for target in (payroll, config):
        result = CliRunner().invoke(
            generate_command,
            [str(payroll), "-c", str(config), "-o", str(target), "--force", "--today",
             "2026-11-23", "--no-fee-record"],
        )  # fmt: skip
        assert result.exit_code == 2 and "own input" in result.output
    assert payroll.read_bytes() == SAMPLE_CSV.read_bytes()
    assert config.read_bytes() == SAMPLE_CONFIG.read_bytes()


# The store itself: one row per employee and pay date, old files, rollback.

DAY = dt.date(2026, 11, 13)


def _table(path: Path) -> list[tuple[str, str, int]]:
    """The record's rows, read behind FeeRecord's back (sorted, stamps left out)."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("select employee, pay_date, cents from fees").fetchall()
    connection.close()
    return sorted(rows)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 7 fees, 3 a statement: a few dozen fees cross every flush and remainder."""
    monkeypatch.setattr(fee_ledger, "BATCH", 7)
    monkeypatch.setattr(fee_ledger, "ROWS_PER_STATEMENT", 3)


def test_a_pay_date_recorded_again_replaces_its_fees(tmp_path: Path, small_batches: None) -> None:
    path = tmp_path / "fees.sqlite"
    record = FeeRecord(path)
    record.begin()
    for i in range(20):
        record.add(f"ACME\x1fE{i:02d}", DAY, 500)
    record.add("ACME\x1fE00", DAY + dt.timedelta(days=7), 500)
    record.commit()
    record.begin()  # the same payroll again, two fees changed, one fee given twice
    record.add("ACME\x1fE03", DAY, 200)
    record.add("ACME\x1fE05", DAY, 100)
    record.add("ACME\x1fE05", DAY, 300)  # the later one stands
    record.commit()
    expected = {(f"ACME\x1fE{i:02d}", "2026-11-13"): 500 for i in range(20)}
    expected["ACME\x1fE03", "2026-11-13"] = 200
    expected["ACME\x1fE05", "2026-11-13"] = 300
    expected["ACME\x1fE00", "2026-11-20"] = 500
    assert _table(path) == sorted((e, d, c) for (e, d), c in expected.items())
    record.begin()
    assert record.charged("ACME\x1fE05", DAY) == 0  # its own pay date does not count
    assert record.charged("ACME\x1fE05", DAY + dt.timedelta(days=7)) == 300
    assert record.charged("ACME\x1fE00", DAY) == 500
    assert record.charged("ACME\x1fE00", dt.date(2026, 12, 4)) == 0  # another month
    record.close()


def test_rollback_forgets_fees_already_sent_to_sqlite(tmp_path: Path, small_batches: None) -> None:
    path = tmp_path / "fees.sqlite"
    record = FeeRecord(path)
    record.begin()
    record.add("ACME\x1fE1", DAY, 500)
    record.commit()
    record.begin()
    for i in range(30):  # several batches went to SQLite, some are still pending
        record.add(f"ACME\x1fF{i:02d}", DAY, 400)
    record.add("ACME\x1fE1", DAY, 1)
    record.rollback()
    assert _table(path) == [("ACME\x1fE1", "2026-11-13", 500)]
    record.begin()
    record.add("ACME\x1fE2", DAY, 500)
    record.commit()
    assert _table(path) == [("ACME\x1fE1", "2026-11-13", 500), ("ACME\x1fE2", "2026-11-13", 500)]
    record.close()


def test_fees_are_stamped_with_the_second_they_were_recorded(tmp_path: Path) -> None:
    path = tmp_path / "fees.sqlite"
    record = FeeRecord(path)
    record.begin()
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    record.add("ACME\x1fE1", DAY, 500)
    after = dt.datetime.now(dt.timezone.utc)
    record.commit()
    record.close()
    with sqlite3.connect(path) as connection:
        (stamp,) = connection.execute("select charged_at from fees").fetchone()
    connection.close()
    assert before <= dt.datetime.fromisoformat(stamp) <= after
    assert stamp.endswith("+00:00") and "." not in stamp


def test_a_file_of_the_old_schema_is_read_and_written_as_it_is(
    tmp_path: Path, small_batches: None
) -> None:
    path = tmp_path / "fees.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute(fee_ledger.OLD_SCHEMA)
        connection.executemany(
            "insert into fees values (?, ?, ?, '2026-11-06T15:00:00+00:00')",
            [("ACME\x1fE1", "2026-11-06", 500), ("ACME\x1fE2", "2026-11-06", 500),
             ("ACME\x1fE1", "2026-10-30", 500)],
        )  # fmt: skip
    connection.close()
    record = FeeRecord(path)
    record.begin()
    assert record.charged("ACME\x1fE1", DAY) == 500
    assert record.charged("ACME\x1fE1", dt.date(2026, 11, 6)) == 0
    record.add("ACME\x1fE1", dt.date(2026, 11, 6), 250)  # that payroll again
    for i in range(10):
        record.add(f"ACME\x1fE{i}", DAY, 500)
    record.commit()
    record.close()
    expected = [("ACME\x1fE1", "2026-10-30", 500), ("ACME\x1fE1", "2026-11-06", 250),
                ("ACME\x1fE2", "2026-11-06", 500)]  # fmt: skip
    expected += [(f"ACME\x1fE{i}", "2026-11-13", 500) for i in range(10)]
    assert _table(path) == sorted(expected)
    with sqlite3.connect(path) as connection:
        (sql,) = connection.execute("select sql from sqlite_master where name = 'fees'").fetchone()
    connection.close()
    assert "without rowid" not in sql.lower()  # not migrated
    record = FeeRecord(path)
    record.begin()
    assert record.charged("ACME\x1fE1", dt.date(2026, 11, 20)) == 750
    record.close()


def test_a_new_file_keys_its_fees_by_pay_date_then_employee(tmp_path: Path) -> None:
    path = tmp_path / "fees.sqlite"
    FeeRecord(path).close()
    with sqlite3.connect(path) as connection:
        (sql,) = connection.execute("select sql from sqlite_master where name = 'fees'").fetchone()
        key = connection.execute("select name from pragma_index_info('sqlite_autoindex_fees_1')")
        key_columns = [name for (name,) in key]
    connection.close()
    assert "without rowid" in sql.lower()
    assert key_columns == ["pay_date", "employee"]


def _record(path: Path, runs: list[list[tuple[str, str, int]]], *, many: bool) -> None:
    """Each run's fees through add_many in chunks of 4, or through add one at a time."""
    record = FeeRecord(path)
    for rows in runs:
        record.begin()
        if many:
            for start in range(0, len(rows), 4):
                record.add_many(rows[start : start + 4])
        else:
            for employee, day, cents in rows:
                record.add(employee, dt.date.fromisoformat(day), cents)
        record.commit()
    record.close()


def test_add_many_records_what_add_records_row_by_row(tmp_path: Path, small_batches: None) -> None:
    days = ("2026-11-06", "2026-11-13", "2026-11-20")  # out of order, some fees twice
    first = [(f"ACME\x1fE{i % 13:02d}", days[i % 3], 100 + i) for i in range(40)]
    again = [("ACME\x1fE03", "2026-11-13", 1), ("ACME\x1fE99", "2026-11-06", 2), *first[::-5]]
    again.append(("ACME\x1fE03", "2026-11-13", 3))
    _record(tmp_path / "add.sqlite", [first, again], many=False)
    _record(tmp_path / "many.sqlite", [first, again], many=True)
    rows = _table(tmp_path / "add.sqlite")
    assert rows == _table(tmp_path / "many.sqlite")
    assert ("ACME\x1fE03", "2026-11-13", 3) in rows  # the last of the run stands
    assert len(rows) == len({(e, d) for e, d, _ in first + again})


def test_add_many_keeps_to_the_batches_add_would_send(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_batches: None
) -> None:
    record = FeeRecord(tmp_path / "fees.sqlite")
    sent: list[int] = []
    flush = record._flush

    def counting_flush() -> None:
        sent.append(len(record.pending) // 3)
        flush()

    monkeypatch.setattr(record, "_flush", counting_flush)
    record.begin()
    record.add("ACME\x1fE0", DAY, 500)
    record.add_many([(f"ACME\x1fE{i}", "2026-11-13", 500) for i in range(1, 17)])
    assert len(record.pending) // 3 == 3 and [n for n in sent if n] == [7, 7]
    record.rollback()
    record.close()


def test_add_many_refuses_a_bad_row_and_records_none_of_the_chunk(tmp_path: Path) -> None:
    record = FeeRecord(tmp_path / "fees.sqlite")
    record.begin()
    good = ("ACME\x1fE1", "2026-11-13", 500)
    bad_rows: list[list[tuple[str, str, int]]] = [
        [good, ("ACME\x1fE2", "2026-11-13")],  # type: ignore[list-item]
        [good, ("ACME\x1fE2", "2026-11-13", 500, "x")],  # type: ignore[list-item]
        [good, ("ACME\x1fE2", "2026-11-3", 500)],
        [good, ("ACME\x1fE2", "20261113", 500)],
        [good, ("ACME\x1fE2", "2026-02-30", 500)],
        [good, ("ACME\x1fE2", dt.date(2026, 11, 13), 500)],  # type: ignore[list-item]
    ]
    for rows in bad_rows:
        with pytest.raises(ValueError, match="add_many"):
            record.add_many(rows)
    record.add_many([])
    record.commit()
    record.close()
    assert _table(tmp_path / "fees.sqlite") == []


@pytest.mark.parametrize("schema", [None, fee_ledger.OLD_SCHEMA], ids=["new", "old-schema"])
def test_fees_out_of_key_order_are_staged_and_the_later_fee_still_wins(
    tmp_path: Path, small_batches: None, schema: str | None
) -> None:
    path = tmp_path / "fees.sqlite"
    if schema is not None:
        with sqlite3.connect(path) as connection:
            connection.execute(schema)
        connection.close()
    record = FeeRecord(path)
    record.begin()
    for i in range(14):  # two batches in key order: straight into the table
        record.add(f"ACME\x1fE{i:02d}", DAY, 100)
    assert not record._staging
    for i in (30, 3, 29, 5, 17, 3, 40):  # out of order, E03 twice
        record.add(f"ACME\x1fE{i:02d}", DAY, 200 + i)
    record.add("ACME\x1fE03", DAY, 7)
    record.add_many([("ACME\x1fE01", "2026-11-06", 1), ("ACME\x1fE01", "2026-11-06", 2)])
    assert record._staging
    record.rollback()  # the staged fees are forgotten too
    assert _table(path) == []
    record.begin()
    for i in range(14):
        record.add(f"ACME\x1fE{i:02d}", DAY, 100)
    for i in (30, 3, 29, 5, 17, 3, 40):
        record.add(f"ACME\x1fE{i:02d}", DAY, 200 + i)
    record.add("ACME\x1fE03", DAY, 7)
    record.add_many([("ACME\x1fE01", "2026-11-06", 1), ("ACME\x1fE01", "2026-11-06", 2)])
    record.commit()
    expected = {f"ACME\x1fE{i:02d}": 100 for i in range(14)}
    expected.update({f"ACME\x1fE{i:02d}": 200 + i for i in (30, 29, 5, 17, 40)})
    expected["ACME\x1fE03"] = 7
    rows = [(e, "2026-11-13", c) for e, c in expected.items()]
    assert _table(path) == sorted([*rows, ("ACME\x1fE01", "2026-11-06", 2)])
    record.begin()  # the next run starts straight again
    record.add("ACME\x1fE99", DAY, 500)
    assert record.charged("ACME\x1fE01", DAY) == 2
    record.commit()
    assert not record._staging and ("ACME\x1fE99", "2026-11-13", 500) in _table(path)
    record.close()


@pytest.mark.parametrize("schema", [None, fee_ledger.OLD_SCHEMA], ids=["new", "old-schema"])
@pytest.mark.parametrize("order", ["sorted", "shuffled", "backwards"])
def test_earlier_fees_read_a_window_at_a_time_are_what_the_month_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema: str | None, order: str
) -> None:
    """charged() reads a key range at a time (memory of one window); whatever the order of
    the questions and the window's size, it answers what the whole month says."""
    import random

    monkeypatch.setattr(fee_ledger, "WINDOW_MOST", 8)
    monkeypatch.setattr(fee_ledger, "WINDOW_LEAST", 2)
    path = tmp_path / "fees.sqlite"
    if schema is not None:
        with sqlite3.connect(path) as connection:
            connection.execute(schema)
    chooser = random.Random(7)
    employees = [f"ACME\x1fE{i:05d}" for i in range(200)]
    days = ["2026-11-06", "2026-11-13", "2026-10-30", "2026-12-04"]
    month: dict[str, dict[str, int]] = {}
    record = FeeRecord(path)
    record.begin()
    for day in days:
        for employee in employees:
            if chooser.random() < 0.4:
                cents = chooser.choice([100, 250, 500])
                record.add(employee, dt.date.fromisoformat(day), cents)
                if day.startswith("2026-11"):
                    month.setdefault(employee, {})[day] = cents
    record.commit()
    record.close()
    asked = [*employees, "ACME\x1fE99999", "ACME\x1fA", ""]
    if order == "shuffled":
        chooser.shuffle(asked)
    elif order == "backwards":
        asked.reverse()
    record = FeeRecord(path)
    record.begin()
    for pay_date in (dt.date(2026, 11, 13), dt.date(2026, 11, 20)):
        day = pay_date.isoformat()
        for employee in asked:
            expected = sum(c for d, c in month.get(employee, {}).items() if d != day)
            assert record.charged(employee, pay_date) == expected, (employee, day)
    assert record.charged(employees[0], dt.date(2026, 9, 1)) == 0  # a month with none
    record.rollback()
    record.close()


def test_add_flat_records_what_add_many_records_and_refuses_a_ragged_list(
    tmp_path: Path, small_batches: None
) -> None:
    rows = [(f"ACME\x1fE{i:03d}", "2026-11-13", 100 + i) for i in range(40)]
    _record(tmp_path / "many.sqlite", [rows], many=True)
    record = FeeRecord(tmp_path / "flat.sqlite")
    record.begin()
    with pytest.raises(ValueError, match="add_flat"):
        record.add_flat(["ACME\x1fE1", "2026-11-13"])
    with pytest.raises(ValueError, match="add_flat"):
        record.add_flat(["ACME\x1fE1", "2026-13-01", 5])
    record.add_flat([value for row in rows for value in row])
    record.commit()
    record.close()
    assert _table(tmp_path / "flat.sqlite") == _table(tmp_path / "many.sqlite")
