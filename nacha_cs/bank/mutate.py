"""Known-bad variants of a valid file: one targeted edit each, with the findings it must raise.

For every rule a single edit can break, :func:`variants` finds the first record of the file the
rule applies to, makes the edit and says which finding follows: the rule's code (from the rule
catalogue), the line of the edited record, and, where the rule is about one field, the first
column and the name of that field (from the record layouts, or from the element's place in the
DED or the 820). The expectation is written from the edit, never read from the validator; the
validator is run on each variant afterwards (:func:`check`) and any disagreement is reported,
not hidden.

``exact`` on an expectation says its column and field are derived from first principles. When
it is False (segment-level DED and 820 problems, truncated files, character checks whose column
is the byte's), only the code and line are promised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from nacha_cs.ach.records import (
    ADDENDA,
    BATCH_CONTROL,
    BATCH_HEADER,
    CCD_ENTRY,
    CTX_ENTRY,
    FILE_CONTROL,
    FILE_HEADER,
    PADDING_LINE,
    Layout,
)
from nacha_cs.findings import RULES, Finding

PADDING = PADDING_LINE
INFO = ADDENDA.span("payment_related_information")[0]  # column 4
PAYMENT_INFO = ADDENDA.slice("payment_related_information")
SEC_CODE = BATCH_HEADER.slice("standard_entry_class_code")
BATCH_ODFI = BATCH_HEADER.slice("originating_dfi_identification")
TRACE = CCD_ENTRY.slice("trace_number")
SERVICE_CLASS = BATCH_HEADER.slice("service_class_code")
TRACE_ODFI = slice(CCD_ENTRY.span("trace_number")[0] - 1, BATCH_ODFI.stop)
"""The ODFI at the head of an entry's trace number (columns 80-87, as in the batch header)."""


@attrs.frozen
class Expect:
    code: str
    line: int | None
    column: int | None = None
    field: str | None = None
    exact: bool = True

    def as_json(self) -> dict[str, Any]:
        rule = RULES.get(self.code)
        return {"code": self.code, "line": self.line, "column": self.column,
                "field": self.field, "exact": self.exact,
                "severity": rule.severity if rule else None,
                "title": rule.title if rule else None}


@attrs.frozen
class Variant:
    name: str
    rule: str
    what: str
    lines: list[str]
    expected: tuple[Expect, ...]
    wild: bool = False


class _File:
    """Where things are in the file: the first record of each kind a rule can be broken on."""

    def __init__(self, lines: Sequence[str], unbroken: bool = False) -> None:
        self.lines = list(lines)
        self.unbroken = unbroken  # records without line ends: no record can be cut short
        self.batch_header: int | None = None
        self.batch_control: int | None = None
        self.file_control: int | None = None
        self.ccd_entry: int | None = None  # first CCD entry followed by a DED addenda
        self.ccd_entries: list[int] = []  # entries of the first batch
        self.ctx_entry: int | None = None
        self.ctx_addenda: list[int] = []
        sec = ""
        for number, line in enumerate(self.lines, start=1):
            kind = line[:1]
            if kind == "5":
                sec = line[SEC_CODE]
                if self.batch_header is None:
                    self.batch_header = number
            elif kind == "6":
                if self.batch_control is None:
                    self.ccd_entries.append(number)
                nxt = self.lines[number] if number < len(self.lines) else ""
                if sec == "CCD" and self.ccd_entry is None and nxt[:3] == "705" \
                        and nxt[PAYMENT_INFO].startswith("DED*"):
                    self.ccd_entry = number
                if sec == "CTX" and self.ctx_entry is None and nxt[:3] == "705":
                    self.ctx_entry = number
                    following = number + 1
                    while following <= len(self.lines) and \
                            self.lines[following - 1][:3] == "705":
                        self.ctx_addenda.append(following)
                        following += 1
            elif kind == "8" and self.batch_control is None:
                self.batch_control = number
            elif kind == "9" and line != PADDING and self.file_control is None:
                self.file_control = number
        self.first_sec = self.lines[self.batch_header - 1][SEC_CODE] if self.batch_header else ""

    def copy(self) -> list[str]:
        return list(self.lines)


Maker = Callable[[_File], Variant | None]
MAKERS: list[Maker] = []


def _register(maker: Maker) -> Maker:
    MAKERS.append(maker)
    return maker


def _put(lines: list[str], line: int, column: int, new: str) -> None:
    text = lines[line - 1]
    lines[line - 1] = text[: column - 1] + new + text[column - 1 + len(new):]


def field_edit(code: str, slug: str, layout: Layout[Any], where: Callable[[_File], int | None],
               name: str, change: Callable[[str], str | None], what: str,
               extra: Callable[[_File], tuple[Expect, ...]] = lambda f: (),
               found_on: str | None = None) -> None:
    """A variant that rewrites one field of one record; the finding is on that field (or on
    ``found_on`` of the same record, when the rule is about another field)."""

    def make(f: _File) -> Variant | None:
        line = where(f)
        if line is None:
            return None
        start, end = layout.span(name)
        old = f.lines[line - 1][start - 1:end]
        new = change(old)
        if new is None or new == old:
            return None
        assert len(new) == len(old), (code, old, new)
        lines = f.copy()
        _put(lines, line, start, new)
        on = found_on or name
        return Variant(f"{code}-{slug}", code, f"{what}: {name} {old!r} -> {new!r} at line {line}",
                       lines, (Expect(code, line, layout.span(on)[0], on), *extra(f)))

    _register(make)


def _digit_plus(text: str, index: int = -1) -> str:
    chars = list(text)
    chars[index] = str((int(chars[index]) + 1) % 10)
    return "".join(chars)


def _number_plus(text: str) -> str:
    return f"{int(text) + 1:0{len(text)}d}"


def _saturday(value: str) -> str | None:
    """The Saturday of the week of a YYMMDD date."""
    try:
        day = dt.date(2000 + int(value[:2]), int(value[2:4]), int(value[4:]))
    except ValueError:
        return None
    saturday = day + dt.timedelta(days=(5 - day.weekday()) % 7)
    return saturday.strftime("%y%m%d")


def _h(f: _File) -> int:
    return 1


def _bh(f: _File) -> int | None:
    return f.batch_header


def _bh_ccd(f: _File) -> int | None:
    return f.batch_header if f.first_sec == "CCD" else None


def _bc(f: _File) -> int | None:
    return f.batch_control


def _fc(f: _File) -> int | None:
    return f.file_control


def _ccd(f: _File) -> int | None:
    return f.ccd_entry


def _ccd_live(f: _File) -> int | None:
    line = f.ccd_entry
    return line if line and f.lines[line - 1][1:3] in ("22", "32") else None


def _ccd_addenda(f: _File) -> int | None:
    return f.ccd_entry + 1 if f.ccd_entry else None


def _ctx(f: _File) -> int | None:
    return f.ctx_entry


def _last_of_first_batch(f: _File) -> int | None:
    return f.ccd_entries[-1] if f.ccd_entries else None


# File header -------------------------------------------------------------------------------
field_edit("FH001", "destination-check-digit", FILE_HEADER, _h, "immediate_destination",
           lambda v: _digit_plus(v) if v[-1].isdigit() else None, "check digit broken")
field_edit("FH002", "origin-not-routing", FILE_HEADER, _h, "immediate_origin",
           lambda v: v[:-1] + "A" if v[0] == " " else None, "a blank, then not 9 digits")
field_edit("FH003", "creation-date-feb-30", FILE_HEADER, _h, "file_creation_date",
           lambda v: v[:2] + "0230", "no such day")
field_edit("FH004", "creation-time-2460", FILE_HEADER, _h, "file_creation_time",
           lambda v: "2460", "no such minute")
field_edit("FH005", "file-id-modifier-symbol", FILE_HEADER, _h, "file_id_modifier",
           lambda v: "*", "not a letter or digit")
field_edit("FH005", "lowercase-file-id-modifier", FILE_HEADER, _h, "file_id_modifier",
           lambda v: v.lower() if v.isalpha() else None, "lowercase")
field_edit("FLD001", "letter-in-creation-time", FILE_HEADER, _h, "file_creation_time",
           lambda v: v[0] + "X" + v[2:], "a letter in a numeric field")
field_edit("FLD004", "record-size", FILE_HEADER, _h, "record_size", lambda v: "095",
           "not 094")
# Batch header ------------------------------------------------------------------------------
field_edit("BH008", "sec-ppd", BATCH_HEADER, _bh_ccd, "standard_entry_class_code",
           lambda v: "PPD", "an SEC code checked for structure only")
field_edit("BH002", "sec-unknown", BATCH_HEADER, _bh_ccd, "standard_entry_class_code",
           lambda v: "CSX", "not a NACHA SEC code")
field_edit("BH002", "sec-lowercase", BATCH_HEADER, _bh_ccd, "standard_entry_class_code",
           lambda v: v.lower(), "an SEC code in lowercase")
field_edit("BH003", "effective-date-feb-31", BATCH_HEADER, _bh, "effective_entry_date",
           lambda v: v[:2] + "0231", "no such day")
field_edit("BH004", "effective-date-saturday", BATCH_HEADER, _bh, "effective_entry_date",
           _saturday, "a Saturday, not a banking day")
field_edit("BH001", "service-class-230", BATCH_HEADER, _bh, "service_class_code",
           lambda v: "230", "a service class that does not exist (the control keeps its own)",
           lambda f: (Expect("BC005", f.batch_control, BATCH_CONTROL.span("service_class_code")[0],
                             "service_class_code"),))
field_edit("BH005", "originator-status-3", BATCH_HEADER, _bh, "originator_status_code",
           lambda v: "3", "not 0, 1 or 2")
field_edit("BH007", "company-name-zeros", BATCH_HEADER, _bh, "company_name",
           lambda v: "0" * len(v), "all zeros")
field_edit("FLD002", "blank-company-name", BATCH_HEADER, _bh, "company_name",
           lambda v: " " * len(v), "a mandatory field blank")
# Entry detail ------------------------------------------------------------------------------
field_edit("ED001", "transaction-code-25", CCD_ENTRY, _ccd, "transaction_code",
           lambda v: "25", "a transaction code that does not exist")
field_edit("ED003", "rdfi-check-digit", CCD_ENTRY, _ccd, "check_digit",
           lambda v: _digit_plus(v), "check digit broken")
field_edit("ED005", "prenote-with-amount", CCD_ENTRY, _ccd_live, "transaction_code",
           lambda v: "23" if v == "22" else "33", "a prenote code on an entry with an amount",
           found_on="amount")
field_edit("ED006", "trace-not-odfi", CCD_ENTRY, _last_of_first_batch, "trace_number",
           lambda v: ("9" if v[0] != "9" else "8") + v[1:] if v[0] != "9" else None,
           "the trace does not start with the ODFI routing")
field_edit("ED009", "indicator-0-with-addenda", CCD_ENTRY, _ccd, "addenda_record_indicator",
           lambda v: "0", "indicator 0 while an addenda follows")
field_edit("FLD003", "blank-receiver-name", CCD_ENTRY, _ccd, "receiving_company_name",
           lambda v: " " * len(v), "blank")
field_edit("ED011", "ctx-count-field", CTX_ENTRY, _ctx, "number_of_addenda_records",
           _number_plus, "says one addenda more than follow")
# Addenda -----------------------------------------------------------------------------------
field_edit("AD001", "sequence-0002", ADDENDA, _ccd_addenda, "addenda_sequence_number",
           lambda v: "0002", "second addenda number on the only one")
field_edit("AD002", "entry-link", ADDENDA, _ccd_addenda, "entry_detail_sequence_number",
           _number_plus, "does not match its entry's trace")
# Batch control: the file control's counts and totals are the sums of the batch controls'
# (NACHA), so one edit to a batch control breaks the matching file control field as well.


def _file_too(code: str, name: str) -> Callable[[_File], tuple[Expect, ...]]:
    def extra(f: _File) -> tuple[Expect, ...]:
        return (Expect(code, f.file_control, FILE_CONTROL.span(name)[0], name),)
    return extra


field_edit("BC001", "count", BATCH_CONTROL, _bc, "entry_addenda_count", _number_plus, "+1",
           _file_too("FC003", "entry_addenda_count"))
field_edit("BC002", "entry-hash", BATCH_CONTROL, _bc, "entry_hash", _number_plus, "+1",
           _file_too("FC004", "entry_hash"))
field_edit("BC003", "debit-total", BATCH_CONTROL, _bc, "total_debit_amount", _number_plus, "+1",
           _file_too("FC005", "total_debit_amount"))
field_edit("BC004", "credit-total", BATCH_CONTROL, _bc, "total_credit_amount", _number_plus,
           "+1", _file_too("FC006", "total_credit_amount"))
field_edit("BC005", "company-id", BATCH_CONTROL, _bc, "company_identification",
           lambda v: _digit_plus(v) if v[-1].isdigit() else None, "not the header's")
# File control ------------------------------------------------------------------------------
field_edit("FC001", "batch-count", FILE_CONTROL, _fc, "batch_count", _number_plus, "+1")
field_edit("FC002", "block-count", FILE_CONTROL, _fc, "block_count", _number_plus, "+1")
field_edit("FC003", "count", FILE_CONTROL, _fc, "entry_addenda_count", _number_plus, "+1")
field_edit("FC004", "entry-hash", FILE_CONTROL, _fc, "entry_hash", _number_plus, "+1")
field_edit("FC005", "debit-total", FILE_CONTROL, _fc, "total_debit_amount", _number_plus, "+1")
field_edit("FC006", "credit-total", FILE_CONTROL, _fc, "total_credit_amount", _number_plus,
           "+1")
field_edit("FLD005", "reserved-not-blank", FILE_CONTROL, _fc, "reserved",
           lambda v: v[:4] + "X" + v[5:], "an X in reserved columns")


# Whole records -----------------------------------------------------------------------------


@_register
def _empty(f: _File) -> Variant | None:
    return Variant("FILE001-empty", "FILE001", "a file of zero bytes", [],
                   (Expect("FILE001", None, None, None),))


@_register
def _short_record(f: _File) -> Variant | None:
    if f.unbroken:
        return None
    lines = f.copy()
    lines[0] = lines[0][:-1]
    return Variant("FILE002-short-record", "FILE002", "the file header loses its last character",
                   lines, (Expect("FILE002", 1, 94, "record"),))


@_register
def _after_control(f: _File) -> Variant | None:
    fc = f.file_control
    if fc is None or fc >= len(f.lines) or f.ccd_entry is None:
        return None
    lines = f.copy()
    lines[fc] = f.lines[f.ccd_entry - 1]
    return Variant("FILE007-record-after-file-control", "FILE007",
                   f"the padding line after the file control replaced by a copy of line "
                   f"{f.ccd_entry}", lines, (Expect("FILE007", fc + 1, 1, "record_type"),))


@_register
def _not_blocked(f: _File) -> Variant | None:
    if f.lines[-1] != PADDING:
        return None
    lines = f.copy()
    lines.pop()
    return Variant("FC007-not-blocked", "FC007", "the last padding line removed", lines,
                   (Expect("FC007", len(lines), exact=False),))


@_register
def _trace_reused(f: _File) -> Variant | None:
    """A later batch's CCD entry reuses the first entry's trace. Its addenda still links to
    the old sequence number, so AD002 follows (the link is the trace's last 7 digits)."""
    if f.ccd_entry is None:
        return None
    first = f.lines[f.ccd_entry - 1]
    odfi = first[TRACE_ODFI]
    batch_odfi, sec, past_first = "", "", False
    for number, line in enumerate(f.lines, start=1):
        if line[:1] == "5":
            batch_odfi, sec = line[BATCH_ODFI], line[SEC_CODE]
        elif line[:1] == "8" and number > f.ccd_entry:
            past_first = True
        elif past_first and line[:1] == "6" and sec == "CCD" and batch_odfi == odfi \
                and f.lines[number][:3] == "705":
            lines = f.copy()
            start = CCD_ENTRY.span("trace_number")[0]
            _put(lines, number, start, first[TRACE])
            link = ADDENDA.span("entry_detail_sequence_number")[0]
            return Variant("ED008-trace-reused-across-batches", "ED008",
                           f"the entry at line {number} reuses the trace of line {f.ccd_entry}",
                           lines, (Expect("ED008", number, start, "trace_number"),
                                   Expect("AD002", number + 1, link,
                                          "entry_detail_sequence_number")))
    return None


@_register
def _debits_only(f: _File) -> Variant | None:
    """The first batch's header says 225 (debits only) while its entries are credits: ED002 on
    every entry, and the batch control's service class no longer matches (BC005)."""
    bh, bc = f.batch_header, f.batch_control
    if bh is None or bc is None or f.lines[bh - 1][SERVICE_CLASS] != "220":
        return None
    lines = f.copy()
    start = BATCH_HEADER.span("service_class_code")[0]
    _put(lines, bh, start, "225")
    code = CCD_ENTRY.span("transaction_code")[0]
    expected = [Expect("ED002", n, code, "transaction_code") for n in f.ccd_entries]
    expected.append(Expect("BC005", bc, BATCH_CONTROL.span("service_class_code")[0],
                           "service_class_code"))
    return Variant("ED002-credits-in-debit-batch", "ED002",
                   f"service class 220 -> 225 in the batch header at line {bh}", lines,
                   tuple(expected))


@_register
def _batch_number_repeated(f: _File) -> Variant | None:
    """The second batch header takes the first one's number; its control keeps its own."""
    headers = [n for n, line in enumerate(f.lines, start=1) if line[:1] == "5"]
    if len(headers) < 2:
        return None
    first, second = headers[0], headers[1]
    control = next(n for n in range(second, len(f.lines) + 1) if f.lines[n - 1][:1] == "8")
    lines = f.copy()
    start = BATCH_HEADER.span("batch_number")[0]
    _put(lines, second, start, f.lines[first - 1][start - 1:])
    return Variant("BH006-batch-number-repeated", "BH006",
                   f"the batch header at line {second} takes the number of line {first}", lines,
                   (Expect("BH006", second, start, "batch_number"),
                    Expect("BC005", control, BATCH_CONTROL.span("batch_number")[0],
                           "batch_number")))


@_register
def _trace_descending(f: _File) -> Variant | None:
    """The first batch's first entry takes a trace above the second's (its addenda keeps the
    old link: AD002)."""
    entries = f.ccd_entries
    if len(entries) < 2 or f.ccd_entry != entries[0]:
        return None
    first, second = entries[0], entries[1]
    start = CCD_ENTRY.span("trace_number")[0]
    bigger = f"{int(f.lines[second - 1][start - 1:start + 14]) + 1:015d}"
    lines = f.copy()
    _put(lines, first, start, bigger)
    link = ADDENDA.span("entry_detail_sequence_number")[0]
    return Variant("ED007-trace-descending", "ED007",
                   f"the entry at line {first} takes a trace above line {second}'s", lines,
                   (Expect("ED007", second, start, "trace_number"),
                    Expect("AD002", first + 1, link, "entry_detail_sequence_number")))


# Characters --------------------------------------------------------------------------------


@_register
def _latin1(f: _File) -> Variant | None:
    if f.ccd_entry is None:
        return None
    start = CCD_ENTRY.span("receiving_company_name")[0]
    lines = f.copy()
    _put(lines, f.ccd_entry, start + 1, "\xd6")
    return Variant("CHR001-latin1-letter", "CHR001", "a Latin-1 byte in the receiver name",
                   lines, (Expect("CHR001", f.ccd_entry, start + 1),))


@_register
def _tab(f: _File) -> Variant | None:
    start = FILE_HEADER.span("immediate_origin_name")[0]
    lines = f.copy()
    _put(lines, 1, start + 4, "\t")
    return Variant("CHR002-tab-in-origin-name", "CHR002", "a tab in the immediate origin name",
                   lines, (Expect("CHR002", 1, start + 4),))


def rule_codes(variants: Sequence[Variant]) -> list[str]:
    return sorted({v.rule for v in variants})


def iter_variants(lines: Sequence[str], unbroken: bool = False) -> Iterator[Variant]:
    """Every variant this file supports, field edits first, then DED, 820 and wild ones."""
    from nacha_cs.bank import segments  # the DED and 820 edits live beside this module

    f = _File(lines, unbroken)
    for maker in [*MAKERS, *segments.MAKERS]:
        variant = maker(f)
        if variant is not None:
            yield variant


def compare(expected: Sequence[Expect], found: Sequence[Finding]) -> list[str]:
    """What differs between an expectation and the validator's findings, in words."""
    wanted = [(e.code, e.line) for e in expected]
    got = [(f.code, f.line) for f in found]
    problems = []
    for pair in sorted(set(wanted) | set(got), key=str):
        if wanted.count(pair) != got.count(pair):
            problems.append(f"{pair[0]} at line {pair[1]}: expected {wanted.count(pair)}, "
                            f"validator says {got.count(pair)}")
    for e in expected:
        if not e.exact:
            continue
        match = [f for f in found if (f.code, f.line) == (e.code, e.line)]
        if match and not any((f.column, f.field) == (e.column, e.field) for f in match):
            problems.append(f"{e.code} at line {e.line}: expected column {e.column} field "
                            f"{e.field}, validator says "
                            + ", ".join(f"column {f.column} field {f.field}" for f in match))
    return problems if len(problems) <= 10 else [*problems[:10],
                                                  f"... and {len(problems) - 10} more"]
