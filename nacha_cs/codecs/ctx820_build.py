"""Building the X12 820 a child-support CTX entry carries, and cutting it into addenda.

:mod:`nacha_cs.codecs.ctx820` reads it back; this half only writes, and raises
(:class:`Ctx820Error`, or :class:`~nacha_cs.codecs.ded.DedError` naming a payment's element) on
anything that cannot be sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import attrs

from nacha_cs.codecs import ded as ded_codec
from nacha_cs.codecs.ded import Ded, DedPolicy
from nacha_cs.codecs.x12 import (
    ACH_DELIMITERS,
    Delimiters,
    Segment,
    X12Error,
    format_segment,
)

SLICE = 80
"""Payment related information per addenda record (columns 4-83)."""
MAX_ADDENDA = 9_999
"""CTX: the entry's addenda count field (55-58) holds four digits."""
FIRST_COLUMN = 4
"""Record column of the first payment-related-information character."""

SUPPORTED_VERSIONS = ("003050", "003060", "003070", "004010", "005010")
DEFAULT_VERSION = "004010"

# --- model -----------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class BankParty:
    """A party to the payment and the account it pays from or into (BPR06-09, BPR12-15).

    ``account_type`` is the X12 account number qualifier: ``DA`` demand deposit (checking),
    ``SG`` savings.
    """

    name: str
    routing: str
    account: str
    account_type: str = "DA"


@attrs.frozen(slots=True)
class Envelope:
    """Who sends the interchange to whom, its control number and X12 version."""

    sender_id: str
    receiver_id: str
    control_number: int = 1
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    version: str = DEFAULT_VERSION
    usage: str = "P"
    """ISA15: P production, T test."""


class Ctx820Error(ValueError):
    """An 820 that cannot be built as asked."""


class TooManyAddenda(Ctx820Error):
    """The payments need more than 9,999 addenda; says how many payments fit."""

    def __init__(self, payments: int, needed: int, fit: int) -> None:
        self.payments = payments
        self.needed = needed
        self.fit = fit
        super().__init__(
            f"{payments} payments need {needed} addenda records; a CTX entry carries at most "
            f"{MAX_ADDENDA}. The first {fit} payments fit: split the rest into another entry."
        )


# --- building --------------------------------------------------------------------------------


def format_amount(cents: int) -> str:
    """BPR02 (X12 type R): dollars with a decimal point, ``13547`` -> ``135.47``."""
    return f"{cents // 100}.{cents % 100:02d}"


def long_dates(version: str) -> bool:
    """From 004010 on, X12 dates (GS04, BPR16, DED03) carry the century."""
    return version[:6].isdigit() and version[:6] >= "004010"


def _x12_date(value: date, version: str) -> str:
    if long_dates(version):
        return f"{value.year:04d}{value.month:02d}{value.day:02d}"
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise Ctx820Error(message)


@attrs.frozen(slots=True)
class _Plan:
    """An 820 cut into the part that depends on the payments and the parts around it.

    Keeping the per-payment text apart lets :class:`TooManyAddenda` say exactly how many of
    the payments would have fit, without building the interchange again for each count.
    """

    head: tuple[Segment, ...]
    """ISA..N1(PE) with BPR02 left for :meth:`render_head` to fill."""
    loops: tuple[str, ...]
    """Rendered ENT+DED text per payment."""
    amounts: tuple[int, ...]
    envelope: Envelope
    delimiters: Delimiters

    def render_head(self, cents: int) -> str:
        parts = []
        for segment in self.head:
            if segment.id == "BPR":
                segment = Segment("BPR", (segment.elements[0], format_amount(cents),
                                          *segment.elements[2:]))
            parts.append(format_segment(segment, self.delimiters))
        return "".join(parts)

    def render_tail(self, payments: int) -> str:
        control = self.envelope.control_number
        segments = (
            # ST..N1 of the head (all but ISA and GS), two per payment, and SE itself
            Segment("SE", (str(len(self.head) - 2 + 2 * payments + 1), "0001")),
            Segment("GE", ("1", str(control))),
            Segment("IEA", ("1", f"{control:09d}")),
        )
        return "".join(format_segment(s, self.delimiters) for s in segments)

    def length(self, payments: int, loop_length: int, cents: int) -> int:
        return len(self.render_head(cents)) + loop_length + len(self.render_tail(payments))


def _plan(
    deds: Sequence[Ded],
    *,
    payer: BankParty,
    payee: BankParty,
    company_id: str,
    effective_date: date,
    trace: str,
    envelope: Envelope,
    created: datetime,
    policy: DedPolicy,
    delimiters: Delimiters,
) -> _Plan:
    version = envelope.version
    _check(version in SUPPORTED_VERSIONS, f"X12 version {version!r} is not one of "
                                          f"{', '.join(SUPPORTED_VERSIONS)}")
    _check(bool(deds), "an 820 needs at least one payment")
    for party, role in ((payer, "payer"), (payee, "payee")):
        _check(len(party.routing) == 9 and party.routing.isdigit(),
               f"{role} routing number {party.routing!r} is not 9 digits")
        _check(1 <= len(party.account) <= 35, f"{role} account {party.account!r} must be 1 "
                                              f"to 35 characters")
        _check(party.account_type in ("DA", "SG"), f"{role} account type "
                                                   f"{party.account_type!r} is not DA or SG")
        _check(1 <= len(party.name) <= 60, f"{role} name must be 1 to 60 characters")
    _check(len(company_id) == 10, f"originating company id {company_id!r} must be 10 "
                                  f"characters (BPR10/TRN03, usually 1 + EIN)")
    _check(1 <= len(trace) <= 30, f"trace {trace!r} must be 1 to 30 characters (TRN02)")
    _check(1 <= len(envelope.sender_id) <= 15 and 1 <= len(envelope.receiver_id) <= 15,
           "ISA06/ISA08 sender and receiver ids must be 1 to 15 characters")
    _check(0 < envelope.control_number <= 999_999_999,
           f"control number {envelope.control_number} must be 1 to 999999999")
    _check(envelope.usage in ("P", "T"), f"ISA15 usage {envelope.usage!r} is not P or T")
    long_date = long_dates(version)
    control = envelope.control_number
    isa12 = version[:5]
    if isa12 >= "00402" and delimiters.repetition is None:
        # ISA11 became the repetition separator in 00402; it must differ from the data too
        delimiters = attrs.evolve(delimiters, repetition="^")
    head = (
        Segment("ISA", (
            "00", " " * 10, "00", " " * 10,
            envelope.sender_qualifier, envelope.sender_id.ljust(15),
            envelope.receiver_qualifier, envelope.receiver_id.ljust(15),
            created.strftime("%y%m%d"), created.strftime("%H%M"),
            delimiters.repetition if delimiters.repetition is not None else "U",
            isa12, f"{control:09d}", "0", envelope.usage, delimiters.component,
        )),
        Segment("GS", ("RA", envelope.sender_id, envelope.receiver_id,
                       _x12_date(created.date(), version), created.strftime("%H%M"),
                       str(control), "X", version)),
        Segment("ST", ("820", "0001")),
        Segment("BPR", (
            "C", "", "C", "ACH", "CTX",
            "01", payer.routing, payer.account_type, payer.account, company_id, "",
            "01", payee.routing, payee.account_type, payee.account,
            _x12_date(effective_date, version),
        )),
        Segment("TRN", ("1", trace, company_id)),
        Segment("N1", ("PR", payer.name)),
        Segment("N1", ("PE", payee.name)),
    )
    loops = []
    separators = delimiters.all()
    # ENT01 is a number: unless a delimiter is a digit, nothing in it to check
    plain = not any(ch.isdigit() for ch in separators)
    ent = "ENT" + delimiters.element
    element, terminator = delimiters.element, delimiters.segment
    for number, item in enumerate(deds, start=1):
        text = ded_codec.segment_text(item, long_date=long_date, policy=policy,
                                      element=element, terminator=terminator,
                                      separators=separators)
        if text is None:  # the element-by-element way, which raises naming the element
            values = ded_codec.elements(item, long_date=long_date, policy=policy,
                                        separators=separators)
            text = format_segment(Segment("DED", tuple(values)), delimiters)
        opening = (f"{ent}{number}{terminator}" if plain
                   else format_segment(Segment("ENT", (str(number),)), delimiters))
        loops.append(opening + text)
    plan = _Plan(head, tuple(loops), tuple(d.amount for d in deds), envelope, delimiters)
    try:
        plan.render_head(0)
        plan.render_tail(len(deds))
    except X12Error as error:
        raise Ctx820Error(str(error)) from error
    return plan


def build_820(
    deds: Sequence[Ded],
    *,
    payer: BankParty,
    payee: BankParty,
    company_id: str,
    effective_date: date,
    trace: str,
    envelope: Envelope,
    created: datetime,
    policy: DedPolicy = ded_codec.STRICT,
    delimiters: Delimiters = ACH_DELIMITERS,
) -> str:
    """The interchange text for one payment to one SDU; BPR02 is the sum of the DED04s.

    Raises :class:`Ctx820Error` (or :class:`~nacha_cs.codecs.ded.DedError` naming the payment's bad
    element) when something cannot be sent.
    """
    plan = _plan(deds, payer=payer, payee=payee, company_id=company_id,
                 effective_date=effective_date, trace=trace, envelope=envelope,
                 created=created, policy=policy, delimiters=delimiters)
    return plan.render_head(sum(plan.amounts)) + "".join(plan.loops) + plan.render_tail(
        len(deds))


def split_addenda(interchange: str) -> list[str]:
    """Cut the interchange into 80-character payment related information fields."""
    slices = [interchange[i:i + SLICE] for i in range(0, len(interchange), SLICE)]
    if slices:
        slices[-1] = slices[-1].ljust(SLICE)
    return slices


def build_addenda(
    deds: Sequence[Ded],
    *,
    payer: BankParty,
    payee: BankParty,
    company_id: str,
    effective_date: date,
    trace: str,
    envelope: Envelope,
    created: datetime,
    policy: DedPolicy = ded_codec.STRICT,
    delimiters: Delimiters = ACH_DELIMITERS,
) -> list[str]:
    """The CTX addenda fields for these payments; :class:`TooManyAddenda` past 9,999."""
    plan = _plan(deds, payer=payer, payee=payee, company_id=company_id,
                 effective_date=effective_date, trace=trace, envelope=envelope,
                 created=created, policy=policy, delimiters=delimiters)
    loop_text = "".join(plan.loops)
    total = sum(plan.amounts)
    length = plan.length(len(deds), len(loop_text), total)
    needed = -(-length // SLICE)
    if needed > MAX_ADDENDA:
        raise TooManyAddenda(len(deds), needed, _payments_that_fit(plan))
    return split_addenda(plan.render_head(total) + loop_text + plan.render_tail(len(deds)))


def _payments_that_fit(plan: _Plan) -> int:
    """The largest leading run of payments whose 820 fits in 9,999 addenda."""
    loop_lengths = [0]
    amounts = [0]
    for text, cents in zip(plan.loops, plan.amounts, strict=True):
        loop_lengths.append(loop_lengths[-1] + len(text))
        amounts.append(amounts[-1] + cents)
    low, high = 0, len(plan.loops)
    while low < high:
        middle = (low + high + 1) // 2
        if plan.length(middle, loop_lengths[middle], amounts[middle]) <= MAX_ADDENDA * SLICE:
            low = middle
        else:
            high = middle - 1
    return low
