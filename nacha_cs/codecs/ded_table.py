"""The DED segment's elements as the child-support banking convention prints them, in one table.

Every length, the element order and the mandatory flags live in :data:`ELEMENTS` and nowhere
else: the encoder (:mod:`nacha_cs.codecs.ded`), the fast regex and readers
(:mod:`nacha_cs.codecs.ded_fast`) and the element-by-element analyser
(:mod:`nacha_cs.codecs.ded_analyse`) all read it. The model (:class:`Ded`), the policy a receiver
agreed to (:class:`DedPolicy`), the error the encoder raises and the date text live here too, so
the three users share them without importing each other.

>>> [e.id for e in ELEMENTS if e.mandatory]
['DED01', 'DED02', 'DED03', 'DED04', 'DED05', 'DED06']
>>> CASE.min, CASE.max, FIPS.lengths
(1, 20, (5, 7))
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

import attrs

Kind = Literal["ID", "AN", "DT", "N2"]
"""X12 element types: ID a code from a list, AN a string, DT a date, N2 cents without a point."""


@attrs.frozen(slots=True)
class Element:
    """One DED element: what the convention's table says about it, and where :class:`Ded`
    keeps its value (``attr``)."""

    id: str
    name: str
    kind: Kind
    min: int
    max: int
    mandatory: bool
    attr: str
    codes: tuple[str, ...] = ()
    """For ID elements, the codes the employer convention lists."""
    only: tuple[int, ...] = ()
    """Lengths allowed inside min..max when not all are (a FIPS code is 5 or 7, never 6)."""

    @property
    def number(self) -> int:
        """1 for DED01: the element's position after the segment id."""
        return int(self.id[3:])

    @property
    def lengths(self) -> tuple[int, ...]:
        """Every length a value may have."""
        return self.only or tuple(range(self.min, self.max + 1))

    def fits(self, size: int) -> bool:
        """Whether a value of ``size`` characters has an allowed length."""
        return size in self.only if self.only else self.min <= size <= self.max

    def describe_lengths(self) -> str:
        """The allowed lengths in words: ``5 or 7``, ``9``, ``1 to 20``."""
        if self.only:
            return " or ".join(str(n) for n in self.only)
        return str(self.max) if self.min == self.max else f"{self.min} to {self.max}"


APPLICATION = Element("DED01", "application identifier", "ID", 2, 2, True, "application",
                      codes=("CS",))
CASE = Element("DED02", "case identifier", "AN", 1, 20, True, "case_id")
PAY_DATE = Element("DED03", "pay date", "DT", 6, 6, True, "pay_date")
AMOUNT = Element("DED04", "payment amount", "N2", 1, 10, True, "amount")
SSN = Element("DED05", "non-custodial parent SSN", "AN", 9, 9, True, "ssn")
MEDICAL = Element("DED06", "medical support indicator", "ID", 1, 1, True, "medical",
                  codes=("Y", "N"))
NAME = Element("DED07", "non-custodial parent name", "AN", 1, 10, False, "name")
FIPS = Element("DED08", "FIPS code", "AN", 5, 7, False, "fips", only=(5, 7))
TERMINATION = Element("DED09", "employment termination indicator", "ID", 1, 1, False,
                      "terminated", codes=("Y",))

ELEMENTS: tuple[Element, ...] = (APPLICATION, CASE, PAY_DATE, AMOUNT, SSN, MEDICAL, NAME, FIPS,
                                 TERMINATION)
"""DED01..DED09 in the order they are sent; ``ELEMENTS[n - 1]`` is DEDnn."""

BY_ID: dict[str, Element] = {e.id: e for e in ELEMENTS}
ELEMENT_NAMES: dict[str, str] = {e.id: e.name for e in ELEMENTS}
MANDATORY_COUNT = sum(e.mandatory for e in ELEMENTS)
"""Mandatory elements come first: DED01..DED06 are always sent."""
assert all(e.mandatory for e in ELEMENTS[:MANDATORY_COUNT]), "mandatory elements lead"

SEGMENT_ID = "DED"
ELEMENT_SEPARATOR = "*"
TERMINATOR = "\\"
MAX_LENGTH = 80
"""A CCD+ carries one addenda: the whole segment, terminator included, fits in 80 characters."""
PRINTABLE = re.compile(r"[ -~]*")
"""Printable ASCII, space to tilde: all a DED value may hold (the encoder and the slow path)."""

APPLICATION_CHILD_SUPPORT = APPLICATION.codes[0]
INTERSTATE_APPLICATIONS = frozenset({"II", "IO", "IT", "RI", "RO", "RT"})
"""X12 DED01 codes for state-to-state transfers; an employer sends ``CS``."""
MEDICAL_W = "W"
"""DED06 ``W``, "medical insurance does not apply to this deduction": X12 003070 added it; the
employer convention lists only Y and N."""
MEDICAL_W_FROM = "003070"
"""First X12 version whose DED06 code list holds ``W``."""

MAX_AMOUNT = 10**AMOUNT.max - 1
"""DED04 is N2 1/10: ten digits of cents at most (the entry amount field is ten digits too)."""
LONG_DATE_LENGTH = PAY_DATE.max + 2
"""DED03 inside an 820 of version 004010 or later carries the century: CCYYMMDD."""


def date_length(long_date: bool) -> int:
    """Digits of DED03: 6 (YYMMDD) in CCD+, 8 (CCYYMMDD) in an 820 of 004010 or later."""
    return LONG_DATE_LENGTH if long_date else PAY_DATE.max


# --- model -----------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class DedPolicy:
    """What a receiver agreed to accept beyond the strict convention."""

    allow_medical_w: bool = False
    allow_blank_ssn: bool = False


STRICT = DedPolicy()


@attrs.frozen(slots=True)
class Ded:
    """One child-support withholding as the DED segment carries it.

    ``amount`` is in cents. ``ssn`` is the 9 digits (or ``""`` when a lenient policy accepted a
    blank). ``medical`` has no default: Y/N is a statement about the employee's coverage, not
    something to fall back on. ``name``/``fips`` are ``""`` when omitted; ``terminated`` maps
    DED09 = Y.
    """

    case_id: str
    pay_date: date
    amount: int
    ssn: str
    medical: str
    name: str = ""
    fips: str = ""
    terminated: bool = False
    application: str = APPLICATION_CHILD_SUPPORT


assert {e.attr for e in ELEMENTS} == {a.name for a in attrs.fields(Ded)}, "one attr each"


class DedError(ValueError):
    """A DED that cannot be sent: names the element and what is wrong with it."""

    def __init__(self, element: str, message: str) -> None:
        self.element = element
        super().__init__(f"{element} ({ELEMENT_NAMES.get(element, 'segment')}): {message}")


# --- dates -----------------------------------------------------------------------------------


def format_date(value: date, *, long_date: bool = False) -> str:
    """DED03 text: YYMMDD in CCD+, CCYYMMDD inside an 820 of version 004010 or later.

    Raises :class:`DedError` for a year YYMMDD would read back as another century.

    >>> format_date(date(2024, 10, 24)), format_date(date(2024, 10, 24), long_date=True)
    ('241024', '20241024')
    """
    if long_date:
        return f"{value.year:04d}{value.month:02d}{value.day:02d}"
    if not 1970 <= value.year <= 2069:
        raise DedError("DED03", f"the year {value.year} does not fit YYMMDD, which reads back "
                                f"as 1970 to 2069")
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


def year(text: str) -> int:
    """Expand YY with the fixed pivot (00-69 -> 20YY, 70-99 -> 19YY) or take CCYY as it is.

    A fixed pivot keeps decoding deterministic: tests and golden files do not age.

    >>> year("69"), year("70"), year("2070")
    (2069, 1970, 2070)
    """
    value = int(text)
    if len(text) == 2:
        return value + (2000 if value < 70 else 1900)
    return value


DATES: dict[str, date] = {}
"""Pay dates already read: a file repeats a handful of them, parsing each once is enough."""


def read_date(text: str) -> date | None:
    """YYMMDD or CCYYMMDD to a date (None when not a calendar date), remembered for next time."""
    try:
        value = date(year(text[:-4]), int(text[-4:-2]), int(text[-2:]))
    except ValueError:
        return None
    if len(DATES) >= 4096:
        DATES.clear()
    DATES[text] = value
    return value
