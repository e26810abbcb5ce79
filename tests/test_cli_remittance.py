"""`nacha-cs remittance`: one row per DED payment, SSNs masked unless asked."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from nacha_cs.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["remittance", *args])
    return result.exit_code, result.stdout, result.stderr


def test_csv_rows_for_every_ccd_plus_payment() -> None:
    code, out, _ = run(str(FIXTURES / "ccd-plus-ded.ach"))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["case_id"] for r in rows] == ["OK1234567", "OK7654321", "OK5550001", "OK5550002"]
    assert [int(r["amount"]) for r in rows] == [27000, 13547, 8250, 0]
    assert rows[3]["terminated"] == "True"
    assert {r["ssn"][:7] for r in rows} == {"***-**-"}
    assert "401234567" not in out


def test_ctx_rows_come_from_the_820_and_full_ssn_is_explicit() -> None:
    code, out, _ = run("--format", "json", "--full-ssn", str(FIXTURES / "ctx-820.ach"))
    assert code == 0
    payments = json.loads(out)["payments"]
    assert [(p["case_id"], p["amount"], p["ssn"]) for p in payments] == [
        ("654321", 30000, "408901234"),
        ("123456", 12575, "409012345"),
        ("777001", 8000, "410123456"),
    ]
    assert sum(p["amount"] for p in payments) == payments[0]["entry_amount"] == 50575


def test_unreadable_ded_is_listed_not_dropped(tmp_path: Path) -> None:
    text = (FIXTURES / "ccd-plus-ded.ach").read_text()
    broken = tmp_path / "broken.ach"
    broken.write_text(text.replace("DED*CS*OK7654321", "XYZ*CS*OK7654321"))
    code, out, _ = run(str(broken))
    assert code == 0
    statuses = [r["status"] for r in csv.DictReader(io.StringIO(out))]
    assert statuses == ["ok", "not a readable DED", "ok", "ok"]


def test_output_file_is_not_replaced_without_force(tmp_path: Path) -> None:
    target = tmp_path / "intake.csv"
    target.write_text("keep me")
    code, _, err = run(str(FIXTURES / "ccd-plus-ded.ach"), "-o", str(target))
    assert code == 2 and "--force" in err and target.read_text() == "keep me"
    code, _, err = run(str(FIXTURES / "ccd-plus-ded.ach"), "-o", str(target), "--force")
    assert code == 0 and "4 payment(s)" in err
    assert target.read_text().startswith("batch,company_name")


def test_junk_is_exit_1_and_a_missing_file_exit_2_without_traceback(tmp_path: Path) -> None:
    # As validate (issue 9, item 14): 1 for a file read and found not to be ACH, 2 for a path
    # that cannot be read.
    junk = tmp_path / "junk.ach"
    junk.write_bytes(b"\x00\xffnot an ach file\n")
    for path, expected in ((junk, 1), (tmp_path / "missing.ach", 2)):
        code, out, err = run(str(path))
        assert code == expected
        assert "Traceback" not in err and err.startswith("nacha-cs: ")
        assert out == ""
