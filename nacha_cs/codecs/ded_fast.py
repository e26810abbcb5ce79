"""The DED fast path: one regex, built from the element table, that accepts only segments which
cannot draw any finding, and the readers a validator binds once and calls per addenda.

``None`` from these readers means "ask :func:`nacha_cs.codecs.ded.decode`", never "invalid":
everything the regex does not accept goes to the analyser, which names what is wrong.

>>> read = amount_reader(start=3, end=83)
>>> read("705" + "DED*CS*ZC146*241024*13547*512340001*N\\\\".ljust(80) + "00010000001")
13547
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from nacha_cs.codecs.ded_table import (
    DATES,
    ELEMENT_SEPARATOR,
    ELEMENTS,
    MANDATORY_COUNT,
    MAX_LENGTH,
    MEDICAL,
    MEDICAL_W,
    SEGMENT_ID,
    TERMINATOR,
    Element,
    date_length,
    read_date,
)

NO_PAD = r"[!-)+-\[\]-~]"
"""Printable ASCII except space, ``*`` and ``\\``: the first and last character of a value."""
ANY = r"[ -)+-\[\]-~]"
"""Printable ASCII except ``*`` and ``\\``."""

_SSN = r"(?!000|666|9)[0-9]{3}(?!00)[0-9]{2}(?!0000)[0-9]{4}"
"""An SSN that could have been issued (the analyser warns about the others, DED020)."""


def _text(lengths: tuple[int, ...]) -> str:
    """An AN value of one of ``lengths``, with no space at either end."""
    low, high = min(lengths), max(lengths)
    if high == 1:
        return NO_PAD
    if lengths == tuple(range(low, high + 1)):
        inner = ANY + (f"{{{low - 2}}}" if low == high else f"{{{max(low - 2, 0)},{high - 2}}}")
        return f"{NO_PAD}(?:{inner}{NO_PAD})" + ("?" if low == 1 else "")
    assert low >= 2, "a choice of lengths starts at two characters"
    middles = "|".join(f"{ANY}{{{n - 2}}}" for n in lengths)
    return f"{NO_PAD}(?:{middles}){NO_PAD}"


def _date(long_date: bool) -> str:
    digits = date_length(long_date) - 4
    return rf"[0-9]{{{digits}}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"


def _element(element: Element, long_date: bool, allow_w: bool) -> str:
    """The pattern of one element's value, from its kind and lengths in the table."""
    if element.kind == "ID":
        codes = element.codes + ((MEDICAL_W,) if element is MEDICAL and allow_w else ())
        if len(codes) > 1 and all(len(code) == 1 for code in codes):
            return f"[{''.join(codes)}]"
        return "|".join(re.escape(code) for code in codes)
    if element.kind == "DT":
        return _date(long_date)
    if element.kind == "N2":
        return f"[0-9]{{{element.min},{element.max}}}"
    if element.id == "DED05":
        return _SSN
    return _text(element.lengths)


def fast_pattern(long_date: bool, allow_w: bool) -> re.Pattern[str]:
    """One regex for a well-formed segment: when it matches, nothing else needs checking.

    DED01 is only its first code (the employer's CS), captured by no group; groups 1-8 are
    DED02..DED09. Optional elements nest (each needs the ones before it), an empty one in the
    middle keeps its separator, and the look-behind refuses an empty last element.
    """
    sep = re.escape(ELEMENT_SEPARATOR)
    first = ELEMENTS[0]
    head = re.escape(SEGMENT_ID + ELEMENT_SEPARATOR + first.codes[0])
    mandatory = "".join(rf"{sep}({_element(e, long_date, allow_w)})"
                        for e in ELEMENTS[1:MANDATORY_COUNT])
    optional = ""
    for element in reversed(ELEMENTS[MANDATORY_COUNT:]):
        # an optional element may be empty when a later one is sent, never as the last
        maybe = "?" if optional else ""
        optional = rf"(?:{sep}({_element(element, long_date, allow_w)}){maybe}{optional})?"
    return re.compile(head + mandatory + optional + rf"(?<!{sep}){re.escape(TERMINATOR)} *")


FAST: tuple[tuple[re.Pattern[str], ...], ...] = tuple(
    tuple(fast_pattern(long_date, allow_w) for allow_w in (False, True))
    for long_date in (False, True)
)
"""Indexed ``[long_date][allow_medical_w]``: two tuple lookups, no key to build."""

WellFormed = tuple[str, date, int, str, str, str, str, bool]
"""case id, pay date, cents, SSN, medical, name, FIPS, terminated: a segment past all checks."""


def decode_well_formed(
    text: str,
    *,
    long_date: bool = False,
    allow_medical_w: bool = False,
    start: int = 0,
    end: int | None = None,
    max_length: int | None = MAX_LENGTH,
) -> WellFormed | None:
    """The fast path alone: the elements of a segment that cannot draw any finding, else None.

    No :class:`~nacha_cs.codecs.ded_table.Ded` is built, so a validator reading a million
    addenda pays only for the regex; ``None`` means "ask decode", not "invalid".
    """
    stop = len(text) if end is None else min(end, len(text))
    match = FAST[long_date][allow_medical_w].fullmatch(text, start, stop)
    return _accept(match, text, start, stop, max_length)


def well_formed_reader(
    *,
    long_date: bool = False,
    allow_medical_w: bool = False,
    start: int = 0,
    end: int,
    max_length: int | None = MAX_LENGTH,
) -> Callable[[str], WellFormed | None]:
    """:func:`decode_well_formed` with its options bound once, for a loop over many records
    of the same shape (the validator reads columns 4-83 of every CCD+ addenda this way)."""
    fullmatch = FAST[long_date][allow_medical_w].fullmatch

    def read(text: str) -> WellFormed | None:
        return _accept(fullmatch(text, start, end), text, start, end, max_length)

    return read


def span_reader(
    *, long_date: bool = False, allow_medical_w: bool = False,
    max_length: int | None = MAX_LENGTH,
) -> Callable[[str, int, int], WellFormed | None]:
    """:func:`decode_well_formed` with its options bound once, for segments that sit anywhere
    in one text (the 820 reader's thousands of DEDs, each ``text[start:end]``)."""
    fullmatch = FAST[long_date][allow_medical_w].fullmatch

    def read(text: str, start: int, end: int) -> WellFormed | None:
        stop = min(end, len(text))
        return _accept(fullmatch(text, start, stop), text, start, stop, max_length)

    return read


def amount_reader(
    *, long_date: bool = False, allow_medical_w: bool = False, start: int = 0, end: int
) -> Callable[[str], int | None]:
    """For a loop over many CCD+ addenda: DED04 of a segment that cannot draw a finding, else
    None (then ask decode). The same verdict as :func:`well_formed_reader`, reading only the
    amount, because a validator comparing it with the entry needs nothing else."""
    if end - start > MAX_LENGTH:
        whole = well_formed_reader(long_date=long_date, allow_medical_w=allow_medical_w,
                                   start=start, end=end)

        def read_long(text: str) -> int | None:
            fields = whole(text)
            return None if fields is None else fields[2]

        return read_long
    fullmatch = FAST[long_date][allow_medical_w].fullmatch
    dates = DATES

    def read(text: str) -> int | None:
        match = fullmatch(text, start, end)
        if match is None:
            return None
        when = match[2]
        if when not in dates and read_date(when) is None:
            return None
        cents = int(match[3])
        return cents if cents or match[8] else None

    return read


def _accept(
    match: re.Match[str] | None, text: str, start: int, stop: int, max_length: int | None
) -> WellFormed | None:
    if match is None or not (
        max_length is None or stop - start <= max_length
        or text.rfind(TERMINATOR, start, stop) < start + max_length
    ):
        return None
    case_id, when, amount, ssn, medical, name, fips, term = match.groups("")
    cents = int(amount)
    pay_date = DATES.get(when)
    if pay_date is None:
        pay_date = read_date(when)
    if pay_date is None or not (cents or term):
        return None
    return case_id, pay_date, cents, ssn, medical, name, fips, term == "Y"
