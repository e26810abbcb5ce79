"""Fees across runs, the withholding report, and outputs that never replace inputs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from click.testing import CliRunner

from nacha_cs.cli.generate import generate as generate_command
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
