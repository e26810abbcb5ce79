"""Variants inside the addenda: one edit to a DED element, to the 820 of a CTX entry, and the
mistakes a bank's parser meets in the wild (padded DEDs, ``/`` for ``\\``, truncated files).

Each expectation is placed from the edit itself: a DED element's column is 4 plus its offset
in the segment; an 820 element's line and column come from its offset in the interchange,
80 characters per addenda.
"""

from __future__ import annotations

from collections.abc import Callable

from nacha_cs.ach.records import (
    BATCH_CONTROL,
    BATCH_HEADER,
    PAYMENT_INFO_WIDTH,
    RECORD_LENGTH,
)
from nacha_cs.bank.mutate import (
    INFO,
    PADDING,
    PAYMENT_INFO,
    SEC_CODE,
    Expect,
    Maker,
    Variant,
    _File,
)

MAKERS: list[Maker] = []
SLICE = PAYMENT_INFO_WIDTH


def _ded_lines(f: _File) -> list[int]:
    """CCD+ addenda (in CCD batches) whose payment information is a DED segment."""
    found = []
    sec = ""
    for number, line in enumerate(f.lines, start=1):
        if line[:1] == "5":
            sec = line[SEC_CODE]
        elif (sec == "CCD" and line[:3] == "705" and line[PAYMENT_INFO].startswith("DED*")
              and "\\" in line):
            found.append(number)
    return found


def _parts(line: str) -> list[str]:
    segment = line[PAYMENT_INFO].rstrip(" ")
    return segment[:-1].split("*")


def _offset(parts: list[str], index: int) -> int:
    return sum(len(p) + 1 for p in parts[:index])


def _with_info(line: str, info: str) -> str | None:
    if len(info) > SLICE:
        return None
    return line[: PAYMENT_INFO.start] + info.ljust(SLICE) + line[PAYMENT_INFO.stop:]


Change = Callable[[list[str]], "tuple[list[str], int] | None"]


def ded_edit(code: str, slug: str, what: str, change: Change, *, field: str | None = None,
             exact: bool = True, wild: bool = False,
             also: tuple[str, ...] = ()) -> None:
    """Change the first DED that ``change`` applies to; it returns the new parts and the index
    of the element the finding is on."""

    def make(f: _File) -> Variant | None:
        for line in _ded_lines(f):
            parts = _parts(f.lines[line - 1])
            result = change(list(parts))
            if result is None:
                continue
            new_parts, index = result
            text = _with_info(f.lines[line - 1], "*".join(new_parts) + "\\")
            if text is None:
                continue
            lines = f.copy()
            lines[line - 1] = text
            column = INFO + _offset(new_parts, index)
            name = field if field is not None else f"DED{index:02d}"
            expected = (Expect(code, line, column, name, exact),
                        *(Expect(c, line, None, None, False) for c in also))
            return Variant(f"{code}-{slug}", code, f"{what} (line {line})", lines, expected,
                           wild)
        return None

    MAKERS.append(make)


def _set(index: int, value: Callable[[str], str | None],
         when: Callable[[list[str]], bool] = lambda p: True) -> Change:
    def change(parts: list[str]) -> tuple[list[str], int] | None:
        if index >= len(parts) or not when(parts):
            return None
        new = value(parts[index])
        if new is None:
            return None
        parts[index] = new
        return parts, index
    return change


def _append(value: str, length: int) -> Change:
    """Add an element after the last one, when the segment has exactly ``length`` parts."""
    def change(parts: list[str]) -> tuple[list[str], int] | None:
        if len(parts) != length:
            return None
        return [*parts, value], length
    return change


def _not_terminated(parts: list[str]) -> bool:
    return len(parts) < 10


def _plus_one(value: str) -> str | None:
    return str(int(value) + 1) if value.isdigit() and not set(value) <= {"9"} else None


ded_edit("DED030", "padded-case", "DED02 padded with a trailing space", _set(2, lambda v: v + " "))
ded_edit("DED007", "leading-space-case", "DED02 after a leading space", _set(2, lambda v: " " + v))
ded_edit("DED008", "lowercase-cs", "DED01 written cs", _set(1, lambda v: v.lower()))
ded_edit("DED009", "application-xx", "DED01 XX", _set(1, lambda v: "XX"))
ded_edit("DED010", "interstate-application", "DED01 RI (state to state)",
         _set(1, lambda v: "RI"))
ded_edit("DED011", "case-21-characters", "DED02 of 21 characters",
         _set(2, lambda v: (v * 21)[:21]))
ded_edit("DED012", "pay-date-feb-30", "DED03 on 30 February", _set(3, lambda v: v[:2] + "0230"))
ded_edit("DED013", "pay-date-ccyymmdd", "DED03 written CCYYMMDD in a CCD+",
         _set(3, lambda v: "20" + v))
ded_edit("DED014", "decimal-amount", "DED04 with a decimal point (wild: dollars and cents)",
         _set(4, lambda v: f"{int(v) // 100}.{int(v) % 100:02d}"), wild=True)
ded_edit("DED015", "amount-letters", "DED04 ending in a letter", _set(4, lambda v: v[:-1] + "A"))
ded_edit("DED016", "amount-11-digits", "DED04 zero-filled to 11 digits",
         _set(4, lambda v: v.zfill(11)))
ded_edit("DED017", "zero-amount", "DED04 0 without DED09 = Y",
         _set(4, lambda v: "0" if v != "0" else None, _not_terminated))
# CS002 compares the payment with its entry: where in the addenda it points is the
# validator's choice (today the whole field, column 4), so only code and line are promised.
ded_edit("CS002", "ded-amount", "DED04 one cent more than the entry", _set(4, _plus_one),
         exact=False)
ded_edit("DED018", "blank-ssn", "DED05 empty (wild: SSN unknown)", _set(5, lambda v: ""),
         wild=True)
ded_edit("DED019", "ssn-8-digits", "DED05 of 8 digits", _set(5, lambda v: v[:8]))
ded_edit("DED020", "ssn-area-9xx", "DED05 in area 9xx (never issued)",
         _set(5, lambda v: "9" + v[1:]))
ded_edit("DED021", "medical-x", "DED06 X", _set(6, lambda v: "X"))
ded_edit("DED022", "name-11-characters", "DED07 of 11 characters",
         _set(7, lambda v: (v + "XXXXXXXXXXX")[:11] if v else None))
ded_edit("DED023", "fips-4-characters", "DED08 of 4 characters",
         _set(8, lambda v: v[:4] if v else None))
ded_edit("DED023", "fips-6-digits", "DED08 of 6 digits (wild: county code plus one)",
         _set(8, lambda v: v[:5] + "1" if len(v) == 5 else None), wild=True)
ded_edit("DED024", "termination-n", "DED09 = N (wild: payroll says 'not terminated')",
         _append("N", 9), wild=True)
ded_edit("DED025", "termination-x", "DED09 = X", _append("X", 9))


def segment_edit(code: str, slug: str, what: str, change: Callable[[str], str | None],
                 column: Callable[[str, str], int], *, exact: bool = True,
                 wild: bool = False, also: tuple[str, ...] = ()) -> None:
    """Rewrite the whole segment text (terminator included); ``column`` gives the 0-based
    offset of the finding from the old and new text."""

    def make(f: _File) -> Variant | None:
        for line in _ded_lines(f):
            old = f.lines[line - 1][PAYMENT_INFO].rstrip(" ")
            new = change(old)
            if new is None:
                continue
            text = _with_info(f.lines[line - 1], new)
            if text is None:
                continue
            lines = f.copy()
            lines[line - 1] = text
            expected = (Expect(code, line, INFO + column(old, new), "DED", exact),
                        *(Expect(c, line, None, None, False) for c in also))
            return Variant(f"{code}-{slug}", code, f"{what} (line {line})", lines, expected,
                           wild)
        return None

    MAKERS.append(make)


segment_edit("DED001", "not-a-ded", "the payment information is free text",
             lambda s: "CHILD SUPPORT PAYMENT " + s.split("*")[2], lambda o, n: 0)
segment_edit("DED002", "no-terminator", "the final backslash removed", lambda s: s[:-1],
             lambda o, n: len(n) - 1, exact=False)
segment_edit("DED003", "slash-terminator", "the final backslash written / (wild)",
             lambda s: s[:-1] + "/", lambda o, n: len(n) - 1, wild=True)
segment_edit("DED004", "text-after-terminator", "text after the backslash",
             lambda s: s + " X", lambda o, n: len(o), exact=False)
segment_edit("DED005", "ten-elements", "DED09 = Y followed by a tenth element",
             lambda s: s[:-1] + "*Y*X\\" if s.count("*") == 8 else None,
             lambda o, n: len(n) - 3, exact=False)
segment_edit("DED006", "no-medical-indicator", "DED06 and everything after it dropped",
             lambda s: "*".join(s.split("*")[:6]) + "\\" if s.split("*")[4] != "0" else None,
             lambda o, n: len(n) - 1, exact=False)
segment_edit("DED026", "trailing-empty-element", "DED08 emptied, its separator kept",
             lambda s: "*".join(s.split("*")[:8]) + "*\\" if s.count("*") == 8 else None,
             lambda o, n: len(n) - 2, exact=False)
@MAKERS.append
def _fixed_width(f: _File) -> Variant | None:
    """Wild: a payroll export that pads DED02 to 20 and DED07 to 10 characters."""
    for line in _ded_lines(f):
        parts = _parts(f.lines[line - 1])
        if len(parts) < 8 or not parts[7] or len(parts[7]) >= 10 or len(parts[2]) >= 20:
            continue
        parts[2] = parts[2].ljust(20)
        parts[7] = parts[7].ljust(10)
        text = _with_info(f.lines[line - 1], "*".join(parts) + "\\")
        if text is None:
            continue
        lines = f.copy()
        lines[line - 1] = text
        return Variant("DED030-fixed-width", "DED030",
                       f"DED02 padded to 20 and DED07 to 10 characters (line {line})", lines,
                       (Expect("DED030", line, INFO + _offset(parts, 2), "DED02"),
                        Expect("DED030", line, INFO + _offset(parts, 7), "DED07")), wild=True)
    return None


@MAKERS.append
def _lowercase_name(f: _File) -> Variant | None:
    """Wild: a payroll that keeps the employee's name as typed. DED07 is AN, and ACH
    alphanumeric fields may hold lowercase letters, so nothing is wrong: a parser must take it
    (the rule is WILD, no finding expected)."""
    for line in _ded_lines(f):
        parts = _parts(f.lines[line - 1])
        if len(parts) < 8 or not any(c.isalpha() for c in parts[7]):
            continue
        parts[7] = parts[7].lower()
        lines = f.copy()
        text = _with_info(lines[line - 1], "*".join(parts) + "\\")
        assert text is not None
        lines[line - 1] = text
        return Variant("WILD-lowercase-name", "WILD", f"DED07 in lowercase (line {line})",
                       lines, (), wild=True)
    return None


# The 820 of the first CTX entry ----------------------------------------------------------


def _interchange(f: _File) -> str:
    return "".join(f.lines[n - 1][PAYMENT_INFO] for n in f.ctx_addenda)


def _place(f: _File, offset: int) -> tuple[int, int]:
    return f.ctx_addenda[offset // SLICE], INFO + offset % SLICE


def _element(text: str, segment: str, index: int, nth: int = 1) -> tuple[int, int] | None:
    """Start and end offsets of element ``index`` of the ``nth`` segment with this id."""
    start = -1
    for _ in range(nth):
        start = text.find("\\" + segment + "*", start + 1)
        if start < 0:
            return None
    begin = start + 1
    end = text.find("\\", begin)
    parts = text[begin:end].split("*")
    if index >= len(parts):
        return None
    at = begin + _offset(parts, index)
    return at, at + len(parts[index])


def _resliced(f: _File, text: str) -> list[str] | None:
    if len(text.rstrip(" ")) > SLICE * len(f.ctx_addenda):
        return None
    text = text.rstrip(" ").ljust(SLICE * len(f.ctx_addenda))
    lines = f.copy()
    for index, number in enumerate(f.ctx_addenda):
        old = lines[number - 1]
        lines[number - 1] = (old[: PAYMENT_INFO.start] + text[index * SLICE:(index + 1) * SLICE]
                             + old[PAYMENT_INFO.stop:])
    return lines


def x12_edit(code: str, slug: str, what: str, segment: str, index: int,
             change: Callable[[str], str | None], *, found_on: tuple[str, int] | None = None,
             nth: int = 1, wild: bool = False, exact: bool = True) -> None:
    """Change one element of the 820; the finding sits on that element or on ``found_on``."""

    def make(f: _File) -> Variant | None:
        if f.ctx_entry is None:
            return None
        text = _interchange(f)
        span = _element(text, segment, index, nth) if segment != "ISA" else (0, 3)
        if span is None:
            return None
        new = change(text[span[0]:span[1]])
        if new is None or len(new) != span[1] - span[0]:
            return None
        lines = _resliced(f, text[:span[0]] + new + text[span[1]:])
        assert lines is not None
        seg, idx = found_on or (segment, index)
        at = _element(text, seg, idx) if seg != "ISA" else (0, 3)
        assert at is not None
        line, column = _place(f, at[0])
        field = seg if idx == 0 else f"{seg}{idx:02d}"
        return Variant(f"{code}-{slug}", code, f"{what} (CTX entry at line {f.ctx_entry})",
                       lines, (Expect(code, line, column, field, exact),), wild)

    MAKERS.append(make)


def _digits_plus(value: str) -> str | None:
    if not value.isdigit() or set(value) <= {"9"}:
        return None
    return f"{int(value) + 1:0{len(value)}d}"


x12_edit("X12001", "no-isa", "the interchange starts IXA", "ISA", 0, lambda v: "IXA",
         exact=True)
x12_edit("X12006", "iea-control", "IEA02 one more", "IEA", 2, _digits_plus)
x12_edit("X12007", "ge-control", "GE02 one more", "GE", 2, _digits_plus)
x12_edit("X12008", "se-control", "SE02 one more", "SE", 2, _digits_plus)
x12_edit("X12009", "se-count", "SE01 one more", "SE", 1, _digits_plus)
x12_edit("X12010", "ge-count", "GE01 one more", "GE", 1, _digits_plus)
x12_edit("X12011", "iea-count", "IEA01 one more", "IEA", 1, _digits_plus)
x12_edit("X12012", "gs-not-ra", "GS01 RX", "GS", 1, lambda v: "RX")
x12_edit("X12013", "st-not-820", "ST01 821", "ST", 1, lambda v: "821")
x12_edit("X12015", "bpr-amount-letter", "BPR02 ends in a letter", "BPR", 2,
         lambda v: v[:-1] + "X")
x12_edit("X12017", "bpr-vs-ded-sum", "the first DED04 one cent more", "DED", 4, _digits_plus,
         found_on=("BPR", 2))
x12_edit("X12019", "gs-version", "GS08 004020 while ISA12 says 00401", "GS", 8,
         lambda v: "004020" if v == "004010" else None)
x12_edit("X12021", "bpr-debit", "BPR03 D", "BPR", 3, lambda v: "D" if v == "C" else None)


def _interchange_edit(code: str, slug: str, what: str, change: Callable[[str], str | None],
                      where: Callable[[str, str], int]) -> None:
    """Rewrite the whole 820 text; ``where`` gives the offset (in the new text) of the segment
    the finding lands on. Only code and line are promised: the column is the
    validator's choice for these whole-interchange problems."""

    def make(f: _File) -> Variant | None:
        if f.ctx_entry is None:
            return None
        old = _interchange(f).rstrip(" ")
        new = change(old)
        if new is None:
            return None
        lines = _resliced(f, new)
        if lines is None:
            return None
        line, _ = _place(f, where(old, new))
        return Variant(f"{code}-{slug}", code, f"{what} (CTX entry at line {f.ctx_entry})",
                       lines, (Expect(code, line, None, None, False),))

    MAKERS.append(make)


_interchange_edit("X12003", "iea-no-terminator", "the final backslash after IEA removed",
                  lambda t: t[:-1], lambda o, n: len(n) - 1)
_interchange_edit("X12004", "text-after-iea", "a segment after IEA",
                  lambda t: t + "REF*XX\\", lambda o, n: len(o))
_interchange_edit("X12005", "no-iea", "the IEA segment removed",
                  lambda t: t[:t.rfind("\\IEA*") + 1], lambda o, n: len(n) - 1)
_interchange_edit("X12014", "no-bpr", "the BPR segment renamed BPX: the set has no BPR",
                  lambda t: t.replace("\\BPR*", "\\BPX*", 1),
                  lambda o, n: n.find("\\ST*") + 1)
_interchange_edit("X12018", "no-ded", "every DED segment renamed REF",
                  lambda t: t.replace("\\DED*", "\\REF*"), lambda o, n: 0)


@MAKERS.append
def _isa_widths(f: _File) -> Variant | None:
    """ISA06 one character short and ISA08 one long: the ISA keeps its 106 characters."""
    if f.ctx_entry is None:
        return None
    text = _interchange(f)
    isa06, isa08 = (35, 50), (54, 69)
    if text[isa06[1] - 1] != " " or text[50] != "*" or text[69] != "*":
        return None
    new = text[:isa06[1] - 1] + text[isa06[1]:isa08[1]] + " " + text[isa08[1]:]
    lines = _resliced(f, new)
    assert lines is not None
    first = _place(f, isa06[0])
    second = _place(f, isa08[0] - 1)
    return Variant("X12002-isa-widths", "X12002",
                   f"ISA06 one character short, ISA08 one long (CTX entry at line {f.ctx_entry})",
                   lines, (Expect("X12002", first[0], first[1], "ISA06"),
                           Expect("X12002", second[0], second[1], "ISA08")))


@MAKERS.append
def _latin1_in_name(f: _File) -> Variant | None:
    """A Latin-1 letter in DED07: the DED check and the record's character check both see it."""
    for line in _ded_lines(f):
        parts = _parts(f.lines[line - 1])
        if len(parts) < 8 or len(parts[7]) < 2 or not parts[7][1].isalpha():
            continue
        at = _offset(parts, 7)
        parts[7] = parts[7][0] + "\xc4" + parts[7][2:]
        text = _with_info(f.lines[line - 1], "*".join(parts) + "\\")
        assert text is not None
        lines = f.copy()
        lines[line - 1] = text
        return Variant("DED027-latin1-in-name", "DED027",
                       f"DED07 with a Latin-1 letter (line {line})", lines,
                       (Expect("DED027", line, INFO + at, "DED07"),
                        Expect("CHR001", line, INFO + at + 1)))
    return None


@MAKERS.append
def _slice_with_space(f: _File) -> Variant | None:
    """Wild: an 820 sliced so that an addenda starts with a space (a writer that pads each
    segment to begin a new addenda)."""
    if f.ctx_entry is None:
        return None
    text = _interchange(f).rstrip(" ")
    room = SLICE * len(f.ctx_addenda) - len(text)
    # The first segment end whose following segment can be pushed to the second character of
    # the next addenda with the fill the last addenda has left.
    for boundary in (i for i, c in enumerate(text[SLICE - 1:-1], SLICE - 1) if c == "\\"):
        cut = boundary + 1
        spaces = (-cut % SLICE) + 1
        if spaces <= room:
            break
    else:
        return None
    lines = _resliced(f, text[:cut] + " " * spaces + text[cut:])
    assert lines is not None
    # Trailing spaces of an addenda are its fill; the space that counts is the one that
    # starts the next addenda. The finding sits on it and names the segment that follows.
    line, column = _place(f, cut + spaces - 1)
    segment = text[cut:].split("*", 1)[0]
    return Variant("X12020-slice-starts-with-space", "X12020",
                   f"the 820 padded so an addenda starts with a space (CTX entry at line "
                   f"{f.ctx_entry})", lines, (Expect("X12020", line, column, segment),),
                   wild=True)


# Truncated files -------------------------------------------------------------------------


@MAKERS.append
def _cut_mid_record(f: _File) -> Variant | None:
    """Wild: a transfer that stopped in the middle of the last batch control."""
    last = max(n for n, line in enumerate(f.lines, start=1) if line[:1] == "8")
    header = max(n for n in range(1, last) if f.lines[n - 1][:1] == "5")
    lines = f.lines[:last]
    lines[-1] = lines[-1][:CUT]
    return Variant("FILE006-truncated-mid-record", "FILE006",
                   f"the file ends {CUT} characters into line {last}", lines,
                   (Expect("FILE002", last, None, None, False),
                    *_cut_knock_ons(f.lines[header - 1], lines[-1], last),
                    Expect("FILE006", last, None, None, False)), wild=True)


CUT = 50


def _cut_knock_ons(batch_header: str, cut: str, line: int) -> tuple[Expect, ...]:
    """What a batch control cut short also breaks, read off its field table: a record is read
    as if padded with blanks, so each mandatory field past the cut is blank, and a company
    identification cut in two no longer matches its batch header's."""
    found = []
    for spec in BATCH_CONTROL.fields:
        if spec.start > len(cut) and spec.inclusion == "M" and not spec.reserved:
            found.append(Expect("FLD002", line, spec.start, spec.name))
    name = "company_identification"
    padded = cut.ljust(RECORD_LENGTH)
    if padded[BATCH_CONTROL.slice(name)] != batch_header[BATCH_HEADER.slice(name)]:
        found.append(Expect("BC005", line, BATCH_CONTROL.span(name)[0], name))
    return tuple(found)


@MAKERS.append
def _cut_before_control(f: _File) -> Variant | None:
    """Wild: a file cut after its last batch: no file control, no padding."""
    last = max(n for n, line in enumerate(f.lines, start=1) if line[:1] == "8")
    return Variant("FILE006-truncated-after-batch", "FILE006",
                   f"the file ends after the batch control at line {last}", f.lines[:last],
                   (Expect("FILE006", last, None, None, False),), wild=True)


__all__ = ["MAKERS", "PADDING", "ded_edit", "segment_edit", "x12_edit"]
