"""The ledger pages through Starlette's test client, on SQLite and PostgreSQL (the ``ledger``
fixture runs each test on both)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import REPO, Ledger
from starlette.testclient import TestClient

from nacha_cs.cli import main
from nacha_cs.sdu.ledger import LedgerError
from nacha_cs.sdu.ledger.registers import import_employers, import_orders
from nacha_cs.web import WebConfig, create_app

SAMPLES = REPO / "fixtures" / "sdu"
WEEK_ONE = SAMPLES / "acme-2025-03-07.ach"
PRAIRIE = SAMPLES / "prairie-2025-03-07.ach"
WEEK_TWO = SAMPLES / "acme-2025-03-14.ach"


def token_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def web_for(ledger: Ledger, register: bool = True) -> TestClient:
    if register:
        assert import_employers(
            ledger.engine, SAMPLES / "employers.csv", as_of=dt.date(2025, 1, 1)
        ).ok
        assert import_orders(ledger.engine, SAMPLES / "orders.csv", ledger.settings).ok
    return TestClient(create_app(WebConfig(db_url=ledger.url)), base_url="http://127.0.0.1")


def ingest(web: TestClient, path: Path) -> Any:
    token = token_of(web.get("/ingest").text)
    return web.post(
        "/ingest",
        data={"csrf_token": token},
        files={"file": (path.name, path.read_bytes(), "application/octet-stream")},
    )


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_ledger_pages_are_in_the_navigation(ledger: Ledger) -> None:
    page = web_for(ledger, register=False).get("/")
    for href in ("/ingest", "/files", "/payments", "/suspense", "/charts"):
        assert f'href="{href}"' in page.text


def test_ingest_stores_a_file_then_refuses_the_same_bytes(ledger: Ledger) -> None:
    web = web_for(ledger)
    first = ingest(web, WEEK_ONE)
    assert first.status_code == 200
    assert 'id="ingest-status">STORED<' in first.text
    assert re.search(r'id="ingest-payments">[1-9]\d*<', first.text)
    again = ingest(web, WEEK_ONE)
    assert again.status_code == 200
    assert "ALREADY INGESTED" in again.text and "already ingested on" in again.text


def test_ingest_leaves_no_upload_behind(
    ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    made: list[str] = []
    real_mkdtemp = tempfile.mkdtemp

    def spy(*args: Any, **kwargs: Any) -> str:
        made.append(real_mkdtemp(*args, **kwargs))
        assert Path(made[-1]).stat().st_mode & 0o077 == 0  # private to this user
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", spy)
    web = web_for(ledger)
    assert "STORED" in ingest(web, WEEK_ONE).text
    assert made and all(Path(p).parent == scratch for p in made)
    assert list(scratch.iterdir()) == []


def test_ingest_needs_the_csrf_token(ledger: Ledger) -> None:
    web = web_for(ledger)
    web.get("/ingest")
    response = web.post(
        "/ingest", files={"file": (WEEK_ONE.name, WEEK_ONE.read_bytes(), "text/plain")}
    )
    assert response.status_code == 403


def test_without_an_ssn_key_ingest_says_what_is_missing(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NACHA_CS_SSN_KEY")
    web = web_for(ledger, register=False)
    page = web.get("/ingest")
    assert 'id="ingest-unavailable"' in page.text and "NACHA_CS_SSN_KEY" in page.text
    assert ingest_refused(web).status_code == 503


def ingest_refused(web: TestClient) -> Any:
    token = token_of(web.get("/").text)
    return web.post(
        "/ingest",
        data={"csrf_token": token},
        files={"file": (WEEK_ONE.name, WEEK_ONE.read_bytes(), "text/plain")},
    )


def test_files_received_lists_files_sortable_and_as_csv(ledger: Ledger) -> None:
    web = web_for(ledger)
    ingest(web, WEEK_ONE)
    ingest(web, PRAIRIE)
    page = web.get("/files")
    assert WEEK_ONE.name in page.text and PRAIRIE.name in page.text
    assert "/tmp" not in page.text  # the private upload folder is not shown
    ascending = web.get("/files?table=files&sort=id&dir=asc")
    assert ascending.text.index(WEEK_ONE.name) < ascending.text.index(PRAIRIE.name)
    descending = web.get("/files?table=files&sort=id&dir=desc")
    assert descending.text.index(PRAIRIE.name) < descending.text.index(WEEK_ONE.name)
    download = web.get("/files?format=csv")
    assert download.headers["content-type"].startswith("text/csv")
    assert {row["name"] for row in csv_rows(download.text)} == {WEEK_ONE.name, PRAIRIE.name}


def test_payments_search_by_case_employer_and_date(ledger: Ledger) -> None:
    web = web_for(ledger)
    ingest(web, WEEK_ONE)
    ingest(web, WEEK_TWO)
    everything = csv_rows(web.get("/payments?format=csv").text)
    assert everything
    case = everything[0]["case_id"]
    employer = everything[0]["employer_ein"]
    by_case = csv_rows(web.get(f"/payments?case={case}&format=csv").text)
    assert by_case and all(case in (r["case_id"], r["posted_case"]) for r in by_case)
    by_employer = csv_rows(web.get(f"/payments?employer={employer}&format=csv").text)
    assert by_employer and all(r["employer_ein"] == employer for r in by_employer)
    day = everything[0]["pay_date"]
    by_date = csv_rows(web.get(f"/payments?from={day}&to={day}&format=csv").text)
    assert by_date and all(r["pay_date"] == day for r in by_date)
    assert len(by_date) < len(everything)
    page = web.get(f"/payments?case={case}")
    assert page.status_code == 200 and 'id="payments-table"' in page.text
    for row in everything:
        assert not row["ssn"] or row["ssn"].startswith("***-**-")


def test_a_bad_date_in_the_search_is_a_clear_message(ledger: Ledger) -> None:
    page = web_for(ledger).get("/payments?from=March")
    assert page.status_code == 400
    assert "is not a date: write it as YYYY-MM-DD" in page.text


def test_suspense_lists_what_waits_with_its_reason(ledger: Ledger) -> None:
    web = web_for(ledger)
    ingest(web, WEEK_ONE)
    page = web.get("/suspense")
    assert page.status_code == 200
    rows = csv_rows(web.get("/suspense?format=csv").text)
    assert rows, "the sample week holds a payment for an unknown case"
    assert all(r["reason_text"] for r in rows)
    assert rows[0]["reason_text"] in page.text


def test_charts_draw_money_per_day_and_per_employer(ledger: Ledger) -> None:
    web = web_for(ledger)
    ingest(web, WEEK_ONE)
    ingest(web, PRAIRIE)
    page = web.get("/charts")
    assert page.status_code == 200
    assert page.text.count('<rect class="bar"') >= 3  # at least 1 day and 2 employers
    assert "<script" not in page.text.split("</head>", 1)[1]
    days = csv_rows(web.get("/charts?table=days&format=csv").text)
    employers = csv_rows(web.get("/charts?table=employers&format=csv").text)
    assert sum(int(r["amount"]) for r in days) == sum(int(r["amount"]) for r in employers)
    assert len(employers) >= 2


def test_a_database_that_is_not_a_ledger_is_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(LedgerError):
        create_app(WebConfig(db_url=f"sqlite:///{foreign}"))
    result = CliRunner().invoke(main, ["serve", "--db", f"sqlite:///{foreign}"])
    assert result.exit_code == 2
    assert "not a nacha-cs ledger" in result.output or "not" in result.output


def test_a_suspense_item_is_resolved_from_its_form(ledger: Ledger) -> None:
    web = web_for(ledger)
    ingest(web, WEEK_ONE)
    page = web.get("/suspense")
    item = re.search(r'action="/suspense/(\d+)/resolve"', page.text)
    assert item, "an open item with its form"
    token = token_of(page.text)
    case = csv_rows(web.get("/payments?status=posted&format=csv").text)[0]["posted_case"]
    refused = web.post(
        f"/suspense/{item.group(1)}/resolve",
        data={"csrf_token": token, "case": "NO-SUCH-CASE", "by": "J. Doe"},
    )
    assert refused.status_code == 409 and "not in the orders register" in refused.text
    assert (
        web.post(
            f"/suspense/{item.group(1)}/resolve", data={"case": case, "by": "J. Doe"}
        ).status_code
        == 403
    )
    done = web.post(
        f"/suspense/{item.group(1)}/resolve",
        data={"csrf_token": token, "case": case, "by": "J. Doe", "note": "called the employer"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    after = web.get(done.headers["location"])
    assert f"Item {item.group(1)} was posted" in after.text
    assert f'action="/suspense/{item.group(1)}/resolve"' not in after.text
    assert "nacha_cs_staff=" in done.headers["set-cookie"]  # the next form remembers who
    resolved = csv_rows(web.get("/suspense?all=1&format=csv").text)
    row = next(r for r in resolved if r["id"] == item.group(1))
    assert row["resolved_case"] == case and row["resolved_by"] == "J. Doe"


def test_an_employer_statement_shows_totals_and_downloads(ledger: Ledger) -> None:
    web = web_for(ledger)
    ingest(web, WEEK_ONE)
    ingest(web, WEEK_TWO)
    payment = csv_rows(web.get("/payments?format=csv").text)[0]
    ein = payment["employer_ein"]
    ask = f"/statements?employer={ein}&from=2025-01-01&to=2025-12-31"
    page = web.get(ask)
    assert page.status_code == 200
    assert 'id="statement-title"' in page.text and ein in page.text
    rows = csv_rows(web.get(ask + "&format=csv").text)
    paid = [r for r in rows if r["record"] == "payment"]
    assert paid
    total = sum(int(r["amount"]) for r in paid)
    cents = f"${total // 100:,}.{total % 100:02d}"
    assert f'id="statement-total">{cents}<' in page.text
    assert web.get(ask + "&format=json").json()["total"] == total
    missing = web.get("/statements?employer=&from=2025-01-01&to=2025-12-31")
    assert missing.status_code == 400 and "EIN" in missing.text


def test_each_table_of_a_statement_downloads_alone(ledger: Ledger) -> None:
    web = web_for(ledger)
    ingest(web, WEEK_ONE)
    ein = csv_rows(web.get("/payments?format=csv").text)[0]["employer_ein"]
    ask = f"/statements?employer={ein}&from=2025-01-01&to=2025-12-31"
    cases = csv_rows(web.get(ask + "&table=cases&format=csv").text)
    assert cases and set(cases[0]) == {"case_id", "payments", "amount"}
    whole = csv_rows(web.get(ask + "&format=csv").text)
    assert sum(int(c["amount"]) for c in cases) == sum(
        int(r["amount"]) for r in whole if r["record"] == "payment"
    )


@pytest.mark.parametrize(
    "path", ["/ingest", "/files", "/payments", "/suspense", "/statements", "/charts"]
)
def test_ledger_pages_carry_the_headers_and_need_the_login(ledger: Ledger, path: str) -> None:
    open_page = web_for(ledger, register=False).get(path)
    assert open_page.status_code == 200
    assert open_page.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in open_page.headers["content-security-policy"]
    guarded = TestClient(
        create_app(WebConfig(db_url=ledger.url, token="a-long-enough-token", loopback_only=False)),
        base_url="http://127.0.0.1",
    )
    refused = guarded.get(path, follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"] == "/login"


def test_ingest_refuses_another_format_and_a_file_over_the_limit(ledger: Ledger) -> None:
    web = web_for(ledger)
    token = token_of(web.get("/ingest").text)
    image = web.post(
        "/ingest",
        data={"csrf_token": token},
        files={"file": ("scan.png", b"\x89PNG\r\n\x1a\n", "image/png")},
    )
    assert image.status_code == 415
    small = TestClient(
        create_app(WebConfig(db_url=ledger.url, max_upload=1_000)), base_url="http://127.0.0.1"
    )
    token = token_of(small.get("/ingest").text)
    big = small.post(
        "/ingest",
        data={"csrf_token": token},
        files={"file": ("big.ach", b"1" * 200_000, "text/plain")},
    )
    assert big.status_code == 413 and "too large" in big.text
    assert csv_rows(small.get("/files?format=csv").text) == []
