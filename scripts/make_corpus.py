"""Build the golden corpus of known-bad ACH files: ``fixtures/invalid/``.

Usage::

    python scripts/make_corpus.py [OUTPUT_FOLDER]      # default: fixtures/invalid

Every case starts from a small, valid file made by the builder (two CCD+ child-support credits
with one DED addenda each, or two batches of them, or a CTX entry with two addenda), applies ONE
targeted mutation to the rendered text at exact columns, and writes

* ``<CODE>-<slug>.ach``            the mutated file (Latin-1 bytes, LF line ends), and
* ``<CODE>-<slug>.expected.json``  the findings the validator must report: the complete set of
  ``{"code", "line"}`` pairs of error and warning findings, plus the options to validate with.

The expected findings are written here by hand from what each mutation breaks; they are never
copied from the validator's output (that would make the corpus test circular). Columns are the
ones FORMAT.md prints, written out again below on purpose: they are a second source, not the
record tables the code under test uses. Every edit checks the text it replaces, so a change in
the builder's output stops this script instead of producing a silently different corpus.

A mutation that changes a count or an amount also corrects the totals above it when the case is
about something else (for example the batch control's count for a second CCD addenda), so each
file breaks one rule and knock-on findings stay few. The output is deterministic: running the
script twice gives identical bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

import attrs

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, build_file
from nacha_cs.ach.writer import render
from nacha_cs.codecs import ctx820
from nacha_cs.codecs import ded as ded_codec

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "fixtures" / "invalid"
PADDING = "9" * 94

# --- the valid starting points ------------------------------------------------------------------

CREATED = dt.datetime(2025, 1, 2, 9, 30)  # a Thursday
EFFECTIVE = dt.date(2025, 1, 3)  # the Friday after: a banking day, not the same day
ODFI_ROUTING = "071000301"
SDU_ROUTING = "021000021"

# Idaho-compatible DEDs (6-digit case numbers, FIPS codes 16...), so the same file serves the
# general child-support profile and the Idaho state profile. SSNs are issuable numbers.
DED_1 = "DED*CS*123456*250102*13547*123456789*N*SMITH,HARR*16001\\"
DED_2 = "DED*CS*654321*250102*20000*234567890*N*JONES,MARY*16001\\"


def _entry(amount: int, ded: str, employee: str) -> EntrySpec:
    return EntrySpec(
        transaction_code="22",
        rdfi_routing=SDU_ROUTING,
        account="9876543210",
        amount=amount,
        receiver_name="IDAHO CHILD SUPPORT",
        identification=employee,
        addenda=(ded,),
    )


def _batch(sec: str = "CCD", entries: tuple[EntrySpec, ...] | None = None) -> BatchSpec:
    return BatchSpec(
        company_name="ACME TOOLS INC",
        company_identification="1123456789",
        entry_description="CHILD SUPP",
        effective_entry_date=EFFECTIVE,
        odfi_routing=ODFI_ROUTING,
        entries=entries
        if entries is not None
        else (_entry(13547, DED_1, "EMP0001"), _entry(20000, DED_2, "EMP0002")),
        sec_code=sec,
    )


_FILE = FileSpec(
    immediate_destination=ODFI_ROUTING,
    immediate_origin=ODFI_ROUTING,
    created=CREATED,
    immediate_destination_name="FIRST BANK OF OKLAHOMA",
    immediate_origin_name="ACME TOOLS INC",
)


def _lines(*batches: BatchSpec) -> list[str]:
    return render(build_file(_FILE, batches)).splitlines()


def ccd_base() -> list[str]:
    """One CCD batch, two credits with a DED each.

    1 file header, 2 batch header, 3 entry (13547), 4 addenda, 5 entry (20000), 6 addenda,
    7 batch control, 8 file control, 9-10 padding.
    """
    return _lines(_batch())


def two_batch_base() -> list[str]:
    """Two copies of the CCD batch; traces run 1-4 through the file.

    1 file header; 2-7 batch 1 (entries at 3 and 5); 8 batch header 2, 9 entry, 10 addenda,
    11 entry, 12 addenda, 13 batch control 2; 14 file control; 15-20 padding.
    """
    return _lines(_batch(), _batch())


def ctx_base() -> list[str]:
    """One CTX batch: one credit of 335.47 whose seven addenda carry an 820 with the two DEDs.

    1 file header, 2 batch header, 3 entry, 4-10 addenda, 11 batch control, 12 file control,
    13-20 padding. The interchange (80 characters per addenda)::

        4  ISA*00*          *00*          *ZZ*1123456789     *ZZ*IDAHOSDU       *250102*093
        5  0*U*00401*000000001*0*P*>\\GS*RA*1123456789*IDAHOSDU*20250102*0930*1*X*004010\\ST*
        6  820*0001\\BPR*C*335.47*C*ACH*CTX*01*071000301*DA*1234567*1123456789**01*021000021
        7  *DA*9876543210*20250103\\TRN*1*0000001*1123456789\\N1*PR*ACME TOOLS INC\\N1*PE*IDAH
        8  O CHILD SUPPORT\\ENT*1\\DED*CS*123456*20250102*13547*123456789*N*SMITH,HARR*16001\\
        9  ENT*2\\DED*CS*654321*20250102*20000*234567890*N*JONES,MARY*16001\\SE*10*0001\\GE*1*
        10 1\\IEA*1*000000001\\
    """
    deds = [ded_codec.decode(text)[0] for text in (DED_1, DED_2)]
    addenda = ctx820.build_addenda(
        deds,  # type: ignore[arg-type]
        payer=ctx820.BankParty("ACME TOOLS INC", ODFI_ROUTING, "1234567"),
        payee=ctx820.BankParty("IDAHO CHILD SUPPORT", SDU_ROUTING, "9876543210"),
        company_id="1123456789",
        effective_date=EFFECTIVE,
        trace="0000001",
        envelope=ctx820.Envelope("1123456789", "IDAHOSDU"),
        created=CREATED,
    )
    entry = EntrySpec(
        transaction_code="22",
        rdfi_routing=SDU_ROUTING,
        account="9876543210",
        amount=33547,
        receiver_name="IDAHO SDU",
        addenda=tuple(addenda),
    )
    return _lines(_batch("CTX", (entry,)))


BASES: dict[str, Callable[[], list[str]]] = {
    "ccd": ccd_base,
    "two-batch": two_batch_base,
    "ctx": ctx_base,
}

# --- edits at exact columns ---------------------------------------------------------------------


class EditError(AssertionError):
    """The text to replace is not what the base file holds: the builder's output changed."""


def replace(lines: list[str], line: int, column: int, old: str, new: str) -> None:
    """Replace ``old`` at 1-based ``column`` of record ``line`` by ``new`` (same length)."""
    if len(old) != len(new):
        raise EditError(f"{old!r} and {new!r} differ in length")
    text = lines[line - 1]
    found = text[column - 1 : column - 1 + len(old)]
    if found != old:
        raise EditError(f"line {line} column {column}: expected {old!r}, found {found!r}")
    lines[line - 1] = text[: column - 1] + new + text[column - 1 + len(new) :]


def replace_ded(lines: list[str], line: int, old: str, new: str) -> None:
    """Rewrite the payment related information (columns 4-83) of an addenda."""
    if len(new) > 80:
        raise EditError(f"{new!r} does not fit 80 characters")
    replace(lines, line, 4, old.ljust(80), new.ljust(80))


def replace_in_ded(lines: list[str], line: int, old: str, new: str) -> None:
    """Change one piece of the DED in an addenda, keeping the rest of the segment."""
    field = lines[line - 1][3:83].rstrip(" ")
    if field.count(old) != 1:
        raise EditError(f"line {line}: {old!r} is not in {field!r} exactly once")
    replace_ded(lines, line, field, field.replace(old, new))


def replace_in_820(lines: list[str], old: str, new: str, count: int = 1) -> None:
    """Change the interchange carried by the CTX addenda at lines 4-10 and slice it again.

    The text may grow or shrink within the fill of the last addenda, so the addenda count and
    every record outside lines 4-10 stay as they were.
    """
    fields = [line[3:83] for line in lines[3:10]]
    if not all(line[:3] == "705" for line in lines[3:10]):
        raise EditError("lines 4-10 are not the CTX addenda")
    text = "".join(fields)
    if text.count(old) != count:
        raise EditError(f"{old!r} occurs {text.count(old)} times in the 820, not {count}")
    changed = text.replace(old, new).rstrip(" ")
    if len(changed) > len(text):
        raise EditError("the changed 820 no longer fits the seven addenda")
    changed = changed.ljust(len(text))
    for index in range(7):
        piece = changed[index * 80 : (index + 1) * 80]
        lines[3 + index] = lines[3 + index][:3] + piece + lines[3 + index][83:]


def insert(lines: list[str], before: int, text: str) -> None:
    lines.insert(before - 1, text)


def delete(lines: list[str], line: int, expect_type: str) -> str:
    removed = lines.pop(line - 1)
    if removed[:1] != expect_type:
        raise EditError(f"line {line} is record type {removed[:1]!r}, not {expect_type!r}")
    return removed


def drop_padding(lines: list[str]) -> None:
    if lines[-1] != PADDING:
        raise EditError("the file does not end with a padding line")
    lines.pop()


def add_padding(lines: list[str]) -> None:
    lines.append(PADDING)


# --- the cases ----------------------------------------------------------------------------------

Mutation = Callable[[list[str]], None]


@attrs.frozen
class Case:
    code: str
    slug: str
    what: str
    mutate: Mutation | None
    expected: tuple[tuple[str, int | None], ...]
    base: str = "ccd"
    profile: str = "child-support"
    state: str | None = None
    raw: bytes | None = None  # the whole file, for cases no text edit can make

    @property
    def name(self) -> str:
        return f"{self.code}-{self.slug}"

    def content(self) -> bytes:
        if self.raw is not None:
            return self.raw
        lines = BASES[self.base]()
        if self.mutate is not None:
            self.mutate(lines)
        return "".join(line + "\n" for line in lines).encode("latin-1")

    def expectation(self) -> dict[str, object]:
        return {
            "what": self.what,
            "options": {"profile": self.profile, "state": self.state},
            "findings": [
                {"code": code, "line": line}
                for code, line in sorted(self.expected, key=lambda p: (p[1] or 0, p[0]))
            ],
        }


CASES: list[Case] = []


def case(
    code: str,
    slug: str,
    what: str,
    expected: list[tuple[str, int | None]] | None = None,
    **options: object,
) -> Callable[[Mutation], Mutation]:
    """Register the decorated mutation; ``expected`` defaults to [(code, <line given>)]."""

    def register(mutate: Mutation) -> Mutation:
        CASES.append(
            Case(code, slug, what, mutate, tuple(expected or ()), **options)  # type: ignore[arg-type]
        )
        return mutate

    return register


# File structure (FILE0xx) --------------------------------------------------------------------

CASES.append(Case("FILE001", "empty", "a file of zero bytes", None, (("FILE001", None),), raw=b""))


@case("FILE002", "short-record", "the file header loses its last (blank) character: 93 long",
      [("FILE002", 1)])
def _(lines: list[str]) -> None:
    if lines[0][-1] != " ":
        raise EditError("the file header's reference code is not blank")
    lines[0] = lines[0][:-1]


@case("FILE003", "unknown-record-type",
      "a record of type 0 between the batch control and the file control (one padding line "
      "dropped, so the blocking stays right)", [("FILE003", 8)])
def _(lines: list[str]) -> None:
    insert(lines, 8, "0" + "X" * 93)
    drop_padding(lines)


@case("FILE004", "padding-before-file-control",
      "a padding line moved from the end to just before the file control", [("FILE004", 8)])
def _(lines: list[str]) -> None:
    drop_padding(lines)
    insert(lines, 8, PADDING)


@case("FILE005", "missing-batch-control",
      "the batch control is deleted (a padding line added in its place at the end)",
      [("FILE005", 7)])
def _(lines: list[str]) -> None:
    delete(lines, 7, "8")
    add_padding(lines)


@case("FILE006", "missing-file-control", "the file ends right after the batch control",
      [("FILE006", 7)])
def _(lines: list[str]) -> None:
    del lines[7:]


@case("FILE007", "record-after-file-control",
      "the first padding line after the file control is replaced by a copy of the entry",
      [("FILE007", 9)])
def _(lines: list[str]) -> None:
    replace(lines, 9, 1, PADDING, lines[2])


@case("FILE008", "no-file-header",
      "the file header is deleted (a padding line added at the end)", [("FILE008", 1)])
def _(lines: list[str]) -> None:
    delete(lines, 1, "1")
    add_padding(lines)


@case("FILE009", "no-batches",
      "the only batch is deleted and the file control rewritten for zero batches",
      [("FILE009", None)])
def _(lines: list[str]) -> None:
    del lines[1:7]
    # batch count 000001 -> 000000 (2-7); entry/addenda count 4 -> 0 (14-21); hash (22-31);
    # credit total 33547 -> 0 (44-55). Block count (8-13) stays 1: 2 records + 8 padding.
    replace(lines, 2, 2, "000001", "000000")
    replace(lines, 2, 14, "00000004", "00000000")
    replace(lines, 2, 22, "0004200004", "0000000000")
    replace(lines, 2, 44, "000000033547", "000000000000")
    for _ in range(6):
        add_padding(lines)


# Field problems (FLD0xx) -----------------------------------------------------------------------


@case("FLD001", "letter-in-creation-time",
      "file creation time (file header 30-33) 0930 -> 0X30", [("FLD001", 1)])
def _(lines: list[str]) -> None:
    replace(lines, 1, 30, "0930", "0X30")


@case("FLD002", "blank-company-name",
      "company name (batch header 5-20) blanked", [("FLD002", 2)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 5, "ACME TOOLS INC  ", " " * 16)


@case("FLD003", "blank-receiver-name",
      "receiving company name (entry 55-76) blanked", [("FLD003", 3)])
def _(lines: list[str]) -> None:
    replace(lines, 3, 55, "IDAHO CHILD SUPPORT   ", " " * 22)


@case("FLD004", "record-size", "record size (file header 35-37) 094 -> 095", [("FLD004", 1)])
def _(lines: list[str]) -> None:
    replace(lines, 1, 35, "094", "095")


@case("FLD005", "reserved-not-blank",
      "an X in the file control's reserved columns (56-94), at column 60", [("FLD005", 8)])
def _(lines: list[str]) -> None:
    replace(lines, 8, 60, " ", "X")


# Characters (CHR0xx) ---------------------------------------------------------------------------


@case("CHR001", "latin1-letter",
      "receiving company name IDAHO -> IDAH\\xd6 (a Latin-1 byte at column 59)",
      [("CHR001", 3)])
def _(lines: list[str]) -> None:
    replace(lines, 3, 55, "IDAHO", "IDAH\xd6")


@case("CHR002", "tab-in-origin-name",
      "a tab in the immediate origin name (file header 64-86), column 68", [("CHR002", 1)])
def _(lines: list[str]) -> None:
    replace(lines, 1, 64, "ACME TOOLS", "ACME\tTOOLS")


@case("FH005", "lowercase-file-id-modifier",
      "file ID modifier (file header 34) A -> a: ACH operators reject lowercase", [("FH005", 1)])
def _(lines: list[str]) -> None:
    replace(lines, 1, 34, "A", "a")


# File header (FH0xx) ---------------------------------------------------------------------------


@case("FH001", "destination-check-digit",
      "immediate destination (4-13) ' 071000301' -> ' 071000302'", [("FH001", 1)])
def _(lines: list[str]) -> None:
    replace(lines, 1, 4, " 071000301", " 071000302")


@case("FH002", "origin-not-routing",
      "immediate origin (14-23) ' 071000301' -> ' 07100030A': a blank, then not 9 digits",
      [("FH002", 1)])
def _(lines: list[str]) -> None:
    replace(lines, 1, 14, " 071000301", " 07100030A")


@case("FH003", "creation-date-feb-30",
      "file creation date (24-29) 250102 -> 250230", [("FH003", 1)])
def _(lines: list[str]) -> None:
    replace(lines, 1, 24, "250102", "250230")


@case("FH004", "creation-time-2460",
      "file creation time (30-33) 0930 -> 2460", [("FH004", 1)])
def _(lines: list[str]) -> None:
    replace(lines, 1, 30, "0930", "2460")


@case("FH005", "file-id-modifier-symbol",
      "file ID modifier (34) A -> *", [("FH005", 1)])
def _(lines: list[str]) -> None:
    replace(lines, 1, 34, "A", "*")


# Batch header (BH0xx) --------------------------------------------------------------------------


@case("BH001", "service-class-230",
      "service class 220 -> 230 in the batch header (2-4) and, consistently, the batch control",
      [("BH001", 2)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 2, "220", "230")
    replace(lines, 7, 2, "220", "230")


@case("BH008", "sec-ppd", "standard entry class (51-53) CCD -> PPD: checked for structure only",
      [("BH008", 2)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 51, "CCD", "PPD")


@case("BH002", "sec-lowercase", "standard entry class (51-53) CCD -> ccd", [("BH002", 2)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 51, "CCD", "ccd")


@case("BH002", "sec-unknown", "standard entry class (51-53) CCD -> XYZ, no NACHA SEC code",
      [("BH002", 2)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 51, "CCD", "XYZ")


@case("BH003", "effective-date-feb-31",
      "effective entry date (70-75) 250103 -> 250231", [("BH003", 2)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 70, "250103", "250231")


@case("BH004", "effective-date-saturday",
      "effective entry date (70-75) 250103 -> 250104, a Saturday", [("BH004", 2)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 70, "250103", "250104")


@case("BH005", "originator-status-3",
      "originator status code (79) 1 -> 3", [("BH005", 2)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 79, "1", "3")


@case("BH006", "batch-number-repeated",
      "the second batch is numbered 1 (header and control, 88-94) like the first",
      [("BH006", 8)], base="two-batch")
def _(lines: list[str]) -> None:
    replace(lines, 8, 88, "0000002", "0000001")
    replace(lines, 13, 88, "0000002", "0000001")


@case("BH007", "company-name-zeros",
      "company name (5-20) all zeros", [("BH007", 2)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 5, "ACME TOOLS INC  ", "0" * 16)


# Entry detail (ED0xx) --------------------------------------------------------------------------


@case("ED001", "transaction-code-25",
      "transaction code (2-3) of the first entry 22 -> 25, a code that does not exist",
      [("ED001", 3)])
def _(lines: list[str]) -> None:
    replace(lines, 3, 2, "22", "25")


@case("ED002", "credits-in-debit-batch",
      "service class 220 -> 225 (debits only) in header and control; both entries are credits",
      [("ED002", 3), ("ED002", 5)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 2, "220", "225")
    replace(lines, 7, 2, "220", "225")


@case("ED003", "rdfi-check-digit",
      "check digit (12) of the first entry's RDFI 1 -> 2", [("ED003", 3)])
def _(lines: list[str]) -> None:
    replace(lines, 3, 4, "021000021", "021000022")


def _set_first_amount(lines: list[str], cents: int) -> None:
    """Entry at line 3: 13547 -> cents, with the batch and file credit totals following."""
    replace(lines, 3, 30, "0000013547", f"{cents:010d}")
    total = f"{cents + 20000:012d}"
    replace(lines, 7, 33, "000000033547", total)
    replace(lines, 8, 44, "000000033547", total)


@case("ED004", "live-credit-zero",
      "amount (30-39) of the live credit at line 3 -> 0, totals corrected; ACH rules only "
      "(the DED still says 13547)", [("ED004", 3)], profile="nacha")
def _(lines: list[str]) -> None:
    _set_first_amount(lines, 0)


@case("ED005", "prenote-with-amount",
      "transaction code 22 -> 23 (credit prenote) on an entry of 135.47", [("ED005", 3)])
def _(lines: list[str]) -> None:
    replace(lines, 3, 2, "22", "23")


@case("ED006", "trace-not-odfi",
      "the second entry's trace (80-94) starts 07100031 instead of the ODFI 07100030",
      [("ED006", 5)])
def _(lines: list[str]) -> None:
    replace(lines, 5, 80, "071000300000002", "071000310000002")


@case("ED007", "trace-descending",
      "the first entry's trace sequence 0000001 -> 0000003 (and its addenda's link, 88-94), "
      "so the second entry's 0000002 goes backwards", [("ED007", 5)])
def _(lines: list[str]) -> None:
    replace(lines, 3, 80, "071000300000001", "071000300000003")
    replace(lines, 4, 88, "0000001", "0000003")


@case("ED008", "trace-reused-across-batches",
      "batch 2's first entry reuses trace 071000300000001 from batch 1 (its addenda link too)",
      [("ED008", 9)], base="two-batch")
def _(lines: list[str]) -> None:
    replace(lines, 9, 80, "071000300000003", "071000300000001")
    replace(lines, 10, 88, "0000003", "0000001")


@case("ED009", "indicator-0-with-addenda",
      "addenda record indicator (79) of the first entry 1 -> 0; its addenda still follows",
      [("ED009", 3)])
def _(lines: list[str]) -> None:
    replace(lines, 3, 79, "1", "0")


@case("ED010", "ccd-second-addenda",
      "a copy of the first DED addenda as addenda 0002 of the same entry; counts corrected, "
      "one padding line dropped", [("ED010", 5)])
def _(lines: list[str]) -> None:
    second = lines[3][:83] + "0002" + lines[3][87:]
    insert(lines, 5, second)
    replace(lines, 8, 5, "000004", "000005")
    replace(lines, 9, 14, "00000004", "00000005")
    drop_padding(lines)


@case("ED011", "ctx-count-field",
      "CTX number of addenda records (55-58) 0007 -> 0008; seven addenda follow",
      [("ED011", 3)], base="ctx")
def _(lines: list[str]) -> None:
    replace(lines, 3, 55, "0007", "0008")


@case("ED013", "same-day-over-limit",
      "batch marked same-day (descriptive date SD1300, 64-69) and the first entry raised to "
      "$1,000,000.01, totals corrected; ACH rules only", [("ED013", 3)], profile="nacha")
def _(lines: list[str]) -> None:
    replace(lines, 2, 64, "      ", "SD1300")
    _set_first_amount(lines, 100_000_001)


# Addenda (AD0xx) -------------------------------------------------------------------------------


@case("AD001", "sequence-0002",
      "the first addenda's sequence number (84-87) 0001 -> 0002", [("AD001", 4)])
def _(lines: list[str]) -> None:
    replace(lines, 4, 84, "0001", "0002")


@case("AD002", "entry-link",
      "the first addenda's entry detail sequence number (88-94) 0000001 -> 0000009",
      [("AD002", 4)])
def _(lines: list[str]) -> None:
    replace(lines, 4, 88, "0000001", "0000009")


# Batch control (BC0xx): the file control is corrected too, so only the batch disagrees ------


@case("BC001", "count", "batch entry/addenda count (5-10) 4 -> 5 (file control 14-21 too)",
      [("BC001", 7)])
def _(lines: list[str]) -> None:
    replace(lines, 7, 5, "000004", "000005")
    replace(lines, 8, 14, "00000004", "00000005")


@case("BC002", "entry-hash", "batch entry hash (11-20) +1 (file control 22-31 too)",
      [("BC002", 7)])
def _(lines: list[str]) -> None:
    replace(lines, 7, 11, "0004200004", "0004200005")
    replace(lines, 8, 22, "0004200004", "0004200005")


@case("BC003", "debit-total", "batch total debit (21-32) 0 -> 1 cent (file control 32-43 too)",
      [("BC003", 7)])
def _(lines: list[str]) -> None:
    replace(lines, 7, 21, "000000000000", "000000000001")
    replace(lines, 8, 32, "000000000000", "000000000001")


@case("BC004", "credit-total",
      "batch total credit (33-44) 33547 -> 33548 (file control 44-55 too)", [("BC004", 7)])
def _(lines: list[str]) -> None:
    replace(lines, 7, 33, "000000033547", "000000033548")
    replace(lines, 8, 44, "000000033547", "000000033548")


@case("BC005", "company-id",
      "company identification (45-54) differs from the batch header's", [("BC005", 7)])
def _(lines: list[str]) -> None:
    replace(lines, 7, 45, "1123456789", "1123456780")


# File control (FC0xx) --------------------------------------------------------------------------


@case("FC001", "batch-count", "batch count (2-7) 1 -> 2", [("FC001", 8)])
def _(lines: list[str]) -> None:
    replace(lines, 8, 2, "000001", "000002")


@case("FC002", "block-count", "block count (8-13) 1 -> 2", [("FC002", 8)])
def _(lines: list[str]) -> None:
    replace(lines, 8, 8, "000001", "000002")


@case("FC003", "count", "entry/addenda count (14-21) 4 -> 6", [("FC003", 8)])
def _(lines: list[str]) -> None:
    replace(lines, 8, 14, "00000004", "00000006")


@case("FC004", "entry-hash", "entry hash (22-31) 0004200004 -> 0004200040", [("FC004", 8)])
def _(lines: list[str]) -> None:
    replace(lines, 8, 22, "0004200004", "0004200040")


@case("FC005", "debit-total", "total debit (32-43) 0 -> 100", [("FC005", 8)])
def _(lines: list[str]) -> None:
    replace(lines, 8, 32, "000000000000", "000000000100")


@case("FC006", "credit-total", "total credit (44-55) 33547 -> 33574", [("FC006", 8)])
def _(lines: list[str]) -> None:
    replace(lines, 8, 44, "000000033547", "000000033574")


@case("FC007", "not-blocked", "the last padding line removed: 9 records", [("FC007", 9)])
def _(lines: list[str]) -> None:
    drop_padding(lines)


# Child-support payments (CS0xx) ----------------------------------------------------------------


@case("CS001", "credit-without-ded",
      "the second entry's DED addenda removed (indicator 1 -> 0, counts corrected, a padding "
      "line added)", [("CS001", 5)])
def _(lines: list[str]) -> None:
    delete(lines, 6, "7")
    replace(lines, 5, 79, "1", "0")
    replace(lines, 6, 5, "000004", "000003")
    replace(lines, 7, 14, "00000004", "00000003")
    add_padding(lines)


@case("CS002", "ded-amount", "DED04 of the first payment 13547 -> 13548; the entry says 13547",
      [("CS002", 4)])
def _(lines: list[str]) -> None:
    replace_in_ded(lines, 4, "*13547*", "*13548*")


@case("CS005", "ctx-credit-without-addenda",
      "the CTX entry's seven 820 addenda removed (count 0007 -> 0000, indicator 1 -> 0, counts "
      "and block count corrected, three padding lines dropped)", [("CS005", 3)], base="ctx")
def _(lines: list[str]) -> None:
    for line in range(10, 3, -1):
        delete(lines, line, "7")
    replace(lines, 3, 55, "0007", "0000")
    replace(lines, 3, 79, "1", "0")
    replace(lines, 4, 5, "000008", "000001")
    replace(lines, 5, 8, "000002", "000001")
    replace(lines, 5, 14, "00000008", "00000001")
    for _ in range(3):
        drop_padding(lines)


@case("CS006", "zero-dollar-without-addenda",
      "the second entry made a zero-dollar credit (code 24, amount 0) and its DED addenda "
      "removed (indicator, counts and totals corrected, a padding line added)", [("CS006", 5)])
def _(lines: list[str]) -> None:
    delete(lines, 6, "7")
    replace(lines, 5, 2, "22", "24")
    replace(lines, 5, 30, "0000020000", "0000000000")
    replace(lines, 5, 79, "1", "0")
    replace(lines, 6, 5, "000004", "000003")
    replace(lines, 6, 33, "000000033547", "000000013547")
    replace(lines, 7, 14, "00000004", "00000003")
    replace(lines, 7, 44, "000000033547", "000000013547")
    add_padding(lines)


@case("CS007", "debit-to-sdu",
      "the first entry made a checking debit (code 22 -> 27) in a mixed batch (service class "
      "200), totals corrected; the batch is not described REVERSAL", [("CS007", 3)])
def _(lines: list[str]) -> None:
    replace(lines, 2, 2, "220", "200")
    replace(lines, 3, 2, "22", "27")
    replace(lines, 7, 2, "220", "200")
    replace(lines, 7, 21, "000000000000000000033547", "000000013547000000020000")
    replace(lines, 8, 32, "000000000000000000033547", "000000013547000000020000")


@case("AD003", "return-addenda-99",
      "the first addenda's type code (2-3) 05 -> 99: a return addenda, read for structure only",
      [("AD003", 4)], profile="nacha")
def _(lines: list[str]) -> None:
    replace(lines, 4, 2, "05", "99")


@case("CS004", "zero-dollar-ded-not-termination",
      "first entry turned into a zero-dollar credit (code 24, amount 0, totals corrected) while "
      "its DED still pays 13547 without DED09 = Y: the DED amount disagrees too",
      [("CS002", 4), ("CS004", 4)])
def _(lines: list[str]) -> None:
    replace(lines, 3, 2, "22", "24")
    _set_first_amount(lines, 0)


# State profiles (ST0xx) ------------------------------------------------------------------------


@case("ST001", "idaho-case-format",
      "Idaho profile; case 123456 -> 12345X (Idaho case numbers are six digits)",
      [("ST001", 4)], state="idaho")
def _(lines: list[str]) -> None:
    replace_in_ded(lines, 4, "*123456*", "*12345X*")


@case("ST002", "idaho-no-fips",
      "Idaho profile; DED08 (FIPS) dropped from the first DED", [("ST002", 4)], state="idaho")
def _(lines: list[str]) -> None:
    replace_in_ded(lines, 4, "*16001\\", "\\")


@case("ST003", "idaho-oklahoma-fips",
      "Idaho profile; the first DED's FIPS 16001 -> 40109 (an Oklahoma county's code)",
      [("ST003", 4)], state="idaho")
def _(lines: list[str]) -> None:
    replace_in_ded(lines, 4, "*16001\\", "*40109\\")


# The same state rules on the DEDs inside a CTX entry's 820: each finding sits on the addenda
# where its DED segment starts (the first DED starts in line 8, the second in line 9).


@case("ST001", "idaho-case-format-in-820",
      "Idaho profile, CTX base; the first DED's case 123456 -> 12345X inside the 820",
      [("ST001", 8)], base="ctx", state="idaho")
def _(lines: list[str]) -> None:
    replace_in_820(lines, "*123456*", "*12345X*")


@case("ST002", "idaho-no-fips-in-820",
      "Idaho profile, CTX base; DED08 (FIPS) dropped from the second DED inside the 820",
      [("ST002", 9)], base="ctx", state="idaho")
def _(lines: list[str]) -> None:
    replace_in_820(lines, "*JONES,MARY*16001\\", "*JONES,MARY\\")


# An SDU whose profile accepts a blank SSN (DED018 becomes a warning; no shipped state does,
# fixtures/profiles/blank-ssn-allowed.toml is one for tests) lets a DED decode without naming
# the employee at all: the general child-support rule CS003 says so.


@case("CS003", "blank-ssn-sdu-no-ssn-no-name",
      "Profile accepting a blank SSN; the first DED's SSN (DED05) blanked and its name (DED07) "
      "omitted, keeping both separators: DED018 as a warning, and the payment names no employee",
      [("DED018", 4), ("CS003", 4)], state="fixtures/profiles/blank-ssn-allowed.toml")
def _(lines: list[str]) -> None:
    replace_in_ded(lines, 4, "*123456789*N*SMITH,HARR*", "**N**")


# The DED segment (DED0xx): one change to the first payment's DED at line 4 -------------------


def _ded_case(code: str, slug: str, what: str, old: str, new: str,
              extra: tuple[tuple[str, int], ...] = ()) -> None:
    def mutate(lines: list[str]) -> None:
        replace_in_ded(lines, 4, old, new)

    CASES.append(Case(code, slug, what, mutate, ((code, 4), *extra)))


_ded_case("DED001", "not-a-ded", "the payment related information is free text",
          DED_1, "CHILD SUPPORT CASE 123456 PAY DATE 250102")
_ded_case("DED002", "no-terminator", "the final backslash removed", "16001\\", "16001")
_ded_case("DED003", "slash-terminator", "the final backslash written as /", "16001\\", "16001/")
_ded_case("DED004", "text-after-terminator", "text after the backslash", "16001\\",
          "16001\\ X")
_ded_case("DED005", "ten-elements", "DED09 = Y followed by a tenth element", "*16001\\",
          "*16001*Y*X\\")
_ded_case("DED006", "no-medical-indicator", "DED06 and everything after it dropped",
          "*N*SMITH,HARR*16001\\", "\\")
_ded_case("DED007", "padded-case", "case identifier padded with a leading space",
          "*123456*", "* 123456*")
_ded_case("DED008", "lowercase-cs", "DED01 written cs", "DED*CS*", "DED*cs*")
_ded_case("DED009", "application-xx", "DED01 XX", "DED*CS*", "DED*XX*")
_ded_case("DED010", "interstate-application", "DED01 RI (a state-to-state code)",
          "DED*CS*", "DED*RI*")
_ded_case("DED011", "case-21-characters", "case identifier of 21 characters",
          "*123456*", "*123456789012345678901*")
_ded_case("DED012", "pay-date-feb-30", "DED03 250102 -> 250230", "*250102*", "*250230*")
_ded_case("DED013", "pay-date-ccyymmdd", "DED03 written CCYYMMDD in a CCD+ addenda",
          "*250102*", "*20250102*")
_ded_case("DED014", "decimal-amount", "DED04 135.47 instead of 13547", "*13547*", "*135.47*")
_ded_case("DED015", "amount-letters", "DED04 1354A", "*13547*", "*1354A*")
_ded_case("DED016", "amount-11-digits", "DED04 zero-filled to 11 digits", "*13547*",
          "*00000013547*")
_ded_case("DED017", "zero-amount", "DED04 0 without DED09 = Y", "*13547*", "*0*")
_ded_case("DED018", "blank-ssn", "DED05 empty", "*123456789*", "**")
_ded_case("DED019", "ssn-8-digits", "DED05 of 8 digits", "*123456789*", "*12345678*")
_ded_case("DED020", "ssn-area-9xx", "DED05 987654321 (area 9xx is never issued)",
          "*123456789*", "*987654321*")
_ded_case("DED021", "medical-x", "DED06 X", "*N*SMITH", "*X*SMITH")
_ded_case("DED022", "name-11-characters", "DED07 SMITH,HARRY (11 characters)",
          "*SMITH,HARR*", "*SMITH,HARRY*")
_ded_case("DED023", "fips-4-characters", "DED08 1600", "*16001\\", "*1600\\")
_ded_case("DED024", "termination-n", "DED09 = N", "*16001\\", "*16001*N\\")
_ded_case("DED025", "termination-x", "DED09 = X", "*16001\\", "*16001*X\\")
_ded_case("DED026", "trailing-empty-element", "DED08 dropped but its separator kept",
          "*16001\\", "*\\")
_ded_case("DED030", "trailing-space-case",
          "case identifier with a trailing space (a warning: AN trailing spaces are doubtful)",
          "*123456*", "*123456 *")
# A Latin-1 letter in DED07: the record-level character check reports the byte as well.
_ded_case("DED027", "latin1-in-name", "DED07 SMITH,HARR -> SMITH,H\\xc4RR (a Latin-1 byte)",
          "SMITH,HARR", "SMITH,H\xc4RR", extra=(("CHR001", 4),))



# The 820 in a CTX entry (X12nnn): one change to the interchange of the CTX base -------------


def _x12_case(code: str, slug: str, what: str, old: str, new: str,
              expected: tuple[tuple[str, int], ...], count: int = 1) -> None:
    def mutate(lines: list[str]) -> None:
        replace_in_820(lines, old, new, count)

    CASES.append(Case(code, slug, what, mutate, expected, base="ctx"))


_x12_case("X12001", "no-isa", "the interchange starts IXA", "ISA*00*", "IXA*00*",
          (("X12001", 4),))
_x12_case("X12002", "isa-widths", "ISA06 one character short, ISA08 one long (same total)",
          "*ZZ*1123456789     *ZZ*IDAHOSDU       *", "*ZZ*1123456789    *ZZ*IDAHOSDU        *",
          (("X12002", 4),))
_x12_case("X12003", "iea-no-terminator", "the final backslash after IEA removed",
          "IEA*1*000000001\\", "IEA*1*000000001", (("X12003", 10),))
_x12_case("X12004", "text-after-iea", "a segment after IEA", "IEA*1*000000001\\",
          "IEA*1*000000001\\REF*XX\\", (("X12004", 10),))
_x12_case("X12005", "no-iea", "the IEA segment removed", "IEA*1*000000001\\", "",
          (("X12005", 10),))
_x12_case("X12006", "iea-control", "IEA02 000000001 -> 000000002", "IEA*1*000000001",
          "IEA*1*000000002", (("X12006", 10),))
_x12_case("X12007", "ge-control", "GE02 1 -> 2", "GE*1*1\\", "GE*1*2\\", (("X12007", 10),))
_x12_case("X12008", "se-control", "SE02 0001 -> 0002", "SE*10*0001", "SE*10*0002",
          (("X12008", 9),))
_x12_case("X12009", "se-count", "SE01 10 -> 11", "SE*10*", "SE*11*", (("X12009", 9),))
_x12_case("X12010", "ge-count", "GE01 1 -> 2", "GE*1*1\\", "GE*2*1\\", (("X12010", 9),))
_x12_case("X12011", "iea-count", "IEA01 1 -> 2", "IEA*1*", "IEA*2*", (("X12011", 10),))
_x12_case("X12012", "gs-not-ra", "GS01 RA -> RX", "GS*RA*", "GS*RX*", (("X12012", 5),))
_x12_case("X12013", "st-not-820", "ST01 820 -> 821", "ST*820*", "ST*821*", (("X12013", 6),))
_x12_case("X12014", "no-bpr", "the BPR segment renamed BPX: the set has no BPR",
          "BPR*C*", "BPX*C*", (("X12014", 5),))
_x12_case("X12015", "bpr-amount-letter", "BPR02 335.47 -> 335.4X", "*335.47*", "*335.4X*",
          (("X12015", 6),))
_x12_case("X12017", "bpr-vs-ded-sum", "the first DED04 13547 -> 13548: DEDs add up to 335.48",
          "*13547*", "*13548*", (("X12017", 6),))
_x12_case("X12018", "no-ded", "both DED segments renamed REF", "DED*CS*", "REF*CS*",
          (("X12018", 4),), count=2)
_x12_case("X12019", "gs-version", "GS08 004010 -> 004020 while ISA12 says 00401",
          "*X*004010", "*X*004020", (("X12019", 5),))
_x12_case("X12020", "space-between-segments", "a space before the TRN segment",
          "\\TRN*", "\\ TRN*", (("X12020", 7),))
_x12_case("X12021", "bpr-debit", "BPR03 C -> D", "*335.47*C*ACH*", "*335.47*D*ACH*",
          (("X12021", 6),))
# X12 004010 defines DED06 = W, so an unagreed W in its 820 is a warning, not an error.
_x12_case("DED029", "ctx-medical-w", "the first DED's medical indicator N -> W in the 820",
          "*123456789*N*SMITH", "*123456789*W*SMITH", (("DED029", 8),))
# A DED inside an 820 of version 004010 carries CCYYMMDD; the finding lands on its addenda.
_x12_case("DED013", "ctx-pay-date-yymmdd", "the first DED's pay date written YYMMDD in the 820",
          "*123456*20250102*", "*123456*250102*", (("DED013", 8),))


@case("X12016", "bpr-vs-entry-amount",
      "the CTX entry amount (30-39) 33547 -> 33548 with the batch and file credit totals; the "
      "820 still pays 335.47", [("X12016", 6)], base="ctx")
def _(lines: list[str]) -> None:
    replace(lines, 3, 30, "0000033547", "0000033548")
    replace(lines, 11, 33, "000000033547", "000000033548")
    replace(lines, 12, 44, "000000033547", "000000033548")


# Exempt from the corpus, with the reason the corpus test repeats:
EXEMPT = {
    "ED012": "needs a CTX entry with 10,000 addenda (about 1 MB); tests/test_validate.py makes "
    "it fire on a generated stream",
    "DED028": "a CCD+ addenda holds 80 characters of payment information, so no DED read from "
    "a file can be longer; a longer segment is cut and shows as DED002",
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output = Path(args[0]) if args else DEFAULT_OUTPUT
    output.mkdir(parents=True, exist_ok=True)
    names = [c.name for c in CASES]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise SystemExit(f"duplicate case names: {sorted(duplicates)}")
    wanted = set()
    for item in CASES:
        data = item.content()
        expectation = json.dumps(item.expectation(), indent=2, sort_keys=True) + "\n"
        (output / f"{item.name}.ach").write_bytes(data)
        (output / f"{item.name}.expected.json").write_text(expectation, encoding="utf-8")
        wanted |= {f"{item.name}.ach", f"{item.name}.expected.json"}
    for stale in sorted(output.iterdir()):
        if stale.name not in wanted and stale.name.endswith((".ach", ".expected.json")):
            stale.unlink()
    print(f"wrote {len(CASES)} cases to {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
