"""The web page's defences, each a small ASGI layer or helper: security headers, a request body
limit, a per-browser CSRF token, a login for pages served beyond loopback, and a Host check that
stops DNS rebinding from reaching a loopback server.

Nothing here knows about ACH files; the pages only call :func:`check_csrf` and read
:func:`csrf_token` into their forms.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "nacha_cs_csrf"
SESSION_COOKIE = "nacha_cs_session"
CSRF_FIELD = "csrf_token"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""No inline script or style, nothing from elsewhere: the page's one script is a static file."""

HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
)

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})

MIN_TOKEN_LENGTH = 12


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (``localhost``, 127.0.0.0/8, ::1).

    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0"), is_loopback("localhost")
    (True, False, True)
    """
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """The name of a Host header without its port (``[::1]:8000`` -> ``[::1]``)."""
    if host_header.startswith("["):
        return host_header.split("]", 1)[0] + "]"
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class SecurityHeaders:
    """Adds the security headers to every response, and refuses a request whose Host is not
    loopback when the server is (a page elsewhere cannot rebind a name to 127.0.0.1 and read
    ours). Also refuses a body larger than the upload limit, before reading it."""

    def __init__(self, app: ASGIApp, *, loopback_only: bool, max_body: int) -> None:
        self.app = app
        self.loopback_only = loopback_only
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if self.loopback_only and not is_loopback(_host_name(headers.get("host", ""))):
            await _plain(send_with_headers, 421, "This server answers on localhost only.")
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            await _plain(send_with_headers, 413, _too_large(self.max_body))
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_with_headers(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _plain(send_with_headers, 413, _too_large(self.max_body))


class BodyTooLarge(Exception):
    """A request body went past the limit while it was being read."""


def _too_large(limit: int) -> str:
    return f"The file is too large: this server takes uploads up to {limit // 1_000_000} MB."


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope["headers"]:
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is the client's problem, not ours
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def _set_cookie(name: str, value: str, max_age: int | None = None) -> tuple[bytes, bytes]:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return b"set-cookie", "; ".join(parts).encode()


class CsrfCookie:
    """Gives every browser a random CSRF cookie; forms carry a token derived from it with the
    server's key (:func:`csrf_token`), checked by :func:`check_csrf` on every POST. A page on
    another site can neither read the cookie nor compute the token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        value = _cookies(scope).get(CSRF_COOKIE, "")
        fresh = not (16 <= len(value) <= 64 and value.isalnum())
        if fresh:
            value = secrets.token_hex(16)
        scope.setdefault("state", {})["csrf_cookie"] = value

        async def send_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), _set_cookie(CSRF_COOKIE, value)]
            await send(message)

        await self.app(scope, receive, send_cookie)


def _sign(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token this browser's forms carry."""
    key: bytes = request.app.state.secret
    return _sign(key, request.scope["state"]["csrf_cookie"])


def csrf_ok(request: Request, submitted: object) -> bool:
    """True when a submitted form token belongs to this browser's cookie."""
    return isinstance(submitted, str) and hmac.compare_digest(submitted, csrf_token(request))


class Gate:
    """The access token and the sessions opened with it (in memory: a restart logs out)."""

    SESSION_SECONDS = 8 * 3600

    def __init__(self, token: str | None) -> None:
        self.token = token
        self.sessions: dict[str, float] = {}

    def new_session(self) -> str:
        now = time.monotonic()
        self.sessions = {k: t for k, t in self.sessions.items() if t > now}
        session = secrets.token_hex(32)
        self.sessions[session] = now + self.SESSION_SECONDS
        return session

    def end_session(self, session: str) -> None:
        self.sessions.pop(session, None)

    def token_ok(self, submitted: object) -> bool:
        return (
            self.token is not None
            and isinstance(submitted, str)
            and hmac.compare_digest(submitted.encode(), self.token.encode())
        )

    def authenticated(self, scope: Scope) -> bool:
        if self.token is None:
            return True
        session = _cookies(scope).get(SESSION_COOKIE, "")
        expires = self.sessions.get(session)
        if expires is not None and expires > time.monotonic():
            return True
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, credential = value.decode("latin-1").partition(" ")
                if scheme.lower() == "bearer" and self.token_ok(credential.strip()):
                    return True
        return False


class Login:
    """When a token is configured, every page but the login page and the static files needs a
    session (from the login form) or an ``Authorization: Bearer`` header with the token."""

    OPEN = ("/login", "/static/")

    def __init__(self, app: ASGIApp, *, gate: Gate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"].startswith(self.OPEN)
            or self.gate.authenticated(scope)
        ):
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD"):
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [(b"location", b"/login"), (b"content-length", b"0")],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await _plain(send, 401, "Log in first: this server needs its access token.")


def session_cookie(session: str, max_age: int) -> tuple[bytes, bytes]:
    """The Set-Cookie header of a new session."""
    return _set_cookie(SESSION_COOKIE, session, max_age)
