"""The DED codec: one table of segments drives decode, hypothesis drives the round trip."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nacha_cs.codecs import ded as codec
from nacha_cs.codecs.ded import (
    STRICT,
    Ded,
    DedError,
    DedPolicy,
    abbreviate_name,
    decode,
    decode_elements,
    encode,
    encode_field,
    mask_ssn,
)
from nacha_cs.findings import RULES

GUIDE_SAMPLE = "DED*CS*ZC146*951024*13547* *N*SMITH,HARR*A4738*Y\\"
SSN = "123456789"


def seg(*elements: str, end: str = "\\") -> str:
    return "*".join(("DED", *elements)) + end


BASE = ("CS", "ZC146", "240105", "13547", SSN, "N")

# --- well-formed segments: text <-> Ded, both directions from one table -----------------------

VALID_CASES: list[tuple[str, Ded]] = [
    (seg(*BASE), Ded("ZC146", dt.date(2024, 1, 5), 13547, SSN, "N")),
    (seg(*BASE, "SMITH,HARR"), Ded("ZC146", dt.date(2024, 1, 5), 13547, SSN, "N", "SMITH,HARR")),
    # an omitted middle element keeps its separator
    (seg(*BASE, "", "40109"), Ded("ZC146", dt.date(2024, 1, 5), 13547, SSN, "N", fips="40109")),
    (seg(*BASE, "", "", "Y"), Ded("ZC146", dt.date(2024, 1, 5), 13547, SSN, "N", terminated=True)),
    (seg("CS", "A B-7/9", "991231", "1", SSN, "Y", "NGUYEN,TRA", "4010900", "Y"),
     Ded("A B-7/9", dt.date(1999, 12, 31), 1, SSN, "Y", "NGUYEN,TRA", "4010900", True)),
    # zero amount is fine with DED09 = Y (termination notice)
    (seg("CS", "Z1", "700101", "0", SSN, "N", "", "", "Y"),
     Ded("Z1", dt.date(1970, 1, 1), 0, SSN, "N", terminated=True)),
    (seg("CS", "Z1", "691231", "9999999999", SSN, "N"),
     Ded("Z1", dt.date(2069, 12, 31), 9_999_999_999, SSN, "N")),
]


@pytest.mark.parametrize(("text", "value"), VALID_CASES)
def test_valid_segments_decode_and_encode(text: str, value: Ded) -> None:
    assert decode(text) == (value, [])
    assert decode(text.ljust(80)) == (value, [])
    assert encode(value) == text


def test_decode_reads_a_record_in_place() -> None:
    """The validator hands the whole 94-character record and columns 4-83, no slicing."""
    text, value = VALID_CASES[1]
    record = "705" + text.ljust(80) + "00010000001"
    assert decode(record, start=3, end=83) == (value, [])
    bad = "705" + text.replace("13547", "135.47").ljust(80) + "00010000001"
    _, findings = decode(bad, start=3, end=83)
    assert [(f.code, f.column, f.end_column) for f in findings] == [("DED014", 21, 26)]


def test_encode_field_is_80_wide() -> None:
    field = encode_field(VALID_CASES[0][1])
    assert len(field) == 80
    assert field.rstrip() == VALID_CASES[0][0]


def test_long_date_inside_an_820() -> None:
    value = VALID_CASES[0][1]
    text = encode(value, long_date=True)
    assert "*20240105*" in text
    assert decode(text, long_date=True) == (value, [])


# --- the guide's own sample -----------------------------------------------------------------


def test_guide_sample_names_the_blank_ssn() -> None:
    value, findings = decode(GUIDE_SAMPLE)
    assert value is None
    assert [(f.code, f.severity, f.field, f.column, f.end_column) for f in findings] == [
        ("DED018", "error", "DED05", 27, 27)
    ]


def test_guide_sample_under_a_lenient_policy() -> None:
    value, findings = decode(GUIDE_SAMPLE, policy=DedPolicy(allow_blank_ssn=True))
    assert [(f.code, f.severity) for f in findings] == [("DED018", "warning")]
    assert value == Ded("ZC146", dt.date(1995, 10, 24), 13547, "", "N", "SMITH,HARR", "A4738",
                        True)


# --- every rule fires: one table, the exact codes each segment must produce -------------------

PROBLEM_CASES: list[tuple[str, str, dict[str, object], list[str]]] = [
    ("blank field", " " * 80, {}, ["DED001"]),
    ("not a DED", "REF*ZZ*123\\", {}, ["DED001"]),
    ("no terminator", seg(*BASE, end=""), {}, ["DED002"]),
    ("slash terminator", seg(*BASE, end="/"), {}, ["DED003"]),
    ("text after terminator", seg(*BASE) + "EXTRA", {}, ["DED004"]),
    ("ten elements", seg(*BASE, "SMITH,HARR", "40109", "Y", "X"), {}, ["DED005"]),
    ("DED06 missing", seg(*BASE[:5]), {}, ["DED006"]),
    ("case id with leading spaces", seg("CS", "  ZC146", *BASE[2:]), {}, ["DED007"]),
    ("medical code with a trailing space", seg(*BASE[:5], "N "), {}, ["DED007"]),
    ("amount with a trailing space", seg("CS", "Z", "240105", "13547 ", *BASE[4:]), {},
     ["DED007"]),
    ("case id with trailing spaces", seg("CS", "ZC146     ", *BASE[2:]), {}, ["DED030"]),
    ("optional element of spaces", seg(*BASE, "   ", "40109"), {}, ["DED030"]),
    ("lowercase segment id", "ded" + seg(*BASE)[3:], {}, ["DED008"]),
    ("lowercase DED01", seg("cs", *BASE[1:]), {}, ["DED008"]),
    ("lowercase DED06", seg(*BASE[:5], "y"), {}, ["DED008"]),
    ("unknown DED01", seg("XX", *BASE[1:]), {}, ["DED009"]),
    ("interstate DED01", seg("II", *BASE[1:]), {}, ["DED010"]),
    ("case id of 21", seg("CS", "X" * 21, *BASE[2:]), {}, ["DED011"]),
    ("31 February", seg("CS", "Z", "240231", *BASE[3:]), {}, ["DED012"]),
    ("letters in date", seg("CS", "Z", "24JA05", *BASE[3:]), {}, ["DED012"]),
    ("8-digit date in CCD+", seg("CS", "Z", "20240105", *BASE[3:]), {}, ["DED013"]),
    ("6-digit date in an 820", seg(*BASE), {"long_date": True}, ["DED013"]),
    ("decimal point", seg("CS", "Z", "240105", "135.47", *BASE[4:]), {}, ["DED014"]),
    ("comma in amount", seg("CS", "Z", "240105", "1,000", *BASE[4:]), {}, ["DED015"]),
    ("negative amount", seg("CS", "Z", "240105", "-100", *BASE[4:]), {}, ["DED015"]),
    ("11-digit amount", seg("CS", "Z", "240105", "1" * 11, *BASE[4:]), {}, ["DED016"]),
    ("zero without DED09", seg("CS", "Z", "240105", "0", *BASE[4:]), {}, ["DED017"]),
    ("empty SSN", seg(*BASE[:4], "", "N"), {}, ["DED018"]),
    ("SSN with dashes", seg(*BASE[:4], "123-45-6789", "N"), {}, ["DED019"]),
    ("SSN area 000", seg(*BASE[:4], "000456789", "N"), {}, ["DED020"]),
    ("SSN area 9xx", seg(*BASE[:4], "912456789", "N"), {}, ["DED020"]),
    ("medical X", seg(*BASE[:5], "X"), {}, ["DED021"]),
    ("medical W, strict", seg(*BASE[:5], "W"), {}, ["DED021"]),
    ("medical W in an 820 of 003070+", seg(*BASE[:5], "W"), {"medical_w_defined": True},
     ["DED029"]),
    ("name of 11", seg(*BASE, "ABCDEFGHIJK"), {}, ["DED022"]),
    ("FIPS of 6", seg(*BASE, "", "401090"), {}, ["DED023"]),
    ("DED09 = N", seg(*BASE, "", "", "N"), {}, ["DED024"]),
    ("DED09 = X", seg(*BASE, "", "", "X"), {}, ["DED025"]),
    ("trailing separators", seg(*BASE, "SMITH,HARR", "") , {}, ["DED026"]),
    ("control character", seg("CS", "ZC\x01146", *BASE[2:]), {}, ["DED027"]),
    ("longer than 80", seg("CS", "X" * 40, *BASE[2:], "SMITH,HARR", "4010900", "Y"), {},
     ["DED028", "DED011"]),
]


@pytest.mark.parametrize(("label", "text", "options", "codes"), PROBLEM_CASES,
                         ids=[c[0] for c in PROBLEM_CASES])
def test_problems_are_named(label: str, text: str, options: dict[str, object],
                            codes: list[str]) -> None:
    value, findings = decode(text, **options)  # type: ignore[arg-type]
    assert sorted(f.code for f in findings) == sorted(codes), findings
    errors = [f for f in findings if f.severity == "error"]
    assert (value is None) == bool(errors)
    for finding in findings:
        assert finding.column is not None and finding.end_column is not None
        assert 1 <= finding.column <= finding.end_column <= max(len(text), 81)
        assert finding.hint


def test_every_ded_rule_has_a_case_that_fires_it() -> None:
    fired = {code for _, _, _, codes in PROBLEM_CASES for code in codes}
    registered = {code for code in RULES if code.startswith("DED0")}
    assert registered <= fired


def test_columns_point_at_the_element() -> None:
    text = seg(*BASE[:5], "y")
    (finding,) = decode(text)[1]
    assert text[finding.column - 1] == "y"
    assert finding.field == "DED06"


def test_padding_is_named_once_not_as_a_cascade() -> None:
    """A padded but otherwise fine amount is one problem, not a 'not digits' one too."""
    _, findings = decode(seg("CS", "Z", "240105", "  13547", *BASE[4:]))
    assert [f.code for f in findings] == ["DED007"]


def test_w_is_accepted_when_the_policy_allows_it() -> None:
    value, findings = decode(seg(*BASE[:5], "W"), policy=DedPolicy(allow_medical_w=True))
    assert findings == []
    assert value is not None and value.medical == "W"


def test_issued_ssn_warning_still_returns_the_ded() -> None:
    value, findings = decode(seg(*BASE[:4], "666456789", "N"))
    assert [f.severity for f in findings] == ["warning"]
    assert value is not None and value.ssn == "666456789"
    assert "6789" in findings[0].message and "666456789" not in findings[0].message


def test_messages_never_carry_the_whole_ssn() -> None:
    for text in (seg(*BASE[:4], " 123456789 ", "N"), seg(*BASE[:4], "12345678", "N"),
                 seg(*BASE[:4], "123-45-6789", "N"), "XED*CS*1*240105*1*123456789*N\\"):
        for finding in decode(text)[1]:
            assert "12345678" not in finding.message.replace("-", "")


def test_decode_elements_uses_the_callers_offsets() -> None:
    parts = ["DED", "CS", "Z", "240105", "135.47", SSN, "N"]
    offsets = [100, 104, 107, 109, 116, 123, 133]
    value, findings = decode_elements(parts, offsets)
    assert value is None
    assert [(f.code, f.column, f.end_column) for f in findings] == [("DED014", 117, 122)]


# --- encoding refuses, with the element and the amount --------------------------------------

GOOD = VALID_CASES[1][1]


@pytest.mark.parametrize(("change", "element", "words"), [
    ({"case_id": "ZC*146"}, "DED02", "delimiter '*'"),
    ({"case_id": "ZC\\146"}, "DED02", "delimiter '\\\\'"),
    ({"case_id": "X" * 23}, "DED02", "3 over the maximum of 20"),
    ({"case_id": ""}, "DED02", "empty"),
    ({"case_id": " ZC146"}, "DED02", "leading or trailing spaces"),
    ({"case_id": "ZC\t146"}, "DED02", "printable ASCII"),
    ({"amount": 0}, "DED04", "DED09 = Y"),
    ({"amount": -5}, "DED04", "negative"),
    ({"amount": 12_345_678_901}, "DED04", "1 over the maximum of 10"),
    ({"ssn": "123-45-6789"}, "DED05", "9 digits"),
    ({"ssn": ""}, "DED05", "9 digits"),
    ({"medical": "W"}, "DED06", "policy"),
    ({"medical": "y"}, "DED06", "Y, N"),
    ({"name": "ABCDEFGHIJKL"}, "DED07", "2 over the maximum of 10"),
    ({"fips": "401"}, "DED08", "at least 5"),
    ({"fips": "401090"}, "DED08", "5 or 7"),
    ({"application": "XX"}, "DED01", "CS"),
    ({"pay_date": dt.date(2070, 1, 1)}, "DED03", "YYMMDD"),
])
def test_encode_refuses_with_element_and_reason(change: dict[str, object], element: str,
                                                words: str) -> None:
    bad = attrs.evolve(GOOD, **change)  # type: ignore[arg-type]
    with pytest.raises(DedError) as caught:
        encode(bad)
    assert caught.value.element == element
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_encode_refuses_more_than_80_and_says_by_how_much() -> None:
    """Only reachable with a long date: every element at its maximum is 79 in CCD+."""
    widest = Ded("X" * 20, dt.date(2024, 1, 5), 9_999_999_999, SSN, "N", "ABCDEFGHIJ",
                 "4010900", True)
    assert len(encode(widest)) == 79
    with pytest.raises(DedError, match="81 characters, 1 over the limit of 80"):
        encode(widest, long_date=True)


def test_a_medical_w_encodes_under_its_policy() -> None:
    value = Ded("Z", dt.date(2024, 1, 5), 1, SSN, "W")
    assert encode(value, policy=DedPolicy(allow_medical_w=True)).endswith("*W\\")


# --- the name rule --------------------------------------------------------------------------

NAME_CASES = [
    # (last, first, DED07): short last names take a comma, long ones are cut at 7
    ("Smith", "Harry", "SMITH,HARR"),
    ("Washington", "George", "WASHINGGEO"),
    ("Johnson", "Al", "JOHNSONAL"),
    ("Vanderbilt", "Cornelius", "VANDERBCOR"),
    ("Nguyen", "Tran", "NGUYEN,TRA"),
    ("Li", "Mei", "LI,MEI"),
    ("Li", "Christopher", "LI,CHRISTO"),
    ("Ng", "Jo", "NG,JO"),
    ("O'Brien", "Patrick", "OBRIEN,PAT"),
    ("D'Angelo", "Ann", "DANGELOANN"),
    ("Smith-Jones", "Ann", "SMITHJOANN"),
    ("Lee-Ho", "Kim", "LEEHO,KIM"),
    ("De La Cruz", "Maria", "DELACRUMAR"),
    ("King Jr.", "Martin", "KING,MARTI"),
    ("Gates III", "William", "GATES,WILL"),
    ("Peña", "José", "PENA,JOSE"),
    ("smith", "mary ann", "SMITH,MARY"),
    ("Cher", "", "CHER"),
    ("Jr", "Sam", "JR,SAM"),
]


@pytest.mark.parametrize(("last", "first", "expected"), NAME_CASES)
def test_name_rule(last: str, first: str, expected: str) -> None:
    name = abbreviate_name(last, first)
    assert name == expected
    assert len(name) <= 10
    assert decode(seg(*BASE, name))[1] == []


def test_name_rule_refuses_a_last_name_without_letters() -> None:
    with pytest.raises(DedError, match="DED07"):
        abbreviate_name("--", "Ann")


@given(st.text(max_size=30), st.text(max_size=30))
def test_name_rule_output_always_fits(last: str, first: str) -> None:
    try:
        name = abbreviate_name(last, first)
    except DedError:
        return
    assert 1 <= len(name) <= 10
    assert set(name) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ,")


# --- SSN masking ----------------------------------------------------------------------------


@pytest.mark.parametrize(("ssn", "shown"), [
    ("123456789", "***-**-6789"),
    ("123-45-6789", "*******6789"),
    (" ", " "),
    ("", ""),
    ("123", "***"),
])
def test_mask_ssn(ssn: str, shown: str) -> None:
    assert mask_ssn(ssn) == shown


# --- properties -----------------------------------------------------------------------------

NO_PAD = st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="*\\")
ANY = st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters="*\\")


@st.composite
def an_values(draw: st.DrawFn, low: int, high: int) -> str:
    """AN values as the convention wants them: printable, no separators, not padded."""
    size = draw(st.integers(low, high))
    if size == 1:
        return draw(NO_PAD)
    middle = draw(st.text(ANY, min_size=size - 2, max_size=size - 2))
    return draw(NO_PAD) + middle + draw(NO_PAD)


@st.composite
def deds(draw: st.DrawFn) -> Ded:
    terminated = draw(st.booleans())
    return Ded(
        case_id=draw(an_values(1, 20)),
        pay_date=draw(st.dates(dt.date(1970, 1, 1), dt.date(2069, 12, 31))),
        amount=draw(st.integers(0 if terminated else 1, codec.MAX_AMOUNT)),
        ssn=draw(st.text("0123456789", min_size=9, max_size=9)),
        medical=draw(st.sampled_from("YN")),
        name=draw(st.one_of(st.just(""), an_values(1, 10))),
        fips=draw(st.one_of(st.just(""), an_values(5, 5), an_values(7, 7))),
        terminated=terminated,
    )


@given(deds(), st.booleans())
def test_round_trip(value: Ded, long_date: bool) -> None:
    text = encode(value, long_date=long_date)
    decoded, findings = decode(text, long_date=long_date, max_length=None)
    assert decoded == value
    assert all(f.severity == "warning" for f in findings)
    if not long_date:
        assert len(text) <= 80
        assert decode(encode_field(value))[0] == value


@settings(max_examples=300)
@given(st.one_of(
    st.text(max_size=100),
    st.text(alphabet="DEC*S0123456789YNW \\/.,-", max_size=90).map(lambda t: "DED*" + t),
    st.lists(st.text(alphabet="0123456789 AYNcs.-", max_size=12), max_size=12)
      .map(lambda parts: "*".join(["DED", *parts]) + "\\"),
), st.booleans(), st.booleans(), st.integers(0, 5), st.integers(0, 120))
def test_decode_never_raises(text: str, long_date: bool, lenient: bool, start: int,
                             end: int) -> None:
    policy = DedPolicy(allow_medical_w=lenient, allow_blank_ssn=lenient)
    for options in ({}, {"start": start, "end": end}, {"max_length": None}):
        value, findings = decode(text, long_date=long_date, policy=policy,
                                 **options)  # type: ignore[arg-type]
        assert value is not None or any(f.severity == "error" for f in findings)
        for finding in findings:
            assert finding.code in RULES and finding.column is not None


def test_strict_is_the_default_policy() -> None:
    assert DedPolicy() == STRICT


def test_docstring_examples_hold() -> None:
    import doctest

    from nacha_cs import privacy

    result = doctest.testmod(codec)
    assert result.attempted >= 3 and result.failed == 0
    masked = doctest.testmod(privacy)  # mask_ssn moved there, its examples with it
    assert masked.attempted >= 2 and masked.failed == 0


# --- the validator's amount reader agrees with decode ----------------------------------------

AMOUNT_CASES = [
    "DED*CS*ZC146*951024*13547*123456789*N*SMITH,HARR*A4738*Y\\",
    "DED*CS*ZC146*951024*0*123456789*N**A4738*Y\\",  # zero with termination: readable
    "DED*CS*ZC146*951024*0*123456789*N\\",  # zero without termination: not well-formed
    "DED*CS*ZC146*950231*13547*123456789*N\\",  # 31 February
    "DED*CS*ZC146*951024*135.47*123456789*N\\",
    "DED*CS*ZC146*951024*13547* *N\\",
    "DED*CS*ZC146*951024*13547*123456789*W\\",
    "ded*cs*ZC146*951024*13547*123456789*N\\",
    "DED*CS*ZC146*951024*13547*123456789*N/",
]


@pytest.mark.parametrize("segment", AMOUNT_CASES)
@pytest.mark.parametrize("allow_w", [False, True])
def test_amount_reader_says_what_decode_says(segment: str, allow_w: bool) -> None:
    record = "705" + segment.ljust(80) + "00010000001"
    read = codec.amount_reader(allow_medical_w=allow_w, start=3, end=83)
    value, findings = codec.decode(record, policy=DedPolicy(allow_medical_w=allow_w),
                                   start=3, end=83)
    clean = value is not None and not findings
    assert read(record) == (value.amount if clean and value is not None else None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="DEC*S0123456789YNW ,\\/.ABZ", max_size=80))
def test_amount_reader_never_vouches_for_a_segment_decode_faults(text: str) -> None:
    record = "705" + text.ljust(80) + "00010000001"
    amount = codec.amount_reader(start=3, end=83)(record)
    if amount is not None:
        value, findings = codec.decode(record, start=3, end=83)
        assert value is not None and not findings and value.amount == amount


# --- severities of doubtful content (issue 9 item 12) ----------------------------------------
# python-stdnum's rule: calling a valid payment invalid costs more than a doubtful one passing
# with a warning. Each row: segment, decode options, the code, its severity, what is read.

SEVERITY_CASES: list[tuple[str, str, dict[str, object], str, str, dict[str, object] | None]] = [
    ("DED09 = N reads as not terminated", seg(*BASE, "", "", "N"), {}, "DED024", "warning",
     {"terminated": False}),
    ("W inside an 820 of 003070 or later", seg(*BASE[:5], "W"), {"medical_w_defined": True},
     "DED029", "warning", {"medical": "W"}),
    ("W in a CCD+ stays wrong", seg(*BASE[:5], "W"), {}, "DED021", "error", None),
    ("trailing spaces in DED02", seg("CS", "ZC146   ", *BASE[2:]), {}, "DED030", "warning",
     {"case_id": "ZC146"}),
    ("trailing spaces in DED05", seg(*BASE[:4], SSN + "  ", "N"), {}, "DED030", "warning",
     {"ssn": SSN}),
    ("trailing spaces in DED07", seg(*BASE, "SMITH,HARR "), {}, "DED030", "warning",
     {"name": "SMITH,HARR"}),
    ("an all-space DED08 reads as omitted", seg(*BASE, "", "     "), {}, "DED030", "warning",
     {"fips": ""}),
    ("leading spaces break left justification", seg("CS", " ZC146", *BASE[2:]), {}, "DED007",
     "error", None),
    ("a space inside N2 DED04", seg("CS", "Z", "240105", "13547 ", *BASE[4:]), {}, "DED007",
     "error", None),
    ("a space after the DT DED03", seg("CS", "Z", "240105 ", *BASE[3:]), {}, "DED007",
     "error", None),
    ("a blank DED05 is an error by default", GUIDE_SAMPLE, {}, "DED018", "error", None),
    ("a blank DED05 of spaces too", seg(*BASE[:4], "         ", "N"), {}, "DED018", "error",
     None),
    ("a blank DED05 under a lenient policy", GUIDE_SAMPLE,
     {"policy": DedPolicy(allow_blank_ssn=True)}, "DED018", "warning", {"ssn": ""}),
]


@pytest.mark.parametrize(("label", "text", "options", "code", "severity", "read"),
                         SEVERITY_CASES, ids=[c[0] for c in SEVERITY_CASES])
def test_doubtful_content_is_a_warning_and_wrong_content_an_error(
    label: str, text: str, options: dict[str, object], code: str, severity: str,
    read: dict[str, object] | None,
) -> None:
    value, findings = decode(text, **options)  # type: ignore[arg-type]
    assert [(f.code, f.severity) for f in findings] == [(code, severity)], findings
    if read is None:
        assert value is None
    else:
        assert value is not None
        for attr, expected in read.items():
            assert getattr(value, attr) == expected


def test_the_strict_default_refuses_a_blank_ssn_everywhere() -> None:
    assert STRICT.allow_blank_ssn is False
    assert decode_elements(["DED", "CS", "Z", "240105", "1", "", "N"],
                           [0, 4, 7, 9, 16, 18, 19])[0] is None


# --- messages read as plain sentences (issue 9 item 22) --------------------------------------

MESSAGE_CASES: list[tuple[str, str]] = [
    (seg(*BASE[:4], "12345678", "N"),
     "the SSN '****5678' is 8 characters with 8 digits, not 9 digits"),
    (seg(*BASE[:4], "123-45-678", "N"),
     "the SSN '******-678' is 10 characters with 8 digits, not 9 digits; send it without dashes"),
    (seg(*BASE[:4], "   ", "N"), "DED05 (SSN) is 3 spaces"),
    (seg(*BASE[:4], " ", "N"), "DED05 (SSN) is 1 space"),
    (seg(*BASE, "SMITH,HARR", ""), "1 empty element comes before the terminator"),
    (seg(*BASE, "", "", ""), "3 empty elements come before the terminator"),
    (seg(*BASE, "", "4"), "DED08 '4' is 1 character; FIPS code has 5 or 7"),
    (seg(*BASE, "", "401090"), "DED08 '401090' is 6 characters; FIPS code has 5 or 7"),
    (seg("CS", "X" * 21, *BASE[2:]), "DED02 is 21 characters, 1 over the maximum of 20"),
    (seg("CS", "Z", "240105", "1" * 12, *BASE[4:]),
     "the amount has 12 digits, 2 over the maximum of 10"),
    (seg(*BASE, "SMITH,HARR", "40109", "Y", "X"),
     "the segment has 10 elements; 1 element after DED09 is extra"),
    (seg(*BASE, "SMITH,HARR", "40109", "Y", "X", "Z"),
     "the segment has 11 elements; 2 elements after DED09 are extra"),
    (seg(*BASE, "SMITH,HARR   "), "DED07 'SMITH,HARR   ' has 3 trailing spaces; send 'SMITH,HARR'"),
    (seg(*BASE[:5], "N "), "DED06 'N ' ends with 1 space, which an ID element may not hold; "
     "send 'N'"),
    (seg("CS", "Z", "24JA05", *BASE[3:]), "the pay date '24JA05' is not a date written YYMMDD"),
]


@pytest.mark.parametrize(("text", "message"), MESSAGE_CASES)
def test_messages_read_as_plain_sentences(text: str, message: str) -> None:
    assert [f.message for f in decode(text)[1]] == [message]


@pytest.mark.parametrize("text", [c[1] for c in PROBLEM_CASES] + [c[0] for c in MESSAGE_CASES])
def test_no_message_hedges_its_plurals(text: str) -> None:
    """No "element(s)", "1 characters", "blank(s)" or "and more" in any DED message."""
    for finding in decode(text)[1]:
        words = finding.message
        assert "(s)" not in words and " 1 characters" not in words, words
        assert "and more" not in words and not words.startswith(" "), words


# --- one element table drives everything (issue 8 item 4) ------------------------------------


def test_the_table_says_what_the_convention_says() -> None:
    from nacha_cs.codecs.ded_table import ELEMENTS

    assert [(e.id, e.kind, e.min, e.max, e.mandatory) for e in ELEMENTS] == [
        ("DED01", "ID", 2, 2, True), ("DED02", "AN", 1, 20, True), ("DED03", "DT", 6, 6, True),
        ("DED04", "N2", 1, 10, True), ("DED05", "AN", 9, 9, True), ("DED06", "ID", 1, 1, True),
        ("DED07", "AN", 1, 10, False), ("DED08", "AN", 5, 7, False),
        ("DED09", "ID", 1, 1, False),
    ]
    assert codec.MAX_AMOUNT == 10**10 - 1


def test_the_fast_encoder_takes_its_parameters_in_table_order() -> None:
    import inspect

    from nacha_cs.codecs.ded_table import ELEMENTS

    parameters = list(inspect.signature(codec.encode_field_values).parameters)
    assert parameters == [e.attr for e in ELEMENTS[1:]]


@pytest.mark.parametrize(("element", "size", "fast"), [
    ("case_id", 20, True), ("case_id", 21, False), ("name", 10, True), ("name", 11, False),
    ("fips", 5, True), ("fips", 6, False), ("fips", 7, True), ("fips", 8, False),
])
def test_fast_paths_and_slow_path_agree_on_every_table_length(element: str, size: int,
                                                              fast: bool) -> None:
    """Change a length in the table and the fast regex, the fast encoder and the analyser
    move together; this pins them to the same verdict at each edge."""
    value = attrs.evolve(GOOD, **{element: "A" * size})
    text = "*".join(("DED", "CS", value.case_id, "241024", "13547", SSN, "N", value.name,
                     value.fips)).rstrip("*") + "\\"
    assert (codec.decode_well_formed(text) is not None) is fast
    assert (decode(text)[0] is not None) is fast
    if fast:
        assert codec.encode_field_values(value.case_id, value.pay_date, value.amount, SSN, "N",
                                         value.name, value.fips) == encode_field(value)
    else:
        with pytest.raises(DedError):
            codec.encode_field_values(value.case_id, value.pay_date, value.amount, SSN, "N",
                                      value.name, value.fips)
