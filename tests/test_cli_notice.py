"""`nacha-cs notice defective-file`: a letter per file, written atomically, never over a file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from nacha_cs.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BAD = FIXTURES / "invalid" / "DED019-ssn-8-digits.ach"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["notice", *args])
    return result.exit_code, result.stdout, result.stderr


def test_markdown_to_stdout_names_the_finding_and_its_fix() -> None:
    code, out, _ = run("defective-file", str(BAD), "--to", "ACME TIMBER", "--date",
                       "2026-06-03")
    assert code == 0
    assert out.startswith("**State Disbursement Unit**")
    assert "Dear ACME TIMBER:" in out and "June 3, 2026" in out
    assert "DED019" in out and "**Our response:** Send the SSN as 9 digits" in out
    assert "In summary:" in out


def test_html_by_suffix_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "letter.html"
    assert run("defective-file", str(BAD), "--to", "ACME", "-o", str(target))[0] == 0
    first = target.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>") and '<section class="concern">' in first
    code, _, err = run("defective-file", str(BAD), "--to", "OTHER", "-o", str(target))
    assert code == 2 and "--force" in err
    assert target.read_text(encoding="utf-8") == first
    assert run("defective-file", str(BAD), "--to", "OTHER", "-o", str(target), "--force")[0] == 0
    assert "OTHER" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["letter.html"], "no temporary file left"


def test_both_formats_beside_each_other(tmp_path: Path) -> None:
    code, _, err = run("defective-file", str(BAD), "--to", "ACME", "--format", "both", "-o",
                       str(tmp_path / "acme"))
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.html", "acme.md"]


def test_sender_defaults_to_the_file_header() -> None:
    code, out, _ = run("defective-file", str(BAD))
    assert code == 0 and "Dear " in out


def test_clean_file_needs_no_letter_and_missing_file_is_exit_2() -> None:
    code, _, err = run("defective-file", str(FIXTURES / "ccd-plus-ded.ach"), "--to", "X")
    assert code == 1 and "nothing to correct" in err
    code, _, err = run("defective-file", "/no/such/file.ach", "--to", "X")
    assert code == 2 and "cannot read" in err and "Traceback" not in err
