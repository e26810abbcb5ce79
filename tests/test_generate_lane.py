"""The compiled lane of `generate` writes what the Python pipeline writes, byte for byte.

Every case runs :func:`nacha_cs.employer.generate.generate` twice on the same payroll CSV:
with the lane, and with ``NACHA_CS_NO_SCAN=1`` (the Python pipeline alone). The ACH file, the
withholding report, the fee record, the plan's findings and counts and the outcome must be
equal. The inputs are the benchmark's payroll (limits reached, two orders, fees) and that
payroll with the awkward rows real exports carry mixed in: quoted cells, blank lines, CRLF,
bad rows, rows out of order, non-ASCII names, formula cells, earlier runs' fees.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nacha_cs.employer import fee_ledger, lane
from nacha_cs.employer import generate as gen
from nacha_cs.employer import plan as planning
from nacha_cs.employer.config import Config, load_config, loads_config
from nacha_cs.employer.fee_ledger import FeeRecord
from nacha_cs.employer.grouping import SortState, Unsorted
from nacha_cs.employer.payroll import FIELDS
from nacha_cs.employer.report import report_format

ROOT = Path(__file__).resolve().parent.parent
CONFIG_PATH = ROOT / "fixtures" / "config" / "sample.toml"
CONFIG = load_config(CONFIG_PATH)
EXACT = loads_config(CONFIG_PATH.read_text().replace('state = "OK"', 'state = "TX"'))
"""Both employers in a state without a law of its own: exact proration, no fee."""
OPTIONS = gen.Options(today=dt.date(2026, 11, 23), created=dt.datetime(2026, 11, 23, 9, 30))

_spec = importlib.util.spec_from_file_location(
    "bench_generate", ROOT / "scripts" / "bench_generate.py"
)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_generate"] = bench
_spec.loader.exec_module(bench)


def _lines(rows: int, tmp_path: Path) -> list[str]:
    path = tmp_path / "base.csv"
    bench.make_payroll(path, rows)
    return path.read_text().splitlines(keepends=True)


def _run(text: str | bytes, folder: Path, *, fees: Path | None, report: str = "report.csv",
         full_ssn: bool = False, config: Config = CONFIG) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "payroll.csv"
    source.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    output = folder / "out.ach"
    record = FeeRecord(fees) if fees is not None else None
    try:
        plan, outcome = gen.generate(
            lambda: gen.read_input(source, config),
            config,
            OPTIONS,
            output,
            force=True,
            check_written=True,
            fee_record=record,
            report=folder / report,
            full_ssn=full_ssn,
        )
    finally:
        if record is not None:
            record.close()
    kept = []
    if fees is not None:
        with sqlite3.connect(fees) as connection:
            kept = connection.execute(
                "select employee, pay_date, cents from fees order by employee, pay_date"
            ).fetchall()
    return {
        "file": output.read_bytes() if output.exists() else None,
        "report": (folder / report).read_bytes() if (folder / report).exists() else None,
        "fees": kept,
        "findings": [(f.code, f.severity, f.line, f.field, f.message) for f in plan.findings],
        "counts": plan.counts,
        "plan": (plan.rows, plan.employees, plan.fees, plan.planned, plan.limited_count,
                 len(plan.limited), plan.error_count),
        "sdus": {k: (t.entries, t.payments, t.notices, t.total) for k, t in plan.sdus.items()},
        "outcome": (outcome.written, outcome.lines, outcome.errors,
                    [(f.code, f.line) for f in outcome.findings]),
    }


def _both(text: str | bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *,
          history: str | None = None, ignore: tuple[str, ...] = (),
          **kwargs: Any) -> dict[str, Any]:
    config = kwargs.get("config", CONFIG)
    """Run with the lane and without; assert they agree; return the lane's result."""
    results = []
    for name, off in (("lane", False), ("python", True)):
        folder = tmp_path / f"{name}{len(list(tmp_path.glob(name + '*')))}"
        fees = folder / "fees.sqlite"
        folder.mkdir(parents=True)
        if history is not None:
            _run(history, folder / "earlier", fees=fees, config=config)
        if off:
            monkeypatch.setenv("NACHA_CS_NO_SCAN", "1")
        else:
            monkeypatch.delenv("NACHA_CS_NO_SCAN", raising=False)
        results.append(_run(text, folder, fees=fees, **kwargs))
    monkeypatch.delenv("NACHA_CS_NO_SCAN", raising=False)
    with_lane, without = results
    for key in with_lane:
        if key not in ignore:
            assert with_lane[key] == without[key], key
    return with_lane


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many entries the lane made itself in each run (to know it really ran)."""
    made: list[int] = []
    original = lane.Driver.pull

    def pull(self: lane.Driver) -> None:
        made.append(self.lane.entries)
        SHARED.append(self.lane.limited)
        original(self)

    monkeypatch.setattr(lane.Driver, "pull", pull)
    return made


SHARED: list[int] = []
"""Employees whose limit the lane shared, per run (filled by the ``taken`` fixture)."""

pytestmark = pytest.mark.skipif(
    not lane.AVAILABLE and os.environ.get("CI") != "true",
    reason="the compiled lane is not built here (CI requires it)",
)


def test_ci_builds_the_lane_and_version_names_it() -> None:
    """CI installs from a clean clone: the build must have produced the extension."""
    from click.testing import CliRunner

    from nacha_cs.cli import main

    assert lane.AVAILABLE
    result = CliRunner().invoke(main, ["--version"])
    assert f"generate lane: {lane.status()}" in result.output
    assert lane.status().startswith("compiled")


def test_the_lane_knows_the_payroll_fields_in_their_order() -> None:
    from nacha_cs.employer import _lane

    assert tuple(_lane.FIELD_ORDER) == FIELDS


def test_the_benchmark_payroll_is_the_same_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taken: list[int]
) -> None:
    result = _both("".join(_lines(3000, tmp_path)), tmp_path, monkeypatch)
    assert result["outcome"][0] and result["plan"][4] > 0  # written, and limits reached
    assert sum(taken) > 2000  # most entries came from the lane


@pytest.mark.parametrize("window", [None, 8], ids=["wide", "narrow windows"])
def test_earlier_runs_fees_are_the_same_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taken: list[int], window: int | None
) -> None:
    if window is not None:  # the earlier fees come a few employees at a time
        monkeypatch.setattr(fee_ledger, "WINDOW_MOST", window)
        monkeypatch.setattr(fee_ledger, "WINDOW_LEAST", 2)
    lines = _lines(600, tmp_path)
    # Earlier runs this month: every third employee on one other pay date (half the cap
    # left), every fifth on two (the cap spent), every seventh on this very pay date (run
    # again: its own fee does not count).
    earlier = lines[:1]
    earlier += [line.replace("2026-11-20", "2026-11-06") for line in lines[1::3]]
    earlier += [line.replace("2026-11-20", "2026-11-13") for line in lines[1::5]]
    earlier += lines[1::7]
    earlier[1:] = sorted(earlier[1:], key=lambda line: line.split(",")[10])
    result = _both("".join(lines), tmp_path, monkeypatch, history="".join(earlier))
    assert result["fees"] and sum(taken) > 500


def test_a_full_ssn_report_is_the_same_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _lines(300, tmp_path)
    lines[5] = lines[5].replace(",E00000005,", ",123-45-6789,", 1)  # an id that is an SSN
    _both("".join(lines), tmp_path, monkeypatch, full_ssn=True)
    _both("".join(lines), tmp_path, monkeypatch)


def test_a_json_report_leaves_the_lane_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taken: list[int]
) -> None:
    _both("".join(_lines(300, tmp_path)), tmp_path, monkeypatch, report="report.json")
    assert report_format("report.json") == "json" and taken == []


def _edit(line: str, index: int, value: str) -> str:
    cells = line.rstrip("\n").split(",")
    cells[index] = value
    return ",".join(cells) + "\n"


_COLUMN = {name: index for index, name in enumerate(FIELDS)}
AWKWARD: dict[str, Any] = {
    "quoted cell": lambda line: _edit(line, _COLUMN["last_name"], '"Smith, Jr"'),
    "quoted newline": lambda line: _edit(line, _COLUMN["first_name"], '"Ann\nMarie"'),
    "blank line": lambda line: line + "\n",
    "crlf": lambda line: line.replace("\n", "\r\n"),
    "bad amount": lambda line: _edit(line, _COLUMN["current_support"], "12.3"),
    "dollar amount": lambda line: _edit(line, _COLUMN["current_support"], "$1,200.00"),
    "unissued ssn": lambda line: _edit(line, _COLUMN["ssn"], "666-12-3456"),
    "unknown sdu": lambda line: _edit(line, _COLUMN["sdu"], "ZZ"),
    "lowercase sdu": lambda line: _edit(line, _COLUMN["sdu"], "tx"),
    "unknown employer": lambda line: _edit(line, _COLUMN["employer"], "NOBODY"),
    "accented name": lambda line: _edit(line, _COLUMN["last_name"], "Peña"),
    "name with a space": lambda line: _edit(line, _COLUMN["last_name"], "De La Cruz"),
    "suffix": lambda line: _edit(line, _COLUMN["last_name"], "King Jr."),
    "no letters": lambda line: _edit(line, _COLUMN["last_name"], "---"),
    "hyphen": lambda line: _edit(line, _COLUMN["last_name"], "Smith-Jones"),
    "long hyphen": lambda line: _edit(line, _COLUMN["last_name"], "Abcdefgh-Ijk"),
    "digits in a name": lambda line: _edit(line, _COLUMN["last_name"], "Lee3"),
    "first apostrophe": lambda line: _edit(line, _COLUMN["first_name"], "D'Andre"),
    "first no letters": lambda line: _edit(line, _COLUMN["first_name"], "--"),
    "formula": lambda line: _edit(line, _COLUMN["first_name"], "=cmd"),
    "spaces": lambda line: _edit(line, _COLUMN["case_id"], " C1 "),
    "terminated": lambda line: _edit(line, _COLUMN["terminated"], "Y"),
    "zero due": lambda line: _edit(line, _COLUMN["current_support"], "0.00"),
    "arrears": lambda line: _edit(line, _COLUMN["arrears"], "40.00"),
    "medical": lambda line: _edit(line, _COLUMN["cash_medical"], "15.50"),
    "other family": lambda line: _edit(line, _COLUMN["supports_other_family"], "yes"),
    "odd flag": lambda line: _edit(line, _COLUMN["arrears_over_12_weeks"], "maybe"),
    "flag case": lambda line: _edit(line, _COLUMN["medical_coverage"], "yEs"),
    "other pay date": lambda line: _edit(line, _COLUMN["pay_date"], "2026-11-13"),
    "compact date": lambda line: _edit(line, _COLUMN["pay_date"], "20261120"),
    "bad date": lambda line: _edit(line, _COLUMN["pay_date"], "2026-02-30"),
    "disposable given": lambda line: _edit(
        _edit(_edit(line, _COLUMN["gross_pay"], ""), _COLUMN["mandatory_deductions"], ""),
        _COLUMN["disposable_income"], "700.00"),
    "deductions over gross": lambda line: _edit(line, _COLUMN["mandatory_deductions"],
                                                "99999.00"),
    "long case": lambda line: _edit(line, _COLUMN["case_id"], "C" * 21),
    "ssn id": lambda line: _edit(line, _COLUMN["employee_id"], "123456789"),
    "extra column": lambda line: line.replace("\n", ",x\n"),
    "duplicate": lambda line: line + line,
    "not ascii id": lambda line: _edit(line, _COLUMN["employee_id"], "E3é"),
    "nul byte": lambda line: _edit(line, _COLUMN["first_name"], "An\x00n"),
    "huge cell": lambda line: _edit(line, _COLUMN["case_id"], "C" * 140_000),
}


@pytest.fixture
def lane_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The planner keeps no employee whose limit was reached: the lane shares them all."""
    monkeypatch.setattr(planning, "KEPT_LIMITED", 0)


@pytest.mark.parametrize("config", [CONFIG, EXACT], ids=["worksheet", "exact"])
def test_limits_reached_in_the_lane_are_the_same_both_ways(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taken: list[int],
    lane_limits: None,
) -> None:
    lines = _lines(2000, tmp_path)
    for at in range(3, 2000, 7):  # arrears beside the current support: both tiers shared
        lines[at] = AWKWARD["arrears"](AWKWARD["medical"](lines[at]))
    SHARED.clear()
    result = _both("".join(lines), tmp_path, monkeypatch, config=config)
    assert result["plan"][4] > 100 and result["plan"][5] == 0 and sum(taken) > 1500
    assert sum(SHARED) > 100  # the lane shared those limits itself


_amount = st.integers(0, 300_000).map(lambda c: f"{c // 100}.{c % 100:02d}")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(employees=st.lists(
    st.tuples(_amount, st.lists(st.tuples(_amount, _amount, _amount), min_size=1, max_size=5),
              st.booleans(), st.booleans()),
    min_size=1, max_size=12))
def test_any_limit_is_shared_the_same_both_ways(
    employees: list[tuple[str, list[tuple[str, str, str]], bool, bool]],
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
    lane_limits: None,
) -> None:
    tmp_path = tmp_path_factory.mktemp("limits")
    base = _lines(40, tmp_path)
    lines = base[:12]  # plain employees first: the batch is open, templates are known
    template = base[13]
    for number, (disposable, orders, other, over) in enumerate(employees):
        for order, (current, medical, arrears) in enumerate(orders):
            line = _edit(template, _COLUMN["employee_id"], f"F{number:05d}")
            line = _edit(line, _COLUMN["case_id"], f"K{number:05d}{order}")
            line = _edit(line, _COLUMN["sdu"], ["OK", "TX", "OR", "KS"][order % 4])
            line = _edit(line, _COLUMN["current_support"], current)
            line = _edit(line, _COLUMN["cash_medical"], medical)
            line = _edit(line, _COLUMN["arrears"], arrears)
            line = _edit(line, _COLUMN["gross_pay"], disposable)
            line = _edit(line, _COLUMN["mandatory_deductions"], "0.00")
            line = _edit(line, _COLUMN["supports_other_family"], "Y" if other else "N")
            line = _edit(line, _COLUMN["arrears_over_12_weeks"], "Y" if over else "N")
            lines.append(line)
    for config in (CONFIG, EXACT):
        _both("".join(lines), tmp_path, monkeypatch, config=config)


@pytest.mark.parametrize("kind", sorted(AWKWARD))
def test_each_awkward_row_is_the_same_both_ways(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _lines(400, tmp_path)
    for at in (7, 150, 151, 399):
        lines[at] = AWKWARD[kind](lines[at])
    _both("".join(lines), tmp_path, monkeypatch)


@pytest.mark.parametrize("swap", [(40, 41), (100, 300), (2, 399)])
def test_rows_out_of_order_are_the_same_both_ways(
    swap: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _lines(400, tmp_path)
    a, b = swap
    lines[a], lines[b] = lines[b], lines[a]
    _both("".join(lines), tmp_path, monkeypatch)


def test_an_employer_that_comes_back_is_the_same_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _lines(400, tmp_path)
    lines.append(lines[3])  # an ACME row after the BLUESTEM ones
    _both("".join(lines), tmp_path, monkeypatch)
    _both("".join(lines).rstrip("\n"), tmp_path, monkeypatch)  # and as the last, unended line


@pytest.mark.parametrize("at", [5, 150, 399])
def test_a_byte_that_is_not_utf8_is_the_same_both_ways(
    at: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [line.encode("utf-8") for line in _lines(400, tmp_path)]
    cells = lines[at].split(b",")
    cells[_COLUMN["first_name"]] += b"\xe9"  # Latin-1, as some exports still write
    lines[at] = b",".join(cells)
    # Both ways read every row before the bad byte (each decodes a line at a time).
    result = _both(b"".join(lines), tmp_path, monkeypatch)
    assert not result["outcome"][0] and result["file"] is None
    assert [code for code, *_ in result["findings"]][-1] == "PAY015"


def test_a_file_without_a_final_line_feed_is_the_same_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _both("".join(_lines(300, tmp_path)).rstrip("\n"), tmp_path, monkeypatch)


def test_spans_across_chunks_are_the_same_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taken: list[int]
) -> None:
    monkeypatch.setattr(lane, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(lane, "MOST_CARRIED", 16384)
    monkeypatch.setattr(lane, "LINES_PER_RUN", 64)
    lines = _lines(1500, tmp_path)
    for at in range(50, 1500, 97):
        lines[at] = AWKWARD["quoted cell"](lines[at])
    # a long stretch the lane cannot take: the rest goes to Python
    for at in range(1200, 1400):
        lines[at] = AWKWARD["quoted cell"](lines[at])
    _both("".join(lines), tmp_path, monkeypatch)
    assert sum(taken) > 0


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(1, 199), st.sampled_from(sorted(AWKWARD))),
                      max_size=6))
def test_any_mix_of_awkward_rows_is_the_same_both_ways(
    edits: list[tuple[int, str]], tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tmp_path = tmp_path_factory.mktemp("mix")
    lines = _lines(200, tmp_path)
    for at, kind in edits:
        lines[at] = AWKWARD[kind](lines[at])
    _both("".join(lines), tmp_path, monkeypatch)


def test_grouping_in_pieces_with_its_state_is_grouping_in_one_pass(tmp_path: Path) -> None:
    """SortState carried from piece to piece: the groups, findings and verdict of one pass."""
    from nacha_cs.employer.grouping import group_pay_sorted
    from nacha_cs.employer.payroll import read_text

    lines = _lines(300, tmp_path)
    lines.insert(45, lines[40])  # a pay date that came before: NOT_ADJACENT
    lines.insert(200, lines[3])  # an employee id that goes back: the rows are not sorted
    items = read_text("".join(lines))
    whole = list(group_pay_sorted(items))
    assert any(type(item) is Unsorted for item in whole)
    for cut in (1, 11, 41, 46, 47, 119, 199, 200, 201, 250):
        state = SortState()
        pieces = list(group_pay_sorted(items[:cut], state))
        if not any(type(item) is Unsorted for item in pieces):  # the caller stops there
            pieces += list(group_pay_sorted(items[cut:], state))
        assert pieces == whole, cut
