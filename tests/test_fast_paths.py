"""Fast paths the generator streams through must agree with the slow, checked paths exactly.

* :meth:`Layout.template` renders what :meth:`Layout.format` renders;
* :func:`ded.encode_field_values` returns what ``encode_field(Ded(...))`` returns, or raises
  the same :class:`DedError`;
* the ASCII shortcut of the DED name rule gives the folded, filtered letters;
* :meth:`FileBuilder.add_prepared` counts an entry as :meth:`FileBuilder.entry` does;
* :func:`writer.atomic_output` shows a file only when its block succeeds.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileBuilder, FileSpec
from nacha_cs.ach.records import ADDENDA, CCD_ENTRY, Addenda, CcdEntry
from nacha_cs.ach.writer import OutputExistsError, atomic_output
from nacha_cs.codecs import ded

PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))


def test_template_fills_to_what_format_renders() -> None:
    entry = CcdEntry(
        transaction_code="22",
        receiving_dfi_identification="04399991",
        check_digit="6",
        dfi_account_number="4000{1}2345678",  # braces in fixed text stay literal
        amount=11_449,
        identification_number="E1001",
        receiving_company_name="OK {SDU}",
        addenda_record_indicator="1",
        trace_number="103999900000001",
    )
    template = CCD_ENTRY.template(entry, ("amount", "identification_number", "trace_number"))
    assert template.format(11_449, "E1001", "103999900000001") == CCD_ENTRY.format(entry)
    addenda = Addenda(
        payment_related_information="DED*CS*X", addenda_sequence_number=1,
        entry_detail_sequence_number=42,
    )  # fmt: skip
    open_fields = ("payment_related_information", "entry_detail_sequence_number")
    template = ADDENDA.template(addenda, open_fields)
    assert template.format("DED*CS*X", 42) == ADDENDA.format(addenda)
    with pytest.raises(ValueError, match="no field nope"):
        ADDENDA.template(addenda, ("nope",))


def _slow(*values: object) -> str:
    return ded.encode_field(ded.Ded(*values))  # type: ignore[arg-type]


def _same(*values: object) -> None:
    try:
        expected = _slow(*values)
    except ded.DedError as error:
        with pytest.raises(ded.DedError) as raised:
            ded.encode_field_values(*values)  # type: ignore[arg-type]
        assert str(raised.value) == str(error)
    else:
        assert ded.encode_field_values(*values) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "values",
    [
        ("ZC146", dt.date(2026, 11, 20), 11_449, "512340001", "N", "SMITH,HARR", "40000"),
        ("ZC146", dt.date(2026, 11, 20), 0, "512340001", "Y", "SMITH,HARR", "", True),
        ("ZC146", dt.date(2026, 11, 20), 0, "512340001", "Y", "", "", True),
        ("ZC146", dt.date(2026, 11, 20), 0, "512340001", "Y"),  # zero, not terminated
        ("ZC146", dt.date(2026, 11, 20), 5, "666340001", "N"),  # never issued: still sent
        ("Z*146", dt.date(2026, 11, 20), 5, "512340001", "N"),
        ("Z\\146", dt.date(2026, 11, 20), 5, "512340001", "N"),
        (" Z146", dt.date(2026, 11, 20), 5, "512340001", "N"),
        ("C" * 21, dt.date(2026, 11, 20), 5, "512340001", "N"),
        ("ZC146", dt.date(2070, 1, 1), 5, "512340001", "N"),  # YYMMDD would read back 1970
        ("C" * 21, dt.date(2070, 1, 1), 5, "512340001", "N"),  # the case error comes first
        ("ZC146", dt.date(2026, 11, 20), 10**10, "512340001", "N"),
        ("ZC146", dt.date(2026, 11, 20), -5, "512340001", "N"),
        ("ZC146", dt.date(2026, 11, 20), True, "512340001", "N"),
        ("ZC146", dt.date(2026, 11, 20), 5, "51234000", "N"),
        ("ZC146", dt.date(2026, 11, 20), 5, "512340001", "W"),
        ("ZC146", dt.date(2026, 11, 20), 5, "512340001", "N", "", "400001"),
        ("ZC146", dt.date(2026, 11, 20), 5, "512340001", "N", "ELEVENCHARS"),
        ("Peña", dt.date(2026, 11, 20), 5, "512340001", "N"),
        ("C" * 20, dt.date(2026, 11, 20), 9_999_999_999, "512340001", "N", "X" * 10, "1" * 7, True),
    ],
)
def test_encode_field_values_matches_encode_field(values: tuple[object, ...]) -> None:
    _same(*values)


@given(
    case_id=st.text(PRINTABLE, max_size=22),
    day=st.dates(dt.date(1960, 1, 1), dt.date(2080, 12, 31)),
    amount=st.integers(-1, 10**10 + 1),
    ssn=st.sampled_from(["512340001", "000123456", "5123400", "51234000a", ""]),
    medical=st.sampled_from(["Y", "N", "W", "", "y"]),
    name=st.text(PRINTABLE, max_size=11),
    fips=st.text("0123456789AB *", max_size=8),
    terminated=st.booleans(),
)
def test_encode_field_values_agrees_everywhere(
    case_id: str,
    day: dt.date,
    amount: int,
    ssn: str,
    medical: str,
    name: str,
    fips: str,
    terminated: bool,
) -> None:
    _same(case_id, day, amount, ssn, medical, name, fips, terminated)


def _letters_by_folding(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.upper() if "A" <= ch <= "Z")


@given(st.text(max_size=30) | st.text(PRINTABLE, max_size=30))
def test_name_letters_shortcut_agrees(text: str) -> None:
    assert ded._letters(text) == _letters_by_folding(text)


def test_add_prepared_counts_like_entry() -> None:
    file_spec = FileSpec("103999908", "103999908", dt.datetime(2026, 11, 23, 9, 30))
    batch = BatchSpec("ACME", "1739999901", "CHILD SUPP", dt.date(2026, 11, 24), "103999908", ())
    spec = EntrySpec("22", "043999916", "400012345678", 500, "OK SDU", "E1", ("DED",))
    built, prepared = FileBuilder(file_spec), FileBuilder(file_spec)
    for builder in (built, prepared):
        builder.file_header()
        builder.start_batch(batch)
        builder.batch_header("220")
    first = built.entry(spec)
    second = built.entry(spec)
    assert prepared.add_prepared(4399991, 500, False, 1) == 1
    assert prepared.add_prepared(4399991, 500, False, 1) == 2
    assert first.trace_number.endswith("0000001") and second.trace_number.endswith("0000002")
    assert prepared.batch_records == built.batch_records == 4
    assert prepared.batch_control() == built.batch_control()
    assert prepared.file_control() == built.file_control()


def test_atomic_output_appears_only_when_the_block_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "out.ach"
    with pytest.raises(RuntimeError), atomic_output(target) as out:
        out.write("half a file\n")
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either
    with atomic_output(target) as out:
        out.write("whole\n")
    assert target.read_text() == "whole\n"
    with pytest.raises(OutputExistsError), atomic_output(target):
        pass
    with atomic_output(target, force=True) as out:
        out.write("again\n")
    assert target.read_text() == "again\n" and list(tmp_path.iterdir()) == [target]
