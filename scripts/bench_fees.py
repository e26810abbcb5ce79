"""Benchmark the employer fee record (nacha_cs.employer.fee_ledger.FeeRecord): record N fees
for one pay date and commit, as a million-employee payroll run does.

Each case runs in its own child process, so its peak RSS (wait4's rusage, that child only) is
its own. A case is a file (made by this version, or by the old schema: a rowid table keyed
employee then pay date) that is empty or already holds --earlier pay dates of N fees each (a
weekly payroll a few weeks on), and a way in: ``add`` one fee at a time, or ``add_many`` in
chunks of --chunk. The employee keys are made in chunks outside the timed part, so the CPU
printed is the record's (and the call loop's), not the caller's f-strings.

Usage: python scripts/bench_fees.py [--fees 1000000] [--earlier 3] [--order sorted|shuffled]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

OLD_SCHEMA = """
create table fees (
    employee text not null,
    pay_date text not null,
    cents integer not null,
    charged_at text not null,
    primary key (employee, pay_date)
)
"""
"""fee_ledger.OLD_SCHEMA, copied so this script also measures versions from before it."""
PAY_DATE = "2026-11-27"
EARLIER = ("2026-11-06", "2026-11-13", "2026-11-20", "2026-10-30", "2026-10-23")
STEP = 2_654_435_761
"""A prime: i * STEP mod N visits every i < N once, in a scattered order, without a list."""

CHILD = """
import datetime as dt, json, sys, time
from nacha_cs.employer.fee_ledger import FeeRecord
path, fees, chunk, way, order, step = sys.argv[1:7]
fees, chunk, step = int(fees), int(chunk), int(step)
day = dt.date.fromisoformat(sys.argv[7])
text = day.isoformat()
record = FeeRecord(path)
record.begin()
cpu = wall = 0.0
for start in range(0, fees, chunk):
    numbers = range(start, min(fees, start + chunk))
    if order == "shuffled":
        numbers = [i * step % fees for i in numbers]
    keys = [f"ACME\\x1fE{i:08d}" for i in numbers]
    if way == "add_many":
        rows = [(key, text, 500) for key in keys]
        t, w = time.process_time(), time.perf_counter()
        record.add_many(rows)
    else:
        add = record.add
        t, w = time.process_time(), time.perf_counter()
        for key in keys:
            add(key, day, 500)
    cpu += time.process_time() - t
    wall += time.perf_counter() - w
t, w = time.process_time(), time.perf_counter()
record.commit()
cpu += time.process_time() - t
wall += time.perf_counter() - w
record.close()
print(json.dumps({"cpu": cpu, "wall": wall}))
"""


def make_file(path: Path, schema: str | None, fees: int, earlier: int) -> None:
    """A fee record holding ``earlier`` pay dates of ``fees`` fees (set-up, not timed)."""
    connection = sqlite3.connect(path, isolation_level=None)
    if schema is not None:
        connection.execute(schema)
    else:  # whatever this version of FeeRecord makes
        connection.close()
        from nacha_cs.employer.fee_ledger import FeeRecord

        FeeRecord(path).close()
        connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("begin")
    for day in EARLIER[:earlier]:
        connection.executemany(
            "insert into fees values (?, ?, 500, '2026-11-01T09:00:00+00:00')",
            ((f"ACME\x1fE{i:08d}", day) for i in range(fees)),
        )
    connection.execute("commit")
    connection.close()


def run_case(path: Path, args: argparse.Namespace, way: str) -> dict[str, float]:
    """One child process records the fees; its CPU, wall and peak RSS."""
    argv = [sys.executable, "-c", CHILD, str(path), str(args.fees), str(args.chunk), way,
            args.order, str(STEP), PAY_DATE]  # fmt: skip
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{way} on {path.name} failed ({child.returncode})")
    result: dict[str, float] = json.loads(output)
    result["rss_mib"] = usage.ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fees", type=int, default=1_000_000)
    parser.add_argument("--earlier", type=int, default=3, choices=range(len(EARLIER) + 1),
                        help="pay dates already in the non-empty files (default 3)")  # fmt: skip
    parser.add_argument("--chunk", type=int, default=10_000, help="keys made, add_many, at once")
    parser.add_argument("--order", choices=("sorted", "shuffled"), default="sorted")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--ways", default="add,add_many", help="comma-separated: add, add_many")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-fees-"))
    workdir.mkdir(parents=True, exist_ok=True)
    from nacha_cs.employer.fee_ledger import FeeRecord

    ways = [w for w in args.ways.split(",") if w != "add_many" or hasattr(FeeRecord, "add_many")]
    print(f"{args.fees:,} fees, {args.order}, non-empty files hold {args.earlier} pay dates; "
          f"CPU and wall of add+commit, peak RSS of the child", flush=True)  # fmt: skip
    for label, schema in (("this version", None), ("old schema", OLD_SCHEMA)):
        for earlier in sorted({0, args.earlier}):
            base = workdir / f"base-{'old' if schema else 'new'}-{earlier}.sqlite"
            base.unlink(missing_ok=True)
            make_file(base, schema, args.fees, earlier)
            for way in ways:
                path = workdir / "run.sqlite"
                shutil.copyfile(base, path)
                for suffix in ("-journal", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                r = run_case(path, args, way)
                print(f"{label:12s} {earlier} earlier  {way:8s}  cpu {r['cpu']:6.3f} s  "
                      f"wall {r['wall']:6.3f} s  peak RSS {r['rss_mib']:6.1f} MiB  "
                      f"file {path.stat().st_size / 2**20:6.1f} MiB", flush=True)  # fmt: skip
    if args.workdir is None:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
