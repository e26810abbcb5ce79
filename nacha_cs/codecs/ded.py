"""The DED segment of the child-support application banking convention.

One DED carries one withholding: case, pay date, amount, the non-custodial parent's SSN and
name, and flags. It travels in the 80-character payment related information of a CCD+ addenda
(``*`` between elements, ``\\`` at the end) and, with the interchange's own delimiters, inside
the X12 820 of a CTX entry. This module builds the text (refusing anything a receiver would
reject) and reads it back (never raising: problems come back as findings).

Element layout (1-based, as the guides print it)::

    DED*CS*<case 1-20>*<YYMMDD>*<cents 1-10>*<SSN 9>*<Y|N>[*<name 1-10>][*<FIPS 5|7>][*Y]\\

Trailing unused optional elements are dropped with their separators; an omitted element in the
middle keeps its separator (``...*N**A4738\\`` has no name but a FIPS code).

Decisions taken here, documented once:

* Two-digit years read as 2000-2069 for ``00``-``69`` and 1970-1999 for ``70``-``99``. A fixed
  pivot keeps decoding deterministic (tests and golden files do not age).
* ``W`` as medical support indicator is accepted only when a :class:`DedPolicy` allows it
  (X12 003070 added it; Virginia accepts it, most states list only Y/N).
* A blank SSN is an error by default; ``DedPolicy(allow_blank_ssn=True)`` turns it into a
  warning for receivers that accept it (the Oklahoma guide's own sample has one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Protocol

import attrs

from nacha_cs.findings import Finding, Profile, Rule, Severity, rule
from nacha_cs.privacy import mask_ssn

SEGMENT_ID = "DED"
ELEMENT_SEPARATOR = "*"
TERMINATOR = "\\"
MAX_LENGTH = 80
"""A CCD+ carries one addenda: the whole segment, terminator included, fits in 80 characters."""

APPLICATION_CHILD_SUPPORT = "CS"
INTERSTATE_APPLICATIONS = frozenset({"II", "IO", "IT", "RI", "RO", "RT"})
"""X12 DED01 codes for state-to-state transfers; an employer sends ``CS``."""

ELEMENT_NAMES: dict[str, str] = {
    "DED01": "application identifier",
    "DED02": "case identifier",
    "DED03": "pay date",
    "DED04": "payment amount",
    "DED05": "non-custodial parent SSN",
    "DED06": "medical support indicator",
    "DED07": "non-custodial parent name",
    "DED08": "FIPS code",
    "DED09": "employment termination indicator",
}

MAX_AMOUNT = 9_999_999_999
"""DED04 is N2 1/10: ten digits of cents at most (the entry amount field is ten digits too)."""

_PROFILE: Profile = "child-support"

# --- rules -----------------------------------------------------------------------------------

NOT_DED = rule(
    "DED001", "error", "payment related information does not hold a DED segment",
    "Start the 80-character field with DED* followed by the elements.", _PROFILE)
NO_TERMINATOR = rule(
    "DED002", "error", "DED segment has no \\ terminator",
    "End the segment with a backslash right after the last element used.", _PROFILE)
SLASH_TERMINATOR = rule(
    "DED003", "error", "DED segment ends with / instead of \\",
    "The ACH segment terminator is a backslash (\\); replace the final slash.", _PROFILE)
AFTER_TERMINATOR = rule(
    "DED004", "error", "text after the DED segment terminator",
    "Leave only spaces after the backslash; the field holds exactly one DED segment.", _PROFILE)
TOO_MANY_ELEMENTS = rule(
    "DED005", "error", "DED segment has more than nine elements",
    "Remove the extra elements (or a stray * inside a value); DED09 is the last.", _PROFILE)
MISSING_ELEMENT = rule(
    "DED006", "error", "mandatory DED element missing",
    "DED01 to DED06 are mandatory: fill the element named.", _PROFILE)
PADDED = rule(
    "DED007", "error", "DED element padded with spaces",
    "Send values without leading or trailing spaces; elements are variable length.", _PROFILE)
LOWERCASE = rule(
    "DED008", "error", "DED code written in lowercase",
    "Codes (DED, CS, Y, N) are uppercase.", _PROFILE)
UNKNOWN_APPLICATION = rule(
    "DED009", "error", "DED01 is not a child-support application identifier",
    "Employers send CS in DED01.", _PROFILE)
INTERSTATE_APPLICATION = rule(
    "DED010", "warning", "DED01 is a state-to-state code, not the employer code CS",
    "Employer withholding payments use CS; II, IO, IT, RI, RO, RT are for SDU transfers.",
    _PROFILE)
CASE_TOO_LONG = rule(
    "DED011", "error", "DED02 case identifier longer than 20 characters",
    "Use the receiving state's case or order number, at most 20 characters.", _PROFILE)
BAD_DATE = rule(
    "DED012", "error", "DED03 pay date is not a valid date",
    "Write the date the income was withheld as YYMMDD (CCYYMMDD inside an 820 004010+).",
    _PROFILE)
DATE_LENGTH = rule(
    "DED013", "error", "DED03 pay date has the wrong length for where it is sent",
    "CCD+ addenda use YYMMDD; an 820 of version 004010 or later uses CCYYMMDD.", _PROFILE)
DECIMAL_POINT = rule(
    "DED014", "error", "DED04 amount contains a decimal point",
    "Send the amount in cents, digits only: $135.47 is 13547.", _PROFILE)
AMOUNT_NOT_DIGITS = rule(
    "DED015", "error", "DED04 amount is not digits only",
    "Send cents as digits only: no sign, comma, dollar sign or blanks.", _PROFILE)
AMOUNT_TOO_LONG = rule(
    "DED016", "error", "DED04 amount longer than 10 digits",
    "The amount holds at most 10 digits of cents.", _PROFILE)
ZERO_AMOUNT = rule(
    "DED017", "error", "DED04 amount is zero without a termination indicator",
    "A zero amount is allowed only with DED09 = Y (employment terminated).", _PROFILE)
BLANK_SSN = rule(
    "DED018", "error", "DED05 SSN is blank",
    "Send the non-custodial parent's 9-digit SSN; a blank is accepted only by agreement.",
    _PROFILE)
BAD_SSN = rule(
    "DED019", "error", "DED05 SSN is not 9 digits",
    "Send the SSN as 9 digits without dashes or spaces.", _PROFILE)
UNISSUED_SSN = rule(
    "DED020", "warning", "DED05 SSN cannot have been issued",
    "SSNs never start with 000, 666 or 9 and never have group 00 or serial 0000; check it.",
    _PROFILE)
BAD_MEDICAL = rule(
    "DED021", "error", "DED06 medical support indicator is not Y or N",
    "Send Y when family medical coverage is available, else N (W only where agreed).",
    _PROFILE)
NAME_TOO_LONG = rule(
    "DED022", "error", "DED07 name longer than 10 characters",
    "First 7 letters of the last name, then the first name, 10 characters at most.", _PROFILE)
BAD_FIPS = rule(
    "DED023", "error", "DED08 FIPS code is not 5 or 7 characters",
    "Send the receiving entity's FIPS code: state+county (5) or state+county+local (7).",
    _PROFILE)
TERMINATION_N = rule(
    "DED024", "error", "DED09 is N",
    "Omit DED09 while the employee still works there; send Y only when employment ended.",
    _PROFILE)
BAD_TERMINATION = rule(
    "DED025", "error", "DED09 termination indicator is not Y",
    "DED09 is Y or omitted.", _PROFILE)
TRAILING_EMPTY = rule(
    "DED026", "warning", "DED segment ends with empty elements",
    "Drop unused trailing elements together with their * separators.", _PROFILE)
BAD_CHARACTER = rule(
    "DED027", "error", "DED element holds a character outside printable ASCII",
    "Use letters, digits, spaces and ASCII punctuation only (never * or \\).", _PROFILE)
TOO_LONG = rule(
    "DED028", "error", "DED segment longer than 80 characters",
    "Shorten the case identifier or name, or drop optional elements; a CCD+ has one addenda.",
    _PROFILE)

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


class DedError(ValueError):
    """A DED that cannot be sent: names the element and what is wrong with it."""

    def __init__(self, element: str, message: str) -> None:
        self.element = element
        super().__init__(f"{element} ({ELEMENT_NAMES.get(element, 'segment')}): {message}")


# --- encoding --------------------------------------------------------------------------------

_PRINTABLE = re.compile(r"[ -~]*")


def _check_text(element: str, value: str, low: int, high: int, separators: str) -> None:
    """Refuse a value a receiver would misread; say which element and why."""
    if not value:
        raise DedError(element, "is empty")
    for sep in separators:
        if sep in value:
            raise DedError(element, f"contains the delimiter {sep!r} at position "
                                    f"{value.index(sep) + 1}: {value!r}")
    if not _PRINTABLE.fullmatch(value):
        raise DedError(element, f"contains a character outside printable ASCII: {value!r}")
    if value != value.strip(" "):
        raise DedError(element, f"has leading or trailing spaces: {value!r}")
    if len(value) > high:
        raise DedError(element, f"is {len(value)} characters, {len(value) - high} over the "
                                f"maximum of {high}: {value!r}")
    if len(value) < low:
        raise DedError(element, f"is {len(value)} characters, at least {low} are required")


def format_date(value: date, *, long_date: bool = False) -> str:
    """DED03 text: YYMMDD in CCD+, CCYYMMDD inside an 820 of version 004010 or later.

    Raises :class:`DedError` for a year YYMMDD would read back as another century.
    """
    if long_date:
        return f"{value.year:04d}{value.month:02d}{value.day:02d}"
    if not 1970 <= value.year <= 2069:
        raise DedError("DED03", f"year {value.year} does not fit YYMMDD (read back as "
                                f"1970-2069)")
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


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
    if ded.application != APPLICATION_CHILD_SUPPORT and (
        ded.application not in INTERSTATE_APPLICATIONS
    ):
        raise DedError("DED01", f"must be CS (or an interstate code), got {ded.application!r}")
    _check_text("DED02", ded.case_id, 1, 20, separators)
    if not isinstance(ded.amount, int) or isinstance(ded.amount, bool):
        raise DedError("DED04", f"must be an integer number of cents, got {ded.amount!r}")
    if ded.amount < 0:
        raise DedError("DED04", f"must not be negative, got {ded.amount}")
    if ded.amount > MAX_AMOUNT:
        raise DedError("DED04", f"{ded.amount} cents has {len(str(ded.amount))} digits, "
                                f"{len(str(ded.amount)) - 10} over the maximum of 10")
    if ded.amount == 0 and not ded.terminated:
        raise DedError("DED04", "is zero; a zero amount needs DED09 = Y (terminated)")
    if not (len(ded.ssn) == 9 and ded.ssn.isascii() and ded.ssn.isdigit()):
        raise DedError("DED05", f"must be 9 digits, got {len(ded.ssn)} characters "
                                f"{mask_ssn(ded.ssn)!r}")
    allowed = "YNW" if policy.allow_medical_w else "YN"
    if len(ded.medical) != 1 or ded.medical not in allowed:
        extra = " (W needs a policy that allows it)" if ded.medical == "W" else ""
        raise DedError("DED06", f"must be one of {', '.join(allowed)}, "
                                f"got {ded.medical!r}{extra}")
    if ded.name:
        _check_text("DED07", ded.name, 1, 10, separators)
    if ded.fips:
        _check_text("DED08", ded.fips, 5, 7, separators)
        if len(ded.fips) == 6:
            raise DedError("DED08", f"is 6 characters; a FIPS code is 5 or 7: {ded.fips!r}")
    values = [
        ded.application,
        ded.case_id,
        format_date(ded.pay_date, long_date=long_date),
        str(ded.amount),
        ded.ssn,
        ded.medical,
        ded.name,
        ded.fips,
        "Y" if ded.terminated else "",
    ]
    while not values[-1]:
        values.pop()
    return values


def encode(ded: Ded, *, long_date: bool = False, policy: DedPolicy = STRICT) -> str:
    """The segment text, terminator included; refuses (DedError) rather than cut at 80."""
    text = ELEMENT_SEPARATOR.join([SEGMENT_ID, *elements(ded, long_date=long_date,
                                                          policy=policy)]) + TERMINATOR
    if len(text) > MAX_LENGTH:
        over = len(text) - MAX_LENGTH
        raise DedError("DED", f"segment is {len(text)} characters, {over} over the limit of "
                              f"{MAX_LENGTH} (case identifier {len(ded.case_id)}, name "
                              f"{len(ded.name)}): shorten an element or drop an optional one")
    return text


def encode_field(ded: Ded, *, policy: DedPolicy = STRICT) -> str:
    """The 80-character payment related information of a CCD+ addenda (space-filled)."""
    return encode(ded, policy=policy).ljust(MAX_LENGTH)


_DATE_TEXT: dict[date, str] = {}
"""YYMMDD of pay dates already formatted: a payroll repeats a handful of them."""


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
    a value, no padding around one) plus each element's length; a segment that passes them
    is what :func:`encode` sends. Anything else goes through :func:`encode_field` itself,
    which raises the :class:`DedError` it always raised.

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
    # Elements as elements() sends them: trailing unused ones dropped with their separators.
    if terminated:
        text, separators = f"DED*CS*{case_id}*{when}*{amount}*{ssn}*{medical}*{name}*{fips}*Y\\", 9
    elif fips:
        text, separators = f"DED*CS*{case_id}*{when}*{amount}*{ssn}*{medical}*{name}*{fips}\\", 8
    elif name:
        text, separators = f"DED*CS*{case_id}*{when}*{amount}*{ssn}*{medical}*{name}\\", 7
    else:
        text, separators = f"DED*CS*{case_id}*{when}*{amount}*{ssn}*{medical}\\", 6
    if (
        when
        and 0 < len(case_id) <= 20
        and type(amount) is int
        and 0 <= amount <= MAX_AMOUNT
        and (amount or terminated)
        and len(ssn) == 9
        and ssn.isdigit()
        and (medical == "N" or medical == "Y")
        and len(name) <= 10
        and len(fips) in (0, 5, 7)
        and text.isascii()
        and text.isprintable()
        and text.count(ELEMENT_SEPARATOR) == separators  # no separator inside a value ...
        and text.count(TERMINATOR) == 1
        and " *" not in text  # ... and no value padded with spaces
        and "* " not in text
        and " \\" not in text
    ):
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


# --- SSN masking -----------------------------------------------------------------------------


# --- decoding --------------------------------------------------------------------------------

_NO_PAD = r"[!-)+-\[\]-~]"  # printable ASCII except space, * and \
_ANY = r"[ -)+-\[\]-~]"  # printable ASCII except * and \


def _fast_pattern(long_date: bool, allow_w: bool) -> re.Pattern[str]:
    """One regex for a well-formed segment: when it matches, nothing else needs checking."""
    year = "[0-9]{4}" if long_date else "[0-9]{2}"
    return re.compile(
        r"DED\*CS"
        rf"\*({_NO_PAD}(?:{_ANY}{{0,18}}{_NO_PAD})?)"  # DED02 case 1-20, not padded
        rf"\*({year}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))"  # DED03
        r"\*([0-9]{1,10})"  # DED04
        r"\*((?!000|666|9)[0-9]{3}(?!00)[0-9]{2}(?!0000)[0-9]{4})"  # DED05 issuable SSN
        rf"\*([{'YNW' if allow_w else 'YN'}])"  # DED06
        rf"(?:\*({_NO_PAD}(?:{_ANY}{{0,8}}{_NO_PAD})?)?"  # DED07
        rf"(?:\*({_NO_PAD}(?:{_ANY}{{3}}|{_ANY}{{5}}){_NO_PAD})?"  # DED08
        r"(?:\*(Y))?)?)?"  # DED09
        r"(?<!\*)\\ *"  # terminator after a non-empty element, then the field's fill
    )


_FAST: tuple[tuple[re.Pattern[str], ...], ...] = tuple(
    tuple(_fast_pattern(long_date, allow_w) for allow_w in (False, True))
    for long_date in (False, True)
)
"""Indexed ``[long_date][allow_medical_w]``: two tuple lookups, no key to build."""


def _year(text: str) -> int:
    """Expand YY with the fixed pivot (00-69 -> 20YY) or take CCYY as it is."""
    value = int(text)
    if len(text) == 2:
        return value + (2000 if value < 70 else 1900)
    return value


_DATES: dict[str, date] = {}
"""Pay dates already read: a file repeats a handful of them, parsing each once is enough."""


def _read_date(text: str) -> date | None:
    """YYMMDD or CCYYMMDD to a date (None when not a calendar date), remembered for next time."""
    try:
        value = date(_year(text[:-4]), int(text[-4:-2]), int(text[-2:]))
    except ValueError:
        return None
    if len(_DATES) >= 4096:
        _DATES.clear()
    _DATES[text] = value
    return value


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

    No :class:`Ded` is built, so a validator reading a million addenda pays only for the
    regex; ``None`` means "ask :func:`decode`", not "invalid".
    """
    stop = len(text) if end is None else min(end, len(text))
    match = _FAST[long_date][allow_medical_w].fullmatch(text, start, stop)
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
    fullmatch = _FAST[long_date][allow_medical_w].fullmatch

    def read(text: str) -> WellFormed | None:
        return _accept(fullmatch(text, start, end), text, start, end, max_length)

    return read


def amount_reader(
    *, long_date: bool = False, allow_medical_w: bool = False, start: int = 0, end: int
) -> Callable[[str], int | None]:
    """For a loop over many CCD+ addenda: DED04 of a segment that cannot draw a finding, else
    None (then ask :func:`decode`). The same verdict as :func:`well_formed_reader`, reading only
    the amount, because a validator comparing it with the entry needs nothing else."""
    if end - start > MAX_LENGTH:
        whole = well_formed_reader(long_date=long_date, allow_medical_w=allow_medical_w,
                                   start=start, end=end)

        def read_long(text: str) -> int | None:
            fields = whole(text)
            return None if fields is None else fields[2]

        return read_long
    fullmatch = _FAST[long_date][allow_medical_w].fullmatch
    dates = _DATES

    def read(text: str) -> int | None:
        match = fullmatch(text, start, end)
        if match is None:
            return None
        when = match[2]
        if when not in dates and _read_date(when) is None:
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
    pay_date = _DATES.get(when)
    if pay_date is None:
        pay_date = _read_date(when)
    if pay_date is None or not (cents or term):
        return None
    return case_id, pay_date, cents, ssn, medical, name, fips, term == "Y"


def decode(
    text: str,
    *,
    long_date: bool = False,
    policy: DedPolicy = STRICT,
    start: int = 0,
    end: int | None = None,
    max_length: int | None = MAX_LENGTH,
) -> tuple[Ded | None, list[Finding]]:
    """Read one DED segment; never raises.

    ``text[start:end]`` is a segment or a whole 80-character field (trailing spaces are the
    fill). Passing ``start``/``end`` lets the validator decode a record's columns 4-83 without
    slicing. Finding columns are 1-based inside that span. The :class:`Ded` comes back only
    when nothing of error severity was found: a value you get is one you can post.
    ``max_length`` is 80 for CCD+; the 820 parser passes ``None``.
    """
    fields = decode_well_formed(text, long_date=long_date,
                                allow_medical_w=policy.allow_medical_w, start=start, end=end,
                                max_length=max_length)
    if fields is not None:
        return _trusted_ded(*fields), []
    stop = len(text) if end is None else min(end, len(text))
    return _decode_slow(text[start:stop], long_date, policy, max_length)


def decode_elements(
    parts: list[str],
    offsets: list[int],
    *,
    long_date: bool = False,
    policy: DedPolicy = STRICT,
) -> tuple[Ded | None, list[Finding]]:
    """Check already split elements (``parts[0]`` is the segment id) with their 0-based offsets.

    For the 820 parser, whose delimiters may not be ``*`` and ``\\``. Columns in the findings
    are ``offset + 1``, so the caller chooses what they are relative to.
    """
    return _analyse(parts, offsets, long_date, policy, [])


def _finding(rule_: Rule, message: str, column: int, end_column: int, field: str,
             severity: Severity | None = None) -> Finding:
    return rule_.finding(message, column=column, end_column=max(column, end_column),
                         field=field, severity=severity)


def _decode_slow(
    field: str, long_date: bool, policy: DedPolicy, max_length: int | None,
) -> tuple[Ded | None, list[Finding]]:
    """Name every problem of a segment the fast pattern did not accept."""
    text = field.rstrip(" ")
    if not text:
        return None, [_finding(NOT_DED, "payment related information is blank", 1,
                               max(len(field), 1), "DED")]
    if not text.lstrip(" ").upper().startswith(SEGMENT_ID):
        shown = text[:10]  # short: a stray record could carry an SSN further on
        return None, [_finding(NOT_DED, f"payment related information does not start with "
                                        f"DED*: {shown!r}", 1, len(text), "DED")]
    findings: list[Finding] = []
    if max_length is not None and len(text) > max_length:
        findings.append(_finding(TOO_LONG, f"segment is {len(text)} characters, "
                                           f"{len(text) - max_length} over the limit of "
                                           f"{max_length}", max_length + 1, len(text), "DED"))
    cut = text.find(TERMINATOR)
    if cut >= 0:
        body = text[:cut]
        if cut != len(text) - 1:
            findings.append(_finding(AFTER_TERMINATOR, f"{text[cut + 1:]!r} follows the "
                                     f"terminator", cut + 2, len(text), "DED"))
    elif text.endswith("/"):
        body = text[:-1]
        findings.append(_finding(SLASH_TERMINATOR, "segment ends with / where \\ belongs",
                                 len(text), len(text), "DED"))
    else:
        body = text
        findings.append(_finding(NO_TERMINATOR, f"no \\ after the last element (column "
                                 f"{len(text)})", len(text), len(text), "DED"))
    parts = body.split(ELEMENT_SEPARATOR)
    offsets = []
    position = 0
    for part in parts:
        offsets.append(position)
        position += len(part) + 1
    return _analyse(parts, offsets, long_date, policy, findings)


def _analyse(
    parts: list[str],
    offsets: list[int],
    long_date: bool,
    policy: DedPolicy,
    findings: list[Finding],
) -> tuple[Ded | None, list[Finding]]:
    """Element-by-element checks shared by the text and the 820 paths."""
    end_of_body = offsets[-1] + len(parts[-1]) if parts else 0

    def span(index: int) -> tuple[int, int]:
        if index < len(parts):
            return offsets[index] + 1, offsets[index] + len(parts[index])
        return end_of_body + 1, end_of_body + 1

    def add(rule_: Rule, message: str, index: int, severity: Severity | None = None) -> None:
        column, end_column = span(index)
        field = "DED" if index == 0 else f"DED{index:02d}"
        findings.append(_finding(rule_, message, column, end_column, field, severity))

    seg_id = parts[0] if parts else ""
    if seg_id.strip(" ") != seg_id:
        add(PADDED, f"segment id {seg_id!r} has spaces around it", 0)
    if seg_id.strip(" ") != SEGMENT_ID:
        if seg_id.strip(" ").upper() == SEGMENT_ID:
            add(LOWERCASE, f"segment id {seg_id.strip()!r} must be DED", 0)
        else:
            add(NOT_DED, f"segment id is {seg_id!r}, not DED", 0)
            return None, findings

    if len(parts) > 10:
        column = offsets[10] + 1
        findings.append(_finding(TOO_MANY_ELEMENTS, f"{len(parts) - 1} elements; the last "
                                 f"{len(parts) - 10} after DED09 are extra", column,
                                 end_of_body, "DED"))
    last_used = len(parts) - 1
    while last_used >= 7 and not parts[last_used]:
        last_used -= 1
    if last_used < len(parts) - 1 and len(parts) <= 10:
        column = offsets[last_used + 1]
        findings.append(_finding(TRAILING_EMPTY, f"{len(parts) - 1 - last_used} empty "
                                 f"element(s) before the terminator", column, end_of_body,
                                 f"DED{last_used + 1:02d}"))

    values: list[str | None] = [None] * 10
    for index in range(1, 10):
        name = f"DED{index:02d}"
        raw = parts[index] if index < len(parts) else None
        if raw is None or raw == "":
            if index <= 6 and not (index == 5 and raw == ""):
                add(MISSING_ELEMENT, f"{name} ({ELEMENT_NAMES[name]}) is missing", index)
            elif index == 5:
                add(BLANK_SSN, "DED05 SSN is empty", index,
                    "warning" if policy.allow_blank_ssn else None)
                values[5] = ""
            continue
        if not _PRINTABLE.fullmatch(raw):
            bad = next(ch for ch in raw if not " " <= ch <= "~")
            add(BAD_CHARACTER, f"{name} holds {bad!r} (U+{ord(bad):04X})", index)
        value = raw.strip(" ")
        if not value:
            if index == 5:
                add(BLANK_SSN, f"DED05 SSN is {len(raw)} blank(s)", index,
                    "warning" if policy.allow_blank_ssn else None)
                values[5] = ""
            elif index <= 6:
                add(MISSING_ELEMENT, f"{name} ({ELEMENT_NAMES[name]}) is blank", index)
            else:
                add(PADDED, f"{name} is {len(raw)} space(s); omit it instead", index)
            continue
        if value != raw:
            if index == 5:  # never quote an SSN, padded or not
                add(PADDED, f"DED05 SSN is padded to {len(raw)} characters; send the 9 digits "
                            "without spaces", index)
            else:
                add(PADDED, f"{name} {raw!r} is padded to {len(raw)} characters; "
                            f"send {value!r}", index)
        values[index] = value

    _check_application(values[1], add)
    if values[2] is not None and len(values[2]) > 20:
        add(CASE_TOO_LONG, f"case identifier is {len(values[2])} characters, "
                           f"{len(values[2]) - 20} over 20", 2)
    pay_date = _check_date(values[3], long_date, add)
    amount = _check_amount(values[4], add)
    ssn = _check_ssn(values[5], add)
    medical = _check_code(values[6], 6, "YNW" if policy.allow_medical_w else "YN", add)
    if values[7] is not None and len(values[7]) > 10:
        add(NAME_TOO_LONG, f"name is {len(values[7])} characters, {len(values[7]) - 10} over "
                           f"10", 7)
    if values[8] is not None and len(values[8]) not in (5, 7):
        add(BAD_FIPS, f"FIPS code {values[8]!r} is {len(values[8])} characters", 8)
    terminated = _check_termination(values[9], add)
    if amount == 0 and not terminated:
        add(ZERO_AMOUNT, "amount is zero and DED09 is not Y", 4)

    if any(f.severity == "error" for f in findings):
        return None, findings
    assert values[2] is not None and pay_date is not None and amount is not None
    return Ded(values[2], pay_date, amount, ssn or "", medical or "", values[7] or "",
               values[8] or "", terminated, values[1] or ""), findings


class _Add(Protocol):
    """Type of the ``add`` callback handed to the element checks."""

    def __call__(self, rule_: Rule, message: str, index: int,
                 severity: Severity | None = None) -> None: ...


def _check_application(value: str | None, add: _Add) -> None:
    if value is None:
        return
    code = value
    if code != code.upper() and code.upper() in INTERSTATE_APPLICATIONS | {"CS"}:
        add(LOWERCASE, f"DED01 {value!r} must be uppercase", 1)
        code = code.upper()
    if code in INTERSTATE_APPLICATIONS:
        add(INTERSTATE_APPLICATION, f"DED01 is {code}, an interstate code", 1)
    elif code != APPLICATION_CHILD_SUPPORT:
        add(UNKNOWN_APPLICATION, f"DED01 is {value!r}, expected CS", 1)


def _check_date(value: str | None, long_date: bool, add: _Add) -> date | None:
    if value is None:
        return None
    expected = 8 if long_date else 6
    if not (value.isascii() and value.isdigit()) or len(value) not in (6, 8):
        add(BAD_DATE, f"pay date {value!r} is not {'CCYYMMDD' if long_date else 'YYMMDD'}", 3)
        return None
    if len(value) != expected:
        where = "an 820 of version 004010 or later" if long_date else "a CCD+ addenda"
        add(DATE_LENGTH, f"pay date {value!r} has {len(value)} digits; {where} uses "
                         f"{expected}", 3)
    year = value[:-4]
    try:
        return date(_year(year), int(value[-4:-2]), int(value[-2:]))
    except ValueError:
        add(BAD_DATE, f"pay date {value!r} is not a calendar date", 3)
        return None


def _check_amount(value: str | None, add: _Add) -> int | None:
    if value is None:
        return None
    if "." in value:
        add(DECIMAL_POINT, f"amount {value!r} has a decimal point; cents without it", 4)
        whole, _, frac = value.partition(".")
        digits = whole + frac.ljust(2, "0")[:2]
        return int(digits) if digits.isascii() and digits.isdigit() else None
    if not (value.isascii() and value.isdigit()):
        add(AMOUNT_NOT_DIGITS, f"amount {value!r} is not digits only", 4)
        return None
    if len(value) > 10:
        add(AMOUNT_TOO_LONG, f"amount has {len(value)} digits, {len(value) - 10} over 10", 4)
    return int(value)


def _check_ssn(value: str | None, add: _Add) -> str | None:
    if value is None:
        return None
    if value == "":
        return ""  # blank: reported as such by the caller
    if not (len(value) == 9 and value.isascii() and value.isdigit()):
        detail = " (no dashes)" if "-" in value else ""
        add(BAD_SSN, f"SSN is {len(value)} characters {mask_ssn(value)!r}{detail}", 5)
        return None
    if value[:3] in ("000", "666") or value[0] == "9" or value[3:5] == "00" or (
        value[5:] == "0000"
    ):
        add(UNISSUED_SSN, f"SSN {mask_ssn(value)} has an area, group or serial never issued",
            5)
    return value


def _check_code(value: str | None, index: int, allowed: str, add: _Add) -> str | None:
    if value is None:
        return None
    code = value
    if code != code.upper() and code.upper() in allowed:
        add(LOWERCASE, f"DED{index:02d} {value!r} must be uppercase", index)
        code = code.upper()
    if len(code) != 1 or code not in allowed:
        extra = " (W is accepted only where the receiver allows it)" if code == "W" else ""
        add(BAD_MEDICAL, f"medical support indicator is {value!r}, expected "
                         f"{' or '.join(allowed)}{extra}", index)
    return code


def _check_termination(value: str | None, add: _Add) -> bool:
    if value is None:
        return False
    code = value
    if code != code.upper() and code.upper() in ("Y", "N"):
        add(LOWERCASE, f"DED09 {value!r} must be uppercase", 9)
        code = code.upper()
    if code == "N":
        add(TERMINATION_N, "DED09 is N; omit it unless employment ended", 9)
        return False
    if code != "Y":
        add(BAD_TERMINATION, f"DED09 is {value!r}, expected Y or nothing", 9)
        return False
    return True
