"""The web page through Starlette's test client: pages, downloads and each defence."""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from nacha_cs.cli import main
from nacha_cs.validate import validate_path
from nacha_cs.validate.present import report_json
from nacha_cs.web import WebConfig, create_app
from nacha_cs.web.common import acceptable_upload
from nacha_cs.web.security import CONTENT_SECURITY_POLICY, SecurityHeaders

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VALID = FIXTURES / "ccd-plus-ded.ach"
INVALID = FIXTURES / "invalid" / "DED014-decimal-amount.ach"
CTX = FIXTURES / "ctx-820.ach"
BASE = "http://127.0.0.1"


def client(config: WebConfig | None = None) -> TestClient:
    return TestClient(create_app(config), base_url=BASE)


def token_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def upload(
    web: TestClient,
    path: Path,
    content_type: str = "application/octet-stream",
    data: bytes | None = None,
    **kwargs: Any,
) -> Any:
    token = token_of(web.get("/").text)
    body = path.read_bytes() if data is None else data
    return web.post(
        "/check",
        data={"csrf_token": token},
        files={"file": (path.name, body, content_type)},
        **kwargs,
    )


def result_id(response: Any) -> str:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/results/")
    return str(location.rsplit("/", 1)[1])


def full_ssns(path: Path) -> list[str]:
    """The 9-digit SSNs (DED05) in a fixture, to prove none reaches a page or download."""
    text = path.read_text(encoding="latin-1")
    return re.findall(r"DED\*(?:[^*\\]*\*){4}(\d{9})\*", text)


# --- pages ----------------------------------------------------------------------------------


def test_upload_page_offers_a_form_that_works_without_javascript() -> None:
    page = client().get("/")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert 'type="file"' in page.text
    assert '<script src="/static/drop.js" defer></script>' in page.text
    assert "<script>" not in page.text  # no inline script: the CSP forbids it


def test_valid_file_shows_valid_with_summary_and_payments() -> None:
    web = client()
    ident = result_id(upload(web, VALID, follow_redirects=False))
    page = web.get(f"/results/{ident}")
    assert page.status_code == 200
    assert 'id="verdict">VALID<' in page.text
    assert 'id="errors">0<' in page.text
    assert 'id="no-findings"' in page.text
    assert re.search(r'id="payments">\d+<', page.text)


def test_invalid_file_shows_findings_grouped_with_marked_columns_and_hint() -> None:
    web = client()
    page = web.get(f"/results/{result_id(upload(web, INVALID, follow_redirects=False))}")
    assert 'id="verdict">INVALID<' in page.text
    assert 'id="rule-DED014"' in page.text
    assert "line 4, columns 25-30, DED04" in page.text
    assert "*250102*<mark>135.47</mark>*" in page.text
    assert "How to fix:</strong> Send the amount in cents" in page.text


def test_json_download_is_the_validate_document() -> None:
    web = client()
    ident = result_id(upload(web, INVALID, follow_redirects=False))
    download = web.get(f"/results/{ident}/report.json")
    assert download.headers["content-type"].startswith("application/json")
    assert "attachment" in download.headers["content-disposition"]
    expected = report_json(validate_path(INVALID), strict=False, full_ssn=False)
    expected["path"] = INVALID.name
    assert download.json() == {"files": [expected]}
    cli = CliRunner().invoke(main, ["validate", "--format", "json", str(INVALID)])
    from_cli = json.loads(cli.output)["files"][0]
    from_cli["path"] = INVALID.name
    assert download.json()["files"][0] == from_cli


def test_remittance_csv_is_the_remittance_command_output() -> None:
    web = client()
    ident = result_id(upload(web, CTX, follow_redirects=False))
    download = web.get(f"/results/{ident}/remittance.csv")
    assert download.headers["content-type"].startswith("text/csv")
    cli = CliRunner().invoke(main, ["remittance", str(CTX)])
    assert download.text == cli.output


def test_rejection_letter_restates_each_finding_with_its_fix() -> None:
    web = client()
    ident = result_id(upload(web, INVALID, follow_redirects=False))
    markdown = web.get(f"/results/{ident}/letter.md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "**Re: Payment file rejected**" in markdown.text
    assert "File: DED014-decimal-amount.ach" in markdown.text
    assert "Error DED014: DED04 amount contains a decimal point" in markdown.text
    assert "Record 4, columns 25-30, field" in markdown.text
    assert "**Our response:** Send the amount in cents" in markdown.text
    html = web.get(f"/results/{ident}/letter")
    assert "Payment file rejected" in html.text and "Send the amount in cents" in html.text
    assert "<style>" not in html.text  # the site's own page: the CSP allows no inline style
    printable = web.get(f"/results/{ident}/letter.html")
    assert "attachment" in printable.headers["content-disposition"]
    assert printable.text.startswith("<!DOCTYPE html>")


def test_a_file_without_findings_gets_no_letter() -> None:
    web = client()
    ident = result_id(upload(web, VALID, follow_redirects=False))
    assert 'id="letter"' not in web.get(f"/results/{ident}").text
    assert web.get(f"/results/{ident}/letter").status_code == 404
    assert web.get(f"/results/{ident}/letter.md").status_code == 404


def test_unknown_result_is_a_clear_404() -> None:
    page = client().get("/results/no-such-result")
    assert page.status_code == 404
    assert "no longer here" in page.text


def test_an_uploaded_path_name_is_reduced_to_its_base_name() -> None:
    web = client()
    token = token_of(web.get("/").text)
    response = web.post(
        "/check",
        data={"csrf_token": token},
        files={"file": ("../../etc/<b>x.ach", VALID.read_bytes(), "text/plain")},
    )
    assert response.status_code == 200
    assert "_b_x.ach" in response.text and "<b>" not in response.text


# --- security -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/results/nothing", "/static/drop.js", "/static/style.css", "/nowhere"]
)
def test_every_response_carries_the_security_headers(path: str) -> None:
    response = client().get(path)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_post_without_csrf_token_is_refused() -> None:
    web = client()
    web.get("/")
    response = web.post("/check", files={"file": ("a.ach", VALID.read_bytes(), "text/plain")})
    assert response.status_code == 403
    assert "expired" in response.text


def test_csrf_token_of_another_browser_is_refused() -> None:
    other = client()
    stolen = token_of(other.get("/").text)
    web = client()
    web.get("/")
    response = web.post(
        "/check",
        data={"csrf_token": stolen},
        files={"file": ("a.ach", VALID.read_bytes(), "text/plain")},
    )
    assert response.status_code == 403


def test_csrf_cookie_is_http_only_and_same_site_strict() -> None:
    cookie = client().get("/").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_upload_over_the_limit_is_refused_before_reading() -> None:
    web = client(WebConfig(max_upload=1_000))
    response = upload(web, VALID, data=b"1" * 200_000)
    assert response.status_code == 413
    assert "too large" in response.text


def test_body_without_length_is_cut_off_at_the_limit() -> None:
    """A chunked body (no Content-Length) is counted as it arrives."""
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the body should have been cut off")

    chunks = [{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 3

    async def receive() -> dict[str, Any]:
        return chunks.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    layer = SecurityHeaders(app, loopback_only=True, max_body=1_000)
    scope = {"type": "http", "headers": [(b"host", b"127.0.0.1:8000")], "method": "POST"}
    asyncio.run(layer(scope, receive, send))
    assert sent[0]["status"] == 413


def test_request_that_is_not_a_file_upload_is_refused() -> None:
    web = client()
    token = token_of(web.get("/").text)
    response = web.post("/check", data={"csrf_token": token})
    assert response.status_code == 415


@pytest.mark.parametrize("kind", ["image/png", "application/pdf", "application/zip", "text/html"])
def test_upload_declared_as_another_format_is_refused(kind: str) -> None:
    response = upload(client(), VALID, content_type=kind)
    assert response.status_code == 415
    assert "Not an ACH text file" in response.text


def test_content_types_an_ach_file_arrives_with_are_accepted() -> None:
    for kind in ("", "application/octet-stream", "text/plain; charset=utf-8", "text/x-ach"):
        assert acceptable_upload(kind)
    assert not acceptable_upload("image/jpeg")


def test_a_foreign_file_sent_as_octet_stream_gets_the_format_finding() -> None:
    web = client()
    response = upload(web, VALID, data=b"%PDF-1.7\n" + b"x" * 300, follow_redirects=False)
    page = web.get(f"/results/{result_id(response)}")
    assert 'id="rule-FMT001"' in page.text and "a PDF document" in page.text


@pytest.mark.parametrize("fixture", [VALID, CTX, INVALID])
def test_ssns_are_masked_on_the_page_and_in_every_download(fixture: Path) -> None:
    web = client()
    ident = result_id(upload(web, fixture, follow_redirects=False))
    texts = [
        web.get(f"/results/{ident}{suffix}").text
        for suffix in (
            "",
            "/report.json",
            "/remittance.csv",
            "/letter.md",
            "/letter",
            "/letter.html",
        )
    ]
    ssns = full_ssns(fixture)
    for text in texts:
        for ssn in ssns:
            assert not re.search(rf"(?<!\d){ssn}(?!\d)", text)
    if ssns:
        assert any(f"***-**-{ssn[5:]}" in texts[2] for ssn in ssns)


def test_the_upload_never_touches_the_temporary_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file larger than Starlette's 1 MB spool stays in memory all the same."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an upload was written to the temporary folder")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    big = VALID.read_bytes() * 600
    assert len(big) > 1_100_000
    web = client()
    ident = result_id(upload(web, VALID, data=big, follow_redirects=False))
    assert web.get(f"/results/{ident}").status_code == 200


def test_a_request_for_another_host_name_is_refused_on_loopback() -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 cannot read ours."""
    web = TestClient(create_app(), base_url="http://evil.example")
    assert web.get("/").status_code == 421
    assert client().get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_with_a_token_pages_need_a_login() -> None:
    secret = "correct-horse-battery"
    web = TestClient(create_app(WebConfig(token=secret, loopback_only=False)), base_url=BASE)
    first = web.get("/", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/login"
    assert web.post("/check").status_code == 401
    login_page = web.get("/login")
    assert login_page.status_code == 200
    token = token_of(login_page.text)
    wrong = web.post("/login", data={"csrf_token": token, "token": "not-it"})
    assert wrong.status_code == 401
    assert web.post("/login", data={"token": secret}).status_code == 403  # CSRF on login too
    right = web.post("/login", data={"csrf_token": token, "token": secret}, follow_redirects=False)
    assert right.status_code == 303
    assert "HttpOnly" in right.headers["set-cookie"]
    assert web.get("/").status_code == 200
    out = web.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert web.get("/", follow_redirects=False).status_code == 303


def test_with_a_token_a_bearer_header_also_opens_the_pages() -> None:
    secret = "correct-horse-battery"
    web = TestClient(create_app(WebConfig(token=secret, loopback_only=False)), base_url=BASE)
    assert web.get("/", headers={"authorization": f"Bearer {secret}"}).status_code == 200
    refused = web.get("/", headers={"authorization": "Bearer nope"}, follow_redirects=False)
    assert refused.status_code == 303


# --- the command ----------------------------------------------------------------------------


def test_serve_refuses_another_address_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NACHA_CS_WEB_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0 without an access token" in result.output


def test_serve_refuses_a_short_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NACHA_CS_WEB_TOKEN", "short")
    result = CliRunner().invoke(main, ["serve", "--host", "10.1.2.3"])
    assert result.exit_code == 2
    assert "too short" in result.output


def test_serve_refuses_an_unreadable_token_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--host", "0.0.0.0", "--token-file", str(tmp_path / "missing")]
    )
    assert result.exit_code == 2
    assert "cannot read the token file" in result.output


def test_serve_help_names_the_defaults() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "8000" in result.output


def test_results_are_forgotten_oldest_first_past_the_memory_budget() -> None:
    from nacha_cs.web.analysis import Results, analyse

    results = Results(capacity=10, budget=1)
    first, second = analyse(VALID.read_bytes(), "a.ach"), analyse(VALID.read_bytes(), "b.ach")
    results.add(first)
    results.add(second)
    assert results.get(first.id) is None
    assert results.get(second.id) is second  # the newest is always kept
