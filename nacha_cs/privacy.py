"""Masking of personal data in anything a person or a log will see.

SSNs travel in DED05. Masking keeps the text the same length, so a masked record still lines up
with the column markers drawn under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from nacha_cs.ach.records import ADDENDA, CCD_ENTRY

# DED, then DED01-DED04 (any separator character), then DED05 up to the next separator.
_ELEMENT = r"(?:(?!(?P=sep))[^\\\n~])*"
_DED_SSN = re.compile(rf"(DED(?P<sep>[^A-Za-z0-9 ])(?:{_ELEMENT}(?P=sep)){{4}})({_ELEMENT})")


def mask_ssn(ssn: str) -> str:
    """Show at most the last 4 characters of an SSN in anything a person reads.

    >>> mask_ssn("123456789")
    '***-**-6789'
    >>> mask_ssn("12-34")
    '*2-34'
    """
    if len(ssn) == 9 and ssn.isdigit():
        return f"***-**-{ssn[5:]}"
    if not ssn.strip():
        return ssn
    if len(ssn) <= 4:
        return "*" * len(ssn)
    return "*" * (len(ssn) - 4) + ssn[-4:]


_SSN_LIKE = re.compile(r"[0-9]{9}|[0-9]{3}-[0-9]{2}-[0-9]{4}|[0-9]{3} [0-9]{2} [0-9]{4}")


def looks_like_ssn(text: str) -> bool:
    """True for an identifier that could be an SSN: 9 digits, ``NNN-NN-NNNN`` or ``NNN NN NNNN``
    (payroll systems put the SSN in the employee id or the entry's identification number).

    >>> looks_like_ssn("123456789"), looks_like_ssn(" 123-45-6789 "), looks_like_ssn("E1234")
    (True, True, False)
    """
    return _SSN_LIKE.fullmatch(text.strip(" ")) is not None


def ssn_never_issued(ssn: str) -> bool:
    """True for numbers the SSA does not issue (area 000, 666, 9xx; group 00; serial 0000).

    >>> ssn_never_issued("666123456"), ssn_never_issued("512340001")
    (True, False)
    """
    area, group, serial = ssn[:3], ssn[3:5], ssn[5:]
    return area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000"


def mask_identification(text: str) -> str:
    """An employee id or identification number, masked as an SSN when it looks like one.

    >>> mask_identification("123-45-6789"), mask_identification("EMP7")
    ('***-**-6789', 'EMP7')
    """
    if looks_like_ssn(text):
        return f"***-**-{text.strip(' ')[-4:]}"
    return text


def mask_identification_columns(line: str) -> str:
    """An entry record with its identification number (columns 40-54) masked, keeping the
    record's length, when the number looks like an SSN; other records unchanged."""
    if line[:1] != "6" or len(line) < _IDENTIFICATION.stop:
        return line
    field = line[_IDENTIFICATION]
    if not looks_like_ssn(field):
        return line
    shown = field.strip(" ")
    hidden = "".join("*" if c.isdigit() else c for c in shown[:-4]) + shown[-4:]
    start, stop = _IDENTIFICATION.start, _IDENTIFICATION.stop
    return line[:start] + field.replace(shown, hidden, 1) + line[stop:]


def _same_length(value: str) -> str:
    keep = 4 if len(value.strip()) > 4 else 0
    hidden = value[: len(value) - keep] if keep else value
    return "".join(" " if c == " " else "*" for c in hidden) + value[len(hidden) :]


def mask_ded_text(text: str) -> str:
    """Hide all but the last four characters of every DED05 in ``text``, keeping its length."""
    if "DED" not in text:
        return text
    return _DED_SSN.sub(lambda m: m.group(1) + _same_length(m.group(3)), text)


def mask_records(records: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Records with every DED05 masked, even one split across consecutive CTX addenda, and
    entries' identification numbers that look like an SSN.

    The payment related information (columns 4-83) of a run of addenda records is joined and
    masked as one text, then cut back into its records; masking keeps lengths, so columns hold.
    """
    run: list[tuple[int, str]] = []
    for number, line in records:
        if line[:1] == ADDENDA.record_type and len(line) >= _INFO.stop:
            run.append((number, line))
            continue
        yield from _mask_run(run)
        run = []
        yield number, mask_identification_columns(mask_ded_text(line))
    yield from _mask_run(run)


_INFO = ADDENDA.slice("payment_related_information")
_IDENTIFICATION = CCD_ENTRY.slice("identification_number")  # the same columns in CTX


def _mask_run(run: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    if not run:
        return
    joined = mask_ded_text("".join(line[_INFO] for _, line in run))
    width = _INFO.stop - _INFO.start
    for index, (number, line) in enumerate(run):
        piece = joined[index * width : (index + 1) * width]
        yield number, line[: _INFO.start] + piece + line[_INFO.stop :]
