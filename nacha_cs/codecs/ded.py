"""The DED segment of the child-support application banking convention: build it, read it.

One DED carries one withholding: case, pay date, amount, the non-custodial parent's SSN and
name, and flags. It travels in the 80-character payment related information of a CCD+ addenda
(``*`` between elements, ``\\`` at the end) and, with the interchange's own delimiters, inside
the X12 820 of a CTX entry. This module builds the text (refusing anything a receiver would
reject) and reads it back (never raising: problems come back as findings).

Element layout (1-based, as the guides print it)::

    DED*CS*<case 1-20>*<YYMMDD>*<cents 1-10>*<SSN 9>*<Y|N>[*<name 1-10>][*<FIPS 5|7>][*Y]\\

Trailing unused optional elements are dropped with their separators; an omitted element in the
middle keeps its separator (``...*N**A4738\\`` has no name but a FIPS code).

The parts, none importing another one's users:

* :mod:`~nacha_cs.codecs.ded_table`: the element table every length, order and mandatory flag
  comes from, the :class:`Ded` model, :class:`DedPolicy` and the date text;
* :mod:`~nacha_cs.codecs.ded_rules`: the findings, with the severity principle;
* :mod:`~nacha_cs.codecs.ded_fast`: the regex and the readers a validator's loop binds once;
* :mod:`~nacha_cs.codecs.ded_analyse`: the slow path naming each problem;
* this module: the encoders, the name rule and :func:`decode`, the one way in.

Decisions taken here, documented once:

* Two-digit years read as 2000-2069 for ``00``-``69`` and 1970-1999 for ``70``-``99``.
* ``W`` as medical support indicator is accepted only when a :class:`DedPolicy` allows it
  (X12 003070 added it; Virginia accepts it, most states list only Y/N); inside an 820 of
  003070 or later an unagreed W is a warning, elsewhere an error.
* A blank SSN is an error by default (DED05 is mandatory, 9/9); ``DedPolicy(allow_blank_ssn=
  True)`` turns it into a warning for a receiver that agreed to accept it.

>>> value, findings = decode("DED*CS*ZC146*241024*13547*512340001*N*SMITH,HARR\\\\")
>>> findings, value.amount, value.name
([], 13547, 'SMITH,HARR')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

import attrs

from nacha_cs.codecs import ded_rules as ded_rules
from nacha_cs.codecs.ded_fast import (
    FAST,
    WellFormed,
    _accept,
    amount_reader,
    decode_well_formed,
    well_formed_reader,
)
from nacha_cs.codecs.ded_table import (
    AMOUNT,
    APPLICATION,
    APPLICATION_CHILD_SUPPORT,
    CASE,
    DATES,
    ELEMENT_NAMES,
    ELEMENT_SEPARATOR,
    ELEMENTS,
    FIPS,
    INTERSTATE_APPLICATIONS,
    MAX_AMOUNT,
    MAX_LENGTH,
    MEDICAL,
    MEDICAL_W,
    NAME,
    PAY_DATE,
    PRINTABLE,
    SEGMENT_ID,
    SSN,
    STRICT,
    TERMINATION,
    TERMINATOR,
    Ded,
    DedError,
    DedPolicy,
    Element,
    format_date,
    read_date,
)
from nacha_cs.findings import Finding
from nacha_cs.privacy import mask_ssn

__all__ = [
    "APPLICATION_CHILD_SUPPORT", "ELEMENTS", "ELEMENT_NAMES", "ELEMENT_SEPARATOR",
    "INTERSTATE_APPLICATIONS", "MAX_AMOUNT", "MAX_LENGTH", "SEGMENT_ID", "STRICT",
    "TERMINATOR", "Ded", "DedError", "DedPolicy", "WellFormed", "abbreviate_name",
    "amount_reader", "decode", "decode_elements", "decode_well_formed", "ded_rules",
    "elements", "encode", "encode_field", "encode_field_values", "format_date", "mask_ssn",
    "segment_reader", "segment_text", "well_formed_reader",
]

# --- encoding --------------------------------------------------------------------------------


def _check_text(element: Element, value: str, separators: str) -> None:
    """Refuse a text value a receiver would misread; say which element and why."""
    label = element.id
    if not value:
        raise DedError(label, "is empty")
    for sep in separators:
        if sep in value:
            raise DedError(label, f"contains the delimiter {sep!r} at position "
                                  f"{value.index(sep) + 1}: {value!r}")
    if not PRINTABLE.fullmatch(value):
        raise DedError(label, f"contains a character outside printable ASCII: {value!r}")
    if value != value.strip(" "):
        raise DedError(label, f"has leading or trailing spaces: {value!r}")
    size = len(value)
    if size > element.max:
        raise DedError(label, f"is {size} characters, {size - element.max} over the maximum "
                              f"of {element.max}: {value!r}")
    if size < element.min:
        raise DedError(label, f"is {size} characters; at least {element.min} are required")
    if element.only and size not in element.only:
        raise DedError(label, f"is {size} characters; a {element.name} has "
                              f"{element.describe_lengths()}: {value!r}")


def _code(element: Element, value: str, allowed: tuple[str, ...], extra: str = "") -> str:
    if value not in allowed:
        raise DedError(element.id, f"must be one of {', '.join(allowed)}, got {value!r}{extra}")
    return value


_Encoder = Callable[[Ded, bool, DedPolicy, str], str]
"""Checks one element of a Ded and returns its text: ``(ded, long_date, policy, separators)``."""


_APPLICATIONS = (*APPLICATION.codes, *sorted(INTERSTATE_APPLICATIONS))
_MEDICAL_STRICT = MEDICAL.codes
_MEDICAL_WITH_W = (*MEDICAL.codes, MEDICAL_W)


def _application(ded: Ded, long_date: bool, policy: DedPolicy, separators: str) -> str:
    return _code(APPLICATION, ded.application, _APPLICATIONS)


def _pay_date(ded: Ded, long_date: bool, policy: DedPolicy, separators: str) -> str:
    return format_date(ded.pay_date, long_date=long_date)


def _amount(ded: Ded, long_date: bool, policy: DedPolicy, separators: str) -> str:
    value = ded.amount
    if not isinstance(value, int) or isinstance(value, bool):
        raise DedError(AMOUNT.id, f"must be an integer number of cents, got {value!r}")
    if value < 0:
        raise DedError(AMOUNT.id, f"must not be negative, got {value}")
    if value > MAX_AMOUNT:
        digits = len(str(value))
        raise DedError(AMOUNT.id, f"{value} cents has {digits} digits, "
                                  f"{digits - AMOUNT.max} over the maximum of {AMOUNT.max}")
    if value == 0 and not ded.terminated:
        raise DedError(AMOUNT.id, "is zero; a zero amount needs DED09 = Y (terminated)")
    return str(value)


def _ssn(ded: Ded, long_date: bool, policy: DedPolicy, separators: str) -> str:
    value = ded.ssn
    if not (len(value) in _SSN_SIZES and value.isascii() and value.isdigit()):
        raise DedError(SSN.id, f"must be {SSN.max} digits, got {len(value)} characters "
                               f"{mask_ssn(value)!r}")
    return value


def _medical(ded: Ded, long_date: bool, policy: DedPolicy, separators: str) -> str:
    allowed = _MEDICAL_WITH_W if policy.allow_medical_w else _MEDICAL_STRICT
    if ded.medical in allowed:
        return ded.medical
    extra = " (W needs a policy that allows it)" if ded.medical == MEDICAL_W else ""
    return _code(MEDICAL, ded.medical, allowed, extra)


def _termination(ded: Ded, long_date: bool, policy: DedPolicy, separators: str) -> str:
    return TERMINATION.codes[0] if ded.terminated else ""


def _text_encoder(element: Element) -> _Encoder:
    """A free-text element: checked against the table's lengths (when sent, if optional)."""
    attr, mandatory = element.attr, element.mandatory

    def encode_text(ded: Ded, long_date: bool, policy: DedPolicy, separators: str) -> str:
        value: str = getattr(ded, attr)
        if value or mandatory:
            _check_text(element, value, separators)
        return value

    return encode_text


_SPECIAL: dict[str, _Encoder] = {
    APPLICATION.id: _application, PAY_DATE.id: _pay_date, AMOUNT.id: _amount, SSN.id: _ssn,
    MEDICAL.id: _medical, TERMINATION.id: _termination,
}
_ENCODERS: tuple[_Encoder, ...] = tuple(_SPECIAL.get(e.id) or _text_encoder(e) for e in ELEMENTS)
"""One encoder per element, in the table's order."""


def elements(
    ded: Ded,
    *,
    long_date: bool = False,
    policy: DedPolicy = STRICT,
    separators: str = ELEMENT_SEPARATOR + TERMINATOR,
) -> list[str]:
    """DED01..DED09 as sent (trailing unused dropped), after checking every value.

    ``separators`` are the characters no value may contain (the 820 builder passes its own).
    Raises :class:`DedError` naming the first element that cannot be sent.
    """
    values = [encode_one(ded, long_date, policy, separators) for encode_one in _ENCODERS]
    while not values[-1]:
        values.pop()
    return values


def segment_text(
    ded: Ded, *, long_date: bool, policy: DedPolicy, element: str, terminator: str,
    separators: str,
) -> str | None:
    """The segment as :func:`elements` and an X12 writer would send it (``DED``, the values
    joined by ``element``, then ``terminator``), checked with a few tests over the whole text
    instead of element by element: for an 820 of 11,000 payments. ``None`` when a test fails
    (or is not made here): then :func:`elements` says which element cannot be sent.
    """
    try:
        when = format_date(ded.pay_date, long_date=long_date)
    except (ValueError, AttributeError, TypeError):
        return None
    case_id, amount, ssn, name, fips = ded.case_id, ded.amount, ded.ssn, ded.name, ded.fips
    medical = ded.medical
    if not (
        ded.application in _APPLICATIONS
        and _CASE_MIN <= len(case_id) <= _CASE_MAX
        and type(amount) is int
        and 0 <= amount <= MAX_AMOUNT
        and (amount or ded.terminated)
        and len(ssn) in _SSN_SIZES
        and ssn.isdigit()
        and (medical in _MEDICAL_STRICT or (policy.allow_medical_w and medical == MEDICAL_W))
        and len(name) <= _NAME_MAX
        and len(fips) in _FIPS_SIZES
        and case_id.strip(" ") == case_id
        and name.strip(" ") == name
        and fips.strip(" ") == fips
    ):
        return None
    values = [ded.application, case_id, when, str(amount), ssn, medical, name, fips,
              _TERMINATED if ded.terminated else ""]
    joined = "".join(values)
    if not (joined.isascii() and joined.isprintable()) or any(ch in joined for ch in separators):
        return None
    while not values[-1]:
        values.pop()
    return element.join((SEGMENT_ID, *values)) + terminator


def encode(ded: Ded, *, long_date: bool = False, policy: DedPolicy = STRICT) -> str:
    """The segment text, terminator included; refuses (DedError) rather than cut at 80.

    >>> encode(Ded("ZC146", date(2024, 10, 24), 13547, "512340001", "N", fips="40109"))
    'DED*CS*ZC146*241024*13547*512340001*N**40109\\\\'
    """
    text = ELEMENT_SEPARATOR.join([SEGMENT_ID, *elements(ded, long_date=long_date,
                                                          policy=policy)]) + TERMINATOR
    if len(text) > MAX_LENGTH:
        over = len(text) - MAX_LENGTH
        raise DedError("DED", f"the segment is {len(text)} characters, {over} over the limit "
                              f"of {MAX_LENGTH} (case identifier {len(ded.case_id)}, name "
                              f"{len(ded.name)}): shorten an element or drop an optional one")
    return text


def encode_field(ded: Ded, *, policy: DedPolicy = STRICT) -> str:
    """The 80-character payment related information of a CCD+ addenda (space-filled)."""
    return encode(ded, policy=policy).ljust(MAX_LENGTH)


_DATE_TEXT: dict[date, str] = {}
"""YYMMDD of pay dates already formatted: a payroll repeats a handful of them."""

# What encode_field_values tests, each set read off the element table.
_HEAD = SEGMENT_ID + ELEMENT_SEPARATOR + APPLICATION_CHILD_SUPPORT
_CASE_MIN, _CASE_MAX = CASE.min, CASE.max
_NAME_MAX = NAME.max  # 0 is "omitted"; NAME.min is 1
_FIPS_SIZES = (0, *FIPS.lengths)
_SSN_SIZES = SSN.lengths
_MEDICAL_CODES = MEDICAL.codes
_TERMINATED = TERMINATION.codes[0]
_SEPARATORS = len(ELEMENTS)
"""Separators in a segment with every element present: DED + 9 elements."""


def encode_field_values(
    case_id: str,
    pay_date: date,
    amount: int,
    ssn: str,
    medical: str,
    name: str = "",
    fips: str = "",
    terminated: bool = False,
) -> str:
    """``encode_field(Ded(case_id, pay_date, ...))`` (strict policy) without building a Ded.

    For a generator writing a million addenda: the text is put together once, and checked
    with a few string tests run over the whole segment (printable ASCII, no separator inside
    a value, no padding around one) plus each element's length from the table; a segment that
    passes them is what :func:`encode` sends. Anything else goes through :func:`encode_field`
    itself, which raises the :class:`DedError` it always raised. The parameters are DED02 to
    DED09 in table order (a test holds them to it).

    >>> field = encode_field_values("ZC146", date(2026, 11, 20), 11449, "512340001", "N")
    >>> len(field), field.rstrip()
    (80, 'DED*CS*ZC146*261120*11449*512340001*N\\\\')
    """
    when = _DATE_TEXT.get(pay_date)
    if when is None:
        try:
            when = format_date(pay_date)
        except (DedError, AttributeError):
            when = ""  # not sent: encode_field below says what is wrong, in its own order
        else:
            if len(_DATE_TEXT) >= 4096:
                _DATE_TEXT.clear()
            _DATE_TEXT[pay_date] = when
    # Every element joined, then the unused trailing ones dropped with their separators: no
    # value holds a separator (counted below), so stripping them takes exactly those.
    text = ELEMENT_SEPARATOR.join((_HEAD, case_id, when, str(amount), ssn, medical, name, fips,
                                   _TERMINATED if terminated else ""))
    if (
        when
        and _CASE_MIN <= len(case_id) <= _CASE_MAX
        and type(amount) is int
        and 0 <= amount <= MAX_AMOUNT
        and (amount or terminated)
        and len(ssn) in _SSN_SIZES
        and ssn.isdigit()
        and medical in _MEDICAL_CODES
        and len(name) <= _NAME_MAX
        and len(fips) in _FIPS_SIZES
        and text.isascii()
        and text.isprintable()
        and text.count(ELEMENT_SEPARATOR) == _SEPARATORS  # no separator inside a value ...
        and TERMINATOR not in text
    ):
        text = text.rstrip(ELEMENT_SEPARATOR) + TERMINATOR
        if " *" not in text and "* " not in text and " \\" not in text:  # ... nor padding
            return text.ljust(MAX_LENGTH)
    return encode_field(Ded(case_id, pay_date, amount, ssn, medical, name, fips, terminated))


# --- the name rule ---------------------------------------------------------------------------

NAME_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV"})
"""Generational suffixes dropped from the end of a last name before abbreviating."""


_NOT_ASCII_LETTER = dict.fromkeys(c for c in range(128) if not chr(c).isalpha())


def _letters(text: str) -> str:
    """Uppercase ASCII letters only: accents folded, everything else removed."""
    if text.isascii():  # nothing to fold (NFKD leaves ASCII as it is)
        return text.upper().translate(_NOT_ASCII_LETTER)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.upper() if "A" <= ch <= "Z")


def abbreviate_name(last: str, first: str) -> str:
    """DED07 from a person's names: first 7 letters of the last name, then the first name.

    The guides ask for at least 3 letters of the first name and allow 10 characters in all;
    when the last name has fewer than 7 letters a comma separates the two. Decisions:

    * Letters only, uppercase, accents folded (``Peña`` -> ``PENA``). Hyphens, apostrophes,
      spaces and periods are dropped, so compound names run together: ``O'Brien`` ->
      ``OBRIEN``, ``Smith-Jones`` -> ``SMITHJO``, ``De La Cruz`` -> ``DELACRU``.
    * A trailing generational suffix (JR, SR, II, III, IV) written as a separate word of the
      last name is dropped: ``King Jr.`` -> ``KING``.
    * The first name fills whatever room is left (3 letters after a 7-letter last name, up to
      7 after a two-letter one). A missing first name leaves the last name alone, no comma.

    >>> abbreviate_name("Smith", "Harry")
    'SMITH,HARR'
    >>> abbreviate_name("Washington", "George")
    'WASHINGGEO'
    >>> abbreviate_name("Li", "Mei")
    'LI,MEI'

    Raises :class:`DedError` when the last name holds no letter at all.
    """
    words = last.replace(".", " ").replace(",", " ").split()
    while len(words) > 1 and words[-1].upper() in NAME_SUFFIXES:
        words.pop()
    surname = _letters("".join(words))
    if not surname:
        raise DedError("DED07", f"last name {last!r} has no letters to abbreviate")
    given = _letters(first)
    if not given:
        return surname[:7]
    if len(surname) >= 7:
        return surname[:7] + given[:3]
    return f"{surname},{given[: 10 - len(surname) - 1]}"


def _trusted_constructor() -> Callable[..., Ded]:
    """Build a Ded without attrs' frozen ``__setattr__`` dance, for values already checked.

    The decoder's fast path has proven every element with one regex; going through the slot
    descriptors directly saves about a fifth of the object's construction time.
    """
    new = object.__new__
    setters = [Ded.__dict__[a.name].__set__ for a in attrs.fields(Ded)]
    (s_case, s_date, s_amount, s_ssn, s_medical, s_name, s_fips, s_term, s_app) = setters

    def trusted(case_id: str, pay_date: date, amount: int, ssn: str, medical: str, name: str,
                fips: str, terminated: bool) -> Ded:
        ded = new(Ded)
        s_case(ded, case_id)
        s_date(ded, pay_date)
        s_amount(ded, amount)
        s_ssn(ded, ssn)
        s_medical(ded, medical)
        s_name(ded, name)
        s_fips(ded, fips)
        s_term(ded, terminated)
        s_app(ded, APPLICATION_CHILD_SUPPORT)
        return ded

    return trusted


_trusted_ded = _trusted_constructor()


# --- decoding --------------------------------------------------------------------------------


def decode(
    text: str,
    *,
    long_date: bool = False,
    policy: DedPolicy = STRICT,
    start: int = 0,
    end: int | None = None,
    max_length: int | None = MAX_LENGTH,
    medical_w_defined: bool = False,
) -> tuple[Ded | None, list[Finding]]:
    """Read one DED segment; never raises.

    ``text[start:end]`` is a segment or a whole 80-character field (trailing spaces are the
    fill). Passing ``start``/``end`` lets the validator decode a record's columns 4-83 without
    slicing. Finding columns are 1-based inside that span. The :class:`Ded` comes back only
    when nothing of error severity was found: a value you get is one you can post.
    ``max_length`` is 80 for CCD+; the 820 parser passes ``None``, and ``medical_w_defined``
    when its X12 version (003070 on) defines DED06 = W.
    """
    fields = decode_well_formed(text, long_date=long_date,
                                allow_medical_w=policy.allow_medical_w, start=start, end=end,
                                max_length=max_length)
    if fields is not None:
        return _trusted_ded(*fields), []
    from nacha_cs.codecs.ded_analyse import analyse_text  # the slow path loads when first taken

    stop = len(text) if end is None else min(end, len(text))
    return analyse_text(text[start:stop], long_date=long_date, policy=policy,
                        max_length=max_length, medical_w_defined=medical_w_defined)


def segment_reader(
    *,
    long_date: bool = False,
    policy: DedPolicy = STRICT,
    max_length: int | None = MAX_LENGTH,
    medical_w_defined: bool = False,
) -> Callable[[str, int, int], tuple[Ded | None, list[Finding]]]:
    """:func:`decode` of ``text[start:end]`` with its options bound once: the 820 reader
    decodes thousands of DEDs of one group alike, and a well-formed one then costs the regex
    and the :class:`Ded`, no keyword parsing or layers of calls."""
    fullmatch = FAST[long_date][policy.allow_medical_w].fullmatch
    trusted = _trusted_ded
    dates = DATES

    def read(text: str, start: int, end: int) -> tuple[Ded | None, list[Finding]]:
        stop = min(end, len(text))
        if max_length is None:
            # the 820's DEDs have no length limit: the regex and the pay date decide alone
            # (what span_reader's _accept checks then, inlined: 11,000 DEDs in one 820)
            match = fullmatch(text, start, stop)
            if match is not None:
                case_id, when, amount, ssn, medical, name, fips, term = match.groups("")
                cents = int(amount)
                pay_date = dates.get(when) or read_date(when)
                if pay_date is not None and (cents or term):
                    return trusted(case_id, pay_date, cents, ssn, medical, name, fips,
                                   term == "Y"), []
        else:
            fields = _accept(fullmatch(text, start, stop), text, start, stop, max_length)
            if fields is not None:
                return trusted(*fields), []
        return decode(text, long_date=long_date, policy=policy, start=start, end=end,
                      max_length=max_length, medical_w_defined=medical_w_defined)

    return read


def decode_elements(
    parts: list[str],
    offsets: list[int],
    *,
    long_date: bool = False,
    policy: DedPolicy = STRICT,
    medical_w_defined: bool = False,
) -> tuple[Ded | None, list[Finding]]:
    """Check already split elements (``parts[0]`` is the segment id) with their 0-based offsets.

    For the 820 parser, whose delimiters may not be ``*`` and ``\\``. Columns in the findings
    are ``offset + 1``, so the caller chooses what they are relative to.
    """
    from nacha_cs.codecs.ded_analyse import analyse

    return analyse(parts, offsets, long_date=long_date, policy=policy,
                   medical_w_defined=medical_w_defined)
