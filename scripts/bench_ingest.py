"""Benchmark `ingest` of a large CCD+ file into the SDU ledger: SQLite, and PostgreSQL when a
URL is given.

Generates (once, cached in --workdir) a test-kit CCD+ file of N payments, and a smaller one to
show that memory does not grow with the file. For each database: a fresh ledger, the kit's
employers registered and (unless --no-orders) an order for every case in the file with its
NCP's SSN, so payments post as they would at an SDU rather than all going to suspense. Then
one child process ingests the file; its wall time and peak RSS (wait4's rusage, that child
only) are printed. Registering orders is set-up, not timed.

Usage: python scripts/bench_ingest.py [--payments 1000000] [--pg postgresql+psycopg://...]
Target on the 2-core reference machine: 1,000,000 payments into SQLite in < 30 s, flat memory.
Measured 2026-12-03 (a fuzzer running niced beside it): SQLite 1,000,000 in 20.2 s, peak RSS
107 MiB (109 MiB at 100,000); PostgreSQL 15 on loopback 88.0 s, peak RSS 92 MiB.
Later that day, on a busier shared machine, before and after payments were read on the
compiled extractor (and posting and bulk inserts lost their per-row Python): SQLite 1,000,000
in 51.6-54.5 s to 42.7-46.1 s (child CPU 51-52 s to 38-46 s), 200,000 in 10.8-12.5 s to
7.0-10.7 s; peak RSS 107 to 102 MiB. A line under each figure says which reader ran
(``NACHA_CS_NO_SCAN=1`` in the environment measures the Python one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from nacha_cs.ach.reader import iter_raw_records
from nacha_cs.bank.kit import EMPLOYERS, make_file
from nacha_cs.sdu.ledger import connect, upgrade
from nacha_cs.sdu.ledger.bulk import BulkInsert
from nacha_cs.sdu.ledger.codes import company_ein
from nacha_cs.sdu.ledger.reading import read_ded
from nacha_cs.sdu.ledger.registers import refresh_statistics
from nacha_cs.sdu.ledger.schema import employers, orders
from nacha_cs.sdu.ledger.settings import LedgerSettings, ensure_key

KEY = "bench-key-0123456789abcdef"
CHILD = """
import json, sys, time
from nacha_cs.sdu.ledger import connect
from nacha_cs.sdu.ledger.ingest import ingest_file
from nacha_cs.sdu.ledger.reading import lane_available
from nacha_cs.sdu.ledger.settings import LedgerSettings
engine = connect(sys.argv[1])
start = time.perf_counter()
result = ingest_file(engine, sys.argv[2], LedgerSettings(sys.argv[3].encode()))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "status": result.status, "payments": result.payments,
                  "posted": result.posted, "suspense": result.suspense,
                  "message": result.message, "lane": lane_available()}))
"""


def kit_file(workdir: Path, payments: int) -> Path:
    path = workdir / f"ccd-plus-{payments}.ach"
    if not path.exists():
        print(f"making {path} ...", flush=True)
        make_file("ccd+", payments, 7, path)
    return path


def register(url: str, path: Path, with_orders: bool) -> int:
    """The kit's employers, and an order per (case, employer) of the file; returns orders."""
    upgrade(url)
    engine = connect(url)
    settings = LedgerSettings(KEY.encode())
    ensure_key(engine, settings)
    now = dt.datetime.now(dt.timezone.utc)
    count = 0
    with engine.begin() as connection:
        connection.execute(employers.insert(), [
            {"ein": company_ein(e.company_id), "name": e.name, "federal_tax_eft": True,
             "updated_at": now} for e in EMPLOYERS])
        if with_orders:
            columns = ("case_id", "employer_ein", "ncp_ssn_hash", "ncp_ssn_last4", "action",
                       "current_support", "past_due_support", "cash_medical", "spousal_support",
                       "other_amount", "lump_sum", "frequency", "arrears_over_12_weeks",
                       "status", "updated_at")
            insert = BulkInsert(connection, orders, columns)
            seen: set[tuple[str, str]] = set()
            rows: list[tuple[object, ...]] = []
            employer = ""
            with open(path, "rb") as stream:
                for _, line in iter_raw_records(stream):
                    if line[:1] == "5":
                        employer = company_ein(line[40:50])
                    elif line[:3] == "705":
                        ded = read_ded(line[3:83])
                        if ded is None or (ded.case_id, employer) in seen:
                            continue
                        seen.add((ded.case_id, employer))
                        rows.append((ded.case_id, employer, settings.ssn_hash(ded.ssn),
                                     ded.ssn[-4:], "ORG", ded.amount, 0, 0, 0, 0, 0, "B",
                                     False, "active", now))
                        if len(rows) >= 10_000:
                            insert.execute(rows)
                            count += len(rows)
                            rows.clear()
            insert.execute(rows)
            count += len(rows)
    refresh_statistics(engine, employers, orders)  # as orders import and employers import do
    engine.dispose()
    os.sync()  # the registers' pages reach the disk before the clock starts, not during
    return count


def register_apart(url: str, path: Path, with_orders: bool) -> None:
    """:func:`register` in its own process: Linux carries a process's peak RSS over fork and
    exec, so a parent grown by a million orders would inflate the child's figure."""
    subprocess.run([sys.executable, __file__, "--register", url, str(path),
                    "orders" if with_orders else "none"], check=True)


def measure(url: str, path: Path) -> dict[str, object]:
    env = dict(os.environ)
    env.pop("NACHA_CS_SDU_STATE", None)  # kit files pay five states' SDUs: no FIPS check
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, str(path), KEY],
                             stdout=subprocess.PIPE, env=env, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"the ingest child failed (status {status})")
    result: dict[str, object] = json.loads(out)
    result["peak_rss_mib"] = usage.ru_maxrss / 1024
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return result


def report(label: str, result: dict[str, object], payments: int) -> None:
    seconds = float(result["seconds"])  # type: ignore[arg-type]
    print(f"{label}: {payments:,} payments in {seconds:.1f} s "
          f"({payments / seconds:,.0f}/s, child CPU {result['cpu_seconds']:.1f} s), "
          f"peak RSS {result['peak_rss_mib']:.0f} MiB; "
          f"{result['posted']:,} posted, {result['suspense']:,} in suspense", flush=True)
    reading = ("compiled extractor (clean CCD+ units in C, the rest in Python)" if result["lane"]
               else "Python reader only (extractor not built, or NACHA_CS_NO_SCAN/PURE=1)")
    print(f"  payments read by: {reading}", flush=True)


def sqlite_run(workdir: Path, path: Path, payments: int, with_orders: bool) -> None:
    db = workdir / f"bench-{payments}.db"
    for leftover in (db, db.with_name(db.name + "-journal")):
        leftover.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    register_apart(url, path, with_orders)
    report(f"SQLite     {db.name}", measure(url, path), payments)


def postgres_run(base: str, path: Path, payments: int, with_orders: bool) -> None:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    try:
        register_apart(url, path, with_orders)
        report("PostgreSQL", measure(url, path), payments)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> int:
    if sys.argv[1:2] == ["--register"]:
        register(sys.argv[2], Path(sys.argv[3]), sys.argv[4] == "orders")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000,
                        help="a second, smaller file, to compare peak RSS (0: none)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nacha-cs-bench"))
    parser.add_argument("--pg", metavar="URL", help="also ingest into this PostgreSQL "
                        "(postgresql+psycopg://...; a fresh schema is made and dropped)")
    parser.add_argument("--no-orders", action="store_true",
                        help="register no orders: every payment goes to suspense")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = [n for n in (args.small, args.payments) if n]
    for size in sizes:
        path = kit_file(args.workdir, size)
        start = time.perf_counter()
        sqlite_run(args.workdir, path, size, not args.no_orders)
        if args.pg:
            postgres_run(args.pg, path, size, not args.no_orders)
        print(f"  (set-up and runs took {time.perf_counter() - start:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
