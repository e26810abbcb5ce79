"""Masking of personal data in anything a person or a log will see.

SSNs travel in DED05. Masking keeps the text the same length, so a masked record still lines up
with the column markers drawn under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from nacha_cs.ach.records import ADDENDA

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
    """Records with every DED05 masked, even one split across consecutive CTX addenda.

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
        yield number, mask_ded_text(line)
    yield from _mask_run(run)


_INFO = ADDENDA.slice("payment_related_information")


def _mask_run(run: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    if not run:
        return
    joined = mask_ded_text("".join(line[_INFO] for _, line in run))
    width = _INFO.stop - _INFO.start
    for index, (number, line) in enumerate(run):
        piece = joined[index * width : (index + 1) * width]
        yield number, line[: _INFO.start] + piece + line[_INFO.stop :]
