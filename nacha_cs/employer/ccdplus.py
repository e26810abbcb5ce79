"""Child-support payments as entry specs: CCD+ with one DED, CTX with an 820.

The builder knows records, not child support; this module knows child support, not records.
It turns what an employer knows about a withholding (employee, case, pay date, amount, the
SDU's account) into :class:`~nacha_cs.ach.builder.EntrySpec` values whose addenda already hold
checked DED text, so a file that builds is a file an SDU can post.

Transaction codes by the SDU's account type:

=========  ========  =================  =========
account    credit    zero-dollar (DED)  prenote
=========  ========  =================  =========
checking   22        24                 23
savings    32        34                 33
=========  ========  =================  =========
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

import attrs

from nacha_cs.ach.builder import EntrySpec
from nacha_cs.codecs import ctx820
from nacha_cs.codecs.ded import STRICT, Ded, DedPolicy, abbreviate_name, encode_field

AccountType = Literal["checking", "savings"]
SduFormat = Literal["ccd+", "ctx"]
DEFAULT_REMIT_DAYS = 7
"""Business days from the pay date (42 USC 666(b)(6)) unless the config says otherwise."""

CREDIT_CODES: dict[str, str] = {"checking": "22", "savings": "32"}
ZERO_DOLLAR_CODES: dict[str, str] = {"checking": "24", "savings": "34"}
PRENOTE_CODES: dict[str, str] = {"checking": "23", "savings": "33"}

CCD_NAME_WIDTH = 22
"""CCD receiving company name, columns 55-76."""
CTX_NAME_WIDTH = 16
"""CTX receiving company name/id, columns 59-74."""
IDENTIFICATION_WIDTH = 15
"""Identification number, columns 40-54."""


class PaymentError(ValueError):
    """A payment that cannot become an entry; says which field and why."""


@attrs.frozen(slots=True)
class Sdu:
    """A State Disbursement Unit: where one state's child support is paid, and how.

    The one SDU type of the project: the entry makers need its account (name, routing,
    account, type, FIPS); the generator also its state, file format, state profile, remit
    days and the receiver id its 820s carry.
    """

    name: str
    routing: str
    account: str
    account_type: AccountType = "checking"
    fips: str = ""
    """DED08 default for payments to this SDU (5 or 7 characters, or empty to omit)."""
    state: str = ""
    format: SduFormat = "ccd+"
    profile: str = ""
    remit_days: int = DEFAULT_REMIT_DAYS
    receiver_id: str = ""

    def x12_account_type(self) -> str:
        """BPR account qualifier: DA (demand deposit) for checking, SG for savings."""
        return "DA" if self.account_type == "checking" else "SG"

    @property
    def credit_code(self) -> str:
        """Live credit: 22 checking, 32 savings."""
        return CREDIT_CODES.get(self.account_type, "22")

    @property
    def prenote_code(self) -> str:
        """Zero-dollar prenote credit: 23 checking, 33 savings."""
        return PRENOTE_CODES.get(self.account_type, "23")

    @property
    def zero_dollar_code(self) -> str:
        """Zero-dollar credit with remittance data (termination notices): 24 or 34."""
        return ZERO_DOLLAR_CODES.get(self.account_type, "24")


@attrs.frozen(slots=True)
class ChildSupportPayment:
    """One withholding for one case on one pay date; ``amount`` in cents."""

    case_id: str
    pay_date: date
    amount: int
    ssn: str
    last_name: str
    first_name: str
    medical: str = "N"
    fips: str = ""
    """Overrides the SDU's FIPS code when given."""
    terminated: bool = False
    employee_id: str = ""
    """Goes to the entry's identification number (40-54); the case id when empty."""
    name: str = ""
    """DED07 as already abbreviated (the generator works it out once per employee); made
    from ``last_name`` and ``first_name`` by the convention's rule when empty."""


def _codes(sdu: Sdu, table: dict[str, str]) -> str:
    try:
        return table[sdu.account_type]
    except KeyError:
        raise PaymentError(f"SDU account type {sdu.account_type!r} is not checking or "
                           f"savings") from None


def payment_ded(payment: ChildSupportPayment, sdu: Sdu) -> Ded:
    """The DED for a payment: name abbreviated by the convention's rule unless it comes
    abbreviated, FIPS from the SDU."""
    return Ded(
        case_id=payment.case_id,
        pay_date=payment.pay_date,
        amount=payment.amount,
        ssn=payment.ssn,
        medical=payment.medical,
        name=payment.name or abbreviate_name(payment.last_name, payment.first_name),
        fips=payment.fips or sdu.fips,
        terminated=payment.terminated,
    )


def _identification(payment: ChildSupportPayment) -> str:
    value = payment.employee_id or payment.case_id
    if len(value) > IDENTIFICATION_WIDTH:
        raise PaymentError(f"identification {value!r} is {len(value)} characters; the entry "
                           f"holds {IDENTIFICATION_WIDTH}")
    return value


def _receiver_name(sdu: Sdu, width: int) -> str:
    """The SDU's name cut to the entry's field: a receiver name is a label, not remittance."""
    if not sdu.name.strip():
        raise PaymentError("the SDU name (receiving company name) is required")
    return sdu.name[:width]


def ccd_entry(
    payment: ChildSupportPayment, sdu: Sdu, *, policy: DedPolicy = STRICT,
) -> EntrySpec:
    """One CCD+ entry with one DED addenda whose DED04 is the entry amount.

    A zero amount is only a termination notice (DED09 = Y), sent as a zero-dollar 24/34
    entry; anything else raises :class:`~nacha_cs.codecs.ded.DedError` or :class:`PaymentError`.
    """
    if payment.amount < 0:
        raise PaymentError(f"amount {payment.amount} is negative")
    if payment.amount == 0 and not payment.terminated:
        raise PaymentError("a zero amount is only sent as a termination notice "
                           "(terminated=True)")
    code = _codes(sdu, CREDIT_CODES if payment.amount else ZERO_DOLLAR_CODES)
    return EntrySpec(
        transaction_code=code,
        rdfi_routing=sdu.routing,
        account=sdu.account,
        amount=payment.amount,
        receiver_name=_receiver_name(sdu, CCD_NAME_WIDTH),
        identification=_identification(payment),
        addenda=(encode_field(payment_ded(payment, sdu), policy=policy),),
    )


def termination_entry(
    payment: ChildSupportPayment, sdu: Sdu, *, policy: DedPolicy = STRICT,
) -> EntrySpec:
    """A termination notice: zero-dollar 24/34 entry whose DED has amount 0 and DED09 = Y."""
    notice = attrs.evolve(payment, amount=0, terminated=True)
    return ccd_entry(notice, sdu, policy=policy)


def prenote_entry(sdu: Sdu, *, identification: str = "") -> EntrySpec:
    """A zero-dollar prenote (23/33) so the SDU's bank can confirm the account first."""
    if len(identification) > IDENTIFICATION_WIDTH:
        raise PaymentError(f"identification {identification!r} is longer than "
                           f"{IDENTIFICATION_WIDTH}")
    return EntrySpec(
        transaction_code=_codes(sdu, PRENOTE_CODES),
        rdfi_routing=sdu.routing,
        account=sdu.account,
        amount=0,
        receiver_name=_receiver_name(sdu, CCD_NAME_WIDTH),
        identification=identification,
    )


def ctx_entry(
    payments: Sequence[ChildSupportPayment],
    sdu: Sdu,
    *,
    payer: ctx820.BankParty,
    company_id: str,
    effective_date: date,
    trace: str,
    envelope: ctx820.Envelope,
    created: datetime,
    identification: str = "",
    policy: DedPolicy = STRICT,
) -> EntrySpec:
    """One CTX entry paying one SDU for many payments, its addenda an 820.

    The entry amount is the sum of the DED04 amounts (and BPR02). A zero total (only
    termination notices) goes as a zero-dollar 24/34 entry. More payments than 9,999 addenda
    hold raise :class:`~nacha_cs.codecs.ctx820.TooManyAddenda`, which says how many fit.
    """
    deds = [payment_ded(p, sdu) for p in payments]
    addenda = ctx820.build_addenda(
        deds,
        payer=payer,
        payee=ctx820.BankParty(sdu.name, sdu.routing, sdu.account, sdu.x12_account_type()),
        company_id=company_id,
        effective_date=effective_date,
        trace=trace,
        envelope=envelope,
        created=created,
        policy=policy,
    )
    amount = sum(d.amount for d in deds)
    if len(identification) > IDENTIFICATION_WIDTH:
        raise PaymentError(f"identification {identification!r} is longer than "
                           f"{IDENTIFICATION_WIDTH}")
    return EntrySpec(
        transaction_code=_codes(sdu, CREDIT_CODES if amount else ZERO_DOLLAR_CODES),
        rdfi_routing=sdu.routing,
        account=sdu.account,
        amount=amount,
        receiver_name=_receiver_name(sdu, CTX_NAME_WIDTH),
        identification=identification,
        addenda=tuple(addenda),
    )
