"""Ingest under stress, on SQLite and PostgreSQL: two processes racing to store the same file
(exactly one does), and a process killed with SIGKILL inside its transaction (the ledger is as
it was, and the file can be ingested again)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SSN_KEY, Ledger
from sqlalchemy import func, select

from nacha_cs.bank.kit import make_file
from nacha_cs.sdu.ledger import ingest_file
from nacha_cs.sdu.ledger.ingest import PROCESS_BYTES
from nacha_cs.sdu.ledger.schema import entries, files, payments, suspense
from nacha_cs.validate import validate_path

WORKER = """
import json, os, sys, time
from nacha_cs.sdu.ledger import connect, ingest_file, load_settings
url, path, go, mode = sys.argv[1:5]
engine = connect(url)
settings = load_settings()
while not os.path.exists(go):
    time.sleep(0.005)
def stall(records):
    if mode == "stall":
        print("inside", records, flush=True)
        time.sleep(60)
result = ingest_file(engine, path, settings, progress=stall)
print(json.dumps({"status": result.status, "file_id": result.file_id}), flush=True)
"""


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid CCD+ file of 30,000 payments: several chunks, so a kill lands mid-way."""
    path = tmp_path_factory.mktemp("kit") / "ccd-30k.ach"
    make_file("ccd+", 30_000, 11, path)
    return path


def start(ledger: Ledger, path: Path, go: Path, mode: str) -> subprocess.Popen[str]:
    env = dict(os.environ, NACHA_CS_SSN_KEY=SSN_KEY, NACHA_CS_SDU_STATE="OK",
               PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-c", WORKER, ledger.url, str(path), str(go), mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def counts(ledger: Ledger) -> tuple[int, ...]:
    with ledger.engine.connect() as connection:
        return tuple(int(connection.execute(select(func.count()).select_from(t)).scalar_one())
                     for t in (files, entries, payments, suspense))


def test_two_concurrent_ingests_store_the_file_once(ledger: Ledger, big_file: Path,
                                                    tmp_path: Path) -> None:
    go = tmp_path / "go"
    workers = [start(ledger, big_file, go, "race") for _ in range(2)]
    time.sleep(1.5)  # both have imported, connected and are waiting at the line
    go.touch()
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(o["status"] for o in outcomes) == ["duplicate", "stored"]
    assert outcomes[0]["file_id"] == outcomes[1]["file_id"]
    assert counts(ledger) == (1, 30_000, 30_000, 30_000)


def test_kill_9_mid_ingest_leaves_the_ledger_as_it_was(ledger: Ledger, big_file: Path,
                                                       tmp_path: Path) -> None:
    first = ingest_file(ledger.engine, REPO / "fixtures" / "sdu" / "acme-2025-03-07.ach",
                        ledger.settings)
    assert first.status == "stored"
    before = counts(ledger)
    go = tmp_path / "go"
    go.touch()
    worker = start(ledger, big_file, go, "stall")
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert line.startswith("inside"), worker.stderr.read() if worker.stderr else line
    assert int(line.split()[1]) > 0  # rows were written inside the open transaction
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert counts(ledger) == before
    again = ingest_file(ledger.engine, big_file, ledger.settings)
    assert again.status == "stored", again.message
    assert counts(ledger)[2] == before[2] + 30_000


def test_a_large_file_is_checked_beside_the_storing_with_the_same_verdict(
        ledger: Ledger, big_file: Path, tmp_path: Path) -> None:
    """Past PROCESS_BYTES the validator runs in a second process: its findings are those of
    `validate`, and a file with errors is still refused whole."""
    lines = big_file.read_text().splitlines()
    middle = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("6"))
    lines[middle] = lines[middle][:29] + "0000000001" + lines[middle][39:]  # an amount
    bad = tmp_path / "bad.ach"
    bad.write_text("\n".join(lines) + "\n")
    assert bad.stat().st_size >= PROCESS_BYTES
    result = ingest_file(ledger.engine, bad, ledger.settings)
    assert result.status == "rejected"
    expected = validate_path(bad)
    assert [(f.code, f.line) for f in result.findings] == [
        (f.code, f.line) for f in expected.findings]
    assert counts(ledger) == (0, 0, 0, 0)
