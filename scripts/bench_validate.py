"""Benchmark `nacha-cs validate --format json` on a large CCD+ file, next to a Python floor.

Generates (once, cached in --workdir) a file of N CCD+ entries, each with one DED addenda, then:

* floor: a plain Python loop that reads each line and slices three fields, in this process;
* validate: `nacha-cs validate --format json FILE` as a child process, wall time and peak RSS
  (from wait4's rusage, so only that child is measured).

Usage: python scripts/bench_validate.py [--entries 1000000] [--workdir /tmp/nacha-cs-bench]
Targets on the 2-core reference machine: >= 500,000 records/s and <= 64 MiB peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, iter_records
from nacha_cs.ach.writer import iter_record_lines, write_lines_atomically
from nacha_cs.codecs.ded import Ded, encode

SDU_ROUTING = "103000648"


PER_BATCH = 100_000  # a batch control counts at most 999,999 entries and addenda


def _entries(first: int, count: int) -> Iterator[EntrySpec]:
    pay_date = dt.date(2026, 11, 20)
    for i in range(first, first + count):
        cents = 1_000 + (i * 7919) % 150_000
        ssn = f"{400 + i % 250}{10 + i % 89:02d}{1000 + i % 8999:04d}"  # issuable numbers
        ded = encode(Ded(f"CS{i:09d}", pay_date, cents, ssn, "N", "SMITH,HARR", "40109"))
        yield EntrySpec("22", SDU_ROUTING, "900412345678", cents, "OK CENTRALIZED SUPPORT",
                        f"E{i:08d}", (ded,))


def make_file(path: Path, count: int) -> int:
    spec = FileSpec(immediate_destination="091000019", immediate_origin="091000019",
                    created=dt.datetime(2026, 11, 20, 9, 30))
    batches = (
        BatchSpec("ACME MANUFACTURI", "1731234567", "CHILD SUPP", dt.date(2026, 11, 23),
                  "091000019", _entries(first, min(PER_BATCH, count - first)),
                  service_class_code="220")
        for first in range(0, count, PER_BATCH)
    )
    return write_lines_atomically(path, iter_record_lines(iter_records(spec, batches)), force=True)


def floor(path: Path) -> tuple[int, float]:
    """The least any Python validator must do: read every line and slice a few fields."""
    start = time.perf_counter()
    records = 0
    sink = 0
    with open(path, encoding="latin-1") as stream:
        for line in stream:
            records += 1
            sink += len(line[0:1]) + len(line[29:39]) + len(line[79:94])
    return records, time.perf_counter() - start


def run_validate(path: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak RSS in KiB, and exit code of the validate command."""
    command = shutil.which("nacha-cs")
    argv = [command] if command else [sys.executable, "-m", "nacha_cs"]
    argv += ["validate", "--format", "json", str(path)]
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, child.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nacha-cs-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = args.workdir / f"ccd-plus-{args.entries}.ach"
    if not path.exists():
        start = time.perf_counter()
        lines = make_file(path, args.entries)
        print(f"generated {path} ({lines:,} lines) in {time.perf_counter() - start:.1f} s")
    records, floor_seconds = floor(path)
    print(f"python floor : {records:,} records in {floor_seconds:.2f} s = "
          f"{records / floor_seconds:,.0f} records/s")
    seconds, cpu, peak_kib, code = run_validate(path)
    print(f"validate json: {records:,} records in {seconds:.2f} s = {records / seconds:,.0f} "
          f"records/s ({cpu:.2f} s CPU = {records / cpu:,.0f} records per CPU second), "
          f"peak RSS {peak_kib / 1024:.1f} MiB, exit {code}")
    if os.getloadavg()[0] > 1.0:
        print(f"note: load average {os.getloadavg()[0]:.1f}; other work on this machine slows "
              "both lines, CPU time less so")
    print("targets      : >= 500,000 records/s, <= 64 MiB peak RSS")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
