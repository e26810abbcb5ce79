"""The X12 layer: delimiters come from ISA, the tokenizer keeps offsets, the writer refuses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nacha_cs.codecs.x12 import (
    ACH_DELIMITERS,
    ISA_LENGTH,
    Delimiters,
    Segment,
    X12Error,
    format_isa,
    format_segment,
    read_delimiters,
    tokenize,
    write,
)

ISA_ELEMENTS = ("00", " " * 10, "00", " " * 10, "ZZ", "SENDER".ljust(15), "ZZ",
                "RECEIVER".ljust(15), "240105", "1200", "U", "00401", "000000042", "0", "P", ">")


def isa(delimiters: Delimiters = ACH_DELIMITERS) -> str:
    elements = (*ISA_ELEMENTS[:15], delimiters.component)
    return format_isa(elements, delimiters)


def test_isa_is_106_and_announces_its_delimiters() -> None:
    text = isa()
    assert len(text) == ISA_LENGTH
    assert (text[3], text[104], text[105]) == ("*", ">", "\\")
    assert read_delimiters(text) == (ACH_DELIMITERS, [])


def test_other_delimiters_are_read_not_assumed() -> None:
    mine = Delimiters(element="|", component=":", segment="~")
    text = isa(mine) + "GS|RA|A|B~"
    delimiters, findings = read_delimiters(text)
    assert findings == []
    assert delimiters == mine
    tokens = tokenize(text, mine)
    assert [t.segment.id for t in tokens] == ["ISA", "GS"]
    assert tokens[1].segment.elements == ("RA", "A", "B")


def test_repetition_separator_from_00402_on() -> None:
    mine = Delimiters(repetition="^")
    elements = (*ISA_ELEMENTS[:10], "^", "00501", *ISA_ELEMENTS[12:])
    delimiters, _ = read_delimiters(format_isa(elements, mine))
    assert delimiters == mine


@pytest.mark.parametrize(("text", "code", "field"), [
    ("", "X12001", "ISA"),
    ("GS*RA*A*B\\", "X12001", "ISA"),
    ("ISA*00*", "X12002", "ISA"),
    # same character as element and segment separator
    (isa()[:105] + "*", "X12002", "ISA16"),
    # an alphanumeric component separator
    (isa()[:104] + "A\\", "X12002", "ISA16"),
    # sender id one short, receiver one long: widths drift, the element count holds
    (isa().replace("SENDER         ", "SENDER        ").replace("RECEIVER       ",
                                                              "RECEIVER        "),
     "X12002", "ISA06"),
    (isa().replace("000000042", "00000004X"), "X12002", "ISA13"),
    # a separator inside a value: 17 elements where ISA has 16
    (isa().replace("SENDER         ", "SEN*DER        "), "X12002", "ISA"),
])
def test_bad_isa_is_a_finding(text: str, code: str, field: str) -> None:
    _, findings = read_delimiters(text)
    assert findings and findings[0].code == code
    assert field in {f.field for f in findings}
    for finding in findings:
        assert finding.column is not None and finding.column >= 1


def test_tokens_know_where_their_elements_sit() -> None:
    text = isa() + "ST*820*0001\\BPR*C*1.00\\"
    tokens = tokenize(text, ACH_DELIMITERS)
    bpr = tokens[2]
    assert bpr.segment == Segment("BPR", ("C", "1.00"))
    first, last = bpr.column(2)
    assert text[first - 1:last] == "1.00"
    assert bpr.segment.get(2) == "1.00" and bpr.segment.get(9) == ""
    # a missing element points just after the segment
    assert bpr.column(5) == (bpr.end + 1, bpr.end + 1)


def test_tokenizer_skips_gaps_and_fill_and_flags_an_open_end() -> None:
    text = isa() + "\r\nST*820*0001\\  SE*2*0001   "
    tokens = tokenize(text, ACH_DELIMITERS)
    assert [t.segment.id for t in tokens] == ["ISA", "ST", "SE"]
    assert tokens[1].start == ISA_LENGTH + 2
    assert tokens[2].terminated is False
    assert tokens[2].segment.elements == ("2", "0001")


@given(st.text(max_size=300))
def test_reading_never_raises(text: str) -> None:
    delimiters, findings = read_delimiters(text)
    if delimiters is None:
        assert findings
    tokenize(text, delimiters or ACH_DELIMITERS)


def test_writer_drops_trailing_empty_elements_keeps_middle_ones() -> None:
    assert format_segment(Segment("N1", ("PR", "", "", ""))) == "N1*PR\\"
    assert format_segment(Segment("BPR", ("C", "", "C"))) == "BPR*C**C\\"
    assert write([Segment("ST", ("820", "0001")), Segment("SE", ("2", "0001"))]) == (
        "ST*820*0001\\SE*2*0001\\")


@pytest.mark.parametrize(("segment", "words"), [
    (Segment("N1", ("PR", "ACME*INC")), "N102 'ACME*INC' contains the delimiter '*'"),
    (Segment("N1", ("PR", "A>B")), "delimiter '>'"),
    (Segment("N1", ("PR", "A\\B")), "delimiter '\\\\'"),
    (Segment("N1", ("PR", "CAFÉ")), "outside printable ASCII"),
])
def test_writer_refuses_values_that_would_split(segment: Segment, words: str) -> None:
    with pytest.raises(X12Error) as caught:
        format_segment(segment)
    assert words in str(caught.value)


def test_isa_writer_checks_fixed_widths() -> None:
    with pytest.raises(X12Error, match="ISA06 'SHORT' is 5 characters, its fixed width is 15"):
        format_isa((*ISA_ELEMENTS[:5], "SHORT", *ISA_ELEMENTS[6:]), ACH_DELIMITERS)
    with pytest.raises(X12Error, match="16 elements"):
        format_isa(ISA_ELEMENTS[:15], ACH_DELIMITERS)
    with pytest.raises(X12Error, match="component separator"):
        format_isa((*ISA_ELEMENTS[:15], ":"), ACH_DELIMITERS)


@given(st.lists(st.sampled_from(["ST*820*0001", "DED*CS*A", "ENT*1", "", " ", "N1*PR*A B",
                                 "\r\n", "SE*2"]), max_size=12),
       st.sampled_from(["", " ", "   ", "x", " \\"]))
def test_the_plain_split_and_the_long_way_make_the_same_segments(pieces: list[str],
                                                                  tail: str) -> None:
    """segments() splits the usual interchange in C; wherever it takes that way, the tokens
    (ids, offsets, terminated) and whether they are plain are what the long way makes."""
    from nacha_cs.codecs import x12

    text = "\\".join(pieces) + ("\\" if pieces else "") + tail
    made = x12.segments(text, ACH_DELIMITERS)
    fast = x12._segments_plain(text, ACH_DELIMITERS)
    assert tokenize(text, ACH_DELIMITERS) == list(made)
    if fast is None:
        return
    original = x12._segments_plain
    try:
        x12._segments_plain = lambda text, delimiters: None  # type: ignore[assignment]
        slow = x12.segments(text, ACH_DELIMITERS)
    finally:
        x12._segments_plain = original
    assert (fast.ids, fast.starts, fast.ends, fast.plain) == (
        slow.ids, slow.starts, slow.ends, slow.plain)
    assert list(fast) == list(slow)
