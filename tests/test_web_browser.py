"""End to end in headless Chromium: a person checks files on the web page.

Needs Debian's Chromium (scripts/services/chromium.sh installs it and sets NACHA_CS_CHROMIUM).
Under CI=true a browser that cannot start fails the test; elsewhere it skips.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import SAMPLE_KEY, browser_context, chromium_path, running_server, sample_ledger

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VALID = FIXTURES / "ccd-plus-ded.ach"
INVALID = FIXTURES / "invalid" / "DED014-decimal-amount.ach"


def _unavailable(reason: str) -> None:
    message = f"{reason}; run `source scripts/services/chromium.sh` (installs Debian's chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def context() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium not found (NACHA_CS_CHROMIUM unset, no /usr/bin/chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    assert executable is not None
    try:
        manager = browser_context(executable)
        opened = manager.__enter__()
    except Exception as error:
        _unavailable(f"Chromium at {executable} did not start: {error}")
    try:
        yield opened
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server() as url:
        yield url


@pytest.fixture
def ledger_server(tmp_path: Path) -> Iterator[str]:
    """The server over a fresh ledger holding the bundled SDU samples."""
    url = sample_ledger(tmp_path)
    with running_server("--db", url, env={"NACHA_CS_SSN_KEY": SAMPLE_KEY}) as address:
        yield address


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    opened = context.new_page()
    try:
        yield opened
    finally:
        opened.close()


def check_file(page: Any, server: str, path: Path) -> None:
    page.goto(server + "/")
    page.set_input_files("#file", str(path))
    page.click("#check")
    page.wait_for_selector("#verdict")


def test_valid_file_reads_valid_on_the_page(page: Any, server: str) -> None:
    check_file(page, server, VALID)
    assert page.inner_text("#verdict") == "VALID"
    assert page.inner_text("#errors") == "0"
    assert page.is_visible("#no-findings")


def test_invalid_file_shows_its_finding_with_the_bad_columns_marked(page: Any, server: str) -> None:
    check_file(page, server, INVALID)
    assert page.inner_text("#verdict") == "INVALID"
    rule = page.locator("#rule-DED014")
    assert "DED04 amount contains a decimal point" in rule.inner_text()
    assert "line 4, columns 25-30, DED04" in rule.inner_text()
    assert rule.locator("mark").first.inner_text() == "135.47"
    assert "Send the amount in cents" in rule.locator(".hint").inner_text()


def test_remittance_csv_downloads(page: Any, server: str) -> None:
    check_file(page, server, VALID)
    with page.expect_download() as waiting:
        page.click("#download-csv")
    download = waiting.value
    assert download.suggested_filename == "ccd-plus-ded.remittance.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert rows and rows[0]["case_id"] == "OK1234567"
    assert rows[0]["ssn"].startswith("***-**-")


def test_rejection_letter_opens(page: Any, server: str) -> None:
    check_file(page, server, INVALID)
    page.click("#letter")
    letter = page.inner_text("#letter-text")
    assert "Payment file rejected" in letter
    assert "Our response: Send the amount in cents" in letter


def test_dropping_a_file_on_the_box_checks_it(page: Any, server: str) -> None:
    """The one piece of JavaScript: a file dropped on the box is sent with the same form."""
    page.goto(server + "/")
    assert "js" in (page.get_attribute("html", "class") or "")
    content = INVALID.read_text(encoding="latin-1")
    transfer = page.evaluate_handle(
        """(text) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], "dropped.ach", {type: "text/plain"}));
            return transfer;
        }""",
        content,
    )
    page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    page.wait_for_selector("#verdict")
    assert page.inner_text("h1").startswith("dropped.ach")
    assert page.is_visible("#rule-DED014")


def test_the_page_runs_no_inline_script_and_breaks_no_policy(page: Any, server: str) -> None:
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    check_file(page, server, INVALID)
    assert not [text for text in violations if "Content Security Policy" in text]


def test_a_suspense_item_is_resolved_in_the_browser(page: Any, ledger_server: str) -> None:
    page.goto(ledger_server + "/payments?status=posted")
    case = page.locator("#payments-table tbody tr td").nth(4).inner_text()
    assert case
    page.click("nav >> text=Suspense")
    forms = page.locator("form.resolve")
    waiting = forms.count()
    assert waiting >= 1
    first = forms.first
    item = first.get_attribute("id").removeprefix("resolve-")
    first.locator("input[name=case]").fill(case)
    first.locator("input[name=by]").fill("J. Doe")
    first.locator("button").click()
    page.wait_for_selector("#resolved-note")
    assert page.inner_text("#resolved-note") == f"Item {item} was posted."
    assert page.locator("form.resolve").count() == waiting - 1
    if waiting > 1:  # the next form remembers who resolved
        assert page.locator("form.resolve input[name=by]").first.input_value() == "J. Doe"
    page.click("#show-all")
    row = page.locator("#suspense-table tbody tr", has_text="J. Doe")
    assert case in row.inner_text()


def test_ingest_in_the_browser_refuses_the_same_bytes(page: Any, ledger_server: str) -> None:
    page.goto(ledger_server + "/ingest")
    page.set_input_files("#file", str(FIXTURES / "sdu" / "acme-2025-03-07.ach"))
    page.click("#ingest")
    page.wait_for_selector("#ingest-status")
    assert page.inner_text("#ingest-status") == "ALREADY INGESTED"


def test_payments_table_sorts_and_downloads_as_csv(page: Any, ledger_server: str) -> None:
    page.goto(ledger_server + "/payments")
    page.click("#payments-table th >> text=Amount")
    amounts = page.locator("#payments-table tbody tr td:nth-child(6)").all_inner_texts()
    values = [int(a.replace("$", "").replace(",", "").replace(".", "")) for a in amounts]
    assert values == sorted(values)
    with page.expect_download() as waiting:
        page.click("#payments-table-csv")
    rows = list(csv.DictReader(io.StringIO(Path(waiting.value.path()).read_text())))
    assert len(rows) == len(amounts)


def test_the_charts_page_draws_bars(page: Any, ledger_server: str) -> None:
    page.goto(ledger_server + "/charts")
    assert page.locator("#chart-days svg rect.bar").count() >= 1
    assert page.locator("#chart-employers svg rect.bar").count() >= 2


def test_compliance_and_mandate_pages_read_in_the_browser(page: Any, ledger_server: str) -> None:
    page.goto(ledger_server + "/")
    page.click("nav >> text=Compliance")
    page.fill("input[name=as_of]", "2025-05-15")
    page.click("text=Show")
    page.wait_for_selector("#compliance-table")
    assert "payments stopped" in page.inner_text("#compliance-table")
    assert page.locator("#chart-ages svg rect.bar").count() == 5
    page.click("nav >> text=EFT mandate")
    assert "OAR 137-055-5035" in page.inner_text("main")
    assert page.locator("#mandate-table tbody tr").count() >= 1


def test_with_a_token_staff_log_in_first(page: Any) -> None:
    secret = "browser-test-token-123"
    with running_server(env={"NACHA_CS_WEB_TOKEN": secret}) as url:
        page.goto(url + "/")
        assert page.url.endswith("/login")
        assert page.locator("#logout").count() == 0
        page.fill("#token", "not-the-token")
        page.click("#login")
        assert "That token is not right" in page.inner_text("main")
        page.fill("#token", secret)
        page.click("#login")
        page.wait_for_selector("#upload-form")
        check_file(page, url, INVALID)
        assert page.inner_text("#verdict") == "INVALID"
        page.click("#logout")
        page.wait_for_selector("#token")
        page.goto(url + "/")
        assert page.url.endswith("/login")
