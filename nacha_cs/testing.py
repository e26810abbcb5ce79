"""Hypothesis strategies for ACH files carrying child-support payments, for property tests.

Needs ``hypothesis`` (``pip install 'nacha-cs[test]'`` or ``pip install hypothesis``); nothing
else in nacha_cs imports this module, so the package itself does not depend on it.

Everything drawn here is something our builder accepts and our reader reads back without a
finding: printable ASCII no wider than its field, amounts and totals that fit, routing numbers
that pass the ABA check. The child-support strategies go further and draw what our validator
accepts as a valid child-support payment:

* :func:`deds` - a :class:`~nacha_cs.codecs.ded.Ded` that encodes (DED07 names made by the
  abbreviation rule, FIPS of 5 or 7 digits or none, DED09 = Y with zero amounts);
* :func:`ded_segments` - the segment text, terminator included, at most 80 characters;
* :func:`payments` - a CCD+ credit to an SDU whose DED addenda pays the entry's amount;
* :func:`child_support_files` - a whole valid file from the bank test kit, as text;
* :func:`entry_specs`, :func:`batch_specs`, :func:`file_specs`, :func:`ach_files`,
  :func:`ach_texts`, :func:`record_lines` - ACH structure with free-form addenda.

Example::

    from hypothesis import given
    from nacha_cs.testing import ded_segments

    @given(ded_segments())
    def test_my_parser_reads_every_ded(segment: str) -> None:
        assert my_parser(segment).amount > 0 or segment.endswith("*Y\\")
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, build_file
from nacha_cs.ach.model import AchFile
from nacha_cs.ach.records import FieldSpec, Layout
from nacha_cs.ach.routing import check_digit
from nacha_cs.ach.writer import render
from nacha_cs.bank.kit import KINDS, PEOPLE, kit_lines
from nacha_cs.codecs import ded as ded_codec

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
def record_lines(draw: st.DrawFn, layout: Layout[Any]) -> str:
    """A 94-character line of the layout's record type whose every field is well formed."""
    return layout.record_type + "".join(draw(field_texts(spec)) for spec in layout.fields)



# --- child support ------------------------------------------------------------------------------

CASE_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"


@st.composite
def ssns(draw: st.DrawFn) -> str:
    """Nine digits of an SSN that could be issued: area not 000, 666 or 9xx, group and serial
    not zero (a 9xx area is a warning in our validator)."""
    area = draw(st.integers(1, 899).filter(lambda a: a != 666))
    return f"{area:03d}{draw(st.integers(1, 99)):02d}{draw(st.integers(1, 9999)):04d}"


@st.composite
def ded07_names(draw: st.DrawFn) -> str:
    """DED07 as the abbreviation rule makes it, from kit names or drawn letters."""
    letters = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=12)
    last, first = draw(st.sampled_from(PEOPLE) | st.tuples(letters, letters | st.just("")))
    return ded_codec.abbreviate_name(last, first)


@st.composite
def deds(draw: st.DrawFn, *, terminated: bool | None = None) -> ded_codec.Ded:
    """A DED our encoder writes and our validator accepts; ``terminated`` forces DED09."""
    ended = draw(st.booleans()) if terminated is None else terminated
    amount = draw(st.integers(0 if ended else 1, 9_999_999_999))
    case_id = draw(st.text(CASE_CHARACTERS, min_size=1, max_size=20))
    name = draw(st.just("") | ded07_names())
    fips = draw(st.just("") | st.text("0123456789", min_size=5, max_size=5)
                | st.text("0123456789", min_size=7, max_size=7))
    return ded_codec.Ded(case_id, draw(st.dates(dt.date(1970, 1, 1), dt.date(2069, 12, 31))),
                         amount, draw(ssns()), draw(st.sampled_from("YN")), name, fips, ended)


def ded_segments(*, terminated: bool | None = None) -> st.SearchStrategy[str]:
    """DED segment text, ``\\`` included, at most 80 characters (longer draws are dropped)."""
    return deds(terminated=terminated).filter(_fits).map(ded_codec.encode)


def _fits(ded: ded_codec.Ded) -> bool:
    try:
        ded_codec.encode(ded)
    except ded_codec.DedError:
        return False
    return True


@st.composite
def payments(draw: st.DrawFn) -> EntrySpec:
    """A CCD+ child-support credit to an SDU with one DED addenda of the same amount."""
    ded = draw(deds(terminated=False).filter(lambda d: d.amount <= MAX_AMOUNT and _fits(d)))
    segment = ded_codec.encode(ded)
    return EntrySpec(
        transaction_code=draw(st.sampled_from(("22", "32"))),
        rdfi_routing=draw(routing_numbers()),
        account=draw(st.text("0123456789", min_size=4, max_size=17)),
        amount=ded.amount,
        receiver_name=draw(st.sampled_from(("IDAHO CHILD SUPPORT", "OKLAHOMA CSS", "TEXAS SDU"))),
        identification=draw(text(15)),
        addenda=(segment,),
    )


@st.composite
def child_support_files(draw: st.DrawFn, kinds: tuple[str, ...] = (), max_entries: int = 20,
                        newline: str = "\n") -> str:
    """The text of a valid kit file (see :mod:`nacha_cs.bank.kit`), drawn by kind and seed."""
    kind = draw(st.sampled_from(kinds or tuple(k for k in KINDS if k != "returns")))
    entries = draw(st.integers(1, max_entries))
    seed = draw(st.integers(0, 2**32 - 1))
    return "".join(line + newline for line in kit_lines(kind, entries, seed))
