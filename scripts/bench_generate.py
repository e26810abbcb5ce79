"""Benchmark `nacha-cs generate` on a large payroll CSV.

Writes (once, cached in --workdir) a payroll export of N order rows: mostly one order per
employee, every tenth employee with two, across the sample config's CCD+ SDUs, both employers
and a few limit-reached employees. Then runs `nacha-cs generate ... --force` as a child process
(best of --repeat runs) and reports for it, from wait4's rusage:

* wall time;
* CPU time, user + system, of the command and of the validator process it starts for large
  inputs (the kernel adds a waited-for child's time to its parent's);
* peak RSS of the largest of those processes; and, sampled every 20 ms from /proc, the peak
  of their sum.

Next to it, the pure-Python floor measured in the same run (read each payroll line and split
it at its commas, the least any Python generator must do) and the command's time as a ratio
to it; with ``--compare``, the same command with the compiled lane off
(``NACHA_CS_NO_SCAN=1``: the Python pipeline alone). Finally it validates the output once
more with `nacha-cs validate` to show the file is clean.

Usage: python scripts/bench_generate.py [--rows 1000000] [--repeat 3]
           [--workdir /tmp/nacha-cs-bench-generate] [--skip-validate] [--compare]
Target (issue 13): 1,000,000 rows in 5 s or less on the 2-core reference machine, peak
memory flat.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "fixtures" / "config" / "sample.toml"
HEADER = (
    "employer,employee_id,last_name,first_name,ssn,case_id,sdu,current_support,arrears,"
    "cash_medical,pay_date,gross_pay,mandatory_deductions,disposable_income,"
    "supports_other_family,arrears_over_12_weeks,medical_coverage,terminated\n"
)
LAST = ["Smith", "Gonzalez", "Nguyen", "O'Brien", "Lee", "Washington", "Petrov", "Okafor"]
FIRST = ["Harry", "Maria", "Tuan", "Kathleen", "Ann", "Denise", "Ivan", "Chinedu"]
STATES = ["OK", "TX", "OR", "KS"]  # the sample's CCD+ SDUs


def make_payroll(path: Path, rows: int) -> None:
    """Rows grouped by employer (one batch each), then by employee, as exports come."""
    with open(path, "w", encoding="ascii", newline="") as out:
        out.write(HEADER)
        written = 0
        employee = 0
        half = rows // 2
        while written < rows:
            employee += 1
            employer = "ACME" if written < half else "BLUESTEM"
            orders = 2 if employee % 10 == 0 and written + 2 <= rows else 1
            ssn = f"{400 + employee % 250}-{10 + employee % 89:02d}-{1000 + employee % 8999:04d}"
            gross = 60_000 + (employee * 7919) % 240_000
            deductions = gross // 4
            tight = employee % 25 == 0  # orders beyond the limit: prorated
            for order in range(orders):
                current = (gross - deductions) * (7 if tight else 3) // 10 + order * 1_000
                state = STATES[(employee + order) % len(STATES)]
                out.write(
                    f"{employer},E{employee:08d},{LAST[employee % 8]},{FIRST[employee % 8]},"
                    f"{ssn},C{employee:08d}{order},{state},{current // 100}.{current % 100:02d},"
                    f"{'25.00' if order == 0 and tight else ''},,2026-11-20,"
                    f"{gross // 100}.{gross % 100:02d},{deductions // 100}.{deductions % 100:02d},"
                    f",N,N,{'Y' if employee % 3 else 'N'},N\n"
                )
                written += 1


@dataclass
class Run:
    code: int
    wall: float
    cpu: float
    """User + system seconds of the process and its waited-for children."""
    rss: float
    """Peak RSS of the largest process, MiB."""
    tree_rss: float
    """Peak of the summed RSS of the process and its children, MiB (sampled)."""
    stderr: str


def floor(path: Path) -> tuple[int, float, float]:
    """Rows, and the best wall and CPU seconds of three runs of reading each line and
    splitting it at its commas."""
    best_wall = best_cpu = float("inf")
    rows = 0
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        rows = cells = 0
        with open(path, encoding="utf-8", newline="") as stream:
            next(stream)
            for line in stream:
                rows += 1
                cells += len(line.split(","))
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return rows, best_wall, best_cpu


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(child) for child in children.read().split()]
    except OSError:
        return []


def run(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run one child process; measure it (and its children) while it runs and after."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stderr is not None
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            total = sum(_rss_kib(pid) for pid in [process.pid, *_children(process.pid)])
            peak[0] = max(peak[0], total)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        code=process.returncode,
        wall=elapsed,
        cpu=usage.ru_utime + usage.ru_stime,
        rss=usage.ru_maxrss / 1024,
        tree_rss=peak[0] / 1024,
        stderr=stderr,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nacha-cs-bench-generate"))
    parser.add_argument("--repeat", type=int, default=1, help="runs; the best is reported")
    parser.add_argument("--skip-validate", action="store_true")
    parser.add_argument("--compare", action="store_true",
                        help="also run with the compiled lane off (NACHA_CS_NO_SCAN=1)")
    options = parser.parse_args()
    options.workdir.mkdir(parents=True, exist_ok=True)
    payroll = options.workdir / f"payroll-{options.rows}.csv"
    output = options.workdir / f"generated-{options.rows}.ach"
    if not payroll.exists():
        start = time.perf_counter()
        make_payroll(payroll, options.rows)
        print(f"wrote {payroll} in {time.perf_counter() - start:.1f} s")
    size = payroll.stat().st_size / 2**20
    # The command object itself, so the benchmark runs whether or not the group lists it yet.
    command = [sys.executable, "-c", "from nacha_cs.cli.generate import generate; generate()"]
    command += [str(payroll), "-c", str(CONFIG)]
    # A fresh fee record each run: the one beside the sample config would grow with every run
    # (a million employees' fees each time) and the benchmark would measure its size.
    fee_record = options.workdir / "bench.fees.sqlite"
    command += ["-o", str(output), "--force", "--today", "2026-11-23",
                "--fee-record", str(fee_record)]
    runs = []
    for _ in range(options.repeat):
        fee_record.unlink(missing_ok=True)
        result = run(command)
        if result.code != 0:
            print(result.stderr, file=sys.stderr)
            print(f"generate failed with exit code {result.code}", file=sys.stderr)
            return 1
        runs.append(result)
    best = min(runs, key=lambda r: r.cpu)
    rows, floor_wall, floor_cpu = floor(payroll)
    print(f"python floor: {rows:,} rows read and split in {floor_wall:.2f} s "
          f"({floor_cpu:.2f} s CPU)")
    print(
        f"generate: {options.rows:,} rows ({size:.0f} MiB) in {best.wall:.2f} s wall "
        f"({options.rows / best.wall:,.0f} rows/s) = {floor_wall / best.wall:.2f}x the floor, "
        f"{best.cpu:.2f} s CPU, peak RSS {best.rss:.0f} MiB (largest process), "
        f"{best.tree_rss:.0f} MiB (all, sampled)"
    )
    if len(runs) > 1:
        print(
            f"  best of {len(runs)} by CPU time; wall "
            + ", ".join(f"{r.wall:.2f}" for r in runs)
            + " s; CPU "
            + ", ".join(f"{r.cpu:.2f}" for r in runs)
            + " s"
        )
    if options.compare:
        fee_record.unlink(missing_ok=True)
        plain = run(command, env={**os.environ, "NACHA_CS_NO_SCAN": "1"})
        print(
            f"  without the compiled lane (NACHA_CS_NO_SCAN=1): {plain.wall:.2f} s wall, "
            f"{plain.cpu:.2f} s CPU, peak RSS {plain.rss:.0f} MiB"
        )
    verdict = "met" if best.wall <= 5.0 else "NOT met"
    if options.rows < 1_000_000:
        verdict = "not judged (fewer rows)"
    print(f"target (issue 13): 1,000,000 rows in 5 s: {verdict} "
          f"({best.wall * 1_000_000 / options.rows:.2f} s per million rows wall, "
          f"{best.cpu * 1_000_000 / options.rows:.2f} s CPU)")
    if os.getloadavg()[0] > 1.0:
        print(
            f"note: load average {os.getloadavg()[0]:.1f}; other work on this machine slows "
            "wall time, CPU time less so"
        )
    if not options.skip_validate:
        check = [sys.executable, "-m", "nacha_cs", "validate", "--format", "json", str(output)]
        result = run(check)
        print(
            f"validate again: exit {result.code} in {result.wall:.2f} s, "
            f"peak RSS {result.rss:.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
