"""What a letter is made of, independent of how it is printed."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

PartyKind = Literal["employer", "agent"]


def format_ein(ein: str) -> str:
    """An EIN as printed on IRS forms.

    >>> format_ein("931234567")
    '93-1234567'
    >>> format_ein("12")
    '12'
    """
    digits = ein.strip()
    return f"{digits[:2]}-{digits[2:]}" if len(digits) == 9 and digits.isdigit() else digits


@attrs.frozen
class Party:
    """Whom a letter goes to, and so which employers' facts it may carry.

    An employer sees its own cases. An agent (payroll provider) acts for the employers that
    linked it (seed 001: only the employer links or removes its agent) and sees theirs alone.
    """

    name: str
    kind: PartyKind = "employer"
    ein: str = ""
    acting_for: frozenset[str] = frozenset()
    attention: str = ""
    address: tuple[str, ...] = ()

    def may_see(self, employer_ein: str) -> bool:
        if self.kind == "employer":
            return bool(self.ein) and employer_ein == self.ein
        return employer_ein in self.acting_for

    @property
    def salutation(self) -> str:
        return self.attention or self.name


@attrs.frozen
class Agency:
    """The sender, printed in the letterhead and the signature."""

    name: str = "State Disbursement Unit"
    office: str = "Employer Services"
    contact: str = ""
    """How to reach the office (a phone number, an email); printed under the closing."""


@attrs.frozen
class Concern:
    """One concern: what it is (restated plainly), the facts, and the specific response."""

    statement: str
    response: str
    details: tuple[str, ...] = ()
    summary: str = ""
    """A few words for the closing summary."""


@attrs.frozen
class Letter:
    kind: str
    date: dt.date
    addressee: Party
    sender: Agency
    subject: str
    acknowledgment: tuple[str, ...]
    """The opening paragraph's sentences: the addressee named, then thanked."""
    concerns: tuple[Concern, ...]
    thanks: tuple[str, ...]
    """The closing paragraph's sentences: a thank you, then the summary."""
    references: tuple[tuple[str, str], ...] = ()
    """Label and value lines under the subject (employer EIN, file name, cases)."""
