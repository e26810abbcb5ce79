"""The command line: click commands and rich output only; the work happens in the core modules.

Commands are imported when they run, not when the program starts: `nacha-cs validate` on a
million-entry file should not pay for loading the payroll generator.
"""

from __future__ import annotations

import contextlib
import importlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

import click

from nacha_cs import __version__

COMMANDS: dict[str, str] = {
    "generate": "nacha_cs.cli.generate:generate",
    "validate": "nacha_cs.cli.validate:validate",
    "rules": "nacha_cs.cli.validate:rules",
    "describe": "nacha_cs.cli.describe:describe",
    "remittance": "nacha_cs.cli.remittance:remittance",
    "ded": "nacha_cs.cli.ded:ded",
    "testkit": "nacha_cs.cli.testkit:testkit",
    "db": "nacha_cs.cli.ledger:db",
    "ingest": "nacha_cs.cli.ledger:ingest",
    "orders": "nacha_cs.cli.ledger:orders",
    "employers": "nacha_cs.cli.ledger:employers",
    "suspense": "nacha_cs.cli.ledger_reports:suspense",
    "statement": "nacha_cs.cli.ledger_reports:statement",
    "payments": "nacha_cs.cli.ledger_reports:payments",
    "serve": "nacha_cs.cli.serve:serve",
    "compliance": "nacha_cs.cli.compliance:compliance",
    "mandate": "nacha_cs.cli.mandate:mandate",
    "notice": "nacha_cs.cli.notice:notice",
}


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, so it unwinds as for Ctrl-C: atomic
    outputs remove their temporary files (which may hold full SSNs) on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Terminated` while a command runs (the main thread only
    can set handlers; elsewhere, as under some test runners, nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _terminate) for number in _UNWIND}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


_UNWIND = (signal.SIGTERM, signal.SIGHUP)


class LazyGroup(click.Group):
    """A group whose subcommands live in their own modules and load on first use.

    Every command runs inside :meth:`invoke`, the one place that turns Ctrl-C, SIGTERM and
    SIGHUP into a clean stop with the shell's exit code (128 + the signal: 130 for Ctrl-C).
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _signals_unwind():
                return super().invoke(ctx)
        except KeyboardInterrupt as stop:
            number = stop.signum if isinstance(stop, Terminated) else signal.SIGINT
            name = signal.Signals(number).name
            click.echo(f"\nnacha-cs: stopped ({name}); no output was left half-written", err=True)
            ctx.exit(128 + number)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


def _version(ctx: click.Context, value: bool) -> None:
    """``--version``: the release, and which validator and generator run (compiled or
    pure Python)."""
    if not value or ctx.resilient_parsing:
        return
    from nacha_cs.employer.lane_build import status as lane_status
    from nacha_cs.validate.scan import status

    click.echo(
        f"nacha-cs, version {__version__}\nscanner: {status()}\n"
        f"generate lane: {lane_status()}"
    )
    ctx.exit()


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=(
        "Example: nacha-cs generate fixtures/payroll/sample.csv "
        "--config fixtures/config/sample.toml -o out.ach"
    ),
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _version(ctx, value),
    help="Show the version, and whether the compiled scanner and generate lane are built.",
)
def main() -> None:
    """Generate and validate NACHA ACH files carrying child-support payments
    (CCD+ entries with a DED addenda, CTX entries carrying an X12 820)."""
