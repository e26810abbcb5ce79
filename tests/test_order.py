"""The record order, written once (nacha_cs.ach.order), as reader, validator and builder use it."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileBuilder, FileSpec
from nacha_cs.ach.order import KINDS, ORDER, PADDING, Place, Verdict, record_kind, step
from nacha_cs.findings import RULES
from nacha_cs.validate.catalogue import CATALOGUE

IN_ORDER = [
    (Place.START, "1", Place.FILE),
    (Place.FILE, "5", Place.BATCH),
    (Place.BATCH, "6", Place.ENTRY),
    (Place.ENTRY, "7", Place.ENTRY),
    (Place.ENTRY, "6", Place.ENTRY),
    (Place.ENTRY, "8", Place.FILE),
    (Place.FILE, "9", Place.END),
]


def test_every_place_and_kind_has_a_move() -> None:
    assert set(ORDER) == set(itertools.product(Place, KINDS))


@pytest.mark.parametrize(("place", "kind", "after"), IN_ORDER)
def test_a_well_formed_file_walks_in_order(place: Place, kind: str, after: Place) -> None:
    assert (step(place, kind).verdict, step(place, kind).place) == (Verdict.IN_ORDER, after)


@pytest.mark.parametrize(
    ("place", "kind", "verdict"),
    [
        (Place.FILE, "6", Verdict.OUT_OF_PLACE),
        (Place.BATCH, "7", Verdict.OUT_OF_PLACE),
        (Place.FILE, "8", Verdict.OUT_OF_PLACE),
        (Place.ENTRY, "1", Verdict.OUT_OF_PLACE),
        (Place.ENTRY, PADDING, Verdict.OUT_OF_PLACE),
        (Place.ENTRY, "5", Verdict.UNCLOSED_BATCH),
        (Place.BATCH, "9", Verdict.UNCLOSED_BATCH),
        (Place.END, PADDING, Verdict.PADDING),
        (Place.END, "6", Verdict.AFTER_END),
    ],
)
def test_what_is_out_of_order(place: Place, kind: str, verdict: Verdict) -> None:
    assert step(place, kind).verdict is verdict


def test_record_kind_tells_padding_from_a_file_control() -> None:
    assert record_kind("9" * 94) == PADDING
    assert record_kind("9000001") == "9"
    assert record_kind("") is None
    assert record_kind("2") is None


def test_the_builder_refuses_records_out_of_order() -> None:
    builder = FileBuilder(FileSpec("091000019", "091000019", dt.datetime(2026, 11, 20, 9, 30)))
    builder.file_header()
    with pytest.raises(RuntimeError, match="a second file header"):
        builder.file_header()
    batch = BatchSpec("ACME", "1731234567", "CHILD SUPP", dt.date(2026, 11, 23), "091000019", ())
    builder.start_batch(batch)
    builder.batch_header("220")
    with pytest.raises(RuntimeError, match="unclosed batch"):
        builder.start_batch(batch)
    builder.entry(EntrySpec("22", "103000648", "9004", 100, "OK SDU"))
    builder.batch_control()
    with pytest.raises(RuntimeError, match="an entry outside a batch"):
        builder.add_prepared(10300064, 100, False, 0)


def test_the_catalogue_names_every_rule_an_ach_file_can_break() -> None:
    """Explicit, not by registration: what the ACH-side modules declare is all in it."""
    import nacha_cs.employer.generate  # noqa: F401  (its PAY/GEN rules are not the catalogue's)

    ach_side = {code for code in RULES if not code.startswith(("PAY", "GEN", "CFG"))}
    assert {r.code for r in CATALOGUE} == ach_side
    assert [r.code for r in CATALOGUE] == sorted(r.code for r in CATALOGUE)
