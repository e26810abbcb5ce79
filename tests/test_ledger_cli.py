"""The ledger's commands, end to end on the bundled samples, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SSN_KEY

from nacha_cs.cli import main

SAMPLES = REPO / "fixtures" / "sdu"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(ledger_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated ledger with both registers imported; NACHA_CS_DB names it."""
    monkeypatch.setenv("NACHA_CS_DB", ledger_url)
    monkeypatch.setenv("NACHA_CS_SSN_KEY", SSN_KEY)
    monkeypatch.setenv("NACHA_CS_SDU_STATE", "OK")
    code, out, err = run("db", "upgrade")
    assert code == 0, err
    assert "created the ledger" in out
    code, out, err = run("employers", "import", str(SAMPLES / "employers.csv"),
                         "--as-of", "2025-01-01")
    assert (code, out.strip()) == (0, "employers: 3 added, 0 updated (3 row(s))"), err
    code, out, err = run("orders", "import", str(SAMPLES / "orders.csv"))
    assert (code, out.strip()) == (0, "orders: 5 added, 0 updated (5 row(s))"), err
    return ledger_url


def test_walk_through(db: str) -> None:
    code, out, _ = run("ingest", str(SAMPLES / "acme-2025-03-07.ach"),
                       str(SAMPLES / "prairie-2025-03-07.ach"))
    assert code == 0
    assert "stored as file 1: 4 payment(s), 1 in suspense" in out
    code, out, _ = run("ingest", str(SAMPLES / "acme-2025-03-07.ach"))
    assert code == 0
    assert "refused - already ingested on" in out and "as file 1" in out
    code, out, _ = run("suspense", "list", "--format", "json")
    items = json.loads(out)["suspense"]
    assert [(i["case_id"], i["reason"]) for i in items] == [
        ("4019999", "unknown_case"), ("4010005", "agent_not_linked")]
    code, out, err = run("suspense", "resolve", str(items[0]["id"]), "--case", "4010003",
                         "--by", "J. Doe", "--note", "case number mistyped")
    assert code == 0, err
    assert "posted to case 4010003 by J. Doe" in out
    code, _, err = run("suspense", "resolve", str(items[0]["id"]), "--case", "4010003")
    assert code == 2 and "was resolved to case 4010003 by J. Doe" in err
    code, out, _ = run("suspense", "list")
    assert "4010005" in out and "4019999" not in out
    code, out, _ = run("statement", "--employer", "123456789", "--from", "2025-03-01",
                       "--to", "2025-03-31")
    assert code == 0
    assert "Statement for ACME TOOLS INC (EIN 123456789)" in out
    assert re.search(r"all cases +4 payment\(s\) +\$425\.00", out)
    assert "***-**-0001" in out and "512340001" not in out


def test_statement_formats_and_returns(db: str, tmp_path: Path) -> None:
    for name in ("acme-2025-03-07.ach", "acme-2025-03-14.ach", "returns-2025-03-12.ach"):
        assert run("ingest", str(SAMPLES / name))[0] == 0
    code, out, _ = run("statement", "--employer", "12-3456789", "--from", "2025-03-01",
                       "--to", "2025-03-31", "--format", "json")
    document = json.loads(out)
    assert document["employer"] == {"ein": "123456789", "name": "ACME TOOLS INC"}
    assert document["total"] == 42500 + 35000
    (back,) = document["returns"]
    assert (back["code"], back["dishonored"], back["amount"]) == ("R01", True, 15000)
    returned = [p for p in document["payments"] if p["status"] == "returned"]
    assert [(p["case_id"], p["received_date"]) for p in returned] == [("4010002", "2025-03-07")]
    assert [p["review"] for p in document["payments"]].count(True) == 1
    target = tmp_path / "statement.csv"
    args = ["statement", "--employer", "123456789", "--from", "2025-03-01", "--to",
            "2025-03-31", "--format", "csv", "-o", str(target)]
    assert run(*args)[0] == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert {r["record"] for r in rows} == {"payment", "suspense", "return"}
    code, _, err = run(*args)
    assert code == 2 and "exists" in err


def test_payments_query_command(db: str) -> None:
    run("ingest", str(SAMPLES / "acme-2025-03-07.ach"), str(SAMPLES / "acme-2025-03-14.ach"))
    code, out, _ = run("payments", "--case", "4010001", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["pay_date"], r["received_date"], r["review"]) for r in rows] == [
        ("2025-03-07", "2025-03-07", "False"), ("2025-03-07", "2025-03-14", "True")]
    code, out, _ = run("payments", "--from", "2025-03-10", "--received", "--format", "json")
    assert {p["received_date"] for p in json.loads(out)["payments"]} == {"2025-03-14"}
    code, out, _ = run("payments", "--status", "suspense")
    assert code == 0
    assert "4019999" in out and "unknown_case" in out


def test_a_file_with_errors_is_refused_unless_kept(db: str, tmp_path: Path) -> None:
    lines = (SAMPLES / "acme-2025-03-07.ach").read_text().splitlines()
    control = next(i for i, line in enumerate(lines) if line.startswith("8"))
    lines[control] = lines[control][:20] + "000000000099" + lines[control][32:]  # debit total
    bad = tmp_path / "bad.ach"
    bad.write_text("\n".join(lines) + "\n")
    code, out, _ = run("ingest", str(bad))
    assert code == 1
    assert "REJECTED - not stored: 2 validation error(s)" in out
    assert json.loads(run("payments", "--format", "json")[1])["payments"] == []
    code, out, _ = run("ingest", str(bad), "--keep-invalid", "--format", "json")
    assert code == 1
    (stored,) = json.loads(out)["files"]
    assert (stored["status"], stored["errors"], stored["payments"]) == ("stored", 2, 4)


def test_unreadable_and_foreign_files_exit_2(db: str, tmp_path: Path) -> None:
    packed = tmp_path / "file.ach.gz"
    packed.write_bytes(gzip.compress((SAMPLES / "acme-2025-03-07.ach").read_bytes()))
    code, out, _ = run("ingest", str(packed))
    assert code == 2 and "UNREADABLE" in out and "gzip" in out
    code, out, _ = run("ingest", str(tmp_path / "missing.ach"))
    assert code == 2 and "cannot read the file" in out


def test_no_key_no_start(db: str) -> None:
    code, _, err = run("ingest", str(SAMPLES / "acme-2025-03-07.ach"),
                       env={"NACHA_CS_SSN_KEY": ""})
    assert code == 2
    assert "no SSN key: set NACHA_CS_SSN_KEY" in err
    code, _, err = run("ingest", str(SAMPLES / "acme-2025-03-07.ach"),
                       env={"NACHA_CS_SSN_KEY": "another-key-0123456789"})
    assert run("payments", "--format", "json")[0] == 0
    assert (code, "not the one the ledger was filled with" in err) == (2, True)


def test_register_rows_are_reported_by_number(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "orders.csv"
    bad.write_text("case_id,ncp_ssn,employer_ein,frequency,current_support,action\n"
                   "4020001,512-34-000,123456789,B,100.00,ORG\n"
                   "4020002,,999999999,fortnightly,1.234,XYZ\n"
                   "4020003,,123456789,M,50,AMD\n")
    code, _, err = run("orders", "import", str(bad))
    assert code == 1
    assert "row 2, ncp_ssn: is not nine digits" in err and "512-34-000" not in err
    assert "row 3, frequency: 'fortnightly' is not one of W, B, S, M" in err
    assert "row 3, current_support: '1.234' is not an amount" in err
    assert "row 3, action: 'XYZ' is not one of ORG, AMD, TRM, LUM" in err
    assert "nothing imported: 4 problem(s) in 3 row(s)" in err
    fixed = tmp_path / "orders2.json"
    fixed.write_text(json.dumps({"orders": [
        {"case_id": "4020001", "employer_ein": "999999999", "frequency": "M"},
        {"case_id": "4020002", "employer_ein": "123456789", "frequency": "M",
         "current_support": 12.5},
        {"case_id": "4020003", "employer_ein": "123456789", "frequency": "M",
         "action": "AMD"},
    ]}))
    code, _, err = run("orders", "import", str(fixed))
    assert code == 1
    assert "row 2, current_support: '12.5' is not an amount" in err


def test_orders_amended_and_terminated(db: str, tmp_path: Path) -> None:
    changes = tmp_path / "changes.csv"
    changes.write_text("case_id,employer_ein,action,current_support,frequency,order_date\n"
                       "4010001,123456789,AMD,250.00,B,2025-02-01\n"
                       "4010002,123456789,TRM,,B,2025-02-15\n")
    code, out, err = run("orders", "import", str(changes))
    assert (code, out.strip()) == (0, "orders: 0 added, 2 updated (2 row(s))"), err
    from nacha_cs.sdu.ledger import connect
    from nacha_cs.sdu.ledger.registers import iter_orders

    engine = connect(db)
    try:
        (amended,) = iter_orders(engine, "4010001")
        (ended,) = iter_orders(engine, "4010002")
    finally:
        engine.dispose()
    assert (amended["current_support"], amended["past_due_support"]) == (25000, 2500)
    assert (ended["status"], str(ended["terminated_date"])) == ("terminated", "2025-02-15")


def test_employers_unlink_an_agent(db: str, tmp_path: Path) -> None:
    unlinked = tmp_path / "employers.json"
    unlinked.write_text(json.dumps([{"ein": "987654321", "name": "BLUE RIVER FOODS",
                                     "employee_count": 4, "agents": []}]))
    assert run("employers", "import", str(unlinked), "--as-of", "2025-03-01")[0] == 0
    run("ingest", str(SAMPLES / "prairie-2025-03-07.ach"))
    code, out, _ = run("suspense", "list", "--format", "json")
    assert code == 0
    assert {i["reason"] for i in json.loads(out)["suspense"]} == {"agent_not_linked"}


def test_a_corrupt_or_foreign_database_is_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "ledger.db"
    foreign.write_bytes(b"not a database at all\n" * 200)
    for args in (["db", "upgrade"], ["payments"], ["suspense", "list"]):
        code, _, err = run(*args, "--db", f"sqlite:///{foreign}")
        assert code == 2, args
        assert "is not a nacha-cs ledger" in err and "Traceback" not in err
    other = tmp_path / "other.db"
    import sqlite3

    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    code, _, err = run("payments", "--db", f"sqlite:///{other}")
    assert code == 2 and "holds tables but is not a nacha-cs ledger" in err
    code, _, err = run("payments", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert code == 2 and "there is no ledger at" in err
