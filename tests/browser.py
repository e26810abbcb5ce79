"""A real server and a real browser for the end-to-end tests and the screenshot script.

`nacha-cs serve` runs in its own process on 127.0.0.1 and a free port; Debian's Chromium
(``NACHA_CS_CHROMIUM``, set by scripts/services/chromium.sh) is driven by Playwright through
``executable_path``, never a browser Playwright downloads.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "fixtures" / "sdu"
SAMPLE_KEY = "sample-ssn-key-0123456789"
"""The SSN key of the sample ledgers these tests and the screenshot script build."""

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Without the background-networking flags Chromium keeps knocking on this closed network."""


def chromium_path() -> str | None:
    """Debian's Chromium, from NACHA_CS_CHROMIUM or where the package puts it."""
    configured = os.environ.get("NACHA_CS_CHROMIUM")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(*args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`nacha-cs serve` on 127.0.0.1 and a free port, stopped (and waited for) on exit."""
    port = free_port()
    command = [sys.executable, "-m", "nacha_cs", "serve", "--port", str(port), *args]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "/static/style.css", timeout=1):
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    error = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"nacha-cs serve did not start: {error}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def sample_ledger(folder: Path) -> str:
    """A SQLite ledger in ``folder`` holding the bundled SDU samples (registers as of
    2025-01-01, then every sample file), built with the ledger's own API; its URL."""
    import datetime as dt

    from nacha_cs.sdu.ledger import connect, ingest_file, load_settings, upgrade
    from nacha_cs.sdu.ledger.registers import import_employers, import_orders

    url = f"sqlite:///{folder / 'sample-sdu.db'}"
    upgrade(url)
    settings = load_settings(environ={"NACHA_CS_SSN_KEY": SAMPLE_KEY})
    engine = connect(url)
    try:
        assert import_employers(engine, SAMPLES / "employers.csv", as_of=dt.date(2025, 1, 1)).ok
        assert import_orders(engine, SAMPLES / "orders.csv", settings).ok
        for path in sorted(SAMPLES.glob("*.ach")):
            ingest_file(engine, path, settings)
    finally:
        engine.dispose()
    return url


@contextlib.contextmanager
def browser_context(executable: str) -> Iterator[Any]:
    """A Playwright browser context in a fresh, private user-data folder, removed after."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="nacha-cs-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=executable,
                headless=True,
                args=CHROMIUM_ARGS,
                accept_downloads=True,
                viewport={"width": 1280, "height": 900},
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
