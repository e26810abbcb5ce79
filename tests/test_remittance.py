"""One row per DED payment: CCD+ addenda and every DED of a CTX's 820, read from a file model."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from strategies import a_batch, a_file, ach_files, an_entry

from nacha_cs.ach.model import AchFile
from nacha_cs.ach.reader import read_file
from nacha_cs.codecs import ctx820
from nacha_cs.codecs.ded import Ded
from nacha_cs.sdu.remittance import READING, RemittanceRow, batch_remittances, remittances

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAY_DATE = dt.date(2026, 11, 20)
SMITH = Ded("OK1234567", PAY_DATE, 27000, "401234567", "N", "SMITH,HARR", "40109")


def read(name: str) -> list[RemittanceRow]:
    ach, problems = read_file(FIXTURES / name)
    assert ach is not None and problems == []
    return remittances(ach)


def test_ccd_plus_gives_the_ded_of_each_addenda() -> None:
    rows = read("ccd-plus-ded.ach")
    assert [(r.batch, r.trace, r.sec, r.addenda, r.entry_amount) for r in rows] == [
        (1, "091000010000001", "CCD", 1, 27000),
        (1, "091000010000002", "CCD", 1, 13547),
        (1, "091000010000003", "CCD", 1, 8250),
        (1, "091000010000004", "CCD", 1, 0),
    ]
    assert rows[0].ded == SMITH
    assert rows[1].ded is not None and rows[1].ded.fips == ""
    termination = rows[3].ded
    assert termination is not None and termination.terminated and termination.amount == 0


def test_ctx_gives_every_ded_of_the_820_with_the_addenda_it_starts_in() -> None:
    rows = read("ctx-820.ach")
    assert [(r.trace, r.sec, r.addenda) for r in rows] == [
        ("091000010000001", "CTX", 5),
        ("091000010000001", "CTX", 6),
        ("091000010000001", "CTX", 7),
    ]
    deds = [r.ded for r in rows]
    assert all(d is not None for d in deds)
    assert [(d.case_id, d.amount, d.name) for d in deds if d is not None] == [
        ("654321", 30000, "JONES,KARE"),
        ("123456", 12575, "OKAFOR,CHI"),
        ("777001", 8000, "SMITHJOAL"),
    ]
    # DED03 is CCYYMMDD inside an 820 of 004010: read as the same date a CCD+ YYMMDD gives
    assert {d.pay_date for d in deds if d is not None} == {PAY_DATE}
    assert sum(d.amount for d in deds if d is not None) == rows[0].entry_amount == 50575


def test_batches_are_numbered_by_position_in_the_file() -> None:
    rows = read("multi-batch.ach")
    assert [(r.batch, r.trace) for r in rows][:3] == [
        (1, "091000010000001"),
        (1, "091000010000002"),
        (2, "091000010000003"),
    ]
    ach, _ = read_file(FIXTURES / "multi-batch.ach")
    assert ach is not None
    per_batch = [row for n, b in enumerate(ach.batches, 1) for row in batch_remittances(b, n)]
    assert per_batch == rows


def test_entries_without_addenda_give_no_row_and_text_that_is_no_ded_gives_an_empty_one() -> None:
    ded = "DED*CS*ZC146*250101*12345*123456789*N*SMITH,HARR\\"
    ach = a_file(
        a_batch(
            [
                an_entry(addenda=(ded,)),
                an_entry(),  # no addenda: no remittance row
                an_entry(addenda=("PAYMENT FOR INVOICE 42",)),
                an_entry(addenda=("DED*CS*ZC146*250101*12345*12345678*N\\",)),  # DED019
            ]
        )
    )
    rows = remittances(ach)
    assert [(r.trace[-1], r.ded is None) for r in rows] == [("1", False), ("3", True), ("4", True)]
    assert rows[0].ded == Ded("ZC146", dt.date(2025, 1, 1), 12345, "123456789", "N", "SMITH,HARR")


def test_reading_accepts_what_some_receivers_agreed_to() -> None:
    """The Oklahoma guide's own sample (blank SSN) and Virginia's W read as payments."""
    sample = "DED*CS*ZC146*951024*13547* *N*SMITH,HARR*A4738*Y\\"
    medical_w = "DED*CS*ZC146*250101*12345*123456789*W\\"
    assert READING.allow_blank_ssn and READING.allow_medical_w
    rows = remittances(
        a_file(a_batch([an_entry(addenda=(sample,)), an_entry(addenda=(medical_w,))]))
    )
    first, second = (r.ded for r in rows)
    assert first is not None and first.ssn == "" and first.terminated and first.fips == "A4738"
    assert second is not None and second.medical == "W"


def _ctx_addenda(deds: list[Ded]) -> list[str]:
    return ctx820.build_addenda(
        deds,
        payer=ctx820.BankParty("ACME", "071000301", "1234567"),
        payee=ctx820.BankParty("SDU", "021000021", "9876543210"),
        company_id="1123456789",
        effective_date=dt.date(2025, 1, 3),
        trace="1",
        envelope=ctx820.Envelope("1123456789", "SDU"),
        created=dt.datetime(2025, 1, 2, 9, 30),
    )


def test_a_ctx_ded_that_does_not_decode_keeps_its_place_among_the_others() -> None:
    deds = [
        Ded("A1", dt.date(2025, 1, 2), 100, "123456789", "N"),
        Ded("B2", dt.date(2025, 1, 2), 200, "234567890", "Y"),
    ]
    addenda = _ctx_addenda(deds)
    joined = "".join(addenda).replace("*100*", "*1.0*")  # DED014 in the first DED
    broken = [joined[i : i + 80] for i in range(0, len(joined), 80)]
    ach = a_file(a_batch([an_entry(amount=300, addenda=tuple(broken))], sec_code="CTX"))
    rows = remittances(ach)
    assert [r.ded for r in rows] == [None, deds[1]]
    assert all(r.sec == "CTX" and r.entry_amount == 300 for r in rows)


def test_a_ctx_without_a_readable_820_gives_one_empty_row() -> None:
    for addenda in (("DED*CS*ZC146*250101*12345*123456789*N\\",), ("", "")):
        ach = a_file(a_batch([an_entry(addenda=addenda)], sec_code="CTX"))
        rows = remittances(ach)
        assert [(r.sec, r.addenda, r.ded) for r in rows] == [("CTX", 1, None)]


@settings(max_examples=60, deadline=None)
@given(ach_files())
def test_any_file_gives_its_rows_in_order_without_raising(ach: AchFile) -> None:
    """Random addenda text: a CCD+ row per addenda, at least one row per CTX with addenda."""
    rows = remittances(ach)
    expected = []
    for position, batch in enumerate(ach.batches, start=1):
        for entry in batch.entries:
            if entry.addenda:
                expected.append((position, entry.trace_number, entry.sec_code, len(entry.addenda)))
    counts = Counter((r.batch, r.trace, r.sec) for r in rows)
    assert list(counts) == [(b, t, s) for b, t, s, _ in expected]
    for position, trace, sec, addenda in expected:
        count = counts[(position, trace, sec)]
        assert count == addenda if sec == "CCD" else count >= 1
