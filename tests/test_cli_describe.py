"""`nacha-cs --version` and `nacha-cs describe`, run in-process through click's CliRunner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from strategies import a_batch, a_file, an_entry, routing

from nacha_cs import __version__
from nacha_cs.ach.writer import render, write_file
from nacha_cs.cli import main
from nacha_cs.cli._output import mask_account, money

DED = "DED*CS*ZC146*250101*12345*123456789*N*SMITH,HARR\\"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    first, second, third = result.stdout.strip().splitlines()
    assert first == f"nacha-cs, version {__version__}"
    assert second.startswith(("scanner: compiled", "scanner: not built, pure Python"))
    assert third.startswith(("generate lane: compiled", "generate lane: not built"))


def test_python_dash_m_runs_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nacha_cs", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert __version__ in done.stdout


def test_help_lists_describe() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "describe" in result.stdout


@pytest.fixture
def two_batches(tmp_path: Path) -> Path:
    ach = a_file(
        a_batch(
            [
                an_entry(account="12345678901", amount=12_345, addenda=(DED,)),
                an_entry(account="ACCT-99887766", amount=100_000_00, identification="EMP7"),
            ]
        ),
        a_batch(
            [an_entry(account="55501234", amount=7, receiver_name="TX SDU", addenda=("A", "B"))],
            sec_code="CTX",
            company_name="BETA LLC",
            odfi_routing=routing("02100002"),
        ),
    )
    path = tmp_path / "two.ach"
    write_file(path, ach)
    return path


def test_describe_shows_batches_entries_and_controls(two_batches: Path) -> None:
    result = run("describe", str(two_batches))
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Immediate destination" in out and "071000301 FIRST BANK" in out
    assert "1234567890 ACME PAYROLL" in out
    assert "2025-01-02 0304" in out
    assert "Batch 1: CCD ACME CORP (1234567890) 'CHILD SUPP' effective 2025-01-03" in out
    assert "service class 220" in out
    assert "Batch 2: CTX BETA LLC" in out
    for trace in ("071000300000001", "071000300000002", "021000020000003"):
        assert trace in out
    assert "$123.45" in out and "$100,000.00" in out and "$0.07" in out
    assert "OK CENTRALIZED SDU" in out and "TX SDU" in out and "EMP7" in out
    assert "batch control: 3 entries+addenda" in out
    assert "credits $100,123.45" in out
    assert "batch control: 3 entries+addenda, hash 2100002, debits $0.00, credits $0.07" in out
    assert (
        "File control: 2 batches, 2 blocks, 6 entries+addenda, hash 6300006, "
        "debits $0.00, credits $100,123.52" in out
    )
    assert "problem(s)" not in out
    assert result.stderr == ""


def test_describe_masks_accounts_to_their_last_four(two_batches: Path) -> None:
    out = run("describe", str(two_batches)).stdout
    assert "*******8901" in out
    assert "*********7766" in out
    assert "****1234" in out
    for account in ("12345678901", "ACCT-99887766", "55501234", "5550", "ACCT"):
        assert account not in out


@pytest.mark.parametrize(
    ("account", "shown"),
    [("12345678901", "*******8901"), ("12345", "*2345"), ("1234", "****"), ("", ""), ("1", "*")],
)
def test_mask_account(account: str, shown: str) -> None:
    assert mask_account(account) == shown


@pytest.mark.parametrize(
    ("cents", "shown"),
    [(0, "$0.00"), (7, "$0.07"), (12_345, "$123.45"), (10**11, "$1,000,000,000.00"), (None, "?")],
)
def test_money(cents: int | None, shown: str) -> None:
    assert money(cents) == shown


def test_describe_reads_crlf_the_same(two_batches: Path, tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.ach"
    crlf.write_bytes(two_batches.read_bytes().replace(b"\n", b"\r\n"))
    assert run("describe", str(crlf)).stdout == run("describe", str(two_batches)).stdout


def test_missing_file_is_exit_2_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nope.ach"
    result = run("describe", str(missing))
    assert result.exit_code == 2
    no_traceback(result)
    assert f"nacha-cs: cannot read {missing}" in result.stderr
    assert "No such file" in result.stderr
    assert result.stdout == ""


def test_a_folder_is_refused(tmp_path: Path) -> None:
    result = run("describe", str(tmp_path))
    assert result.exit_code == 2
    no_traceback(result)
    assert "directory" in result.stderr


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file holds no records"),
        (b"\x00\xff" * 500, "not ACH text"),
        (b"hello world\n", "record is 11 characters, 83 short"),
        (b"9" * 94 * 10, "does not start with a file header"),
    ],
)
def test_junk_is_exit_1_with_a_clear_message(tmp_path: Path, data: bytes, message: str) -> None:
    # Exit 1, as validate: the path was read and is not a valid file (2 is for misuse).
    path = tmp_path / "junk.ach"
    path.write_bytes(data)
    result = run("describe", str(path))
    assert result.exit_code == 1
    no_traceback(result)
    assert f"nacha-cs: {path} cannot be described:" in result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_many_problems_are_cut_at_ten_with_a_pointer_to_validate(tmp_path: Path) -> None:
    path = tmp_path / "junk.ach"
    path.write_bytes(b"x\n" * 30)
    result = run("describe", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert sum(1 for line in lines if line.startswith("  line ")) == 10
    assert "more; run `nacha-cs validate" in lines[-1]


def test_a_readable_file_with_problems_is_described_with_a_note(tmp_path: Path) -> None:
    text = render(a_file())
    entry = text.splitlines()[2]
    broken = entry[:29] + "00000 1234" + entry[39:]
    path = tmp_path / "bad-amount.ach"
    path.write_text(text.replace(entry, broken))
    result = run("describe", str(path))
    assert result.exit_code == 0
    no_traceback(result)
    assert "?" in result.stdout  # the amount that is not a number
    assert "1 problem(s) seen while reading" in result.stdout


def test_file_text_is_shown_as_text_not_markup(tmp_path: Path) -> None:
    ach = a_file(
        a_batch(
            [an_entry(receiver_name="SDU [/b] [bold]X", identification="[red]ID")],
            company_name="ACME [/x]",
        )
    )
    path = tmp_path / "markup.ach"
    write_file(path, ach)
    result = run("describe", str(path))
    no_traceback(result)
    assert result.exit_code == 0
    assert "SDU [/b] [bold]X" in result.stdout
    assert "[red]ID" in result.stdout
    assert "ACME [/x]" in result.stdout


def test_control_characters_in_a_file_do_not_reach_the_terminal(tmp_path: Path) -> None:
    text = render(a_file())
    header = text.splitlines()[0]
    sneaky = header[:40] + "\x1b[2J\x07BANK".ljust(23) + header[63:]
    path = tmp_path / "escape.ach"
    path.write_bytes(text.replace(header, sneaky).encode("latin-1"))
    result = run("describe", str(path))
    no_traceback(result)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "?[2J?BANK" in result.stdout


# --- remittances: the DED payments after each batch's entries ----------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIXTURE_SSNS = {
    "ccd-plus-ded.ach": ("401234567", "402345678", "403456789", "404567890"),
    "ctx-820.ach": ("408901234", "409012345", "410123456"),
    "multi-batch.ach": ("405678901", "406789012", "407890123"),
}


def table_rows(out: str, first_cell: str) -> list[list[str]]:
    """The cells of the table rows of ``out`` whose first cell is ``first_cell``."""
    rows = []
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells and cells[0] == first_cell:
            rows.append(cells)
    return rows


def test_describe_lists_the_ded_of_each_ccd_plus_entry() -> None:
    result = run("describe", str(FIXTURES / "ccd-plus-ded.ach"))
    no_traceback(result)
    assert result.exit_code == 0
    out = result.stdout
    assert "Batch 1 remittances (DED)" in out
    header = next(line for line in out.splitlines() if "pay date" in line)
    for column in ("trace", "case", "pay date", "amount", "SSN", "name", "FIPS", "terminated"):
        assert column in header
    assert table_rows(out, "091000010000001")[1] == [
        "091000010000001",
        "OK1234567",
        "2026-11-20",
        "$270.00",
        "***-**-4567",
        "SMITH,HARR",
        "40109",
        "",
    ]
    assert table_rows(out, "091000010000002")[1][4:7] == ["***-**-5678", "WASHINGGEO", "-"]
    assert table_rows(out, "091000010000004")[1][3:] == [
        "$0.00",
        "***-**-7890",
        "OBRIEN,PAT",
        "-",
        "Y",
    ]
    # the remittances come after the batch's entries and before its control
    assert out.index("remittances (DED)") < out.index("batch control:")
    assert out.index("addenda") < out.index("remittances (DED)")


def test_describe_lists_every_ded_of_a_ctx_820() -> None:
    result = run("describe", str(FIXTURES / "ctx-820.ach"))
    no_traceback(result)
    assert result.exit_code == 0
    rows = table_rows(result.stdout, "091000010000001")
    assert len(rows) == 4  # the CTX entry, then its three DEDs
    assert [row[1:] for row in rows[1:]] == [
        ["654321", "2026-11-20", "$300.00", "***-**-1234", "JONES,KARE", "16001", ""],
        ["123456", "2026-11-20", "$125.75", "***-**-2345", "OKAFOR,CHI", "16001", ""],
        ["777001", "2026-11-20", "$80.00", "***-**-3456", "SMITHJOAL", "16001", ""],
    ]


@pytest.mark.parametrize("name", sorted(FIXTURE_SSNS))
def test_ssns_never_show_in_full_without_the_flag(name: str) -> None:
    out = run("describe", str(FIXTURES / name)).stdout
    for ssn in FIXTURE_SSNS[name]:
        assert ssn not in out
        assert ssn[:5] not in out  # not even the hidden part on its own
        assert f"***-**-{ssn[5:]}" in out
    full = run("describe", "--full-ssn", str(FIXTURES / name)).stdout
    for ssn in FIXTURE_SSNS[name]:
        assert ssn in full and f"***-**-{ssn[5:]}" not in full


def test_an_ssn_in_the_identification_number_is_masked_too(tmp_path: Path) -> None:
    ded = DED.replace("123456789", "223456780")
    path = tmp_path / "ssn-id.ach"
    write_file(path, a_file(a_batch([an_entry(identification="287654321", addenda=(ded,))])))
    out = run("describe", str(path)).stdout
    assert "287654321" not in out and "***-**-4321" in out
    assert "223456780" not in out and "***-**-6780" in out
    full = run("describe", "--full-ssn", str(path)).stdout
    assert "287654321" in full and "223456780" in full


def test_addenda_that_are_no_ded_show_as_such(two_batches: Path) -> None:
    result = run("describe", str(two_batches))
    no_traceback(result)
    assert result.exit_code == 0
    assert "Batch 1 remittances (DED)" in result.stdout
    assert "Batch 2 remittances (DED)" in result.stdout
    assert table_rows(result.stdout, "021000020000003")[1][:2] == ["021000020000003", "(not a DED)"]
    assert table_rows(result.stdout, "071000300000001")[1][1] == "ZC146"


def test_broken_deds_and_free_text_do_not_stop_describe(tmp_path: Path) -> None:
    ach = a_file(
        a_batch(
            [
                an_entry(addenda=("DED*CS*ZC146*250101*1.5*223456780*N\\",)),
                an_entry(addenda=(" " * 80,)),
                an_entry(addenda=("DED*CS*[bold]X*250101*12345*223456780*N*[/b]\\",)),
            ]
        )
    )
    path = tmp_path / "broken.ach"
    write_file(path, ach)
    result = run("describe", str(path))
    no_traceback(result)
    assert result.exit_code == 0
    assert result.stdout.count("(not a DED)") == 2
    assert "[bold]X" in result.stdout and "[/b]" in result.stdout  # text, not markup
    assert "223456780" not in result.stdout and "***-**-6780" in result.stdout


def test_a_batch_without_addenda_has_no_remittance_table(tmp_path: Path) -> None:
    path = tmp_path / "plain.ach"
    write_file(path, a_file())
    out = run("describe", str(path)).stdout
    assert "remittances" not in out


def test_help_offers_full_ssn() -> None:
    result = run("describe", "--help")
    assert result.exit_code == 0
    assert "--full-ssn" in result.stdout and "Example:" in result.stdout
