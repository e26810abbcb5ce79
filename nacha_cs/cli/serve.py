"""`nacha-cs serve`: the web page for SDU staff, on this machine by default."""

from __future__ import annotations

import os

import click

from nacha_cs.cli._output import fail

EXAMPLE = """\b
Examples:
  nacha-cs serve                                  # http://127.0.0.1:8000, this machine only
  nacha-cs serve --port 8080 --db sqlite:///sdu.db
  NACHA_CS_WEB_TOKEN=... nacha-cs serve --host 0.0.0.0   # other machines: token required
  nacha-cs serve --host 10.0.0.5 --token-file /etc/nacha-cs/token
"""

TOKEN_ENV = "NACHA_CS_WEB_TOKEN"
DEFAULT_LEDGER_FILE = "nacha-cs.db"
"""The ledger's default SQLite file: served when it exists and no --db is given."""


def _token(token_file: str | None) -> str | None:
    if token_file is not None:
        try:
            with open(token_file, encoding="utf-8") as stream:
                return stream.read().strip()
        except OSError as error:
            fail(f"cannot read the token file {token_file}: {error.strerror or error}")
    value = os.environ.get(TOKEN_ENV, "").strip()
    return value or None


@click.command(epilog=EXAMPLE)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback needs an access token.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--db",
    "db_url",
    envvar="NACHA_CS_DB",
    metavar="URL",
    help="The SDU ledger database (default ./nacha-cs.db; or NACHA_CS_DB).",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False),
    help=f"File holding the access token (or set {TOKEN_ENV}); staff log in with it.",
)
@click.option(
    "--max-upload-mb",
    default=50,
    show_default=True,
    type=click.IntRange(1, 2000),
    help="Largest file the upload form takes.",
)
def serve(
    host: str, port: int, db_url: str | None, token_file: str | None, max_upload_mb: int
) -> None:
    """Serve the web page for SDU staff: check a file, read its findings, download the JSON
    report, the remittance CSV and a rejection letter. Listens on 127.0.0.1 unless told
    otherwise; any other address needs an access token (exit 2 without one)."""
    from nacha_cs.web.app import WebConfig, create_app
    from nacha_cs.web.security import MIN_TOKEN_LENGTH, is_loopback

    token = _token(token_file)
    loopback = is_loopback(host)
    if not loopback and token is None:
        fail(
            f"refusing to listen on {host} without an access token: other machines could "
            f"reach the page. Set {TOKEN_ENV} or pass --token-file, or keep the default "
            "--host 127.0.0.1"
        )
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        fail(f"the access token is too short: use at least {MIN_TOKEN_LENGTH} characters")
    import uvicorn

    from nacha_cs.sdu.ledger import DEFAULT_URL, LedgerError

    if db_url is None and os.path.exists(DEFAULT_LEDGER_FILE):
        db_url = DEFAULT_URL
    try:
        app = create_app(
            WebConfig(
                token=token,
                loopback_only=loopback,
                max_upload=max_upload_mb * 1_000_000,
                db_url=db_url,
            )
        )
    except LedgerError as error:
        fail(str(error))
    access = app.state.ledger
    if access is None:
        click.echo(
            "nacha-cs: no ledger (pass --db URL or set NACHA_CS_DB): serving the file check only",
            err=True,
        )
    elif access.settings is None:
        click.echo(f"nacha-cs: the ledger pages read only: {access.settings_problem}", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"nacha-cs: serving on http://{shown}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, server_header=False, log_level="info")
