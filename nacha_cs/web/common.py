"""What every page shares: the configuration, the templates, the upload form reader and the
checks on what is uploaded."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import Any

import attrs
import jinja2
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from nacha_cs import __version__
from nacha_cs.web.security import CSRF_FIELD, csrf_ok, csrf_token

HERE = Path(__file__).resolve().parent

DEFAULT_MAX_UPLOAD = 50_000_000
"""Bytes: a 50 MB upload is about 500,000 records, far beyond any one employer's file."""

ACCEPTED_TYPES = frozenset(
    {"", "application/octet-stream", "text/plain", "application/x-ach", "text/x-ach"}
)
"""What browsers call an ACH file: they name ``.ach``/``.txt`` files by extension, unknown
ones as octet-stream. Images, PDFs, archives and office documents are refused before reading;
the validator's sniffing (FMT001) catches the rest by content."""


@attrs.frozen
class WebConfig:
    """What `nacha-cs serve` configures."""

    token: str | None = None
    """Access token or password; required when the server listens beyond loopback."""
    loopback_only: bool = True
    """Answer only requests addressed to localhost (defeats DNS rebinding)."""
    max_upload: int = DEFAULT_MAX_UPLOAD
    db_url: str | None = None
    secret: bytes = attrs.field(factory=lambda: secrets.token_bytes(32))
    """Signs CSRF tokens; new at every start, so tokens of an old run are worthless."""


class _InMemoryParser(MultiPartParser):
    """Keeps the uploaded file in memory (the body limit bounds it) instead of spooling it to
    the shared temporary folder."""

    spool_max_size = sys.maxsize


def base_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def acceptable_upload(content_type: str | None) -> bool:
    """True for a content type an ACH text file may arrive with."""
    kind = base_type(content_type)
    return kind in ACCEPTED_TYPES or (kind.startswith("text/") and kind != "text/html")


def _money(cents: int | None) -> str:
    if cents is None:
        return "?"
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}${cents // 100:,}.{cents % 100:02d}"


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["money"] = _money
    env.globals["version"] = __version__
    env.globals["csrf_field"] = CSRF_FIELD
    return Jinja2Templates(env=env, context_processors=[_context])


def _context(request: Request) -> dict[str, Any]:
    return {
        "csrf_token": csrf_token(request),
        "nav": request.app.state.nav,
        "path": request.url.path,
        "logged_in": request.app.state.config.token is not None
        and request.app.state.gate.authenticated(request.scope),
    }


TEMPLATES = _templates()


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    return TEMPLATES.TemplateResponse(request, name, context or {}, status_code=status)


def problem(request: Request, status: int, title: str, detail: str) -> Response:
    """A page that says what went wrong and what to do, with the right status code."""
    return page(request, "problem.html", {"title": title, "detail": detail}, status)


async def read_form(request: Request) -> FormData:
    """The posted form; a multipart body is parsed with its file kept in memory."""
    if base_type(request.headers.get("content-type")).startswith("multipart/form-data"):
        parser = _InMemoryParser(request.headers, request.stream(), max_files=1, max_fields=16)
        return await parser.parse()
    return await request.form(max_files=0, max_fields=32)


def csrf_failed(request: Request) -> Response:
    return problem(
        request,
        403,
        "The form has expired",
        "Reload the page and send the form again (the server may have restarted).",
    )


@attrs.frozen
class Upload:
    """An uploaded file's bytes and the name the browser gave it."""

    data: bytes
    name: str


async def read_upload(request: Request, form_name: str, button: str) -> Upload | Response:
    """The one file a form posted, or the page that says why it cannot be taken: not a
    multipart body, unreadable, a stale CSRF token, no file, or a type that is not ACH text.
    ``form_name`` and ``button`` name the form and its button in those pages."""
    if not base_type(request.headers.get("content-type")).startswith("multipart/form-data"):
        return problem(request, 415, "Not a file upload", f"Send the file with {form_name}.")
    try:
        form = await read_form(request)
    except MultiPartException as error:
        return problem(request, 400, "The upload could not be read", str(error))
    try:
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return csrf_failed(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return problem(request, 400, "No file chosen", f"Choose an ACH file, then {button}.")
        if not acceptable_upload(upload.content_type):
            return problem(
                request,
                415,
                "Not an ACH text file",
                f"The browser sent this file as {base_type(upload.content_type)}; an ACH file "
                "is plain text. Send the .ach or .txt file itself, not an archive, image or "
                "document of it.",
            )
        return Upload(await upload.read(), upload.filename)
    finally:
        await form.close()
