"""Child-support payments become entry specs the builder turns into a file the validator passes."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, build_file
from nacha_cs.ach.writer import render
from nacha_cs.codecs import ctx820
from nacha_cs.codecs.ded import Ded, DedError, DedPolicy, decode
from nacha_cs.employer.ccdplus import (
    ChildSupportPayment,
    PaymentError,
    Sdu,
    ccd_entry,
    ctx_entry,
    payment_ded,
    prenote_entry,
    termination_entry,
)
from nacha_cs.validate.engine import validate_stream

SDU = Sdu("OK CENTRALIZED SUPPORT REGISTRY", "103000648", "9999000", fips="40109")
SAVINGS_SDU = Sdu("OK CSR", "103000648", "9999000", "savings")
PAY_DATE = dt.date(2024, 10, 24)
HARRY = ChildSupportPayment("ZC146", PAY_DATE, 13547, "123456789", "Smith", "Harry",
                            employee_id="E-1001")
MARIA = ChildSupportPayment("987654", PAY_DATE, 5000, "223456789", "De La Cruz", "Maria",
                            medical="Y", fips="4010900")
PAYER = ctx820.BankParty("ACME PAYROLL", "123456780", "55550001")
CTX_OPTIONS: dict[str, object] = {
    "payer": PAYER,
    "company_id": "1234567890",
    "effective_date": dt.date(2024, 10, 25),
    "trace": "241025000000001",
    "envelope": ctx820.Envelope("ACMEPAY", "OKSDU"),
    "created": dt.datetime(2024, 10, 24, 13, 5),
}


def test_payment_ded_applies_the_name_rule_and_the_sdu_fips() -> None:
    assert payment_ded(HARRY, SDU) == Ded("ZC146", PAY_DATE, 13547, "123456789", "N",
                                          "SMITH,HARR", "40109")
    assert payment_ded(MARIA, SDU).fips == "4010900"  # the payment's own code wins
    assert payment_ded(MARIA, SDU).name == "DELACRUMAR"


def test_a_payment_is_one_ccd_entry_with_one_ded_of_the_same_amount() -> None:
    entry = ccd_entry(HARRY, SDU)
    assert entry.transaction_code == "22"
    assert (entry.rdfi_routing, entry.account, entry.amount) == ("103000648", "9999000", 13547)
    assert entry.receiver_name == "OK CENTRALIZED SUPPORT"  # cut to the 22 columns
    assert entry.identification == "E-1001"
    (addenda,) = entry.addenda
    assert len(addenda) == 80
    ded, findings = decode(addenda)
    assert findings == [] and ded is not None
    assert ded.amount == entry.amount


def test_savings_accounts_use_the_3x_codes() -> None:
    assert ccd_entry(HARRY, SAVINGS_SDU).transaction_code == "32"
    assert termination_entry(HARRY, SAVINGS_SDU).transaction_code == "34"
    assert prenote_entry(SAVINGS_SDU).transaction_code == "33"


def test_a_termination_notice_is_a_zero_dollar_entry_with_ded09() -> None:
    entry = termination_entry(HARRY, SDU)
    assert (entry.transaction_code, entry.amount) == ("24", 0)
    ded, _ = decode(entry.addenda[0])
    assert ded is not None and ded.terminated and ded.amount == 0
    assert entry.addenda[0].rstrip().endswith("*Y\\")


def test_a_prenote_is_a_zero_dollar_23_without_addenda() -> None:
    entry = prenote_entry(SDU, identification="ACME")
    assert entry == EntrySpec("23", "103000648", "9999000", 0, "OK CENTRALIZED SUPPORT", "ACME")


@pytest.mark.parametrize(("payment", "sdu", "error", "words"), [
    (ChildSupportPayment("Z", PAY_DATE, 0, "123456789", "A", "B"), SDU, PaymentError,
     "termination notice"),
    (ChildSupportPayment("Z", PAY_DATE, -1, "123456789", "A", "B"), SDU, PaymentError,
     "negative"),
    (ChildSupportPayment("Z", PAY_DATE, 1, "123456789", "A", "B", employee_id="X" * 16), SDU,
     PaymentError, "15"),
    (ChildSupportPayment("Z*1", PAY_DATE, 1, "123456789", "A", "B"), SDU, DedError, "DED02"),
    (ChildSupportPayment("Z", PAY_DATE, 1, "12345678", "A", "B"), SDU, DedError, "DED05"),
    (ChildSupportPayment("Z", PAY_DATE, 1, "123456789", "A", "B"),
     Sdu(" ", "103000648", "1"), PaymentError, "SDU name"),
    (ChildSupportPayment("Z", PAY_DATE, 1, "123456789", "A", "B"),
     Sdu("S", "103000648", "1", "loan"), PaymentError,  # type: ignore[arg-type]
     "checking or savings"),
])
def test_payments_that_cannot_be_sent_are_refused(payment: ChildSupportPayment,
                                                  sdu: Sdu, error: type[Exception],
                                                  words: str) -> None:
    with pytest.raises(error, match=words):
        ccd_entry(payment, sdu)


def test_w_needs_a_policy() -> None:
    payment = ChildSupportPayment("Z", PAY_DATE, 1, "123456789", "A", "B", medical="W")
    with pytest.raises(DedError, match="DED06"):
        ccd_entry(payment, SDU)
    entry = ccd_entry(payment, SDU, policy=DedPolicy(allow_medical_w=True))
    assert "*W" in entry.addenda[0]


def test_payments_to_one_sdu_become_one_ctx_entry_with_an_820() -> None:
    entry = ctx_entry([HARRY, MARIA], SDU, **CTX_OPTIONS)  # type: ignore[arg-type]
    assert (entry.transaction_code, entry.amount) == ("22", 18547)
    assert entry.receiver_name == "OK CENTRALIZED S"  # 16 columns in CTX
    remittance, findings = ctx820.parse_820(list(enumerate(entry.addenda, start=1)),
                                            entry_amount=entry.amount)
    assert findings == []
    assert remittance is not None
    assert remittance.deds == (payment_ded(HARRY, SDU), payment_ded(MARIA, SDU))
    assert remittance.payee == SDU.name


def test_a_ctx_of_termination_notices_only_is_zero_dollar() -> None:
    notice = ChildSupportPayment("Z", PAY_DATE, 0, "123456789", "A", "B", terminated=True)
    entry = ctx_entry([notice], SAVINGS_SDU, **CTX_OPTIONS)  # type: ignore[arg-type]
    assert (entry.transaction_code, entry.amount) == ("34", 0)


def test_too_many_payments_for_one_ctx_say_how_many_fit() -> None:
    many = [HARRY] * 16_000
    with pytest.raises(ctx820.TooManyAddenda, match="payments fit"):
        ctx_entry(many, SDU, **CTX_OPTIONS)  # type: ignore[arg-type]


def test_the_built_file_passes_the_child_support_validator() -> None:
    """End to end: specs -> builder -> text -> validator, no finding of any severity."""
    file_spec = FileSpec("103000648", "123456780", dt.datetime(2024, 10, 24, 13, 5))
    common = {"company_name": "ACME PAYROLL", "company_identification": "1234567890",
              "entry_description": "CHILD SUPP", "effective_entry_date": dt.date(2024, 10, 25),
              "odfi_routing": "123456780"}
    batches = [
        BatchSpec(**common, entries=[ccd_entry(HARRY, SDU), termination_entry(MARIA, SDU),
                                     prenote_entry(SDU)]),  # type: ignore[arg-type]
        BatchSpec(**common, sec_code="CTX",  # type: ignore[arg-type]
                  entries=[ctx_entry([HARRY, MARIA], SDU, **CTX_OPTIONS)]),  # type: ignore[arg-type]
    ]
    text = render(build_file(file_spec, batches))
    report = validate_stream(io.BytesIO(text.encode("ascii")))
    assert report.findings == []
    assert report.summary.entries == 4
