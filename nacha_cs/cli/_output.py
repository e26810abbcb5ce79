"""Shared console helpers for the commands.

rich is imported where a console or a bar is made, not here: ``validate --format json`` and the
other commands that print plain text never load it (it is a good part of a short run's
start-up).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

PROGRESS_BYTES = 2_000_000
"""Files smaller than this are read before a progress bar would be worth drawing."""


def stdout_console() -> Console:
    """Rich output on stdout. Piped, it is 140 columns wide for tables, and a line of text is
    never wrapped (soft wrap): a summary line must stay one line for grep and for programs."""
    from rich.console import Console

    stream = sys.stdout  # read at call time, so click's test runner can capture it
    terminal = stream.isatty()
    return Console(
        file=stream, highlight=False, soft_wrap=not terminal, width=None if terminal else 140
    )


def stderr_console() -> Console:
    from rich.console import Console

    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


PROGRESS_ENV = "NACHA_CS_PROGRESS"
"""``always`` draws progress bars even when stderr is no terminal (for tests and for a user
whose terminal rich does not recognise), ``never`` never draws them; unset, only a terminal."""


def show_progress(console: Console) -> bool:
    """Whether a progress bar goes to ``console`` (stderr): only a terminal, unless
    :data:`PROGRESS_ENV` says otherwise. Piped or redirected stderr never gets one."""
    wanted = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if wanted == "always":
        return True
    if wanted == "never":
        return False
    return console.is_terminal


def progress_bar(console: Console, label: str) -> Progress:
    """The one progress bar of every command: label, bar, bytes read, time left; transient,
    so nothing of it stays on the screen."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    if not console.is_terminal:  # forced through PROGRESS_ENV: draw as on a terminal
        console = Console(file=console.file, highlight=False, force_terminal=True)
    return Progress(
        TextColumn(label),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        # describe and remittance write stdout while the bar runs: it must stay stdout (rich
        # would otherwise route it through the bar's console, to stderr)
        redirect_stdout=False,
        redirect_stderr=False,
    )


class _CountingReader(io.BufferedReader):
    """A buffered file that tells a progress bar how far reading has got."""

    def __init__(self, raw: io.FileIO, progress: Progress, task: TaskID) -> None:
        super().__init__(raw, buffer_size=1 << 16)
        self._progress = progress
        self._task = task

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self._progress.update(self._task, completed=self.tell())
        return data


@contextlib.contextmanager
def open_input(path: str, label: str, *, progress: bool) -> Iterator[io.BufferedReader]:
    """``path`` opened for binary reading; with ``progress``, a transient bar on stderr follows
    the bytes read when stderr is a terminal (:func:`show_progress`) and the file is large.
    Callers pass ``progress=False`` for JSON output.

    Raises OSError as :func:`open` does; a folder raises IsADirectoryError.
    """
    if os.path.isdir(path):
        raise IsADirectoryError(21, "Is a directory", path)
    size = _size(path)
    err = stderr_console() if progress and size >= PROGRESS_BYTES else None
    if err is None or not show_progress(err):
        with open(path, "rb") as stream:
            yield stream
        return
    bar = progress_bar(err, label)
    task = bar.add_task(label, total=size)
    with bar, _CountingReader(io.FileIO(path, "r"), bar, task) as stream:
        yield stream


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class HeldOutput(io.TextIOBase):
    """Text for stdout held back until there is ``limit`` characters of it: a file found
    unreadable early (junk, a truncated small file) prints nothing but its problems, while a
    large file still streams. :meth:`release` writes what is held; :meth:`drop` discards it."""

    def __init__(self, out: IO[str], limit: int = 1 << 16) -> None:
        super().__init__()
        self.out = out
        self.limit = limit
        self.held: list[str] = []
        self.size = 0
        self.spilled = False

    def write(self, text: str) -> int:
        if self.spilled:
            return self.out.write(text)
        self.held.append(text)
        self.size += len(text)
        if self.size >= self.limit:
            self.release()
        return len(text)

    def release(self) -> None:
        self.out.write("".join(self.held))
        self.held.clear()
        self.spilled = True

    def drop(self) -> None:
        self.held.clear()


JSON_CHUNKS = 8192
"""Encoder pieces written to stdout at a time (each a few characters: a key, a comma...)."""


def echo_json(document: Any) -> None:
    """``click.echo(json.dumps(document, indent=2))``, byte for byte, written as it is encoded.

    ``json.dumps`` with an indent joins the pure-Python encoder's pieces, two or three dozen
    small strings per finding, into one string: for a file with 20,000 findings they took more
    memory than the validation. Here they go out in batches of :data:`JSON_CHUNKS`.
    """
    out = sys.stdout  # read at call time, as click.echo does, so a test runner can capture it
    batch: list[str] = []
    for chunk in json.JSONEncoder(indent=2).iterencode(document):
        batch.append(chunk)
        if len(batch) >= JSON_CHUNKS:
            out.write("".join(batch))
            batch.clear()
    batch.append("\n")
    out.write("".join(batch))
    out.flush()


def stdout_closed() -> NoReturn:
    """The reader of stdout went away (``describe big.ach | head``): stop quietly with the
    shell's code for SIGPIPE, and point stdout at /dev/null so the final flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(128 + 13)


def fail(message: str, code: int = 2) -> NoReturn:
    """A clear message on stderr and an exit code; never a traceback."""
    click.echo(f"nacha-cs: {message}", err=True)
    sys.exit(code)


def money(cents: int | None) -> str:
    if cents is None:
        return "?"
    return f"${cents // 100:,}.{cents % 100:02d}"


def mask_account(account: str) -> str:
    """Show only the last four characters of an account number."""
    account = account.strip()
    if len(account) <= 4:
        return "*" * len(account)
    return "*" * (len(account) - 4) + account[-4:]
