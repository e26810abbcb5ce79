"""The X12 820 a child-support CTX entry carries: build it, slice it into addenda, read it back.

One CTX entry pays one State Disbursement Unit for many employees. Its addenda hold a whole
interchange, cut every 80 characters with no regard for segment boundaries (the last slice is
space-filled)::

    ISA GS(RA) ST(820) BPR TRN N1(PR) N1(PE) {ENT DED}... SE GE IEA

BPR02 is the payment (dollars with a decimal point, X12 type R) and equals both the entry
amount and the sum of the DED04 amounts (cents, X12 type N2). SE01 counts ST through SE;
GE01 counts the transaction sets it closes, IEA01 the groups; ST02/SE02, GS06/GE02 and
ISA13/IEA02 agree. Inside an 820 of version 004010 or later DED03 is CCYYMMDD.

Building (:mod:`nacha_cs.codecs.ctx820_build`, re-exported here) raises :class:`Ctx820Error` on
anything that cannot be sent; parsing, here, never raises and places every finding on the
addenda record (line) and column (4-83) where it sits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

import attrs

from nacha_cs.codecs import ded as ded_codec
from nacha_cs.codecs.ctx820_build import (
    DEFAULT_VERSION,
    FIRST_COLUMN,
    MAX_ADDENDA,
    SLICE,
    SUPPORTED_VERSIONS,
    BankParty,
    Ctx820Error,
    Envelope,
    TooManyAddenda,
    build_820,
    build_addenda,
    format_amount,
    long_dates,
    split_addenda,
)
from nacha_cs.codecs.ded import Ded, DedPolicy
from nacha_cs.codecs.ded_table import MEDICAL_W_FROM
from nacha_cs.codecs.wording import count
from nacha_cs.codecs.x12 import Delimiters, Token, Tokens, read_delimiters, segments
from nacha_cs.codecs.x12_rules import (
    AFTER_IEA,
    BAD_BPR_AMOUNT,
    BPR_VS_DED,
    BPR_VS_ENTRY,
    ENVELOPE,
    GAP,
    GE_COUNT,
    GS_GE,
    IEA_COUNT,
    ISA_IEA,
    NO_BPR,
    NO_DED,
    NO_TERMINATOR,
    NOT_820,
    NOT_ACH_CREDIT,
    NOT_RA,
    SE_COUNT,
    ST_SE,
    VERSION_MISMATCH,
)
from nacha_cs.findings import Finding, Rule

__all__ = [
    "DEFAULT_VERSION", "FIRST_COLUMN", "MAX_ADDENDA", "SLICE", "SUPPORTED_VERSIONS",
    "BankParty", "Ctx820Error", "Envelope", "PlacedDed", "Remittance820", "TooManyAddenda",
    "build_820", "build_addenda", "check_for_validator", "format_amount", "join_addenda",
    "parse_820", "parse_amount", "split_addenda",
]


class HasDedPolicy(Protocol):
    """What the validator's state profile offers here (kept as a protocol: codecs sit below
    validate and import nothing from it)."""

    @property
    def ded_policy(self) -> DedPolicy: ...


def medical_w_defined(version: str) -> bool:
    """Whether an 820 of this X12 version defines DED06 = W (003070 on).

    >>> medical_w_defined("003060"), medical_w_defined("003070"), medical_w_defined("004010")
    (False, True, True)
    """
    return version[:6].isdigit() and version[:6] >= MEDICAL_W_FROM



# --- model -----------------------------------------------------------------------------------

@attrs.frozen(slots=True)
class PlacedDed:
    """One DED segment of an 820 and where it starts: its addenda (line) and record columns.

    ``ded`` is None when the segment did not decode without an error. ``end_column`` is the
    segment's last column (terminator included) in the record of ``line``; a segment that runs
    on into the next addenda ends there at column 83.
    """

    ded: Ded | None
    line: int
    column: int
    end_column: int


@attrs.frozen(slots=True)
class Remittance820:
    """What a parsed 820 says. ``deds`` holds the DEDs that decoded without an error."""

    version: str
    control_number: str
    amount: int | None
    """Sum of BPR02 over the transaction sets, in cents (None when one is unreadable)."""
    payer: str
    payee: str
    trace: str
    deds: tuple[Ded, ...]
    ded_count: int
    """Every DED segment seen, including those that did not decode."""
    placed: tuple[PlacedDed, ...] = attrs.field(default=(), eq=False)
    """Every DED segment seen, in order, with where it sits; not part of what the 820 says,
    so two remittances read from different lines compare equal."""


def _placed_constructor() -> Callable[[Ded | None, int, int, int], PlacedDed]:
    """PlacedDed through its slot descriptors, not attrs' frozen ``__init__``: the values are
    the placer's own ints, and an 820 of 9,999 addenda places 11,000 of them."""
    new = object.__new__
    s_ded, s_line, s_column, s_end = (PlacedDed.__dict__[a.name].__set__
                                      for a in attrs.fields(PlacedDed))

    def make(ded: Ded | None, line: int, column: int, end_column: int) -> PlacedDed:
        placed = new(PlacedDed)
        s_ded(placed, ded)
        s_line(placed, line)
        s_column(placed, column)
        s_end(placed, end_column)
        return placed

    return make


_placed_ded = _placed_constructor()


# --- parsing ---------------------------------------------------------------------------------

_AMOUNT = re.compile(r"([0-9]*)(?:\.([0-9]*))?")


def parse_amount(text: str) -> int | None:
    """BPR02 to cents; None for anything that is not a non-negative amount to the cent."""
    match = _AMOUNT.fullmatch(text)
    if match is None or not (match[1] or match[2]):
        return None
    fraction = match[2] or ""
    if fraction[2:].strip("0"):
        return None
    return int(match[1] or "0") * 100 + int(fraction[:2].ljust(2, "0"))


class _Placer:
    """Moves offsets in the joined interchange to (addenda line, record column)."""

    def __init__(self, lines: Sequence[int]) -> None:
        self.lines = lines

    def locate(self, column: int, end_column: int) -> tuple[int, int, int]:
        """A 1-based span of the joined interchange as (line, column, end column) of the
        record where it starts; a span running into the next record ends at column 83."""
        offset = column - 1
        index = min(offset // SLICE, len(self.lines) - 1)
        base = index * SLICE
        end = end_column - 1
        last_column = FIRST_COLUMN + SLICE - 1
        return (
            self.lines[index],
            min(offset - base + FIRST_COLUMN, last_column),
            min(max(end, offset) - base + FIRST_COLUMN, last_column),
        )

    def place_deds(self, spans: Sequence[tuple[Ded | None, int, int]]) -> tuple[PlacedDed, ...]:
        """Every DED read, by its 0-based first and last offsets: :meth:`locate` for each,
        worked out in one loop (an 820 of 9,999 addenda holds 11,000 DEDs)."""
        lines = self.lines
        last_index = len(lines) - 1
        last_column = FIRST_COLUMN + SLICE - 1
        placed: list[PlacedDed] = []
        append = placed.append
        make = _placed_ded
        for value, start, end in spans:
            index = min(start // SLICE, last_index)
            base = index * SLICE - FIRST_COLUMN
            append(make(value, lines[index], min(start - base, last_column),
                        min(max(end, start) - base, last_column)))
        return tuple(placed)

    def place(self, finding: Finding) -> Finding:
        if finding.column is None:
            return attrs.evolve(finding, line=self.lines[0])
        end = finding.end_column if finding.end_column is not None else finding.column
        line, column, end_column = self.locate(finding.column, end)
        return attrs.evolve(finding, line=line, column=column, end_column=end_column)


def join_addenda(addenda: Sequence[tuple[int, str]]) -> str:
    """The interchange text back from the addenda fields (each taken as exactly 80 wide)."""
    return "".join(text[:SLICE].ljust(SLICE) for _, text in addenda)


def parse_820(
    addenda: Sequence[tuple[int, str]],
    *,
    entry_amount: int | None = None,
    policy: DedPolicy = ded_codec.STRICT,
    placed_if: Callable[[Ded], bool] | None = None,
) -> tuple[Remittance820 | None, list[Finding]]:
    """Read the 820 a CTX entry carries and check it; never raises.

    ``addenda`` are ``(line, payment related information)`` pairs in order. Findings carry the
    line of the addenda where the problem sits and its column in that record (4-83). The
    result is None only when no interchange could be read at all (no ISA, bad delimiters).
    ``placed_if``: place only the decoded DEDs it accepts (for a caller that needs where a
    few of them sit, not all 11,000 of a full 820); by default every DED seen is placed.
    """
    if not addenda:
        return None, [ENVELOPE.finding("CTX entry has no addenda: the 820 is missing",
                                       field="ISA")]
    reader = _Reader(join_addenda(addenda), entry_amount, policy)
    result = reader.run()
    placer = _Placer([line for line, _ in addenda])
    spans = reader.spans
    if placed_if is not None:
        spans = [span for span in spans if span[0] is not None and placed_if(span[0])]
    if result is not None and spans:
        result = attrs.evolve(result, placed=placer.place_deds(spans))
    return result, [placer.place(f) for f in reader.findings]


def _same_number(text: str, count: int) -> bool:
    """X12 counts are N0: ``0001`` and ``1`` say the same thing."""
    return text.isascii() and text.isdigit() and int(text) == count


def _same_control(closing: str, opening: str) -> bool:
    """GS06/GE02 are N0 too; compare as numbers when both are, else as text."""
    if closing.isascii() and closing.isdigit() and opening.isascii() and opening.isdigit():
        return int(closing) == int(opening)
    return closing == opening


_STOPS = frozenset({"SE", "ST", "GE", "GS", "IEA", "ISA"})
"""Segment ids that end a transaction set's body."""


class _Reader:
    """One pass over the tokens of an interchange, collecting findings as offsets."""

    def __init__(self, text: str, entry_amount: int | None, policy: DedPolicy) -> None:
        self.text = text
        self.entry_amount = entry_amount
        self.policy = policy
        self.findings: list[Finding] = []
        self.deds: list[Ded] = []
        self.spans: list[tuple[Ded | None, int, int]] = []
        """Every DED read: its value (None when it did not decode) and its first and last
        offsets in the text, terminator included."""
        self.ded_count = 0
        self.payer = ""
        self.payee = ""
        self.trace = ""
        self.version = ""
        self.medical_w_defined = False
        """Whether the group being read has an X12 version that defines DED06 = W."""
        self.read_ded: Callable[[str, int, int], tuple[Ded | None, list[Finding]]] | None = None
        """The DED decoder bound to the group's options, when the interchange uses the DED's
        own delimiters (then each DED is decoded where it lies in the text)."""

    def at(self, token: Token, number: int, rule_: Rule, message: str) -> None:
        """Record a finding on element ``number`` of ``token`` (0 = the segment id)."""
        column, end_column = token.column(number)
        field = token.id if number == 0 else f"{token.id}{number:02d}"
        self.findings.append(rule_.finding(message, column=column, end_column=end_column,
                                           field=field))

    def run(self) -> Remittance820 | None:
        delimiters, findings = read_delimiters(self.text)
        self.findings.extend(findings)
        if delimiters is None:
            return None
        tokens = segments(self.text, delimiters)
        self._check_layout(tokens)
        ids = tokens.ids
        isa = tokens[0]
        index, groups, amount = 1, 0, 0
        amount_known = True
        while index < len(ids) and ids[index] == "GS":
            index, group_amount = self._group(tokens, index, delimiters)
            groups += 1
            if group_amount is None:
                amount_known = False
            else:
                amount += group_amount
        if groups == 0:
            self._expected(tokens, index, "GS")
        if index < len(ids) and ids[index] == "IEA":
            iea = tokens[index]
            if not _same_number(iea.segment.get(1), groups):
                self.at(iea, 1, IEA_COUNT, f"IEA01 is {iea.segment.get(1)!r}; the interchange "
                                           f"holds {count(groups, 'group')}")
            if iea.segment.get(2) != isa.segment.get(13):
                self.at(iea, 2, ISA_IEA, f"IEA02 is {iea.segment.get(2)!r}, ISA13 is "
                                         f"{isa.segment.get(13)!r}")
            index += 1
        else:
            self._expected(tokens, index, "IEA")
        if index < len(tokens):
            stray = tokens[index]
            self.findings.append(AFTER_IEA.finding(
                f"{stray.id!r} and {count(len(tokens) - index - 1, 'more segment')} "
                f"follow the interchange", column=stray.start + 1, end_column=tokens.ends[-1],
                field=stray.id))
        if self.ded_count == 0:
            self.findings.append(NO_DED.finding(column=1, field="DED"))
        if self.entry_amount is not None and amount_known and amount != self.entry_amount:
            bpr = tokens[ids.index("BPR")] if "BPR" in ids else None
            message = (f"BPR02 says {format_amount(amount)}, the entry says "
                       f"{format_amount(self.entry_amount)}")
            if bpr is not None:
                self.at(bpr, 2, BPR_VS_ENTRY, message)
            else:
                self.findings.append(BPR_VS_ENTRY.finding(message, column=1, field="BPR02"))
        return Remittance820(
            version=self.version,
            control_number=isa.segment.get(13),
            amount=amount if amount_known else None,
            payer=self.payer,
            payee=self.payee,
            trace=self.trace,
            deds=tuple(self.deds),
            ded_count=self.ded_count,
        )

    def _check_layout(self, tokens: Tokens) -> None:
        """Gaps between segments and a missing final terminator (none when ``plain``)."""
        if tokens.plain:
            return
        ends = tokens.ends
        gaps = [index for index, start in enumerate(tokens.starts)
                if index and start != ends[index - 1] + 1]
        if gaps:
            first = tokens[gaps[0]]
            self.findings.append(GAP.finding(
                f"{count(len(gaps), 'gap')} between segments, the first before "
                f"{first.id}",
                column=first.start, end_column=first.start, field=first.id))
        for token in tokens:
            if not token.terminated:
                self.findings.append(NO_TERMINATOR.finding(
                    f"{token.id} runs to the end of the addenda without a terminator",
                    column=max(token.end, token.start + 1), field=token.id))

    def _expected(self, tokens: Tokens, index: int, wanted: str) -> None:
        if index < len(tokens):
            found = tokens[index]
            self.at(found, 0, ENVELOPE, f"expected {wanted}, found {found.id!r}")
        else:
            end = tokens.ends[-1] + 1 if len(tokens) else 1
            self.findings.append(ENVELOPE.finding(f"{wanted} is missing at the end",
                                                  column=end, field=wanted))

    def _group(self, tokens: Tokens, index: int,
               delimiters: Delimiters) -> tuple[int, int | None]:
        gs = tokens[index]
        isa = tokens[0]
        if gs.segment.get(1) != "RA":
            self.at(gs, 1, NOT_RA, f"GS01 is {gs.segment.get(1)!r}, expected RA")
        version = gs.segment.get(8)
        if not self.version:
            self.version = version
        if version[:5] != isa.segment.get(12):
            self.at(gs, 8, VERSION_MISMATCH, f"GS08 is {version!r}, ISA12 is "
                                             f"{isa.segment.get(12)!r}")
        long_date = long_dates(version)
        self.medical_w_defined = medical_w_defined(version)
        plain = delimiters.element == "*" and delimiters.segment == "\\"
        self.read_ded = ded_codec.segment_reader(
            long_date=long_date, policy=self.policy, max_length=None,
            medical_w_defined=self.medical_w_defined) if plain else None
        index += 1
        sets = 0
        amount: int | None = 0
        while index < len(tokens) and tokens.ids[index] == "ST":
            index, set_amount = self._transaction(tokens, index, long_date)
            sets += 1
            amount = None if amount is None or set_amount is None else amount + set_amount
        if sets == 0:
            self._expected(tokens, index, "ST")
        if index < len(tokens) and tokens.ids[index] == "GE":
            ge = tokens[index]
            if not _same_number(ge.segment.get(1), sets):
                self.at(ge, 1, GE_COUNT, f"GE01 is {ge.segment.get(1)!r}; the group holds "
                                         f"{count(sets, 'transaction set')}")
            if not _same_control(ge.segment.get(2), gs.segment.get(6)):
                self.at(ge, 2, GS_GE, f"GE02 is {ge.segment.get(2)!r}, GS06 is "
                                      f"{gs.segment.get(6)!r}")
            index += 1
        else:
            self._expected(tokens, index, "GE")
        return index, amount

    def _transaction(self, tokens: Tokens, index: int,
                     long_date: bool) -> tuple[int, int | None]:
        st = tokens[index]
        first = index
        if st.segment.get(1) != "820":
            self.at(st, 1, NOT_820, f"ST01 is {st.segment.get(1)!r}, expected 820")
        index += 1
        bpr: Token | None = None
        ded_sum: int | None = 0
        deds_before = self.ded_count
        ids = tokens.ids
        size = len(ids)
        read_ded = self._ded
        while index < size and (segment_id := ids[index]) not in _STOPS:
            # by id alone: the ENT and DED segments that are nearly all of them stay offsets
            if segment_id == "DED":
                cents = read_ded(tokens, index, long_date)
                ded_sum = None if ded_sum is None or cents is None else ded_sum + cents
            elif segment_id == "BPR" and bpr is None:
                bpr = tokens[index]
                if index != first + 1:
                    self.at(bpr, 0, NO_BPR, "BPR is not the first segment after ST")
            elif segment_id == "N1":
                token = tokens[index]
                if token.segment.get(1) == "PR" and not self.payer:
                    self.payer = token.segment.get(2)
                elif token.segment.get(1) == "PE" and not self.payee:
                    self.payee = token.segment.get(2)
            elif segment_id == "TRN" and not self.trace:
                self.trace = tokens[index].segment.get(2)
            index += 1
        if index < size and ids[index] == "SE":
            se = tokens[index]
            segments = index - first + 1
            if not _same_number(se.segment.get(1), segments):
                self.at(se, 1, SE_COUNT, f"SE01 is {se.segment.get(1)!r}; ST to SE holds "
                                         f"{count(segments, 'segment')}")
            if se.segment.get(2) != st.segment.get(2):
                self.at(se, 2, ST_SE, f"SE02 is {se.segment.get(2)!r}, ST02 is "
                                      f"{st.segment.get(2)!r}")
            index += 1
        else:
            self._expected(tokens, index, "SE")
        if bpr is None:
            self.at(st, 0, NO_BPR, "the transaction set has no BPR segment")
            return index, None
        return index, self._bpr(bpr, ded_sum if self.ded_count > deds_before else None)

    def _bpr(self, bpr: Token, ded_sum: int | None) -> int | None:
        segment = bpr.segment
        amount = parse_amount(segment.get(2))
        if amount is None:
            self.at(bpr, 2, BAD_BPR_AMOUNT, f"BPR02 {segment.get(2)!r} is not an amount like "
                                            f"135.47")
        elif ded_sum is not None and amount != ded_sum:
            self.at(bpr, 2, BPR_VS_DED, f"BPR02 says {format_amount(amount)}, the DED04 "
                                        f"amounts add up to {format_amount(ded_sum)}")
        wanted = {3: "C", 4: "ACH", 5: "CTX"}
        wrong = [f"BPR{n:02d} is {segment.get(n)!r}" for n, v in wanted.items()
                 if segment.get(n) != v]
        if wrong:
            number = next(n for n, v in wanted.items() if segment.get(n) != v)
            self.at(bpr, number, NOT_ACH_CREDIT, "; ".join(wrong) + " (expected C, ACH, CTX)")
        return amount

    def _ded(self, tokens: Tokens, index: int, long_date: bool) -> int | None:
        """Decode DED ``tokens[index]`` in place (read from the text by its offsets, no
        :class:`Token` made unless it must be split); returns its DED04 cents when they can
        be read."""
        self.ded_count += 1
        start = tokens.starts[index]
        end = tokens.ends[index]
        if self.read_ded is not None and tokens.is_terminated(index):
            value, findings = self.read_ded(self.text, start, end + 1)
        else:
            token = tokens[index]
            parts = [token.id, *token.segment.elements]
            offsets = [o - start for o in token.offsets]
            value, findings = ded_codec.decode_elements(
                parts, offsets, long_date=long_date, policy=self.policy,
                medical_w_defined=self.medical_w_defined)
        for finding in findings:
            self.findings.append(finding.at(column_offset=start))
        self.spans.append((value, start, end))
        if value is not None:
            self.deds.append(value)
            return value.amount
        raw = tokens[index].segment.get(4)
        return int(raw) if raw.isascii() and raw.isdigit() else None


def check_for_validator(
    addenda: Sequence[tuple[int, str]],
    entry_amount: int | None,
    state: HasDedPolicy | None,
    placed_if: Callable[[Ded], bool] | None = None,
) -> tuple[Remittance820 | None, list[Finding]]:
    """The validator's view: the 820 read under the state's DED policy (W allowed or not).

    The validator adds the findings and runs its child-support and state checks on every
    decoded DED of ``Remittance820.placed`` (those ``placed_if`` accepts, when it is given),
    at the line and column where it sits.
    """
    policy = state.ded_policy if state else ded_codec.STRICT
    return parse_820(addenda, entry_amount=entry_amount, policy=policy, placed_if=placed_if)
