"""describe and remittance read a file as a stream (issue 9, items 13, 18, 19, remittance -o).

The event reader must see what the whole-file reader sees (same problems, same entries), hand
out entries before the file is read to its end, and the commands must show the same content in
both of describe's layouts.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from strategies import a_batch, a_file, an_entry

from nacha_cs.ach.describe import EntryView, EventReader, events, shown_date, yymmdd
from nacha_cs.ach.reader import read_file
from nacha_cs.ach.writer import write_file
from nacha_cs.bank.kit import make_file
from nacha_cs.cli import main
from nacha_cs.cli.describe import TABLE_BYTES
from nacha_cs.privacy import looks_like_ssn, mask_identification, mask_records
from nacha_cs.sdu.remittance import iter_remittances, remittances

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ALL_FILES = sorted(
    p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in ("", ".ach") and p.stat().st_size
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kit file of 12,000 CCD+ entries: about 2.3 MB, above describe's table size, above the
    progress bar's 2 MB and above two of the reader's 1 MiB chunks."""
    path = tmp_path_factory.mktemp("large") / "large.ach"
    make_file("ccd+", 12_000, 3, path)
    return path


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_the_event_reader_sees_what_the_whole_file_reader_sees(path: Path) -> None:
    model, expected = read_file(path)
    state = EventReader()
    with path.open("rb") as stream:
        seen = [e for e in events(stream, state) if isinstance(e, EntryView)]
    assert state.problems == expected
    assert state.readable == (model is not None)
    if model is not None:
        whole = [(e.trace_number, e.amount, len(e.addenda)) for e in model.entries]
        streamed = [(e.trace, e.amount, len(e.addenda)) for e in seen]
        if any(p.code == "FILE005" for p in expected):
            # The model drops a batch without a control; the stream has shown its entries.
            assert set(whole) <= set(streamed)
            return
        assert streamed == whole
        with path.open("rb") as stream:
            rows = [row for _, row in iter_remittances(stream)]
        assert rows == remittances(model)


class CountingStream(io.BytesIO):
    """Remembers how far the reader has got."""

    furthest = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.furthest = self.tell()
        return data


def test_entries_and_payments_come_before_the_file_is_read_to_its_end(large: Path) -> None:
    data = large.read_bytes()
    stream = CountingStream(data)
    first = next(e for e in events(stream) if isinstance(e, EntryView))
    assert first.trace and stream.furthest < len(data) // 2
    stream = CountingStream(data)
    header, row = next(iter(iter_remittances(stream)))
    assert row.ded is not None and header.company_name
    assert stream.furthest < len(data) // 2


def test_a_large_file_is_described_as_text_and_a_small_one_as_tables(large: Path) -> None:
    assert large.stat().st_size > TABLE_BYTES
    text = run("describe", str(large))
    assert text.exit_code == 0, text.stderr
    assert "│" not in text.stdout and "File header" in text.stdout
    lines = text.stdout.splitlines()
    deds = [line for line in lines if line.startswith("      DED ")]
    assert len([line for line in deds if not line.startswith("      DED case ")]) == 12_000
    small = run("describe", str(FIXTURES / "ccd-plus-ded.ach"))
    assert "│" in small.stdout


def _words(out: str) -> list[str]:
    rules = set("━─┃┏┓┗┛┡┩└┘┌┐┳┻╇╈┼ ")
    return [w for w in out.replace("│", " ").split() if not set(w) <= rules]


@pytest.mark.parametrize("name", ["ccd-plus-ded.ach", "ctx-820.ach", "multi-batch.ach"])
def test_text_and_tables_show_the_same_values(name: str) -> None:
    tables = run("describe", "--layout", "tables", str(FIXTURES / name)).stdout
    text = run("describe", "--layout", "text", str(FIXTURES / name)).stdout
    for word in _words(text):
        if word not in ("DED", "File", "header", "Immediate", "destination:", "origin:",
                        "Created:", "ID", "modifier:"):
            assert word in tables, word
    assert "***-**-" in text


def test_an_impossible_date_is_shown_as_written_and_marked() -> None:
    assert yymmdd("250231") is None and shown_date("250231") == "250231 (not a date)"
    assert shown_date("250228") == "2025-02-28"
    path = FIXTURES / "invalid" / "BH003-effective-date-feb-31.ach"
    for layout in ("tables", "text"):
        out = run("describe", "--layout", layout, str(path)).stdout
        assert "effective 250231 (not a date)" in out
        assert "2025-02-31" not in out
    code_out = run("remittance", str(path)).stdout
    rows = list(csv.DictReader(io.StringIO(code_out)))
    assert rows and {r["effective_entry_date"] for r in rows} == {"250231"}


def test_a_truncated_large_file_is_exit_1_with_what_was_read(large: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.ach"
    cut.write_bytes(large.read_bytes()[: large.stat().st_size // 2])
    result = run("describe", str(cut))
    assert result.exit_code == 1
    assert "cannot be described in full" in result.stderr
    assert "no file control" in result.stderr.lower() or "file control" in result.stderr
    out = run("remittance", str(cut))
    assert out.exit_code == 1 and "not a readable ACH file" in out.stderr
    target = tmp_path / "intake.csv"
    out = run("remittance", str(cut), "-o", str(target))
    assert out.exit_code == 1 and not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["cut.ach"]  # no temp file left


# --- remittance: streaming output, formulas, its own input -----------------------------------


def test_remittance_csv_neutralises_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    ded = "DED*CS*=1+1*250101*12345*223456780*N*@SUM(A1)\\"
    path = tmp_path / "formula.ach"
    write_file(path, a_file(a_batch([an_entry(addenda=(ded,))], company_name="+ACME")))
    result = run("remittance", str(path))
    assert result.exit_code == 0, result.stderr
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["case_id"] == "'=1+1" and row["name"] == "'@SUM(A1)"
    assert row["company_name"] == "'+ACME"
    assert row["amount"] == "12345"  # a number stays a number
    as_json = json.loads(run("remittance", "--format", "json", str(path)).stdout)
    assert as_json["payments"][0]["case_id"] == "=1+1"  # JSON is data, not a sheet


def test_remittance_json_is_one_document_with_every_payment(large: Path) -> None:
    result = run("remittance", "--format", "json", str(large))
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["path"] == str(large) and len(document["payments"]) == 12_000
    empty = json.loads(run("remittance", "--format", "json", str(FIXTURES / "golden" /
                                                                   "sample-prenote.ach")).stdout)
    assert isinstance(empty["payments"], list)


def test_remittance_never_writes_over_its_own_input(tmp_path: Path) -> None:
    source = tmp_path / "in.ach"
    source.write_bytes((FIXTURES / "ccd-plus-ded.ach").read_bytes())
    before = source.read_bytes()
    for spelling in (str(source), str(tmp_path / "." / "in.ach")):
        result = run("remittance", str(source), "-o", spelling, "--force")
        assert result.exit_code == 2
        assert "also an input" in result.stderr and "even with --force" in result.stderr
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    assert run("remittance", str(source), "-o", str(link), "--force").exit_code == 2
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.ach", "link.csv"]


# --- identification numbers that look like an SSN ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "ssn_like"),
    [("123456789", True), ("123-45-6789", True), ("123 45 6789", True), (" 123456789  ", True),
     ("12345678", False), ("1234567890", False), ("E123456789", False), ("12-3456789", False),
     ("１２３４５６７８９", False)],
)
def test_what_looks_like_an_ssn(text: str, ssn_like: bool) -> None:
    assert looks_like_ssn(text) is ssn_like
    assert (mask_identification(text) != text) is ssn_like


@pytest.mark.parametrize("identification", ["287654321", "287-65-4321"])
def test_an_ssn_like_identification_is_masked_in_both_layouts(
    tmp_path: Path, identification: str
) -> None:
    path = tmp_path / "ssn-id.ach"
    write_file(path, a_file(a_batch([an_entry(identification=identification)])))
    for layout in ("tables", "text"):
        out = run("describe", "--layout", layout, str(path)).stdout
        assert identification not in out and "***-**-4321" in out
        full = run("describe", "--layout", layout, "--full-ssn", str(path)).stdout
        assert identification in full


def test_validate_record_excerpts_mask_an_ssn_like_identification() -> None:
    line = "622" + "0" * 35 + "1" + "287-65-4321    " + "X" * 40
    ((_, masked),) = list(mask_records([(3, line)]))
    assert "287-65" not in masked and "***-**-4321" in masked and len(masked) == len(line)


# --- progress bars on a terminal only ------------------------------------------------------


def _stderr(args: list[str], progress: str | None) -> Result:
    env = {} if progress is None else {"NACHA_CS_PROGRESS": progress}
    return CliRunner(env=env).invoke(main, args)


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["validate"], "validating"),
        (["describe"], "describing"),
        (["remittance"], "exporting payments"),
    ],
)
def test_a_large_file_gets_a_progress_bar_on_a_terminal_only(
    large: Path, args: list[str], label: str
) -> None:
    # NACHA_CS_PROGRESS=always stands for stderr being a terminal (the TTY decision forced).
    drawn = _stderr([*args, str(large)], "always")
    assert drawn.exit_code == 0, drawn.stderr
    assert label in drawn.stderr and "\x1b[" in drawn.stderr
    assert label not in drawn.stdout
    piped = _stderr([*args, str(large)], None)  # the runner's stderr is a pipe, no terminal
    assert piped.exit_code == 0
    assert label not in piped.stderr and "\x1b[" not in piped.stderr
    assert piped.stdout == drawn.stdout
    never = _stderr([*args, str(large)], "never")
    assert label not in never.stderr


@pytest.mark.parametrize("args", [["validate", "--format", "json"], ["remittance", "--format",
                                                                     "json"]])
def test_json_output_never_gets_a_bar(large: Path, args: list[str]) -> None:
    result = _stderr([*args, str(large)], "always")
    assert result.exit_code == 0
    assert "\x1b[" not in result.stderr and "validating" not in result.stderr
    json.loads(result.stdout)


def test_a_small_file_gets_no_bar() -> None:
    result = _stderr(["validate", str(FIXTURES / "ccd-plus-ded.ach")], "always")
    assert "validating" not in result.stderr


@pytest.mark.parametrize("command", ["describe", "remittance"])
def test_a_reader_that_stops_early_is_no_read_error(large: Path, command: str) -> None:
    """`describe big.ach | head`: it said "cannot read big.ach: Broken pipe" and exited 2."""
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-m", "nacha_cs", command, str(large)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline()
    child.stdout.close()
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=60) == 141, stderr
    assert "cannot read" not in stderr and "Traceback" not in stderr


_CONTROL_LINES = sorted(
    {
        line
        for path in FIXTURES.rglob("*.ach")
        for line in path.read_text(encoding="latin-1").splitlines()
        if line[:1] in ("1", "5", "8", "9")
    }
)


@pytest.mark.parametrize("column", [None, 1, 4, 20, 50, 69, 75, 87, 93])
def test_the_clean_way_of_reading_headers_and_controls_is_parse(column: int | None) -> None:
    """The event reader's fast way for headers and controls gives what ``Layout.parse`` gives,
    on every such record of the fixtures and on each with one column blanked or lettered."""
    from nacha_cs.ach import describe as ach_describe
    from nacha_cs.ach.records import BATCH_CONTROL, BATCH_HEADER, FILE_CONTROL, FILE_HEADER

    readers = {
        "1": (ach_describe._PARSE_FILE_HEADER, FILE_HEADER),
        "5": (ach_describe._PARSE_BATCH_HEADER, BATCH_HEADER),
        "8": (ach_describe._PARSE_BATCH_CONTROL, BATCH_CONTROL),
        "9": (ach_describe._PARSE_FILE_CONTROL, FILE_CONTROL),
    }
    for line in _CONTROL_LINES:
        for changed in (" ", "A") if column is not None else ("",):
            text = line if column is None else line[:column] + changed + line[column + 1 :]
            fast, layout = readers[line[0]]
            assert fast(text, 7) == layout.parse(text, 7)
