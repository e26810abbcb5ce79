"""Shared console helpers for the commands."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from rich.console import Console


def stdout_console() -> Console:
    stream = sys.stdout  # read at call time, so click's test runner can capture it
    width = None if stream.isatty() else 140
    return Console(file=stream, highlight=False, soft_wrap=False, width=width)


def stderr_console() -> Console:
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


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
