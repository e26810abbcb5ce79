"""Hypothesis strategies and small factories for specs, models and ACH text.

Import from test modules as ``from strategies import ...`` (pytest puts ``tests/`` on sys.path
because the folder has no ``__init__.py``).

Every strategy here produces input the builder accepts and the reader reads back without a
finding: printable ASCII text no wider than its field, mandatory and required text that is not
blank, amounts and totals that fit their fields, routing numbers that pass the ABA check.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, build_file
from nacha_cs.ach.model import AchFile
from nacha_cs.ach.records import FieldSpec, Layout
from nacha_cs.ach.routing import check_digit
from nacha_cs.ach.writer import render

PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

CREDIT_CODES = ("22", "23", "24", "32", "33", "34")
DEBIT_CODES = ("27", "28", "29", "37", "38", "39")
MAX_AMOUNT = 99_999_999  # 10 digits are allowed; keeps batch totals far inside 12 digits


def text(max_size: int, *, min_size: int = 0) -> st.SearchStrategy[str]:
    """Printable ASCII, trailing spaces allowed (they are padding and must vanish in the model)."""
    return st.text(alphabet=PRINTABLE, min_size=min_size, max_size=max_size)


def filled(max_size: int) -> st.SearchStrategy[str]:
    """Printable ASCII that is not blank: for mandatory and required fields."""
    return text(max_size, min_size=1).filter(lambda s: s.strip(" "))


@st.composite
def routing_numbers(draw: st.DrawFn) -> str:
    """Nine digits whose ninth is the ABA check digit of the first eight."""
    first_eight = draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    return first_eight + check_digit(first_eight)


def routing(first_eight: str) -> str:
    """A valid routing number from its first eight digits."""
    return first_eight + check_digit(first_eight)


@st.composite
def entry_specs(draw: st.DrawFn, sec_code: str = "CCD", max_addenda: int = 4) -> EntrySpec:
    """One payment; CCD carries 0-1 addenda, CTX 0..max_addenda; receiver width follows the SEC."""
    if sec_code == "CTX":
        addenda_count = draw(st.integers(0, max_addenda))
        receiver_width = 16
    else:
        addenda_count = draw(st.integers(0, 1))
        receiver_width = 22
    return EntrySpec(
        transaction_code=draw(st.sampled_from(CREDIT_CODES + DEBIT_CODES)),
        rdfi_routing=draw(routing_numbers()),
        account=draw(filled(17)),
        amount=draw(st.integers(0, MAX_AMOUNT)),
        receiver_name=draw(filled(receiver_width)),
        identification=draw(text(15)),
        addenda=tuple(draw(st.lists(text(80), min_size=addenda_count, max_size=addenda_count))),
        discretionary=draw(text(2)),
    )


@st.composite
def batch_specs(draw: st.DrawFn, max_entries: int = 4) -> BatchSpec:
    sec_code = draw(st.sampled_from(("CCD", "CTX")))
    return BatchSpec(
        company_name=draw(filled(16)),
        company_identification=draw(filled(10)),
        entry_description=draw(filled(10)),
        effective_entry_date=draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))),
        odfi_routing=draw(routing_numbers()),
        entries=tuple(draw(st.lists(entry_specs(sec_code), min_size=1, max_size=max_entries))),
        sec_code=sec_code,
        company_discretionary_data=draw(text(20)),
        company_descriptive_date=draw(text(6)),
    )


@st.composite
def file_specs(draw: st.DrawFn) -> FileSpec:
    ten_characters = text(10, min_size=10).filter(lambda s: s.strip(" "))
    origin = draw(routing_numbers() | ten_characters)
    return FileSpec(
        immediate_destination=draw(routing_numbers()),
        immediate_origin=origin,
        created=draw(st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2099, 12, 31, 23, 59))),
        immediate_destination_name=draw(text(23)),
        immediate_origin_name=draw(text(23)),
        file_id_modifier=draw(st.sampled_from(UPPER_DIGITS)),
        reference_code=draw(text(8)),
    )


@st.composite
def ach_files(draw: st.DrawFn, max_batches: int = 3) -> AchFile:
    """A whole model made by the builder from random specs."""
    batches = draw(st.lists(batch_specs(), min_size=1, max_size=max_batches))
    return build_file(draw(file_specs()), batches)


def ach_texts(newline: str = "\n") -> st.SearchStrategy[str]:
    """The rendered text of a random valid file."""
    return ach_files().map(lambda model: render(model, newline))


def field_texts(spec: FieldSpec) -> st.SearchStrategy[str]:
    """Text that fills one field exactly and reads back without a problem."""
    if spec.constant is not None:
        return st.just(spec.constant)
    if spec.reserved:
        return st.just(" " * spec.width)
    if spec.kind in ("N", "ID"):
        digits = st.text(alphabet="0123456789", min_size=spec.width, max_size=spec.width)
        if spec.kind == "ID" and spec.inclusion == "O":
            return digits | st.just(" " * spec.width)
        return digits
    full = st.text(alphabet=PRINTABLE, min_size=spec.width, max_size=spec.width)
    if spec.inclusion == "O":
        return full
    return full.filter(lambda s: s.strip(" "))


@st.composite
def record_lines(draw: st.DrawFn, layout: Layout) -> str:
    """A 94-character line of the layout's record type whose every field is well formed."""
    return layout.record_type + "".join(draw(field_texts(spec)) for spec in layout.fields)


# --- plain factories for example-based tests ---------------------------------------------------

ODFI = "071000301"
RDFI = "021000021"
CREATED = dt.datetime(2025, 1, 2, 3, 4)
EFFECTIVE = dt.date(2025, 1, 3)


def a_file_spec(**changes: object) -> FileSpec:
    values: dict[str, object] = {
        "immediate_destination": ODFI,
        "immediate_origin": "1234567890",
        "created": CREATED,
        "immediate_destination_name": "FIRST BANK",
        "immediate_origin_name": "ACME PAYROLL",
    }
    values.update(changes)
    return FileSpec(**values)  # type: ignore[arg-type]


def an_entry(**changes: object) -> EntrySpec:
    values: dict[str, object] = {
        "transaction_code": "22",
        "rdfi_routing": RDFI,
        "account": "12345678901",
        "amount": 12_345,
        "receiver_name": "OK CENTRALIZED SDU",
    }
    values.update(changes)
    return EntrySpec(**values)  # type: ignore[arg-type]


def a_batch(entries: object = None, **changes: object) -> BatchSpec:
    values: dict[str, object] = {
        "company_name": "ACME CORP",
        "company_identification": "1234567890",
        "entry_description": "CHILD SUPP",
        "effective_entry_date": EFFECTIVE,
        "odfi_routing": ODFI,
        "entries": (an_entry(),) if entries is None else entries,
    }
    values.update(changes)
    return BatchSpec(**values)  # type: ignore[arg-type]


def a_file(*batches: BatchSpec, **changes: object) -> AchFile:
    return build_file(a_file_spec(**changes), batches or (a_batch(),))
