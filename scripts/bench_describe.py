"""Benchmark `nacha-cs describe` and `nacha-cs remittance` on a large CCD+ file, next to validate.

Makes (once, cached in --workdir) a kit file of N CCD+ entries with one DED addenda each
(``nacha_cs.bank.kit.make_file('ccd+', N, 1, path)``), then times, each writing to /dev/null:

* in this process: describe's text rendering and the remittance CSV export, wall and CPU time,
  and this process's peak RSS (resource.getrusage) after each;
* as child processes: `validate --format json`, `describe`, `remittance` (CSV) and
  `remittance --format json`, wall time, CPU time and peak RSS (wait4's rusage of the child;
  on Linux never below this process's RSS at the fork, so children run first);
* the pure-Python floor (read the lines, slice three fields, in a function), and each figure
  as a ratio to it: ``floor / time``, so 1.00x is the floor's pace and more is faster.

The in-process runs take the commands' own paths: the compiled extractor when it is built
(``NACHA_CS_NO_SCAN=1`` turns it off, for the figures without it).

Usage: python scripts/bench_describe.py [--entries 1000000] [--workdir /tmp/nacha-cs-bench]
Target (issue 13): describe and remittance at least 1x the floor, memory flat.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from nacha_cs.ach import extract
from nacha_cs.ach.describe import EventReader
from nacha_cs.ach.extract import Rendered
from nacha_cs.bank.kit import make_file
from nacha_cs.cli.describe import render_text
from nacha_cs.cli.remittance import export


def peak_mib() -> float:
    """This process's peak RSS so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor(path: Path) -> float:
    """The pure-Python floor: read every line and slice three fields, inside a function."""
    start = time.perf_counter()
    with path.open(encoding="latin-1") as lines:
        for line in lines:
            line[1:3], line[29:39], line[79:94]
    return time.perf_counter() - start


def in_process(name: str, work: Callable[[], int], records: int, base: float) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    count = work()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"in process  {name:<22}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
          f"{records / wall:>10,.0f} records/s, {base / wall:5.2f}x the floor, "
          f"{count:,} lines/rows, peak RSS so far {peak_mib():.1f} MiB")


def describe_text(path: Path) -> int:
    """What `describe` writes for a large file, as its text path writes it."""
    lines = 0
    with path.open("rb") as stream, open(os.devnull, "w") as out:
        shown = extract.events(stream, EventReader(), extract.TEXT)
        for line in render_text(shown):
            if isinstance(line, Rendered):
                out.write(line.text)
                lines += line.lines
            else:
                out.write(line + "\n")
                lines += 1
    return lines


def remittance_csv(path: Path) -> int:
    with path.open("rb") as stream, open(os.devnull, "w") as out:
        count, _ = export(stream, out, "csv", str(path), False)
    return count


def child(args: list[str], path: Path, records: int, base: float) -> None:
    command = shutil.which("nacha-cs")
    argv = [command] if command else [sys.executable, "-m", "nacha_cs"]
    argv += [*args, str(path)]
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    print(f"subprocess  {' '.join(args):<22}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
          f"{records / wall:>10,.0f} records/s, {base / wall:5.2f}x the floor, "
          f"peak RSS {usage.ru_maxrss / 1024:.1f} MiB, exit {code}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nacha-cs-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = args.workdir / f"kit-ccd-plus-{args.entries}.ach"
    if not path.exists():
        start = time.perf_counter()
        make_file("ccd+", args.entries, 1, path)
        print(f"made {path} in {time.perf_counter() - start:.1f} s")
    with path.open("rb") as stream:
        records = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    print(f"{path}: {records:,} records, {path.stat().st_size / 2**20:.1f} MiB; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    base = min(floor(path) for _ in range(3))
    lane = "on" if extract.available() else "off (not built or switched off)"
    print(f"pure-Python floor (read lines, slice 3 fields): {base:.2f} s; extractor {lane}")
    # Children first: on Linux a child's ru_maxrss is at least this process's RSS when it forked,
    # so they are measured while this process is still small.
    child(["validate", "--format", "json"], path, records, base)
    child(["describe"], path, records, base)
    child(["remittance"], path, records, base)
    child(["remittance", "--format", "json"], path, records, base)
    in_process("describe (text)", lambda: describe_text(path), records, base)
    in_process("remittance (csv)", lambda: remittance_csv(path), records, base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
