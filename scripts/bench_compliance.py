"""Benchmark `nacha-cs compliance` and `nacha-cs mandate` on a large ledger.

Fills (once, cached in --workdir) a ledger with N payments written straight into its tables
(ingest has its own benchmark): N / 26 cases paid biweekly through 2026, a case in twenty
stopping early, one in fifty paying the wrong amount, one in forty late now and then, spread
over 500 employers. Then runs each command as a child process and reports, from wait4's
rusage, wall time, CPU time and peak RSS: the report streams payments, so memory should follow
the number of orders, not of payments.

Usage: python scripts/bench_compliance.py [--payments 1000000] [--db URL]
           [--workdir /tmp/nacha-cs-bench-compliance]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import insert

from nacha_cs.ach.calendar import add_banking_days
from nacha_cs.sdu import ledger as api
from nacha_cs.sdu.ledger import schema

KEY = "bench-key-0123456789abcdef"
AS_OF = dt.date(2026, 12, 31)
PAY_DATES = [dt.date(2026, 1, 2) + dt.timedelta(days=14 * i) for i in range(26)]
EMPLOYERS = 500


def fill(url: str, payments: int) -> None:
    api.upgrade(url)
    engine = api.connect(url)
    now = dt.datetime.now(dt.timezone.utc)
    cases = max(1, payments // len(PAY_DATES))
    with engine.begin() as c:
        c.execute(insert(schema.employers), [
            {"ein": f"9{e:08d}", "name": f"EMPLOYER {e}", "employee_count": 10 + e % 90,
             "federal_tax_eft": e % 3 == 0, "state": "OK", "updated_at": now}
            for e in range(EMPLOYERS)])
        c.execute(insert(schema.orders), [
            {"case_id": f"{n:09d}", "employer_ein": f"9{n % EMPLOYERS:08d}",
             "ncp_name": f"NCP {n}", "ncp_ssn_hash": f"{n:064d}",
             "ncp_ssn_last4": f"{n % 10000:04d}",
             "action": "ORG", "current_support": 20000, "past_due_support": 0,
             "cash_medical": 0, "spousal_support": 0, "other_amount": 0, "lump_sum": 0,
             "frequency": "B", "arrears_over_12_weeks": False,
             "order_date": dt.date(2025, 12, 1), "iwo_sent_date": dt.date(2025, 12, 1),
             "ack_date": dt.date(2025, 12, 5), "ack_status": "A", "status": "active",
             "updated_at": now} for n in range(cases)])
        (file_id,) = c.execute(insert(schema.files).values(
            sha256="0" * 64, path="bench", size=0, ingested_at=now, batches=1, entries=0,
            addenda=0, total_debit=0, total_credit=0, errors=0, warnings=0, payments=payments,
            returns=0)).inserted_primary_key or (1,)
        rows = []
        seq = 0
        for pay in PAY_DATES:
            for n in range(cases):
                if seq >= payments:
                    break
                if n % 20 == 0 and pay > dt.date(2026, 9, 1):
                    continue  # stopped paying
                seq += 1
                late = n % 40 == 0 and pay.month % 3 == 0
                received = add_banking_days(pay, 9 if late else 2)
                ein = f"9{n % EMPLOYERS:08d}"
                rows.append({
                    "file_id": file_id, "seq": seq, "batch": 1, "entry_line": seq,
                    "trace": f"{seq:015d}", "case_id": f"{n:09d}", "pay_date": pay,
                    "amount": 18000 if n % 50 == 1 else 20000, "terminated": False,
                    "sender_id": "1" + ein, "employer_ein": ein, "received_date": received,
                    "status": "posted", "posted_case": f"{n:09d}"})
                if len(rows) == 50_000:
                    c.execute(insert(schema.payments), rows)
                    rows.clear()
        if rows:
            c.execute(insert(schema.payments), rows)
    engine.dispose()
    print(f"filled {url}: {cases:,} orders, {seq:,} payments", file=sys.stderr)


def run(args: list[str]) -> tuple[float, float, int, int]:
    env = dict(os.environ, NACHA_CS_SSN_KEY=KEY)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "nacha_cs", *args], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None
    lines = sum(1 for _ in child.stdout)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {child.stderr.read().decode()[:500]}"
                         if child.stderr else "failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--db", help="A ledger URL to fill (default: SQLite in --workdir).")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nacha-cs-bench-compliance"))
    args = parser.parse_args()
    os.environ["NACHA_CS_SSN_KEY"] = KEY
    args.workdir.mkdir(parents=True, exist_ok=True)
    url = args.db or f"sqlite:///{args.workdir / f'ledger-{args.payments}.db'}"
    if args.db or not (args.workdir / f"ledger-{args.payments}.db").exists():
        fill(url, args.payments)
    for label, command in (
        ("compliance --format json", ["compliance", "--db", url, "--as-of",
                                      AS_OF.isoformat(), "--format", "json"]),
        ("mandate --format json", ["mandate", "--db", url, "--format", "json"]),
    ):
        wall, cpu, rss, lines = run(command)
        print(f"{label}: {args.payments:,} payments, wall {wall:.1f} s, cpu {cpu:.1f} s, "
              f"peak RSS {rss} MiB, {lines:,} output lines")


if __name__ == "__main__":
    main()
