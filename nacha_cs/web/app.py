"""The Starlette application: routes, templates and the defences around them.

Pages render on the server and work without JavaScript; ``static/drop.js`` only adds drag and
drop to the upload form. Every verdict comes from the core (:mod:`.analysis` calls it).
"""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from nacha_cs.web.analysis import Analysis, Results, analyse
from nacha_cs.web.common import (
    HERE,
    WebConfig,
    csrf_failed,
    page,
    problem,
    read_form,
    read_upload,
)
from nacha_cs.web.security import (
    CSRF_FIELD,
    BodyTooLarge,
    CsrfCookie,
    Gate,
    Login,
    SecurityHeaders,
    csrf_ok,
    session_cookie,
)

__all__ = ["WebConfig", "create_app"]

FAILED_LOGIN_DELAY = 0.5
"""Seconds a wrong token waits before its answer."""


async def home(request: Request) -> Response:
    config: WebConfig = request.app.state.config
    return page(request, "upload.html", {"max_upload_mb": config.max_upload // 1_000_000})


async def check(request: Request) -> Response:
    """Check an uploaded file; 303 to its result page (reloading that page re-posts nothing)."""
    upload = await read_upload(request, "the form on the first page", "Check")
    if isinstance(upload, Response):
        return upload
    data, name = upload.data, upload.name
    analysis = await run_in_threadpool(analyse, data, name)
    del data
    request.app.state.results.add(analysis)
    return RedirectResponse(f"/results/{analysis.id}", status_code=303)


def _analysis(request: Request) -> Analysis | None:
    found: Analysis | None = request.app.state.results.get(request.path_params["id"])
    return found


def _gone(request: Request) -> Response:
    return problem(
        request,
        404,
        "This result is no longer here",
        "Results are kept in memory for two hours and never written to disk; check the file again.",
    )


async def result(request: Request) -> Response:
    analysis = _analysis(request)
    if analysis is None:
        return _gone(request)
    return page(request, "result.html", {"a": analysis, "summary": analysis.report.summary})


def _download(text: str, media_type: str, filename: str) -> Response:
    return Response(
        text,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


def _stem(analysis: Analysis) -> str:
    return analysis.name.rsplit(".", 1)[0] or "upload"


async def report_download(request: Request) -> Response:
    analysis = _analysis(request)
    if analysis is None:
        return _gone(request)
    return _download(analysis.json_text(), "application/json", f"{_stem(analysis)}.report.json")


async def remittance_download(request: Request) -> Response:
    analysis = _analysis(request)
    if analysis is None:
        return _gone(request)
    return _download(
        analysis.remittance_csv, "text/csv; charset=utf-8", f"{_stem(analysis)}.remittance.csv"
    )


def _no_letter(request: Request) -> Response:
    return problem(
        request, 404, "No letter for this file", "The file has no findings: nothing to write."
    )


async def letter_download(request: Request) -> Response:
    analysis = _analysis(request)
    if analysis is None:
        return _gone(request)
    text = analysis.letter_markdown()
    if text is None:
        return _no_letter(request)
    return _download(text, "text/markdown; charset=utf-8", f"{_stem(analysis)}.letter.md")


async def letter_html_download(request: Request) -> Response:
    analysis = _analysis(request)
    if analysis is None:
        return _gone(request)
    text = analysis.letter_html()
    if text is None:
        return _no_letter(request)
    return _download(text, "text/html; charset=utf-8", f"{_stem(analysis)}.letter.html")


async def letter_page(request: Request) -> Response:
    analysis = _analysis(request)
    if analysis is None:
        return _gone(request)
    if analysis.letter is None:
        return _no_letter(request)
    return page(request, "letter.html", {"a": analysis, "letter": analysis.letter})


async def login(request: Request) -> Response:
    gate: Gate = request.app.state.gate
    if request.method == "GET":
        return page(request, "login.html", {"failed": False})
    form = await read_form(request)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return csrf_failed(request)
    if not gate.token_ok(form.get("token")):
        await asyncio.sleep(FAILED_LOGIN_DELAY)  # guessing costs time
        return page(request, "login.html", {"failed": True}, status=401)
    response = RedirectResponse("/", status_code=303)
    name, value = session_cookie(gate.new_session(), gate.SESSION_SECONDS)
    response.raw_headers.append((name, value))
    return response


async def logout(request: Request) -> Response:
    form = await read_form(request)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return csrf_failed(request)
    gate: Gate = request.app.state.gate
    gate.end_session(request.cookies.get("nacha_cs_session", ""))
    response = RedirectResponse("/login", status_code=303)
    response.raw_headers.append(session_cookie("", 0))
    return response


async def too_large(request: Request, error: Exception) -> Response:
    config: WebConfig = request.app.state.config
    return problem(
        request,
        413,
        "The file is too large",
        f"This server takes uploads up to {config.max_upload // 1_000_000} MB; check larger "
        "files with `nacha-cs validate`.",
    )


ROUTES: list[Route | Mount] = [
    Route("/", home),
    Route("/check", check, methods=["POST"]),
    Route("/results/{id}", result),
    Route("/results/{id}/report.json", report_download),
    Route("/results/{id}/remittance.csv", remittance_download),
    Route("/results/{id}/letter.md", letter_download),
    Route("/results/{id}/letter.html", letter_html_download),
    Route("/results/{id}/letter", letter_page),
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
]


def create_app(config: WebConfig | None = None) -> Starlette:
    """The application for `nacha-cs serve` (and for tests, which pass their own config).

    With ``config.db_url`` the ledger pages are mounted over that ledger; LedgerError when it
    is not one (the command says so and exits 2). Without it, only the file check is served.
    """
    config = config or WebConfig()
    gate = Gate(config.token)
    routes = list(ROUTES)
    nav = [("/", "Check a file")]
    access = None
    if config.db_url is not None:
        from nacha_cs.web import compliance_pages, ledger_pages

        access = ledger_pages.open_ledger(config.db_url)
        routes[-1:-1] = ledger_pages.ROUTES + compliance_pages.ROUTES
        nav += ledger_pages.NAV + compliance_pages.NAV
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SecurityHeaders,
                loopback_only=config.loopback_only,
                max_body=config.max_upload + 64_000,
            ),
            Middleware(CsrfCookie),
            Middleware(Login, gate=gate),
        ],
        exception_handlers={BodyTooLarge: too_large},
    )
    app.state.config = config
    app.state.secret = config.secret
    app.state.results = Results()
    app.state.gate = gate
    app.state.nav = nav
    app.state.ledger = access
    return app
