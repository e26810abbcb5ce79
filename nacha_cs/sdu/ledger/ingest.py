"""Ingest: validate an ACH file and store it, its batches, entries, payments and returns, in one
transaction: all or nothing, so a crash or a kill leaves the ledger as it was.

The file streams once through the validator (in a second process for a large file) and the
reader together; rows go to the database in chunks (``executemany``), so memory stays flat. The
same bytes twice are refused before any work (sha256, and a unique constraint for two ingests
racing); the same logical file with other bytes is stored and flagged; a payment seen in an
earlier file is stored and flagged for review.
A file with validation errors is refused unless the caller keeps it anyway (``keep_invalid``):
its money is real, but what it says about that money may not be.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from collections.abc import Callable
from typing import Any, Literal

import attrs
from sqlalchemy import Connection, Engine, func, literal, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from nacha_cs.ach.reader import (
    CHUNK_SIZE,
    is_unbroken,
    iter_raw_records,
    line_records,
    line_spans,
    record_chunks,
)
from nacha_cs.ach.sniff import HEAD_BYTES, sniff_finding
from nacha_cs.findings import Finding
from nacha_cs.privacy import mask_ded_text
from nacha_cs.sdu.ledger.bulk import BulkInsert
from nacha_cs.sdu.ledger.db import LedgerError, describe_error
from nacha_cs.sdu.ledger.posting import PAYMENT_COLUMNS, Poster, link_returns
from nacha_cs.sdu.ledger.reading import (
    ENTRY_COLUMNS,
    FileReader,
    Lane,
    ReadPayment,
    Row,
    lane_available,
)
from nacha_cs.sdu.ledger.schema import (
    batches,
    entries,
    files,
    findings,
    payments,
    returns,
    reviews,
    suspense,
)
from nacha_cs.sdu.ledger.settings import LedgerSettings, ensure_key
from nacha_cs.validate import Options, Summary, Validator, validate_path
from nacha_cs.validate.process import ValidatorProcess, ValidatorProcessFailed

CHUNK = 10_000
"""Rows sent to the database at once."""
PROCESS_BYTES = 4_000_000
"""Files at least this large are validated in a second process, beside the storing."""

Status = Literal["stored", "duplicate", "rejected", "unreadable"]


@attrs.frozen
class IngestResult:
    """What became of one file. ``exit_code`` follows ``nacha-cs validate``: 0 stored (or
    already stored), 1 refused for errors, 2 unreadable."""

    path: str
    status: Status
    message: str
    sha256: str = ""
    file_id: int | None = None
    first_ingested_at: dt.datetime | None = None
    same_as_file_id: int | None = None
    payments: int = 0
    posted: int = 0
    suspense: int = 0
    reviews: int = 0
    returns: int = 0
    terminations: int = 0
    errors: int = 0
    warnings: int = 0
    findings: tuple[Finding, ...] = ()

    @property
    def exit_code(self) -> int:
        return {"stored": 1 if self.errors else 0, "duplicate": 0, "rejected": 1,
                "unreadable": 2}[self.status]


class _Rejected(Exception):
    def __init__(self, result: IngestResult) -> None:
        super().__init__(result.message)
        self.result = result


def file_sha256(path: str | os.PathLike[str]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def find_file(connection: Connection, sha256: str) -> Row | None:
    found = connection.execute(
        select(files.c.id, files.c.ingested_at, files.c.path).where(files.c.sha256 == sha256)
    ).mappings().first()
    return None if found is None else dict(found)


def _duplicate(path: str, sha256: str, first: Row) -> IngestResult:
    when = first["ingested_at"]
    shown = when.strftime("%Y-%m-%d %H:%M:%S UTC") if isinstance(when, dt.datetime) else when
    return IngestResult(path, "duplicate",
                        f"already ingested on {shown} as file {first['id']} "
                        f"({first['path']}); not stored again", sha256, first["id"], when)


def ingest_file(
    engine: Engine,
    path: str | os.PathLike[str],
    settings: LedgerSettings,
    *,
    stream: io.BufferedReader | None = None,
    options: Options | None = None,
    keep_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
    now: dt.datetime | None = None,
) -> IngestResult:
    """Validate and store one file; see the module docstring. ``stream`` (an open reader on
    ``path``, e.g. one that draws a progress bar) replaces opening ``path``; ``progress`` is
    called with the records read so far after each chunk is stored. Raises OSError when the
    file cannot be read and LedgerError for a database problem."""
    name = os.fspath(path)
    sha256, size = file_sha256(path)
    try:
        with engine.connect() as connection:
            first = find_file(connection, sha256)
        if first is not None:
            return _duplicate(name, sha256, first)
        ensure_key(engine, settings)
        if stream is None:
            with open(path, "rb") as opened:
                return _ingest(engine, name, sha256, size, opened, settings, options,
                               keep_invalid, progress, now)
        return _ingest(engine, name, sha256, size, stream, settings, options, keep_invalid,
                       progress, now)
    except _Rejected as rejected:
        return rejected.result
    except IntegrityError:
        # Another ingest stored the same bytes between our look and our insert.
        with engine.connect() as connection:
            first = find_file(connection, sha256)
        if first is None:
            raise
        return _duplicate(name, sha256, first)
    except SQLAlchemyError as error:
        raise LedgerError(describe_error(str(engine.url), error)) from error


def _ingest(engine: Engine, path: str, sha256: str, size: int, stream: io.BufferedReader,
            settings: LedgerSettings, options: Options | None, keep_invalid: bool,
            progress: Callable[[int], None] | None, now: dt.datetime | None) -> IngestResult:
    head = stream.peek(HEAD_BYTES)[:HEAD_BYTES]
    foreign = sniff_finding(head)
    if foreign is not None:
        return IngestResult(path, "unreadable", foreign.message, sha256, errors=1,
                            findings=(foreign,))
    stamp = now or dt.datetime.now(dt.timezone.utc)
    with engine.begin() as connection:
        # The first statement writes: SQLite takes its write lock here (waiting for another
        # writer), and the unique sha256 settles a race with a concurrent ingest at once.
        inserted = connection.execute(
            files.insert().values(sha256=sha256, path=path, size=size, ingested_at=stamp,
                                  batches=0, entries=0, addenda=0, total_debit=0,
                                  total_credit=0, errors=0, warnings=0, payments=0, returns=0)
        ).inserted_primary_key
        assert inserted is not None
        file_id = int(inserted[0])
        store = _Store(connection, file_id, settings, stamp)
        reader = FileReader(file_id, store.batch, store.entry, store.payment, store.ret)
        checker = _Checker(path, size, options)
        source: Any = _Tee(stream, checker) if checker.process is not None else stream
        try:
            _read(source, reader, store, checker.feed, progress)
            reader.finish()
            found_list, summary = checker.finish()
        finally:
            checker.abort()
        found = tuple(found_list)
        errors = sum(1 for f in found if f.severity == "error")
        warnings = len(found) - errors
        if errors and not keep_invalid:
            raise _Rejected(IngestResult(
                path, "rejected", f"not stored: {errors} validation error(s); run "
                f"`nacha-cs validate {path}` (or ingest --keep-invalid to store it anyway)",
                sha256, errors=errors, warnings=warnings, findings=found))
        store.flush()
        header = reader.header
        same = _same_logical_file(connection, file_id, header, summary.total_debit,
                                  summary.total_credit)
        connection.execute(update(files).where(files.c.id == file_id).values(
            immediate_destination=header.immediate_destination,
            immediate_origin=header.immediate_origin, creation_date=header.creation_date,
            creation_time=header.creation_time, file_id_modifier=header.file_id_modifier,
            batches=summary.batches, entries=summary.entries, addenda=summary.addenda,
            total_debit=summary.total_debit, total_credit=summary.total_credit,
            errors=errors, warnings=warnings, payments=reader.payments,
            returns=store.returns_count, same_as_file_id=same))
        if found:
            _store_findings(connection, file_id, found)
        pending = _open_suspense(connection, file_id, stamp)
        flagged = _flag_duplicate_payments(connection, file_id, stamp)
    message = f"stored as file {file_id}: {reader.payments:,} payment(s), {pending:,} in suspense"
    if same is not None:
        message += f"; the same logical file as file {same} (other bytes): check it is not resent"
    if flagged:
        message += f"; {flagged:,} payment(s) seen in an earlier file, flagged for review"
    return IngestResult(path, "stored", message, sha256, file_id, stamp, same,
                        reader.payments, reader.payments - pending, pending, flagged,
                        store.returns_count, store.poster.terminations, errors, warnings, found)


def _read(source: Any, reader: FileReader, store: _Store,
          feed: Callable[[int, str], object] | None,
          progress: Callable[[int], None] | None) -> None:
    """Every record of ``source`` to the reader (and to ``feed``, the in-process validator),
    on the compiled lane when it can run (:func:`lane_available`, a file with line breaks),
    else record by record. After each chunk read, as many rows as there are go to the
    database once there are :data:`CHUNK` of them."""
    number = 0

    def chunk_done() -> None:
        if reader.header.creation_date is not None:
            store.received = reader.header.creation_date
        if store.pending() >= CHUNK:
            store.flush()
            if progress is not None:
                progress(number)

    counted: Any = _Reads(source)  # a BinaryIO as far as the readers ask (read only)
    first = counted.read(CHUNK_SIZE)
    if not lane_available() or is_unbroken(first):
        for lines in record_chunks(first, counted):
            for line in lines:
                number += 1
                if feed is not None:
                    feed(number, line)
                reader.feed(number, line)
            chunk_done()
        return
    lane = Lane(reader, store.entry_rows, store.payment_rows)
    seen = counted.reads
    checked = 0
    for buf, begin, end in line_spans(first, counted):
        if counted.reads != seen:  # a chunk was read: the one before is all read here
            seen = counted.reads
            chunk_done()
        if feed is not None:
            for raw in buf[begin:end - 1].split(b"\n"):
                for line in line_records(raw):
                    checked += 1
                    feed(checked, line)
        number = lane.run(buf, begin, end, number)
    chunk_done()


class _Reads:
    """A reader that counts its reads, so the compiled lane stores rows after the same
    chunks as the record-by-record loop (whose chunks are one read each), not after the
    pieces :func:`line_spans` cuts them into."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.reads = 0

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        data: bytes = self._stream.read(size)
        return data


class _Checker:
    """The validator's verdict on the file being stored. A large file is checked by
    :class:`~nacha_cs.validate.process.ValidatorProcess` (``validate_stream`` in a
    second process, on the second core) from the bytes this one reads; a small one, or when
    that process cannot help, by a :class:`Validator` fed record by record here."""

    def __init__(self, path: str, size: int, options: Options | None) -> None:
        self.path = path
        self.options = options or Options()
        self.process: ValidatorProcess | None = None
        self.validator: Validator | None = None
        if size >= PROCESS_BYTES:
            try:
                self.process = ValidatorProcess(self.options)
            except ValidatorProcessFailed:
                self.process = None
        if self.process is None:
            self.validator = Validator(self.options, keep_traces=False)
        self.feed = None if self.validator is None else self.validator.feed

    def send(self, data: bytes) -> None:
        if self.process is not None:
            self.process.send(data)

    def finish(self) -> tuple[list[Finding], Summary]:
        if self.process is not None:
            try:
                return self.process.finish()
            except ValidatorProcessFailed:  # no verdict from there: read the file again here
                self.process = None
                report = validate_path(self.path, self.options)
                return report.findings, report.summary
        validator = self.validator
        assert validator is not None
        summary = validator.finish()
        if validator.traces_may_repeat():
            with open(self.path, "rb") as again:
                validator.check_duplicate_traces(iter_raw_records(again))
        return validator.findings, summary

    def abort(self) -> None:
        if self.process is not None:
            self.process.abort()


class _Tee:
    """A binary reader that also hands every block it reads to the validator process."""

    def __init__(self, stream: io.BufferedReader, checker: _Checker) -> None:
        self._stream = stream
        self._checker = checker

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if data:
            self._checker.send(data)
        return data

    def seekable(self) -> bool:
        return False


class _Store:
    """Buffers the reader's rows and writes them in chunks inside the file's transaction."""

    def __init__(self, connection: Connection, file_id: int, settings: LedgerSettings,
                 stamp: dt.datetime) -> None:
        self.connection = connection
        self.file_id = file_id
        self.received = stamp.date()
        self.poster = Poster(connection, settings, self.received)
        self._entry_insert = BulkInsert(connection, entries, ENTRY_COLUMNS)
        self._payment_insert = BulkInsert(connection, payments, PAYMENT_COLUMNS)
        self._batches: list[Row] = []
        self.entry_rows: list[tuple[Any, ...]] = []
        self.payment_rows: list[ReadPayment] = []
        self._returns: list[Row] = []
        self.returns_count = 0

    def pending(self) -> int:
        return len(self.entry_rows) + len(self.payment_rows)

    def batch(self, row: Row) -> None:
        self._batches.append(row)

    def entry(self, row: tuple[Any, ...]) -> None:
        self.entry_rows.append(row)

    def payment(self, row: ReadPayment) -> None:
        self.payment_rows.append(row)

    def ret(self, row: Row) -> None:
        self._returns.append(row)

    def flush(self) -> None:
        connection = self.connection
        self.poster.received = self.received
        if self._batches:
            connection.execute(batches.insert(), self._batches)
            self._batches.clear()
        if self.entry_rows:
            self._entry_insert.execute(self.entry_rows)
            self.entry_rows.clear()
        if self.payment_rows:
            self._payment_insert.execute(self.poster.post(self.payment_rows))
            self.payment_rows.clear()
        if self._returns:
            connection.execute(returns.insert(),
                               link_returns(connection, self.file_id, self._returns,
                                            self.received))
            self.returns_count += len(self._returns)
            self._returns.clear()


def _same_logical_file(connection: Connection, file_id: int, header: Any, debit: int,
                       credit: int) -> int | None:
    """An earlier file with the same immediate origin, creation date and time, file ID
    modifier and totals: the same file sent again with other bytes."""
    c = files.c
    query = select(c.id).where(
        c.id != file_id, c.immediate_origin == header.immediate_origin,
        c.creation_date == header.creation_date, c.creation_time == header.creation_time,
        c.file_id_modifier == header.file_id_modifier, c.total_debit == debit,
        c.total_credit == credit).order_by(c.id).limit(1)
    found = connection.execute(query).scalar_one_or_none()
    return None if found is None else int(found)


def _store_findings(connection: Connection, file_id: int, found: tuple[Finding, ...]) -> None:
    rows = [{"file_id": file_id, "code": f.code, "severity": f.severity, "line": f.line,
             "column": f.column, "field": f.field, "message": mask_ded_text(f.message)}
            for f in found]
    for start in range(0, len(rows), CHUNK):
        connection.execute(findings.insert(), rows[start:start + CHUNK])


def _open_suspense(connection: Connection, file_id: int, stamp: dt.datetime) -> int:
    """One suspense item per payment of the file that could not be posted."""
    p = payments.c
    query = select(p.id, p.suspense_reason, literal(stamp, suspense.c.created_at.type)).where(
        p.file_id == file_id, p.suspense_reason.is_not(None))
    connection.execute(
        suspense.insert().from_select(["payment_id", "reason", "created_at"], query))
    return _count(connection, suspense.c.payment_id.in_(
        select(p.id).where(p.file_id == file_id)))


def _flag_duplicate_payments(connection: Connection, file_id: int, stamp: dt.datetime) -> int:
    """Seed 001's double payment: the same employer, case, pay date and amount in an earlier
    file is flagged for a person to review, never silently counted twice."""
    if connection.dialect.name == "postgresql":
        # Fresh statistics first: the file's rows (seen by this transaction) may be most of
        # the table, and with stale or no statistics the planner scans instead of looking up.
        connection.exec_driver_sql(f"ANALYZE {payments.name}")
    new = payments.alias("new")
    old = payments.alias("old")
    # A correlated lookup per new payment, which both databases answer from the index on
    # (case_id, pay_date, amount) even before PostgreSQL has statistics for the table (a join
    # here was planned as a scan of every payment for every new one).
    earlier = select(func.min(old.c.id)).where(
        old.c.case_id == new.c.case_id, old.c.pay_date == new.c.pay_date,
        old.c.amount == new.c.amount, old.c.employer_ein == new.c.employer_ein,
        old.c.file_id != new.c.file_id).scalar_subquery()
    pairs = select(new.c.id.label("payment_id"), earlier.label("other_id")).where(
        new.c.file_id == file_id, new.c.case_id.is_not(None)).subquery("pairs")
    query = select(pairs.c.payment_id, pairs.c.other_id,
                   literal("duplicate_payment", reviews.c.reason.type),
                   literal(stamp, reviews.c.created_at.type)).where(pairs.c.other_id.is_not(None))
    connection.execute(reviews.insert().from_select(
        ["payment_id", "other_payment_id", "reason", "created_at"], query))
    return _count(connection, reviews.c.payment_id.in_(
        select(payments.c.id).where(payments.c.file_id == file_id)))


def _count(connection: Connection, condition: Any) -> int:
    """Rows of a table that meet ``condition`` (rowcount of INSERT ... SELECT is not
    reliable across drivers)."""
    table = condition.left.table
    return int(connection.execute(
        select(func.count()).select_from(table).where(condition)).scalar_one())
