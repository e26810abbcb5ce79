"""The validator: where findings sit, what they hide (nothing), what they drag along (little),
how options change them, and the ``validate`` / ``rules`` commands as DESIGN.md fixes them.

Files start from the corpus script's valid bases (``scripts/make_corpus.py``) and are changed at
exact columns here, so every expected location below is worked out by hand from FORMAT.md.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from click.testing import CliRunner, Result

from nacha_cs.ach.builder import EntrySpec
from nacha_cs.cli import main
from nacha_cs.findings import RULES, Finding
from nacha_cs.validate.engine import Options, Report, Validator, validate_stream
from nacha_cs.validate.profiles import load_profile

REPO = Path(__file__).resolve().parent.parent


def _load_corpus_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_corpus_for_validate", REPO / "scripts" / "make_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_script()
replace = corpus.replace
replace_in_ded = corpus.replace_in_ded
replace_in_820 = corpus.replace_in_820

NACHA = Options(profile="nacha")
CHILD_SUPPORT = Options()
SSN_1, SSN_2 = "123456789", "234567890"

Edit = Callable[[list[str]], None]


def text_of(lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("latin-1")


def check(lines: list[str], options: Options = CHILD_SUPPORT) -> Report:
    return validate_stream(io.BytesIO(text_of(lines)), options)


def pairs(report: Report) -> set[tuple[str, int | None]]:
    return {(f.code, f.line) for f in report.findings}


def base(name: str = "ccd", *edits: Edit) -> list[str]:
    lines: list[str] = corpus.BASES[name]()
    for edit in edits:
        edit(lines)
    return lines


def debit_base(description: str = "REVERSAL") -> list[str]:
    """One 225 batch with two debits (code 27) carrying DEDs; same layout as the CCD base.

    Described REVERSAL: the only batch that may debit an SDU (CS007).
    """
    entries = tuple(
        EntrySpec("27", corpus.SDU_ROUTING, "9876543210", cents, "IDAHO CHILD SUPPORT",
                  employee, (ded,))
        for cents, ded, employee in ((13547, corpus.DED_1, "EMP0001"),
                                     (20000, corpus.DED_2, "EMP0002"))
    )
    return corpus._lines(
        attrs.evolve(corpus._batch(entries=entries), entry_description=description)
    )


def many_entries_base(count: int) -> list[str]:
    """One batch of ``count`` CCD+ credits of 135.47 with the first DED each."""
    entries = tuple(
        EntrySpec("22", corpus.SDU_ROUTING, "9876543210", 13547, "IDAHO CHILD SUPPORT",
                  f"EMP{n:04d}", (corpus.DED_1,))
        for n in range(count)
    )
    return corpus._lines(corpus._batch(entries=entries))


# --- where a finding sits: code, severity, line, columns, field ---------------------------------

# DED_1 = DED*CS*123456*250102*13547*123456789*N*SMITH,HARR*16001\ starts in column 4 of line 4:
# DED05 is columns 31-39, DED06 column 41; findings about the whole DED mark the field, 4-83.
LOCATED: list[tuple[str, str, Edit, Options, tuple[Any, ...]]] = [
    ("ccd", "creation time letter",
     lambda ls: replace(ls, 1, 30, "0930", "0X30"), CHILD_SUPPORT,
     ("FLD001", "error", 1, 30, 33, "file_creation_time")),
    ("ccd", "destination check digit",
     lambda ls: replace(ls, 1, 4, " 071000301", " 071000302"), CHILD_SUPPORT,
     ("FH001", "error", 1, 4, 13, "immediate_destination")),
    ("ccd", "short file header",
     lambda ls: ls.__setitem__(0, ls[0][:-1]), CHILD_SUPPORT,
     ("FILE002", "error", 1, 94, 94, "record")),
    ("ccd", "effective date on a Saturday",
     lambda ls: replace(ls, 2, 70, "250103", "250104"), CHILD_SUPPORT,
     ("BH004", "warning", 2, 70, 75, "effective_entry_date")),
    ("ccd", "RDFI check digit",
     lambda ls: replace(ls, 3, 12, "1", "2"), CHILD_SUPPORT,
     ("ED003", "error", 3, 12, 12, "check_digit")),
    ("ccd", "non-ASCII byte",
     lambda ls: replace(ls, 3, 59, "O", "\xd6"), CHILD_SUPPORT,
     ("CHR001", "error", 3, 59, 59, None)),
    ("ccd", "addenda entry link",
     lambda ls: replace(ls, 4, 88, "0000001", "0000009"), CHILD_SUPPORT,
     ("AD002", "error", 4, 88, 94, "entry_detail_sequence_number")),
    ("ccd", "DED06 X",
     lambda ls: replace_in_ded(ls, 4, "*N*SMITH", "*X*SMITH"), CHILD_SUPPORT,
     ("DED021", "error", 4, 41, 41, "DED06")),
    ("ccd", "DED05 eight digits",
     lambda ls: replace_in_ded(ls, 4, "*123456789*", "*12345678*"), CHILD_SUPPORT,
     ("DED019", "error", 4, 31, 38, "DED05")),
    ("ccd", "DED04 differs from the entry",
     lambda ls: replace_in_ded(ls, 4, "*13547*", "*13548*"), CHILD_SUPPORT,
     ("CS002", "error", 4, 4, 83, "DED04")),
    ("ccd", "Idaho case format",
     lambda ls: replace_in_ded(ls, 4, "*123456*", "*12345X*"), Options(state=load_profile("idaho")),
     ("ST001", "error", 4, 4, 83, "DED02")),
    ("ccd", "trace backwards",
     lambda ls: (replace(ls, 3, 80, "071000300000001", "071000300000003"),
                 replace(ls, 4, 88, "0000001", "0000003")), CHILD_SUPPORT,
     ("ED007", "error", 5, 80, 94, "trace_number")),
    ("ccd", "batch entry hash",
     lambda ls: (replace(ls, 7, 11, "0004200004", "0004200005"),
                 replace(ls, 8, 22, "0004200004", "0004200005")), CHILD_SUPPORT,
     ("BC002", "error", 7, 11, 20, "entry_hash")),
    ("ccd", "block count",
     lambda ls: replace(ls, 8, 8, "000001", "000002"), CHILD_SUPPORT,
     ("FC002", "error", 8, 8, 13, "block_count")),
    ("ccd", "reserved not blank",
     lambda ls: replace(ls, 8, 60, " ", "X"), CHILD_SUPPORT,
     ("FLD005", "warning", 8, 56, 94, "reserved")),
    ("ctx", "CTX count field",
     lambda ls: replace(ls, 3, 55, "0007", "0008"), CHILD_SUPPORT,
     ("ED011", "error", 3, 55, 58, "number_of_addenda_records")),
    # line 9 of the CTX base holds ENT*2\DED*CS*654321*20250102*20000*234567890*N*JONES,MARY
    # *16001\SE*10*0001\GE*1*: SE02 starts at field offset 6 + 58 + 6 = 70, columns 74-77.
    ("ctx", "SE02 control number",
     lambda ls: replace_in_820(ls, "SE*10*0001", "SE*10*0002"), CHILD_SUPPORT,
     ("X12008", "error", 9, 74, 77, "SE02")),
    # line 6: 820*0001\BPR*C*335.47*... BPR02 at field offset 15, columns 19-24.
    ("ctx", "BPR02 letter",
     lambda ls: replace_in_820(ls, "*335.47*", "*335.4X*"), CHILD_SUPPORT,
     ("X12015", "error", 6, 19, 24, "BPR02")),
    # State rules reach the DEDs of an 820 too, placed where each DED segment sits: the first
    # starts after "O CHILD SUPPORT\ENT*1\" (field offset 22) in line 8 and fills it to 83;
    # the second starts after "ENT*2\" in line 9, columns 10-67 (58 characters).
    ("ctx", "Idaho case format in the 820",
     lambda ls: replace_in_820(ls, "*123456*", "*12345X*"), Options(state=load_profile("idaho")),
     ("ST001", "error", 8, 26, 83, "DED02")),
    ("ctx", "Idaho case format in the 820's second DED",
     lambda ls: replace_in_820(ls, "*654321*", "*65432X*"), Options(state=load_profile("idaho")),
     ("ST001", "error", 9, 10, 67, "DED02")),
    ("ctx", "Idaho FIPS missing in the 820",
     lambda ls: replace_in_820(ls, "JONES,MARY*16001\\", "JONES,MARY\\"),
     Options(state=load_profile("idaho")),
     ("ST002", "error", 9, 10, 61, "DED08")),
    ("ctx", "Oklahoma's FIPS sent to Idaho",
     lambda ls: replace_in_820(ls, "JONES,MARY*16001\\", "JONES,MARY*40109\\"),
     Options(state=load_profile("idaho")),
     ("ST003", "warning", 9, 10, 67, "DED08")),
]


@pytest.mark.parametrize(
    ("base_name", "edit", "options", "expected"),
    [pytest.param(b, e, o, x, id=name) for b, name, e, o, x in LOCATED],
)
def test_a_finding_names_its_line_columns_and_field(
    base_name: str, edit: Edit, options: Options, expected: tuple[Any, ...]
) -> None:
    report = check(base(base_name, edit), options)
    located = [
        (f.code, f.severity, f.line, f.column, f.end_column, f.field) for f in report.findings
    ]
    assert located == [expected]
    finding = report.findings[0]
    assert finding.message and finding.hint == RULES[finding.code].hint


def test_file_level_findings_have_no_location() -> None:
    report = validate_stream(io.BytesIO(b""), CHILD_SUPPORT)
    assert [(f.code, f.line, f.column, f.field) for f in report.findings] == [
        ("FILE001", None, None, None)
    ]


# --- one bad record never hides the rest ----------------------------------------------------------


def test_every_defect_of_a_file_is_reported_in_one_pass() -> None:
    lines = base(
        "two-batch",
        lambda ls: replace(ls, 1, 24, "250102", "250230"),  # FH003 line 1
        lambda ls: replace(ls, 3, 12, "1", "2"),  # ED003 line 3 ...
        lambda ls: replace(ls, 3, 79, "1", "0"),  # ... and ED009 on the same record
        lambda ls: replace(ls, 6, 84, "0001", "0002"),  # AD001 line 6
        lambda ls: replace_in_ded(ls, 10, "*N*SMITH", "*X*SMITH"),  # DED021 line 10
        lambda ls: replace(ls, 11, 80, "071000300000004", "071000310000004"),  # ED006 line 11
        lambda ls: replace(ls, 14, 32, "000000000000", "000000000100"),  # FC005 line 14
    )
    assert pairs(check(lines)) == {
        ("FH003", 1), ("ED003", 3), ("ED009", 3), ("AD001", 6), ("DED021", 10),
        ("ED006", 11), ("FC005", 14),
    }


def test_a_broken_record_does_not_stop_the_records_after_it() -> None:
    lines = base("ccd", lambda ls: ls.__setitem__(2, "6" + "\x00" * 40))
    lines[5] = lines[5][:83] + "0002" + lines[5][87:]  # AD001 on the second addenda
    found = pairs(check(lines))
    assert {("FILE002", 3), ("CHR002", 3), ("AD001", 6)} <= found


def test_findings_stream_to_a_sink_as_they_are_found() -> None:
    seen: list[Finding] = []
    validator = Validator(CHILD_SUPPORT, sink=seen.append)
    lines = base("ccd", lambda ls: replace(ls, 3, 12, "1", "2"))
    validator.feed(1, lines[0])
    validator.feed(2, lines[1])
    validator.feed(3, lines[2])
    assert [f.code for f in seen] == ["ED003"]
    for number, line in enumerate(lines[3:], start=4):
        validator.feed(number, line)
    summary = validator.finish()
    assert [f.code for f in seen] == ["ED003"]
    assert (summary.batches, summary.entries, summary.addenda) == (1, 2, 2)
    assert (summary.total_debit, summary.total_credit) == (0, 33547)


# --- knock-on findings kept few ------------------------------------------------------------------


def _first_amount_changed(lines: list[str]) -> None:
    """The first entry's amount 135.47 -> 136.47; controls and DED left as they were."""
    replace(lines, 3, 30, "0000013547", "0000013647")


_credit_amount_changed = _first_amount_changed


@pytest.mark.parametrize(
    ("make", "options", "expected"),
    [
        (lambda: base("ccd", _credit_amount_changed), CHILD_SUPPORT, {("BC004", 7), ("CS002", 4)}),
        (lambda: base("ccd", _credit_amount_changed), NACHA, {("BC004", 7)}),
        (debit_base, CHILD_SUPPORT, set()),
        (lambda: _apply(debit_base(), _first_amount_changed), CHILD_SUPPORT,
         {("BC003", 7), ("CS002", 4)}),
        (lambda: _apply(debit_base(), _first_amount_changed), NACHA, {("BC003", 7)}),
    ],
    ids=["credit", "credit-nacha", "debit-base-clean", "debit", "debit-nacha"],
)
def test_a_changed_amount_is_one_batch_finding_and_no_file_finding(
    make: Callable[[], list[str]], options: Options, expected: set[tuple[str, int]]
) -> None:
    assert pairs(check(make(), options)) == expected


def _apply(lines: list[str], edit: Edit) -> list[str]:
    edit(lines)
    return lines


def test_a_wrong_batch_control_does_not_spill_into_the_file_control() -> None:
    lines = base("ccd", lambda ls: replace(ls, 7, 33, "000000033547", "000000033548"))
    # the file control now disagrees with the batch control as written, and says so once
    assert pairs(check(lines)) == {("BC004", 7), ("FC006", 8)}


def test_a_missing_entry_costs_the_batch_not_the_file() -> None:
    lines = base("ccd")
    del lines[4:6]  # the second entry and its addenda: the batch control moves to line 5
    lines.extend([corpus.PADDING] * 2)
    assert pairs(check(lines)) == {("BC001", 5), ("BC002", 5), ("BC004", 5)}


# --- options: disabled codes, profiles, state, strict -----------------------------------------


def test_disabled_codes_are_not_reported() -> None:
    lines = base("ccd", _credit_amount_changed)
    report = check(lines, Options(disabled=frozenset({"BC004"})))
    assert pairs(report) == {("CS002", 4)}
    assert pairs(check(lines, Options(disabled=frozenset({"BC004", "CS002"})))) == set()


def test_disabling_a_child_rule_of_the_820_works_too() -> None:
    lines = base("ctx", lambda ls: replace_in_820(ls, "SE*10*0001", "SE*10*0002"))
    assert pairs(check(lines, Options(disabled=frozenset({"X12008"})))) == set()


def test_the_nacha_profile_treats_addenda_as_opaque() -> None:
    broken_ded = base(
        "ccd",
        lambda ls: replace_in_ded(ls, 4, corpus.DED_1, "FREE TEXT, NOT A DED"),
        lambda ls: replace_in_ded(ls, 6, "*20000*", "*20001*"),
    )
    assert pairs(check(broken_ded)) == {("DED001", 4), ("CS002", 6)}
    assert pairs(check(broken_ded, NACHA)) == set()
    broken_820 = base("ctx", lambda ls: replace_in_820(ls, "ISA*00*", "IXA*00*"))
    assert pairs(check(broken_820)) == {("X12001", 4)}
    assert pairs(check(broken_820, NACHA)) == set()


def test_the_nacha_profile_reports_no_child_support_rule_on_any_corpus_file() -> None:
    for path in sorted((REPO / "fixtures" / "invalid").glob("*.ach")):
        with open(path, "rb") as stream:
            report = validate_stream(stream, NACHA)
        profiles = {RULES[f.code].profile for f in report.findings}
        assert profiles <= {"nacha"}, path.name


def test_a_credit_without_ded_is_a_child_support_error_only() -> None:
    lines = base("ccd")
    del lines[5]
    replace(lines, 5, 79, "1", "0")
    replace(lines, 6, 5, "000004", "000003")
    replace(lines, 7, 14, "00000004", "00000003")
    lines.append(corpus.PADDING)
    report = check(lines)
    assert [(f.code, f.severity, f.line) for f in report.findings] == [("CS001", "error", 5)]
    assert not report.valid()
    assert check(lines, NACHA).findings == []


def test_state_profiles_add_their_checks() -> None:
    virginia, idaho = load_profile("virginia"), load_profile("idaho")
    medical_w = base("ccd", lambda ls: replace_in_ded(ls, 4, "*N*SMITH", "*W*SMITH"))
    assert pairs(check(medical_w)) == {("DED021", 4)}
    # Virginia accepts W; what it still says is that the base's FIPS codes (16001) are Idaho's
    assert pairs(check(medical_w, Options(state=virginia))) == {("ST003", 4), ("ST003", 6)}
    okla_case = base("ccd", lambda ls: replace_in_ded(ls, 4, "*123456*", "*ZC146*"))
    assert pairs(check(okla_case)) == set()
    assert pairs(check(okla_case, Options(state=idaho))) == {("ST001", 4)}


def test_state_profiles_check_every_ded_of_an_820() -> None:
    """The task's case: Oklahoma-style case ZC146 and no FIPS inside a CTX, under Idaho."""
    idaho = Options(state=load_profile("idaho"))
    lines = base(
        "ctx",
        lambda ls: replace_in_820(ls, "*123456*", "*ZC146*"),
        lambda ls: replace_in_820(ls, "*16001\\", "\\", count=2),
    )
    assert pairs(check(lines)) == set()
    report = check(lines, idaho)
    # The first DED shrinks to 51 characters (columns 26-76 of line 8); ENT*2\ follows at
    # 77-82, so the second DED starts in the last column of line 8 and runs on into line 9.
    assert [(f.code, f.line, f.column, f.end_column, f.field) for f in report.findings] == [
        ("ST001", 8, 26, 76, "DED02"), ("ST002", 8, 26, 76, "DED08"),
        ("ST002", 8, 83, 83, "DED08")]
    assert "'ZC146'" in report.findings[0].message and "six digits" in report.findings[0].message


def test_an_unidentified_payment_is_named_in_ccd_plus_and_in_an_820() -> None:
    """An SDU accepting a blank SSN (DED018 turns into a warning; no shipped state does); with
    no name either, the payment names no employee: CS003, on the addenda (CCD+) or where the
    DED sits (CTX)."""
    oklahoma = Options(state=load_profile(str(REPO / "fixtures/profiles/blank-ssn-allowed.toml")))
    ccd = base("ccd", lambda ls: replace_in_ded(ls, 4, "*123456789*N*SMITH,HARR*", "**N**"))
    assert [(f.code, f.severity, f.line, f.column, f.end_column) for f in
            check(ccd, oklahoma).findings] == [
        ("DED018", "warning", 4, 31, 31), ("CS003", "error", 4, 4, 83)]
    assert pairs(check(ccd)) == {("DED018", 4)}  # strict: the DED does not decode at all
    named = base("ccd", lambda ls: replace_in_ded(ls, 4, "*123456789*", "**"))
    assert pairs(check(named, oklahoma)) == {("DED018", 4)}  # the name identifies the employee
    ctx = base("ctx", lambda ls: replace_in_820(ls, "*234567890*N*JONES,MARY*", "**N**"))
    report = check(ctx, oklahoma)
    assert [(f.code, f.severity, f.line) for f in report.findings] == [
        ("DED018", "warning", 9), ("CS003", "error", 9)]
    assert (report.findings[1].column, report.findings[1].end_column) == (10, 48)


def test_strict_counts_warnings() -> None:
    report = check(base("ccd", lambda ls: replace(ls, 2, 70, "250103", "250104")))
    assert (report.errors, report.warnings) == (0, 1)
    assert report.valid() is True
    assert report.valid(strict=True) is False
    clean = check(base("ccd"))
    assert clean.valid(strict=True) is True


def test_ed012_fires_on_a_ctx_entry_with_10000_addenda() -> None:
    """The corpus leaves ED012 out (a 1 MB file); here it is made on the fly."""
    lines = base("ctx")
    header, entry, control = lines[:2], lines[2], lines[10]
    count = 10_000
    addenda = [
        f"705{'REMITTANCE':<80}{n % 10_000:04d}0000001" for n in range(1, count + 1)
    ]
    entry = entry[:54] + "9999" + entry[58:]
    control = control[:4] + f"{count + 1:06d}" + control[10:]
    file_control = lines[11][:7] + "001001" + f"{count + 1:08d}" + lines[11][21:]
    records = [*header, entry, *addenda, control, file_control]
    records += [corpus.PADDING] * (-len(records) % 10)
    report = check(records, NACHA)
    # the 10,000th addenda's sequence number cannot be written in four digits (0000)
    assert pairs(report) == {("ED011", 3), ("ED012", 3), ("AD001", 10_003)}


# --- the validate command ------------------------------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_bytes(text_of(lines))
    return path


def invoke(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception
    )
    assert "Traceback" not in result.output
    return result


FILE_KEYS = {"path", "valid", "errors", "warnings", "summary", "findings"}
SUMMARY_KEYS = {"batches", "entries", "addenda", "total_debit", "total_credit"}
FINDING_KEYS = {"code", "severity", "line", "column", "field", "message"}


def assert_design_shape(document: Any) -> None:
    assert isinstance(document, dict) and set(document) == {"files"}
    assert isinstance(document["files"], list)
    for entry in document["files"]:
        assert set(entry) == FILE_KEYS
        assert isinstance(entry["path"], str)
        assert type(entry["valid"]) is bool
        assert type(entry["errors"]) is int and type(entry["warnings"]) is int
        assert set(entry["summary"]) == SUMMARY_KEYS
        assert all(type(v) is int for v in entry["summary"].values())
        assert isinstance(entry["findings"], list)
        for finding in entry["findings"]:
            assert set(finding) == FINDING_KEYS
            assert isinstance(finding["code"], str) and finding["code"] in RULES
            assert finding["severity"] in ("error", "warning")
            assert finding["line"] is None or type(finding["line"]) is int
            assert finding["column"] is None or type(finding["column"]) is int
            assert finding["field"] is None or isinstance(finding["field"], str)
            assert isinstance(finding["message"], str) and finding["message"]
        severities = [f["severity"] for f in entry["findings"]]
        assert entry["errors"] == severities.count("error")
        assert entry["warnings"] == severities.count("warning")


def test_json_output_follows_design_md(runner: CliRunner, tmp_path: Path) -> None:
    good = write(tmp_path, "good.ach", base("ccd"))
    wrong = write(tmp_path, "wrong.ach", base("ccd", _credit_amount_changed))
    result = invoke(runner, "validate", "--format", "json", str(good), str(wrong))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert_design_shape(document)
    first, second = document["files"]
    assert first == {
        "path": str(good),
        "valid": True,
        "errors": 0,
        "warnings": 0,
        "summary": {"batches": 1, "entries": 2, "addenda": 2, "total_debit": 0,
                    "total_credit": 33547},
        "findings": [],
    }
    assert second["path"] == str(wrong) and second["valid"] is False
    assert second["summary"]["total_credit"] == 33647
    assert sorted((f["code"], f["line"], f["column"], f["field"]) for f in second["findings"]) == [
        ("BC004", 7, 33, "total_credit_amount"),
        ("CS002", 4, 4, "DED04"),
    ]


def test_json_output_of_a_file_level_finding_has_nulls(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.ach"
    empty.write_bytes(b"")
    result = invoke(runner, "validate", "--format", "json", str(empty))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert_design_shape(document)
    (finding,) = document["files"][0]["findings"]
    assert (finding["code"], finding["line"], finding["column"], finding["field"]) == (
        "FILE001", None, None, None
    )


@pytest.mark.parametrize(
    ("lines", "args", "code"),
    [
        (lambda: base("ccd"), [], 0),
        (lambda: base("ccd", lambda ls: replace(ls, 2, 70, "250103", "250104")), [], 0),
        (lambda: base("ccd", lambda ls: replace(ls, 2, 70, "250103", "250104")),
         ["--strict"], 1),
        (lambda: base("ccd", _credit_amount_changed), [], 1),
        (lambda: base("ccd", _credit_amount_changed), ["--disable", "BC004",
                                                       "--disable", "cs002"], 0),
        (lambda: base("ccd", lambda ls: replace_in_ded(ls, 4, "*13547*", "*13548*")),
         ["--profile", "nacha"], 0),
        (lambda: base("ccd", lambda ls: replace_in_ded(ls, 4, "*123456*", "*12345X*")),
         ["--state", "idaho"], 1),
    ],
    ids=["valid", "warning", "warning-strict", "error", "error-disabled", "ded-under-nacha",
         "idaho"],
)
@pytest.mark.parametrize("output", ["text", "json"])
def test_exit_codes(
    runner: CliRunner, tmp_path: Path, lines: Callable[[], list[str]], args: list[str],
    code: int, output: str,
) -> None:
    path = write(tmp_path, "file.ach", lines())
    result = invoke(runner, "validate", "--format", output, *args, str(path))
    assert result.exit_code == code, result.output
    if output == "json":
        document = json.loads(result.stdout)
        assert_design_shape(document)
        assert document["files"][0]["valid"] is (code == 0)


def test_an_unreadable_path_exits_2_with_a_message(runner: CliRunner, tmp_path: Path) -> None:
    good = write(tmp_path, "good.ach", base("ccd"))
    missing = tmp_path / "missing.ach"
    result = invoke(runner, "validate", "--format", "json", str(missing), str(good))
    assert result.exit_code == 2
    assert "missing.ach" in result.stderr
    document = json.loads(result.stdout)  # the readable file is still reported
    assert_design_shape(document)  # and the unreadable one too, with its reason
    assert [f["path"] for f in document["files"]] == [str(missing), str(good)]
    assert document["files"][0]["valid"] is False
    assert document["files"][0]["findings"][0]["code"] == "IO001"


def test_a_path_without_read_permission_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    locked = write(tmp_path, "locked.ach", base("ccd"))
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running with privileges that ignore file permissions")
        result = invoke(runner, "validate", str(locked))
        assert result.exit_code == 2
        assert "locked.ach" in result.stderr
    finally:
        locked.chmod(0o600)


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "--disable", "NOPE999", "x.ach"],
        ["validate", "--profile", "bank", "x.ach"],
        ["validate", "--state", "atlantis", "x.ach"],
        ["validate", "--format", "xml", "x.ach"],
        ["validate", "."],
    ],
    ids=["no-path", "unknown-code", "unknown-profile", "unknown-state", "unknown-format",
         "directory"],
)
def test_usage_errors_exit_2(
    runner: CliRunner, tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "x.ach", base("ccd"))
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, *args)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_the_installed_entry_point_never_shows_a_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.ach"
    junk.write_bytes(bytes(range(256)) * 3)
    done = subprocess.run(
        [sys.executable, "-m", "nacha_cs", "validate", str(junk), str(tmp_path / "nope")],
        capture_output=True, text=True, check=False, cwd=REPO, timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr


# --- text output: the record, the marks, folding, SSNs ---------------------------------------


def test_text_output_shows_the_record_and_marks_the_columns(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write(tmp_path, "f.ach", base("ccd", lambda ls: replace(ls, 3, 12, "1", "2")))
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    (record,) = [line for line in lines if line.rstrip().endswith("1071000300000001")
                 and "| 622" in line]
    marks = lines[lines.index(record) + 1]
    start = record.index("| ") + 2
    assert marks[start:].rstrip() == " " * 11 + "^"  # column 12
    assert "ED003" in result.stdout and "line 3" in result.stdout and "check_digit" in result.stdout


def test_long_runs_of_one_finding_are_folded(runner: CliRunner, tmp_path: Path) -> None:
    lines = many_entries_base(8)
    for index in range(8):
        number = 3 + 2 * index
        replace(lines, number, 12, "1", "2")
    path = write(tmp_path, "many.ach", lines)
    result = invoke(runner, "validate", str(path))
    # one group per rule: its title with the count, then the first five, then the fold
    assert result.stdout.count("ED003 error - ") == 1
    assert "(8)" in result.stdout
    assert result.stdout.count(", check_digit: ") == 5
    assert "... and 3 more" in result.stdout
    fewer = invoke(runner, "validate", "--max-per-rule", "2", str(path))
    assert fewer.stdout.count(", check_digit: ") == 2
    assert "... and 6 more" in fewer.stdout
    as_json = invoke(runner, "validate", "--format", "json", str(path))
    assert len(json.loads(as_json.stdout)["files"][0]["findings"]) == 8


def _ssn_file(tmp_path: Path) -> Path:
    """Findings on both DED addenda, so text output shows both records with their SSNs."""
    return write(tmp_path, "ssn.ach", base(
        "ccd",
        lambda ls: replace_in_ded(ls, 4, "*N*SMITH", "*X*SMITH"),
        lambda ls: replace_in_ded(ls, 6, "*20000*", "*20001*"),
    ))


@pytest.mark.parametrize("output", ["text", "json"])
def test_ssns_are_masked_unless_asked_for(
    runner: CliRunner, tmp_path: Path, output: str
) -> None:
    path = _ssn_file(tmp_path)
    masked = invoke(runner, "validate", "--format", output, str(path))
    assert masked.exit_code == 1
    for ssn in (SSN_1, SSN_2):
        assert ssn not in masked.output
    if output == "text":
        assert "*****6789" in masked.stdout and "*****7890" in masked.stdout
        full = invoke(runner, "validate", "--full-ssn", str(path))
        assert SSN_1 in full.stdout and SSN_2 in full.stdout


def test_the_masked_record_keeps_its_columns(runner: CliRunner, tmp_path: Path) -> None:
    path = _ssn_file(tmp_path)
    masked = invoke(runner, "validate", str(path)).stdout.splitlines()
    full = invoke(runner, "validate", "--full-ssn", str(path)).stdout.splitlines()
    records = [line for line in masked if "| 705" in line]
    assert records and all(len(line) == len(records[0]) for line in records)
    assert len(masked) == len(full)


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_padded_ssn_is_masked_in_the_message(
    runner: CliRunner, tmp_path: Path, output: str
) -> None:
    path = write(tmp_path, "pad.ach", base(
        "ccd", lambda ls: replace_in_ded(ls, 4, "*123456789*", "* 123456789*")
    ))
    result = invoke(runner, "validate", "--format", output, str(path))
    assert result.exit_code == 1 and "DED007" in result.output
    assert SSN_1 not in result.output


def test_an_ssn_split_from_its_ded_across_ctx_addenda_is_masked(
    runner: CliRunner, tmp_path: Path
) -> None:
    lines = base(
        "ctx",
        lambda ls: replace_in_820(ls, "N1*PE*IDAHO CHILD SUPPORT\\",
                                  "N1*PE*IDAHO CHILD SUPPORT ENFORCEMENT UNIT AND RECEIPTING\\"),
        lambda ls: replace_in_820(ls, "*654321*", "*65432100000000000000*"),
        lambda ls: replace_in_820(ls, "*234567890*N*", "*234567890*X*"),
    )
    assert lines[9][3:20] == "*234567890*X*JONE"  # the SSN opens an addenda of its own
    path = write(tmp_path, "ctx.ach", lines)
    result = invoke(runner, "validate", str(path))
    assert "DED021" in result.stdout
    assert SSN_2 not in result.stdout


# --- the rules command -----------------------------------------------------------------------


def test_rules_json_lists_every_code(runner: CliRunner) -> None:
    result = invoke(runner, "rules", "--json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    codes = [r["code"] for r in listed]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(RULES)
    for item in listed:
        rule = RULES[item["code"]]
        assert item["severity"] == rule.severity in ("error", "warning")
        assert item["title"] == rule.title and item["title"]
        assert item["hint"] == rule.hint and item["hint"]
        assert item["profile"] in ("nacha", "child-support")


def test_rules_in_a_fresh_process_include_every_file_rule() -> None:
    """Nothing registers late: the command lists the X12 rules before any CTX is read."""
    done = subprocess.run(
        [sys.executable, "-m", "nacha_cs", "rules", "--json"],
        capture_output=True, text=True, check=True, cwd=REPO, timeout=60,
    )
    listed = {r["code"] for r in json.loads(done.stdout)}
    file_rules = {c for c in RULES if not c.startswith(("PAY", "GEN"))}
    assert file_rules <= listed
    # the payroll-input rules of the generator are part of the catalogue too
    assert {"PAY001", "GEN001"} <= listed


def test_rules_table(runner: CliRunner) -> None:
    result = invoke(runner, "rules")
    assert result.exit_code == 0
    for code in ("FILE001", "BC004", "DED021", "X12009"):
        assert code in result.stdout


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, like standard input."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_duplicate_traces_are_found_on_seekable_and_unseekable_streams() -> None:
    """A file is read twice only when batch trace ranges overlap; a pipe keeps the traces."""
    data = (REPO / "fixtures" / "invalid" / "ED008-trace-reused-across-batches.ach").read_bytes()
    from_file = validate_stream(io.BytesIO(data))
    from_pipe = validate_stream(io.BufferedReader(_Pipe(data)))
    duplicates = [(f.code, f.line) for f in from_file.findings if f.code == "ED008"]
    assert duplicates and duplicates == [
        (f.code, f.line) for f in from_pipe.findings if f.code == "ED008"
    ]


# --- verdicts (issue 9, items 7-11): each severity with the rule that decides it -------------


def severities(report: Report) -> set[tuple[str, str, int | None]]:
    return {(f.code, f.severity, f.line) for f in report.findings}


def test_a_superscript_digit_is_a_finding_not_a_traceback() -> None:
    """'²' (0xB2) is a digit to str.isdigit; int() then raised inside the validator."""
    for column in (5, 31):
        lines = base("ccd")
        lines[2] = lines[2][: column - 1] + "\xb2" + lines[2][column:]
        report = check(lines)
        assert ("FLD001", "error", 3) in severities(report)
        assert ("CHR001", "error", 3) in severities(report)


@pytest.mark.parametrize(("modifier", "verdict"), [("a", "error"), ("z", "error"), ("Z", None),
                                                   ("9", None), ("*", "error")])
def test_the_file_id_modifier_is_uppercase_or_a_digit(modifier: str, verdict: str | None) -> None:
    """NACHA Appendix Three, File Header field 7: upper-case A-Z, numeric 0-9."""
    report = check(base("ccd", lambda ls: replace(ls, 1, 34, "A", modifier)))
    assert severities(report) == ({("FH005", verdict, 1)} if verdict else set())


@pytest.mark.parametrize("sec", ["ccd", "Ccd", "XYZ", "CC "])
def test_lowercase_or_unknown_sec_codes_are_errors(sec: str) -> None:
    report = check(base("ccd", lambda ls: replace(ls, 2, 51, "CCD", sec)), NACHA)
    assert severities(report) == {("BH002", "error", 2)}


@pytest.mark.parametrize("sec", ["PPD", "WEB", "TEL", "IAT", "COR"])
def test_other_nacha_sec_codes_are_said_once_to_be_checked_for_structure_only(sec: str) -> None:
    lines = corpus.two_batch_base()
    for line, text in enumerate(lines, start=1):
        if text.startswith("5"):
            replace(lines, line, 51, "CCD", sec)
    found = [f for f in check(lines, NACHA).findings if f.code == "BH008"]
    assert [(f.severity, f.line) for f in found] == [("warning", 2)]


def test_a_trace_repeated_within_a_batch_is_an_error_across_batches_a_warning() -> None:
    """NACHA Appendix Three, Entry Detail field Trace Number: ascending (so unique) within a
    batch; nothing in the rules forbids the same trace in another batch of the file."""
    within = base("ccd", lambda ls: (replace(ls, 5, 80, "071000300000002", "071000300000001"),
                                     replace(ls, 6, 88, "0000002", "0000001")))
    assert ("ED007", "error", 5) in severities(check(within))
    across = corpus.two_batch_base()
    replace(across, 9, 80, "071000300000003", "071000300000001")
    replace(across, 10, 88, "0000003", "0000001")
    assert severities(check(across)) == {("ED008", "warning", 9)}


def test_debits_to_the_sdu_are_errors_unless_the_batch_is_a_reversal() -> None:
    assert check(debit_base("REVERSAL")).findings == []
    report = check(debit_base("CHILD SUPP"))
    assert severities(report) == {("CS007", "error", 3), ("CS007", "error", 5)}
    assert check(debit_base("CHILD SUPP"), NACHA).findings == []
    pure = check(debit_base("CHILD SUPP"), attrs.evolve(CHILD_SUPPORT, pure=True))
    assert pure.findings == report.findings


def test_a_live_credit_other_than_22_without_a_ded_is_an_error() -> None:
    lines = base("ccd")
    del lines[5]
    replace(lines, 5, 2, "22", "32")  # savings credit
    replace(lines, 5, 79, "1", "0")
    replace(lines, 6, 5, "000004", "000003")
    replace(lines, 7, 14, "00000004", "00000003")
    lines.append(corpus.PADDING)
    assert severities(check(lines)) == {("CS001", "error", 5)}
