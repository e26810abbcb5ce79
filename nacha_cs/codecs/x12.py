"""A small ASC X12 layer: delimiters from ISA, a tokenizer, a segment model and a writer.

Enough X12 for the 820 a CTX entry carries, and no more. An interchange announces its own
delimiters in the fixed-width ISA segment (106 characters, terminator included): the element
separator is its 4th character, the component separator its 105th (ISA16) and the segment
terminator its 106th. Nothing here assumes ``*`` and ``\\``; the ACH network's habit is only the
default of the writer.

Reading never raises. Positions in the findings made here are 1-based offsets into the
interchange text (``line`` is left empty): the caller knows how that text was assembled (from
CTX addenda, say) and moves them to records and columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import accumulate

import attrs

from nacha_cs.codecs.x12_rules import (
    BAD_ISA,
    NO_ISA,
)
from nacha_cs.findings import Finding

ISA_LENGTH = 106
ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
"""Fixed widths of ISA01..ISA16: the segment is 106 characters with its terminator."""


@attrs.frozen(slots=True)
class Delimiters:
    """The characters an interchange uses to separate elements, components and segments."""

    element: str = "*"
    component: str = ">"
    segment: str = "\\"
    repetition: str | None = None

    def all(self) -> str:
        """Every delimiter character: none may appear inside a value."""
        return self.element + self.component + self.segment + (self.repetition or "")


ACH_DELIMITERS = Delimiters()
"""What the ACH network uses: ``*`` between elements, ``\\`` after segments, ``>`` in ISA16."""


@attrs.frozen(slots=True)
class Segment:
    """A segment id and its elements; ``elements[0]`` is XX01."""

    id: str
    elements: tuple[str, ...] = ()

    def get(self, number: int) -> str:
        """Element XXnn by its 1-based number, ``""`` when the segment stops before it."""
        if 1 <= number <= len(self.elements):
            return self.elements[number - 1]
        return ""


class Token:
    """A segment as read, with where its parts sit in the interchange text (0-based).

    An 820 of 9,999 addenda holds 22,000 segments, nearly all ENT and DED that the reader
    tells apart by id while the DED decoder reads its own text: so a token is made with its
    id and span only, and splits its elements and their offsets out of the text the first
    time :attr:`segment`, :attr:`offsets` or :meth:`column` asks (once, then kept).
    """

    __slots__ = ("_element", "_offsets", "_segment", "_text", "end", "id", "start",
                 "terminated")

    def __init__(self, text: str, element: str, id: str, start: int, end: int,
                 terminated: bool = True) -> None:
        self._text = text
        self._element = element
        self.id = id
        """The segment id: ``segment.id`` without splitting the elements."""
        self.start = start
        self.end = end
        """Offset of the segment terminator (or of the end of text when it is missing)."""
        self.terminated = terminated
        self._segment: Segment | None = None
        self._offsets: tuple[int, ...] = ()

    @property
    def segment(self) -> Segment:
        """The id and elements, split from the text on first use."""
        if self._segment is None:
            self._split()
        assert self._segment is not None
        return self._segment

    @property
    def offsets(self) -> tuple[int, ...]:
        """Offset of the id (index 0) and of every element (index n for XXnn)."""
        if self._segment is None:
            self._split()
        return self._offsets

    def _split(self) -> None:
        parts = self._text[self.start:self.end].split(self._element)
        offsets = [self.start]
        at = self.start
        for part in parts[:-1]:
            at += len(part) + 1
            offsets.append(at)
        self._segment = Segment(parts[0], tuple(parts[1:]))
        self._offsets = tuple(offsets)

    def column(self, number: int) -> tuple[int, int]:
        """1-based inclusive span of element ``number`` (0 = the id) in the interchange."""
        offsets = self.offsets
        if number < len(offsets):
            first = offsets[number]
            value = self.id if number == 0 else self.segment.elements[number - 1]
            return first + 1, max(first + len(value), first + 1)
        return self.end + 1, self.end + 1

    def _key(self) -> tuple[Segment, int, int, tuple[int, ...], bool]:
        return self.segment, self.start, self.end, self.offsets, self.terminated

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Token):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Token(segment={self.segment!r}, start={self.start}, end={self.end}, "
                f"offsets={self.offsets}, terminated={self.terminated})")


class X12Error(ValueError):
    """A segment that cannot be written: names the segment and element."""


def read_delimiters(text: str) -> tuple[Delimiters | None, list[Finding]]:
    """Take the delimiters from the ISA segment at the start of ``text``; never raises."""
    if not text.startswith("ISA"):
        shown = text[:10]
        return None, [NO_ISA.finding(f"interchange starts with {shown!r}, not ISA", column=1,
                                     end_column=max(len(shown), 1), field="ISA")]
    if len(text) < ISA_LENGTH:
        return None, [BAD_ISA.finding(f"text is {len(text)} characters; ISA alone needs "
                                      f"{ISA_LENGTH}", column=1, end_column=len(text),
                                      field="ISA")]
    element, component, segment = text[3], text[104], text[105]
    findings: list[Finding] = []
    chosen = (element, component, segment)
    if len(set(chosen)) != 3 or any(ch.isalnum() or ch == " " for ch in chosen):
        findings.append(BAD_ISA.finding(
            f"delimiters {element!r} (element), {component!r} (component), {segment!r} "
            f"(segment) must be three distinct non-alphanumeric characters",
            column=4, end_column=ISA_LENGTH, field="ISA16"))
        return None, findings
    parts = text[4:103].split(element)
    if len(parts) != 15 or text[103] != element:
        findings.append(BAD_ISA.finding(
            f"ISA holds {len(parts) + 1} elements in its 106 characters, expected 16 of fixed "
            f"width", column=1, end_column=ISA_LENGTH, field="ISA"))
        return None, findings
    offset = 4
    for number, (value, width) in enumerate(zip(parts, ISA_WIDTHS, strict=False), start=1):
        if len(value) != width:
            findings.append(BAD_ISA.finding(f"ISA{number:02d} is {len(value)} characters, "
                                            f"fixed width is {width}", column=offset + 1,
                                            end_column=offset + max(len(value), 1),
                                            field=f"ISA{number:02d}"))
        offset += len(value) + 1
    if not (parts[12].isascii() and parts[12].isdigit()):
        findings.append(BAD_ISA.finding(f"ISA13 control number {parts[12]!r} is not 9 digits",
                                        column=91, end_column=99, field="ISA13"))
    repetition = None
    if parts[11] >= "00402" and not parts[10].isalnum() and parts[10] not in chosen:
        repetition = parts[10]
    return Delimiters(element, component, segment, repetition), findings


class Tokens:
    """An interchange's segments as parallel lists (id, start, end, terminated), each
    :class:`Token` made only when asked for by index and then kept.

    An 820 of 9,999 addenda holds 22,000 segments; the 820 reader walks their ids and reads
    its DEDs by offset, so it never needs most of them as objects (and the cyclic collector
    never has to walk them).
    """

    __slots__ = ("_made", "_text", "element", "ends", "ids", "plain", "starts", "terminated")

    def __init__(self, text: str, element: str, ids: list[str], starts: list[int],
                 ends: list[int], terminated: list[bool] | None, plain: bool) -> None:
        self._text = text
        self.element = element
        self.ids = ids
        self.starts = starts
        self.ends = ends
        """Offset of each segment's terminator (or of the end of text when it is missing)."""
        self.terminated = terminated
        """None: every segment is terminated."""
        self.plain = plain
        """Every segment terminated and right after the one before: no gap, no open end."""
        self._made: dict[int, Token] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def is_terminated(self, index: int) -> bool:
        return self.terminated is None or self.terminated[index]

    def __getitem__(self, index: int) -> Token:
        if index < 0:
            index += len(self.ids)
        token = self._made.get(index)
        if token is None:
            token = self._made[index] = Token(
                self._text, self.element, self.ids[index], self.starts[index],
                self.ends[index], self.is_terminated(index))
        return token

    def __iter__(self) -> Iterator[Token]:
        return (self[index] for index in range(len(self.ids)))


def tokenize(text: str, delimiters: Delimiters) -> list[Token]:
    """Split an interchange into segments with their offsets; never raises.

    Whitespace (spaces, CR, LF) between a terminator and the next segment id is skipped; the
    caller sees it as a gap between one token's ``end`` and the next one's ``start``. Spaces
    after the last terminator are the addenda fill and are ignored.
    """
    return list(segments(text, delimiters))


def segments(text: str, delimiters: Delimiters) -> Tokens:
    """:func:`tokenize` as :class:`Tokens`: the same segments, made into objects on demand."""
    fast = _segments_plain(text, delimiters)
    if fast is not None:
        return fast
    ids: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    terminated: list[bool] = []
    sep = delimiters.element
    term = delimiters.segment
    position = 0
    size = len(text)
    while position < size:
        while position < size and text[position] in " \r\n":
            position += 1
        if position >= size:
            break
        stop = text.find(term, position)
        terminated.append(stop >= 0)
        if stop < 0:
            stop = size
            while stop > position and text[stop - 1] == " ":
                stop -= 1
        ids.append(text[position:stop].partition(sep)[0])
        starts.append(position)
        ends.append(stop)
        position = stop + 1
    closed = all(terminated)
    plain = closed and all(start == end + 1 for start, end in zip(starts[1:], ends, strict=False))
    return Tokens(text, sep, ids, starts, ends, None if closed else terminated, plain)


def _segments_plain(text: str, delimiters: Delimiters) -> Tokens | None:
    """:func:`segments` for the usual interchange, split in C: every segment terminated, none
    preceded by whitespace, only spaces after the last. None: take the long way."""
    term = delimiters.segment
    pieces = text.split(term)
    if pieces.pop().strip(" "):
        return None  # an unterminated last segment
    # Whitespace starting a segment (after a terminator, or the text) is a gap the caller
    # must see; looked for in C over the text up to the last terminator.
    last = sum(map(len, pieces)) + len(pieces) - 1
    if text[:1] in (" ", "\r", "\n") or any(
        text.find(term + space, 0, last + 1) >= 0 for space in (" ", "\r", "\n")
    ):
        return None
    sep = delimiters.element
    stops = list(accumulate(len(body) + 1 for body in pieces))
    starts = [0, *stops[:-1]] if stops else []
    return Tokens(text, sep, [body.partition(sep)[0] for body in pieces], starts,
                  [stop - 1 for stop in stops], None, True)


def format_isa(elements: tuple[str, ...], delimiters: Delimiters) -> str:
    """ISA with every element checked against its fixed width (X12Error otherwise)."""
    if len(elements) != 16:
        raise X12Error(f"ISA needs 16 elements, got {len(elements)}")
    for number, (value, width) in enumerate(zip(elements[:15], ISA_WIDTHS, strict=False),
                                            start=1):
        if len(value) != width:
            raise X12Error(f"ISA{number:02d} {value!r} is {len(value)} characters, its fixed "
                           f"width is {width}")
        if not (number == 11 and value == delimiters.repetition):
            _check_value("ISA", number, value, delimiters)
    if elements[15] != delimiters.component:
        raise X12Error(f"ISA16 must be the component separator {delimiters.component!r}")
    text = delimiters.element.join(("ISA", *elements)) + delimiters.segment
    if len(text) != ISA_LENGTH:
        raise X12Error(f"ISA is {len(text)} characters, expected {ISA_LENGTH}")
    return text


def _check_value(segment_id: str, number: int, value: str, delimiters: Delimiters) -> None:
    """A delimiter inside a value would split it on the receiving side: refuse it."""
    for ch in delimiters.all():
        if ch in value:
            raise X12Error(f"{segment_id}{number:02d} {value!r} contains the delimiter "
                           f"{ch!r}; remove it")
    if not value.isascii() or not value.isprintable():
        raise X12Error(f"{segment_id}{number:02d} {value!r} has characters outside "
                       f"printable ASCII")


def format_segment(segment: Segment, delimiters: Delimiters = ACH_DELIMITERS) -> str:
    """One segment with its terminator; trailing empty elements are dropped (X12 syntax)."""
    if segment.id == "ISA":
        return format_isa(segment.elements, delimiters)
    values = list(segment.elements)
    while values and not values[-1]:
        values.pop()
    # Every value at once (in C); one that fails is found and named value by value.
    joined = "".join(values)
    if not (joined.isascii() and joined.isprintable()) or any(
        ch in joined for ch in delimiters.all()
    ):
        for number, value in enumerate(values, start=1):
            _check_value(segment.id, number, value, delimiters)
    return delimiters.element.join((segment.id, *values)) + delimiters.segment


def write(segments: Iterable[Segment], delimiters: Delimiters = ACH_DELIMITERS) -> str:
    """An interchange as one string, segments back to back (no line breaks)."""
    return "".join(format_segment(segment, delimiters) for segment in segments)
