"""How long the web page's pages take on a large ledger, and the check of a large upload.

Builds (in --workdir) a CCD+ file of N entries with `nacha-cs testkit make`, ingests it into a
fresh SQLite ledger with no registers (so every payment waits in suspense: the worst case for
the queue), then times each page in this process through Starlette's test client (the app and
the ledger's queries, not the network), each request --repeat times, best and median.

Usage: python scripts/bench_web.py [--entries 100000] [--repeat 3] [--workdir /tmp/nacha-cs-web]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from starlette.testclient import TestClient

from nacha_cs.sdu.ledger import connect, ingest_file, load_settings, upgrade
from nacha_cs.web import WebConfig, create_app

KEY = "bench-ssn-key-0123456789"

PAGES = (
    "/files",
    "/payments",
    "/payments?format=csv",
    "/suspense",
    "/charts",
    "/statements?employer={ein}&from=2000-01-01&to=2099-12-31",
    "/compliance",
    "/mandate",
)


def _kit(entries: int, folder: Path) -> Path:
    target = folder / f"ccdplus-{entries}"
    made = target / "ccdplus-7-lf.ach"
    if not made.exists():
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "nacha_cs", "testkit", "make", "--kind", "ccd+",
             "--entries", str(entries), "--seed", "7", "--newline", "lf", "-o", str(target)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return made


def _timed(client: TestClient, path: str, repeat: int) -> tuple[float, float, int, int]:
    times = []
    size = status = 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        size, status = len(response.content), response.status_code
    return min(times), statistics.median(times), size, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nacha-cs-web"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    ach = _kit(args.entries, args.workdir)
    database = args.workdir / f"ledger-{args.entries}.db"
    database.unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    os.environ["NACHA_CS_SSN_KEY"] = KEY
    upgrade(url)
    engine = connect(url)
    start = time.perf_counter()
    stored = ingest_file(engine, ach, load_settings())
    print(f"ingest {ach.name}: {stored.status}, {stored.payments:,} payments, "
          f"{time.perf_counter() - start:.1f} s")  # fmt: skip
    engine.dispose()
    client = TestClient(create_app(WebConfig(db_url=url, max_upload=200_000_000)),
                        base_url="http://127.0.0.1")  # fmt: skip
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/").text)
    assert token is not None
    data = ach.read_bytes()
    start = time.perf_counter()
    checked = client.post("/check", data={"csrf_token": token.group(1)},
                          files={"file": (ach.name, data, "text/plain")})  # fmt: skip
    print(f"POST /check ({len(data) / 1e6:.1f} MB): {checked.status_code}, "
          f"{time.perf_counter() - start:.2f} s")  # fmt: skip
    ein = re.search(r",(\d{9}),", client.get("/payments?format=csv").text.splitlines()[1])
    print(f"{'page':<62} {'best s':>8} {'median s':>9} {'bytes':>12} status")
    for template in PAGES:
        path = template.format(ein=ein.group(1) if ein else "")
        best, median, size, status = _timed(client, path, args.repeat)
        print(f"{path:<62} {best:>8.3f} {median:>9.3f} {size:>12,} {status}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
