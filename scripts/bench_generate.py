"""Benchmark `nacha-cs generate` on a large payroll CSV.

Writes (once, cached in --workdir) a payroll export of N order rows: mostly one order per
employee, every tenth employee with two, across the sample config's CCD+ SDUs, both employers
and a few limit-reached employees. Then runs `nacha-cs generate ... --force` as a child process
and reports its wall time and peak RSS (wait4's rusage, so only that child is measured), and
validates the output once more with `nacha-cs validate` to show the file is clean.

Usage: python scripts/bench_generate.py [--rows 1000000] [--workdir /tmp/nacha-cs-bench-generate]
Target (issue 5): 1,000,000 rows in 5 s or less on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
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


def run(args: list[str]) -> tuple[int, float, float, str]:
    """Exit code, wall seconds, peak RSS in MiB and stderr of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    return process.returncode, elapsed, usage.ru_maxrss / 1024, stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nacha-cs-bench-generate"))
    parser.add_argument("--skip-validate", action="store_true")
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
    command += ["-o", str(output), "--force", "--today", "2026-11-23"]
    code, seconds, rss, stderr = run(command)
    if code != 0:
        print(stderr, file=sys.stderr)
        print(f"generate failed with exit code {code}", file=sys.stderr)
        return 1
    print(
        f"generate: {options.rows:,} rows ({size:.0f} MiB) in {seconds:.2f} s = "
        f"{options.rows / seconds:,.0f} rows/s, peak RSS {rss:.0f} MiB (target: 5 s)"
    )
    if not options.skip_validate:
        check = [sys.executable, "-m", "nacha_cs", "validate", "--format", "json", str(output)]
        code, seconds, rss, _ = run(check)
        print(f"validate again: exit {code} in {seconds:.2f} s, peak RSS {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
