"""The findings the DED decoder can report, one registered rule each.

Kept apart from the analyser so a rule catalogue can import them without the decoding code.
Severities follow one principle (python-stdnum's): calling a valid payment invalid costs more
than letting a doubtful one pass with a warning. An error means the convention is broken in a
way a receiver may misread or reject (a missing mandatory element, a wrong code, a blank SSN);
a warning means the meaning is plain and only the form is doubtful (DED09 = N, a W from X12
003070 on inside an 820, trailing spaces in a text element).
"""

from __future__ import annotations

from nacha_cs.codecs.ded_table import (
    AMOUNT,
    CASE,
    ELEMENTS,
    FIPS,
    MANDATORY_COUNT,
    MAX_LENGTH,
    NAME,
    SSN,
)
from nacha_cs.findings import Profile, rule

_PROFILE: Profile = "child-support"

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
    "DED005", "error", f"DED segment has more than {len(ELEMENTS)} elements",
    f"Remove the extra elements (or a stray * inside a value); {ELEMENTS[-1].id} is the last.",
    _PROFILE)
MISSING_ELEMENT = rule(
    "DED006", "error", "mandatory DED element missing",
    f"DED01 to {ELEMENTS[MANDATORY_COUNT - 1].id} are mandatory: fill the element named.", _PROFILE)
PADDED = rule(
    "DED007", "error", "DED element has spaces the element's type does not allow",
    "Send values without leading spaces, and codes, dates and amounts without any spaces.",
    _PROFILE)
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
    "DED011", "error", f"DED02 case identifier longer than {CASE.max} characters",
    f"Use the receiving state's case or order number, at most {CASE.max} characters.", _PROFILE)
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
    "DED016", "error", f"DED04 amount longer than {AMOUNT.max} digits",
    f"The amount holds at most {AMOUNT.max} digits of cents.", _PROFILE)
ZERO_AMOUNT = rule(
    "DED017", "error", "DED04 amount is zero without a termination indicator",
    "A zero amount is allowed only with DED09 = Y (employment terminated).", _PROFILE)
BLANK_SSN = rule(
    "DED018", "error", "DED05 SSN is blank",
    f"Send the non-custodial parent's {SSN.max}-digit SSN; a blank is accepted only by agreement.",
    _PROFILE)
BAD_SSN = rule(
    "DED019", "error", f"DED05 SSN is not {SSN.max} digits",
    f"Send the SSN as {SSN.max} digits without dashes or spaces.", _PROFILE)
UNISSUED_SSN = rule(
    "DED020", "warning", "DED05 SSN cannot have been issued",
    "SSNs never start with 000, 666 or 9 and never have group 00 or serial 0000; check it.",
    _PROFILE)
BAD_MEDICAL = rule(
    "DED021", "error", "DED06 medical support indicator is not Y or N",
    "Send Y when family medical coverage is available, else N (W only where agreed).",
    _PROFILE)
NAME_TOO_LONG = rule(
    "DED022", "error", f"DED07 name longer than {NAME.max} characters",
    f"First 7 letters of the last name, then the first name, {NAME.max} characters at most.",
    _PROFILE)
BAD_FIPS = rule(
    "DED023", "error", f"DED08 FIPS code is not {FIPS.describe_lengths()} characters",
    "Send the receiving entity's FIPS code: state+county (5) or state+county+local (7).",
    _PROFILE)
TERMINATION_N = rule(
    "DED024", "warning", "DED09 is N where the convention omits the element",
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
    "DED028", "error", f"DED segment longer than {MAX_LENGTH} characters",
    "Shorten the case identifier or name, or drop optional elements; a CCD+ has one addenda.",
    _PROFILE)
MEDICAL_W_X12 = rule(
    "DED029", "warning", "DED06 is W, which X12 defines but the receiver has not agreed to",
    "W (medical insurance does not apply) exists from X12 003070 on; most SDUs list only Y "
    "and N, so check that this one accepts it.", _PROFILE)
TRAILING_SPACES = rule(
    "DED030", "warning", "DED element has trailing spaces",
    "Suppress trailing spaces in text elements (the convention's AN rule); the value is read "
    "without them.", _PROFILE)
