"""The 820's fast paths agree with the element-by-element ones they stand in for.

* :func:`ded.segment_text` returns the text :func:`ded.elements` and the X12 writer make, or
  None exactly when that way would refuse the payment (so the builder's errors are unchanged);
* :func:`ded.segment_reader` decodes as :func:`ded.decode` does, anywhere in a text.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from nacha_cs.codecs import ded
from nacha_cs.codecs.x12 import ACH_DELIMITERS, Delimiters, Segment, X12Error, format_segment

PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
DELIMITERS = (
    ACH_DELIMITERS,
    Delimiters(repetition="^"),
    Delimiters("|", ":", "~"),
    Delimiters("1", ">", "\\"),  # a digit for a separator: no amount or SSN can be sent
)


def _slow(value: ded.Ded, long_date: bool, policy: ded.DedPolicy,
          delimiters: Delimiters) -> str | None:
    try:
        values = ded.elements(value, long_date=long_date, policy=policy,
                              separators=delimiters.all())
        return format_segment(Segment("DED", tuple(values)), delimiters)
    except (ded.DedError, X12Error):
        return None


@given(
    application=st.sampled_from(["CS", "II", "RO", "XX", ""]),
    case_id=st.text(PRINTABLE, max_size=22),
    day=st.dates(dt.date(1960, 1, 1), dt.date(2080, 12, 31)),
    amount=st.integers(-1, 10**10 + 1),
    ssn=st.sampled_from(["512340001", "000123456", "5123400", "51234000a", "", "５12340001"]),
    medical=st.sampled_from(["Y", "N", "W", "", "y"]),
    name=st.text(PRINTABLE, max_size=11),
    fips=st.text("0123456789AB *|~", max_size=8),
    terminated=st.booleans(),
    long_date=st.booleans(),
    allow_w=st.booleans(),
    delimiters=st.sampled_from(DELIMITERS),
)
def test_segment_text_is_the_checked_text_or_none(
    application: str, case_id: str, day: dt.date, amount: int, ssn: str, medical: str,
    name: str, fips: str, terminated: bool, long_date: bool, allow_w: bool,
    delimiters: Delimiters,
) -> None:
    value = ded.Ded(case_id, day, amount, ssn, medical, name, fips, terminated, application)
    policy = ded.DedPolicy(allow_medical_w=allow_w)
    fast = ded.segment_text(value, long_date=long_date, policy=policy,
                            element=delimiters.element, terminator=delimiters.segment,
                            separators=delimiters.all())
    slow = _slow(value, long_date, policy, delimiters)
    if fast is not None:
        assert fast == slow
    elif slow is not None:  # declined a sendable payment: only for a digit separator
        assert any(ch.isdigit() for ch in delimiters.all())


SEGMENTS = ("DED*CS*ZC146*241024*13547*512340001*N*SMITH,HARR\\",
            "DED*CS*ZC146*20241024*13547*512340001*W**40109\\",
            "DED*CS*ZC146*20241024*0*512340001*N***Y\\")
TEXTS = st.one_of(
    st.text("DEC*S0123456789YNW \\,.", max_size=120),
    st.builds(lambda before, segment, after: before + segment + after,
              st.text(" *\\AB", max_size=6), st.sampled_from(SEGMENTS), st.text(" *", max_size=4)),
)


@given(TEXTS, st.integers(0, 10), st.integers(0, 130), st.booleans(), st.booleans())
def test_segment_reader_decodes_as_decode(text: str, start: int, end: int, long_date: bool,
                                          lenient: bool) -> None:
    policy = ded.DedPolicy(allow_medical_w=lenient, allow_blank_ssn=lenient)
    for max_length in (None, ded.MAX_LENGTH):
        read = ded.segment_reader(long_date=long_date, policy=policy, max_length=max_length,
                                  medical_w_defined=lenient)
        assert read(text, start, end) == ded.decode(
            text, long_date=long_date, policy=policy, start=start, end=end,
            max_length=max_length, medical_w_defined=lenient)
