"""Masking of personal data in anything a person or a log will see.

SSNs travel in DED05. Masking keeps the text the same length, so a masked record still lines up
with the column markers drawn under it.
"""

from __future__ import annotations

import re

# DED, then DED01-DED04 (any separator character), then DED05 up to the next separator.
_ELEMENT = r"(?:(?!(?P=sep))[^\\\n~])*"
_DED_SSN = re.compile(rf"(DED(?P<sep>[^A-Za-z0-9 ])(?:{_ELEMENT}(?P=sep)){{4}})({_ELEMENT})")


def mask_ssn(ssn: str) -> str:
    """``123456789`` -> ``***-**-6789``; anything shorter than 4 characters is fully hidden."""
    digits = ssn.strip()
    if len(digits) < 4:
        return "*" * len(digits)
    return f"***-**-{digits[-4:]}"


def _same_length(value: str) -> str:
    keep = 4 if len(value.strip()) > 4 else 0
    hidden = value[: len(value) - keep] if keep else value
    return "".join(" " if c == " " else "*" for c in hidden) + value[len(hidden) :]


def mask_ded_text(text: str) -> str:
    """Hide all but the last four characters of every DED05 in ``text``, keeping its length."""
    if "DED" not in text:
        return text
    return _DED_SSN.sub(lambda m: m.group(1) + _same_length(m.group(3)), text)
