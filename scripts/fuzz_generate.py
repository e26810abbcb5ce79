"""Byte-level differential fuzz of `generate`: the compiled lane against the Python pipeline.

Takes the benchmark's payroll (``scripts/bench_generate.py``), mutates a few bytes at a time
(flips, insertions, deletions, copies, with the bytes CSV and the DED care about: quotes,
commas, CR, LF, NUL, a Latin-1 byte, DED delimiters, digits, yes/no letters, formula
starts), and runs :func:`nacha_cs.employer.generate.generate` on each with the lane and with
``NACHA_CS_NO_SCAN=1``. Any exception is a crash; any difference in the ACH file, the
withholding report, the findings or the outcome is a difference. Each is kept in --workdir.

Usage: python scripts/fuzz_generate.py [--seconds 300] [--seed 1] [--rows 300]
           [--workdir /tmp/nacha-cs-fuzz-generate]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from nacha_cs.employer import generate as gen
from nacha_cs.employer.config import load_config
from nacha_cs.employer.fee_ledger import FeeRecord

ROOT = Path(__file__).resolve().parent.parent
CONFIG = load_config(ROOT / "fixtures" / "config" / "sample.toml")
OPTIONS = gen.Options(today=dt.date(2026, 11, 23), created=dt.datetime(2026, 11, 23, 9, 30))
ALPHABET = b',"\r\n \x00\xe9\xc3*\\-.0123456789YNyn=+@\t'


def payroll(rows: int, workdir: Path) -> bytes:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "scripts" /
                                                  "bench_generate.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = bench  # its dataclass looks its module up
    spec.loader.exec_module(bench)
    path = workdir / f"base-{rows}.csv"
    bench.make_payroll(path, rows)
    return path.read_bytes()


def mutate(data: bytes, chooser: random.Random) -> bytes:
    edited = bytearray(data)
    for _ in range(chooser.randint(1, 8)):
        at = chooser.randrange(len(edited))
        kind = chooser.random()
        if kind < 0.4:
            edited[at] = chooser.choice(ALPHABET)
        elif kind < 0.7:
            edited[at:at] = bytes([chooser.choice(ALPHABET)])
        elif kind < 0.85:
            del edited[at : at + chooser.randint(1, 20)]
        else:
            start = chooser.randrange(len(edited))
            edited[at:at] = edited[start : start + chooser.randint(1, 200)]
    return bytes(edited)


def run(data: bytes, workdir: Path, *, lane: bool) -> tuple[Any, ...]:
    if lane:
        os.environ.pop("NACHA_CS_NO_SCAN", None)
    else:
        os.environ["NACHA_CS_NO_SCAN"] = "1"
    name = "lane" if lane else "python"
    source, output = workdir / "payroll.csv", workdir / f"{name}.ach"
    report, fees = workdir / f"{name}.csv", workdir / f"{name}.sqlite"
    source.write_bytes(data)
    for path in (output, report, fees):
        path.unlink(missing_ok=True)
    record = FeeRecord(fees)
    try:
        plan, outcome = gen.generate(lambda: gen.read_input(source, CONFIG), CONFIG, OPTIONS,
                                     output, force=True, check_written=True, fee_record=record,
                                     report=report)
    finally:
        record.close()
    return (output.read_bytes() if output.exists() else None,
            report.read_bytes() if report.exists() else None,
            [(f.code, f.line, f.field, f.message) for f in plan.findings],
            outcome.written, plan.rows, plan.employees, plan.fees)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nacha-cs-fuzz-generate"))
    options = parser.parse_args()
    options.workdir.mkdir(parents=True, exist_ok=True)
    base = payroll(options.rows, options.workdir)
    chooser = random.Random(options.seed)
    deadline = time.monotonic() + options.seconds
    runs = crashes = differences = 0
    while time.monotonic() < deadline:
        data = mutate(base, chooser)
        runs += 1
        try:
            with_lane = run(data, options.workdir, lane=True)
            without = run(data, options.workdir, lane=False)
        except Exception:
            crashes += 1
            (options.workdir / f"crash-{options.seed}-{runs}.csv").write_bytes(data)
            traceback.print_exc()
            continue
        if with_lane != without:
            differences += 1
            (options.workdir / f"difference-{options.seed}-{runs}.csv").write_bytes(data)
            parts = ("file", "report", "findings", "written", "rows", "employees", "fees")
            print(f"run {runs}: differs in",
                  ", ".join(p for p, a, b in zip(parts, with_lane, without, strict=True)
                            if a != b))
    print(f"{runs:,} mutated payrolls, {crashes} crash(es), {differences} difference(s)")
    return 1 if crashes or differences else 0


if __name__ == "__main__":
    sys.exit(main())
