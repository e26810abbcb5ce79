"""The 820 in a CTX entry: built with agreeing counts, cut into addenda, read back and checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_ded import deds

from nacha_cs.codecs import ctx820
from nacha_cs.codecs.ctx820 import (
    MAX_ADDENDA,
    SLICE,
    BankParty,
    Ctx820Error,
    Envelope,
    TooManyAddenda,
    build_820,
    build_addenda,
    check_for_validator,
    format_amount,
    join_addenda,
    parse_820,
    parse_amount,
    split_addenda,
)
from nacha_cs.codecs.ded import Ded, DedError, DedPolicy
from nacha_cs.codecs.x12 import ACH_DELIMITERS, Delimiters, tokenize
from nacha_cs.findings import RULES
from nacha_cs.validate.profiles import load_profile

SSN = "123456789"
PAY_DATE = dt.date(2024, 10, 24)
PAYMENTS = [
    Ded("ZC146", PAY_DATE, 13547, SSN, "N", "SMITH,HARR", "40109"),
    Ded("987654", PAY_DATE, 5000, "223456789", "Y"),
    Ded("A1", PAY_DATE, 0, "323456789", "N", "", "", True),
]
TOTAL = 18547
OPTIONS: dict[str, object] = {
    "payer": BankParty("ACME PAYROLL", "123456780", "55550001"),
    "payee": BankParty("OK CENTRALIZED SUPPORT", "103000648", "9999000", "SG"),
    "company_id": "1234567890",
    "effective_date": dt.date(2024, 10, 25),
    "trace": "241025000000001",
    "envelope": Envelope("ACMEPAY", "OKSDU", control_number=42),
    "created": dt.datetime(2024, 10, 24, 13, 5),
}
FIRST_LINE = 10


def built(payments: list[Ded] = PAYMENTS, **changes: object) -> str:
    return build_820(payments, **{**OPTIONS, **changes})  # type: ignore[arg-type]


def as_addenda(interchange: str) -> list[tuple[int, str]]:
    return [(FIRST_LINE + i, text) for i, text in enumerate(split_addenda(interchange))]


def parse(interchange: str, entry_amount: int | None = TOTAL,
          **options: object) -> tuple[ctx820.Remittance820 | None, list[ctx820.Finding]]:
    return parse_820(as_addenda(interchange), entry_amount=entry_amount,
                     **options)  # type: ignore[arg-type]


def codes(interchange: str, entry_amount: int | None = TOTAL) -> list[str]:
    return sorted(f.code for f in parse(interchange, entry_amount)[1])


# --- building -------------------------------------------------------------------------------


def test_the_interchange_reads_as_the_convention_describes() -> None:
    text = built()
    tokens = tokenize(text, ACH_DELIMITERS)
    ids = [t.segment.id for t in tokens]
    assert ids == ["ISA", "GS", "ST", "BPR", "TRN", "N1", "N1",
                   "ENT", "DED", "ENT", "DED", "ENT", "DED", "SE", "GE", "IEA"]
    segment = {t.segment.id: t.segment for t in tokens}
    assert segment["GS"].get(1) == "RA" and segment["GS"].get(8) == "004010"
    assert segment["ST"].elements == ("820", "0001")
    assert segment["BPR"].elements == (
        "C", "185.47", "C", "ACH", "CTX", "01", "123456780", "DA", "55550001", "1234567890", "",
        "01", "103000648", "SG", "9999000", "20241025")
    assert segment["SE"].elements == ("12", "0001")  # ST..SE is 6 + 2 per payment
    assert segment["GE"].elements == ("1", "42")
    assert segment["IEA"].elements == ("1", "000000042")
    assert tokens[0].segment.get(13) == "000000042"
    # 004010: DED03 carries the century
    assert "DED*CS*ZC146*20241024*13547*123456789*N*SMITH,HARR*40109\\" in text
    assert "DED*CS*A1*20241024*0*323456789*N***Y\\" in text


def test_older_versions_keep_yymmdd() -> None:
    envelope = attrs.evolve(OPTIONS["envelope"], version="003050")  # type: ignore[misc]
    text = built(envelope=envelope)
    assert "*00305*" in text and "*003050\\" in text
    assert "DED*CS*ZC146*241024*13547*" in text
    remittance, findings = parse(text)
    assert findings == []
    assert remittance is not None and remittance.deds == tuple(PAYMENTS)


def test_version_005010_puts_the_repetition_separator_in_isa11() -> None:
    envelope = attrs.evolve(OPTIONS["envelope"], version="005010")  # type: ignore[misc]
    text = built(envelope=envelope)
    assert text[81:84] == "*^*"
    assert parse(text)[1] == []


def test_addenda_are_80_wide_and_the_last_is_space_filled() -> None:
    text = built()
    addenda = split_addenda(text)
    assert all(len(a) == SLICE for a in addenda)
    assert len(addenda) == -(-len(text) // SLICE)
    assert join_addenda(as_addenda(text)) == text.ljust(len(addenda) * SLICE)
    assert build_addenda(PAYMENTS, **OPTIONS) == addenda  # type: ignore[arg-type]


@pytest.mark.parametrize(("change", "words"), [
    ({"payer": BankParty("ACME", "12345678", "1")}, "payer routing number"),
    ({"payee": BankParty("SDU", "103000648", "")}, "payee account"),
    ({"payee": BankParty("SDU", "103000648", "1", "XX")}, "not DA or SG"),
    ({"company_id": "12345"}, "10 characters"),
    ({"trace": ""}, "TRN02"),
    ({"envelope": Envelope("A" * 16, "B")}, "ISA06/ISA08"),
    ({"envelope": Envelope("A", "B", control_number=0)}, "control number"),
    ({"envelope": Envelope("A", "B", version="004011")}, "not one of"),
    ({"envelope": Envelope("A", "B", usage="X")}, "ISA15"),
    ({"payer": BankParty("ACME*PAYROLL", "123456780", "1")}, "delimiter '*'"),
])
def test_build_refuses_what_cannot_be_sent(change: dict[str, object], words: str) -> None:
    with pytest.raises(Ctx820Error) as caught:
        built(**change)
    assert words in str(caught.value)


def test_build_refuses_no_payments_and_bad_deds() -> None:
    with pytest.raises(Ctx820Error, match="at least one payment"):
        built([])
    with pytest.raises(DedError, match="DED02"):
        built([attrs.evolve(PAYMENTS[0], case_id="A>B")])  # the component separator


def test_amounts_in_bpr() -> None:
    assert format_amount(13547) == "135.47"
    assert format_amount(5) == "0.05"
    assert [parse_amount(t) for t in ("135.47", "135.4", "135", ".5", "1.500", "1.234",
                                      "", ".", "-1", "1,000")] == [
        13547, 13540, 13500, 50, 150, None, None, None, None, None]


# --- parsing --------------------------------------------------------------------------------


def test_round_trip_of_the_sample() -> None:
    remittance, findings = parse(built())
    assert findings == []
    assert remittance == ctx820.Remittance820(
        version="004010", control_number="000000042", amount=TOTAL, payer="ACME PAYROLL",
        payee="OK CENTRALIZED SUPPORT", trace="241025000000001", deds=tuple(PAYMENTS),
        ded_count=3)


def test_other_delimiters_round_trip_and_locate_problems() -> None:
    mine = Delimiters(element="|", component=":", segment="~")
    text = built(delimiters=mine)
    assert text[3] == "|" and text[105] == "~"
    remittance, findings = parse(text)
    assert findings == []
    assert remittance is not None and remittance.deds == tuple(PAYMENTS)
    bad = text.replace("|13547|", "|135.47|")
    _, findings = parse(bad, entry_amount=None)
    (finding,) = findings
    assert finding.code == "DED014"
    assert located(bad, finding) == "135.47"


def located(interchange: str, finding: ctx820.Finding) -> str:
    """The characters a finding points at, read back from its addenda record."""
    records = {line: "705" + text for line, text in as_addenda(interchange)}
    assert finding.line is not None and finding.column is not None
    assert finding.end_column is not None
    return records[finding.line][finding.column - 1:finding.end_column]


def test_a_bad_ded_is_named_on_its_addenda_record() -> None:
    text = built().replace("*223456789*", "*223-45-6789*")
    _, findings = parse(text)
    (finding,) = findings
    assert finding.code == "DED019" and finding.field == "DED05"
    assert located(text, finding) == "223-45-6789"
    assert finding.line is not None and finding.line >= FIRST_LINE
    assert 4 <= finding.column <= 83  # type: ignore[operator]


def test_a_finding_across_two_addenda_stays_on_the_first() -> None:
    text = built()
    start = text.index("*13547*") + 1
    shift = (SLICE - 2 - start) % SLICE  # make "135.47" start two characters before a cut
    padded = text.replace("ACME PAYROLL", "ACME PAYROLL" + "X" * shift)
    bad = padded.replace("*13547*", "*135.47*")
    _, findings = parse(bad, entry_amount=None)
    (finding,) = findings
    assert finding.code == "DED014"
    assert (finding.column, finding.end_column) == (82, 83)


MUTATIONS: list[tuple[str, str, str, int | None, list[str]]] = [
    ("not ISA", "ISA*", "XSA*", TOTAL, ["X12001"]),
    ("ISA too short", "*0*P*>\\", "*0*P>\\", TOTAL, ["X12002"]),
    ("no final terminator", "*000000042\\", "*000000042", TOTAL, ["X12003"]),
    ("text after IEA", "*000000042\\", "*000000042\\REF*ZZ*1\\", TOTAL, ["X12004"]),
    ("GE missing", "GE*1*42\\", "", TOTAL, ["X12005"]),
    ("SE missing", "SE*12*0001\\", "", TOTAL, ["X12005"]),
    ("IEA missing", "IEA*1*000000042\\", "", TOTAL, ["X12005"]),
    ("IEA02 differs", "IEA*1*000000042", "IEA*1*000000043", TOTAL, ["X12006"]),
    ("GE02 differs", "GE*1*42", "GE*1*43", TOTAL, ["X12007"]),
    ("SE02 differs", "SE*12*0001", "SE*12*0002", TOTAL, ["X12008"]),
    ("SE01 wrong", "SE*12*", "SE*11*", TOTAL, ["X12009"]),
    ("GE01 wrong", "GE*1*", "GE*2*", TOTAL, ["X12010"]),
    ("IEA01 wrong", "IEA*1*", "IEA*0*", TOTAL, ["X12011"]),
    ("GS01 not RA", "GS*RA*", "GS*PO*", TOTAL, ["X12012"]),
    ("ST01 not 820", "ST*820*", "ST*810*", TOTAL, ["X12013"]),
    ("BPR after TRN", "BPR*C*185.47*C*ACH*CTX*01*123456780*DA*55550001*1234567890**01*103000648"
     "*SG*9999000*20241025\\TRN*1*241025000000001*1234567890\\",
     "TRN*1*241025000000001*1234567890\\BPR*C*185.47*C*ACH*CTX*01*123456780*DA*55550001"
     "*1234567890**01*103000648*SG*9999000*20241025\\", TOTAL, ["X12014"]),
    ("BPR missing", "BPR*C*185.47*", "REF*C*185.47*", TOTAL, ["X12014"]),
    ("BPR02 not an amount", "*185.47*", "*185.4.7*", TOTAL, ["X12015"]),
    ("BPR02 sub-cent", "*185.47*", "*185.471*", TOTAL, ["X12015"]),
    ("BPR02 vs entry", "*185.47*", "*185.48*", TOTAL + 1, ["X12017"]),
    ("entry vs BPR02", "*185.47*", "*185.47*", TOTAL + 1, ["X12016"]),
    ("DED04 vs BPR02", "*13547*", "*13548*", None, ["X12017"]),
    ("no DED", "*SMITH,HARR*40109\\ENT*2\\DED*", "*SMITH,HARR*40109\\ENT*2\\REF*", None,
     ["X12017"]),
    ("GS08 not ISA12", "*X*004010\\", "*X*004020\\", TOTAL, ["X12019"]),
    ("gap between segments", "\\TRN*", "\\   TRN*", TOTAL, ["X12020"]),
    ("not an ACH credit", "*C*ACH*CTX*", "*D*CHK*CTX*", TOTAL, ["X12021"]),
    ("a DED problem", "*N*SMITH,HARR", "*n*SMITH,HARR", TOTAL, ["DED008"]),
]


@pytest.mark.parametrize(("label", "old", "new", "entry", "expected"), MUTATIONS,
                         ids=[m[0] for m in MUTATIONS])
def test_problems_are_named(label: str, old: str, new: str, entry: int | None,
                            expected: list[str]) -> None:
    original = built()
    assert old in original
    text = original.replace(old, new, 1)
    remittance, findings = parse(text, entry)
    assert sorted(f.code for f in findings) == expected, findings
    for finding in findings:
        assert finding.line is not None and finding.line >= FIRST_LINE
        assert finding.column is not None and 4 <= finding.column <= 83
        assert finding.end_column is not None and finding.column <= finding.end_column <= 83
    if expected[0] in ("X12001", "X12002"):
        assert remittance is None


def test_an_820_without_any_ded() -> None:
    text = built()
    head = text[: text.index("ENT*1")]
    tail = "SE*6*0001\\GE*1*42\\IEA*1*000000042\\"
    assert codes(head.replace("*185.47*", "*0.00*") + tail, entry_amount=0) == ["X12018"]


def test_no_addenda_at_all() -> None:
    remittance, findings = parse_820([])
    assert remittance is None and [f.code for f in findings] == ["X12005"]


def test_every_x12_rule_has_a_case_that_fires_it() -> None:
    fired = {code for *_, expected in MUTATIONS for code in expected} | {"X12018"}
    assert {code for code in RULES if code.startswith("X12")} <= fired


def test_the_validator_entry_point_applies_the_state_policy() -> None:
    text = built([attrs.evolve(PAYMENTS[0], medical="W")], policy=DedPolicy(allow_medical_w=True))
    addenda = as_addenda(text)

    virginia = load_profile("virginia")
    assert virginia.medical_w_allowed
    remittance, findings = check_for_validator(addenda, 13547, virginia)
    assert findings == []
    assert remittance is not None and [p.ded for p in remittance.placed] == [
        attrs.evolve(PAYMENTS[0], medical="W")]
    # no state: W is not agreed, but X12 004010 defines it, so it is doubtful, not wrong
    remittance, findings = check_for_validator(addenda, 13547, None)
    assert [(f.code, f.severity) for f in findings] == [("DED029", "warning")]
    assert remittance is not None and [p.ded for p in remittance.placed] == [
        attrs.evolve(PAYMENTS[0], medical="W")]


@pytest.mark.parametrize(("version", "code", "severity"), [
    ("003050", "DED021", "error"),
    ("003060", "DED021", "error"),
    ("003070", "DED029", "warning"),
    ("004010", "DED029", "warning"),
    ("005010", "DED029", "warning"),
])
def test_medical_w_is_doubtful_only_where_the_820s_version_defines_it(
    version: str, code: str, severity: str
) -> None:
    """X12 added DED06 = W ("does not apply") in 003070; before it W is no code at all."""
    payment = attrs.evolve(PAYMENTS[0], medical="W")
    text = built([payment], policy=DedPolicy(allow_medical_w=True),
                 envelope=Envelope("ACMEPAY", "OKSDU", control_number=42, version=version))
    remittance, findings = parse(text, entry_amount=payment.amount)
    assert [(f.code, f.severity) for f in findings] == [(code, severity)]
    decoded = [p.ded for p in remittance.placed] if remittance else []
    assert decoded == ([payment] if severity == "warning" else [None])


@pytest.mark.parametrize(("text", "message"), [
    ("GE*1*42", "GE01 is '2'; the group holds 1 transaction set"),
    ("IEA*1*", "IEA01 is '0'; the interchange holds 1 group"),
    ("SE*12*", "SE01 is '11'; ST to SE holds 12 segments"),
])
def test_x12_messages_read_as_plain_sentences(text: str, message: str) -> None:
    wrong = {"GE*1*42": "GE*2*42", "IEA*1*": "IEA*0*", "SE*12*": "SE*11*"}[text]
    _, findings = parse(built().replace(text, wrong))
    assert [f.message for f in findings] == [message]


def test_every_ded_is_placed_on_the_addenda_and_columns_where_it_starts() -> None:
    text = built()
    remittance, findings = parse(text)
    assert findings == [] and remittance is not None
    assert [p.ded for p in remittance.placed] == PAYMENTS
    records = {line: "705" + field for line, field in as_addenda(text)}
    segments = [t for t in tokenize(text, ACH_DELIMITERS) if t.segment.id == "DED"]
    # the sample's first and last DEDs run on into the next addenda, the second does not
    assert [(p.line, p.column, p.end_column) for p in remittance.placed] == [
        (14, 28, 83), (15, 11, 50), (15, 57, 83)]
    for placed, token in zip(remittance.placed, segments, strict=True):
        start = token.start
        assert placed.line == FIRST_LINE + start // SLICE
        assert placed.column == start % SLICE + 4
        shown = records[placed.line][placed.column - 1:placed.end_column]
        assert shown.startswith("DED*CS*")
        whole = text[start:token.end + 1]
        # the segment ends in this record (its terminator at end_column) or runs on past 83
        assert shown == whole or (placed.end_column == 83 and whole.startswith(shown))


def test_a_ded_that_does_not_decode_is_placed_without_a_value() -> None:
    text = built().replace("*223456789*", "*22345678*")
    remittance, findings = parse(text)
    assert [f.code for f in findings] == ["DED019"] and remittance is not None
    assert [p.ded for p in remittance.placed] == [PAYMENTS[0], None, PAYMENTS[2]]
    assert remittance.deds == (PAYMENTS[0], PAYMENTS[2]) and remittance.ded_count == 3
    assert remittance.placed[1].line <= findings[0].line  # DED05 sits in or after its DED


# --- limits ---------------------------------------------------------------------------------


def test_exactly_9999_addenda_build_and_parse_one_more_payment_is_refused() -> None:
    """Tune case id lengths so the interchange ends in the 9,999th addenda exactly."""
    one = Ded("C", PAY_DATE, 100, SSN, "N")
    with pytest.raises(TooManyAddenda) as caught:
        build_addenda([one] * 20_000, **OPTIONS)  # type: ignore[arg-type]
    fit = caught.value.fit
    assert caught.value.needed > MAX_ADDENDA and 0 < fit < 20_000
    length = len(built([one] * fit))
    deficit = (MAX_ADDENDA - 1) * SLICE + 1 - length
    assert deficit < 19 * fit  # negative: the 9,999th addenda is already in use
    payments = []
    for _ in range(fit):
        grow = min(19, max(deficit, 0))
        deficit -= grow
        payments.append(attrs.evolve(one, case_id="C" * (1 + grow)))
    addenda = build_addenda(payments, **OPTIONS)  # type: ignore[arg-type]
    assert len(addenda) == MAX_ADDENDA
    remittance, findings = parse_820([(n, a) for n, a in enumerate(addenda, start=3)],
                                     entry_amount=100 * fit)
    assert findings == []
    assert remittance is not None and remittance.deds == tuple(payments)

    with pytest.raises(TooManyAddenda) as caught:
        build_addenda([*payments, one], **OPTIONS)  # type: ignore[arg-type]
    assert caught.value.fit == fit
    assert caught.value.needed == MAX_ADDENDA + 1
    assert str(caught.value) == (
        f"{fit + 1} payments need 10000 addenda records; a CTX entry carries at most 9999. "
        f"The first {fit} payments fit: split the rest into another entry.")


# --- properties -----------------------------------------------------------------------------


def _no_component_separator(value: Ded) -> bool:
    """The 820 reserves ``>`` (ISA16) too; the builder rightly refuses it in a value."""
    return ">" not in value.case_id + value.name + value.fips


@settings(max_examples=40, deadline=None)
@given(st.lists(deds().filter(_no_component_separator), min_size=1, max_size=12),
       st.sampled_from(["004010", "003050"]))
def test_payments_round_trip_through_addenda(payments: list[Ded], version: str) -> None:
    envelope = attrs.evolve(OPTIONS["envelope"], version=version)  # type: ignore[misc]
    addenda = build_addenda(payments, **{**OPTIONS, "envelope": envelope})  # type: ignore[arg-type]
    total = sum(p.amount for p in payments)
    remittance, findings = parse_820(list(enumerate(addenda, start=1)), entry_amount=total)
    assert all(f.severity == "warning" for f in findings)
    assert remittance is not None
    assert remittance.deds == tuple(payments)
    assert remittance.amount == total


@settings(max_examples=200)
@given(st.lists(st.text(max_size=90), max_size=5))
def test_parse_never_raises_on_junk(texts: list[str]) -> None:
    remittance, findings = parse_820(list(enumerate(texts, start=1)), entry_amount=1)
    assert remittance is not None or findings


@settings(max_examples=300)
@given(st.integers(0, 10_000), st.text(max_size=3), st.integers(0, 3))
def test_parse_never_raises_on_a_damaged_820(at: int, insert: str, cut: int) -> None:
    text = built()
    at %= len(text)
    damaged = text[:at] + insert + text[at + cut:]
    _, findings = parse(damaged)
    for finding in findings:
        assert finding.code in RULES
        assert finding.line is not None and finding.column is not None


def test_a_peer_820_with_a_non_ascii_separator(peer_testdata: Path) -> None:
    """moov-io/ach's CTX whose ISA announces ``¦`` between elements: read, not assumed."""
    path = peer_testdata / "moov-ach" / "valid" / "nonascii-ctx-820-latin1.ach"
    lines = path.read_text(encoding="latin-1").splitlines()
    addenda = [(n, line[3:83]) for n, line in enumerate(lines, start=1) if line[:3] == "705"]
    entry_amount = int(lines[2][29:39])
    remittance, findings = parse_820(addenda, entry_amount=entry_amount)
    assert remittance is not None and remittance.payer == "META PLATFORMS INC"
    assert remittance.amount == 135288
    # it carries no DED, and its entry (10,000.00... of test data) disagrees with BPR02
    assert sorted(f.code for f in findings) == ["X12016", "X12018"]
