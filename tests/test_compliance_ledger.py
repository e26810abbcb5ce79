"""Compliance, mandate and letters on the ledger (SQLite and PostgreSQL): the bundled scenario
ingested, staff actions recorded through the CLI, the report equal to the one computed from
the fixture files themselves (tests/test_compliance_scenario.py checks that one against the
seed)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Ledger
from test_compliance_scenario import AS_OF, SCENARIO, report

from nacha_cs.cli import main
from nacha_cs.sdu.compliance import evaluate
from nacha_cs.sdu.compliance_db import RecordError, load_facts, record_action
from nacha_cs.sdu.ledger import ingest_file
from nacha_cs.sdu.ledger.registers import import_employers, import_orders

ACME, BOLT, CRUX, PARTNERS = "931111111", "932222222", "933333333", "944444444"


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def scenario(ledger: Ledger) -> Ledger:
    """The scenario's registers and files in the ledger, its staff actions recorded by CLI."""
    assert import_employers(ledger.engine, SCENARIO / "employers.csv",
                            as_of=dt.date(2025, 11, 1)).ok
    result = import_orders(ledger.engine, SCENARIO / "orders.csv", ledger.settings)
    assert result.ok, result.errors
    for path in sorted((SCENARIO / "files").glob("*.ach")):
        stored = ingest_file(ledger.engine, path, ledger.settings)
        assert stored.status == "stored", stored.message
    with open(SCENARIO / "actions.csv", encoding="ascii", newline="") as f:
        for row in csv.DictReader(f):
            code, _, err = cli("compliance", "record", "--db", ledger.url, "--case",
                               row["case_id"], f"--{row['kind']}", row["date"], "--note",
                               row["note"], "--by", "tester")
            assert code == 0, err
    return ledger


def key(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(r["code"], r["employer_ein"], r["case_id"], r["since"], r["days"]) for r in rows]


def test_ledger_facts_give_the_same_report_as_the_files(scenario: Ledger) -> None:
    with scenario.engine.connect() as connection:
        facts = load_facts(connection)  # payments stream while the connection is open
        from_ledger = evaluate(facts.orders, facts.payments, facts.actions, AS_OF)
        dishonored = [p for p in facts.payments if p.dishonored]
    assert key([r.as_dict() for r in from_ledger]) == key([r.as_dict() for r in report()])
    assert [(p.employer_ein, p.case_id, p.received) for p in dishonored] == [
        (BOLT, "2002001", dt.date(2026, 2, 3))]


def test_cli_report_json_csv_text(scenario: Ledger) -> None:
    code, out, err = cli("compliance", "--db", scenario.url, "--as-of", AS_OF.isoformat(),
                         "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["as_of"] == AS_OF.isoformat() and document["remit_days"] == 7
    assert key(document["rows"]) == key([r.as_dict() for r in report()])
    assert {r["employer_name"] for r in document["rows"]} == {"ACME TIMBER", "BOLT FOODS",
                                                              "CRUX LABS"}
    code, out, _ = cli("compliance", "--db", scenario.url, "--as-of", AS_OF.isoformat(),
                       "--format", "csv", "--employer", ACME)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and {r["employer_ein"] for r in rows} == {ACME} and len(rows) == 4
    assert json.loads(rows[0]["facts"])
    code, out, _ = cli("compliance", "--db", scenario.url, "--as-of", AS_OF.isoformat())
    assert code == 0 and "CMP-ECL2-REVIEW" in out and "1001002" in out


def test_recorded_ecl1_moves_the_case_on(scenario: Ledger) -> None:
    def codes(day: dt.date) -> dict[str, str]:
        out = cli("compliance", "--db", scenario.url, "--as-of", day.isoformat(), "--format",
                  "json")[1]
        return {r["case_id"]: r["code"] for r in json.loads(out)["rows"]}

    assert codes(AS_OF)["1001002"] == "CMP-ESC-30"
    code, out, _ = cli("compliance", "record", "--db", scenario.url, "--case", "1001002",
                       "--ecl1", AS_OF.isoformat(), "--note", "ESC could not reach payroll")
    assert code == 0 and "recorded ecl1" in out
    assert "1001002" not in codes(AS_OF)
    assert codes(AS_OF + dt.timedelta(days=29)).get("1001002") is None
    assert codes(AS_OF + dt.timedelta(days=30))["1001002"] == "CMP-ECL2-REVIEW"


def test_record_refuses_what_it_cannot_place(scenario: Ledger) -> None:
    code, _, err = cli("compliance", "record", "--db", scenario.url, "--case", "9999999",
                       "--contact", "2026-06-01")
    assert code == 2 and "no order for case 9999999" in err
    code, _, err = cli("compliance", "record", "--db", scenario.url, "--case", "1001001")
    assert code == 2 and "--ecl1" in err
    code, _, err = cli("compliance", "record", "--db", scenario.url, "--case", "1001001",
                       "--ecl1", "June 1")
    assert code == 2 and "YYYY-MM-DD" in err
    with scenario.engine.begin() as connection, pytest.raises(RecordError, match="unknown"):
        record_action(connection, kind="telepathy", on=AS_OF, case_id="1001001")


def test_mandate_names_each_deciding_section(scenario: Ledger) -> None:
    code, out, err = cli("mandate", "--db", scenario.url, "--format", "json")
    assert code == 0, err
    decided = {d["ein"]: d for d in json.loads(out)["employers"]}
    assert decided[ACME]["sections"] == ["(2)(a)", "(2)(c)"]
    assert decided[BOLT]["sections"] == ["(4)(b)", "(2)(b)"]  # the R01 return, 3 orders
    assert decided[CRUX]["sections"] == ["(2)(b)"]
    assert all(d["required"] for d in decided.values())
    code, _, _ = cli("compliance", "record", "--db", scenario.url, "--employer", CRUX,
                     "--exemption", "2026-01-15", "--note", "payroll cannot originate ACH")
    assert code == 0
    out = cli("mandate", "--db", scenario.url, "--employer", CRUX, "--format", "json")[1]
    (crux,) = json.loads(out)["employers"]
    assert crux["required"] is False and crux["sections"] == ["(3)"]
    assert "2026-01-15" in crux["reasons"][0]
    out = cli("mandate", "--db", scenario.url, "--employer", BOLT, "--state", "washington",
              "--format", "json")[1]
    (bolt,) = json.loads(out)["employers"]  # under ten employees, more than one order
    assert bolt["required"] is True and bolt["rule"] == "RCW 26.23.065"
    out = cli("mandate", "--db", scenario.url, "--employer", BOLT, "--state", "texas",
              "--format", "json")[1]
    (bolt,) = json.loads(out)["employers"]  # Texas starts at 50 employees
    assert bolt["required"] is False and bolt["rule"] == "Texas Family Code 158.203"
    code, _, err = cli("mandate", "--db", scenario.url, "--state", "nevada")
    assert code == 2 and "no EFT mandate rule" in err


def test_letters_from_the_ledger_carry_only_the_addressee(scenario: Ledger,
                                                          tmp_path: Path) -> None:
    target = tmp_path / "acme-ecl1.md"
    code, _, err = cli("notice", "ecl1", "--db", scenario.url, "--employer", ACME, "--date",
                       AS_OF.isoformat(), "-o", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert "Dear ACME TIMBER:" in text and "BEN BIRCH" in text and "DAN DOGWOOD" in text
    for other in ("HANK HAZEL", "KIM KAPOK", "BOLT FOODS", "CRUX LABS", "2002001", "3003001"):
        assert other not in text
    assert "440112002" not in text and "\\*\\*\\*-\\*\\*-2002" in text
    code, _, err = cli("notice", "contact", "--db", scenario.url, "--agent", PARTNERS,
                       "--date", AS_OF.isoformat(), "--format", "html", "-o",
                       str(tmp_path / "partners.html"))
    assert code == 0, err
    html = (tmp_path / "partners.html").read_text(encoding="utf-8")
    assert "KIM KAPOK" in html and "CRUX LABS" in html
    assert "ACME" not in html and "BOLT" not in html and "BEN BIRCH" not in html
    code, _, err = cli("notice", "ecl2", "--db", scenario.url, "--employer", BOLT, "--date",
                       AS_OF.isoformat(), "-o", str(tmp_path / "bolt-ecl2.md"))
    assert code == 0, err
    assert "May 4, 2026" in (tmp_path / "bolt-ecl2.md").read_text(encoding="utf-8")
    code, _, err = cli("notice", "mandate", "--db", scenario.url, "--employer", BOLT, "--date",
                       AS_OF.isoformat(), "-o", str(tmp_path / "bolt-eft.md"))
    assert code == 0, err
    assert "section (4)(b)" in (tmp_path / "bolt-eft.md").read_text(encoding="utf-8")
    code, _, err = cli("notice", "ecl2", "--db", scenario.url, "--employer", ACME, "--date",
                       AS_OF.isoformat())
    assert code == 1 and "no case of ACME TIMBER" in err


def test_missing_ledger_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _, err = cli("compliance", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert code == 2 and "db upgrade" in err and "Traceback" not in err


def test_empty_ledger_and_output_file_rules(ledger: Ledger, tmp_path: Path) -> None:
    code, out, _ = cli("compliance", "--db", ledger.url, "--as-of", "2026-06-03")
    assert code == 0 and "No employer or case needs action as of 2026-06-03" in out
    target = tmp_path / "report.csv"
    assert cli("compliance", "--db", ledger.url, "--format", "csv", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("code,title,employer_ein")
    code, _, err = cli("compliance", "--db", ledger.url, "--format", "csv", "-o", str(target))
    assert code == 2 and "--force" in err
    code, out, _ = cli("mandate", "--db", ledger.url, "--format", "json")
    assert code == 0 and json.loads(out)["employers"] == []


def test_section_4a_and_4c_from_recorded_actions_and_suspense(scenario: Ledger,
                                                              tmp_path: Path) -> None:
    """Two recorded failures to withhold make (4)(a); a payment DOJ cannot place, arriving
    after it explained how to identify payments, makes (4)(c)."""
    from nacha_cs.ach.builder import BatchSpec, EntrySpec, FileSpec, build_file
    from nacha_cs.ach.writer import iter_lines, write_lines_atomically
    from nacha_cs.bank.kit import ODFI, SDUS
    from nacha_cs.codecs import ded as ded_codec

    for day in ("2026-03-02", "2026-04-06"):
        assert cli("compliance", "record", "--db", scenario.url, "--employer", CRUX,
                   "--failed-withhold", day)[0] == 0
    assert cli("compliance", "record", "--db", scenario.url, "--employer", ACME,
               "--misid-contact", "2026-06-01", "--note", "case numbers missing")[0] == 0
    sdu = next(s for s in SDUS if s.state == "OK")
    unknown = ded_codec.Ded("7777777", dt.date(2026, 6, 5), 5000, "440119999", "N", "NOBODY")
    day = dt.date(2026, 6, 9)
    ach = build_file(
        FileSpec(sdu.routing, ODFI, dt.datetime.combine(day, dt.time(6)), sdu.name, "BANK"),
        [BatchSpec("ACME TIMBER", "1" + ACME, "CHILD SUPP", day, ODFI, (EntrySpec(
            "22", sdu.routing, sdu.account, 5000, sdu.name, "EMP0000001",
            (ded_codec.encode_field(unknown),)),))])
    path = tmp_path / "acme-2026-06-09.ach"
    write_lines_atomically(path, iter_lines(ach))
    stored = ingest_file(scenario.engine, path, scenario.settings)
    assert stored.status == "stored" and stored.suspense == 1, stored.message
    out = cli("mandate", "--db", scenario.url, "--format", "json")[1]
    decided = {d["ein"]: d for d in json.loads(out)["employers"]}
    assert decided[CRUX]["sections"] == ["(4)(a)", "(2)(b)"]
    assert "2 failures to withhold recorded" in decided[CRUX]["reasons"][0]
    assert decided[ACME]["sections"][0] == "(4)(c)"
