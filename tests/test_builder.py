"""The builder derives every count, hash, total, trace and sequence number from payments."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from strategies import (
    ODFI,
    RDFI,
    a_batch,
    a_file,
    a_file_spec,
    an_entry,
    batch_specs,
    file_specs,
    routing,
)

from nacha_cs.ach.builder import (
    BatchSpec,
    BuildError,
    EntrySpec,
    build_file,
    iter_records,
    routing_field,
    service_class_for,
)
from nacha_cs.ach.model import AchFile, is_debit
from nacha_cs.ach.records import (
    Addenda,
    BatchControl,
    BatchHeader,
    CcdEntry,
    CtxEntry,
    FieldOverflowError,
    FileControl,
    FileHeader,
)
from nacha_cs.ach.writer import iter_lines, render

DED = "DED*CS*ZC146*250101*12345*123456789*N*SMITH,HARR\\"


def test_file_header_from_spec() -> None:
    header = a_file(file_id_modifier="B", reference_code="R1").header
    assert header == FileHeader(
        immediate_destination=" 071000301",
        immediate_origin="1234567890",
        file_creation_date="250102",
        file_creation_time="0304",
        file_id_modifier="B",
        immediate_destination_name="FIRST BANK",
        immediate_origin_name="ACME PAYROLL",
        reference_code="R1",
    )


def test_routing_field() -> None:
    assert routing_field("071000301") == " 071000301"
    assert routing_field("1234567890") == "1234567890"


def test_batch_header_from_spec() -> None:
    ach = a_file(a_batch(company_discretionary_data="RUN 7", company_descriptive_date="JAN 25"))
    assert ach.batches[0].header == BatchHeader(
        service_class_code="220",
        company_name="ACME CORP",
        company_discretionary_data="RUN 7",
        company_identification="1234567890",
        standard_entry_class_code="CCD",
        company_entry_description="CHILD SUPP",
        company_descriptive_date="JAN 25",
        effective_entry_date="250103",
        originator_status_code="1",
        originating_dfi_identification="07100030",
        batch_number=1,
    )


def test_ccd_entry_with_ded_addenda() -> None:
    ach = a_file(a_batch([an_entry(identification="EMP42", addenda=(DED,), discretionary="S1")]))
    (entry,) = ach.entries
    assert entry == CcdEntry(
        transaction_code="22",
        receiving_dfi_identification="02100002",
        check_digit="1",
        dfi_account_number="12345678901",
        amount=12_345,
        identification_number="EMP42",
        receiving_company_name="OK CENTRALIZED SDU",
        discretionary_data="S1",
        addenda_record_indicator="1",
        trace_number="071000300000001",
        addenda=[
            Addenda(
                payment_related_information=DED,
                addenda_sequence_number=1,
                entry_detail_sequence_number=1,
            )
        ],
    )


def test_ccd_entry_without_addenda_says_so() -> None:
    (entry,) = a_file().entries
    assert entry.addenda == []
    assert entry.addenda_record_indicator == "0"


def test_traces_ascend_and_are_unique_across_batches() -> None:
    second_odfi = routing("02100002")
    ach = a_file(
        a_batch([an_entry(amount=n) for n in (1, 2, 3)]),
        a_batch([an_entry(amount=n) for n in (4, 5)], odfi_routing=second_odfi),
        a_batch([an_entry(amount=n) for n in (6, 7, 8, 9)]),
    )
    traces = [entry.trace_number for entry in ach.entries]
    assert len(set(traces)) == len(traces) == 9
    assert [int(t[8:]) for t in traces] == list(range(1, 10))
    for batch in ach.batches:
        for entry in batch.entries:
            assert entry.trace_number[:8] == batch.header.originating_dfi_identification
    assert [t[:8] for t in traces] == ["07100030"] * 3 + ["02100002"] * 2 + ["07100030"] * 4


def test_batch_numbers_ascend_and_controls_repeat_header_fields() -> None:
    ach = a_file(a_batch(), a_batch(company_identification="9999999999"), a_batch())
    assert [b.header.batch_number for b in ach.batches] == [1, 2, 3]
    for batch in ach.batches:
        assert batch.control.batch_number == batch.header.batch_number
        assert batch.control.service_class_code == batch.header.service_class_code
        assert batch.control.company_identification == batch.header.company_identification
        assert (
            batch.control.originating_dfi_identification
            == batch.header.originating_dfi_identification
        )


def test_ctx_addenda_numbering() -> None:
    texts = ("ISA*00*...", "GS*RA*...", "ST*820*0001\\", "DED*CS*1*250101*1*123456789*N\\")
    ach = a_file(
        a_batch(
            [
                an_entry(receiver_name="OK SDU", addenda=texts),
                an_entry(receiver_name="TX SDU"),
                an_entry(receiver_name="CA SDU", addenda=texts[:1]),
            ],
            sec_code="CTX",
        )
    )
    first, second, third = ach.entries
    assert all(isinstance(e, CtxEntry) for e in ach.entries)
    assert isinstance(first, CtxEntry) and isinstance(second, CtxEntry)
    assert isinstance(third, CtxEntry)
    assert [first.number_of_addenda_records, second.number_of_addenda_records] == [4, 0]
    assert third.number_of_addenda_records == 1
    assert [e.addenda_record_indicator for e in ach.entries] == ["1", "0", "1"]
    assert [a.addenda_sequence_number for a in first.addenda] == [1, 2, 3, 4]
    assert [a.payment_related_information for a in first.addenda] == list(texts)
    for entry in ach.entries:
        for addenda in entry.addenda:
            assert addenda.entry_detail_sequence_number == int(entry.trace_number[-7:])
    assert third.addenda[0].entry_detail_sequence_number == 3
    assert ach.batches[0].control.entry_addenda_count == 3 + 4 + 1


def test_counts_in_batch_and_file_control() -> None:
    ach = a_file(
        a_batch([an_entry(addenda=(DED,)), an_entry(), an_entry(addenda=(DED,))]),
        a_batch([an_entry(addenda=("X", "Y")), an_entry()], sec_code="CTX"),
    )
    assert [b.control.entry_addenda_count for b in ach.batches] == [5, 4]
    assert ach.control.entry_addenda_count == 9
    assert ach.control.batch_count == 2


def test_entry_hash_keeps_the_last_ten_digits() -> None:
    big = routing("99999999")
    entries = [an_entry(rdfi_routing=big) for _ in range(150)]
    ach = a_file(a_batch(entries), a_batch(entries))
    # 150 x 99,999,999 = 14,999,999,850: eleven digits, the control keeps the last ten
    assert [b.control.entry_hash for b in ach.batches] == [4_999_999_850, 4_999_999_850]
    # the file sums the batches' full sums: 29,999,999,700 -> 9,999,999,700
    assert ach.control.entry_hash == 9_999_999_700
    text = render(ach)
    assert "8220000150499999985000" in text  # service class, count 150, hash 4999999850


def test_entry_hash_sums_rdfi_identifications_not_routing_numbers() -> None:
    ach = a_file(a_batch([an_entry(rdfi_routing=RDFI), an_entry(rdfi_routing=ODFI)]))
    assert ach.batches[0].control.entry_hash == 2_100_002 + 7_100_030
    assert ach.control.entry_hash == 9_200_032


def test_debit_and_credit_totals() -> None:
    entries = [
        an_entry(transaction_code="22", amount=100),
        an_entry(transaction_code="27", amount=250),
        an_entry(transaction_code="32", amount=5),
        an_entry(transaction_code="37", amount=7),
        an_entry(transaction_code="23", amount=0),
        an_entry(transaction_code="28", amount=0),
    ]
    ach = a_file(a_batch(entries), a_batch(entries[:1]))
    first, second = (b.control for b in ach.batches)
    assert (first.total_debit_amount, first.total_credit_amount) == (257, 105)
    assert (second.total_debit_amount, second.total_credit_amount) == (0, 100)
    assert (ach.control.total_debit_amount, ach.control.total_credit_amount) == (257, 205)


@pytest.mark.parametrize(
    ("codes", "service_class"),
    [
        (["22", "32", "23", "24"], "220"),
        (["27", "37", "28", "29"], "225"),
        (["22", "27"], "200"),
        (["24", "39"], "200"),
    ],
)
def test_service_class_from_transaction_codes(codes: list[str], service_class: str) -> None:
    ach = a_file(a_batch([an_entry(transaction_code=c, amount=0) for c in codes]))
    assert ach.batches[0].header.service_class_code == service_class
    assert ach.batches[0].control.service_class_code == service_class


def test_service_class_for_nothing_is_mixed() -> None:
    assert service_class_for([]) == "200"


def test_service_class_given_is_kept() -> None:
    ach = a_file(a_batch([an_entry()], service_class_code="200"))
    assert ach.batches[0].header.service_class_code == "200"
    assert ach.batches[0].control.service_class_code == "200"


def test_entries_may_be_a_one_shot_iterator() -> None:
    def payments() -> object:
        yield an_entry(amount=1)
        yield an_entry(amount=2, transaction_code="27")

    for service_class in (None, "200"):
        ach = a_file(a_batch(payments(), service_class_code=service_class))
        assert [e.amount for e in ach.entries] == [1, 2]
        assert ach.batches[0].header.service_class_code == "200"


def records_count(ach: AchFile) -> int:
    return 2 + sum(2 + b.control.entry_addenda_count for b in ach.batches)


@pytest.mark.parametrize(
    ("entries", "records", "blocks", "padding"),
    [(5, 9, 1, 1), (6, 10, 1, 0), (7, 11, 2, 9)],
)
def test_block_count_and_padding(entries: int, records: int, blocks: int, padding: int) -> None:
    ach = a_file(a_batch([an_entry(amount=n) for n in range(1, entries + 1)]))
    assert records_count(ach) == records
    assert ach.control.block_count == blocks
    lines = list(iter_lines(ach))
    assert len(lines) == blocks * 10
    assert lines[records - 1].startswith("9000001")  # the file control
    assert lines[records:] == ["9" * 94] * padding


def test_block_count_counts_addenda() -> None:
    # 2 + 2 + 3 entries + 3 addenda = 10 records exactly: one block, no padding
    ach = a_file(a_batch([an_entry(addenda=(DED,)) for _ in range(3)]))
    assert ach.control.block_count == 1
    assert list(iter_lines(ach))[-1].startswith("9")
    assert "9" * 94 not in list(iter_lines(ach))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rdfi_routing": "021000022"}, "RDFI routing '021000022' is not a valid ABA number"),
        ({"rdfi_routing": "02100002"}, "RDFI routing"),
        ({"rdfi_routing": "02100002A"}, "RDFI routing"),
        ({"amount": -1}, "amount -1 is negative"),
        ({"addenda": (DED, DED)}, "a CCD entry carries at most one addenda"),
        ({"addenda": ("X" * 81,)}, "addenda 1 is 81 characters, 1 more than the 80 that fit"),
    ],
)
def test_bad_payments_are_build_errors(change: dict[str, object], message: str) -> None:
    with pytest.raises(BuildError, match="batch 1, entry 2: ") as caught:
        a_file(a_batch([an_entry(), an_entry(**change)]))
    assert message in str(caught.value)


def test_ctx_addenda_over_80_characters_is_a_build_error() -> None:
    with pytest.raises(BuildError, match="addenda 2 is 81 characters"):
        a_file(a_batch([an_entry(addenda=("X" * 80, "Y" * 81))], sec_code="CTX"))


@pytest.mark.parametrize(
    ("odfi", "message"),
    [
        ("071000302", "fails the ABA check digit"),
        ("0710003", "8 or 9 digits"),
        ("0710003A", "8 or 9 digits"),
    ],
)
def test_bad_odfi_is_a_build_error(odfi: str, message: str) -> None:
    with pytest.raises(BuildError, match=message):
        a_file(a_batch(odfi_routing=odfi))


def test_odfi_may_be_given_as_its_eight_digits() -> None:
    ach = a_file(a_batch(odfi_routing="07100030"))
    assert ach.entries[0].trace_number == "071000300000001"


def test_an_empty_batch_or_file_is_a_build_error() -> None:
    with pytest.raises(BuildError, match="batch 2 has no entries"):
        a_file(a_batch(), a_batch([]))
    with pytest.raises(BuildError, match="at least one batch"):
        build_file(a_file_spec(), [])


def test_iter_records_yields_in_file_order() -> None:
    records = list(iter_records(a_file_spec(), [a_batch(), a_batch([an_entry(), an_entry()])]))
    assert [type(r) for r in records] == [
        FileHeader,
        BatchHeader,
        CcdEntry,
        BatchControl,
        BatchHeader,
        CcdEntry,
        CcdEntry,
        BatchControl,
        FileControl,
    ]


def test_values_too_wide_are_refused_when_written_never_cut() -> None:
    ach = a_file(a_batch([an_entry(receiver_name="A RECEIVER NAME OF 27 CHARS")]))
    with pytest.raises(FieldOverflowError, match=r"receiving_company_name \(columns 55-76"):
        render(ach)
    ach = a_file(a_batch(company_name="ACME CORPORATION INC"))
    with pytest.raises(FieldOverflowError, match=r"company_name \(columns 5-20.*4 too many"):
        render(ach)
    ach = a_file(a_batch([an_entry(amount=10**10)]))
    with pytest.raises(FieldOverflowError, match=r"amount \(columns 30-39.*1 too many"):
        render(ach)


def test_trailing_blanks_in_text_are_padding_not_data() -> None:
    """The model holds text without trailing blanks, as the reader does; the file is the same."""
    ach = a_file(
        a_batch(
            [an_entry(receiver_name="OK SDU   ", account="123 ", addenda=("DED*CS  ",))],
            company_name="ACME  ",
            entry_description="CHILD SUPP",
        ),
        immediate_destination_name="BANK ",
    )
    assert ach.header.immediate_destination_name == "BANK"
    assert ach.batches[0].header.company_name == "ACME"
    entry = ach.entries[0]
    assert (entry.receiving_company_name, entry.dfi_account_number) == ("OK SDU", "123")
    assert entry.addenda[0].payment_related_information == "DED*CS"


@settings(max_examples=50, deadline=None)
@given(file_specs(), batch_specs())
def test_controls_agree_with_entries(file_spec: object, batch_spec: BatchSpec) -> None:
    ach = build_file(file_spec, [batch_spec, batch_spec])  # type: ignore[arg-type]
    for batch in ach.batches:
        entries = batch.entries
        control = batch.control
        assert control.entry_addenda_count == sum(1 + len(e.addenda) for e in entries)
        rdfi_sum = sum(int(e.receiving_dfi_identification) for e in entries)
        assert control.entry_hash == rdfi_sum % 10**10
        debits = sum(e.amount for e in entries if is_debit(e.transaction_code))
        credits = sum(e.amount for e in entries if not is_debit(e.transaction_code))
        assert (control.total_debit_amount, control.total_credit_amount) == (debits, credits)
    assert ach.control.batch_count == 2
    assert ach.control.entry_addenda_count == 2 * ach.batches[0].control.entry_addenda_count
    assert ach.control.block_count == -(-records_count(ach) // 10)
    traces = [e.trace_number for e in ach.entries]
    assert traces == sorted(traces, key=lambda t: t[8:]) and len(set(traces)) == len(traces)


def test_effective_date_formats_as_yymmdd() -> None:
    ach = a_file(a_batch(effective_entry_date=dt.date(2031, 12, 9)))
    assert ach.batches[0].header.effective_entry_date == "311209"


def test_entry_spec_defaults() -> None:
    spec = EntrySpec("22", RDFI, "1", 1, "X")
    assert (spec.identification, spec.addenda, spec.discretionary) == ("", (), "")
