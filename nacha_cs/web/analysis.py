"""One uploaded file, checked once from memory: the validator's report, the records its findings
point at (masked), the remittance rows and the letter to its sender, kept for the downloads.

Glue only: every verdict comes from :mod:`nacha_cs.validate`, every row from
:mod:`nacha_cs.sdu.remittance`, the letter from :mod:`nacha_cs.sdu.notices`.
"""

from __future__ import annotations

import datetime
import io
import json
import secrets
import threading
import time
from collections import OrderedDict
from typing import Any

import attrs

from nacha_cs.ach.reader import read_stream
from nacha_cs.findings import RULES, Finding
from nacha_cs.sdu.notices import Letter, Party, defective_file_letter, to_html, to_markdown
from nacha_cs.sdu.notices.build import NothingToSay
from nacha_cs.sdu.remittance_export import COLUMNS, export
from nacha_cs.validate import Options, Report
from nacha_cs.validate.present import (
    check_stream,
    group_findings,
    place,
    printable,
    record_lines,
    report_json,
)

PER_RULE = 20
"""Findings shown per rule on the page; the JSON report has them all."""


@attrs.frozen
class Shown:
    """One finding as the page shows it: where, what, and its record cut around the bad
    columns so the template can mark them."""

    where: str
    line: int | None
    before: str
    bad: str
    after: str


@attrs.frozen
class Group:
    code: str
    severity: str
    title: str
    hint: str
    count: int
    shown: tuple[Shown, ...]


@attrs.frozen
class Analysis:
    id: str
    name: str
    size: int
    checked: datetime.datetime
    report: Report
    groups: tuple[Group, ...]
    document: dict[str, Any]
    remittance_csv: str
    payments: int
    letter: Letter | None
    """The letter to the file's sender (None: no finding, nothing to write about)."""

    @property
    def valid(self) -> bool:
        return self.report.valid()

    def json_text(self) -> str:
        """The same document `nacha-cs validate --format json` prints for this file."""
        return json.dumps({"files": [self.document]}, indent=2) + "\n"

    def letter_markdown(self) -> str | None:
        return None if self.letter is None else to_markdown(self.letter)

    def letter_html(self) -> str | None:
        """A printable HTML document (its own styles: a download, not a page of this site)."""
        return None if self.letter is None else to_html(self.letter)


def _shown(finding: Finding, records: dict[int, str]) -> Shown:
    line = records.get(finding.line or 0)
    text = printable(line) if line is not None else ""
    if text and finding.column:
        start = finding.column - 1
        end = finding.end_column or finding.column
        before, bad, after = text[:start], text[start:end], text[end:]
    else:
        before, bad, after = text, "", ""
    return Shown(place(finding), finding.line, before, bad, after)


def safe_name(name: str) -> str:
    """The file's own name without any folder, printable, at most 100 characters: it is shown
    and put in download names, never used as a path."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "._- ") else "_" for c in base)
    return cleaned.strip()[:100] or "upload.ach"


def analyse(data: bytes, name: str, today: datetime.date | None = None) -> Analysis:
    """Check ``data`` as an ACH file; nothing is written anywhere. SSNs are masked in all that
    is kept."""
    name = safe_name(name)
    report = check_stream(io.BytesIO(data), Options(), name)
    grouped = group_findings(report)
    wanted = {f.line for group in grouped for f in group[:PER_RULE] if f.line}
    records = record_lines(io.BytesIO(data), wanted, full_ssn=False)
    groups = []
    for group in grouped:
        first = group[0]
        known = RULES.get(first.code)
        groups.append(
            Group(
                code=first.code,
                severity=first.severity,
                title=known.title if known else first.message,
                hint=first.hint or (known.hint if known else ""),
                count=len(group),
                shown=tuple(_shown(f, records) for f in group[:PER_RULE]),
            )
        )
    foreign = any(f.code == "FMT001" for f in report.findings)
    remittance_csv, payments, sender = ",".join(COLUMNS) + "\n", 0, ""
    if not foreign:
        buffer = io.StringIO()
        payments, state = export(io.BytesIO(data), buffer, "csv", name, full_ssn=False)
        if state.readable:
            remittance_csv = buffer.getvalue()
        else:  # the command writes nothing for a file it cannot read: the header alone here
            payments = 0
        ach_file, _ = read_stream(io.BytesIO(data))
        if ach_file is not None:
            sender = ach_file.header.immediate_origin_name.strip() or next(
                (b.header.company_name.strip() for b in ach_file.batches), ""
            )
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        letter: Letter | None = defective_file_letter(
            Party(sender or "the sender of this file"),
            name,
            report.findings,
            date=today or now.date(),
            received=today or now.date(),
        )
    except NothingToSay:
        letter = None
    return Analysis(
        id=secrets.token_urlsafe(18),
        name=name,
        size=len(data),
        checked=now,
        report=report,
        groups=tuple(groups),
        document=report_json(report, strict=False, full_ssn=False),
        remittance_csv=remittance_csv,
        payments=payments,
        letter=letter,
    )


class Results:
    """The last few analyses, in memory only, for their pages and downloads; an analysis older
    than ``ttl`` seconds, or pushed out by newer ones, is gone (the file itself was never
    kept)."""

    def __init__(
        self, capacity: int = 64, ttl: float = 2 * 3600, budget: int = 256_000_000
    ) -> None:
        self.capacity = capacity
        self.ttl = ttl
        self.budget = budget
        """Characters of remittance CSV kept in all (a large file's is the bulk of it)."""
        self._items: OrderedDict[str, tuple[float, Analysis]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, analysis: Analysis) -> None:
        with self._lock:
            self._items[analysis.id] = (time.monotonic(), analysis)
            while len(self._items) > 1 and (
                len(self._items) > self.capacity or self._size() > self.budget
            ):
                self._items.popitem(last=False)

    def _size(self) -> int:
        return sum(len(a.remittance_csv) for _, a in self._items.values())

    def get(self, key: str) -> Analysis | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            stored, analysis = item
            if time.monotonic() - stored > self.ttl:
                del self._items[key]
                return None
            return analysis
