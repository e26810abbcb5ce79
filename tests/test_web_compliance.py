"""The compliance report and the EFT mandate pages say what the commands say, on the bundled
compliance scenario (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from click.testing import CliRunner
from conftest import Ledger
from starlette.testclient import TestClient
from test_compliance_scenario import AS_OF, SCENARIO

from nacha_cs.cli import main
from nacha_cs.sdu.compliance_db import record_action
from nacha_cs.sdu.ledger import ingest_file
from nacha_cs.sdu.ledger.registers import import_employers, import_orders
from nacha_cs.web import WebConfig, create_app


@pytest.fixture
def web(ledger: Ledger) -> TestClient:
    """The scenario's registers, files and staff actions in the ledger, and the page over it."""
    assert import_employers(
        ledger.engine, SCENARIO / "employers.csv", as_of=dt.date(2025, 11, 1)
    ).ok
    assert import_orders(ledger.engine, SCENARIO / "orders.csv", ledger.settings).ok
    for path in sorted((SCENARIO / "files").glob("*.ach")):
        assert ingest_file(ledger.engine, path, ledger.settings).status == "stored"
    with (
        open(SCENARIO / "actions.csv", encoding="ascii", newline="") as f,
        ledger.engine.begin() as connection,
    ):
        for row in csv.DictReader(f):
            record_action(
                connection,
                kind=row["kind"],
                on=dt.date.fromisoformat(row["date"]),
                case_id=row["case_id"],
                note=row["note"],
                by="tester",
            )
    client = TestClient(create_app(WebConfig(db_url=ledger.url)), base_url="http://127.0.0.1")
    client.ledger_url = ledger.url  # type: ignore[attr-defined]
    return client


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def key(found: list[dict[str, str]]) -> list[tuple[str, ...]]:
    return [(r["code"], r["employer_ein"], r["case_id"], r["since"], r["days"]) for r in found]


def test_compliance_page_lists_what_the_command_lists(web: TestClient) -> None:
    page = web.get(f"/compliance?as_of={AS_OF}")
    assert page.status_code == 200 and 'id="compliance-table"' in page.text
    from_page = rows(web.get(f"/compliance?as_of={AS_OF}&format=csv").text)
    assert from_page
    cli = CliRunner().invoke(
        main,
        ["compliance", "--as-of", str(AS_OF), "--format", "csv", "--db", web.ledger_url],  # type: ignore[attr-defined]
    )
    assert cli.exit_code == 0, cli.output
    assert key(from_page) == key(rows(cli.stdout))
    for row in from_page:
        assert row["next_step"] in page.text.replace("&#39;", "'")


def test_compliance_chart_counts_the_rows_by_age(web: TestClient) -> None:
    page = web.get(f"/compliance?as_of={AS_OF}")
    assert page.text.count('<rect class="bar"') == 5
    listed = rows(web.get(f"/compliance?as_of={AS_OF}&format=csv").text)
    counts = re.findall(r"<title>[^<]* days(?: or more)?: (\d+)</title>", page.text)
    assert len(counts) == 5
    assert sum(int(c) for c in counts) == len(listed)


def test_compliance_for_one_employer_and_a_bad_date(web: TestClient) -> None:
    listed = rows(web.get(f"/compliance?as_of={AS_OF}&format=csv").text)
    employer = listed[0]["employer_ein"]
    mine = rows(web.get(f"/compliance?as_of={AS_OF}&employer={employer}&format=csv").text)
    assert mine and all(r["employer_ein"] == employer for r in mine)
    bad = web.get("/compliance?as_of=yesterday")
    assert bad.status_code == 400 and "is not a date" in bad.text


def test_mandate_page_decides_as_the_command_does(web: TestClient) -> None:
    page = web.get("/mandate?state=oregon")
    assert page.status_code == 200 and "OAR 137-055-5035" in page.text
    from_page = rows(web.get("/mandate?state=oregon&format=csv").text)
    cli = CliRunner().invoke(
        main,
        ["mandate", "--state", "oregon", "--format", "csv", "--db", web.ledger_url],  # type: ignore[attr-defined]
    )
    assert cli.exit_code == 0, cli.output
    expected = {r["ein"]: r["required"] for r in rows(cli.stdout)}
    assert {r["ein"]: r["required"] == "yes" for r in from_page} == {
        ein: value == "True" for ein, value in expected.items()
    }
    other = web.get("/mandate?state=atlantis")
    assert "no EFT mandate rule" in other.text


def test_a_staff_action_recorded_on_the_page_changes_the_report(web: TestClient) -> None:
    page = web.get(f"/compliance?as_of={AS_OF}")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert token
    before = rows(web.get(f"/compliance?as_of={AS_OF}&format=csv").text)
    stopped = next(r for r in before if r["code"] == "CMP-ESC-30")
    refused = web.post(
        "/compliance/record",
        data={"case": stopped["case_id"], "kind": "contact", "on": str(AS_OF), "by": "J. Doe"},
    )
    assert refused.status_code == 403
    unknown = web.post(
        "/compliance/record",
        data={"csrf_token": token.group(1), "case": "NO-CASE", "kind": "contact",
              "on": str(AS_OF), "by": "J. Doe"},
    )  # fmt: skip
    assert unknown.status_code == 400 and "no order for case NO-CASE" in unknown.text
    done = web.post(
        "/compliance/record",
        data={"csrf_token": token.group(1), "case": stopped["case_id"], "kind": "contact",
              "on": str(AS_OF), "note": "called payroll", "by": "J. Doe"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    assert "Recorded: contact on" in web.get(done.headers["location"]).text
    cli = CliRunner().invoke(
        main,
        ["compliance", "--as-of", str(AS_OF), "--format", "csv", "--db", web.ledger_url],  # type: ignore[attr-defined]
    )
    after = rows(web.get(f"/compliance?as_of={AS_OF}&format=csv").text)
    assert key(after) == key(rows(cli.stdout))
    mine = next(
        r for r in after if r["code"] == "CMP-ESC-30" and r["case_id"] == stopped["case_id"]
    )
    assert "contacted" not in stopped["facts"]
    assert f"contacted={AS_OF}" in mine["facts"]  # the report now knows of the contact
