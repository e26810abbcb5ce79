"""The DED slow path: name every problem of a segment the fast regex did not accept.

Walks the element table (:data:`~nacha_cs.codecs.ded_table.ELEMENTS`): which elements are
mandatory, how long each may be and what kind of value it holds all come from there. Findings
carry 1-based columns relative to the offsets the caller passes, and the
:class:`~nacha_cs.codecs.ded_table.Ded` comes back only when no finding is an error.

>>> value, findings = analyse_text("DED*CS*ZC146*241024*13547*512340001*N*SMITH,HARR \\\\",
...                                long_date=False, policy=STRICT)
>>> [(f.code, f.severity, f.message) for f in findings]
[('DED030', 'warning', "DED07 'SMITH,HARR ' has 1 trailing space; send 'SMITH,HARR'")]
>>> value.name
'SMITH,HARR'
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from nacha_cs.codecs import ded_rules as r
from nacha_cs.codecs.ded_table import (
    AMOUNT,
    APPLICATION,
    APPLICATION_CHILD_SUPPORT,
    CASE,
    ELEMENT_SEPARATOR,
    ELEMENTS,
    FIPS,
    INTERSTATE_APPLICATIONS,
    MANDATORY_COUNT,
    MEDICAL,
    MEDICAL_W,
    MEDICAL_W_FROM,
    NAME,
    PAY_DATE,
    PRINTABLE,
    SEGMENT_ID,
    SSN,
    STRICT,
    TERMINATION,
    TERMINATOR,
    Ded,
    DedPolicy,
    Element,
    date_length,
    year,
)
from nacha_cs.codecs.wording import count
from nacha_cs.findings import Finding, Rule, Severity
from nacha_cs.privacy import mask_ssn, ssn_never_issued

_TOO_LONG: dict[str, Rule] = {CASE.id: r.CASE_TOO_LONG, NAME.id: r.NAME_TOO_LONG,
                              FIPS.id: r.BAD_FIPS}
"""The rule each free-text element's length breaks (DED05's is BAD_SSN, in _check_ssn)."""


def _finding(rule_: Rule, message: str, column: int, end_column: int, field: str,
             severity: Severity | None = None) -> Finding:
    return rule_.finding(message, column=column, end_column=max(column, end_column),
                         field=field, severity=severity)


def analyse_text(
    field: str,
    *,
    long_date: bool,
    policy: DedPolicy,
    max_length: int | None = None,
    medical_w_defined: bool = False,
) -> tuple[Ded | None, list[Finding]]:
    """Split a segment text (``*`` and ``\\``) and check it; the field's fill is ignored."""
    text = field.rstrip(" ")
    if not text:
        return None, [_finding(r.NOT_DED, "the payment related information is blank", 1,
                               max(len(field), 1), "DED")]
    if not text.lstrip(" ").upper().startswith(SEGMENT_ID):
        shown = text[:10]  # short: a stray record could carry an SSN further on
        return None, [_finding(r.NOT_DED, f"the payment related information starts with "
                                          f"{shown!r}, not DED*", 1, len(text), "DED")]
    findings: list[Finding] = []
    if max_length is not None and len(text) > max_length:
        findings.append(_finding(r.TOO_LONG, f"the segment is {len(text)} characters, "
                                             f"{len(text) - max_length} over the limit of "
                                             f"{max_length}", max_length + 1, len(text), "DED"))
    cut = text.find(TERMINATOR)
    if cut >= 0:
        body = text[:cut]
        if cut != len(text) - 1:
            findings.append(_finding(r.AFTER_TERMINATOR, f"{text[cut + 1:]!r} follows the "
                                     f"terminator", cut + 2, len(text), "DED"))
    elif text.endswith("/"):
        body = text[:-1]
        findings.append(_finding(r.SLASH_TERMINATOR, "the segment ends with / where \\ "
                                 "belongs", len(text), len(text), "DED"))
    else:
        body = text
        findings.append(_finding(r.NO_TERMINATOR, f"no \\ follows the last element (column "
                                 f"{len(text)})", len(text), len(text), "DED"))
    parts = body.split(ELEMENT_SEPARATOR)
    offsets = []
    position = 0
    for part in parts:
        offsets.append(position)
        position += len(part) + 1
    return analyse(parts, offsets, long_date=long_date, policy=policy, findings=findings,
                   medical_w_defined=medical_w_defined)


class _Add(Protocol):
    """Type of the ``add`` callback handed to the element checks."""

    def __call__(self, rule_: Rule, message: str, index: int,
                 severity: Severity | None = None) -> None: ...


def analyse(
    parts: list[str],
    offsets: list[int],
    *,
    long_date: bool,
    policy: DedPolicy = STRICT,
    findings: list[Finding] | None = None,
    medical_w_defined: bool = False,
) -> tuple[Ded | None, list[Finding]]:
    """Element-by-element checks shared by the text and the 820 paths.

    ``parts[0]`` is the segment id, ``offsets`` their 0-based starts. ``medical_w_defined``
    says the syntax in use (an 820 of X12 003070 or later) defines DED06 = W: a W the policy
    does not allow is then a warning instead of an error.
    """
    findings = [] if findings is None else findings
    end_of_body = offsets[-1] + len(parts[-1]) if parts else 0

    def span(index: int) -> tuple[int, int]:
        if index < len(parts):
            return offsets[index] + 1, offsets[index] + len(parts[index])
        return end_of_body + 1, end_of_body + 1

    def add(rule_: Rule, message: str, index: int, severity: Severity | None = None) -> None:
        column, end_column = span(index)
        field = "DED" if index == 0 else ELEMENTS[index - 1].id
        findings.append(_finding(rule_, message, column, end_column, field, severity))

    seg_id = parts[0] if parts else ""
    if seg_id.strip(" ") != seg_id:
        add(r.PADDED, f"the segment id {seg_id!r} has spaces around it", 0)
    if seg_id.strip(" ") != SEGMENT_ID:
        if seg_id.strip(" ").upper() == SEGMENT_ID:
            add(r.LOWERCASE, f"the segment id {seg_id.strip()!r} must be written DED", 0)
        else:
            add(r.NOT_DED, f"the segment id is {seg_id!r}, not DED", 0)
            return None, findings

    most = len(ELEMENTS) + 1
    if len(parts) > most:
        findings.append(_finding(r.TOO_MANY_ELEMENTS, f"the segment has {len(parts) - 1} "
                                 f"elements; {count(len(parts) - most, 'element')} after "
                                 f"{ELEMENTS[-1].id} {'is' if len(parts) == most + 1 else 'are'}"
                                 f" extra", offsets[most] + 1, end_of_body, "DED"))
    last_used = len(parts) - 1
    while last_used > MANDATORY_COUNT and not parts[last_used]:
        last_used -= 1
    if last_used < len(parts) - 1 and len(parts) <= most:
        empty = len(parts) - 1 - last_used
        findings.append(_finding(r.TRAILING_EMPTY, f"{count(empty, 'empty element')} "
                                 f"{'comes' if empty == 1 else 'come'} before the terminator",
                                 offsets[last_used + 1], end_of_body,
                                 ELEMENTS[last_used].id))

    values: list[str | None] = [None] * most
    for element in ELEMENTS:
        values[element.number] = _read_element(element, parts, policy, add)

    _check_application(values[APPLICATION.number], add)
    for element in (CASE, NAME, FIPS):
        _check_length(element, values[element.number], add)
    pay_date = _check_date(values[PAY_DATE.number], long_date, add)
    amount = _check_amount(values[AMOUNT.number], add)
    ssn = _check_ssn(values[SSN.number], add)
    medical = _check_medical(values[MEDICAL.number], policy, medical_w_defined, add)
    terminated = _check_termination(values[TERMINATION.number], add)
    if amount == 0 and not terminated:
        add(r.ZERO_AMOUNT, "the amount is zero and DED09 is not Y", AMOUNT.number)

    if any(f.severity == "error" for f in findings):
        return None, findings
    case_id = values[CASE.number]
    assert case_id is not None and pay_date is not None and amount is not None
    return Ded(case_id, pay_date, amount, ssn or "", medical or "", values[NAME.number] or "",
               values[FIPS.number] or "", terminated,
               values[APPLICATION.number] or ""), findings


def _read_element(element: Element, parts: list[str], policy: DedPolicy,
                  add: _Add) -> str | None:
    """The element's value without its spaces, after naming missing, blank or padded ones.

    None when it is absent (or blank and optional); ``""`` for a blank SSN, which the caller
    then treats as the policy says.
    """
    index = element.number
    raw = parts[index] if index < len(parts) else None
    label = f"{element.id} ({element.name})"
    if raw is None or raw == "":
        if element is SSN and raw == "":
            add(r.BLANK_SSN, "DED05 (SSN) is empty", index,
                "warning" if policy.allow_blank_ssn else None)
            return ""
        if element.mandatory:
            add(r.MISSING_ELEMENT, f"{label} is missing", index)
        return None
    if not PRINTABLE.fullmatch(raw):
        bad = next(ch for ch in raw if not " " <= ch <= "~")
        add(r.BAD_CHARACTER, f"{element.id} holds {bad!r} (U+{ord(bad):04X})", index)
    value = raw.strip(" ")
    if not value:
        spaces = count(len(raw), "space")
        if element is SSN:
            add(r.BLANK_SSN, f"DED05 (SSN) is {spaces}", index,
                "warning" if policy.allow_blank_ssn else None)
            return ""
        if element.mandatory:
            add(r.MISSING_ELEMENT, f"{label} is {spaces}", index)
        else:  # no non-space character: not a value, read as omitted
            add(r.TRAILING_SPACES, f"{element.id} is {spaces}; omit the element instead",
                index)
        return None
    leading = len(raw) - len(raw.lstrip(" "))
    trailing = len(raw) - len(raw.rstrip(" "))
    if leading or (trailing and element.kind != "AN"):
        where = "leading" if leading else "trailing"
        if element is SSN:  # never quote an SSN, padded or not
            add(r.PADDED, f"DED05 (SSN) has {where} spaces; send the 9 digits without them",
                index)
        elif leading:
            add(r.PADDED, f"{element.id} {raw!r} starts with "
                          f"{count(leading, 'space')}; send {value!r}", index)
        else:
            add(r.PADDED, f"{element.id} {raw!r} ends with {count(trailing, 'space')}, which "
                          f"a{'n' if element.kind == 'ID' else ''} {element.kind} element may "
                          f"not hold; send {value!r}", index)
    elif trailing:
        if element is SSN:
            add(r.TRAILING_SPACES, f"DED05 (SSN) has {count(trailing, 'trailing space')}",
                index)
        else:
            add(r.TRAILING_SPACES, f"{element.id} {raw!r} has "
                                   f"{count(trailing, 'trailing space')}; send {value!r}", index)
    return value


def _check_application(value: str | None, add: _Add) -> None:
    if value is None:
        return
    code = value
    if code != code.upper() and code.upper() in INTERSTATE_APPLICATIONS | set(APPLICATION.codes):
        add(r.LOWERCASE, f"DED01 {value!r} must be written in uppercase", APPLICATION.number)
        code = code.upper()
    if code in INTERSTATE_APPLICATIONS:
        add(r.INTERSTATE_APPLICATION, f"DED01 is {code}, an interstate code", APPLICATION.number)
    elif code not in APPLICATION.codes:
        add(r.UNKNOWN_APPLICATION, f"DED01 is {value!r}; an employer sends "
                                   f"{APPLICATION_CHILD_SUPPORT}", APPLICATION.number)


def _check_length(element: Element, value: str | None, add: _Add) -> None:
    """A free-text element whose length the table does not allow."""
    if value is None or element.fits(len(value)):
        return
    size = len(value)
    if element.only or size < element.min:
        add(_TOO_LONG[element.id], f"{element.id} {value!r} is {count(size, 'character')}; "
                                   f"{element.name} has {element.describe_lengths()}",
            element.number)
    else:
        add(_TOO_LONG[element.id], f"{element.id} is {count(size, 'character')}, "
                                   f"{size - element.max} over the maximum of {element.max}",
            element.number)


def _check_date(value: str | None, long_date: bool, add: _Add) -> date | None:
    if value is None:
        return None
    expected = date_length(long_date)
    form = "CCYYMMDD" if long_date else "YYMMDD"
    lengths = (date_length(False), date_length(True))
    if not (value.isascii() and value.isdigit()) or len(value) not in lengths:
        add(r.BAD_DATE, f"the pay date {value!r} is not a date written {form}",
            PAY_DATE.number)
        return None
    if len(value) != expected:
        where = "an 820 of version 004010 or later" if long_date else "a CCD+ addenda"
        add(r.DATE_LENGTH, f"the pay date {value!r} has {len(value)} digits; {where} uses "
                           f"{expected}", PAY_DATE.number)
    try:
        return date(year(value[:-4]), int(value[-4:-2]), int(value[-2:]))
    except ValueError:
        add(r.BAD_DATE, f"the pay date {value!r} is not a calendar date", PAY_DATE.number)
        return None


def _check_amount(value: str | None, add: _Add) -> int | None:
    if value is None:
        return None
    index = AMOUNT.number
    if "." in value:
        add(r.DECIMAL_POINT, f"the amount {value!r} has a decimal point; send cents without "
                             f"one", index)
        whole, _, frac = value.partition(".")
        digits = whole + frac.ljust(2, "0")[:2]
        return int(digits) if digits.isascii() and digits.isdigit() else None
    if not (value.isascii() and value.isdigit()):
        add(r.AMOUNT_NOT_DIGITS, f"the amount {value!r} holds characters other than digits",
            index)
        return None
    if len(value) > AMOUNT.max:
        add(r.AMOUNT_TOO_LONG, f"the amount has {len(value)} digits, "
                               f"{len(value) - AMOUNT.max} over the maximum of {AMOUNT.max}",
            index)
    return int(value)


def _check_ssn(value: str | None, add: _Add) -> str | None:
    if value is None:
        return None
    if value == "":
        return ""  # blank: reported as such where it was read
    if not (SSN.fits(len(value)) and value.isascii() and value.isdigit()):
        digits = sum(ch.isascii() and ch.isdigit() for ch in value)
        detail = "; send it without dashes" if "-" in value else ""
        add(r.BAD_SSN, f"the SSN {mask_ssn(value)!r} is {count(len(value), 'character')} "
                       f"with {count(digits, 'digit')}, not {SSN.max} digits{detail}",
            SSN.number)
        return None
    if ssn_never_issued(value):
        add(r.UNISSUED_SSN, f"the SSN {mask_ssn(value)} has an area, group or serial number "
                            f"that is never issued", SSN.number)
    return value


def _check_medical(value: str | None, policy: DedPolicy, w_defined: bool,
                   add: _Add) -> str | None:
    if value is None:
        return None
    index = MEDICAL.number
    allowed = MEDICAL.codes + ((MEDICAL_W,) if policy.allow_medical_w else ())
    known = (*MEDICAL.codes, MEDICAL_W)
    code = value
    if code != code.upper() and code.upper() in known:
        add(r.LOWERCASE, f"DED06 {value!r} must be written in uppercase", index)
        code = code.upper()
    if code in allowed:
        return code
    if code == MEDICAL_W and w_defined:
        add(r.MEDICAL_W_X12, f"DED06 is W, which X12 {MEDICAL_W_FROM} and later define, but "
                             f"the receiver has not said it accepts it", index)
        return code
    extra = (" (W is accepted only where the receiver allows it)" if code == MEDICAL_W
             else "")
    add(r.BAD_MEDICAL, f"the medical support indicator is {value!r}, not "
                       f"{' or '.join(allowed)}{extra}", index)
    return code


def _check_termination(value: str | None, add: _Add) -> bool:
    if value is None:
        return False
    index = TERMINATION.number
    code = value
    if code != code.upper() and code.upper() in (*TERMINATION.codes, "N"):
        add(r.LOWERCASE, f"DED09 {value!r} must be written in uppercase", index)
        code = code.upper()
    if code == "N":
        add(r.TERMINATION_N, "DED09 is N, which the convention does not use; omit DED09 "
                             "unless employment ended (read as not terminated)", index)
        return False
    if code not in TERMINATION.codes:
        add(r.BAD_TERMINATION, f"DED09 is {value!r}; send Y or omit the element", index)
        return False
    return True
