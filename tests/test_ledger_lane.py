"""Ingest on the compiled lane stores what the record-by-record reader stores.

Every fixture, every kit variant and large kit files with defects scattered through them (LF
and CRLF; one large enough to be validated in a second process, both large enough to be
stored in several chunks) go into two SQLite ledgers, one ingesting with the extractor and one
with ``NACHA_CS_NO_SCAN=1``; every table is then compared row by row. The reader's rows are
also compared directly on generated entries whose fields are the awkward ones.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from conftest import REPO, SSN_KEY
from hypothesis import HealthCheck, given, settings
from sqlalchemy import DateTime, Engine, select
from test_extract import _entries, _join, _kit, _scattered

from nacha_cs.ach.reader import record_chunks
from nacha_cs.bank.kit import EMPLOYERS
from nacha_cs.sdu.ledger import connect, ingest_file, upgrade
from nacha_cs.sdu.ledger.codes import company_ein
from nacha_cs.sdu.ledger.ingest import PROCESS_BYTES
from nacha_cs.sdu.ledger.reading import FileReader, Lane, _extract, lane_available, read_ded
from nacha_cs.sdu.ledger.registers import import_employers, import_orders
from nacha_cs.sdu.ledger.schema import employers, metadata, orders
from nacha_cs.sdu.ledger.settings import LedgerSettings

FIXTURES = REPO / "fixtures"
FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
SAMPLES = FIXTURES / "sdu"
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
built = pytest.mark.skipif(
    _extract is None and os.environ.get("CI") != "true",
    reason="the extractor extension is not built here (CI requires it)",
)


def _ledger(path: Path, settings_: LedgerSettings, kit_files: list[Path]) -> Engine:
    """A ledger with the samples' registers, the kit's employers and an order for two cases
    in three of the kit files (every seventh with another SSN), so payments post, wait for
    want of an order and mismatch."""
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = connect(url)
    assert import_employers(engine, SAMPLES / "employers.csv", as_of=dt.date(2025, 1, 1)).ok
    assert import_orders(engine, SAMPLES / "orders.csv", settings_).ok
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    seen = 0
    for kit_file in kit_files:
        employer = ""
        for raw in kit_file.read_bytes().splitlines():
            line = raw.decode("latin-1").rstrip("\r")
            if line[:1] == "5":
                employer = company_ein(line[40:50])
            elif line[:3] == "705":
                seen += 1
                ded = read_ded(line[3:83])
                if seen % 3 != 2 and ded is not None and (ded.case_id, employer) not in rows:
                    ssn = "512340001" if seen % 7 == 0 else ded.ssn
                    rows[ded.case_id, employer] = {
                        "case_id": ded.case_id, "employer_ein": employer,
                        "ncp_ssn_hash": settings_.ssn_hash(ssn), "ncp_ssn_last4": ssn[-4:],
                        "action": "ORG", "current_support": ded.amount, "past_due_support": 0,
                        "cash_medical": 0, "spousal_support": 0, "other_amount": 0,
                        "lump_sum": 0, "frequency": "B", "arrears_over_12_weeks": False,
                        "status": "active", "updated_at": NOW}
    with engine.begin() as connection:
        known = set(connection.execute(select(employers.c.ein)).scalars())
        connection.execute(employers.insert(), [
            {"ein": company_ein(e.company_id), "name": e.name, "federal_tax_eft": True,
             "updated_at": NOW} for e in EMPLOYERS if company_ein(e.company_id) not in known])
        connection.execute(orders.insert(), list(rows.values()))
    return engine


def _contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in id order (or all columns'), without times that are the clock's."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [c for c in table.c if not isinstance(c.type, DateTime)]
            order = [table.c.id] if "id" in table.c else columns
            out[table.name] = [tuple(row) for row in
                               connection.execute(select(*columns).order_by(*order))]
    return out


@pytest.fixture(scope="module")
def kit_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("lane")
    paths = []
    for kind in ("ccd+", "prenote", "termination", "returns", "mixed", "ctx"):
        path = folder / f"kit-{kind}.ach"
        path.write_bytes(_join(_kit(kind, 400, 9), b"\r\n" if kind == "mixed" else b"\n"))
        paths.append(path)
    big = list(_scattered(_kit("ccd+", 23_000, 12), random.Random(3), 41))
    small = list(_scattered(_kit("ccd+", 11_000, 13), random.Random(4), 29))
    for name, lines, newline in (("lf", big, b"\n"), ("crlf", small, b"\r\n")):
        path = folder / f"scattered-{name}.ach"
        path.write_bytes(_join(lines, newline))
        paths.append(path)
    assert paths[-2].stat().st_size >= PROCESS_BYTES > paths[-1].stat().st_size
    return paths


def _ingest_all(folder: Path, kit_files: list[Path], *, scan: bool) -> tuple[Any, ...]:
    settings_ = LedgerSettings(SSN_KEY.encode(), state="OK")
    engine = _ledger(folder / f"{'scan' if scan else 'python'}.db", settings_, kit_files)
    results = []
    with mock.patch.dict(os.environ, {"NACHA_CS_NO_SCAN": "0" if scan else "1"}):
        assert lane_available() == (scan and _extract is not None)
        for path in [*FIXTURE_FILES, *kit_files]:
            result = ingest_file(engine, path, settings_, keep_invalid=True, now=NOW)
            results.append((result.status, result.message, result.payments, result.posted,
                            result.suspense, result.reviews, result.returns,
                            result.terminations, result.errors, result.warnings))
    contents = _contents(engine)
    engine.dispose()
    return tuple(results), contents


def test_every_file_is_stored_the_same(tmp_path: Path, kit_files: list[Path]) -> None:
    scanned = _ingest_all(tmp_path, kit_files, scan=True)
    python = _ingest_all(tmp_path, kit_files, scan=False)
    assert scanned[0] == python[0]
    for table, rows in python[1].items():
        assert scanned[1][table] == rows, table
    statuses = {status for status, *_ in python[0]}
    assert {"stored", "duplicate"} <= statuses
    assert len(python[1]["payments"]) > 40_000 and len(python[1]["suspense"]) > 1_000
    assert sum(result[3] for result in python[0]) > 5_000  # posted


def _rows(data: bytes, *, lane: bool) -> tuple[list[Any], ...]:
    """The batch, entry, payment and return rows of ``data`` read one way or the other."""
    batches: list[Any] = []
    entries: list[Any] = []
    payments: list[Any] = []
    returns: list[Any] = []
    reader = FileReader(7, batches.append, entries.append, payments.append, returns.append)
    number = 0
    if lane:
        run = Lane(reader, entries, payments).run
        number = run(data, 0, len(data), number)
    else:
        for lines in record_chunks(data, io.BytesIO()):
            for line in lines:
                number += 1
                reader.feed(number, line)
    reader.finish()
    return batches, entries, payments, returns, [number, reader.payments]


@built
def test_the_lane_reads_nearly_all_of_a_clean_file() -> None:
    data = _join(_kit("ccd+", 3000, 5))
    fed = 0
    reader_feed = FileReader.feed

    def counting(self: FileReader, number: int, line: str) -> None:
        nonlocal fed
        fed += 1
        reader_feed(self, number, line)

    with mock.patch.object(FileReader, "feed", counting):
        rows = _rows(data, lane=True)
    assert fed < 100 and rows == _rows(data, lane=False)
    assert len(rows[2]) == 3000


@built
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_entries())
def test_generated_fields_give_the_same_rows(data: bytes) -> None:
    assert _rows(data, lane=True) == _rows(data, lane=False)


def test_the_kinds_table_holds_the_code_sets() -> None:
    from nacha_cs.sdu.ledger.codes import DEBIT_CODES, PRENOTE_CODES
    from nacha_cs.sdu.ledger.reading import KINDS

    assert {f"{c:02d}" for c in range(100) if KINDS[c] & 1} == DEBIT_CODES
    assert {f"{c:02d}" for c in range(100) if KINDS[c] & 2} == PRENOTE_CODES
