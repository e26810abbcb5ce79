"""moov-io/ach's own test files: from ../shared/peer-testdata, and (validated under the NACHA
profile at the end of this module) the per-SEC read files in fixtures/peer/moov-ach.

What we expect of them, file by file:

* valid/: the eleven files that are all ASCII and keep their trailing blanks read with no finding
  and write back byte for byte. Four files moov accepts are defective as bytes, and the reader
  says where (moov trims or tolerates these; we report them):
  - txp-credit.ach: the batch header's descriptive and effective dates sit two columns late
    (columns 70-75 hold '16    '), and the file control lost its 39 trailing blanks (55 long);
  - txp-debit.ach: the addenda's payment information is 78 characters, so the addenda and entry
    detail sequence numbers sit two columns early (columns 88-94 hold '00001  ');
  - nonascii-ctx-820-*.ach: trailing blanks trimmed from the file header and file control, the
    CTX receiver name runs into the reserved columns 75-76, and in the UTF-8 copy every '¦' is
    two bytes, which shifts the rest of its record.
* invalid/: the structural defects the reader owns are found at their lines; content defects
  (names of zeros, control totals that disagree) are the validator's, and the reader reads those
  files without a finding.
* crashers/: read without an exception, with error findings.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from nacha_cs.ach.reader import read_file, read_stream
from nacha_cs.ach.writer import render
from nacha_cs.findings import count_errors
from nacha_cs.validate import Options, validate_path

MOOV = "moov-ach"

CLEAN_VALID = [
    "016461532850569c045ce6e1056e3d49b95727d1.ach",
    "044f121c5da6ff398d22b6ca8679239a13270594.ach",
    "2b5a940e6b5bcc9f2753d31ea6309d1f49b21891.ach",
    "44a858e07e89fb0b24bcfdda733070f38ef1e889.ach",
    "54fa1e16738209076a14548ff3dd061ef2e671a1.ach",
    "9bb2e883c8cfa2bfc73f433fcac11a7e90f8d6e5.ach",
    "a6ce094411be256f495f6135d5089b9d9533fa27.ach",
    "bfd6b648c4b4e2d1581a0767740233f2c67cebea.ach",
    "ccd-debit.ach",
    "ctx-debit.ach",
    "e2ef49fe5fa2b676feff5f3669d5fffb99e22cdc.ach",
]

# (code, line, field) the reader reports for the valid files that are defective as bytes.
DEFECTIVE_VALID = {
    "txp-credit.ach": [
        ("FLD001", 2, "effective_entry_date"),
        ("FILE002", 6, "record"),
    ],
    "txp-debit.ach": [("FLD001", 4, "entry_detail_sequence_number")],
    "nonascii-ctx-820-latin1.ach": [
        ("FILE002", 1, "record"),
        ("FLD005", 3, "reserved"),
        ("FILE002", 17, "record"),
    ],
}

INVALID = {
    # a batch starts before the file header; the header arrives at line 4
    "1e5RecordBefore1or8.txt": [("FILE008", 1), ("FILE004", 4)],
    # the file control at line 10 (trimmed to 57) cuts the second batch short; its batch
    # control follows the file control at line 11, run together with blanks to 131 characters
    "1k8RecordFollowing9Record.txt": [
        ("FILE002", 10),
        ("FILE005", 10),
        ("FILE002", 11),
        ("FILE007", 11),
    ],
    "1qFormatCodeIncorrect.txt": [("FLD004", 1)],
    # content rules, not structure: the validator's business
    "2lCompanyNameAllZeros.txt": [],
    "2mCompanyEntryDescAllZeros.txt": [],
    "3fTELIndvNameAllZeros.txt": [],
    "3fTELIndvNameAllBlank.txt": [("FLD003", 8), ("FLD003", 9)],
    "issue1620-batch-count.ach": [],
}


def moov(peer_testdata: Path, folder: str) -> Path:
    path = peer_testdata / MOOV / folder
    if not path.is_dir():
        pytest.skip(f"../shared/peer-testdata/{MOOV}/{folder} not found beside the repo")
    return path


def test_the_lists_above_cover_every_valid_file(peer_testdata: Path) -> None:
    names = {p.name for p in moov(peer_testdata, "valid").iterdir()}
    listed = set(CLEAN_VALID) | set(DEFECTIVE_VALID) | {"nonascii-ctx-820-utf8.ach"}
    assert names == listed


def test_the_clean_ones_are_exactly_the_ascii_files_that_keep_their_blanks(
    peer_testdata: Path,
) -> None:
    clean = []
    for path in sorted(moov(peer_testdata, "valid").iterdir()):
        data = path.read_bytes()
        lines = data.replace(b"\r\n", b"\n").rstrip(b"\n").split(b"\n")
        if data.isascii() and {len(line) for line in lines} == {94}:
            clean.append(path.name)
    # txp-debit.ach is ASCII and 94 wide but has its addenda numbers misplaced
    assert clean == sorted([*CLEAN_VALID, "txp-debit.ach"])


@pytest.mark.parametrize("name", CLEAN_VALID)
def test_clean_valid_files_read_without_findings_and_write_back_byte_for_byte(
    peer_testdata: Path, name: str
) -> None:
    path = moov(peer_testdata, "valid") / name
    ach, problems = read_file(path)
    assert problems == []
    assert ach is not None
    data = path.read_bytes()
    expected = data if data.endswith(b"\n") else data + b"\n"  # two of them lack a final newline
    assert render(ach).encode("ascii") == expected


@pytest.mark.parametrize("name", list(DEFECTIVE_VALID))
def test_defects_in_files_moov_accepts_are_located(peer_testdata: Path, name: str) -> None:
    ach, problems = read_file(moov(peer_testdata, "valid") / name)
    assert ach is not None  # still a readable structure
    assert [(p.code, p.line, p.field) for p in problems] == DEFECTIVE_VALID[name]


def test_the_utf8_copy_is_damaged_record_by_record(peer_testdata: Path) -> None:
    ach, problems = read_file(moov(peer_testdata, "valid") / "nonascii-ctx-820-utf8.ach")
    assert ach is not None
    lengths = {p.line for p in problems if p.code == "FILE002"}
    assert {3, 4, 5}.issubset(lengths)  # the entry and addenda lines holding two-byte '¦'
    assert count_errors(problems) > 0


@pytest.mark.parametrize("name", list(INVALID))
def test_invalid_files(peer_testdata: Path, name: str) -> None:
    ach, problems = read_file(moov(peer_testdata, "invalid") / name)
    assert ach is not None
    assert [(p.code, p.line) for p in problems] == INVALID[name]


def test_crashers_give_findings_not_exceptions(peer_testdata: Path) -> None:
    paths = sorted(moov(peer_testdata, "crashers").iterdir())
    assert len(paths) >= 7
    for path in paths:
        ach, problems = read_file(path)
        assert ach is None, path.name
        assert count_errors(problems) > 0, path.name


def test_moovs_large_benchmark_file(peer_testdata: Path) -> None:
    path = moov(peer_testdata, "large") / "CCD+addenda05-200-batches-100000-entries.ach.gz"
    with gzip.open(path) as stream:
        ach, problems = read_stream(stream)  # type: ignore[arg-type]
    assert problems == []
    assert ach is not None
    assert (len(ach.batches), len(ach.entries)) == (200, 100_000)
    assert ach.control.batch_count == 200
    assert ach.control.entry_addenda_count == sum(1 + len(e.addenda) for e in ach.entries)


# --- fixtures/peer/moov-ach: one file per SEC code, validated with --profile nacha ------------

PEER_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "peer" / "moov-ach"
PEER_FILES = sorted(PEER_FIXTURES.rglob("*.ach"))

# Real defects in files moov accepts: (code, line) per file, with the evidence.
KNOWN_DEFECTS: dict[str, set[tuple[str, int]]] = {
    # the file control says 5 batches; the file holds 4
    "test/testdata/20110805A.ach": {("FC001", 93)},
    # a debit (code 27) in a batch whose service class 220 says credits only
    "test/testdata/20180716-IAT-A17.ach": {("ED002", 15)},
    # traces start 22859101, the batch header's ODFI is 54012210; file hash 9999999999 is not
    # the sum of the batch hashes (144488931)
    "test/testdata/moov-ids.ach": {
        ("ED006", 3), ("ED006", 4), ("ED006", 7), ("ED006", 8), ("FC004", 10)
    },
    # file header 75 characters, batch control 55: trailing blanks trimmed
    "test/testdata/ppd-debit.ach": {("FILE002", 1), ("FILE002", 5)},
    # batch controls hold company identification ' 123456789', the headers '123456789 '
    "test/testdata/return-WEB.ach": {("BC005", 5), ("BC005", 9)},
}


def test_the_peer_fixtures_are_there_with_their_licence() -> None:
    assert len(PEER_FILES) >= 45
    assert "Apache License" in (PEER_FIXTURES / "LICENSE").read_text()
    assert (PEER_FIXTURES / "NOTICE").is_file()
    assert set(KNOWN_DEFECTS) <= {str(p.relative_to(PEER_FIXTURES)) for p in PEER_FILES}


@pytest.mark.parametrize("path", PEER_FILES, ids=lambda p: str(p.relative_to(PEER_FIXTURES)))
def test_moov_files_give_no_spurious_error_under_the_nacha_profile(path: Path) -> None:
    report = validate_path(path, Options(profile="nacha"))
    errors = {(f.code, f.line) for f in report.findings if f.severity == "error"}
    assert errors == KNOWN_DEFECTS.get(str(path.relative_to(PEER_FIXTURES)), set()), [
        (f.code, f.line, f.message) for f in report.findings if f.severity == "error"
    ]


def test_other_sec_codes_and_addenda_types_are_said_to_be_checked_for_structure_only() -> None:
    """One BH008 per SEC code, no AD001/AD002/ED010 from reading 02/98/99/IAT addenda as 05."""
    for path in PEER_FILES:
        report = validate_path(path, Options(profile="nacha"))
        codes = [f.code for f in report.findings]
        assert not {"AD001", "AD002", "ED010"} & set(codes), path
        said = [f.message.split()[0] for f in report.findings if f.code == "BH008"]
        assert len(said) == len(set(said)), path
    cor = validate_path(PEER_FIXTURES / "test/ach-cor-read/cor-read.ach", Options(profile="nacha"))
    assert [f.code for f in cor.findings] == ["BH008"]
    assert cor.findings[0].severity == "warning"
    assert cor.findings[0].message.startswith("COR entries and their addenda are checked for "
                                              "structure only")
